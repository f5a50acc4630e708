/** The optional `reviews` and `maturity` sections of a partnership (seed file), tied to the domain types. */
import * as z from 'zod';
import { MATURITY_ROWS, type MaturityThresholds, type Threshold } from '#domain/register/maturity.ts';
import type { ReviewSettings } from '#domain/register/reviews.ts';

const whole = (min: number, max: number) => z.number().int({ error: 'must be a whole number' }).min(min).max(max);

/** R-REVIEW-1 [unverified]: every figure a partnership may set; absent ones take the defaults of domain/register/reviews.ts. */
export const reviewSettingsSchema: z.ZodType<Partial<ReviewSettings>> = z.strictObject({
  eligibilityReviewWeeks: whole(1, 52).exactOptional(),
  carePlanReviewMonths: whole(1, 24).exactOptional(),
  thenEveryMonths: whole(1, 24).exactOptional(),
  moveReviewWeeks: whole(0, 52).exactOptional(),
  reminderLeadDays: whole(0, 90).exactOptional(),
  escalationRepeatDays: whole(1, 90).exactOptional(),
});

const thresholdSchema: z.ZodType<Threshold> = z.strictObject({ mature: z.number().min(0), developing: z.number().min(0) });

/** Thresholds by row id; absent rows take the defaults of domain/register/maturity.ts. */
export const maturityThresholdsSchema: z.ZodType<Partial<MaturityThresholds>> = z.strictObject(
  Object.fromEntries(MATURITY_ROWS.map((row) => [row, thresholdSchema.exactOptional()])) as Record<
    (typeof MATURITY_ROWS)[number],
    z.ZodExactOptional<typeof thresholdSchema>
  >,
);
