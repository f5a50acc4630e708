/**
 * The API reference's script in its deployed form: the handler bundled as NodejsFunction bundles it (esbuild, the
 * settings of lib/constructs/lambda.ts) into a folder with no node_modules, the manifest's `bundleFiles` copied beside
 * it by the same commands the CDK hook runs, and the bundle then answers the package's script. Without the copy it
 * cannot find the script, so the copy is what makes the deployed route work.
 */
import '../functions/api/quiet-logs.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appManifest } from '#lib/app-manifest.ts';
import { bundlingFor, copyBundleFiles, esbuildOptions, REPO_ROOT } from '#lib/constructs/lambda.ts';
import { apiReferenceScriptRoute } from '#functions/docs/routes.ts';
import { context } from '../fixtures/context.ts';
import { routeEvent, type Handler } from './support.ts';

const definition = appManifest.functions.find((f) => f.name === apiReferenceScriptRoute.function);
let outDir: string;

beforeAll(async () => {
  if (definition === undefined) throw new Error('no api-reference-script function in the manifest');
  outDir = mkdtempSync(join(tmpdir(), 's117-docs-bundle-'));
  await build(esbuildOptions(join(REPO_ROOT, definition.handler), join(outDir, 'index.mjs')));
}, 60_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

const request = () => {
  const event = routeEvent(apiReferenceScriptRoute, { sub: 'reader', org: 'E10000034', role: 'commissioner' });
  Reflect.deleteProperty(event.requestContext, 'authorizer');
  return event;
};

describe('the deployed /docs/api-reference.js', () => {
  it('copies the package bundle beside the Lambda bundle through the CDK afterBundling hook', () => {
    if (definition === undefined) throw new Error('no api-reference-script function in the manifest');
    const hooks = bundlingFor(definition).commandHooks;

    expect(hooks?.afterBundling('/asset-input', '/asset-output')).toStrictEqual([
      'cp "/asset-input/node_modules/@scalar/api-reference/dist/browser/standalone.js" "/asset-output/api-reference.js"',
    ]);
    expect(bundlingFor({ name: 'plain', handler: 'functions/api/openapi.handler.ts' }).commandHooks).toBeUndefined();
  });

  it('refuses a bundle file that is not a plain repository path and file name', () => {
    expect(() => copyBundleFiles([{ from: '../secrets', to: 'x.js' }], '/in', '/out')).toThrow(/not a plain repository path/);
    expect(() => copyBundleFiles([{ from: 'a.js', to: 'b.js; rm -rf /' }], '/in', '/out')).toThrow(/not a plain repository path/);
  });

  it('answers 500 without the copy (the bundle carries no node_modules), and the package script with it', async () => {
    const url = pathToFileURL(join(outDir, 'index.mjs')).href;
    const without = (await import(`${url}?without`)) as { handler: Handler };
    expect((await without.handler(request(), context)).statusCode).toBe(500);

    for (const command of copyBundleFiles(definition?.bundleFiles ?? [], REPO_ROOT, outDir)) execFileSync('sh', ['-c', command]);
    const withCopy = (await import(`${url}?with`)) as { handler: Handler };
    const result = await withCopy.handler(request(), context);

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(result.body === readFileSync(join(REPO_ROOT, 'node_modules/@scalar/api-reference/dist/browser/standalone.js'), 'utf8')).toBe(
      true,
    );
  }, 30_000);
});
