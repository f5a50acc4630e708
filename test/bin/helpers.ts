import { Readable, Writable } from 'node:stream';
import type { Command, Engine } from '../../bin/commands/types.ts';
import { runCli } from '../../bin/commands/index.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** An engine for tests of the shell alone: any call is a test failure, reported as an internal error (exit 1). */
export const engineThatMustNotRun: Engine = {
  determine() {
    throw new Error('the engine was called');
  },
  explainInPlainEnglish() {
    throw new Error('the engine was called');
  },
};

/** Runs `s117 ARGV...` in-process against the given engine, with STDIN as standard input. */
export async function runS117(argv: string[], engine: Engine, stdin = ''): Promise<CliRun> {
  const out = collector();
  const err = collector();
  const code = await runCli(argv, { stdin: Readable.from([stdin]), stdout: out.stream, stderr: err.stream }, engine);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Runs one command module directly. */
export async function runCommand(command: Command, args: string[], engine: Engine, stdin = ''): Promise<CliRun> {
  const out = collector();
  const err = collector();
  const code = await command.run(args, { io: { stdin: Readable.from([stdin]), stdout: out.stream, stderr: err.stream }, engine });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** What JSON.parse says about TEXT: the CLI passes the parser's message through, and it varies by Node version. */
export function jsonParseMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as SyntaxError).message;
  }
  throw new Error('the text parsed');
}
