/**
 * The API reference page (`GET /docs`) and its script (`GET /docs/api-reference.js`). The page loads Scalar's
 * standalone bundle from our own route and points it at `/v1/openapi.json`; its Content-Security-Policy lets scripts,
 * fonts and requests come only from this origin (plus the one inline start-up script, by hash), so the reference
 * cannot call out to a CDN, a font host or Scalar's services, and Scalar's telemetry, proxy and agent are off too.
 * Without JavaScript the page links to the JSON.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { apiReferenceScriptRoute } from './routes.ts';

export const OPENAPI_PATH = '/v1/openapi.json';

/**
 * What Scalar is told: the document; no telemetry, agent, MCP or request client, and no fonts from its CDN. (The
 * bundle's stylesheet still names fonts.scalar.com; the policy below refuses those loads and the system fonts serve.)
 */
export const SCALAR_CONFIGURATION = {
  url: OPENAPI_PATH,
  telemetry: false,
  withDefaultFonts: false,
  hideClientButton: true,
  showDeveloperTools: 'never',
  documentDownloadType: 'json',
  agent: { disabled: true },
  mcp: { disabled: true },
} as const;

const START = `Scalar.createApiReference('#api-reference', ${JSON.stringify(SCALAR_CONFIGURATION)});`;
const startHash = `'sha256-${createHash('sha256').update(START).digest('base64')}'`;

export const DOCS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'public, max-age=300',
  'content-security-policy': [
    "default-src 'none'",
    `script-src 'self' ${startHash}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/** The reference page: Scalar from our own route, and a <noscript> link to the document. */
export function docsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>s117 API reference</title>
</head>
<body>
<noscript>
<h1>s117 API reference</h1>
<p>This page draws the reference with JavaScript. Without it, read the OpenAPI 3.1 document itself:
<a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>.</p>
</noscript>
<div id="api-reference"></div>
<script src="${apiReferenceScriptRoute.path}"></script>
<script>${START}</script>
</body>
</html>
`;
}

/** The file name the bundle has beside a deployed handler (lib/constructs/lambda.ts copies it there). */
export const BUNDLED_SCRIPT = 'api-reference.js';

/**
 * Where the standalone bundle is: beside the deployed handler (the Lambda bundle, which carries no node_modules), or
 * in the installed package (`npm start` and the tests run the sources). The package does not export the file, so it
 * is found from the package's main entry.
 */
export function scriptFile(besideHandler: URL): string {
  const bundled = fileURLToPath(new URL(BUNDLED_SCRIPT, besideHandler));
  if (existsSync(bundled)) return bundled;
  const main = createRequire(besideHandler).resolve('@scalar/api-reference');
  return join(dirname(main), 'browser', 'standalone.js');
}

export interface ApiReferenceScript {
  text: string;
  gzip: Buffer;
  etag: string;
}

/** The bundle, read once, with its gzip (4.8 MB of JavaScript is 1.4 MB gzipped) and an ETag of its content. */
export function loadScript(file: string): ApiReferenceScript {
  const text = readFileSync(file, 'utf8');
  return { text, gzip: gzipSync(text, { level: 9 }), etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` };
}

/** Whether an Accept-Encoding header accepts gzip (and does not refuse it with q=0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}
