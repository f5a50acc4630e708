/** `POST /v1/applications`: the body (names as issue 4 fixes them) and the Idempotency-Key header. */
import * as z from 'zod';
import { SERVICE_CATEGORIES } from '#domain/applications/application.ts';
import { isValidNhsNumber } from '#domain/applications/nhs-number.ts';
import { orgCodeSchema } from '../shared/case-facts.schema.ts';
import { calendarDateSchema } from '../shared/date.schema.ts';
import { checkedCaseFactsSchema } from './common.schema.ts';
import { dischargeRequestSchema } from './discharge.schema.ts';

export const MAX_WEEKLY_COST_PENCE = 10_000_000;
export const SERVICE_LINE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export const nhsNumberSchema = z
  .string()
  .max(20, { error: 'must be an NHS number: ten digits' })
  .refine(isValidNhsNumber, { error: 'must be a valid NHS number: ten digits (spaces allowed) with a correct modulus 11 check digit' });

export const serviceLineRequestSchema = z
  .strictObject({
    id: z.string().regex(SERVICE_LINE_ID_PATTERN, { error: 'must be 1 to 64 letters, digits or _.:-' }).exactOptional(),
    description: z.string().min(1).max(500),
    provider: z.string().min(1).max(200),
    category: z.enum(SERVICE_CATEGORIES),
    s117: z.boolean(),
    weeklyCostPence: z.int().min(0).max(MAX_WEEKLY_COST_PENCE),
    startDate: calendarDateSchema,
    endDate: calendarDateSchema.exactOptional(),
  })
  .superRefine((line, ctx) => {
    if (line.endDate !== undefined && line.endDate < line.startDate) {
      ctx.addIssue({ code: 'custom', message: 'must not be before startDate', path: ['endDate'] });
    }
  });
export type ServiceLineRequest = z.infer<typeof serviceLineRequestSchema>;

export const createApplicationRequestSchema = z.strictObject({
  person: z.strictObject({
    nhsNumber: nhsNumberSchema,
    name: z.string().min(1).max(200).exactOptional(),
  }),
  facts: checkedCaseFactsSchema,
  carePlan: z.strictObject({
    serviceLines: z
      .array(serviceLineRequestSchema)
      .min(1, { error: 'must list at least one service line' })
      .max(50, { error: 'must list at most 50 service lines' })
      .superRefine((lines, ctx) => {
        const seen = new Set<string>();
        lines.forEach((line, i) => {
          if (line.id === undefined) return;
          if (seen.has(line.id)) ctx.addIssue({ code: 'custom', message: 'repeats the id of an earlier line', path: [i, 'id'] });
          seen.add(line.id);
        });
      }),
  }),
  requestedStartDate: calendarDateSchema,
  meetingNeedsNow: orgCodeSchema.exactOptional(),
  partnershipId: z.string().min(1).max(64).exactOptional(),
  /** Clinically ready for discharge, expected discharge, and what the stay waits for (issue 13 item 5). */
  discharge: dischargeRequestSchema.exactOptional(),
});
export type CreateApplicationRequest = z.infer<typeof createApplicationRequestSchema>;

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, { error: 'must be 1 to 128 letters, digits or _.:-' });

export const createApplicationHeadersSchema = z.object({
  'idempotency-key': idempotencyKeySchema,
});
export type CreateApplicationHeaders = z.infer<typeof createApplicationHeadersSchema>;
