/**
 * The `panel` section of a partnership's configuration (seed file), tied to the domain type. Quorum, timers
 * and thresholds default to domain/panels/panel.ts; `panelConfigProblems` checks what one field cannot
 * (deputies, a quorum the members can reach, a senior officer), through the seed schema.
 */
import * as z from 'zod';
import { DEFAULT_PANEL_THRESHOLDS, DEFAULT_PANEL_TIMING, DEFAULT_QUORUM_RULE, type PanelConfig } from '#domain/panels/panel.ts';
import { orgCodeSchema } from '../shared/case-facts.schema.ts';

const days = z
  .number()
  .int({ error: 'must be a whole number of days' })
  .min(1, { error: 'must be at least 1 day' })
  .max(365, { error: 'must be at most 365 days' });
const count = z.number().int({ error: 'must be a whole number' }).min(0).max(50);
const pence = z.number().int({ error: 'must be a whole number of pence' }).min(0, { error: 'must not be negative' }).max(100_000_000);
const memberId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, { error: 'must be 1 to 128 lower-case letters, digits, dots, underscores or hyphens' });

export const panelMemberSchema = z.strictObject({
  id: memberId,
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
  email: z.email({ error: 'must be an email address' }),
  organisation: orgCodeSchema,
  role: z.enum(['icb', 'la', 'senior']),
  deputy: memberId.exactOptional(),
  /** The member's identity provider subject (Cognito `sub`), when their sign-in user id is not `id`. */
  subject: z.string().min(1).max(256).exactOptional(),
});

export const panelSettingsSchema = z.strictObject({
  members: z.array(panelMemberSchema).min(2, { error: 'must name at least an ICB member and a council member' }).max(50),
  quorum: z
    .strictObject({ icbApprovals: count, laApprovals: count, totalApprovals: count, rejectionIsVeto: z.boolean() })
    .default({ ...DEFAULT_QUORUM_RULE }),
  timing: z
    .strictObject({ reminderEveryDays: days, decisionDeadlineDays: days, escalationDays: days })
    .default({ ...DEFAULT_PANEL_TIMING }),
  thresholds: z.strictObject({ application: pence, split: pence, disputeOutcome: pence }).default({ ...DEFAULT_PANEL_THRESHOLDS }),
});

// A drift between the schema and the domain type fails to compile here.
export const asPanelConfig = (s: z.output<typeof panelSettingsSchema>): PanelConfig => s;
