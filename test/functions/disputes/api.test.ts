/**
 * The dispute routes' handlers over the tests' composition root (memoryPorts installed with usePorts): who may
 * read and record, 404 for organisations that are not parties, 400s that name the field.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { classifyDispute, openDispute, transition } from '#domain/disputes/dispute.ts';
import { DEFAULT_DISPUTE_SETTINGS } from '#domain/disputes/settings.ts';
import { interimArrangement } from '#domain/funding/funding-decisions.ts';
import { memoryPorts, type MemoryPorts } from '#functions/adapters/memory/index.ts';
import { usePorts } from '#functions/adapters/root.ts';
import { handler as get } from '#functions/disputes/get-dispute.handler.ts';
import { handler as pack } from '#functions/disputes/get-referral-pack.handler.ts';
import { handler as record } from '#functions/disputes/record-dispute-outcome.handler.ts';
import { disputeSettingsSchema } from '#functions/disputes/settings.schema.ts';
import { resetEnv } from '#functions/shared/env.ts';
import { parseSeed } from '#local/seed-schema.ts';
import { context } from '../../fixtures/context.ts';
import { application, partnership } from '../../support/application-builder.ts';
import { answer, event } from '../api/support.ts';
import '../api/quiet-logs.ts';

const orgs = [
  { code: 'ICB-A', kind: 'icb' as const, name: 'ICB A', email: 'icb-a@example.test', partnerships: ['test'] },
  { code: 'ICB-B', kind: 'icb' as const, name: 'ICB B', email: 'icb-b@example.test', partnerships: ['test'] },
  { code: 'LA-A', kind: 'la' as const, name: 'Council A', email: 'la-a@example.test', partnerships: ['test'] },
  { code: 'LA-B', kind: 'la' as const, name: 'Council B', email: 'la-b@example.test', partnerships: ['test'] },
  { code: 'LA-C', kind: 'la' as const, name: 'Council C', email: 'la-c@example.test', partnerships: ['test'] },
  { code: 'NHSE', kind: 'nhs-england' as const, name: 'NHS England', email: 'nhse@example.test', partnerships: ['test'] },
];

let memory: MemoryPorts;
const NOW = '2025-01-20T09:00:00.000Z';

beforeAll(() => {
  vi.stubEnv('REGISTER_TABLE_NAME', 'Register');
  vi.stubEnv('MAIL_FROM', 's117@example.test');
  vi.stubEnv('APP_BASE_URL', 'http://127.0.0.1:3000');
  resetEnv();
});

afterAll(() => {
  usePorts(undefined);
  vi.unstubAllEnvs();
  resetEnv();
});

beforeEach(() => {
  memory = memoryPorts(
    { now: () => NOW, today: () => NOW.slice(0, 10) },
    { organisations: orgs, partnerships: [{ ...partnership, members: orgs.map((o) => o.code) }] },
  );
  usePorts(memory);
});

const handlers = { get, pack, record };

/** An application disputed between councils (LA-A names LA-B), with its dispute opened. */
async function councilDispute(): Promise<Application> {
  const base = application({
    id: 'app_apitest0001',
    status: 'in-dispute',
    parties: ['LA-A', 'ICB-A', 'LA-B'],
    responses: {
      la: { party: 'la', body: 'LA-A', decision: 'dispute', reason: 'LA-B', proposedBody: 'LA-B', at: '2025-01-15T10:00:00.000Z', by: 'u' },
    },
  });
  const app = { ...base, arrangements: [interimArrangement(base, partnership, 'dispute', 'arr_1', '2025-01-15T10:00:00.000Z')] };
  await memory.applications.create(app);
  const c = classifyDispute(app, (o) => orgs.find((x) => x.code === o)?.kind);
  if (c === null) throw new Error('not disputed');
  await memory.disputes.create(
    openDispute({
      id: 'dsp_apitest0001_1',
      app,
      classification: c,
      lead: 'LA-A',
      interimArrangementId: 'arr_1',
      settings: DEFAULT_DISPUTE_SETTINGS,
      at: '2025-01-15T10:00:00.000Z',
    }),
  );
  return app;
}

