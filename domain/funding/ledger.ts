/**
 * The funding ledger, dated (issue 13 item 2): for one application and one day, what is in force. Which
 * service lines, at what weekly cost, whether s117 (free to the person) or chargeable under other law,
 * which bodies pay which pence a week, and under which decision: the funding arrangement in force (the
 * last one made that has started, as the export's funding terms read it) and the apportionment policy
 * version that shares its lines. Pure: the same inputs give the same answer, to the penny.
 * @see rules.md R-APP-1, R-CHG-1, R-CHG-3, R-WP-GEN-5
 */
import type { LocalDate } from '../dates.ts';
import type { OrgCode } from '../facts.ts';
import type { Partnership } from '../partnership.ts';
import { largestRemainder, type BasisPoints, type Pence } from '../money.ts';
import type { CarePlan, FundingArrangement, InterimCause, Party, ServiceCategory } from '../applications/application.ts';
import { chargeability } from '../apportionment/charging.ts';
import {
  fundedWeeklyCostOn,
  lineInForce,
  splitLine,
  weeklyCostOn,
  type ApportionmentPolicy,
  type SplitBasis,
} from '../apportionment/policy.ts';
import { fundingTerms, type FundingTerm } from '../apportionment/schedule.ts';

/** What the ledger needs of an application: its care plan and its arrangements, in the order made. */
export interface LedgerCase {
  partnershipId: string;
  carePlan: CarePlan;
  arrangements: readonly FundingArrangement[];
}

/** The decision a day's funding rests on. */
export interface LedgerDecision {
  arrangementId: string;
  state: FundingArrangement['state'];
  withoutPrejudice: boolean;
  /** Interim arrangements: why interim funding was started (absent on agreed ones and on older records). */
  cause?: InterimCause;
  /** The body that arranges care. */
  lead: OrgCode;
  /** The apportionment policy (or the arrangement's own shares, `arrangement:<id>`) that shares the lines. */
  policyId: string;
  policyVersion: number;
  agreementRef: string;
  ruleIds: string[];
}

export interface LedgerPayer {
  body: OrgCode;
  party: Party;
  basisPoints: BasisPoints;
  /** Whole pence a week; the payers of a line sum to its funded weekly cost exactly. */
  weeklyPence: Pence;
}

export interface LedgerLine {
  lineId: string;
  description: string;
  provider: string;
  category: ServiceCategory;
  s117: boolean;
  /** True for a line met under other law (Care Act, NHS CHC); s117 aftercare is never charged (R-CHG-1). */
  chargeable: boolean;
  /** The line's weekly cost on the day, after uplifts. */
  weeklyCostPence: Pence;
  /** The written top-up in force (R-CHG-3): payable by the person or a third party, never by the bodies. */
  topUpWeeklyPence: Pence;
  /** What the bodies fund a week: the cost less the top-up. */
  fundedWeeklyPence: Pence;
  basis: SplitBasis;
  panelDecisionRef?: string;
  payers: LedgerPayer[];
}

export interface LedgerDay {
  date: LocalDate;
  /** Null before the first arrangement starts (or when there is none): nothing is funded that day. */
  decision: LedgerDecision | null;
  lines: LedgerLine[];
  /** Sum of the lines' funded weekly pence. */
  fundedWeeklyPence: Pence;
  /** Per body, the pence a week it pays across all lines, ICB side first, in order of first appearance. */
  byBody: { body: OrgCode; party: Party; weeklyPence: Pence }[];
}

/** The funding term in force on a date: the last one that has started. */
export function termOn(terms: readonly FundingTerm[], date: LocalDate): FundingTerm | null {
  let found: FundingTerm | null = null;
  for (const t of terms) {
    if (t.from > date) break;
    found = t;
  }
  return found;
}

