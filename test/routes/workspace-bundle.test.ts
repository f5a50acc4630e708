/**
 * The workspace in its deployed form: the handler bundled as NodejsFunction bundles it (esbuild, the settings of
 * lib/constructs/lambda.ts) into a folder with no node_modules, the manifest's `bundleFiles` (nhsuk-frontend's
 * templates and stylesheet) copied beside it by the same commands the CDK hook runs. Without the copy a page cannot
 * be rendered; with it the pages are the design system's and the stylesheet route answers the package's file.
 */
import '../functions/api/quiet-logs.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appManifest } from '#lib/app-manifest.ts';
import { copyBundleFiles, esbuildOptions, REPO_ROOT } from '#lib/constructs/lambda.ts';
import { STYLESHEET_PATH, WORKSPACE_FUNCTION } from '#functions/workspace/routes.ts';
import { context } from '../fixtures/context.ts';

type Handler = (
  event: APIGatewayProxyEventV2,
  ctx: typeof context,
) => Promise<{ statusCode: number; body?: string; headers?: Record<string, string> }>;

const definition = appManifest.functions.find((f) => f.name === WORKSPACE_FUNCTION);
let outDir: string;

beforeAll(async () => {
  if (definition === undefined) throw new Error('no workspace function in the manifest');
  outDir = mkdtempSync(join(tmpdir(), 's117-workspace-bundle-'));
  // pdfkit (the referral pack's PDF) stays external, installed as NodejsFunction's nodeModules: test/routes/referral-pack-bundle.test.ts.
  expect(definition.nodeModules).toStrictEqual(['pdfkit']);
  await build(esbuildOptions(join(REPO_ROOT, definition.handler), join(outDir, 'index.mjs'), definition.nodeModules));
  // The Lambda runtime provides the AWS SDK (external to the bundle), and only it.
  mkdirSync(join(outDir, 'node_modules'));
  symlinkSync(join(REPO_ROOT, 'node_modules/@aws-sdk'), join(outDir, 'node_modules/@aws-sdk'));
  vi.stubEnv('APP_BASE_URL', 'https://s117.example.test');
  vi.stubEnv('OIDC_ISSUER', 'https://idp.example.test');
  vi.stubEnv('OIDC_CLIENT_ID', 'workspace');
}, 60_000);

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(outDir, { recursive: true, force: true });
});

const get = (path: string): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method: 'GET', path }, requestId: 'r-1' },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

describe('the deployed workspace', () => {
  it('copies only the templates (with their folders) and the stylesheet', () => {
    expect(copyBundleFiles(definition?.bundleFiles ?? [], '/in', '/out')).toStrictEqual([
      'cp "/in/node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css" "/out/nhsuk-frontend.min.css"',
      'mkdir -p "/out/nhsuk" && (cd "/in/node_modules/nhsuk-frontend/dist/nhsuk" && find . -type f -name "*.njk" | tar -cf - -T -) | (cd "/out/nhsuk" && tar -xf -)',
    ]);
    expect(() => copyBundleFiles([{ from: 'a', to: 'b', suffix: '.njk; rm -rf /' }], '/in', '/out')).toThrow(/not a plain file extension/);
  });

  it('cannot render a page without the copy, and renders the design system with it', async () => {
    const url = pathToFileURL(join(outDir, 'index.mjs')).href;
    const without = (await import(`${url}?without`)) as { handler: Handler };
    expect((await without.handler(get('/app/signed-out'), context)).statusCode).toBe(500);

    for (const command of copyBundleFiles(definition?.bundleFiles ?? [], REPO_ROOT, outDir)) execFileSync('sh', ['-c', command]);
    expect(existsSync(join(outDir, 'nhsuk/components/header/template.njk'))).toBe(true);
    expect(existsSync(join(outDir, 'nhsuk/nhsuk-frontend.min.js'))).toBe(false);
    const withCopy = (await import(`${url}?with`)) as { handler: Handler };

    const signedOut = await withCopy.handler(get('/app/signed-out'), context);
    expect(signedOut.statusCode).toBe(200);
    expect(signedOut.body).toContain('<header class="nhsuk-header"');
    expect(signedOut.body).toContain('<a class="nhsuk-skip-link"');

    const css = await withCopy.handler(get(STYLESHEET_PATH), context);
    expect(css.statusCode).toBe(200);
    expect(css.headers?.['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body === readFileSync(join(REPO_ROOT, 'node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css'), 'utf8')).toBe(true);
  }, 30_000);
});
