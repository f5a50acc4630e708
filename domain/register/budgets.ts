/**
 * Personal health budgets and direct payments for s117 aftercare (issue 17 item 4): the person's request (a PHB from
 * the ICB, a direct payment from the council), the decision with its reasons and date, the amount and what it covers,
 * and monitoring and review dates. An awarded budget becomes a service line of the person's funding application, paid
 * to the person or their nominee and marked s117 (so never chargeable): a budget changes no body and ends no duty.
 * Pure: the caller gives the dates.
 * @see rules.md R-PHB-1 to R-PHB-4, R-DP-1, R-CHG-1, R-REVIEW-1
 */
import type { Instant, ServiceLine } from '../applications/application.ts';
import { addMonths, type LocalDate } from '../dates.ts';
import type { OrgCode } from '../facts.ts';
import type { Pence } from '../money.ts';

export const BUDGET_KINDS = ['personal-health-budget', 'direct-payment'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];
export const MANAGEMENT_MODES = ['direct-payment', 'notional', 'third-party'] as const;
export type ManagementMode = (typeof MANAGEMENT_MODES)[number];

export interface BudgetRequest {
  kind: BudgetKind;
  requestedOn: LocalDate;
  requestedBy: 'person' | 'representative' | 'authorised-person';
  /** When the person was given information about budgets (reg 32B(3)). */
  informationGivenOn?: LocalDate;
}

export interface BudgetAward {
  weeklyAmountPence: Pence;
  /** What the budget covers (the services it replaces). */
  covers: string;
  mode: ManagementMode;
  /** Who the money is paid to: the person, or a nominee who agreed (R-DP-1). */
  payee: { kind: 'person' } | { kind: 'nominee'; relationship: string; agreed: boolean };
  startDate: LocalDate;
  monitoringOn: LocalDate;
  reviewOn: LocalDate;
  /** The funding application whose care plan gains the budget's service line. */
  applicationId: string;
}

export interface BudgetDecision {
  outcome: 'awarded' | 'awarded-in-part' | 'refused';
  decidedOn: LocalDate;
  reasons: string[];
  by: { userId: string; org: OrgCode };
  at: Instant;
  award?: BudgetAward;
}

/** A request and its decision, kept on the person's record (`budgets`). */
export interface PersonalBudget {
  id: string;
  request: BudgetRequest;
  /** The body that decides: the ICB for a PHB, the council for a direct payment (R-PHB-2, R-DP-1). */
  decider: OrgCode;
  requestedAt: Instant;
  decision?: BudgetDecision;
  /** The service line added to the application's care plan on award. */
  lineId?: string;
}

export interface BudgetProblem {
  field: string;
  message: string;
  ruleIds: string[];
}

/** The body that decides a request: the episode's ICB for a PHB, its council for a direct payment. */
export function deciderOf(kind: BudgetKind, bodies: { icb: OrgCode | null; la: OrgCode | null }): OrgCode | null {
  return kind === 'personal-health-budget' ? bodies.icb : bodies.la;
}

/**
 * Whether a decision may be recorded: refusals and partial awards carry reasons (R-PHB-2: a request is granted save to
 * the extent it is not appropriate); an award carries an amount, a start no earlier than the request, a nominee who
 * agreed (R-DP-1), and a review within 12 months of the start, aligned with the joint review (R-PHB-4, R-REVIEW-1).
 * @see rules.md R-PHB-2, R-PHB-4, R-DP-1, R-REVIEW-1
 */
export function judgeBudgetDecision(budget: PersonalBudget, decision: Omit<BudgetDecision, 'by' | 'at'>): BudgetProblem[] {
  const problems: BudgetProblem[] = [];
  if (decision.decidedOn < budget.request.requestedOn)
    problems.push({ field: 'decidedOn', message: `must be on or after the request (${budget.request.requestedOn})`, ruleIds: ['R-PHB-4'] });
  if (decision.outcome !== 'awarded' && decision.reasons.length === 0)
    problems.push({
      field: 'reasons',
      message: 'a refusal, in whole or in part, must give the reasons it is not appropriate in the person’s circumstances',
      ruleIds: ['R-PHB-2', 'R-PHB-4'],
    });
  if (decision.outcome === 'refused') {
    if (decision.award !== undefined) problems.push({ field: 'award', message: 'a refusal awards nothing', ruleIds: ['R-PHB-4'] });
    return problems;
  }
  const award = decision.award;
  if (award === undefined) {
    problems.push({
      field: 'award',
      message: 'an award must say the amount, what it covers, the payee and the dates',
      ruleIds: ['R-PHB-4'],
    });
    return problems;
  }
  if (award.weeklyAmountPence <= 0)
    problems.push({ field: 'award.weeklyAmountPence', message: 'must be more than zero', ruleIds: ['R-PHB-4'] });
  if (award.startDate < budget.request.requestedOn)
    problems.push({ field: 'award.startDate', message: 'must be on or after the request', ruleIds: ['R-PHB-4'] });
  if (award.payee.kind === 'nominee' && !award.payee.agreed)
    problems.push({ field: 'award.payee.agreed', message: 'a nominee must agree to receive the payments', ruleIds: ['R-DP-1'] });
  if (award.monitoringOn < award.startDate || award.monitoringOn > award.reviewOn)
    problems.push({ field: 'award.monitoringOn', message: 'must fall between the start and the review', ruleIds: ['R-PHB-4'] });
  if (award.reviewOn <= award.startDate || award.reviewOn > addMonths(award.startDate, 12))
    problems.push({
      field: 'award.reviewOn',
      message: `must be after the start and no later than 12 months from it (${addMonths(award.startDate, 12)}), with the joint review`,
      ruleIds: ['R-PHB-4', 'R-REVIEW-1'],
    });
  return problems;
}

const KIND_WORDS: Record<BudgetKind, string> = {
  'personal-health-budget': 'Personal health budget',
  'direct-payment': 'Direct payment',
};

/**
 * The ledger's service line for an awarded budget: s117 aftercare (free to the person, never chargeable, R-PHB-3), paid
 * to the person or their nominee (no names: the provider says who is paid), from the award's start at its weekly amount.
 * @see rules.md R-PHB-3, R-PHB-4, R-CHG-1
 */
export function budgetServiceLine(budget: PersonalBudget, award: BudgetAward): ServiceLine {
  return {
    id: `budget-${budget.id}`,
    description: `${KIND_WORDS[budget.request.kind]} (${award.mode}): ${award.covers}`.slice(0, 200),
    provider: award.payee.kind === 'person' ? 'Paid to the person' : "Paid to the person's nominee",
    category: budget.request.kind === 'personal-health-budget' ? 'health' : 'social-care',
    s117: true,
    weeklyCostPence: award.weeklyAmountPence,
    startDate: award.startDate,
  };
}
