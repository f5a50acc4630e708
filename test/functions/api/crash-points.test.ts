/**
 * A crash between every pair of writes (issue 12, item 8): the submission path and the response path are run with
 * the process "dying" before its first write, before its second, and so on until a run completes. The death is
 * injected at the ports: once the write budget is spent, that write and every later one throw, as nothing more
 * reaches the stores after a kill -9 (not even the claim's release in the error path). Then the documented recovery
 * runs (the client retries with the same Idempotency-Key or the same answer; reconcile-hand-offs delivers saved
 * answers) and the stores must have converged: nothing lost, nothing twice. This is crash injection at each write
 * boundary on the in-memory twins (held to the DynamoDB adapters by the contract tests), not a kill -9 of a process;
 * test/e2e/hand-off.e2e.test.ts and test/local/restart.test.ts cover the real runtime across a restart.
 */
import { describe, expect, it } from 'vitest';
import { createApplicationRequestSchema } from '#functions/api/create-application.schema.ts';
import { applicationIdFor, createApplication, STALE_CLAIM_MS } from '#functions/api/create-application.use-case.ts';
import { reconcileHandOffs } from '#functions/api/reconcile-hand-offs.use-case.ts';
import { recordApplicationResponse } from '#functions/api/record-response.use-case.ts';
import { application } from '../../support/application-builder.ts';
import { caller, createBody, memoryDeps, type TestDeps } from './support.ts';

class Crash extends Error {
  constructor() {
    super('killed');
    this.name = 'Crash';
  }
}

/** The writes of each port the two paths use. */
const WRITES = {
  applications: ['create', 'save'],
  chronology: ['append'],
  idempotency: ['claim', 'complete', 'reclaim', 'release'],
  workflow: ['start', 'succeed'],
  handOffs: ['put', 'remove'],
  tokens: ['put'],
} as const;

/**
 * Ports that die before write number `budget + 1`: the first `budget` writes go through, then every write throws.
 * Returns the ports for the dying request and a way to count the writes made.
 */
function dyingAfter(deps: TestDeps, budget: number): { ports: TestDeps; writes: () => number; died: () => boolean } {
  let writes = 0;
  let died = false;
  const ports = { ...deps } as Record<string, unknown>;
  for (const [port, methods] of Object.entries(WRITES)) {
    const real = (deps as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>)[port];
    if (real === undefined) continue;
    const writing = new Set<string>(methods);
    const wrapped = new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        if (typeof prop !== 'string' || !writing.has(prop)) return fn.bind(target);
        return async (...args: unknown[]) => {
          if (died || writes >= budget) {
            died = true;
            throw new Crash();
          }
          writes += 1;
          return fn.apply(target, args);
        };
      },
    });
    ports[port] = wrapped;
  }
  return { ports: ports as unknown as TestDeps, writes: () => writes, died: () => died };
}

const later = (deps: TestDeps, ms: number): void => deps.clock.set(new Date(Date.parse(deps.clock.now()) + ms).toISOString());

describe('the submission path, crashed before each of its writes, then retried with the same Idempotency-Key', () => {
  const body = () => createApplicationRequestSchema.parse(createBody());
  const submit = (deps: TestDeps) => createApplication(deps, { caller: caller('LA-A'), idempotencyKey: 'crash-key', body: body() });

  it('converges at every crash point: one application, each chronology entry once, one workflow, the key completed', async () => {
    const points: number[] = [];
    for (let budget = 0; budget < 50; budget += 1) {
      const deps = memoryDeps();
      const dying = dyingAfter(deps, budget);
      const first = await submit(dying.ports).then(
        (r) => r,
        (e: unknown) => e,
      );
      if (!dying.died()) {
        // The run completed: every crash point before it has been tried.
        expect((first as { statusCode: number }).statusCode).toBe(201);
        break;
      }
      expect(first).toBeInstanceOf(Crash);
      points.push(budget);

      // The client retries; a claim left by the dead request is taken over once it is stale.
      later(deps, STALE_CLAIM_MS);
      const retry = await submit(deps);
      const again = await submit(deps);

      const id = applicationIdFor('LA-A', 'crash-key');
      expect([budget, retry.statusCode, again.statusCode]).toStrictEqual([budget, 201, 201]);
      const app = await deps.applications.get(id);
      expect(app?.status).toBe('submitted');
      const entries = await deps.chronology.list(app?.personRef ?? '');
      expect([budget, entries.map((e) => e.type).sort()]).toStrictEqual([budget, ['application-submitted', 'interim-funding-started']]);
      expect(entries.map((e) => e.sequence)).toStrictEqual([1, 2]);
      expect([budget, deps.memory.workflow.starts.map((s) => s.name)]).toStrictEqual([budget, [id]]);
      expect((await deps.applications.listForOrganisation('LA-A', { limit: 10 })).items.map((a) => a.id)).toStrictEqual([id]);
    }
    // Claim, create, two chronology entries, start, complete: a crash before each was tried.
    expect(points).toStrictEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('the response path, crashed before each of its writes, then reconciled and retried', () => {
  const TOKEN = 'token-icb-1';
  const answer = (deps: TestDeps) =>
    recordApplicationResponse(deps, { caller: caller('ICB-A'), id: 'app_1', request: { decision: 'accept' } });

  it('converges at every crash point: the answer saved once, written once, the workflow resumed once, no hand-off left', async () => {
    const points: number[] = [];
    for (let budget = 0; budget < 50; budget += 1) {
      const deps = memoryDeps();
      await deps.applications.create(application());
      await deps.tokens.put({ applicationId: 'app_1', purpose: 'response-icb' }, TOKEN, '2024-06-01T08:00:00.000Z');
      const dying = dyingAfter(deps, budget);
      const first = await answer(dying.ports).then(
        (r) => r,
        (e: unknown) => e,
      );
      if (!dying.died()) {
        expect((first as { statusCode: number }).statusCode).toBe(201);
        break;
      }
      expect(first).toBeInstanceOf(Crash);
      points.push(budget);

      // The reconciler runs (every 5 minutes in AWS, at start locally), and the client, which saw no answer, retries.
      later(deps, 5 * 60_000);
      await reconcileHandOffs(deps, { minAgeMs: 60_000 });
      const retry = await answer(deps);
      later(deps, 5 * 60_000);
      await reconcileHandOffs(deps, { minAgeMs: 60_000 });

      expect([budget, [200, 201].includes(retry.statusCode)]).toStrictEqual([budget, true]);
      const app = await deps.applications.get('app_1');
      expect([budget, app?.responses.icb?.decision, app?.version]).toStrictEqual([budget, 'accept', 2]);
      expect([budget, (await deps.chronology.list('p_test', { applicationId: 'app_1' })).map((e) => e.type)]).toStrictEqual([
        budget,
        ['response-recorded'],
      ]);
      expect([budget, deps.memory.workflow.succeeded]).toStrictEqual([
        budget,
        [{ token: TOKEN, output: { decision: 'accept', about: 'responsibility' } }],
      ]);
      expect([budget, await deps.handOffs.list(10)]).toStrictEqual([budget, []]);
    }
    // Hand-off noted, answer saved, chronology written, workflow resumed, hand-off cleared: a crash before each was tried.
    expect(points).toStrictEqual([0, 1, 2, 3, 4]);
  });
});
