/**
 * The cost schedule: service lines with weekly costs, start and end dates, uplifts and top-ups, turned
 * into commitments per paying body per financial period (April is period 1).
 *
 * Rounding, precisely:
 * 1. A line's exact cost over any span is Σ weekly × days / 7 over the spans where its weekly cost and
 *    funding term are constant. The schedule keeps that sum exactly, in sevenths of a penny (integers).
 * 2. A period's gross cost is the line's cumulative exact cost at the period's end, rounded half up to
 *    a penny, less the same at the previous period's end. The sum over any run of periods from the
 *    line's first committed day is therefore the exact total rounded once: no drift, however many
 *    periods, and each period is within a penny of its own exact cost.
 * 3. A period's gross is shared between the bodies by largest remainder over each body's exact
 *    day-weighted share within the period (weekly × days × basis points): the parts sum to the period
 *    gross to the penny, none is negative, and a body that pays nothing in the period gets no part. A
 *    body's total over n periods is within n pence of its exact share (in practice far less, as the
 *    remainders fall either way); the bodies' totals always sum to the line total exactly.
 * Days before any funding arrangement starts are not committed and do not count.
 * @see rules.md R-APP-1
 */
import { fromDayNumber, toDayNumber, type LocalDate } from '../dates.ts';
import type { OrgCode } from '../facts.ts';
import { largestRemainder, WHOLE, type BasisPoints, type Pence } from '../money.ts';
import type { CarePlan, FundingArrangement, Party, ServiceLine } from '../applications/application.ts';
import {
  arrangementPolicy,
  bodiesOf,
  fundedWeeklyCostOn,
  policyInForce,
  splitLine,
  type ApportionmentPolicy,
  type BodyShare,
  type LineSplit,
  type PayerBodies,
} from './policy.ts';
import { dateOfDay, dayNumber, financialPeriod, nextPeriod, periodOf, type FinancialPeriod, type PeriodKey } from './periods.ts';

/** One stretch of funding: an arrangement and the policy that shares its lines, from a date until the next term. */
export interface FundingTerm {
  from: LocalDate;
  arrangement: FundingArrangement;
  policy: ApportionmentPolicy;
  bodies: PayerBodies;
}

/**
 * The funding terms of an application: on each date the arrangement in force is the last one made
 * that has started (a final arrangement made at settlement, starting on the interim start date,
 * replaces the interim one from its first day). Interim arrangements keep their own without-prejudice
 * shares; agreed ones follow the partnership's policy in force, else their own shares (R-APP-1).
 */
export function fundingTerms(
  arrangements: readonly FundingArrangement[],
  policies: readonly ApportionmentPolicy[],
  partnershipId: string,
): FundingTerm[] {
  if (arrangements.length === 0) return [];
  const own = policies.filter((p) => p.partnershipId === partnershipId);
  const points = new Set<LocalDate>(arrangements.map((a) => a.startDate));
  for (const p of own) {
    points.add(p.effectiveFrom);
    if (p.effectiveTo !== undefined) points.add(fromDayNumber(toDayNumber(p.effectiveTo) + 1));
  }
  const terms: FundingTerm[] = [];
  for (const date of [...points].sort()) {
    let arrangement: FundingArrangement | undefined;
    for (const a of arrangements) if (a.startDate <= date) arrangement = a;
    if (arrangement === undefined) continue;
    const policy =
      arrangement.state === 'interim'
        ? arrangementPolicy(arrangement, partnershipId)
        : (policyInForce(own, date) ?? arrangementPolicy(arrangement, partnershipId));
    const prev = terms.at(-1);
    if (prev !== undefined && prev.arrangement === arrangement && prev.policy.id === policy.id && prev.policy.version === policy.version)
      continue;
    terms.push({ from: date, arrangement, policy, bodies: bodiesOf(arrangement) });
  }
  return terms;
}

export interface PeriodShare {
  body: OrgCode;
  party: Party;
  /** The body's day-weighted share of the period (its split when the split did not change). */
  basisPoints: BasisPoints;
  pence: Pence;
}

export interface PeriodCommitment {
  period: FinancialPeriod;
  lineId: string;
  /** First and last day of the line in force and committed within the period. */
  serviceFrom: LocalDate;
  serviceTo: LocalDate;
  days: number;
  grossPence: Pence;
  /** The weekly rate funded throughout the period; null when it changed within the period. */
  weeklyRatePence: Pence | null;
  /** The term in force on the period's last committed day, and its split of the line. */
  term: FundingTerm;
  split: LineSplit;
  shares: PeriodShare[];
}

/**
 * A line's commitments per financial period, from its first committed day up to `through` (inclusive),
 * lazily, one period at a time. See the module comment for the rounding.
 */
