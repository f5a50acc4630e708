/**
 * The optional `apportionment` section of a partnership (seed file, config): effective-dated policies with an
 * id and a version, each a fixed split, a split by service category, a split agreed per line at panel, or the
 * lead commissioner paying all. Absent: exports split by a fixed policy from the partnership's funding settings.
 */
import * as z from 'zod';
import { calendarDateSchema as date } from '../shared/date.schema.ts';
import type { ApportionmentPolicy } from '#domain/apportionment/policy.ts';

const bp = z
  .number()
  .int({ error: 'must be a whole number of basis points' })
  .min(0, { error: 'must be between 0 and 10000 basis points' })
  .max(10_000, { error: 'must be between 0 and 10000 basis points' });
const text = z.string().trim().min(1, { error: 'must not be empty' }).max(200);

export const apportionmentRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), icbBasisPoints: bp }),
  z.strictObject({
    kind: z.literal('by-category'),
    icbBasisPoints: z.strictObject({ health: bp, 'social-care': bp, accommodation: bp, employment: bp, other: bp }),
  }),
  z.strictObject({ kind: z.literal('per-line'), unagreedIcbBasisPoints: bp }),
  z.strictObject({ kind: z.literal('lead-commissioner'), lead: z.enum(['icb', 'la']) }),
]);

export const apportionmentPolicySchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'must be 1 to 64 letters, digits, dots, underscores or hyphens' }),
    version: z.number().int().min(1),
    effectiveFrom: date,
    effectiveTo: date.exactOptional(),
    rule: apportionmentRuleSchema,
    agreementRef: text,
    description: text,
  })
  .transform((p): ApportionmentPolicy => ({ ...p, partnershipId: '' }));

export const apportionmentSettingsSchema = z
  .strictObject({ policies: z.array(apportionmentPolicySchema).min(1, { error: 'must hold at least one policy' }) })
  .superRefine((settings, ctx) => {
    const seen = new Set<string>();
    settings.policies.forEach((p, i) => {
      if (p.effectiveTo !== undefined && p.effectiveTo < p.effectiveFrom)
        ctx.addIssue({ code: 'custom', path: ['policies', i, 'effectiveTo'], message: 'must not be before effectiveFrom' });
      const key = `${p.id}@${p.version}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['policies', i, 'version'], message: `${key} is listed twice` });
      seen.add(key);
    });
  });
