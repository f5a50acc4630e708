/**
 * Package changes (issue 13 item 3): `POST /v1/applications/{id}/package-changes` adds a service line, ends one,
 * changes its weekly cost from a date, records a top-up agreement or the split agreed at panel for one line.
 */
import * as z from 'zod';
import { SERVICE_CATEGORIES } from '#domain/applications/application.ts';
import { WHOLE } from '#domain/money.ts';
import { calendarDateSchema } from '../shared/date.schema.ts';
import { applicationIdPathSchema } from './common.schema.ts';
import { MAX_WEEKLY_COST_PENCE, SERVICE_LINE_ID_PATTERN } from './create-application.schema.ts';

const lineIdSchema = z.string().regex(SERVICE_LINE_ID_PATTERN, { error: 'must be 1 to 64 letters, digits or _.:-' });
const pence = z.int().min(0).max(MAX_WEEKLY_COST_PENCE);

const common = {
  /** The first day the change has effect; for an ending, the line's last day. May be in the past (adjustments follow). */
  effectiveDate: calendarDateSchema,
  reason: z.string().trim().min(1).max(1_000),
};

export const packageChangeRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('add-line'),
    ...common,
    line: z.strictObject({
      id: lineIdSchema.exactOptional(),
      description: z.string().min(1).max(500),
      provider: z.string().min(1).max(200),
      category: z.enum(SERVICE_CATEGORIES),
      s117: z.boolean(),
      weeklyCostPence: pence,
      endDate: calendarDateSchema.exactOptional(),
    }),
  }),
  z.strictObject({ kind: z.literal('end-line'), ...common, lineId: lineIdSchema }),
  z.strictObject({ kind: z.literal('change-cost'), ...common, lineId: lineIdSchema, weeklyCostPence: pence }),
  z.strictObject({
    kind: z.literal('top-up'),
    ...common,
    lineId: lineIdSchema,
    topUp: z.strictObject({
      payer: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('person') }),
        z.strictObject({ kind: z.literal('third-party'), name: z.string().trim().min(1).max(200) }),
      ]),
      usualCostWeeklyPence: pence,
      weeklyPence: z.int().min(1).max(MAX_WEEKLY_COST_PENCE),
      reviewDate: calendarDateSchema,
      signedOn: calendarDateSchema,
    }),
  }),
  z.strictObject({
    kind: z.literal('line-split'),
    ...common,
    lineId: lineIdSchema,
    icbBasisPoints: z.int().min(0).max(WHOLE),
    panelDecisionRef: z.string().trim().min(1).max(100),
  }),
]);
export type PackageChangeBody = z.infer<typeof packageChangeRequestSchema>;

export const packageChangeSchemas = { path: applicationIdPathSchema, body: packageChangeRequestSchema };

export const packageDecisionViewSchema = z.object({
  id: z.string(),
  kind: z.enum(['add-line', 'end-line', 'change-cost', 'top-up', 'line-split']),
  lineId: z.string(),
  effectiveDate: z.string(),
  reason: z.string(),
  by: z.object({ userId: z.string(), org: z.string() }),
  at: z.string(),
  state: z.enum(['in-force', 'awaiting-panel']),
  ruleIds: z.array(z.string()),
  explanation: z.string(),
});

export type PackageDecisionView = z.infer<typeof packageDecisionViewSchema>;

export const packageChangeResultSchema = z.object({
  applicationId: z.string(),
  version: z.int(),
  decision: packageDecisionViewSchema,
});
