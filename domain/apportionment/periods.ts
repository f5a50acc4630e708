/**
 * UK public-sector financial periods: the financial year runs April to March and April is period 1.
 * A period is named by its calendar month, `YYYY-MM` (the export API's `period` parameter).
 */
import { fromDayNumber, isCalendarDate, toDayNumber, type LocalDate } from '../dates.ts';

export type PeriodKey = string & { readonly __brand?: 'PeriodKey' };

export interface FinancialPeriod {
  key: PeriodKey;
  /** "2024/25" for April 2024 to March 2025. */
  financialYear: string;
  /** 1 (April) to 12 (March). */
  period: number;
  start: LocalDate;
  end: LocalDate;
}

const cache = new Map<string, FinancialPeriod>();

export function isPeriodKey(s: string): s is PeriodKey {
  return /^\d{4}-\d{2}$/.test(s) && isCalendarDate(`${s}-01`);
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
  p = {
    key, financialYear: `${fyStart}/${String((fyStart + 1) % 100).padStart(2, '0')}`, period: ((m + 8) % 12) + 1,
    start: `${key}-01`, end: fromDayNumber(toDayNumber(next) - 1),
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

/** Every period from `from` to `to` inclusive, in order. */
export function periodsBetween(from: PeriodKey, to: PeriodKey): PeriodKey[] {
  const out: PeriodKey[] = [];
  for (let k = from; k <= to; k = nextPeriod(k)) out.push(k);
  return out;
}
