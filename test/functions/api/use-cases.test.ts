/** The use-cases over the in-memory ports: idempotency races and crashes, and optimistic retries on responses. */
import { beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import type { Application } from '#domain/applications/application.ts';
import { canonicalJson, sha256Hex } from '#functions/api/canonical-json.ts';
import { createApplicationRequestSchema } from '#functions/api/create-application.schema.ts';
import { applicationIdFor, createApplication, withLineIds } from '#functions/api/create-application.use-case.ts';
import { recordApplicationResponse } from '#functions/api/record-response.use-case.ts';
import { application } from '../../support/application-builder.ts';
import { caller, createBody, memoryDeps, type TestDeps } from './support.ts';

let deps: TestDeps;
beforeEach(() => {
  deps = memoryDeps();
});

const body = () => createApplicationRequestSchema.parse(createBody());
const KEY = 'key-1';

describe('createApplication', () => {
  it('answers 409 while the first attempt with the key is still running', async () => {
    await deps.idempotency.claim('LA-A', KEY, sha256Hex(canonicalJson(body())), '2024-06-01T08:59:30.000Z');

    await expect(createApplication(deps, { caller: caller('LA-A'), idempotencyKey: KEY, body: body() })).rejects.toMatchObject({
      name: 'ProblemError',
      status: 409,
    });
    expect(deps.memory.workflow.starts).toStrictEqual([]);
  });

  it("takes over a claim older than 60 seconds and converges on the crashed attempt's application", async () => {
    const first = await createApplication(deps, { caller: caller('LA-A'), idempotencyKey: KEY, body: body() });
    const crashed = memoryDeps();
    const stored = await deps.applications.get(applicationIdFor('LA-A', KEY));
    if (stored === null) throw new Error('not created');
    await crashed.applications.create(stored);
    await crashed.idempotency.claim('LA-A', KEY, sha256Hex(canonicalJson(body())), '2024-06-01T08:58:00.000Z');

    const retried = await createApplication(crashed, { caller: caller('LA-A'), idempotencyKey: KEY, body: body() });

    expect(retried).toStrictEqual(first);
    expect(crashed.memory.workflow.starts.map((s) => s.name)).toStrictEqual([stored.id]);
    expect((await crashed.chronology.list(stored.personRef)).map((e) => e.type)).toStrictEqual([
      'application-submitted',
      'interim-funding-started',
    ]);
  });

  it('keeps only a hash of the body and the id it made in the idempotency record, never the NHS number or name', async () => {
    await createApplication(deps, { caller: caller('LA-A'), idempotencyKey: KEY, body: body() });

    expect(await deps.idempotency.claim('LA-A', KEY, 'probe', '2024-06-01T09:00:01.000Z')).toStrictEqual({
      claimed: false,
      record: {
        requestHash: sha256Hex(canonicalJson(body())),
        status: 'completed',
        startedAt: '2024-06-01T09:00:00.000Z',
        response: { statusCode: 201, resourceId: applicationIdFor('LA-A', KEY) },
      },
    });
  });

  it('refuses a key reused with a different body after 24 hours with 422, and replays the same body', async () => {
    const first = await createApplication(deps, { caller: caller('LA-A'), idempotencyKey: KEY, body: body() });
    deps.clock.set('2024-06-03T09:00:00.000Z');
    const changed = { ...body(), requestedStartDate: '2024-06-17' };

    await expect(createApplication(deps, { caller: caller('LA-A'), idempotencyKey: KEY, body: changed })).rejects.toMatchObject({
      status: 422,
      errors: [{ field: 'headers.idempotency-key', message: 'was already used with a different body' }],
    });
    expect(await createApplication(deps, { caller: caller('LA-A'), idempotencyKey: KEY, body: body() })).toStrictEqual(first);
    expect(deps.memory.workflow.starts).toHaveLength(1);
  });

  it('refuses a different body with 422 even when the first attempt died and its claim lapsed after 24 hours', async () => {
    const first = await createApplication(deps, { caller: caller('LA-A'), idempotencyKey: KEY, body: body() });
    const lapsed = memoryDeps();
    const stored = await deps.applications.get(applicationIdFor('LA-A', KEY));
    if (stored === null) throw new Error('not created');
    await lapsed.applications.create(stored);
    await lapsed.idempotency.claim('LA-A', KEY, sha256Hex(canonicalJson(body())), '2024-06-01T09:00:00.000Z');
    lapsed.clock.set('2024-06-02T09:00:00.000Z');
    const changed = { ...body(), requestedStartDate: '2024-06-17' };

    await expect(createApplication(lapsed, { caller: caller('LA-A'), idempotencyKey: KEY, body: changed })).rejects.toMatchObject({
      status: 422,
    });
    expect(lapsed.memory.workflow.starts).toStrictEqual([]);
    expect(await createApplication(lapsed, { caller: caller('LA-A'), idempotencyKey: KEY, body: body() })).toStrictEqual(first);
  });

  it('derives the id from the organisation and the key alone', () => {
    expect(applicationIdFor('LA-A', KEY)).toMatch(/^app_[a-z2-7]{20}$/);
    expect(applicationIdFor('LA-A', KEY)).not.toBe(applicationIdFor('LA-B', KEY));
    expect(applicationIdFor('LA-A', KEY)).toBe(applicationIdFor('LA-A', KEY));
  });

  it('numbers lines without ids around the ids the client chose', () => {
    const line = { description: 'd', provider: 'p', category: 'health' as const, s117: true, weeklyCostPence: 1, startDate: '2024-06-10' };

    expect(withLineIds([line, { ...line, id: 'line-1' }, line]).map((l) => l.id)).toStrictEqual(['line-2', 'line-1', 'line-3']);
  });
});

describe('recordApplicationResponse', () => {
  it('re-reads and retries when another write lands between read and save', async () => {
    const app = application();
    await deps.applications.create(app);
    const save = deps.applications.save.bind(deps.applications);
    let interfered = false;
    deps.applications.save = async (next: Application) => {
      if (!interfered) {
        interfered = true;
        const current = await deps.applications.get(app.id);
        if (current !== null) await save({ ...current, version: current.version + 1, meetingNeedsNow: 'LA-A' });
      }
      return save(next);
    };

    const result = await recordApplicationResponse(deps, { caller: caller('ICB-A'), id: app.id, request: { decision: 'accept' } });

    expect(result.statusCode).toBe(201);
    const saved = await deps.applications.get(app.id);
    expect([saved?.version, saved?.meetingNeedsNow, saved?.responses.icb?.decision]).toStrictEqual([3, 'LA-A', 'accept']);
  });

  it.each([
    { name: 'unknown to the directory', proposedBody: 'LA-ZZZ' },
    { name: 'of another partnership only', proposedBody: 'LA-N' },
    { name: 'of no partnership', proposedBody: 'LA-NONE' },
  ])('answers 422 naming body.proposedBody for a proposed council $name, and saves nothing', async ({ proposedBody }) => {
    const app = application({ status: 'awaiting-responses' });
    await deps.applications.create(app);

    const attempt = recordApplicationResponse(deps, {
      caller: caller('LA-A'),
      id: app.id,
      request: { decision: 'dispute', reason: 'She lived elsewhere.', proposedBody },
    });

    await expect(attempt).rejects.toMatchObject({
      name: 'ProblemError',
      status: 422,
      errors: [{ field: 'body.proposedBody', message: "is not an organisation of the application's partnership" }],
    });
    expect([(await deps.applications.get(app.id))?.parties, await deps.chronology.list(app.personRef)]).toStrictEqual([app.parties, []]);
  });

  it('records a dispute naming a council of the partnership, which becomes a party', async () => {
    const app = application({ status: 'awaiting-responses' });
    await deps.applications.create(app);

    const result = await recordApplicationResponse(deps, {
      caller: caller('LA-A'),
      id: app.id,
      request: { decision: 'dispute', reason: 'She lived in LA-B.', proposedBody: 'LA-B' },
    });

    expect([result.statusCode, (await deps.applications.get(app.id))?.parties]).toStrictEqual([201, [...app.parties, 'LA-B']]);
  });

  it('gives up with ConcurrentUpdateError after four conflicting attempts', async () => {
    const app = application();
    await deps.applications.create(app);
    deps.applications.save = async () => {
      throw new ConcurrentUpdateError();
    };

    await expect(recordApplicationResponse(deps, { caller: caller('ICB-A'), id: app.id, request: { decision: 'accept' } })).rejects.toThrow(
      ConcurrentUpdateError,
    );
  });
});
