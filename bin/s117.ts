/**
 * The s117 command line: `s117 COMMAND ...`. bin/s117.js runs this through tsx, so `npx s117` needs no build.
 * `main` returns the exit code rather than exiting, so tests can call it in-process.
 */
import { determine } from '#domain/responsibility/determine.ts';
import { explainInPlainEnglish } from '#domain/responsibility/explain.ts';
import { runCli } from './commands/index.ts';
import type { CliIo, Engine } from './commands/types.ts';

export const engine: Engine = { determine, explainInPlainEnglish };

export function main(argv: string[], io: CliIo): Promise<number> {
  return runCli(argv, io, engine);
}
