/**
 * Discharge-ready and delays (issue 13 item 5): the optional `discharge` of a new application, the request that
 * changes it after submission, and the delays report's query and response.
 */
import * as z from 'zod';
import { DELAY_REASONS, MAX_DELAY_DETAIL } from '#domain/applications/application.ts';
import { calendarDateSchema } from '../shared/date.schema.ts';
import { applicationIdPathSchema } from './common.schema.ts';
import { DEFAULT_LIST_LIMIT } from './list-applications.schema.ts';

export const delayReasonSchema = z
  .strictObject({
    reason: z.enum(DELAY_REASONS),
    detail: z
      .string()
      .min(1)
      .max(MAX_DELAY_DETAIL, { error: `must be at most ${MAX_DELAY_DETAIL} characters` })
      .exactOptional(),
  })
  .superRefine((r, ctx) => {
    if (r.reason === 'other' && r.detail === undefined)
      ctx.addIssue({ code: 'custom', message: 'is required when the reason is other', path: ['detail'] });
  });

const delayReasonsSchema = z
  .array(delayReasonSchema)
  .max(DELAY_REASONS.length, { error: `must list at most ${DELAY_REASONS.length} reasons` })
  .superRefine((reasons, ctx) => {
    const seen = new Set<string>();
    reasons.forEach((r, i) => {
      if (seen.has(r.reason)) ctx.addIssue({ code: 'custom', message: 'repeats an earlier reason', path: [i, 'reason'] });
      seen.add(r.reason);
    });
  });

type Dated = { clinicallyReadyOn?: string | null; expectedDischargeOn?: string | null; dischargedOn?: string | null };

/** Dates given together must be in order: ready, then expected and actual discharge. */
function inOrder(d: Dated, ctx: z.RefinementCtx): void {
  const ready = d.clinicallyReadyOn;
  if (ready === undefined || ready === null) return;
  for (const key of ['expectedDischargeOn', 'dischargedOn'] as const) {
    const value = d[key];
    if (value !== undefined && value !== null && value < ready)
      ctx.addIssue({ code: 'custom', message: 'must not be before clinicallyReadyOn', path: [key] });
  }
}

/** `discharge` on `POST /v1/applications`: all optional. */
export const dischargeRequestSchema = z
  .strictObject({
    clinicallyReadyOn: calendarDateSchema.exactOptional(),
    expectedDischargeOn: calendarDateSchema.exactOptional(),
    dischargedOn: calendarDateSchema.exactOptional(),
    delayReasons: delayReasonsSchema.exactOptional(),
  })
  .superRefine(inOrder);
export type DischargeRequest = z.infer<typeof dischargeRequestSchema>;

/** `PATCH /v1/applications/{id}/discharge`: given fields replace, `null` clears a date, absent fields stay. */
export const dischargeChangeSchema = z
  .strictObject({
    clinicallyReadyOn: calendarDateSchema.nullable().exactOptional(),
    expectedDischargeOn: calendarDateSchema.nullable().exactOptional(),
    dischargedOn: calendarDateSchema.nullable().exactOptional(),
    delayReasons: delayReasonsSchema.exactOptional(),
  })
  .superRefine((d, ctx) => {
    if (Object.keys(d).length === 0) ctx.addIssue({ code: 'custom', message: 'must change at least one field', path: [] });
    inOrder(d, ctx);
  });
export type DischargeChange = z.infer<typeof dischargeChangeSchema>;

export const dischargeChangeSchemas = { path: applicationIdPathSchema, body: dischargeChangeSchema };

export const dischargeViewSchema = z.object({
  clinicallyReadyOn: z.string().nullable(),
  expectedDischargeOn: z.string().nullable(),
  dischargedOn: z.string().nullable(),
  delayReasons: z.array(z.object({ reason: z.enum(DELAY_REASONS), detail: z.string().exactOptional() })),
  updatedAt: z.string(),
});
export type DischargeView = z.infer<typeof dischargeViewSchema>;

export const dischargeChangeResultSchema = z.object({
  applicationId: z.string(),
  version: z.int(),
  discharge: dischargeViewSchema,
});

const limitSchema = z
  .string()
  .regex(/^\d{1,3}$/, { error: 'must be a whole number from 1 to 100' })
  .transform(Number)
  .pipe(z.int().min(1, { error: 'must be a whole number from 1 to 100' }).max(100, { error: 'must be a whole number from 1 to 100' }));

export const delaysQuerySchema = z.object({
  partnershipId: z.string().min(1).max(64).exactOptional(),
  asOf: calendarDateSchema.exactOptional(),
  limit: limitSchema.exactOptional(),
  cursor: z.string().min(1).max(2048).exactOptional(),
});
export type DelaysQuery = z.infer<typeof delaysQuerySchema>;
export const DEFAULT_DELAYS_LIMIT = DEFAULT_LIST_LIMIT;

export const delaysReportSchema = z.object({
  partnershipId: z.string(),
  asOf: z.string(),
  /** How many people are waiting in all (every page). */
  total: z.int(),
  /** How many of them wait for a funding decision. */
  waitingForFunding: z.int(),
  fundingEscalationDays: z.int(),
  items: z.array(
    z.object({
      personRef: z.string(),
      applicationId: z.string(),
      clinicallyReadyOn: z.string(),
      expectedDischargeOn: z.string().nullable(),
      daysSinceReady: z.int(),
      waitingFor: z.array(z.enum(DELAY_REASONS)),
      details: z.array(z.string()),
      fundingState: z.enum(['none', 'interim', 'agreed']),
      escalationDue: z.boolean(),
    }),
  ),
  cursor: z.string().exactOptional(),
});
export type DelaysReport = z.infer<typeof delaysReportSchema>;
