/** The system clock behind the Clock port: instants in UTC, today's date in England. */
import type { Clock } from '#domain/ports.ts';

const LONDON_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

export const systemClock: Clock = {
  now: () => new Date().toISOString(),
  today: () => LONDON_DATE.format(new Date()),
};
