/**
 * The route fuzzer (issue 12, item 8): malformed and boundary requests, generated with fast-check from the route
 * table's schemas (functions/routes.ts), sent over HTTP to the whole app on the local runtime (every real handler
 * behind the JWT authorizer). It counts server errors (5xx), hangs (no answer within a per-request bound) and
 * writes made by a refused request (the register table and the executions compared before and after each 4xx).
 * `npm run fuzz` (test/fuzz/fuzz-cli.ts) and test/fuzz/routes.fuzz.test.ts both run it.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import * as z from 'zod';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import { ROUTE_TABLE, type RouteSpec } from '#functions/routes.ts';
import { appManifest } from '#lib/app-manifest.ts';
import type { TokenSubject } from '#local/auth.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { loadSeedFile } from '#local/seed-schema.ts';
import { seedDirectory } from '#local/seed.ts';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface FuzzOptions {
  /** How many requests at most. */
  runs: number;
  /** Stop generating after this long (the requests already sent are counted). */
  timeLimitMs?: number;
  /** A request without an answer after this long is a hang. */
  perRequestTimeoutMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface FuzzFinding {
  kind: 'server-error' | 'hang' | 'write-on-refused';
  method: string;
  /** The route template (never the generated values: they may be long). */
  route: string;
  status?: number;
  detail: string;
}

export interface FuzzReport {
  requests: number;
  serverErrors: number;
  hangs: number;
  writesOnRefused: number;
  /** Answers by status class, e.g. { "4xx": 9000, "2xx": 300 }. */
  statuses: Record<string, number>;
  seed: number;
  durationMs: number;
  /** At most 50, the first of each route and kind first. */
  findings: FuzzFinding[];
}

interface FuzzRequest {
  route: RouteSpec;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body: string | undefined;
}

const TABLE = 'Register';

/** Values at the edges of what the schemas admit, and a little past them. */
const BOUNDARY_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1',
  '1.5',
  '1e309',
  'NaN',
  'Infinity',
  '9007199254740993',
  'null',
  'true',
  '0001-01',
  '1899-12',
  '1900-01',
  '2024-00',
  '2024-04',
  '2024-13',
  '2199-12',
  '2200-01',
  '9999-12',
  '0001-01-01',
  '2023-02-29',
  '2024-02-29',
  '2024-06-01',
  '9999-12-31',
  '2024-06-01T09:00:00.000Z',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '=HYPERLINK("http://x")',
  '\u0000',
  '\uD800',
  '👩‍⚕️',
  'x'.repeat(5_000),
];

const stringValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BOUNDARY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

/** Any JSON value, boundary numbers and big or deep structures included. */
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: stringValue },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, 1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -0, null, true, false) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(300_000)) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 5_000 }, (_, i) => ({ i }))) },
  { weight: 1, arbitrary: fc.constant(JSON.parse(`${'['.repeat(2_000)}${']'.repeat(2_000)}`) as unknown) },
);

/** The object schema inside wrappers (optional, default, pipe, refine), or undefined. */
function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current !== undefined; depth++) {
    if (current instanceof z.ZodObject) return current.shape as Record<string, z.ZodType>;
    const def = (current as { def?: { in?: unknown; innerType?: unknown; schema?: unknown } }).def;
    current = def?.in ?? def?.innerType ?? def?.schema;
  }
  return undefined;
}

/** The literal values a field admits (enums, literals), for requests that are valid but for one field. */
function admitted(schema: z.ZodType | undefined): string[] {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current !== undefined; depth++) {
    if (current instanceof z.ZodEnum) return (current.options as unknown[]).map(String);
    if (current instanceof z.ZodLiteral) return [...current.values].map(String);
    const def = (current as { def?: { in?: unknown; innerType?: unknown; schema?: unknown } }).def;
    current = def?.in ?? def?.innerType ?? def?.schema;
  }
  return [];
}

/** Every path into a JSON value (objects and arrays), the root excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object' || into.length > 200) return into;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    into.push(path);
    pathsOf(child, path, into);
  }
  return into;
}

/** A copy of `value` with the value at `path` replaced (undefined deletes it). */
function mutate(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (replacement === undefined) Reflect.deleteProperty(node, last);
  else Object.defineProperty(node, last, { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}

export interface FuzzContext {
  /** Ids that exist (an application, the seeded partnerships and organisations), so some requests reach deep. */
  ids: string[];
  users: TokenSubject[];
  token(subject: TokenSubject): string;
}

function pathValue(context: FuzzContext): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...context.ids) }, { weight: 2, arbitrary: stringValue });
}

