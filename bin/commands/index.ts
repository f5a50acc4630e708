import { determineCommand } from './determine.ts';
import { explainCommand } from './explain.ts';
import { exportCommand } from './export.ts';
import { impactCommand } from './impact.ts';
import { orgsCommand } from './orgs.ts';
import { signInUrlCommand } from './sign-in-url.ts';
import { tokenCommand } from './token.ts';
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type CliIo, type Command, type Engine } from './types.ts';

/** Every `s117` subcommand, in the order help lists them. Later ones (export) are added here. */
export const COMMANDS: readonly Command[] = [
  determineCommand,
  explainCommand,
  impactCommand,
  tokenCommand,
  signInUrlCommand,
  orgsCommand,
  exportCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `s117: who pays for section 117 Mental Health Act aftercare

Usage: s117 COMMAND [OPTIONS] [FILE]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "s117 COMMAND --help" (or "s117 help COMMAND") for a command's options.
Exit codes: 0 done, 1 internal error, 2 bad usage or invalid input (then nothing is printed on stdout).
`;
}

function unknownCommand(name: string): string {
  return `s117: unknown command ${JSON.stringify(name)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')}.\nRun "s117 --help" for usage.\n`;
}

/** Dispatches `s117 ARGV...` to its command and returns the exit code. */
export async function runCli(argv: string[], io: CliIo, engine: Engine): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(generalHelp());
    return EXIT_INVALID;
  }
  if (name === '--help' || name === '-h') {
    io.stdout.write(generalHelp());
    return EXIT_OK;
  }
  if (name === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout.write(generalHelp());
      return EXIT_OK;
    }
    const command = findCommand(topic);
    if (command === undefined) {
      io.stderr.write(unknownCommand(topic));
      return EXIT_INVALID;
    }
    io.stdout.write(`${command.usage}\n`);
    return EXIT_OK;
  }
  const command = findCommand(name);
  if (command === undefined) {
    io.stderr.write(unknownCommand(name));
    return EXIT_INVALID;
  }
  try {
    return await command.run(rest, { io, engine });
  } catch (err) {
    io.stderr.write(`s117 ${command.name}: internal error: ${err instanceof Error ? err.name : 'unknown error'}\n`);
    return EXIT_INTERNAL;
  }
}
