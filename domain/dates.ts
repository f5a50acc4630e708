/**
 * Calendar dates as `YYYY-MM-DD` strings. The law works in days, not instants, so the domain never
 * touches time zones or clocks: ISO dates compare correctly as strings.
 */
export type LocalDate = string & { readonly __brand?: 'LocalDate' };

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a valid ISO date (UTC arithmetic, no clock involved). */
export function toDayNumber(d: LocalDate): number {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  const day = Number(d.slice(8, 10));
  return Math.floor(Date.UTC(y, m - 1, day) / DAY_MS);
}

export function fromDayNumber(n: number): LocalDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(d: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(d) + days);
}

/** Adds calendar months, clamping to the last day of the target month (15 Jan + 4 months = 15 May). */
export function addMonths(d: LocalDate, months: number): LocalDate {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7)) - 1 + months;
  const day = Number(d.slice(8, 10));
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return new Date(Date.UTC(ty, tm, Math.min(day, last))).toISOString().slice(0, 10);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** True when the string is a real calendar date in `YYYY-MM-DD` form (rejects 2023-02-30; any year 0000-9999). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
  return d <= days;
}

export const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a <= b ? a : b);
export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a >= b ? a : b);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const longDates = new Map<string, string>();

/** "3 March 2023": the form a letter uses. */
export function formatLongDate(d: LocalDate): string {
  let text = longDates.get(d);
  if (text === undefined) {
    text = `${Number(d.slice(8, 10))} ${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
    if (longDates.size < 100_000) longDates.set(d, text);
  }
  return text;
}