function bodyArbitrary(route: RouteSpec, context: FuzzContext): fc.Arbitrary<string | undefined> {
  const examples = Object.values(route.examples ?? {});
  const shape = objectShape(route.schemas.body);
  const keyed = Object.keys(shape ?? {});
  const raw = fc.constantFrom(
    '',
    '{',
    'null',
    '[]',
    '"x"',
    '{"a":',
    'x'.repeat(2_000_000),
    '\uFEFF{}',
    'nhsNumber,name\n943 476 5919,Alex\n',
  );
  const generated: fc.Arbitrary<string>[] = [
    raw,
    jsonValue.map((v) => JSON.stringify(v) ?? 'null'),
    fc.dictionary(fc.constantFrom(...keyed, '__proto__', 'constructor', 'extra'), jsonValue, { maxKeys: 6 }).map((v) => JSON.stringify(v)),
  ];
  if (examples.length > 0) {
    const mutated = fc.constantFrom(...examples).chain((example) => {
      const paths = pathsOf(example);
      if (paths.length === 0) return fc.constant(JSON.stringify(example));
      return fc
        .tuple(fc.constantFrom(...paths), fc.oneof(jsonValue, fc.constant(undefined), fc.constantFrom(...context.ids)))
        .map(([path, value]) => JSON.stringify(mutate(example, path, value)));
    });
    generated.push(
      mutated,
      mutated,
      fc.constantFrom(...examples).map((e) => JSON.stringify(e)),
    );
  }
  // fetch sends no body with a GET (and API Gateway's GET routes ignore one).
  return route.method === 'GET' ? fc.constant(undefined) : fc.oneof(...generated);
}

function queryArbitrary(route: RouteSpec, context: FuzzContext): fc.Arbitrary<[string, string][]> {
  const shape = objectShape(route.schemas.query) ?? {};
  const fields = Object.entries(shape).map(([name, schema]) => {
    const valid = admitted(schema);
    const value = fc.oneof(stringValue, fc.constantFrom(...context.ids), ...(valid.length > 0 ? [fc.constantFrom(...valid)] : []));
    return fc.option(
      fc.array(value, { minLength: 1, maxLength: 2 }).map((values) => values.map((v) => [name, v] as [string, string])),
      {
        nil: [] as [string, string][],
      },
    );
  });
  const extra = fc.array(fc.tuple(fc.constantFrom('extra', 'limit', 'cursor', '__proto__'), stringValue), { maxLength: 1 });
  return fc.tuple(fc.tuple(...fields), extra).map(([chosen, more]) => [...chosen.flat(), ...more]);
}

function headersArbitrary(route: RouteSpec, context: FuzzContext): fc.Arbitrary<Record<string, string>> {
  const user = fc.constantFrom(...context.users);
  const authorization = fc.oneof(
    { weight: 6, arbitrary: user.map((u) => `Bearer ${context.token(u)}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('Bearer ', 'Bearer x.y.z', 'Basic YTpi', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.') },
  );
  const contentType = fc.constantFrom(
    undefined,
    'application/json',
    'text/csv',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
  );
  const idempotencyKey = fc.option(fc.oneof(fc.uuid(), stringValue), { nil: undefined });
  const prefer = fc.constantFrom(undefined, 'respond-async', 'wait=1', '');
  return fc
    .record({ authorization, contentType, idempotencyKey, prefer })
    .map(({ authorization: auth, contentType: type, idempotencyKey: key, prefer: p }) => {
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers['authorization'] = auth;
      if (type !== undefined) headers['content-type'] = type;
      else if (route.method !== 'GET') headers['content-type'] = route.requestContentType ?? 'application/json';
      if (key !== undefined && /^[\t\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
      if (p !== undefined) headers['prefer'] = p;
      return headers;
    });
}

/** The string with lone surrogates replaced by U+FFFD, as a client would send it (URLs carry UTF-8). */
const wellFormed = (value: string): string =>
  value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

export function requestArbitrary(context: FuzzContext, routes: readonly RouteSpec[] = ROUTE_TABLE): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...routes).chain((route) => {
    const params = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    return fc
      .record({
        values: fc.tuple(...params.map(() => pathValue(context))),
        query: queryArbitrary(route, context),
        headers: headersArbitrary(route, context),
        body: bodyArbitrary(route, context),
      })
      .map(({ values, query, headers, body }) => {
        let path = route.path;
        params.forEach((name, i) => {
          path = path.replace(`{${name}}`, encodeURIComponent(wellFormed(values[i] ?? '')));
        });
        return { route, path, query, headers, body };
      });
  });
}

/** A digest of everything a request could write: the register table and the Step Functions executions. */
async function fingerprint(doc: DynamoDBDocumentClient, runtime: RuntimeHandles): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: TABLE, ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const executions = runtime.engine
    .machines()
    .map((m) => runtime.engine.executions(m.arn).map((e) => `${e.record.arn}:${e.record.status}`));
  const hash = createHash('sha256');
  hash.update(JSON.stringify(items.map((item) => JSON.stringify(item)).sort()));
  hash.update(JSON.stringify(executions.flat().sort()));
  return hash.digest('hex');
}

/** Waits until nothing more changes: the workflows a successful request started have reached a wait or ended. */
async function quiesce(doc: DynamoDBDocumentClient, runtime: RuntimeHandles): Promise<void> {
  let previous = '';
  for (let round = 0; round < 50; round++) {
    await runtime.functions.settle(2_000);
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = await fingerprint(doc, runtime);
    if (now === previous) return;
    previous = now;
  }
}

/** Sends one request, never waiting longer than `timeoutMs`: 'hang' when it has no answer by then. */
async function send(apiUrl: string, request: FuzzRequest, timeoutMs: number): Promise<number | 'hang' | { transport: string }> {
  const url = new URL(`${apiUrl}${request.path}`);
  for (const [name, value] of request.query) url.searchParams.append(name, value);
  try {
    const response = await fetch(url, {
      method: request.route.method,
      headers: request.headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return 'hang';
    return { transport: error instanceof Error ? `${error.name}: ${String(error.cause ?? error.message).slice(0, 200)}` : 'unknown' };
  }
}

/** The whole app on the local runtime (in memory, simulated clock), seeded, with one application in it. */
export async function startFuzzTarget(): Promise<{ runtime: RuntimeHandles; context: FuzzContext; doc: DynamoDBDocumentClient }> {
  const runtime = await startRuntime({ manifest: appManifest, clock: 'virtual' });
  const doc = documentClient(runtime.dynamodb.client);
  const seed = await loadSeedFile();
  await seedDirectory(doc, TABLE, seed);
  const users: TokenSubject[] = seed.users.map((u) => ({ sub: u.id, org: u.org, role: u.role }));
  const commissioner = users.find((u) => u.org === 'E10000034' && u.role === 'commissioner') ?? users[0];
  const example = Object.values(ROUTE_TABLE.find((r) => r.operationId === 'createApplication')?.examples ?? {})[0];
  const ids = [
    'app_does_not_exist',
    'exp-0000',
    'EXP-0000',
    'p_0',
    ...seed.partnerships.map((p) => p.id),
    ...seed.organisations.map((o) => o.code),
  ];
  if (commissioner !== undefined && example !== undefined) {
    const created = await fetch(`${runtime.api.url}/v1/applications`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${runtime.auth.token(commissioner)}`,
        'content-type': 'application/json',
        'idempotency-key': 'fuzz-seed-1',
      },
      body: JSON.stringify(example),
    });
    const body = (await created.json()) as { id?: string };
    if (typeof body.id === 'string') ids.unshift(body.id);
    await quiesce(doc, runtime);
  }
  return { runtime, doc, context: { ids, users, token: (subject) => runtime.auth.token(subject) } };
}