export function* lineSchedule(line: ServiceLine, terms: readonly FundingTerm[], through: LocalDate): Generator<PeriodCommitment> {
  const firstTerm = terms[0];
  if (firstTerm === undefined) return;
  const first = line.startDate > firstTerm.from ? line.startDate : firstTerm.from;
  const lastDate = line.endDate !== undefined && line.endDate < through ? line.endDate : through;
  if (first > lastDate) return;
  const last = dayNumber(lastDate);
  const termDays = terms.map((t) => dayNumber(t.from));

  // Every body that pays under any term, by index; each term's split as (body index, basis points) pairs.
  const bodies: { body: OrgCode; party: Party }[] = [];
  const index = new Map<OrgCode, number>();
  const splits: (LineSplit | undefined)[] = [];
  const splitIndexes: (number[] | undefined)[] = [];
  const splitOf = (i: number): LineSplit => {
    let split = splits[i];
    if (split === undefined) {
      const term = terms[i] as FundingTerm;
      split = splitLine(line, term.policy, term.bodies);
      splits[i] = split;
      splitIndexes[i] = split.shares.map((sh) => {
        let k = index.get(sh.body);
        if (k === undefined) {
          k = bodies.length;
          index.set(sh.body, k);
          bodies.push({ body: sh.body, party: sh.party });
        }
        return k;
      });
    }
    return split;
  };

  // The funded weekly cost changes only on uplift and top-up dates: priced once each, here.
  const changeDates = [...new Set([...(line.uplifts ?? []).map((u) => u.from), ...(line.topUp ? [line.topUp.from] : [])])].sort();
  const changeDays = changeDates.map(dayNumber);
  const changeWeekly = changeDates.map((d) => fundedWeeklyCostOn(line, d));

  let day = dayNumber(first);
  let weekly = fundedWeeklyCostOn(line, first);
  let termIdx = 0;
  let changeIdx = 0;
  while (changeIdx < changeDays.length && (changeDays[changeIdx] as number) <= day) changeIdx += 1;
  let cumulativeSevenths = 0;
  let cumulativePence = 0;
  let weights: number[] = [];
  let period = periodOf(first);
  while (day <= last) {
    if (day > period.endDay) period = financialPeriod(nextPeriod(period.key));
    const periodEnd = Math.min(period.endDay, last);
    for (let k = 0; k < weights.length; k += 1) weights[k] = 0;
    let sevenths = 0;
    let rate: number | null | undefined;
    let seg = day;
    while (seg <= periodEnd) {
      while (termIdx + 1 < terms.length && (termDays[termIdx + 1] as number) <= seg) termIdx += 1;
      while (changeIdx < changeDays.length && (changeDays[changeIdx] as number) <= seg) {
        weekly = changeWeekly[changeIdx] as number;
        changeIdx += 1;
      }
      const nextTerm = termIdx + 1 < terms.length ? (termDays[termIdx + 1] as number) : Infinity;
      const nextChange = changeIdx < changeDays.length ? (changeDays[changeIdx] as number) : Infinity;
      const segEnd = Math.min(periodEnd, nextTerm - 1, nextChange - 1);
      const days = segEnd - seg + 1;
      sevenths += weekly * days;
      rate = rate === undefined ? weekly : rate === weekly ? rate : null;
      const shares = splitOf(termIdx).shares;
      const at = splitIndexes[termIdx] as number[];
      if (weights.length < bodies.length) weights = bodies.map((_, k) => weights[k] ?? 0);
      for (let j = 0; j < shares.length; j += 1) {
        const k = at[j] as number;
        weights[k] = (weights[k] as number) + weekly * days * (shares[j] as BodyShare).basisPoints;
      }
      seg = segEnd + 1;
    }
    cumulativeSevenths += sevenths;
    if (!Number.isSafeInteger(cumulativeSevenths * WHOLE))
      throw new RangeError(`line ${line.id}: cumulative cost too large to keep exactly`);
    const cumulative = Math.floor((2 * cumulativeSevenths + 7) / 14);
    const gross = cumulative - cumulativePence;
    cumulativePence = cumulative;

    const split = splitOf(termIdx);
    const payers: number[] = [];
    const ws: number[] = [];
    for (let k = 0; k < weights.length; k += 1) {
      if ((weights[k] as number) > 0) {
        payers.push(k);
        ws.push(weights[k] as number);
      }
    }
    if (payers.length === 0) {
      // Nothing was funded (a zero weekly cost): the split in force stands, for zero pence.
      for (const [j, sh] of split.shares.entries()) {
        payers.push((splitIndexes[termIdx] as number[])[j] as number);
        ws.push(sh.basisPoints);
      }
    }
    const shares: PeriodShare[] = [];
    if (payers.length > 0) {
      const pence = largestRemainder(gross, ws);
      const bp = largestRemainder(WHOLE, ws);
      for (let j = 0; j < payers.length; j += 1) {
        const b = bodies[payers[j] as number] as { body: OrgCode; party: Party };
        shares.push({ body: b.body, party: b.party, basisPoints: bp[j] ?? 0, pence: pence[j] ?? 0 });
      }
    }
    yield {
      period,
      lineId: line.id,
      serviceFrom: day === period.startDay ? period.start : dateOfDay(day),
      serviceTo: periodEnd === period.endDay ? period.end : dateOfDay(periodEnd),
      days: periodEnd - day + 1,
      grossPence: gross,
      weeklyRatePence: rate ?? null,
      term: terms[termIdx] as FundingTerm,
      split,
      shares,
    };
    day = periodEnd + 1;
  }
}

/** Every line's commitments, line by line in plan order. */
export function* planSchedule(plan: CarePlan, terms: readonly FundingTerm[], through: LocalDate): Generator<PeriodCommitment> {
  for (const line of plan.serviceLines) yield* lineSchedule(line, terms, through);
}

export interface PayerCommitment {
  body: OrgCode;
  period: PeriodKey;
  pence: Pence;
}

/** Commitments per paying body per period, summed over the lines, ordered by period then body. */
export function payerCommitments(plan: CarePlan, terms: readonly FundingTerm[], through: LocalDate): PayerCommitment[] {
  const totals = new Map<string, PayerCommitment>();
  for (const c of planSchedule(plan, terms, through)) {
    for (const s of c.shares) {
      const key = `${c.period.key}|${s.body}`;
      const t = totals.get(key);
      if (t === undefined) totals.set(key, { body: s.body, period: c.period.key, pence: s.pence });
      else t.pence += s.pence;
    }
  }
  return [...totals.values()].sort((a, b) =>
    a.period < b.period ? -1 : a.period > b.period ? 1 : a.body < b.body ? -1 : a.body > b.body ? 1 : 0,
  );
}
