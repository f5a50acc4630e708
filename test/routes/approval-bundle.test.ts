/**
 * The approval pages in their deployed form (issue 16): the record-vote handler bundled as NodejsFunction bundles it,
 * with the manifest's `bundleFiles` (nhsuk-frontend's templates and stylesheet) copied beside it, renders its pages on
 * the NHS.UK layout; without the copy it still answers, in the plain page (no page ever shows an exception).
 */
import '../functions/api/quiet-logs.ts';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appManifest } from '#lib/app-manifest.ts';
import { copyBundleFiles, esbuildOptions, REPO_ROOT } from '#lib/constructs/lambda.ts';
import { context } from '../fixtures/context.ts';

type Handler = (event: APIGatewayProxyEventV2, ctx: typeof context) => Promise<{ statusCode: number; body?: string }>;

const definition = appManifest.functions.find((f) => f.name === 'record-vote');
let outDir: string;

beforeAll(async () => {
  if (definition === undefined) throw new Error('no record-vote function in the manifest');
  outDir = mkdtempSync(join(tmpdir(), 's117-approval-bundle-'));
  await build(esbuildOptions(join(REPO_ROOT, definition.handler), join(outDir, 'index.mjs')));
  mkdirSync(join(outDir, 'node_modules'));
  symlinkSync(join(REPO_ROOT, 'node_modules/@aws-sdk'), join(outDir, 'node_modules/@aws-sdk'));
}, 60_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

/** A vote posted as JSON: refused with the 415 page before anything is read or written. */
const postJson = (): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /approvals/{approvalId}',
    rawPath: '/approvals/apr_x',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    pathParameters: { approvalId: 'apr_x' },
    requestContext: { http: { method: 'POST', path: '/approvals/apr_x' }, requestId: 'r-1' },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

describe('the deployed approval pages', () => {
  it('answer in the plain page without the copy, and on the NHS.UK layout with it', async () => {
    const url = pathToFileURL(join(outDir, 'index.mjs')).href;
    const without = (await import(`${url}?without`)) as { handler: Handler };
    const plain = await without.handler(postJson(), context);
    expect([plain.statusCode, plain.body?.includes('The form could not be read'), plain.body?.includes('nhsuk-header')]).toStrictEqual([
      415,
      true,
      false,
    ]);

    for (const command of copyBundleFiles(definition?.bundleFiles ?? [], REPO_ROOT, outDir)) execFileSync('sh', ['-c', command]);
    const withCopy = (await import(`${url}?with`)) as { handler: Handler };
    const styled = await withCopy.handler(postJson(), context);
    expect(styled.statusCode).toBe(415);
    expect(styled.body).toContain('<header class="nhsuk-header"');
    expect(styled.body).toContain('The form could not be read');
  }, 30_000);
});
