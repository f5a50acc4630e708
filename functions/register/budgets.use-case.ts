/**
 * Personal health budgets and direct payments over the API (issue 17 item 4): the person's request, recorded by a
 * responsible body; the decision by the body entitled to make it (the ICB for a PHB, the council for a direct
 * payment), refused as a 422 naming the field and rule when incomplete; and, on an award, the budget's service line
 * on the person's funding application, so the ledger and the finance export show it paid to the person or their
 * nominee as s117 aftercare. Conditional writes throughout; every step safe to repeat.
 * @see rules.md R-PHB-1 to R-PHB-4, R-DP-1
 */
import { createHash } from 'node:crypto';
import {
  budgetServiceLine,
  deciderOf,
  judgeBudgetDecision,
  type BudgetDecision,
  type BudgetRequest,
  type PersonalBudget,
} from '#domain/register/budgets.ts';
import { canonicalJson } from '../api/canonical-json.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { updateVersioned } from '../shared/optimistic-update.ts';
import { base32 } from '../shared/person-ref.ts';
import { requireResponsibleBody } from './children.use-case.ts';
import type { RegisterDeps } from './deps.ts';
import { personFor, recordLetterDue, updatePerson } from './register.use-case.ts';

/** At most this many budget requests are kept per person (one item: bounded). */
export const MAX_BUDGETS = 40;

const budgetIdFor = (personRef: string, request: BudgetRequest): string =>
  `bud_${base32(
    createHash('sha256')
      .update(`${personRef}|${canonicalJson(request)}`, 'utf8')
      .digest(),
  ).slice(0, 20)}`;

export async function requestBudget(deps: RegisterDeps, caller: Caller, personRef: string, request: BudgetRequest): Promise<HttpResult> {
  await personFor(deps, caller, personRef);
  const episodes = await deps.store.listEpisodes(personRef);
  requireResponsibleBody(caller, episodes, 'a budget request');
  const current = episodes.filter((e) => e.dutyArose !== undefined && e.ended === undefined).at(-1);
  if (current === undefined)
    throw new ProblemError(409, 'No aftercare duty is in force for this person, so there is no s117 service to take as a budget.');
  const decider = deciderOf(request.kind, { icb: current.icb.body, la: current.localAuthority.body });
  if (decider === null)
    throw new ProblemError(422, 'No body is named to decide this request yet.', {
      errors: [
        {
          field: 'body.kind',
          message: `no ${request.kind === 'personal-health-budget' ? 'ICB' : 'council'} is responsible yet (R-PHB-2, R-DP-1)`,
        },
      ],
    });
  if (request.informationGivenOn !== undefined && request.informationGivenOn > request.requestedOn)
    throw new ProblemError(422, 'Information about budgets is recorded as given after the request.', {
      errors: [{ field: 'body.informationGivenOn', message: 'must be on or before requestedOn (R-PHB-4)' }],
    });
  const id = budgetIdFor(personRef, request);
  const at = deps.clock.now();
  let created = false;
  await updatePerson(deps, personRef, (p) => {
    const budgets = p.budgets ?? [];
    if (budgets.some((b) => b.id === id)) return null;
    if (budgets.length >= MAX_BUDGETS)
      throw new ProblemError(422, `A person's record keeps at most ${MAX_BUDGETS} budget requests.`, {
        errors: [{ field: 'body', message: `at most ${MAX_BUDGETS} budget requests per person` }],
      });
    created = true;
    return { ...p, budgets: [...budgets, { id, request, decider, requestedAt: at }] };
  });
  await deps.chronology.append(personRef, {
    key: `register:budget-requested:${id}`,
    at,
    type: 'register-budget-requested',
    actor: { userId: caller.userId, org: caller.org },
    data: { budgetId: id, ...request, decider, episodeId: current.id, ruleIds: ['R-PHB-2', 'R-PHB-4', 'R-DP-1'] },
  });
  const saved = (await deps.store.getPerson(personRef))?.budgets?.find((b) => b.id === id);
  return { statusCode: created ? 201 : 200, body: saved ?? null };
}

