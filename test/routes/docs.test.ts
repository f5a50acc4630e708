/**
 * GET /docs, the readable API reference: an HTML page that loads Scalar's standalone bundle from our own route and
 * points it at /v1/openapi.json, with a <noscript> link to the JSON and a Content-Security-Policy that lets nothing
 * load from elsewhere; and GET /docs/api-reference.js, the package's bundle itself (gzip when accepted, 304 on a match).
 */
import '../functions/api/quiet-logs.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, BUNDLED_SCRIPT, scriptFile } from '#functions/docs/api-reference.ts';
import { handler as pageHandler } from '#functions/docs/api-docs.handler.ts';
import { handler as scriptHandler } from '#functions/docs/api-reference-script.handler.ts';
import { apiReferenceScriptRoute, docsPageRoute } from '#functions/docs/routes.ts';
import { PAGE_ROUTES } from '#functions/routes.ts';
import { context } from '../fixtures/context.ts';
import { routeEvent } from './support.ts';

const visitor = { sub: 'reader', org: 'E10000034', role: 'commissioner' } as const;
const get = (route: typeof docsPageRoute | typeof apiReferenceScriptRoute, headers: Record<string, string> = {}) => {
  const event = routeEvent(route, visitor);
  Reflect.deleteProperty(event.requestContext, 'authorizer');
  Object.assign(event.headers, headers);
  return event;
};
/** The package's standalone bundle, read here independently of the handler. */
const packaged = readFileSync(new URL('../../node_modules/@scalar/api-reference/dist/browser/standalone.js', import.meta.url), 'utf8');

describe('GET /docs', () => {
  it('is a documented page of the route table, served without a token', () => {
    expect(PAGE_ROUTES.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual(
      expect.arrayContaining(['GET /docs none', 'GET /docs/api-reference.js none']),
    );
  });

  it('answers 200 HTML that loads the script from our own route and renders /v1/openapi.json', async () => {
    const result = await pageHandler(get(docsPageRoute), context);
    const html = String(result.body);

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<script src="/docs/api-reference.js"></script>');
    expect(html).toContain(`Scalar.createApiReference('#api-reference', {"url":"/v1/openapi.json","telemetry":false`);
    expect([...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1])).toStrictEqual(['/docs/api-reference.js']);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('links to the JSON without JavaScript: a <noscript> with an <a href="/v1/openapi.json">', async () => {
    const html = String((await pageHandler(get(docsPageRoute), context)).body);
    const noscript = /<noscript>([\s\S]*?)<\/noscript>/.exec(html)?.[1] ?? '';

    expect(noscript).toContain('<a href="/v1/openapi.json">/v1/openapi.json</a>');
  });

  it('lets scripts run only from this origin and the one inline start-up script, by its hash; requests only to this origin', async () => {
    const result = await pageHandler(get(docsPageRoute), context);
    const csp = String(result.headers?.['content-security-policy']);
    const inline = [...String(result.body).matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');

    expect(inline).toHaveLength(1);
    const hash = createHash('sha256')
      .update(inline[0] ?? '')
      .digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining(["default-src 'none'", "connect-src 'self'", "font-src 'self' data:", "frame-ancestors 'none'"]),
    );
  });
});

describe('GET /docs/api-reference.js', () => {
  it("answers the package's standalone bundle as JavaScript", async () => {
    const result = await scriptHandler(get(apiReferenceScriptRoute), context);

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(result.headers?.['content-encoding']).toBeUndefined();
    expect(result.body === packaged).toBe(true);
    expect(packaged).toContain('createApiReference');
  });

  it('answers gzip, base64-encoded for API Gateway, when the client accepts it: the same bundle', async () => {
    const result = await scriptHandler(get(apiReferenceScriptRoute, { 'accept-encoding': 'gzip, deflate, br' }), context);

    expect([result.statusCode, result.headers?.['content-encoding'], result.isBase64Encoded]).toStrictEqual([200, 'gzip', true]);
    expect(gunzipSync(Buffer.from(String(result.body), 'base64')).toString('utf8') === packaged).toBe(true);
    expect(String(result.body).length).toBeLessThan(2_500_000);
  });

  it('answers 304 with no body for the ETag the client holds, and the full script for another', async () => {
    const first = await scriptHandler(get(apiReferenceScriptRoute), context);
    const etag = String(first.headers?.['etag']);

    const again = await scriptHandler(get(apiReferenceScriptRoute, { 'if-none-match': etag }), context);
    const stale = await scriptHandler(get(apiReferenceScriptRoute, { 'if-none-match': '"stale"' }), context);

    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect([again.statusCode, again.body]).toStrictEqual([304, '']);
    expect(stale.statusCode).toBe(200);
  });

  it('reads the bundle from the installed package when none sits beside the handler', () => {
    const file = scriptFile(new URL('../../functions/docs/api-reference-script.handler.ts', import.meta.url));

    expect(file.endsWith('node_modules/@scalar/api-reference/dist/browser/standalone.js')).toBe(true);
  });

  it('prefers the copy beside a deployed handler', () => {
    const beside = new URL(`./fixtures/index.mjs`, import.meta.url);

    expect(scriptFile(beside)).toBe(new URL(`./fixtures/${BUNDLED_SCRIPT}`, import.meta.url).pathname);
  });

  it.each([
    ['gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['*', true],
    ['gzip;q=0', false],
    ['br', false],
    ['', false],
  ])('Accept-Encoding %j accepts gzip: %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
