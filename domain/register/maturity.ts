/**
 * The statutory guidance's s117 maturity matrix, measured from the register and the funding applications:
 * each row a figure, and where the partnership sits (underdeveloped, developing, mature) against
 * thresholds that are partnership configuration (`Partnership.maturity`). Pure: every input is data.
 * @see rules.md R-REVIEW-1, R-END-1, R-END-3, R-CHG-1, R-WP-GEN-5
 */
import type { Application } from '../applications/application.ts';
import { weeklyS117CostOn } from '../applications/application.ts';
import { readyForCareOn } from '../applications/discharge.ts';
import { addMonths, daysBetween, type LocalDate } from '../dates.ts';
import type { CaseEvent } from '../facts.ts';
import { formatPounds } from '../money.ts';
import { REGISTER_STATUSES, statusOn, type Episode, type RegisterStatus } from './register.ts';
import { DEFAULT_REVIEW_SETTINGS, overdue, reviewSchedule, type Review, type ReviewSettings } from './reviews.ts';

export type MaturityLevel = 'underdeveloped' | 'developing' | 'mature' | 'no-data';

export interface Threshold {
  mature: number;
  developing: number;
}

export const MATURITY_ROWS = [
  'register',
  'reviews-in-date',
  'disputes',
  'interim-funding',
  'days-to-agreed-funding',
  'readmissions',
  'endings-with-person',
  'wrong-charges',
] as const;
export type MaturityRowId = (typeof MATURITY_ROWS)[number];

/** Thresholds per row; whether higher or lower is better is fixed by the row. */
export type MaturityThresholds = Record<MaturityRowId, Threshold>;

export const DEFAULT_MATURITY_THRESHOLDS: MaturityThresholds = Object.freeze({
  /** % of open episodes with a named practitioner and both bodies named (higher is better). */
  register: { mature: 95, developing: 70 },
  /** % of people with aftercare in force and no review overdue (higher is better). */
  'reviews-in-date': { mature: 95, developing: 75 },
  /** Age in days of the oldest open dispute (lower is better). */
  disputes: { mature: 60, developing: 120 },
  /** Weekly cost in pence of interim arrangements in force (lower is better). */
  'interim-funding': { mature: 200_000, developing: 1_000_000 },
  /** Median days from clinically ready (else the requested start) to agreed funding (lower is better: 0 means no discharge waited). */
  'days-to-agreed-funding': { mature: 0, developing: 14 },
  /** Readmissions in the last 12 months per 100 people with aftercare (lower is better). */
  readmissions: { mature: 10, developing: 20 },
  /** % of joint endings with the person involved (higher is better). */
  'endings-with-person': { mature: 100, developing: 80 },
  /** Charges wrongly raised against people for s117 aftercare (lower is better; should be zero). */
  'wrong-charges': { mature: 0, developing: 2 },
});

const HIGHER_IS_BETTER: ReadonlySet<MaturityRowId> = new Set(['register', 'reviews-in-date', 'endings-with-person']);

export interface MaturityRow {
  id: MaturityRowId;
  title: string;
  /** The row's headline figure; null when there is nothing to measure yet. */
  value: number | null;
  unit: 'percent' | 'days' | 'pence-per-week' | 'per-100-people' | 'count';
  /** Plain-English figure for the page. */
  display: string;
  level: MaturityLevel;
  threshold: Threshold & { better: 'higher' | 'lower' };
  detail: Record<string, number | string | null>;
}

/** A figure or threshold in its row's unit, as a page writes it: pence as pounds and pence, never raw pence. */
export function formatMeasure(unit: MaturityRow['unit'], value: number): string {
  switch (unit) {
    case 'pence-per-week':
      return `${formatPounds(value)} a week`;
    case 'percent':
      return `${value}%`;
    case 'days':
      return `${value} ${value === 1 ? 'day' : 'days'}`;
    case 'per-100-people':
      return `${value} per 100 people`;
    case 'count':
      return String(value);
  }
}

/** A row's thresholds in words: "mature at most £2,000.00 a week; developing at most £10,000.00 a week". */
export function thresholdText(row: Pick<MaturityRow, 'unit' | 'threshold'>): string {
  const bound = row.threshold.better === 'higher' ? 'at least' : 'at most';
  return `mature ${bound} ${formatMeasure(row.unit, row.threshold.mature)}; developing ${bound} ${formatMeasure(row.unit, row.threshold.developing)}`;
}

