/**
 * Personal health budgets and direct payments through the register (issue 17 item 4): a PHB request goes from
 * request to award by the ICB, shows as an s117 service line paid to the person's nominee on their application (what
 * the ledger and finance export read), and is refused with the rule ids when incomplete or decided by the wrong body.
 */
import { describe, expect, it } from 'vitest';
import type { PersonalBudget } from '#domain/register/budgets.ts';
import { decideBudget, requestBudget } from '#functions/register/budgets.use-case.ts';
import { createPerson } from '#functions/register/people.use-case.ts';
import { ProblemError } from '#functions/shared/http-errors.ts';
import { application } from '../../support/application-builder.ts';
import { caller, registerTestDeps, settledInWorcestershire, type TestRegisterDeps } from './support.ts';

const worcestershire = caller('E10000034');
const qgh = caller('QGH');
const APP = 'app_abcdefghijklmnopqrst';

async function person(deps: TestRegisterDeps): Promise<string> {
  const created = await createPerson(deps, worcestershire, {
    nhsNumber: '943 476 5919',
    events: [
      ...settledInWorcestershire,
      { type: 'detention', from: '2025-01-10', section: '3' },
      { type: 'detention-ended', date: '2025-03-10', outcome: 'discharged' },
      { type: 'left-hospital', date: '2025-03-10' },
    ],
  });
  const ref = String((created.body as { personRef: string }).personRef);
  await deps.applications.create(application({ id: APP, personRef: ref, parties: ['E10000034', 'QGH'] }));
  return ref;
}

const award = {
  weeklyAmountPence: 45_000,
  covers: 'Support worker hours agreed in the care plan',
  mode: 'direct-payment' as const,
  payee: { kind: 'nominee' as const, relationship: 'sister', agreed: true },
  startDate: '2025-05-01',
  monitoringOn: '2025-08-01',
  reviewOn: '2026-04-30',
  applicationId: APP,
};

async function problem(p: Promise<unknown>): Promise<{ status: number; fields: string[]; messages: string[] }> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProblemError)
      return {
        status: error.status,
        fields: (error.errors ?? []).map((e) => e.field),
        messages: (error.errors ?? []).map((e) => e.message),
      };
    throw error;
  }
  throw new Error('expected a problem');
}

describe('a personal health budget from request to award', () => {
  it('the ICB decides; the award becomes an s117 line paid to the nominee on the application; repeats change nothing', async () => {
    const deps = registerTestDeps();
    const ref = await person(deps);
    const request = {
      kind: 'personal-health-budget' as const,
      requestedOn: '2025-04-01',
      requestedBy: 'person' as const,
      informationGivenOn: '2025-03-20',
    };
    const requested = await requestBudget(deps, worcestershire, ref, request);
    const budget = requested.body as PersonalBudget;
    expect([requested.statusCode, budget.decider, budget.id]).toStrictEqual([201, 'QGH', expect.stringMatching(/^bud_[a-z2-7]{20}$/)]);
    expect((await requestBudget(deps, worcestershire, ref, request)).statusCode).toBe(200);

    // The council is not entitled to decide a PHB.
    const decision = { outcome: 'awarded' as const, decidedOn: '2025-04-20', reasons: [], award };
    expect((await problem(decideBudget(deps, worcestershire, ref, budget.id, decision))).status).toBe(403);

    const decided = await decideBudget(deps, qgh, ref, budget.id, decision);
    expect([decided.statusCode, (decided.body as PersonalBudget).decision?.outcome, (decided.body as PersonalBudget).lineId]).toStrictEqual(
      [201, 'awarded', `budget-${budget.id}`],
    );
    const app = await deps.applications.get(APP);
    expect(app?.carePlan.serviceLines).toStrictEqual([
      {
        id: `budget-${budget.id}`,
        description: 'Personal health budget (direct-payment): Support worker hours agreed in the care plan',
        provider: "Paid to the person's nominee",
        category: 'health',
        s117: true,
        weeklyCostPence: 45_000,
        startDate: '2025-05-01',
      },
    ]);
    // A retry: the same answer, no second line; a different decision now is a conflict.
    expect((await decideBudget(deps, qgh, ref, budget.id, decision)).statusCode).toBe(200);
    expect((await deps.applications.get(APP))?.carePlan.serviceLines).toHaveLength(1);
    expect((await problem(decideBudget(deps, qgh, ref, budget.id, { ...decision, outcome: 'refused', reasons: ['x'] }))).status).toBe(409);

    const entries = await deps.chronology.list(ref);
    expect(
      entries.filter((e) => e.type.startsWith('register-budget-')).map((e) => [e.type, e.data['outcome'] ?? null, e.applicationId ?? null]),
    ).toStrictEqual([
      ['register-budget-requested', null, null],
      ['register-budget-decided', 'awarded', APP],
    ]);
    expect(entries.filter((e) => e.type === 'register-letter-due').map((e) => e.data['letter'])).toStrictEqual(['budget-decision']);
  });

  it('refuses an incomplete decision with the field and rule: no reasons for a refusal, a nominee who has not agreed, a late review', async () => {
    const deps = registerTestDeps();
    const ref = await person(deps);
    const dp = (
      await requestBudget(deps, worcestershire, ref, { kind: 'direct-payment', requestedOn: '2025-04-01', requestedBy: 'person' })
    ).body as PersonalBudget;
    expect(dp.decider).toBe('E10000034');
    expect(
      await problem(decideBudget(deps, worcestershire, ref, dp.id, { outcome: 'refused', decidedOn: '2025-04-10', reasons: [] })),
    ).toMatchObject({
      status: 422,
      fields: ['body.reasons'],
    });
    const bad = await problem(
      decideBudget(deps, worcestershire, ref, dp.id, {
        outcome: 'awarded',
        decidedOn: '2025-04-10',
        reasons: [],
        award: { ...award, payee: { kind: 'nominee', relationship: 'friend', agreed: false }, reviewOn: '2026-06-01' },
      }),
    );
    expect([bad.status, bad.fields]).toStrictEqual([422, ['body.award.payee.agreed', 'body.award.reviewOn']]);
    expect(bad.messages[0]).toContain('(R-DP-1)');
    expect(bad.messages[1]).toContain('(R-PHB-4, R-REVIEW-1)');
    // Nothing was recorded: the request is still undecided, no line added.
    expect((await deps.store.getPerson(ref))?.budgets?.[0]?.decision).toBeUndefined();
    expect((await deps.applications.get(APP))?.carePlan.serviceLines).toStrictEqual([]);
  });
});
