import { readFile } from 'node:fs/promises';
import { isCalendarDate } from '#domain/dates.ts';
import { DEFAULT_RULE_CONFIG, type RuleConfig } from '#domain/rules/config.ts';
import { parseRuleConfig } from '#functions/shared/rule-config.schema.ts';
import type { InputResult } from './input.ts';
import { parseJson } from './input.ts';

export const RULES_HELP = `RULES is one of:
  default            the rules as in force today (MHA 2025 s46 not commenced)
  s46=YYYY-MM-DD     the default rules with MHA 2025 s46 commenced on that date
  FILE               a JSON file holding a rule configuration:
                     { "name": "...", "mha2025S46CommencementDate": "YYYY-MM-DD" | null }`;

/** Resolves a `--rules` argument: the shorthand `default` or `s46=YYYY-MM-DD`, else a JSON file. */
export async function resolveRules(arg: string): Promise<InputResult<RuleConfig>> {
  if (arg === 'default') return { ok: true, value: { ...DEFAULT_RULE_CONFIG } };
  const s46 = /^s46=(.*)$/su.exec(arg);
  if (s46) {
    const date = s46[1] ?? '';
    if (!isCalendarDate(date)) return { ok: false, problems: [`--rules ${arg}: ${JSON.stringify(date)} is not a date written YYYY-MM-DD`] };
    return { ok: true, value: { ...DEFAULT_RULE_CONFIG, name: `s46=${date}`, mha2025S46CommencementDate: date } };
  }
  let text: string;
  try {
    text = await readFile(arg, 'utf8');
  } catch {
    return { ok: false, problems: [`--rules ${arg}: not "default", not "s46=YYYY-MM-DD", and no readable file of that name`] };
  }
  const json = parseJson(text, arg);
  if (!json.ok) return { ok: false, problems: json.problems.map((p) => `--rules ${p}`) };
  const parsed = parseRuleConfig(json.value);
  if (!parsed.ok) {
    return {
      ok: false,
      problems: parsed.issues.map((i) =>
        i.path === '(document)' ? `--rules ${arg}: ${i.message}` : `--rules ${arg}, field ${i.path}: ${i.message}`,
      ),
    };
  }
  return { ok: true, value: parsed.config };
}

/** "s46 commenced 2026-04-01" or "s46 not commenced": how a configuration reads in text output. */
export function describeRules(config: RuleConfig): string {
  const s46 = config.mha2025S46CommencementDate === null ? 's46 not commenced' : `s46 commenced ${config.mha2025S46CommencementDate}`;
  return `${config.name} (${s46})`;
}