export interface MaturityReport {
  partnershipId: string;
  asOf: LocalDate;
  statuses: Record<RegisterStatus, number>;
  people: number;
  rows: MaturityRow[];
}

/** One person's register data, as the report reads it. */
export interface PersonRegisterData {
  events: readonly CaseEvent[];
  episodes: readonly Episode[];
  reviews: ReadonlyMap<string, readonly Review[]>;
}

export interface MaturityInput {
  partnershipId: string;
  asOf: LocalDate;
  people: readonly PersonRegisterData[];
  applications: readonly Application[];
  /** Charges wrongly raised (from `wrongCharges` over each application's care plan). */
  wrongCharges: { count: number; excessPence: number };
  reviewSettings?: ReviewSettings;
  thresholds?: MaturityThresholds;
}

export function levelFor(id: MaturityRowId, value: number | null, t: Threshold): MaturityLevel {
  if (value === null) return 'no-data';
  if (HIGHER_IS_BETTER.has(id)) return value >= t.mature ? 'mature' : value >= t.developing ? 'developing' : 'underdeveloped';
  return value <= t.mature ? 'mature' : value <= t.developing ? 'developing' : 'underdeveloped';
}

const pct = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Computes the matrix for one partnership on `asOf`.
 * Readmissions: a fresh qualifying detention (an episode ended by re-detention) or an informal or s2-type
 * admission while aftercare was in force, in the 12 months to `asOf`.
 */
