/**
 * Apportionment: how the cost of each s117 service line is shared between the ICB(s) and the
 * council(s). The Mental Health Act does not split the cost (R-APP-1): each partnership agrees its own
 * policy, dated, and the policy id and version are recorded on every split it produces. Shares are
 * basis points and whole pence with largest-remainder rounding, so the parts always sum to the whole.
 */
import { type LocalDate } from '../dates.ts';
import type { OrgCode } from '../facts.ts';
import { largestRemainder, WHOLE, type BasisPoints, type Pence } from '../money.ts';
import type { CarePlan, FundingArrangement, Party, ServiceCategory, ServiceLine } from '../applications/application.ts';

/** How a policy shares a line: always as the ICB's part in basis points, the council(s) bearing the rest. */
export type ApportionmentRule =
  /** One split for every line (Surrey: 50:50). */
  | { kind: 'fixed'; icbBasisPoints: BasisPoints }
  /** A split per service category, e.g. health 100% ICB, social care 0%, accommodation 50%. */
  | { kind: 'by-category'; icbBasisPoints: Record<ServiceCategory, BasisPoints> }
  /** The split each line was given at panel; a line not yet agreed uses `unagreedIcbBasisPoints` meanwhile. */
  | { kind: 'per-line'; unagreedIcbBasisPoints: BasisPoints }
  /** The lead commissioner's side pays all. */
  | { kind: 'lead-commissioner'; lead: Party }
  /** The shares written on a funding arrangement (an interim without-prejudice split, or R-APP-1's default). */
  | { kind: 'arrangement'; icbBasisPoints: BasisPoints };

export interface ApportionmentPolicy {
  id: string;
  version: number;
  partnershipId: string;
  /** First day the policy applies (inclusive). */
  effectiveFrom: LocalDate;
  /** Last day the policy applies (inclusive); open-ended when absent. */
  effectiveTo?: LocalDate;
  rule: ApportionmentRule;
  /** The local agreement the policy comes from (a s75 agreement, a joint policy), quoted in exports. */
  agreementRef: string;
  description: string;
}

/** The split method written on every share and export row. */
export type SplitBasis =
  'FIXED' | 'BY_CATEGORY' | 'PER_LINE_PANEL' | 'PER_LINE_UNAGREED' | 'LEAD_COMMISSIONER' | 'ARRANGEMENT' | 'OTHER_LAW';

/** The bodies on each side and their relative weights within the side (two ICBs sharing the NHS part 50:50). */
export interface PayerBodies {
  icb: readonly BodyWeight[];
  la: readonly BodyWeight[];
}

export interface BodyWeight {
  body: OrgCode;
  weight: number;
}

export interface BodyShare {
  body: OrgCode;
  party: Party;
  basisPoints: BasisPoints;
}

export interface LineSplit {
  basis: SplitBasis;
  /** Parties with a positive share only, ICB side first, each side in the order of `bodies`; sums to WHOLE. */
  shares: BodyShare[];
  /** The panel decision behind a per-line split. */
  panelDecisionRef?: string;
  decisionDate?: LocalDate;
}

export interface LineApportionment extends LineSplit {
  lineId: string;
  category: ServiceCategory;
  s117: boolean;
  /** The weekly cost the bodies fund on the date: the line's cost less any top-up (R-CHG-3). */
  weeklyCostPence: Pence;
  weeklyPence: Pence[];
}

export interface Apportionment {
  policyId: string;
  policyVersion: number;
  date: LocalDate;
  lines: LineApportionment[];
  weeklyTotalPence: Pence;
}

/**
 * The policy in force on `date`: of those whose dates cover it, the latest `effectiveFrom`, then the
 * highest version. Null when none covers the date (the arrangement's own shares then apply, R-APP-1).
 */
export function policyInForce(policies: readonly ApportionmentPolicy[], date: LocalDate): ApportionmentPolicy | null {
  let best: ApportionmentPolicy | null = null;
  for (const p of policies) {
    if (p.effectiveFrom > date || (p.effectiveTo !== undefined && p.effectiveTo < date)) continue;
    if (best === null || p.effectiveFrom > best.effectiveFrom || (p.effectiveFrom === best.effectiveFrom && p.version > best.version))
      best = p;
  }
  return best;
}

/** The bodies of a funding arrangement, grouped by side, weighted by their shares. */
export function bodiesOf(arrangement: FundingArrangement): PayerBodies {
  const side = (party: Party): BodyWeight[] =>
    arrangement.shares.filter((s) => s.party === party && s.basisPoints > 0).map((s) => ({ body: s.body, weight: s.basisPoints }));
  return { icb: side('icb'), la: side('la') };
}

/** The arrangement's own shares as a policy: interim funding, or an agreement made before any policy. */
export function arrangementPolicy(arrangement: FundingArrangement, partnershipId: string): ApportionmentPolicy {
  const icb = arrangement.shares.filter((s) => s.party === 'icb').reduce((sum, s) => sum + s.basisPoints, 0);
  const all = arrangement.shares.reduce((sum, s) => sum + s.basisPoints, 0);
  if (all <= 0) throw new RangeError(`arrangement ${arrangement.id} has no shares`);
  return {
    id: `arrangement:${arrangement.id}`,
    version: 1,
    partnershipId,
    effectiveFrom: arrangement.startDate,
    rule: { kind: 'arrangement', icbBasisPoints: all === WHOLE ? icb : Math.round((icb * WHOLE) / all) },
    agreementRef: arrangement.id,
    description: arrangement.basis,
  };
}

