/**
 * 1,000 funding applications through the local runtime (the real manifest: API Gateway stand-in, Lambda
 * handlers, Step Functions, dynalite persisted to a temp folder, SES), from POST to interim or agreed
 * funding. Half need a person (interim at once); half are accepted by both bodies as soon as they are
 * determined. Latency is POST sent → funding seen by a client polling GET every 20 ms, with two
 * applications in flight at a time (one per core).
 * Target: p99 under 500 ms on this machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import { appManifest } from '#lib/app-manifest.ts';
import type { TokenSubject } from '#local/auth.ts';
import { startRuntime } from '#local/runtime.ts';
import { loadSeedFile } from '#local/seed-schema.ts';
import { seedDirectory } from '#local/seed.ts';
import { percentile, type BenchResult } from './bench-result.ts';

const APPLICATIONS = Number(process.env['E2E_APPLICATIONS'] ?? 1_000);
const CONCURRENCY = Number(process.env['E2E_CONCURRENCY'] ?? 2);
/** How often the client polls GET for the outcome; polling is load too, so not too often. */
const POLL_MS = 20;

const worcestershire: TokenSubject = { sub: 'e10000034-commissioner', org: 'E10000034', role: 'commissioner' };
const qgh: TokenSubject = { sub: 'qgh-commissioner', org: 'QGH', role: 'commissioner' };

/** Valid NHS numbers, made by choosing nine digits and computing the modulus 11 check digit. */
function nhsNumber(n: number): string {
  for (let k = n; ; k += 1_000_003) {
    const nine = String(100_000_000 + (k % 800_000_000)).padStart(9, '0');
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
    const check = 11 - (sum % 11);
    if (check !== 10) return `${nine}${check === 11 ? 0 : check}`;
  }
}

function body(i: number): unknown {
  const needsPerson = i % 2 === 1;
  return {
    person: { nhsNumber: nhsNumber(i) },
    facts: {
      id: `bench-${i}`,
      evaluationDate: '2026-11-20',
      events: [
        {
          type: 'residence',
          from: '2016-05-01',
          area: { country: 'england', la: 'E10000034', icb: 'QGH' },
          setting: 'own-home',
          basis: needsPerson ? 'unknown' : 'own-choice',
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

export async function run(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 's117-bench-e2e-'));
  const runtime = await startRuntime({ manifest: appManifest, dataDir, log: () => undefined });
  const silence = process.stdout.write.bind(process.stdout);
  try {
    await seedDirectory(documentClient(runtime.dynamodb.client), 'Register', await loadSeedFile());
    const tokens = new Map<string, string>();
    const auth = (who: TokenSubject) => {
      let t = tokens.get(who.org);
      if (t === undefined) tokens.set(who.org, (t = runtime.auth.token(who)));
      return `Bearer ${t}`;
    };
    const api = async (method: string, path: string, who: TokenSubject, payload?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${runtime.api.url}${path}`, {
        method,
        headers: { authorization: auth(who), ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    // The handlers log one line per request; keep the bench's own output readable.
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
      String(chunk).startsWith('{"level"') ? true : silence(chunk as string, ...(rest as []))) as typeof process.stdout.write;

    const latencies: number[] = [];
    let next = 0;
    const outcomes = { agreed: 0, interim: 0 };
    const started = performance.now();
    const worker = async () => {
      for (let i = next++; i < APPLICATIONS; i = next++) {
        const t0 = performance.now();
        const created = await api('POST', '/v1/applications', worcestershire, body(i), { 'idempotency-key': `bench-${i}` });
        if (created.status !== 201) throw new Error(`POST answered ${created.status}`);
        const id = String(created.body['id']);
        let answered = false;
        for (;;) {
          const app = (await api('GET', `/v1/applications/${id}`, worcestershire)).body;
          const status = String(app['status']);
          if (status === 'agreed' || status === 'interim') {
            latencies.push(performance.now() - t0);
            outcomes[status] += 1;
            break;
          }
          if (status === 'awaiting-responses' && !answered) {
            answered = true;
            await Promise.all([
              api('POST', `/v1/applications/${id}/responses`, qgh, { decision: 'accept' }),
              api('POST', `/v1/applications/${id}/responses`, worcestershire, { decision: 'accept' }),
            ]);
            continue;
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write = silence;
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    process.stdout.write(
      [
        `e2e: ${APPLICATIONS} applications, ${CONCURRENCY} at a time, POST to funding (${outcomes.agreed} agreed after both accepted, ${outcomes.interim} interim because a person must decide)`,
        `e2e: p50 ${p50.toFixed(0)} ms · p99 ${p99.toFixed(0)} ms · max ${(latencies.at(-1) ?? Number.NaN).toFixed(0)} ms · ${(APPLICATIONS / seconds).toFixed(1)} applications/s`,
        `e2e: target p99 < 500 ms: ${p99 < 500 ? 'met' : 'NOT met'}`,
        '',
      ].join('\n'),
    );
    return {
      bench: 'e2e',
      p50Ms: Math.round(p50),
      p99Ms: Math.round(p99),
      applicationsPerSecond: Math.round((APPLICATIONS / seconds) * 10) / 10,
    };
  } finally {
    process.stdout.write = silence;
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