/** The policies a partnership's lines are shared by: its own dated policies, else one fixed split from its funding settings (R-APP-1). */
export function partnershipPolicies(p: Pick<Partnership, 'id' | 'funding' | 'apportionment'>): ApportionmentPolicy[] {
  const own = p.apportionment?.policies ?? [];
  if (own.length > 0) return own.map((policy) => ({ ...policy, partnershipId: p.id }));
  return [
    {
      id: `${p.id}-funding-settings`,
      version: 1,
      partnershipId: p.id,
      effectiveFrom: '1983-01-01',
      rule: { kind: 'fixed', icbBasisPoints: p.funding.agreedIcbShare },
      agreementRef: 'partnership funding settings',
      description: 'The agreed ICB share of the partnership funding settings, for every line.',
    },
  ];
}

/**
 * The stretches of funding of an application, each with the decision and the policy that shares its lines: what
 * `ledgerDay` reads for one day and the export's schedule reads for a period, so that both book the same terms.
 */
export function ledgerTerms(
  c: Pick<LedgerCase, 'partnershipId' | 'arrangements'>,
  policies: readonly ApportionmentPolicy[],
): FundingTerm[] {
  return fundingTerms(c.arrangements, policies, c.partnershipId);
}

/** What is in force for an application on one day. `policies` are the partnership's dated apportionment policies. */
export function inForceOn(c: LedgerCase, policies: readonly ApportionmentPolicy[], date: LocalDate): LedgerDay {
  return ledgerDay(c, ledgerTerms(c, policies), date);
}

/** As inForceOn, over terms already worked out (a caller asking about many days computes them once). */
export function ledgerDay(c: LedgerCase, terms: readonly FundingTerm[], date: LocalDate): LedgerDay {
  const term = termOn(terms, date);
  if (term === null) return { date, decision: null, lines: [], fundedWeeklyPence: 0, byBody: [] };
  const { arrangement: a, policy } = term;
  const decision: LedgerDecision = {
    arrangementId: a.id,
    state: a.state,
    withoutPrejudice: a.withoutPrejudice,
    lead: a.lead,
    policyId: policy.id,
    policyVersion: policy.version,
    agreementRef: policy.agreementRef,
    ruleIds: a.ruleIds,
  };
  if (a.cause !== undefined) decision.cause = a.cause;

  const lines: LedgerLine[] = [];
  const totals = new Map<OrgCode, { body: OrgCode; party: Party; weeklyPence: Pence }>();
  for (const line of c.carePlan.serviceLines) {
    if (!lineInForce(line, date)) continue;
    const split = splitLine(line, policy, term.bodies);
    const weeklyCostPence = weeklyCostOn(line, date);
    const fundedWeeklyPence = fundedWeeklyCostOn(line, date);
    const pence =
      split.shares.length === 0
        ? []
        : largestRemainder(
            fundedWeeklyPence,
            split.shares.map((s) => s.basisPoints),
          );
    const payers = split.shares.map((s, i) => ({ body: s.body, party: s.party, basisPoints: s.basisPoints, weeklyPence: pence[i] ?? 0 }));
    for (const p of payers) {
      const t = totals.get(p.body);
      if (t) t.weeklyPence += p.weeklyPence;
      else totals.set(p.body, { body: p.body, party: p.party, weeklyPence: p.weeklyPence });
    }
    const entry: LedgerLine = {
      lineId: line.id,
      description: line.description,
      provider: line.provider,
      category: line.category,
      s117: line.s117,
      chargeable: chargeability(line).chargeable,
      weeklyCostPence,
      topUpWeeklyPence: weeklyCostPence - fundedWeeklyPence,
      fundedWeeklyPence,
      basis: split.basis,
      payers,
    };
    if (split.panelDecisionRef !== undefined) entry.panelDecisionRef = split.panelDecisionRef;
    lines.push(entry);
  }
  const byBody = [...totals.values()].sort((x, y) => (x.party === y.party ? 0 : x.party === 'icb' ? -1 : 1));
  return { date, decision, lines, fundedWeeklyPence: lines.reduce((sum, l) => sum + l.fundedWeeklyPence, 0), byBody };
}
