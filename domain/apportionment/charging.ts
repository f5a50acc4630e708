/**
 * Charging: s117 aftercare is free to the person, always; a line that is not s117 is chargeable under
 * other law; a preferred accommodation dearer than the council's usual cost may carry a written top-up
 * agreement, and only that excess is ever payable by the person or a third party.
 * @see rules.md R-CHG-1, R-CHG-2, R-CHG-3, R-CHC-1
 */
import { daysBetween, type LocalDate } from '../dates.ts';
import type { Pence } from '../money.ts';
import type { CarePlan, ServiceLine, TopUpAgreement } from '../applications/application.ts';
import { weeklyCostOn } from './policy.ts';

export interface Chargeability {
  lineId: string;
  chargeable: boolean;
  basis: 'free-s117' | 'other-law';
  ruleIds: string[];
}

/**
 * Whether the person may be charged for a line: never for s117 aftercare, whatever their means or
 * damages (R-CHG-1, R-CHG-2); a line met under other law (Care Act, NHS CHC) is marked chargeable
 * under that law, which decides whether a charge is actually made.
 * @see rules.md R-CHG-1, R-CHG-2, R-CHC-1
 */
export function chargeability(line: ServiceLine): Chargeability {
  return line.s117
    ? { lineId: line.id, chargeable: false, basis: 'free-s117', ruleIds: ['R-CHG-1', 'R-CHG-2'] }
    : { lineId: line.id, chargeable: true, basis: 'other-law', ruleIds: ['R-CHC-1'] };
}

export type TopUpCheck = { kind: 'valid'; maximumWeeklyPence: Pence } | { kind: 'invalid'; reasons: string[] };

/**
 * Checks a top-up agreement for a preferred accommodation against the line: the line must be s117
 * accommodation costing more than the usual cost, the top-up at most the excess (the council may agree
 * less, reg 4(5)), and the agreement must say who pays, from when, and when it is reviewed.
 * @see rules.md R-CHG-3 (SI 2014/2670 regs 4(2)(g), 4(3), 4(5), 5)
 */
export function checkTopUp(line: ServiceLine, agreement: TopUpAgreement): TopUpCheck {
  const reasons: string[] = [];
  if (!line.s117 || line.category !== 'accommodation') reasons.push('A top-up applies only to s117 accommodation chosen by the person.');
  const cost = weeklyCostOn(line, agreement.from);
  const excess = Math.max(0, cost - agreement.usualCostWeeklyPence);
  if (excess === 0)
    reasons.push('The preferred accommodation does not cost more than the usual cost, so nothing is payable by the person or anyone else.');
  if (!Number.isInteger(agreement.weeklyPence) || agreement.weeklyPence <= 0)
    reasons.push('The top-up must be a positive whole number of pence a week.');
  if (agreement.weeklyPence > excess)
    reasons.push(`The top-up (${agreement.weeklyPence}p a week) exceeds the cost above the usual cost (${excess}p a week).`);
  if (agreement.reviewDate <= agreement.from) reasons.push('The review date must fall after the top-up starts.');
  if (agreement.signedOn > agreement.from) reasons.push('The agreement must be signed before the top-up is first payable.');
  if (agreement.payer.kind === 'third-party' && agreement.payer.name.trim() === '') reasons.push('A third-party payer must be named.');
  return reasons.length === 0 ? { kind: 'valid', maximumWeeklyPence: excess } : { kind: 'invalid', reasons };
}

/** A charge someone raised against the person (or a third party on the person's behalf) for a line. */
export interface PersonCharge {
  id: string;
  lineId: string;
  from: LocalDate;
  to: LocalDate;
  amountPence: Pence;
  /** Who was asked to pay. */
  payer: 'person' | 'third-party';
}

export interface WrongCharge {
  chargeId: string;
  lineId: string;
  /** The part of the charge that was not payable: to be refunded (R-CHG-1: charges wrongly made can be reclaimed). */
  excessPence: Pence;
  reason: string;
}

/**
 * Finds every charge wrongly raised for an s117 line: anything beyond the top-up under a valid
 * agreement, over the days it covers. The allowance is the top-up's weekly amount × days / 7, rounded
 * half up to a penny. Charges for lines met under other law are not judged here. The register's
 * maturity measure counts these, and it must be zero.
 * @see rules.md R-CHG-1, R-CHG-3
 */
export function wrongCharges(plan: CarePlan, charges: readonly PersonCharge[]): WrongCharge[] {
  const lines = new Map(plan.serviceLines.map((l) => [l.id, l]));
  const wrong: WrongCharge[] = [];
  for (const c of charges) {
    const line = lines.get(c.lineId);
    if (line === undefined) {
      wrong.push({ chargeId: c.id, lineId: c.lineId, excessPence: c.amountPence, reason: 'The charge names no line of the care plan.' });
      continue;
    }
    if (!line.s117) continue;
    const allowed = topUpAllowance(line, c.payer, c.from, c.to);
    if (c.amountPence > allowed) {
      wrong.push({
        chargeId: c.id,
        lineId: c.lineId,
        excessPence: c.amountPence - allowed,
        reason:
          allowed === 0
            ? 's117 aftercare is free: no charge may be made for it (R-CHG-1).'
            : 'Only the agreed top-up above the usual cost may be charged for s117 accommodation (R-CHG-3).',
      });
    }
  }
  return wrong;
}

function topUpAllowance(line: ServiceLine, payer: PersonCharge['payer'], from: LocalDate, to: LocalDate): Pence {
  const t = line.topUp;
  if (t === undefined || t.payer.kind !== payer || checkTopUp(line, t).kind !== 'valid') return 0;
  const start = from > t.from ? from : t.from;
  const end = line.endDate !== undefined && line.endDate < to ? line.endDate : to;
  const days = daysBetween(start, end) + 1;
  return days <= 0 ? 0 : Math.floor((2 * t.weeklyPence * days + 7) / 14);
}
