/** What the workflows pass to the panel tasks; a malformed input is a bug in the caller's ASL, so it throws. */
import * as z from 'zod';
import type { RequestPanelDecisionPayload } from '#domain/panels/contract.ts';
import { PANEL_SUBJECTS, type ReminderLoopState } from '#domain/panels/panel.ts';
import { calendarDateSchema } from '../shared/date.schema.ts';

const applicationId = z.string().regex(/^app_[a-z0-9]{8,40}$/);
/** A register episode (`p_<26 base32>-e<n>`, domain/register/register.ts), for subject 'ending'. */
const episodeId = z.string().regex(/^p_[a-z2-7]{26}-e[1-9]\d{0,3}$/);
const text = z.string().trim().min(1).max(2000);

const requestPanelDecisionSchema = z
  .object({
    applicationId: applicationId.optional(),
    episodeId: episodeId.optional(),
    subject: z.enum(PANEL_SUBJECTS as [RequestPanelDecisionPayload['subject'], ...RequestPanelDecisionPayload['subject'][]]),
    proposal: z.object({
      summary: text,
      weeklyCostPence: z.number().int().min(0).optional(),
      split: z
        .array(
          z.object({ body: z.string().min(1).max(20), party: z.enum(['icb', 'la']), basisPoints: z.number().int().min(0).max(10_000) }),
        )
        .max(10)
        .optional(),
      startDate: calendarDateSchema.optional(),
      details: z.array(text).max(20).optional(),
    }),
    proposedBy: z
      .object({ userId: z.string().min(1).max(256), org: z.string().min(1).max(20), email: z.string().min(3).max(320).optional() })
      .optional(),
    taskToken: z.string().min(1),
  })
  .refine((p) => (p.applicationId === undefined) !== (p.episodeId === undefined), {
    message: 'exactly one of applicationId and episodeId',
    path: ['applicationId'],
  });

const reminderLoopSchema = z.object({
  panelRequestId: z.string().regex(/^pnl_[a-f0-9]{32}$/),
  /** The id the request is filed under: an application's, or a register episode's. */
  applicationId: z.union([applicationId, episodeId]),
  checkpoint: z.number().int().min(0),
  next: z.enum(['remind', 'escalate', 'no-decision', 'done']),
  waitSeconds: z.number().int().min(0),
});

/** Zod omits absent optional fields, so the parsed value has no `undefined` properties (exactOptionalPropertyTypes). */
export const parseRequestPanelDecision = (event: unknown): RequestPanelDecisionPayload =>
  requestPanelDecisionSchema.parse(event) as RequestPanelDecisionPayload;
export const parseReminderLoop = (event: unknown): ReminderLoopState => reminderLoopSchema.parse(event);