const FINDINGS_KEPT = 50;

export async function fuzzRoutes(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const perRequest = options.perRequestTimeoutMs ?? 15_000;
  const log = options.log ?? (() => undefined);
  const target = await startFuzzTarget();
  const report: FuzzReport = {
    requests: 0,
    serverErrors: 0,
    hangs: 0,
    writesOnRefused: 0,
    statuses: {},
    seed,
    durationMs: 0,
    findings: [],
  };
  const note = (finding: FuzzFinding) => {
    if (report.findings.length < FINDINGS_KEPT) report.findings.push(finding);
    log(`${finding.kind} ${finding.method} ${finding.route}${finding.status === undefined ? '' : ` ${finding.status}`}: ${finding.detail}`);
  };
  try {
    const arbitrary = requestArbitrary(target.context);
    const batch = 100;
    for (let offset = 0; offset < options.runs; offset += batch) {
      if (options.timeLimitMs !== undefined && Date.now() - started > options.timeLimitMs) break;
      const requests = fc.sample(arbitrary, { numRuns: Math.min(batch, options.runs - offset), seed: seed + offset });
      for (const request of requests) {
        const before = await fingerprint(target.doc, target.runtime);
        const status = await send(target.runtime.api.url, request, perRequest);
        report.requests++;
        const what = { method: request.route.method, route: request.route.path };
        if (typeof status !== 'number') {
          // No answer in time, or the connection dropped without one: either way the server did not answer.
          report.hangs++;
          note({ kind: 'hang', ...what, detail: status === 'hang' ? `no answer within ${perRequest} ms` : status.transport });
          continue;
        }
        const statusClass = `${Math.floor(status / 100)}xx`;
        report.statuses[statusClass] = (report.statuses[statusClass] ?? 0) + 1;
        if (status >= 500) {
          report.serverErrors++;
          note({ kind: 'server-error', ...what, status, detail: describe(request) });
        }
        if (status >= 400) {
          const after = await fingerprint(target.doc, target.runtime);
          if (after !== before) {
            report.writesOnRefused++;
            note({ kind: 'write-on-refused', ...what, status, detail: describe(request) });
            await quiesce(target.doc, target.runtime);
          }
        } else {
          await quiesce(target.doc, target.runtime);
        }
      }
      log(
        `${report.requests} requests, ${report.serverErrors} server errors, ${report.hangs} hangs, ${report.writesOnRefused} writes on refused`,
      );
    }
  } finally {
    await target.runtime.stop();
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** A short description of a request for a finding: the query names, the header names and the body's size and start. */
function describe(request: FuzzRequest): string {
  const body = request.body === undefined ? 'no body' : `body ${request.body.length} chars: ${request.body.slice(0, 160)}`;
  const query = request.query.map(([name, value]) => `${name}=${value.slice(0, 40)}`).join('&');
  return `${request.path.slice(0, 120)}${query === '' ? '' : `?${query}`} headers [${Object.keys(request.headers).join(', ')}] ${body}`;
}
