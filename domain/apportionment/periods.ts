/**
 * UK public-sector financial periods: the financial year runs April to March and April is period 1.
 * A period is named by its calendar month, `YYYY-MM` (the export API's `period` parameter).
 */
import { isCalendarDate, type LocalDate } from '../dates.ts';

export type PeriodKey = string & { readonly __brand?: 'PeriodKey' };

export interface FinancialPeriod {
  key: PeriodKey;
  /** "2024/25" for April 2024 to March 2025. */
  financialYear: string;
  /** 1 (April) to 12 (March). */
  period: number;
  start: LocalDate;
  end: LocalDate;
  /** `start` and `end` as day numbers (days since 1970-01-01). */
  startDay: number;
  endDay: number;
}

const cache = new Map<string, FinancialPeriod>();

export function isPeriodKey(s: string): s is PeriodKey {
  return /^\d{4}-\d{2}$/.test(s) && isCalendarDate(`${s}-01`);
}

/** The years an export or a booking may name: the API refuses a period outside them (a year before 1000 once looped). */
export const FIRST_PERIOD_YEAR = 1900;
export const LAST_PERIOD_YEAR = 2199;

/** A period key whose year is within FIRST_PERIOD_YEAR..LAST_PERIOD_YEAR. */
export function isSanePeriodKey(s: string): s is PeriodKey {
  if (!isPeriodKey(s)) return false;
  const y = Number(s.slice(0, 4));
  return y >= FIRST_PERIOD_YEAR && y <= LAST_PERIOD_YEAR;
}

/** The financial period named `YYYY-MM`. */
export function financialPeriod(key: PeriodKey): FinancialPeriod {
  let p = cache.get(key);
  if (p !== undefined) return p;
  if (!isPeriodKey(key)) throw new RangeError(`a period is YYYY-MM, got ${JSON.stringify(key)}`);
  const y = Number(key.slice(0, 4));
  const m = Number(key.slice(5, 7));
  const fyStart = m >= 4 ? y : y - 1;
  const next = m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${key.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01`;
  const endDay = dayNumber(next) - 1;
  p = {
    key,
    financialYear: `${fyStart}/${String((fyStart + 1) % 100).padStart(2, '0')}`,
    period: ((m + 8) % 12) + 1,
    start: `${key}-01`,
    end: dateOfDay(endDay),
    startDay: dayNumber(`${key}-01`),
    endDay,
  };
  if (cache.size < 10_000) cache.set(key, p);
  return p;
}

/** The period a date falls in. */
export const periodOf = (date: LocalDate): FinancialPeriod => financialPeriod(date.slice(0, 7));

/** The period after `key`. */
export function nextPeriod(key: PeriodKey): PeriodKey {
  const y = Number(key.slice(0, 4));
  const m = Number(key.slice(5, 7));
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${key.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`;
}

/** At most this many periods (a century) in one `periodsBetween`. */
export const MAX_PERIODS_BETWEEN = 1_200;

/**
 * Every period from `from` to `to` inclusive, in order. Counted in months, not by comparing keys, so that
 * no value the type admits (a malformed key, a year before 1000) can send it round for ever: a key that is
 * not YYYY-MM is a RangeError, and so is a span longer than MAX_PERIODS_BETWEEN.
 */
export function periodsBetween(from: PeriodKey, to: PeriodKey): PeriodKey[] {
  if (!isPeriodKey(from) || !isPeriodKey(to))
    throw new RangeError(`a period is YYYY-MM, got ${JSON.stringify(isPeriodKey(from) ? to : from)}`);
  const month = (k: PeriodKey): number => Number(k.slice(0, 4)) * 12 + Number(k.slice(5, 7)) - 1;
  const count = month(to) - month(from) + 1;
  if (count > MAX_PERIODS_BETWEEN) throw new RangeError(`at most ${MAX_PERIODS_BETWEEN} periods, got ${count}`);
  const out: PeriodKey[] = [];
  for (let i = 0, k = from; i < count; i += 1, k = nextPeriod(k)) out.push(k);
  return out;
}

/**
 * Days since 1970-01-01 by calendar arithmetic (H. Hinnant's days_from_civil), without a Date: the
 * same numbers as dates.ts's toDayNumber, several times faster, for the schedule's inner loop.
 */
export function dayNumber(date: LocalDate): number {
  let y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The ISO date of a day number (civil_from_days): the inverse of `dayNumber`. */
export function dateOfDay(n: number): LocalDate {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