const request = (method: 'GET' | 'POST', path: string, org: string, role = 'commissioner', body?: unknown) => {
  const e = event('record-response', { org, role, ...(body === undefined ? {} : { body }) });
  e.requestContext.http.method = method;
  e.rawPath = path;
  e.requestContext.http.path = path;
  e.pathParameters = { id: path.split('/')[3] ?? '' };
  if (body === undefined) delete e.body;
  return e;
};

const outcome = (body: Record<string, unknown>) => ({
  stage: 'pre-referral',
  decision: 'resolved',
  reason: 'Agreed after the s.3 records were shared.',
  ...body,
});

describe('GET /v1/applications/{id}/dispute', () => {
  it('shows a party the kind, stage and deadlines, with no referral pack yet', async () => {
    const app = await councilDispute();
    const result = answer(await handlers.get(request('GET', `/v1/applications/${app.id}/dispute`, 'LA-B', 'finance'), context));
    expect(result.statusCode).toBe(200);
    expect(result.body).toMatchObject({
      id: 'dsp_apitest0001_1',
      kind: 'la-la',
      status: 'active',
      stage: 'pre-referral',
      disputeDate: '2025-01-15',
      lead: 'LA-A',
      bodies: ['LA-A', 'LA-B'],
      deadlines: { stage: '2025-05-15', referralDue: '2025-05-15', legalArgumentsDue: null, reviewWindowEnds: null },
      referralPack: null,
      settlement: null,
      outcome: null,
    });
  });

  it('answers 404 to an organisation that is not a party, exactly as for a missing application', async () => {
    const app = await councilDispute();
    const foreign = answer(await handlers.get(request('GET', `/v1/applications/${app.id}/dispute`, 'LA-C'), context));
    const missing = answer(await handlers.get(request('GET', '/v1/applications/app_nosuchapp01/dispute', 'LA-A'), context));
    expect([foreign.statusCode, (foreign.body as { detail: string }).detail]).toStrictEqual([404, 'No such application.']);
    expect([missing.statusCode, (missing.body as { detail: string }).detail]).toStrictEqual([404, 'No such application.']);
  });

  it('answers 404 for the referral pack before the referral falls due, saying when it will', async () => {
    const app = await councilDispute();
    const result = answer(await handlers.pack(request('GET', `/v1/applications/${app.id}/dispute/referral-pack`, 'LA-A'), context));
    expect([result.statusCode, (result.body as { detail: string }).detail]).toStrictEqual([
      404,
      'The referral pack is produced when the referral falls due on 2025-05-15, or when a council asks for the referral.',
    ]);
  });
});

