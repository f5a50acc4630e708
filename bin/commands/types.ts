import type { Readable, Writable } from 'node:stream';
import type { Determination } from '#domain/determination.ts';
import type { CaseFacts } from '#domain/facts.ts';
import type { RuleConfig } from '#domain/rules/config.ts';

/** The streams a command reads and writes, so tests can run commands in-process. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** The pure engine, passed in so the shell around it can be exercised on its own. */
export interface Engine {
  determine(facts: CaseFacts, config?: RuleConfig): Determination;
  explainInPlainEnglish(d: Determination): string;
}

export interface CommandContext {
  io: CliIo;
  engine: Engine;
}

/** One `s117 NAME ...` subcommand. `run` returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], ctx: CommandContext): Promise<number>;
}

export const EXIT_OK = 0;
/** The engine or the program failed: a bug, not the input's fault. */
export const EXIT_INTERNAL = 1;
/** Bad usage or invalid input; nothing was written to stdout. */
export const EXIT_INVALID = 2;
