import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIo, Command } from './types.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type OptionValue = string | boolean | (string | boolean)[] | undefined;

export type ParsedArgs = { ok: true; values: Partial<Record<string, OptionValue>>; positionals: string[] } | { ok: false; message: string };

/** node:util parseArgs in strict mode, with its complaint returned rather than thrown. */
export function parseCommandArgs(args: string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { ok: true, values, positionals };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? (err.message.split('. To specify')[0] ?? err.message) : 'bad arguments' };
  }
}

/** Prints a usage complaint on stderr; the caller returns EXIT_INVALID. */
export function usageError(io: CliIo, command: Command, message: string): void {
  io.stderr.write(
    `s117 ${command.name}: ${message}\nUsage: ${command.usage.split('\n')[0] ?? ''}\nRun "s117 ${command.name} --help" for more.\n`,
  );
}

/** Prints invalid-input problems on stderr, one per line, under a heading saying nothing was written. */
export function inputError(io: CliIo, command: Command, heading: string, problems: string[]): void {
  io.stderr.write(`s117 ${command.name}: ${heading}\n${problems.map((p) => `  ${p}\n`).join('')}`);
}

export function stringValues(value: OptionValue): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
