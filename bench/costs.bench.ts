/**
 * What a funding application costs to run in AWS, from counts measured in the local runtime (the real manifest:
 * API Gateway stand-in, the Lambda handlers, Step Functions, dynalite, SES). COSTS_APPLICATIONS applications per
 * path run one at a time, so every request between an application's POST and the end of its execution is its own:
 *   agreed:   POST, both bodies accept, agreed funding, the submitter reads the outcome once (GET);
 *   disputed: POST, the council disputes, interim without-prejudice funding, the submitter reads it once (GET).
 * Counted per application:
 *   - Step Functions state transitions: the *StateEntered events of GetExecutionHistory (what AWS bills);
 *   - Lambda invocations and durations: every manifest function wrapped in runtime.functions (API and workflow);
 *   - DynamoDB requests by operation, and their request units: requests to the local DynamoDB server on the
 *     register table (node:diagnostics_channel 'http.server.request.start'), each asked for ReturnConsumedCapacity
 *     so dynalite reports units as DynamoDB sizes them (writes per 1 KB of the larger of old and new item, reads
 *     per 4 KB, eventually consistent at half); plus the writes to each global secondary index an item is in;
 *   - SES sends and HTTP API requests, at their servers.
 * The bench's own polling (its own DynamoDB client, marked by its user agent, and Step Functions calls) is not counted.
 * One warm-up application per path is run first and not counted (clients are built on first use).
 * Then one register episode's review schedule runs for COSTS_REVIEW_YEARS years on the virtual clock (a chain of
 * executions, one per review obligation and none longer than the bound, issue 15): each review is held on the day it
 * is reminded; everything from the episode's first wait to the end is counted, and divided by the years.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { DynamoApplicationStore } from '#functions/adapters/dynamodb/applications.ts';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import { executionArnFor } from '#functions/adapters/types.ts';
import { appManifest } from '#lib/app-manifest.ts';
import { loadStageConfig } from '#lib/config.ts';
import type { TokenSubject } from '#local/auth.ts';
import type { VirtualClock } from '#local/clock.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { loadSeedFile } from '#local/seed-schema.ts';
import { seedDirectory } from '#local/seed.ts';
import type { LambdaHandler } from '#local/sfn/lambda.ts';
import { z } from 'zod';
import type { BenchResult } from './bench-result.ts';

const APPLICATIONS = Number(process.env['COSTS_APPLICATIONS'] ?? 20);
/** Years of one episode's review schedule driven on the virtual clock (issue 15 item 6). */
const REVIEW_YEARS = Number(process.env['COSTS_REVIEW_YEARS'] ?? 3);
const DAY_MS = 86_400_000;
const BENCH_AGENT = 's117-cost-bench';
const TABLE = 'Register';
/** An application is done when nothing has run for this long after its funding workflow ended. */
const QUIET_MS = 250;

/**
 * The price list: bench/prices/<region>.json (the stage's region, eu-west-2), naming each price's source page, the
 * date it was read and whether the page gave that region's figure. A price the bench needs without a value fails here.
 */
const priceSchema = z.object({
  what: z.string(),
  value: z.number().positive().nullable(),
  'eu-west-2': z.boolean(),
  source: z.url(),
  evidence: z.string().optional(),
  notFound: z.string().optional(),
});
const NEEDED = [
  'stateTransition',
  'lambdaGbSecondArm',
  'lambdaRequest',
  'writeRequestUnit',
  'readRequestUnit',
  'sesMessage',
  'httpApiRequest',
] as const;
export const priceListSchema = z.object({
  region: z.string(),
  currency: z.literal('USD'),
  read: z.iso.date(),
  prices: z.record(z.string(), priceSchema),
});
export const PRICE_LIST_FILE = join(import.meta.dirname, 'prices', `${loadStageConfig('prod').region}.json`);
export const priceList = priceListSchema.parse(JSON.parse(readFileSync(PRICE_LIST_FILE, 'utf8')));

/** The prices the cost per application uses (USD per unit), from the price list. */
export const PRICES = Object.fromEntries(
  NEEDED.map((name) => {
    const value = priceList.prices[name]?.value;
    if (value === undefined || value === null) throw new Error(`${PRICE_LIST_FILE}: the cost model needs a value for '${name}'`);
    return [name, value];
  }),
) as Record<(typeof NEEDED)[number], number>;

