import type { Determination, ResponsibleBody } from '#domain/determination.ts';
import type { RuleConfig } from '#domain/rules/config.ts';
import { inputError, stringValues, usageError, writeJson, beginCommand } from './args.ts';
import { inputName, loadCaseFacts } from './input.ts';
import { RULES_HELP, describeRules, resolveRules } from './rules.ts';
import { determineAll } from './run-engine.ts';
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type Command } from './types.ts';

export interface BodyChange {
  from: string | null;
  to: string | null;
}

export interface ImpactChange {
  caseId: string;
  icb: BodyChange | null;
  localAuthority: BodyChange | null;
  /** The B determination's reasons for each body that changed (ICB first, then local authority). */
  reasons: string[];
}

export interface ImpactReport {
  rulesA: RuleConfig;
  rulesB: RuleConfig;
  casesCompared: number;
  changed: ImpactChange[];
}

function change(a: ResponsibleBody, b: ResponsibleBody): BodyChange | null {
  return a.body === b.body ? null : { from: a.body, to: b.body };
}

/**
 * Compares two runs of the same register, case by case. A body "changes" when its code differs; a change
 * of kind alone (say undetermined to none, both with no body) is not a change of who pays.
 */
export function compareRuns(rulesA: RuleConfig, rulesB: RuleConfig, runA: Determination[], runB: Determination[]): ImpactReport {
  const changed: ImpactChange[] = [];
  runA.forEach((a, i) => {
    const b = runB[i];
    if (b === undefined) return;
    const icb = change(a.icb, b.icb);
    const localAuthority = change(a.localAuthority, b.localAuthority);
    if (icb === null && localAuthority === null) return;
    changed.push({
      caseId: b.caseId,
      icb,
      localAuthority,
      reasons: [...(icb ? b.icb.reasons : []), ...(localAuthority ? b.localAuthority.reasons : [])],
    });
  });
  return { rulesA, rulesB, casesCompared: runA.length, changed };
}

const showBody = (body: string | null): string => body ?? 'none';
const showChange = (c: BodyChange | null): string => (c === null ? 'unchanged' : `${showBody(c.from)} -> ${showBody(c.to)}`);

/** The report as a table a commissioner can read, each changed case followed by the reasons under rules B. */
export function formatImpactText(report: ImpactReport): string {
  const lines = [
    `Rules A: ${describeRules(report.rulesA)}`,
    `Rules B: ${describeRules(report.rulesB)}`,
    `Cases compared: ${report.casesCompared}. Changed under rules B: ${report.changed.length}.`,
  ];
  if (report.changed.length === 0) {
    lines.push('', 'No case changes its responsible ICB or local authority.');
    return `${lines.join('\n')}\n`;
  }
  const header = ['Case', 'ICB (A -> B)', 'Local authority (A -> B)'] as const;
  const rows = report.changed.map((c) => [c.caseId, showChange(c.icb), showChange(c.localAuthority)] as const);
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? '').length)));
  const pad = (cells: readonly string[]): string =>
    cells
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join('  ')
      .trimEnd();
  lines.push('', pad(header), pad(widths.map((w) => '-'.repeat(w))));
  report.changed.forEach((c, i) => {
    lines.push(pad(rows[i] ?? []));
    for (const reason of c.reasons) lines.push(`    ${reason}`);
  });
  return `${lines.join('\n')}\n`;
}

const OPTIONS = { rules: { type: 'string', multiple: true }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

export const impactCommand: Command = {
  name: 'impact',
  summary: 'Which cases in a register change ICB or local authority between two rule configurations',
  usage: `s117 impact --rules A --rules B [--format json|text] FILE

Re-determines a register (a JSON array of case-facts documents in FILE, - for stdin) under rule
configuration A and under B, and lists the cases whose responsible ICB or local authority changes,
with the reasons under B. JSON by default:
  { "rulesA": {...}, "rulesB": {...}, "casesCompared": N,
    "changed": [{ "caseId", "icb": {"from","to"} | null, "localAuthority": {"from","to"} | null, "reasons": [...] }] }
--format text prints a table instead.

${RULES_HELP}`,
  async run(args, ctx) {
    const { io } = ctx;
    const parsed = beginCommand(io, this, args, OPTIONS, true);
    if ('exit' in parsed) return parsed.exit;
    const rulesArgs = stringValues(parsed.values['rules']);
    if (rulesArgs.length !== 2) {
      usageError(io, this, `give --rules exactly twice (A then B); got ${rulesArgs.length}`);
      return EXIT_INVALID;
    }
    const format = stringValues(parsed.values['format'])[0] ?? 'json';
    if (format !== 'json' && format !== 'text') {
      usageError(io, this, `--format must be json or text, not ${JSON.stringify(format)}`);
      return EXIT_INVALID;
    }
    const [file, ...extra] = parsed.positionals;
    if (file === undefined) {
      usageError(io, this, 'FILE is required (use - for stdin)');
      return EXIT_INVALID;
    }
    if (extra.length > 0) {
      usageError(io, this, `one FILE only; unexpected ${extra.map((e) => JSON.stringify(e)).join(' ')}`);
      return EXIT_INVALID;
    }

    const configs: RuleConfig[] = [];
    const problems: string[] = [];
    for (const arg of rulesArgs) {
      const rules = await resolveRules(arg);
      if (rules.ok) configs.push(rules.value);
      else problems.push(...rules.problems);
    }
    const [rulesA, rulesB] = configs;
    if (problems.length > 0 || rulesA === undefined || rulesB === undefined) {
      inputError(io, this, 'invalid --rules; nothing was compared.', problems);
      return EXIT_INVALID;
    }

    const loaded = await loadCaseFacts(file, io.stdin);
    if (!loaded.ok) {
      inputError(io, this, `invalid input in ${inputName(file)}; nothing was compared.`, loaded.problems);
      return EXIT_INVALID;
    }
    if (loaded.value.shape !== 'array') {
      inputError(io, this, `invalid input in ${inputName(file)}; nothing was compared.`, [
        'a register must be a JSON array of case-facts documents',
      ]);
      return EXIT_INVALID;
    }
    const { documents } = loaded.value;
    const runA = determineAll(ctx.engine, documents, rulesA, 'array');
    const runB = runA.ok ? determineAll(ctx.engine, documents, rulesB, 'array') : runA;
    if (!runA.ok || !runB.ok) {
      io.stderr.write(`s117 impact: ${!runA.ok ? runA.problem : !runB.ok ? runB.problem : ''}\n`);
      return EXIT_INTERNAL;
    }
    const report = compareRuns(rulesA, rulesB, runA.determinations, runB.determinations);
    if (format === 'text') io.stdout.write(formatImpactText(report));
    else writeJson(io, report);
    return EXIT_OK;
  },
};
