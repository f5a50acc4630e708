import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '#domain/facts.ts';
import { createPerson, readEpisode, recordCharge, recordEvent } from '#functions/register/people.use-case.ts';
import { application } from '../../support/application-builder.ts';
import { recordEndingDecision, recommendEnding, reinstate } from '#functions/register/ending.use-case.ts';
import { recordReview } from '#functions/register/reviews.use-case.ts';
import { readLetter as letter } from '#functions/register/letter-read.use-case.ts';
import { buildMaturityReport } from '#functions/register/maturity.use-case.ts';
import { ProblemError } from '#functions/shared/http-errors.ts';
import { caller, ENDING_REPORT, registerTestDeps, settledInWorcestershire, type TestRegisterDeps } from './support.ts';

const worcestershire = caller('E10000034');
const qgh = caller('QGH');
const swindon = caller('E06000030');
const detention = (from: string): CaseEvent => ({ type: 'detention', from, section: '3' });
const discharge = (date: string): CaseEvent[] => [
  { type: 'detention-ended', date, outcome: 'discharged' },
  { type: 'left-hospital', date },
];

async function discharged(deps: TestRegisterDeps): Promise<{ ref: string; episodeId: string }> {
  const created = await createPerson(deps, worcestershire, {
    nhsNumber: '943 476 5919',
    name: 'Alex Example',
    events: [...settledInWorcestershire, detention('2025-01-10'), ...discharge('2025-03-10')],
  });
  const ref = String((created.body as { personRef: string }).personRef);
  return { ref, episodeId: `${ref}-e1` };
}

async function problem(p: Promise<unknown>): Promise<{ status: number; fields: string[] }> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProblemError) return { status: error.status, fields: (error.errors ?? []).map((e) => e.field) };
    throw error;
  }
  throw new Error('expected a problem');
}

describe('the register kept in step with the facts', () => {
  it('a person discharged after s3: one active episode, the bodies told, the review schedule started', async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await discharged(deps);

    const view = (await readEpisode(deps, qgh, episodeId, '2025-03-11')).body as Record<string, unknown>;
    expect([
      view['status'],
      view['dutyArose'],
      (view['icb'] as { body: string }).body,
      (view['localAuthority'] as { body: string }).body,
    ]).toStrictEqual(['active', '2025-03-10', 'QGH', 'E10000034']);
    expect(view['nextReview']).toStrictEqual({ key: 'eligibility', kind: 'eligibility', due: '2025-04-21', overdue: false });
    expect(deps.workflow.starts.map((s) => [s.name, s.input])).toStrictEqual([
      [`review-${episodeId}-g1`, { personRef: ref, n: 1, generation: 1, seq: 0 }],
    ]);
    expect(deps.mailer.sent.map((m) => [m.to[0], m.subject])).toStrictEqual([
      ['qgh@example.test', `s117 register: new aftercare episode ${episodeId}`],
      ['e10000034@example.test', `s117 register: new aftercare episode ${episodeId}`],
      ['qgh@example.test', `s117 register: aftercare duty in force for ${episodeId}`],
      ['e10000034@example.test', `s117 register: aftercare duty in force for ${episodeId}`],
      // The person is told they are entitled (issue 17): no contacts recorded, so the council prints and posts it.
      ['e10000034@example.test', `s117: a letter to print and post (${episodeId})`],
    ]);
    for (const m of deps.mailer.sent) expect(`${m.subject}${m.text}${m.html}`).not.toMatch(/9434765919|943 476 5919|Alex Example/);
  });

  it("a fresh detention after a move ends the council's episode, opens a new one with the new council; the ICB stays; funding follows", async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await discharged(deps);
    await deps.chronology.append(ref, {
      key: 'app',
      at: '2025-03-01T00:00:00Z',
      type: 'application-submitted',
      actor: { org: 'E10000034' },
      applicationId: 'app_aaaaaaaaaaaaaaaaaaaa',
      data: {},
    });
    await recordEvent(deps, worcestershire, ref, {
      type: 'residence',
      from: '2025-05-01',
      area: { country: 'england', la: 'E06000030', icb: 'QOX' },
      setting: 'own-home',
      basis: 'own-choice',
    });
    await recordEvent(deps, worcestershire, ref, { type: 'gp-registration', from: '2025-05-01', icb: 'QOX' });
    deps.mailer.sent.length = 0;

    const reply = await recordEvent(deps, swindon, ref, detention('2025-07-01'));

    expect(reply.statusCode).toBe(201);
    expect((reply.body as { changes: unknown[] }).changes).toStrictEqual([
      { kind: 'episode-ended', episodeId, date: '2025-07-01', by: 're-detention' },
      { kind: 'episode-opened', episodeId: `${ref}-e2`, detentionFrom: '2025-07-01', section: '3' },
    ]);
    const second = await deps.store.getEpisode(ref, 2);
    expect([second?.icb.body, second?.localAuthority.body]).toStrictEqual(['QGH', 'E06000030']);
    expect(second?.fundingChanges).toStrictEqual([
      {
        date: '2025-07-01',
        party: 'la',
        from: 'E10000034',
        to: 'E06000030',
        applicationIds: ['app_aaaaaaaaaaaaaaaaaaaa'],
        note: 'The local authority share of s117 funding moves from E10000034 to E06000030 from this date. Applications app_aaaaaaaaaaaaaaaaaaaa hold arrangements made before the change; they are not rewritten here, and the bodies should review them.',
      },
    ]);
    expect(new Set(deps.mailer.sent.map((m) => m.to[0]))).toStrictEqual(
      new Set(['qgh@example.test', 'e10000034@example.test', 'e06000030@example.test']),
    );
    const types = (await deps.chronology.list(ref)).map((e) => e.type);
    expect(types.slice(-4)).toStrictEqual([
      'register-fact-recorded',
      'register-episode-ended',
      'register-episode-opened',
      'register-funding-follows',
    ]);
  });

  it('the same fact twice lands once and tells nobody again', async () => {
    const deps = registerTestDeps();
    const { ref } = await discharged(deps);
    const before = { mail: deps.mailer.sent.length, chronology: (await deps.chronology.list(ref)).length };
    const again = await recordEvent(deps, worcestershire, ref, detention('2025-01-10'));
    expect([again.statusCode, (again.body as { outcome: string }).outcome]).toStrictEqual([200, 'already-recorded']);
    expect({ mail: deps.mailer.sent.length, chronology: (await deps.chronology.list(ref)).length }).toStrictEqual(before);
  });

  it("answers for a person on another partnership's register exactly as for one on no register; its own duplicate is reported", async () => {
    const elsewhere = registerTestDeps();
    const { ref: westRef } = await discharged(elsewhere);
    const nowhere = registerTestDeps();
    const south = caller('E10000030');
    const person = { nhsNumber: '9434765919', events: [detention('2025-01-10')] };

    const onAnotherRegister = await createPerson(elsewhere, south, person);
    const onNoRegister = await createPerson(nowhere, south, person);
    const againInSouth = await createPerson(elsewhere, south, person);

    expect(onAnotherRegister).toStrictEqual(onNoRegister);
    expect(onAnotherRegister.statusCode).toBe(201);
    expect((onAnotherRegister.body as { personRef: string }).personRef).not.toBe(westRef);
    expect([againInSouth.statusCode, (againInSouth.body as { recorded: string[] }).recorded]).toStrictEqual([200, ['already-recorded']]);
  });

  it('hides the person from an organisation outside the partnership (404)', async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await discharged(deps);
    expect(await problem(recordEvent(deps, caller('E10000030'), ref, detention('2025-07-01')))).toStrictEqual({ status: 404, fields: [] });
    expect(await problem(readEpisode(deps, caller('QXU'), episodeId, undefined))).toStrictEqual({ status: 404, fields: [] });
  });
});

