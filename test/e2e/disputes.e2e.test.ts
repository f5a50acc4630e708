/**
 * A dispute between councils through the real local runtime: submission, determination, a council disputes
 * naming another, interim funding, the dispute workflow, an early referral with its pack, the Secretary of
 * State's determination recorded through the API, and settlement with recharge entries in the register.
 * (The four-month referral clock itself is tested on the virtual clock in test/statemachines/dispute.test.ts.)
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import type { RuntimeHandles } from '#local/runtime.ts';
import { eventually } from '../local/support.ts';
import { applicationBody, applicationWhen, call, commissioner, startApp, type Api, type App } from './support.ts';

let app: App;
let runtime: RuntimeHandles;
let api: Api;
const worcestershire = commissioner('E10000034');
const swindon = commissioner('E06000030');
const surrey = commissioner('E10000030');

beforeAll(async () => {
  app = await startApp('disputes');
  ({ runtime, api } = app);
});

afterAll(() => app.stop());

type DisputeBody = Record<string, unknown> & {
  status: string;
  stage: string;
  referralPack: { href: string } | null;
  settlement: { settlementId: string; recharges: { payer: string; payee: string; pence: number }[]; totalPence: number } | null;
};

const disputeWhen = (id: string, done: (d: DisputeBody) => boolean, what: string) =>
  eventually(
    async () => {
      const reply = await call(api, 'GET', `/v1/applications/${id}/dispute`, { as: worcestershire });
      return reply.status === 200 && done(reply.body as DisputeBody) ? (reply.body as DisputeBody) : undefined;
    },
    what,
    20_000,
  );

describe('a dispute between councils through the local runtime', () => {
  it('from submission to settlement: referral pack, determination, final arrangement and recharge entries', async () => {
    const created = await call(api, 'POST', '/v1/applications', {
      as: worcestershire,
      body: applicationBody({ nhsNumber: '4010232137', factsId: 'e2e-dispute-1' }),
      headers: { 'idempotency-key': 'e2e-council-dispute' },
    });
    expect(created.status).toBe(201);
    const id = String(created.body['id']);
    await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'awaiting-responses', 'the determination');
    const disputed = await call(api, 'POST', `/v1/applications/${id}/responses`, {
      as: worcestershire,
      body: { decision: 'dispute', reason: 'She was ordinarily resident in Swindon', proposedBody: 'E06000030' },
    });
    expect(disputed.status).toBe(201);

    const opened = await disputeWhen(id, (d) => d.stage === 'pre-referral', 'the dispute to open');
    expect(opened).toMatchObject({
      kind: 'la-la',
      status: 'active',
      raisedBy: 'E10000034',
      bodies: ['E10000034', 'E06000030'],
      lead: 'E10000034',
      referralPack: null,
    });
    expect((opened['deadlines'] as { referralDue: string }).referralDue).toBe((opened['stages'] as { deadline: string }[])[0]?.deadline);
    expect((await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'in-dispute', 'in dispute'))['status']).toBe(
      'in-dispute',
    );
    expect((await call(api, 'GET', `/v1/applications/${id}/dispute`, { as: surrey })).status).toBe(404);
    expect((await call(api, 'GET', `/v1/applications/${id}/dispute/referral-pack`, { as: worcestershire })).status).toBe(404);

    const referral = await call(api, 'POST', `/v1/applications/${id}/dispute/outcome`, {
      as: worcestershire,
      body: {
        stage: 'pre-referral',
        decision: 'escalate',
        reason: 'The councils cannot agree.',
      },
    });
    expect(referral.status).toBe(201);
    const referred = await disputeWhen(id, (d) => d.stage === 'secretary-of-state' && d.referralPack !== null, 'the referral');
    expect(referred.referralPack?.href).toBe(`/v1/applications/${id}/dispute/referral-pack`);
    const pack = await call(api, 'GET', `/v1/applications/${id}/dispute/referral-pack`, { as: swindon });
    expect(pack.status).toBe(200);
    expect(pack.body['text']).toMatch(/^Referral pack: dispute dsp_/);
    expect(String(pack.body['text'])).toContain('Swindon Borough Council (E06000030)');
    expect(`${String(pack.body['text'])}${String(pack.body['html'])}`).not.toMatch(/401\s?023\s?2137/);

    // The workflow records the new stage's start in the chronology a moment after the dispute shows the stage; the
    // Secretary of State's determination is recorded once that entry is there, so the record reads in order under
    // load. (That the dispute item can show a stage before its chronology entry lands is noted on issue 12.)
    await eventually(async () => {
      const c = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: swindon });
      const started = (c.body['entries'] as { type: string }[]).filter((e) => e.type === 'dispute-stage-started');
      return started.length >= 2 ? started : undefined;
    }, 'the Secretary of State stage in the chronology');
    // Each council records the Secretary of State's determination; it stands once both have recorded the same.
    const sos = {
      stage: 'secretary-of-state',
      decision: 'resolved',
      responsibleLa: 'E06000030',
      reason: 'Ordinarily resident in Swindon immediately before detention.',
    };
    for (const as of [swindon, worcestershire]) {
      const determination = await call(api, 'POST', `/v1/applications/${id}/dispute/outcome`, { as, body: sos });
      expect(determination.status).toBe(201);
    }

    const settledApp = await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'settled', 'settlement', 20_000);
    const arrangements = settledApp['arrangements'] as { state: string; shares: { body: string; percentage: number }[] }[];
    // The interim recorded at submission, the one started by the dispute, then the final one: appended, never rewritten.
    expect(arrangements.map((a) => [a.state, a.shares.map((s) => [s.body, s.percentage])])).toStrictEqual([
      [
        'interim',
        [
          ['QGH', 50],
          ['E10000034', 50],
        ],
      ],
      [
        'interim',
        [
          ['QGH', 50],
          ['E10000034', 50],
        ],
      ],
      [
        'agreed',
        [
          ['QGH', 50],
          ['E06000030', 50],
        ],
      ],
    ]);
    const done = await disputeWhen(id, (d) => d.status === 'settled', 'the dispute to settle');
    const recharges = done.settlement?.recharges ?? [];
    expect(recharges.length).toBeGreaterThan(0);
    expect(new Set(recharges.map((r) => `${r.payer}>${r.payee}`))).toStrictEqual(new Set(['E06000030>E10000034']));

    const items = await documentClient(runtime.dynamodb.client).send(
      new QueryCommand({
        TableName: 'Register',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `APP#${id}`, ':prefix': 'RECHARGE#' },
      }),
    );
    expect((items.Items ?? []).map((i) => i['pence'] as number).reduce((a, b) => a + b, 0)).toBe(done.settlement?.totalPence);
    expect((items.Items ?? []).map((i) => i['sk'])).toStrictEqual(
      recharges.map((_, n) => `RECHARGE#${done.settlement?.settlementId}#${String(n + 1).padStart(6, '0')}`),
    );

    const chronology = await eventually(async () => {
      const c = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: swindon });
      return (c.body['entries'] as { type: string }[]).some((e) => e.type === 'dispute-settled')
        ? (c.body['entries'] as { type: string; data: Record<string, unknown> }[])
        : undefined;
    }, 'the settlement entry');
    const settledEntry = chronology.find((e) => e.type === 'dispute-settled');
    const lead = (settledEntry?.data['positions'] as { body: string; differencePence: number }[]).find((p) => p.body === 'E10000034');
    expect(lead?.differencePence).toBe(-(done.settlement?.totalPence ?? 0));
    expect(chronology.map((e) => e.type).filter((t) => t.startsWith('dispute-'))).toStrictEqual([
      'dispute-opened',
      'dispute-stage-started',
      'dispute-outcome-recorded',
      'dispute-referred',
      'dispute-stage-started',
      // The Secretary of State's determination, as each council recorded it.
      'dispute-outcome-recorded',
      'dispute-outcome-recorded',
      'dispute-settled',
    ]);
  });
});