/** The prices used that are not the region's own figure (the price list says why). */
export const notRegional = NEEDED.filter((name) => priceList.prices[name]?.['eu-west-2'] !== true);

/** Each function's memory as deployed (prod): its manifest entry, else the stage default. */
const memoryMb = (name: string): number =>
  appManifest.functions.find((f) => f.name === name)?.memoryMb ?? loadStageConfig('prod').lambda.memoryMb;

interface Counts {
  transitions: number;
  /** Of which in workflows the application's workflow started (e.g. the dispute workflow), up to where they wait. */
  otherTransitions: number;
  lambda: Map<string, { invocations: number; billedMs: number }>;
  dynamo: Map<string, { requests: number; units: number }>;
  /** Writes to global secondary indexes (not reported by dynalite). */
  indexWriteUnits: number;
  /** Conditional writes refused (DynamoDB still charges them). */
  conditionalFailures: number;
  ses: number;
  api: number;
}

const emptyCounts = (): Counts => ({
  transitions: 0,
  otherTransitions: 0,
  lambda: new Map(),
  dynamo: new Map(),
  indexWriteUnits: 0,
  conditionalFailures: 0,
  ses: 0,
  api: 0,
});

const READS = new Set(['GetItem', 'Query']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

interface Priced {
  transitions: number;
  otherTransitions: number;
  invocations: number;
  lambdaBilledMs: number;
  gbSeconds: number;
  dynamoRequests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  ses: number;
  api: number;
  cost: { stepFunctions: number; lambda: number; dynamodb: number; ses: number; api: number; total: number };
}

function price(c: Counts): Priced {
  let invocations = 0;
  let billedMs = 0;
  let gbSeconds = 0;
  for (const [name, l] of c.lambda) {
    invocations += l.invocations;
    billedMs += l.billedMs;
    gbSeconds += (memoryMb(name) / 1024) * (l.billedMs / 1000);
  }
  let readUnits = 0;
  let writeUnits = c.indexWriteUnits + c.conditionalFailures;
  const dynamoRequests: Record<string, number> = {};
  for (const [op, d] of c.dynamo) {
    dynamoRequests[op] = d.requests;
    if (READS.has(op)) readUnits += d.units;
    else writeUnits += d.units;
  }
  const cost = {
    stepFunctions: c.transitions * PRICES.stateTransition,
    lambda: gbSeconds * PRICES.lambdaGbSecondArm + invocations * PRICES.lambdaRequest,
    dynamodb: readUnits * PRICES.readRequestUnit + writeUnits * PRICES.writeRequestUnit,
    ses: c.ses * PRICES.sesMessage,
    api: c.api * PRICES.httpApiRequest,
    total: 0,
  };
  cost.total = cost.stepFunctions + cost.lambda + cost.dynamodb + cost.ses + cost.api;
  return {
    transitions: c.transitions,
    otherTransitions: c.otherTransitions,
    invocations,
    lambdaBilledMs: billedMs,
    gbSeconds,
    dynamoRequests,
    readUnits,
    writeUnits,
    ses: c.ses,
    api: c.api,
    cost,
  };
}

/** Counts the servers' traffic into `sink()` (the current application's counts, or undefined between them). */
function instrument(runtime: RuntimeHandles, sink: () => Counts | undefined, activity: { at: number }): () => void {
  const lastIndexKey = new Map<string, unknown>();
  const onRequest = (message: unknown): void => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const port = request.socket.localPort;
    if (port === runtime.api.port || port === runtime.ses.port || port === runtime.dynamodb.port) activity.at = performance.now();
    const agent = `${String(request.headers['user-agent'] ?? '')} ${String(request.headers['x-amz-user-agent'] ?? '')}`;
    if (port === runtime.api.port) {
      const counts = sink();
      if (counts !== undefined && !(request.url ?? '').startsWith('/health')) counts.api += 1;
      return;
    }
    if (port === runtime.ses.port) {
      const counts = sink();
      if (counts !== undefined && request.method === 'POST' && (request.url ?? '').startsWith('/v2/email/outbound-emails')) counts.ses += 1;
      return;
    }
    if (port !== runtime.dynamodb.port || agent.includes(BENCH_AGENT)) return;
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (!READS.has(operation) && !WRITES.has(operation)) return;
    // Ask dynalite for the units it would charge: rewrite the body before its handler reads it.
    const chunks: Buffer[] = [];
    const emit = request.emit.bind(request) as (event: string | symbol, ...args: unknown[]) => boolean;
    let input: Record<string, unknown> = {};
    request.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
      if (event === 'data') {
        chunks.push(args[0] as Buffer);
        return true;
      }
      if (event === 'end') {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        if (input['TableName'] === TABLE) emit('data', Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' })));
        else if (chunks.length > 0) emit('data', Buffer.concat(chunks));
        return emit('end');
      }
      return emit(event, ...args);
    }) as typeof request.emit;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.end = ((...args: unknown[]): ServerResponse => {
      const counts = sink();
      if (counts !== undefined && input['TableName'] === TABLE && typeof args[0] === 'string') {
        const output = JSON.parse(args[0]) as { ConsumedCapacity?: { CapacityUnits?: number }; __type?: string };
        const entry = counts.dynamo.get(operation) ?? { requests: 0, units: 0 };
        entry.requests += 1;
        entry.units += output.ConsumedCapacity?.CapacityUnits ?? 0;
        counts.dynamo.set(operation, entry);
        if (output.__type?.endsWith('ConditionalCheckFailedException') === true) counts.conditionalFailures += 1;
        const units = output.ConsumedCapacity?.CapacityUnits ?? 0;
        const item = input['Item'] as Record<string, { S?: string }> | undefined;
        if (operation === 'PutItem' && item !== undefined && output.__type === undefined) {
          // An item in an index (ALL projection) is written there too; an index key that changes is a delete and a put.
          const key = `${item['pk']?.S ?? ''}|${item['sk']?.S ?? ''}`;
          for (const index of ['gsi1pk', 'gsi2pk']) {
            if (item[index] === undefined) continue;
            const before = lastIndexKey.get(`${key}|${index}`);
            counts.indexWriteUnits += units * (before !== undefined && before !== item[index].S ? 2 : 1);
            lastIndexKey.set(`${key}|${index}`, item[index].S);
          }
        }
      }
      return end(...args);
    }) as typeof response.end;
  };
  subscribe('http.server.request.start', onRequest);
  return () => unsubscribe('http.server.request.start', onRequest);
}