const report = ENDING_REPORT;

describe('ending aftercare through the register', () => {
  it('refuses while on a CTO and for a Code 33.22 reason alone, as a 422 naming the fields', async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await discharged(deps);
    expect(
      await problem(recommendEnding(deps, qgh, episodeId, { proposedEndDate: '2025-10-15', reasons: ['time-elapsed'], report })),
    ).toStrictEqual({ status: 422, fields: ['body.reasons'] });
    await recordEvent(deps, qgh, ref, { type: 'cto', from: '2025-03-10' });
    expect(
      await problem(
        recommendEnding(deps, qgh, episodeId, { proposedEndDate: '2025-10-15', reasons: ['no-longer-needs-aftercare'], report }),
      ),
    ).toStrictEqual({ status: 422, fields: ['body.proposedEndDate'] });
    expect(
      await problem(
        recommendEnding(deps, caller('QOX'), episodeId, { proposedEndDate: '2025-10-15', reasons: ['no-longer-needs-aftercare'], report }),
      ),
    ).toStrictEqual({ status: 403, fields: [] });
  });

  it('awaits both bodies; ends only when both agree; can be reinstated, and the schedule restarts', async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await discharged(deps);
    await recordReview(deps, qgh, episodeId, {
      date: '2025-04-15',
      outcome: 'recommend-ending',
      personTookPart: true,
      participants: [{ name: 'Alex Example', role: 'the person' }],
    });
    const rec = await recommendEnding(deps, qgh, episodeId, {
      proposedEndDate: '2025-10-15',
      reasons: ['no-longer-needs-aftercare'],
      report,
    });
    const recommendationId = String((rec.body as { id: string }).id);
    expect([rec.statusCode, (rec.body as { state: string }).state]).toStrictEqual([201, 'awaiting-panel']);

    const icb = await recordEndingDecision(deps, qgh, episodeId, { recommendationId, agree: true });
    expect((icb.body as { state: string }).state).toBe('awaiting-panel');
    expect((await deps.store.getEpisode(ref, 1))?.ended).toBe(undefined);

    const la = await recordEndingDecision(deps, worcestershire, episodeId, { recommendationId, agree: true });
    expect((la.body as { state: string }).state).toBe('agreed');
    expect((await deps.store.getEpisode(ref, 1))?.ended).toStrictEqual({ date: '2025-10-15', by: 'joint-decision', personInvolved: true });

    const ending = (await letter(deps, worcestershire, episodeId, 'ending', { asOf: '2025-10-16' })).body as {
      text: string;
      subject: string;
    };
    expect(ending.subject).toBe('Your section 117 aftercare has ended');
    expect(ending.text).toContain('Dear Alex Example,');
    expect(ending.text).toContain('have both agreed that you no longer need section 117 aftercare. It ends on 15 October 2025.');

    const back = await reinstate(deps, worcestershire, episodeId, 'Relapse within a month; the ending was premature.');
    expect((back.body as { reinstated: boolean }).reinstated).toBe(true);
    const episode = await deps.store.getEpisode(ref, 1);
    expect([episode?.ended, episode?.reviewGeneration]).toStrictEqual([undefined, 2]);
    expect(deps.workflow.starts.map((s) => s.name)).toStrictEqual([`review-${episodeId}-g1`, `review-${episodeId}-g2`]);
    expect(
      (await deps.chronology.list(ref))
        .map((e) => e.type)
        .filter((t) => t.startsWith('register-ending') || t === 'register-aftercare-reinstated' || t === 'register-episode-reinstated'),
    ).toStrictEqual([
      'register-ending-recommended',
      'register-ending-decision',
      'register-ending-decision',
      'register-aftercare-reinstated',
      'register-episode-reinstated',
    ]);
  });
});

