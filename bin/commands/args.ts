import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isRole, ROLES } from '#local/auth.ts';
import type { Role } from '#functions/shared/auth.ts';
import { EXIT_INVALID, EXIT_OK, type CliIo, type Command } from './types.ts';

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

/** The last string given for an option (a repeated option's last value wins, as in most command lines). */
export function one(value: OptionValue): string | undefined {
  return stringValues(value).at(-1);
}

export type Begun = { exit: number } | { values: Partial<Record<string, OptionValue>>; positionals: string[] };

/**
 * The prologue every command shares: strict parsing, `--help`, and no positional arguments unless the command
 * takes them. Answers either the parsed arguments or the exit code to return (the complaint already printed).
 */
export function beginCommand(io: CliIo, command: Command, args: string[], options: Options, takesPositionals = false): Begun {
  const parsed = parseCommandArgs(args, options);
  if (!parsed.ok) {
    usageError(io, command, parsed.message);
    return { exit: EXIT_INVALID };
  }
  if (parsed.values['help'] === true) {
    io.stdout.write(`${command.usage}\n`);
    return { exit: EXIT_OK };
  }
  if (!takesPositionals && parsed.positionals.length > 0) {
    usageError(io, command, `unexpected ${parsed.positionals.map((p) => JSON.stringify(p)).join(' ')}`);
    return { exit: EXIT_INVALID };
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** `--org CODE --role ROLE`, both required, the role one of the service's roles; undefined once complained. */
export function orgAndRole(
  io: CliIo,
  command: Command,
  values: Partial<Record<string, OptionValue>>,
): { org: string; role: Role } | undefined {
  const org = one(values['org']);
  const role = one(values['role']);
  if (org === undefined || org === '') {
    usageError(io, command, '--org CODE is required (see "s117 orgs")');
    return undefined;
  }
  if (role === undefined || role === '') {
    usageError(io, command, `--role is required: ${ROLES.join(', ')}`);
    return undefined;
  }
  if (!isRole(role)) {
    usageError(io, command, `unknown role ${JSON.stringify(role)}; the roles are ${ROLES.join(', ')}`);
    return undefined;
  }
  return { org, role };
}
