import { DEFAULT_RULE_CONFIG, type RuleConfig } from '#domain/rules/config.ts';
import { inputError, parseCommandArgs, stringValues, usageError, writeJson } from './args.ts';
import { inputName, loadCaseFacts } from './input.ts';
import { RULES_HELP, resolveRules } from './rules.ts';
import { determineAll } from './run-engine.ts';
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type Command, type CommandContext } from './types.ts';
import type { CaseFactsInput } from './input.ts';
import type { Determination } from '#domain/determination.ts';

const OPTIONS = { rules: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** Shared by `determine` and `explain`: parse the arguments, load and validate, then determine everything. */
export async function prepare(
  command: Command,
  args: string[],
  ctx: CommandContext,
): Promise<{ exit: number } | { input: CaseFactsInput; determinations: Determination[] }> {
  const { io } = ctx;
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) {
    usageError(io, command, parsed.message);
    return { exit: EXIT_INVALID };
  }
  if (parsed.values['help'] === true) {
    io.stdout.write(`${command.usage}\n`);
    return { exit: EXIT_OK };
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) {
    usageError(io, command, 'FILE is required (use - for stdin)');
    return { exit: EXIT_INVALID };
  }
  if (extra.length > 0) {
    usageError(io, command, `one FILE only; unexpected ${extra.map((e) => JSON.stringify(e)).join(' ')}`);
    return { exit: EXIT_INVALID };
  }

  let config: RuleConfig = DEFAULT_RULE_CONFIG;
  const rulesArg = stringValues(parsed.values['rules'])[0];
  if (rulesArg !== undefined) {
    const rules = await resolveRules(rulesArg);
    if (!rules.ok) {
      inputError(io, command, 'invalid --rules; nothing was determined.', rules.problems);
      return { exit: EXIT_INVALID };
    }
    config = rules.value;
  }

  const loaded = await loadCaseFacts(file, io.stdin);
  if (!loaded.ok) {
    inputError(io, command, `invalid input in ${inputName(file)}; nothing was determined.`, loaded.problems);
    return { exit: EXIT_INVALID };
  }
  const run = determineAll(ctx.engine, loaded.value.documents, config, loaded.value.shape);
  if (!run.ok) {
    io.stderr.write(`s117 ${command.name}: ${run.problem}\n`);
    return { exit: EXIT_INTERNAL };
  }
  return { input: loaded.value, determinations: run.determinations };
}

export const determineCommand: Command = {
  name: 'determine',
  summary: 'Determine eligibility and the responsible ICB and local authority, as JSON',
  usage: `s117 determine [--rules RULES] FILE

Reads one case-facts document, or a JSON array of them, from FILE (- for stdin) and prints the
determination, or an array of determinations in the same order, as JSON on stdout.
Every document is validated first: if any is invalid, the problems are listed on stderr, nothing is
printed on stdout, and the exit code is 2.

${RULES_HELP}`,
  async run(args, ctx) {
    const prepared = await prepare(this, args, ctx);
    if ('exit' in prepared) return prepared.exit;
    const { input, determinations } = prepared;
    writeJson(ctx.io, input.shape === 'single' ? determinations[0] : determinations);
    return EXIT_OK;
  },
};