/**
 * The ICB/council split of one line under a policy, spread over the bodies on each side. s117 lines
 * follow the policy; a line that is not s117 is met under other law (R-CHC-1): NHS continuing
 * healthcare for a health line, the Care Act (chargeable) otherwise. When one side has no body yet,
 * the other side bears the whole line: the duty is joint and care never waits (R-APP-1).
 * @see rules.md R-APP-1, R-CHC-1
 */
export function splitLine(line: ServiceLine, policy: ApportionmentPolicy, bodies: PayerBodies): LineSplit {
  const { basis, icb, panel } = icbShareOf(line, policy.rule);
  const sideIcb = bodies.la.length === 0 ? WHOLE : bodies.icb.length === 0 ? 0 : icb;
  if (bodies.icb.length === 0 && bodies.la.length === 0) throw new RangeError(`no paying body for line ${line.id}`);
  const weights: number[] = [];
  const who: { body: OrgCode; party: Party }[] = [];
  const spread = (party: Party, side: readonly BodyWeight[], part: number): void => {
    const sum = side.reduce((a, b) => a + b.weight, 0);
    for (const b of side) {
      who.push({ body: b.body, party });
      weights.push(sum > 0 ? (part * b.weight) / sum : 0);
    }
  };
  spread('icb', bodies.icb, sideIcb);
  spread('la', bodies.la, WHOLE - sideIcb);
  const bp = largestRemainder(WHOLE, weights);
  const shares: BodyShare[] = [];
  who.forEach((w, i) => {
    const basisPoints = bp[i] ?? 0;
    if (basisPoints > 0) shares.push({ body: w.body, party: w.party, basisPoints });
  });
  const split: LineSplit = { basis, shares };
  if (panel !== undefined) {
    split.panelDecisionRef = panel.panelDecisionRef;
    split.decisionDate = panel.decisionDate;
  }
  return split;
}

function icbShareOf(
  line: ServiceLine,
  rule: ApportionmentRule,
): { basis: SplitBasis; icb: number; panel?: { panelDecisionRef: string; decisionDate: LocalDate } } {
  if (!line.s117) return { basis: 'OTHER_LAW', icb: line.category === 'health' ? WHOLE : 0 };
  switch (rule.kind) {
    case 'fixed':
      return { basis: 'FIXED', icb: checkedShare(rule.icbBasisPoints) };
    case 'by-category':
      return { basis: 'BY_CATEGORY', icb: checkedShare(rule.icbBasisPoints[line.category]) };
    case 'per-line':
      return line.agreedSplit === undefined
        ? { basis: 'PER_LINE_UNAGREED', icb: checkedShare(rule.unagreedIcbBasisPoints) }
        : { basis: 'PER_LINE_PANEL', icb: checkedShare(line.agreedSplit.icbBasisPoints), panel: line.agreedSplit };
    case 'lead-commissioner':
      return { basis: 'LEAD_COMMISSIONER', icb: rule.lead === 'icb' ? WHOLE : 0 };
    case 'arrangement':
      return { basis: 'ARRANGEMENT', icb: checkedShare(rule.icbBasisPoints) };
  }
}

function checkedShare(bp: number): number {
  if (!Number.isInteger(bp) || bp < 0 || bp > WHOLE) throw new RangeError(`a share must be 0..${WHOLE} basis points, got ${bp}`);
  return bp;
}

/** The weekly cost of a line on a date, after uplifts (the latest uplift on or before the date wins). */
export function weeklyCostOn(line: ServiceLine, date: LocalDate): Pence {
  let cost = line.weeklyCostPence;
  let from = '';
  for (const u of line.uplifts ?? []) {
    if (u.from <= date && u.from >= from) {
      cost = u.weeklyCostPence;
      from = u.from;
    }
  }
  return cost;
}

/** What the bodies fund a week on a date: the line's cost less the top-up in force (R-CHG-3), never below zero. */
export function fundedWeeklyCostOn(line: ServiceLine, date: LocalDate): Pence {
  const cost = weeklyCostOn(line, date);
  const topUp = line.topUp !== undefined && line.topUp.from <= date ? line.topUp.weeklyPence : 0;
  return Math.max(0, cost - topUp);
}

export const lineInForce = (line: ServiceLine, date: LocalDate): boolean =>
  line.startDate <= date && (line.endDate === undefined || line.endDate >= date);

/**
 * The weekly split of a care plan on one date: per line in force, per paying body, basis points and
 * pence (largest remainder, so each line's shares sum to its weekly cost to the penny).
 * @see rules.md R-APP-1
 */
export function apportion(plan: CarePlan, policy: ApportionmentPolicy, bodies: PayerBodies, date: LocalDate): Apportionment {
  const lines: LineApportionment[] = [];
  for (const line of plan.serviceLines) {
    if (!lineInForce(line, date)) continue;
    const split = splitLine(line, policy, bodies);
    const weeklyCostPence = fundedWeeklyCostOn(line, date);
    const weeklyPence =
      split.shares.length === 0
        ? []
        : largestRemainder(
            weeklyCostPence,
            split.shares.map((s) => s.basisPoints),
          );
    lines.push({ lineId: line.id, category: line.category, s117: line.s117, weeklyCostPence, ...split, weeklyPence });
  }
  return {
    policyId: policy.id,
    policyVersion: policy.version,
    date,
    lines,
    weeklyTotalPence: lines.reduce((sum, l) => sum + l.weeklyCostPence, 0),
  };
}