/** Wraps every manifest function so each invocation (from the API or a state machine) is counted and timed. */
function wrapFunctions(runtime: RuntimeHandles, sink: () => Counts | undefined, inFlight: { n: number }, activity: { at: number }): void {
  for (const fn of appManifest.functions) {
    const handler = runtime.functions.get(fn.name);
    const wrapped: LambdaHandler = async (event, context) => {
      const started = performance.now();
      activity.at = started;
      inFlight.n += 1;
      try {
        return await handler(event, context);
      } finally {
        inFlight.n -= 1;
        activity.at = performance.now();
        const counts = sink();
        if (counts !== undefined) {
          const entry = counts.lambda.get(fn.name) ?? { invocations: 0, billedMs: 0 };
          entry.invocations += 1;
          entry.billedMs += Math.ceil(performance.now() - started);
          counts.lambda.set(fn.name, entry);
        }
      }
    };
    runtime.functions.register(fn.name, {
      handler: wrapped,
      ...(fn.timeoutSeconds === undefined ? {} : { timeoutSeconds: fn.timeoutSeconds }),
      ...(fn.memoryMb === undefined ? {} : { memoryMb: fn.memoryMb }),
    });
  }
}

const worcestershire: TokenSubject = { sub: 'e10000034-commissioner', org: 'E10000034', role: 'commissioner' };
const qgh: TokenSubject = { sub: 'qgh-commissioner', org: 'QGH', role: 'commissioner' };

/** Valid NHS numbers (modulus 11), distinct per application. */
function nhsNumber(n: number): string {
  for (let k = n * 7919 + 11; ; k += 1_000_003) {
    const nine = String(100_000_000 + (k % 800_000_000)).padStart(9, '0');
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
    const check = 11 - (sum % 11);
    if (check !== 10) return `${nine}${check === 11 ? 0 : check}`;
  }
}

