import { RULES_HELP } from './rules.ts';
import { prepare } from './determine.ts';
import { EXIT_OK, type Command } from './types.ts';

export const explainCommand: Command = {
  name: 'explain',
  summary: 'The same determination, in plain English for a person',
  usage: `s117 explain [--rules RULES] FILE

Reads one case-facts document, or a JSON array of them, from FILE (- for stdin) and prints each
determination in plain English. For an array, each case starts with a heading line:
  === Case 2 of 5: ORD-3 ===
Invalid input is refused as by "s117 determine": problems on stderr, nothing on stdout, exit code 2.

${RULES_HELP}`,
  async run(args, ctx) {
    const prepared = await prepare(this, args, ctx);
    if ('exit' in prepared) return prepared.exit;
    const { input, determinations } = prepared;
    const texts = determinations.map((d) => ctx.engine.explainInPlainEnglish(d).replace(/\n+$/u, ''));
    if (input.shape === 'single') {
      ctx.io.stdout.write(`${texts[0] ?? ''}\n`);
    } else {
      const n = determinations.length;
      ctx.io.stdout.write(
        texts.map((text, i) => `=== Case ${i + 1} of ${n}: ${determinations[i]?.caseId ?? ''} ===\n${text}\n`).join('\n'),
      );
    }
    return EXIT_OK;
  },
};
