/**
 * The one date schema for every date parsed at the edge (requests, task inputs, configuration): an ISO
 * calendar date written `YYYY-MM-DD` that exists on the calendar (2023-02-30 does not).
 */
import * as z from 'zod';
import { isCalendarDate, type LocalDate } from '#domain/dates.ts';

/** The JSON Schema's `date` pattern; JSON Schema regexes are ECMA-262 with the `u` flag (as ajv runs them). */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/u;

/**
 * The written form alone. Only the case facts use it bare: they follow the published JSON Schema, and
 * their calendar check (checkCaseFactsSemantics) names each bad field with its value.
 */
export const localDateSchema: z.ZodType<LocalDate, string> = z.string().regex(DATE_PATTERN, { error: 'must be a date written YYYY-MM-DD' });

/** A `YYYY-MM-DD` date that exists on the calendar. */
export const calendarDateSchema: z.ZodType<LocalDate, string> = localDateSchema.refine(isCalendarDate, {
  error: 'is not a real calendar date',
});