function applicationBody(i: number): unknown {
  return {
    person: { nhsNumber: nhsNumber(i) },
    facts: {
      id: `costs-${i}`,
      evaluationDate: '2026-11-20',
      events: [
        {
          type: 'residence',
          from: '2016-05-01',
          area: { country: 'england', la: 'E10000034', icb: 'QGH' },
          setting: 'own-home',
          basis: 'own-choice',
        },
        { type: 'gp-registration', from: '2016-05-01', icb: 'QGH' },
        { type: 'detention', from: '2026-09-02', section: '3' },
      ],
    },
    carePlan: {
      serviceLines: [
        {
          description: 'Supported living',
          provider: 'Severn Support Ltd',
          category: 'accommodation',
          s117: true,
          weeklyCostPence: 142_000,
          startDate: '2026-11-30',
        },
      ],
    },
    requestedStartDate: '2026-11-30',
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`costs: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

type Path = 'agreed' | 'disputed';

export async function run(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 's117-bench-costs-'));
  // The virtual clock: a dispute's stages wait for weeks; nothing counted here waits on the clock. (Task timeouts of
  // executions left waiting still hold real timers after stop; bench/run.ts exits once every bench has printed.)
  const runtime = await startRuntime({ manifest: appManifest, dataDir, clock: 'virtual', log: () => undefined });
  let current: Counts | undefined;
  const inFlight = { n: 0 };
  const activity = { at: 0 };
  const stopCounting = instrument(runtime, () => current, activity);
  wrapFunctions(runtime, () => current, inFlight, activity);
  const silence = process.stdout.write.bind(process.stdout);
  const client = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, customUserAgent: BENCH_AGENT };
  const sfn = new SFNClient({ ...client, endpoint: runtime.sfn.url });
  const dynamodb = new DynamoDBClient({ ...client, endpoint: runtime.dynamodb.url });
  const applications = new DynamoApplicationStore(documentClient(dynamodb), TABLE);
  const machineArn = runtime.resolve('state-machine:funding-application');
  const otherMachines = appManifest.stateMachines
    .filter((m) => m.name !== 'funding-application')
    .map((m) => runtime.resolve(`state-machine:${m.name}`));
  const statesEntered = async (executionArn: string): Promise<number> => {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken === undefined ? {} : { nextToken }) }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return events.filter((e) => e.type?.endsWith('StateEntered') === true).length;
  };
  try {
    await seedDirectory(documentClient(dynamodb), TABLE, await loadSeedFile());
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
      String(chunk).startsWith('{"level"') ? true : silence(chunk as string, ...(rest as []))) as typeof process.stdout.write;
    const api = async (method: string, path: string, who: TokenSubject, payload?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${runtime.api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${runtime.auth.token(who)}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    let serial = 0;
    const one = async (path: Path): Promise<Counts> => {
      const counts = emptyCounts();
      current = counts;
      const i = serial++;
      const created = await api('POST', '/v1/applications', worcestershire, applicationBody(i), { 'idempotency-key': `costs-${i}` });
      if (created.status !== 201) throw new Error(`costs: POST answered ${created.status}`);
      const id = String(created.body['id']);
      await until('the determination', async () => ((await applications.get(id))?.status === 'awaiting-responses' ? true : undefined));
      if (path === 'agreed') {
        for (const who of [qgh, worcestershire]) {
          const answered = await api('POST', `/v1/applications/${id}/responses`, who, { decision: 'accept' });
          if (answered.status !== 201) throw new Error(`costs: response answered ${answered.status}`);
        }
      } else {
        const answered = await api('POST', `/v1/applications/${id}/responses`, worcestershire, {
          decision: 'dispute',
          reason: 'She lived in Swindon',
          proposedBody: 'E06000030',
        });
        if (answered.status !== 201) throw new Error(`costs: dispute answered ${answered.status}`);
      }
      const executionArn = executionArnFor(machineArn, id);
      await until('the execution to end', async () => {
        const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        return status === 'RUNNING' ? undefined : status;
      });
      // Quiet: nothing in flight and no request for QUIET_MS (a workflow it started now waits on a callback or a clock).
      await until('the application to go quiet', async () =>
        inFlight.n === 0 && performance.now() - activity.at > QUIET_MS ? true : undefined,
      );
      const seen = await api('GET', `/v1/applications/${id}`, worcestershire);
      const funding = (seen.body['funding'] as { state?: string } | undefined)?.state;
      if (funding !== (path === 'agreed' ? 'agreed' : 'interim'))
        throw new Error(`costs: application ${id} ended ${String(seen.body['status'])} with funding ${String(funding)}`);
      await until('the GET to finish', async () => (inFlight.n === 0 ? true : undefined));
      current = undefined;
      let others = 0;
      // Executions it started are named after it (e.g. `dispute-<application id>`).
      for (const stateMachineArn of otherMachines) {
        const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }));
        for (const e of executions)
          if (e.name?.includes(id) === true && e.executionArn !== undefined) others += await statesEntered(e.executionArn);
      }
      counts.otherTransitions = others;
      counts.transitions = (await statesEntered(executionArn)) + others;
      return counts;
    };

    const quiet = () =>
      until('the runtime to go quiet', async () => (inFlight.n === 0 && performance.now() - activity.at > QUIET_MS ? true : undefined));

    /** One episode's reviews for REVIEW_YEARS years: its counts (all years) and how many executions the chain ran. */
    const reviewYears = async (): Promise<{ counts: Counts; executions: number }> => {
      const clock = runtime.clock as VirtualClock;
      const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
      const t0 = dayOf(clock.now());
      const created = await api('POST', '/v1/register/people', worcestershire, {
        nhsNumber: nhsNumber(10_000),
        events: [
          {
            type: 'residence',
            from: '2018-01-01',
            area: { country: 'england', la: 'E10000034', icb: 'QGH' },
            setting: 'own-home',
            basis: 'own-choice',
          },
          { type: 'gp-registration', from: '2018-01-01', icb: 'QGH' },
          { type: 'detention', from: dayOf(clock.now() - 60 * DAY_MS), section: '3' },
          { type: 'detention-ended', date: t0, outcome: 'discharged' },
          { type: 'left-hospital', date: t0 },
        ],
      });
      if (created.status !== 201) throw new Error(`costs: POST /v1/register/people answered ${created.status}`);
      const episode = `${String(created.body['personRef'])}-e1`;
      await quiet();
      const counts = emptyCounts();
      current = counts;
      const end = clock.now() + REVIEW_YEARS * 365 * DAY_MS;
      while (clock.now() < end) {
        const timer = await until('the review schedule to wait', async () =>
          clock.pending().find((t) => t.label.includes(`:review-${episode}-`) && t.label.endsWith(' wait')),
        );
        clock.advance(Math.max(0, timer.dueAt - clock.now()));
        await quiet();
        if (timer.label.split(' ').at(-2) === 'WaitUntilReminder') {
          const held = await api('POST', `/v1/register/episodes/${episode}/reviews`, worcestershire, {
            date: dayOf(clock.now()),
            outcome: 'continue',
            personTookPart: true,
            participants: [{ name: 'Care coordinator', role: 'care coordinator' }],
          });
          if (held.status !== 201) throw new Error(`costs: a review answered ${held.status}`);
          await quiet();
        }
      }
      current = undefined;
      const reviewMachine = runtime.resolve('state-machine:review-schedule');
      const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: reviewMachine, maxResults: 1000 }));
      const chain = executions.filter((e) => e.name?.includes(episode) === true && e.executionArn !== undefined);
      for (const e of chain) counts.transitions += await statesEntered(e.executionArn ?? '');
      return { counts, executions: chain.length };
    };

    const results: Record<Path, Priced[]> = { agreed: [], disputed: [] };
    for (const path of ['agreed', 'disputed'] as const) {
      await one(path); // warm-up: not counted
      for (let n = 0; n < APPLICATIONS; n++) results[path].push(price(await one(path)));
    }
    const reviews = await reviewYears();
    const perYear = price(reviews.counts);
    process.stdout.write = silence;
    const table = summarise(results);
    const reviewLines = [
      `costs: one episode's review schedule for ${REVIEW_YEARS} years on the virtual clock, each review held when reminded: ${reviews.executions} executions, ${perYear.transitions} state transitions, ${perYear.invocations} Lambda invocations, ${perYear.ses} mails, ${perYear.readUnits.toFixed(1)} RRU / ${perYear.writeUnits} WRU, ${perYear.api} API requests (the reviews recorded)`,
      `costs: review schedule per episode-year: $${(perYear.cost.total / REVIEW_YEARS).toFixed(6)} (Step Functions $${(perYear.cost.stepFunctions / REVIEW_YEARS).toFixed(6)} at $${PRICES.stateTransition} a transition); per 1,000 episode-years $${((perYear.cost.total / REVIEW_YEARS) * 1000).toFixed(3)}`,
      '',
    ];
    process.stdout.write([...table.lines, ...reviewLines].join('\n'));
    return {
      bench: 'costs',
      agreedUsdPer1000: table.per1000.agreed,
      disputedUsdPer1000: table.per1000.disputed,
      agreedTransitions: table.median.agreed.transitions,
      disputedTransitions: table.median.disputed.transitions,
      reviewUsdPer1000EpisodeYears: Number(((perYear.cost.total / REVIEW_YEARS) * 1000).toFixed(3)),
      reviewTransitionsPerEpisodeYear: Number((perYear.transitions / REVIEW_YEARS).toFixed(1)),
      reviewExecutions: reviews.executions,
    };
  } finally {
    process.stdout.write = silence;
    stopCounting();
    sfn.destroy();
    dynamodb.destroy();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

/** The median application of each path (each figure its own median), as a table. */
function summarise(results: Record<Path, Priced[]>) {
  const pick = (path: Path, f: (p: Priced) => number) => median(results[path].map(f));
  const ops = [...new Set(Object.values(results).flatMap((rs) => rs.flatMap((r) => Object.keys(r.dynamoRequests))))].sort();
  const rows: [string, (p: Priced) => number, number][] = [
    ['Step Functions state transitions', (p) => p.transitions, 0],
    ['  of which in workflows it started', (p) => p.otherTransitions, 0],
    ['Lambda invocations', (p) => p.invocations, 0],
    ['Lambda billed ms (sum, measured locally)', (p) => p.lambdaBilledMs, 0],
    ['Lambda GB-s (512 MB, arm64)', (p) => p.gbSeconds, 3],
    ...ops.map((op): [string, (p: Priced) => number, number] => [`DynamoDB ${op} requests`, (p) => p.dynamoRequests[op] ?? 0, 0]),
    ['DynamoDB read request units', (p) => p.readUnits, 1],
    ['DynamoDB write request units (incl. indexes)', (p) => p.writeUnits, 0],
    ['SES messages', (p) => p.ses, 0],
    ['HTTP API requests', (p) => p.api, 0],
    ['$ Step Functions', (p) => p.cost.stepFunctions, 6],
    ['$ Lambda', (p) => p.cost.lambda, 6],
    ['$ DynamoDB', (p) => p.cost.dynamodb, 6],
    ['$ SES', (p) => p.cost.ses, 6],
    ['$ HTTP API', (p) => p.cost.api, 6],
    ['$ per application', (p) => p.cost.total, 6],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const lines = [
    `costs: ${APPLICATIONS} applications per path through the local runtime, one at a time; median per application`,
    `costs: prices ${priceList.region} (${priceList.currency}) read ${priceList.read} from bench/prices/${priceList.region}.json; not the region's own figure (see its notFound): ${notRegional.join(', ') || 'none'}`,
    `${''.padEnd(width)}  ${'agreed'.padStart(10)}  ${'disputed'.padStart(10)}`,
    ...rows.map(
      ([label, f, digits]) =>
        `${label.padEnd(width)}  ${pick('agreed', f).toFixed(digits).padStart(10)}  ${pick('disputed', f).toFixed(digits).padStart(10)}`,
    ),
  ];
  const per1000 = {
    agreed: Number((pick('agreed', (p) => p.cost.total) * 1000).toFixed(3)),
    disputed: Number((pick('disputed', (p) => p.cost.total) * 1000).toFixed(3)),
  };
  lines.push(`costs: per 1,000 applications: agreed $${per1000.agreed.toFixed(3)}, disputed $${per1000.disputed.toFixed(3)}`, '');
  const medianOf = (path: Path) => ({ transitions: pick(path, (p) => p.transitions) });
  return { lines, per1000, median: { agreed: medianOf('agreed'), disputed: medianOf('disputed') } };
}
