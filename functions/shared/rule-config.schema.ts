/**
 * Edge validation for a rule configuration (domain/rules/config.ts) read from a file, for example by
 * `s117 impact --rules FILE`. Tied to the domain type so a new switch there is a compile error here.
 */
import * as z from 'zod';
import type { RuleConfig } from '#domain/rules/config.ts';
import { formatIssues, type FieldIssue } from './case-facts.schema.ts';
import { calendarDateSchema } from './date.schema.ts';

export const ruleConfigSchema: z.ZodType<RuleConfig> = z.strictObject({
  name: z.string().min(1, { error: 'must not be empty' }),
  mha2025S46CommencementDate: calendarDateSchema.nullable(),
});

export type RuleConfigParseResult = { ok: true; config: RuleConfig } | { ok: false; issues: FieldIssue[] };

export function parseRuleConfig(input: unknown): RuleConfigParseResult {
  const parsed = ruleConfigSchema.safeParse(input, { reportInput: true });
  return parsed.success
    ? { ok: true, config: parsed.data }
    : { ok: false, issues: formatIssues(parsed.error.issues, 'a rule configuration') };
}