export function maturityReport(input: MaturityInput): MaturityReport {
  const { asOf } = input;
  const settings = input.reviewSettings ?? DEFAULT_REVIEW_SETTINGS;
  const thresholds = input.thresholds ?? DEFAULT_MATURITY_THRESHOLDS;
  const statuses = Object.fromEntries(REGISTER_STATUSES.map((s) => [s, 0])) as Record<RegisterStatus, number>;
  let open = 0;
  let openComplete = 0;
  let inForce = 0;
  let inDate = 0;
  let overdueReviews = 0;
  let readmissions = 0;
  let peopleWithAftercare = 0;
  let endings = 0;
  let endingsWithPerson = 0;
  const yearAgo = addMonths(asOf, -12);

  for (const person of input.people) {
    let hadAftercare = false;
    for (const episode of person.episodes) {
      if (episode.detentionFrom > asOf) continue;
      const reviews = person.reviews.get(episode.id) ?? [];
      const status = statusOn(episode, { events: person.events, reviews, asOf, settings });
      statuses[status] += 1;
      if (status === 'eligible' || status === 'active' || status === 'review-due') {
        open += 1;
        if (episode.namedPractitioner !== undefined && episode.icb.body !== null && episode.localAuthority.body !== null) openComplete += 1;
      }
      if (status === 'active' || status === 'review-due') {
        inForce += 1;
        const schedule = reviewSchedule({ arose: episode.dutyArose, ended: episode.ended?.date, events: person.events, reviews }, settings);
        const late = overdue(schedule, asOf).length;
        overdueReviews += late;
        if (late === 0) inDate += 1;
      }
      if (episode.dutyArose !== undefined && episode.dutyArose <= asOf && (episode.ended === undefined || episode.ended.date >= yearAgo))
        hadAftercare = true;
      if (
        episode.ended?.by === 're-detention' &&
        episode.ended.date > yearAgo &&
        episode.ended.date <= asOf &&
        episode.dutyArose !== undefined
      )
        readmissions += 1;
      if (episode.ended?.by === 'joint-decision' && episode.ended.date <= asOf) {
        endings += 1;
        if (episode.ended.personInvolved === true) endingsWithPerson += 1;
      }
      if (episode.dutyArose !== undefined) {
        const until = episode.ended?.date ?? asOf;
        readmissions += person.events.filter((e) => {
          const from =
            e.type === 'informal-admission'
              ? e.from
              : e.type === 'detention' && ['2', '4', '5(2)', '5(4)', '136', '135'].includes(e.section)
                ? e.from
                : undefined;
          return from !== undefined && from > (episode.dutyArose as LocalDate) && from < until && from > yearAgo && from <= asOf;
        }).length;
      }
    }
    if (hadAftercare) peopleWithAftercare += 1;
  }

  const apps = input.applications.filter((a) => a.partnershipId === input.partnershipId);
  const disputes = apps.filter((a) => a.status === 'in-dispute' || a.status === 'interim');
  const ages = disputes.map((a) => Math.max(0, daysBetween(a.createdAt.slice(0, 10), asOf)));
  let interimPence = 0;
  for (const a of apps) {
    const current = a.arrangements.at(-1);
    if (current?.state === 'interim' && current.startDate <= asOf) interimPence += weeklyS117CostOn(a.carePlan, asOf);
  }
  const daysToAgreed = apps.flatMap((a) => {
    const agreed = a.arrangements.find((x) => x.state === 'agreed');
    return agreed === undefined ? [] : [Math.max(0, daysBetween(readyForCareOn(a), agreed.createdAt.slice(0, 10)))];
  });

  const row = (
    id: MaturityRowId,
    title: string,
    value: number | null,
    unit: MaturityRow['unit'],
    display: string,
    detail: MaturityRow['detail'],
  ): MaturityRow => {
    const t = thresholds[id];
    return {
      id,
      title,
      value,
      unit,
      display,
      level: levelFor(id, value, t),
      threshold: { ...t, better: HIGHER_IS_BETTER.has(id) ? 'higher' : 'lower' },
      detail,
    };
  };
  const registerPct = pct(openComplete, open);
  const reviewsPct = pct(inDate, inForce);
  const oldest = ages.length === 0 ? 0 : Math.max(...ages);
  const medianDays = median(daysToAgreed);
  const readmissionRate = peopleWithAftercare === 0 ? null : Math.round((1000 * readmissions) / peopleWithAftercare) / 10;
  const endingsPct = pct(endingsWithPerson, endings);
  const rows: MaturityRow[] = [
    row(
      'register',
      'People on the joint register, with a named practitioner and both bodies',
      registerPct,
      'percent',
      registerPct === null ? 'Nobody is on the register yet' : `${registerPct}% of ${open} open records complete`,
      { ...statuses, open, complete: openComplete },
    ),
    row(
      'reviews-in-date',
      'Reviews in date',
      reviewsPct,
      'percent',
      reviewsPct === null ? 'Nobody has aftercare in force yet' : `${inDate} of ${inForce} people (${reviewsPct}%) have no review overdue`,
      { inForce, inDate, overdueReviews },
    ),
    row(
      'disputes',
      'Disputes open and their age',
      oldest,
      'days',
      disputes.length === 0 ? 'No disputes open' : `${disputes.length} open; the oldest ${oldest} days`,
      { open: disputes.length, oldestDays: oldest, medianDays: median(ages) },
    ),
    row(
      'interim-funding',
      'Interim funding outstanding',
      interimPence,
      'pence-per-week',
      `${formatPounds(interimPence)} a week under interim arrangements`,
      { arrangements: apps.filter((a) => a.arrangements.at(-1)?.state === 'interim').length, weeklyPence: interimPence },
    ),
    row(
      'days-to-agreed-funding',
      'Days from clinically ready to agreed funding',
      medianDays,
      'days',
      medianDays === null ? 'No funding agreed yet' : `median ${medianDays} days over ${daysToAgreed.length} agreements`,
      { agreements: daysToAgreed.length, medianDays, longestDays: daysToAgreed.length === 0 ? null : Math.max(...daysToAgreed) },
    ),
    row(
      'readmissions',
      'Readmissions of people on s117 (last 12 months)',
      readmissionRate,
      'per-100-people',
      readmissionRate === null ? 'Nobody has had aftercare yet' : `${readmissions} readmissions among ${peopleWithAftercare} people`,
      { readmissions, people: peopleWithAftercare },
    ),
    row(
      'endings-with-person',
      'Endings of aftercare with the person involved',
      endingsPct,
      'percent',
      endingsPct === null ? 'No aftercare has ended by joint decision' : `${endingsWithPerson} of ${endings} endings involved the person`,
      { endings, withPerson: endingsWithPerson },
    ),
    row(
      'wrong-charges',
      'Charges wrongly raised (should be zero)',
      input.wrongCharges.count,
      'count',
      `${input.wrongCharges.count} wrong charges, ${formatPounds(input.wrongCharges.excessPence)} to refund`,
      { count: input.wrongCharges.count, excessPence: input.wrongCharges.excessPence },
    ),
  ];
  return { partnershipId: input.partnershipId, asOf, statuses, people: input.people.length, rows };
}