export async function decideBudget(
  deps: RegisterDeps,
  caller: Caller,
  personRef: string,
  budgetId: string,
  input: Omit<BudgetDecision, 'by' | 'at'>,
): Promise<HttpResult> {
  const { person } = await personFor(deps, caller, personRef);
  const budget = person.budgets?.find((b) => b.id === budgetId);
  if (budget === undefined) throw new ProblemError(404, 'No such budget request for this person.');
  if (caller.org !== budget.decider)
    throw new ProblemError(
      403,
      `Only ${budget.decider} decides this request (${budget.request.kind === 'personal-health-budget' ? 'the ICB decides a personal health budget' : 'the council decides a direct payment'}).`,
    );
  if (budget.decision !== undefined) {
    const same = canonicalJson({ ...budget.decision, by: null, at: null }) === canonicalJson({ ...input, by: null, at: null });
    if (!same)
      throw new ProblemError(409, `This request was already decided (${budget.decision.outcome} on ${budget.decision.decidedOn}).`);
  } else {
    const problems = judgeBudgetDecision(budget, input);
    if (problems.length > 0)
      throw new ProblemError(422, `The decision cannot be recorded: ${problems.map((p) => p.message).join('; ')}.`, {
        errors: problems.map((p) => ({ field: `body.${p.field}`, message: `${p.message} (${p.ruleIds.join(', ')})` })),
      });
  }
  const award = input.award;
  const app = award === undefined ? null : await deps.applications.get(award.applicationId);
  if (award !== undefined && (app === null || app.personRef !== personRef || !app.parties.includes(caller.org)))
    throw new ProblemError(422, "The application is not one of this person's that the deciding body is party to.", {
      errors: [{ field: 'body.award.applicationId', message: "is not this person's application with the deciding body as a party" }],
    });
  const at = deps.clock.now();
  const decision: BudgetDecision = budget.decision ?? { ...input, by: { userId: caller.userId, org: caller.org }, at };
  const line = award === undefined ? undefined : budgetServiceLine(budget, award);
  await updatePerson(deps, personRef, (p) => {
    const budgets = p.budgets ?? [];
    const current = budgets.find((b) => b.id === budgetId);
    if (current === undefined || current.decision !== undefined) return null;
    const decided: PersonalBudget = { ...current, decision, ...(line === undefined ? {} : { lineId: line.id }) };
    return { ...p, budgets: budgets.map((b) => (b.id === budgetId ? decided : b)) };
  });
  if (award !== undefined && line !== undefined) {
    // The ledger's line: the budget paid to the person or their nominee, s117 and so never chargeable (R-PHB-3).
    await updateVersioned(
      { read: () => deps.applications.get(award.applicationId), write: (next, previous) => deps.applications.save(next, previous) },
      (a) =>
        a.carePlan.serviceLines.some((l) => l.id === line.id)
          ? null
          : { ...a, carePlan: { ...a.carePlan, serviceLines: [...a.carePlan.serviceLines, line] } },
      () => deps.clock.now(),
    );
  }
  await deps.chronology.append(personRef, {
    key: `register:budget-decided:${budgetId}`,
    at: decision.at,
    type: 'register-budget-decided',
    actor: { userId: decision.by.userId, org: decision.by.org },
    ...(award === undefined ? {} : { applicationId: award.applicationId }),
    data: {
      budgetId,
      kind: budget.request.kind,
      outcome: decision.outcome,
      decidedOn: decision.decidedOn,
      reasons: decision.reasons,
      ...(award === undefined
        ? {}
        : {
            weeklyAmountPence: award.weeklyAmountPence,
            covers: award.covers,
            mode: award.mode,
            payee: award.payee.kind,
            startDate: award.startDate,
            monitoringOn: award.monitoringOn,
            reviewOn: award.reviewOn,
            lineId: line?.id ?? null,
          }),
      ruleIds: ['R-PHB-2', 'R-PHB-3', 'R-PHB-4', ...(budget.request.kind === 'direct-payment' ? ['R-DP-1'] : [])],
    },
  });
  await recordLetterDue(deps, personRef, {
    kind: 'budget-decision',
    ref: budgetId,
    ruleIds: ['R-PHB-2', 'R-PHB-4'],
    about: `The decision on the request for a ${budget.request.kind === 'personal-health-budget' ? 'personal health budget' : 'direct payment'}: ${decision.outcome}, with its reasons.`,
  });
  const saved = (await deps.store.getPerson(personRef))?.budgets?.find((b) => b.id === budgetId);
  return { statusCode: budget.decision === undefined ? 201 : 200, body: saved ?? null };
}
