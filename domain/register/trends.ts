/**
 * The maturity matrix's figures over time, for the workspace's charts (issue 16, item 3): interim exposure and
 * reviews in date at the end of each of the last months, and open disputes by age. Each point is what was known on
 * its date: an arrangement made later, or a review recorded later, does not change an earlier point.
 * Pure: every input is data.
 * @see rules.md R-WP-GEN-5 (interim funding while bodies disagree), R-REVIEW-1 (reviews), R-WP-DISP-1, R-DISP-LA-1 (disputes and their clocks)
 */
import type { Application } from '../applications/application.ts';
import { weeklyS117CostOn } from '../applications/application.ts';
import { addDays, addMonths, daysBetween, type LocalDate } from '../dates.ts';
import { arrangementOn } from '../funding/funding-decisions.ts';
import type { Pence } from '../money.ts';
import { maturityReport, type MaturityInput } from './maturity.ts';

/** The most months a trend covers: a bound on the work one page asks for. */
export const MAX_TREND_MONTHS = 24;

/** The last day of each of the `months` months to `asOf`, oldest first; the last point is `asOf` itself. */
export function monthEnds(asOf: LocalDate, months: number): LocalDate[] {
  const count = Math.max(1, Math.min(MAX_TREND_MONTHS, Math.floor(months)));
  const firstOfMonth = `${asOf.slice(0, 7)}-01`;
  const out: LocalDate[] = [];
  for (let back = count - 1; back >= 1; back -= 1) out.push(addDays(addMonths(firstOfMonth, -back + 1), -1));
  out.push(asOf);
  return out;
}

export interface InterimExposure {
  date: LocalDate;
  /** Weekly s117 cost met under interim (without-prejudice) arrangements in force on the date. */
  weeklyPence: Pence;
  arrangements: number;
}

/** Interim exposure on a date: applications whose arrangement in force, of those made by then, is interim. */
export function interimExposureOn(applications: readonly Application[], partnershipId: string, date: LocalDate): InterimExposure {
  let weeklyPence = 0;
  let arrangements = 0;
  for (const app of applications) {
    if (app.partnershipId !== partnershipId) continue;
    const known = app.arrangements.filter((a) => a.createdAt.slice(0, 10) <= date);
    const current = arrangementOn(known, date);
    if (current?.state !== 'interim') continue;
    arrangements += 1;
    weeklyPence += weeklyS117CostOn(app.carePlan, date);
  }
  return { date, weeklyPence, arrangements };
}

export interface ReviewsInDate {
  date: LocalDate;
  /** People with aftercare in force on the date. */
  inForce: number;
  /** Of them, those with no review overdue on the date. */
  inDate: number;
  /** inDate as a percentage of inForce, to one decimal place; null when nobody had aftercare in force. */
  percent: number | null;
}

/** The maturity matrix's "reviews in date" row on each date, counting only reviews recorded by then. */
export function reviewsInDateOn(input: MaturityInput, dates: readonly LocalDate[]): ReviewsInDate[] {
  return dates.map((date) => {
    const people = input.people.map((p) => ({
      ...p,
      reviews: new Map([...p.reviews].map(([episode, reviews]) => [episode, reviews.filter((r) => r.date <= date)])),
    }));
    const row = maturityReport({ ...input, asOf: date, people }).rows.find((r) => r.id === 'reviews-in-date');
    const inForce = Number(row?.detail['inForce'] ?? 0);
    const inDate = Number(row?.detail['inDate'] ?? 0);
    return { date, inForce, inDate, percent: row?.value ?? null };
  });
}

export interface AgeBand {
  label: string;
  /** Inclusive lower bound in days. */
  from: number;
  /** Inclusive upper bound in days; null for the open-ended last band. */
  to: number | null;
  count: number;
}

/** Ages in days counted into bands at the maturity matrix's dispute thresholds (mature 60, developing 120 by default). */
export function ageBands(ages: readonly number[], thresholds: { mature: number; developing: number }): AgeBand[] {
  const m = Math.max(1, Math.floor(thresholds.mature));
  const d = Math.max(m + 1, Math.floor(thresholds.developing));
  const bands: AgeBand[] = [
    { label: `0 to ${Math.floor(m / 2)} days`, from: 0, to: Math.floor(m / 2), count: 0 },
    { label: `${Math.floor(m / 2) + 1} to ${m} days`, from: Math.floor(m / 2) + 1, to: m, count: 0 },
    { label: `${m + 1} to ${d} days`, from: m + 1, to: d, count: 0 },
    { label: `Over ${d} days`, from: d + 1, to: null, count: 0 },
  ];
  for (const age of ages) {
    const band = bands.find((b) => age >= b.from && (b.to === null || age <= b.to)) ?? bands[0];
    if (band !== undefined) band.count += 1;
  }
  return bands;
}

/** Days from `from` to `asOf`, never negative. */
export const ageInDays = (from: LocalDate, asOf: LocalDate): number => Math.max(0, daysBetween(from, asOf));
