/** The `disputes` section of a partnership's configuration (seed file), tied to the domain type. */
import * as z from 'zod';
import type { PartialDisputeSettings } from '#domain/disputes/settings.ts';

const days = z
  .number()
  .int({ error: 'must be a whole number of days' })
  .min(1, { error: 'must be at least 1 day' })
  .max(730, { error: 'must be at most 730 days' });

export const disputeSettingsSchema = z.strictObject({
  nhs: z
    .strictObject({ localResolutionDays: days.exactOptional(), regionalDays: days.exactOptional(), nationalDays: days.exactOptional() })
    .exactOptional(),
  la: z.strictObject({ determinationWaitDays: days.exactOptional() }).exactOptional(),
  icbLa: z.strictObject({ jointPanelDays: days.exactOptional(), executiveLeadsDays: days.exactOptional() }).exactOptional(),
  reminderDays: days.exactOptional(),
});

// A drift between the schema and the domain type fails to compile here.
export const asDisputeSettings = (s: z.output<typeof disputeSettingsSchema>): PartialDisputeSettings => s;