describe('POST /v1/applications/{id}/dispute/outcome', () => {
  it("records the councils' agreement: the dispute is decided, the chronology says so", async () => {
    const app = await councilDispute();
    // One council alone settles nothing (issue 12): its agreement is recorded and the dispute stays active.
    const alone = answer(
      await handlers.record(
        request('POST', `/v1/applications/${app.id}/dispute/outcome`, 'LA-A', 'commissioner', outcome({ responsibleLa: 'LA-B' })),
        context,
      ),
    );
    expect([alone.statusCode, (alone.body as { status: string }).status]).toStrictEqual([201, 'active']);
    const result = answer(
      await handlers.record(
        request('POST', `/v1/applications/${app.id}/dispute/outcome`, 'LA-B', 'commissioner', outcome({ responsibleLa: 'LA-B' })),
        context,
      ),
    );
    expect(result.statusCode).toBe(201);
    expect(result.body).toMatchObject({
      status: 'decided',
      outcome: {
        stage: 'pre-referral',
        kind: 'agreement',
        responsibleLa: 'LA-B',
        responsibleIcb: null,
        at: NOW,
      },
    });
    expect((result.body as { outcome: { decidedBy: string } }).outcome.decidedBy).toMatch(/\(LA-A\) and .+ \(LA-B\)$/);
    expect((await memory.chronology.list(app.personRef)).map((e) => [e.type, e.actor.org])).toStrictEqual([
      ['dispute-outcome-recorded', 'LA-A'],
      ['dispute-outcome-recorded', 'LA-B'],
    ]);
    const again = answer(
      await handlers.record(
        request('POST', `/v1/applications/${app.id}/dispute/outcome`, 'LA-B', 'commissioner', outcome({ responsibleLa: 'LA-B' })),
        context,
      ),
    );
    expect(again.statusCode).toBe(200);
  });

  it.each([
    ['finance', 403],
    ['panel', 403],
  ])('refuses the %s role (%i)', async (role, status) => {
    const app = await councilDispute();
    const result = answer(
      await handlers.record(
        request('POST', `/v1/applications/${app.id}/dispute/outcome`, 'LA-B', role, outcome({ responsibleLa: 'LA-B' })),
        context,
      ),
    );
    expect(result.statusCode).toBe(status);
  });

  it('answers 404 to a commissioner of an organisation that is not a party', async () => {
    const app = await councilDispute();
    expect(
      answer(
        await handlers.record(
          request('POST', `/v1/applications/${app.id}/dispute/outcome`, 'LA-C', 'commissioner', outcome({ responsibleLa: 'LA-B' })),
          context,
        ),
      ).statusCode,
    ).toBe(404);
  });

  it('refuses a party that is not in the dispute (the ICB cannot settle a dispute between councils)', async () => {
    const app = await councilDispute();
    const result = answer(
      await handlers.record(
        request('POST', `/v1/applications/${app.id}/dispute/outcome`, 'ICB-A', 'commissioner', outcome({ responsibleLa: 'LA-B' })),
        context,
      ),
    );
    expect([result.statusCode, (result.body as { detail: string }).detail]).toStrictEqual([
      403,
      'Only the bodies in dispute (LA-A, LA-B) record the outcome of this stage.',
    ]);
  });

  it.each([
    { name: 'an unknown stage', body: outcome({ stage: 'tribunal', responsibleLa: 'LA-B' }), field: 'body.stage' },
    {
      name: 'no reason',
      body: { stage: 'pre-referral', decision: 'resolved', responsibleLa: 'LA-B' },
      field: 'body.reason',
    },
    {
      name: 'a split above 100%',
      body: outcome({ responsibleLa: 'LA-B', split: { icbBasisPoints: 10_001 } }),
      field: 'body.split.icbBasisPoints',
    },
    {
      name: 'a responsible body on an escalation',
      body: outcome({ decision: 'escalate', responsibleLa: 'LA-B' }),
      field: 'body.responsibleLa',
    },
    { name: 'an unknown field', body: outcome({ responsibleLa: 'LA-B', payer: 'LA-A' }), field: 'body.payer' },
    { name: 'no responsible council to resolve a council dispute', body: outcome({}), field: 'body.responsibleLa' },
    { name: 'a responsible council not in the dispute', body: outcome({ responsibleLa: 'LA-C' }), field: 'body.responsibleLa' },
  ])('400 naming the field: $name', async ({ body, field }) => {
    const app = await councilDispute();
    const result = answer(
      await handlers.record(request('POST', `/v1/applications/${app.id}/dispute/outcome`, 'LA-A', 'commissioner', body), context),
    );
    expect(result.statusCode).toBe(400);
    expect((result.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toStrictEqual([field]);
  });

  it('409 for an outcome of a stage the dispute is not at', async () => {
    const app = await councilDispute();
    const result = answer(
      await handlers.record(
        request(
          'POST',
          `/v1/applications/${app.id}/dispute/outcome`,
          'LA-A',
          'commissioner',
          outcome({ stage: 'secretary-of-state', responsibleLa: 'LA-B' }),
        ),
        context,
      ),
    );
    expect([result.statusCode, (result.body as { detail: string }).detail]).toStrictEqual([
      409,
      'The outcome is for the secretary-of-state stage, but the dispute is at pre-referral.',
    ]);
  });

  it("the Secretary of State's determination stands only when both councils have recorded the same one (one council cannot record that the other pays)", async () => {
    const app = await councilDispute();
    const opened = await memory.disputes.get(app.id);
    if (opened === null) throw new Error('no dispute');
    const referred = transition(opened, { type: 'refer', packId: 'rp_1', at: NOW }, DEFAULT_DISPUTE_SETTINGS);
    if (!referred.ok) throw new Error(referred.reason);
    await memory.disputes.save({ ...referred.dispute, version: opened.version + 1 });
    await memory.tokens.put({ applicationId: app.id, purpose: 'dispute-stage' }, 'token-sos', NOW);
    const sos = (org: string, responsibleLa: string) =>
      handlers.record(
        request(
          'POST',
          `/v1/applications/${app.id}/dispute/outcome`,
          org,
          'commissioner',
          outcome({ stage: 'secretary-of-state', responsibleLa, reason: 'The determination letter of 20 January 2025.' }),
        ),
        context,
      );

    // LA-A alone records that LA-B pays: an agreement awaiting LA-B, nothing decided, the workflow not woken.
    const alone = answer(await sos('LA-A', 'LA-B'));
    expect([alone.statusCode, (alone.body as { status: string }).status, (alone.body as { outcome: unknown }).outcome]).toStrictEqual([
      201,
      'active',
      null,
    ]);
    expect(memory.workflow.succeeded).toStrictEqual([]);
    // LA-B records a different determination: still nothing decided.
    expect((answer(await sos('LA-B', 'LA-A')).body as { status: string }).status).toBe('active');
    // LA-B records the same determination as LA-A: it stands, by the Secretary of State, recorded by both.
    const both = answer(await sos('LA-B', 'LA-B'));
    const view = both.body as { status: string; outcome: { kind: string; responsibleLa: string; decidedBy: string } };
    expect([both.statusCode, view.status, view.outcome.kind, view.outcome.responsibleLa]).toStrictEqual([
      201,
      'decided',
      'determination',
      'LA-B',
    ]);
    expect(view.outcome.decidedBy).toMatch(/^The Secretary of State \(recorded by .+ \(LA-A\) and .+ \(LA-B\)\)$/);
    expect(memory.workflow.succeeded).toStrictEqual([{ token: 'token-sos', output: { changed: true } }]);
  });

  it('a request to refer is recorded and resumes the waiting workflow task', async () => {
    const app = await councilDispute();
    await memory.tokens.put({ applicationId: app.id, purpose: 'dispute-stage' }, 'token-1', NOW);
    const result = answer(
      await handlers.record(
        request('POST', `/v1/applications/${app.id}/dispute/outcome`, 'LA-A', 'commissioner', outcome({ decision: 'escalate' })),
        context,
      ),
    );
    expect(result.statusCode).toBe(201);
    expect((await memory.disputes.get(app.id))?.referralRequested).toStrictEqual({
      at: NOW,
      by: 'LA-A',
      reason: 'Agreed after the s.3 records were shared.',
    });
    expect(memory.workflow.succeeded).toStrictEqual([{ token: 'token-1', output: { changed: true } }]);
  });
});

describe('the disputes section of a partnership seed', () => {
  it('accepts stage days and a reminder cadence, and names a bad field', () => {
    expect(disputeSettingsSchema.parse({ nhs: { regionalDays: 21 }, reminderDays: 5 })).toStrictEqual({
      nhs: { regionalDays: 21 },
      reminderDays: 5,
    });
    const seed = {
      partnerships: [
        {
          id: 'p',
          name: 'P',
          members: ['ICB-A', 'LA-A'],
          ruleConfig: { name: 'default', mha2025S46CommencementDate: null },
          disputes: { icbLa: { jointPanelDays: 0 } },
        },
      ],
      organisations: [
        { code: 'ICB-A', kind: 'icb', name: 'ICB A', email: 'a@example.test' },
        { code: 'LA-A', kind: 'la', name: 'LA A', email: 'b@example.test' },
      ],
      users: [],
    };
    const parsed = parseSeed(seed);
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.path)).toStrictEqual(['partnerships[0].disputes.icbLa.jointPanelDays']);
  });
});