describe('the maturity report through the use-case', () => {
  it("counts the register of the caller's partnership only", async () => {
    const deps = registerTestDeps();
    const { episodeId } = await discharged(deps);
    const early = await buildMaturityReport(deps, qgh, { asOf: '2025-04-01' });
    expect([early.statuses.active, early.rows[1]?.value]).toStrictEqual([1, 100]);
    const late = await buildMaturityReport(deps, qgh, { asOf: '2025-05-01' });
    expect([late.statuses['review-due'], late.rows[1]?.value, late.rows[1]?.level]).toStrictEqual([1, 0, 'underdeveloped']);
    await recordReview(deps, qgh, episodeId, { date: '2025-04-30', outcome: 'continue', personTookPart: true, participants: [] });
    expect((await buildMaturityReport(deps, qgh, { asOf: '2025-05-01' })).rows[1]?.value).toBe(100);
    expect((await buildMaturityReport(deps, caller('QXU'), { asOf: '2025-05-01' })).people).toBe(0);
  });
});

describe('charges against applications (issue 12, item 7)', () => {
  const line = {
    id: 'L1',
    description: 'Supported living',
    provider: 'Acme Care',
    category: 'accommodation' as const,
    s117: true,
    weeklyCostPence: 70_000,
    startDate: '2025-03-10',
  };
  const charge = (applicationId: string, lineId = 'L1') => ({
    chargeId: 'CH-1',
    applicationId,
    lineId,
    from: '2025-04-01',
    to: '2025-04-30',
    amountPence: 5_000,
    payer: 'person' as const,
  });

  it("refuses, 422 naming the field, a charge against an application that does not exist, another person's, or a line not in its plan; books nothing", async () => {
    const deps = registerTestDeps();
    const { ref } = await discharged(deps);
    const other = await createPerson(deps, worcestershire, {
      nhsNumber: '401 023 2137',
      name: 'Sam Other',
      events: [...settledInWorcestershire, detention('2025-01-10'), ...discharge('2025-03-10')],
    });
    const otherRef = String((other.body as { personRef: string }).personRef);
    await deps.applications.create(
      application({ id: 'app_bbbbbbbbbbbbbbbbbbbb', personRef: otherRef, partnershipId: 'west', carePlan: { serviceLines: [line] } }),
    );
    await deps.applications.create(
      application({ id: 'app_cccccccccccccccccccc', personRef: ref, partnershipId: 'west', carePlan: { serviceLines: [line] } }),
    );
    const before = await deps.store.getPerson(ref);

    expect(await problem(recordCharge(deps, worcestershire, ref, charge('app_aaaaaaaaaaaaaaaaaaaa')))).toStrictEqual({
      status: 422,
      fields: ['body.applicationId'],
    });
    expect(await problem(recordCharge(deps, worcestershire, ref, charge('app_bbbbbbbbbbbbbbbbbbbb')))).toStrictEqual({
      status: 422,
      fields: ['body.applicationId'],
    });
    expect(await problem(recordCharge(deps, worcestershire, ref, charge('app_cccccccccccccccccccc', 'L9')))).toStrictEqual({
      status: 422,
      fields: ['body.lineId'],
    });
    expect(await deps.store.getPerson(ref)).toStrictEqual(before);
    expect((await deps.chronology.list(ref)).filter((e) => e.type === 'register-charge-recorded')).toStrictEqual([]);

    // The person's own application and line: booked once.
    const booked = await recordCharge(deps, worcestershire, ref, charge('app_cccccccccccccccccccc'));
    expect(booked.statusCode).toBe(201);
    expect((await deps.store.getPerson(ref))?.charges.map((c) => [c.id, c.applicationId, c.lineId])).toStrictEqual([
      ['CH-1', 'app_cccccccccccccccccccc', 'L1'],
    ]);
  });
});
