import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { determineCommand } from '../../bin/commands/determine.ts';
import { explainCommand } from '../../bin/commands/explain.ts';
import { impactCommand } from '../../bin/commands/impact.ts';
import { MAX_REPORTED_PROBLEMS } from '../../bin/commands/input.ts';
import { engineThatMustNotRun, jsonParseMessage, runCommand, runS117 } from './helpers.ts';

const valid = (id: string): object => ({
  id,
  evaluationDate: '2024-01-15',
  events: [
    { type: 'detention', from: '2020-03-10', section: '3' },
    { type: 'detention-ended', date: '2020-07-20', outcome: 'discharged' },
    { type: 'left-hospital', date: '2020-07-20' },
  ],
});

let dir: string;
const file = (name: string): string => join(dir, name);
const write = (name: string, content: unknown): string => {
  writeFileSync(file(name), typeof content === 'string' ? content : JSON.stringify(content));
  return file(name);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's117-cli-'));
  mkdirSync(file('a-directory'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([determineCommand, explainCommand])(
  's117 $name refuses invalid input: exit 2, problems on stderr, nothing on stdout',
  (command) => {
    const heading = (name: string): string => `s117 ${command.name}: invalid input in ${name}; nothing was determined.\n`;

    it('names a file that does not exist', async () => {
      const missing = file('missing.json');
      expect(await runCommand(command, [missing], engineThatMustNotRun)).toStrictEqual({
        code: 2,
        stdout: '',
        stderr: `${heading(missing)}  cannot read ${missing}: no such file\n`,
      });
    });

    it('names a directory given as FILE', async () => {
      expect(await runCommand(command, [file('a-directory')], engineThatMustNotRun)).toStrictEqual({
        code: 2,
        stdout: '',
        stderr: `${heading(file('a-directory'))}  cannot read ${file('a-directory')}: it is a directory\n`,
      });
    });

    it("passes on the parser's complaint about bad JSON", async () => {
      const text = '[{"id": "A",}]';
      const path = write(`bad-${command.name}.json`, text);
      expect(await runCommand(command, [path], engineThatMustNotRun)).toStrictEqual({
        code: 2,
        stdout: '',
        stderr: `${heading(path)}  ${path} is not valid JSON: ${jsonParseMessage(text)}\n`,
      });
    });

    it('calls standard input "stdin" when it is not JSON', async () => {
      expect(await runCommand(command, ['-'], engineThatMustNotRun, '')).toStrictEqual({
        code: 2,
        stdout: '',
        stderr: `${heading('stdin')}  stdin is not valid JSON: ${jsonParseMessage('')}\n`,
      });
    });

    it('names the index, the id and the field of a schema violation in an array', async () => {
      const bad = { ...valid('ORD-3'), events: [{ type: 'detention', from: '2020-03-10', section: '99' }] };
      const path = write(`schema-${command.name}.json`, [valid('ORD-1'), valid('ORD-2'), bad]);
      expect(await runCommand(command, [path], engineThatMustNotRun)).toStrictEqual({
        code: 2,
        stdout: '',
        stderr: `${heading(path)}  document at index 2 (id "ORD-3"), field events[0].section: must be one of "2", "3", "4", "35", "36", "37", "38", "47", "48", "135", "136", "5(2)", "5(4)", "37/41", "45A", "47/49", "48/49", not "99"\n`,
      });
    });

    it('names a single document by its id alone, and lists every problem in it', async () => {
      const path = write(`single-${command.name}.json`, { id: 'ONE', evaluationDate: '2024-01-15', person: { name: 'Someone' } });
      expect(await runCommand(command, [path], engineThatMustNotRun)).toStrictEqual({
        code: 2,
        stdout: '',
        stderr:
          `${heading(path)}` +
          '  document (id "ONE"), field person.name: is not a field case facts v1 allows\n' +
          '  document (id "ONE"), field events: is required (an array)\n',
      });
    });

    it('names a document without an id by its index alone', async () => {
      const path = write(`no-id-${command.name}.json`, [valid('A'), { evaluationDate: '2024-01-15', events: [] }]);
      expect(await runCommand(command, [path], engineThatMustNotRun)).toStrictEqual({
        code: 2,
        stdout: '',
        stderr: `${heading(path)}  document at index 1, field id: is required (a string)\n`,
      });
    });

    it('refuses an impossible calendar date that the JSON Schema would let through', async () => {
      const path = write(`date-${command.name}.json`, [valid('A'), { ...valid('FEB'), evaluationDate: '2023-02-30' }]);
      expect(await runCommand(command, [path], engineThatMustNotRun)).toStrictEqual({
        code: 2,
        stdout: '',
        stderr: `${heading(path)}  document at index 1 (id "FEB"), field evaluationDate: "2023-02-30" is not a real calendar date\n`,
      });
    });

    it('reports every invalid document, not only the first', async () => {
      const path = write(`several-${command.name}.json`, [42, valid('OK'), { ...valid('B'), evaluationDate: '2023-13-01' }]);
      expect(await runCommand(command, [path], engineThatMustNotRun)).toStrictEqual({
        code: 2,
        stdout: '',
        stderr:
          `${heading(path)}` +
          '  document at index 0: must be an object, not a number\n' +
          '  document at index 2 (id "B"), field evaluationDate: "2023-13-01" is not a real calendar date\n',
      });
    });

    it(`stops listing after ${MAX_REPORTED_PROBLEMS} problems`, async () => {
      const path = write(
        `many-${command.name}.json`,
        Array.from({ length: MAX_REPORTED_PROBLEMS + 5 }, () => 0),
      );
      const run = await runCommand(command, [path], engineThatMustNotRun);
      const lines = run.stderr.trimEnd().split('\n');
      expect([run.code, run.stdout, lines.length, lines.at(-1)]).toStrictEqual([
        2,
        '',
        MAX_REPORTED_PROBLEMS + 2,
        '  … and 5 more problems',
      ]);
    });
  },
);

describe('usage errors exit 2 with the usage line', () => {
  it.each([
    { args: [], message: 'FILE is required (use - for stdin)' },
    { args: ['a.json', 'b.json'], message: 'one FILE only; unexpected "b.json"' },
    { args: ['--colour', 'a.json'], message: "Unknown option '--colour'" },
  ])('determine $args', async ({ args, message }) => {
    expect(await runCommand(determineCommand, args, engineThatMustNotRun)).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: `s117 determine: ${message}\nUsage: s117 determine [--rules RULES] FILE\nRun "s117 determine --help" for more.\n`,
    });
  });

  it.each([
    { args: ['--rules', 'default', 'reg.json'], message: 'give --rules exactly twice (A then B); got 1' },
    {
      args: ['--rules', 'default', '--rules', 'default', '--format', 'csv', 'reg.json'],
      message: '--format must be json or text, not "csv"',
    },
    { args: ['--rules', 'default', '--rules', 'default'], message: 'FILE is required (use - for stdin)' },
  ])('impact $args', async ({ args, message }) => {
    expect(await runCommand(impactCommand, args, engineThatMustNotRun)).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: `s117 impact: ${message}\nUsage: s117 impact --rules A --rules B [--format json|text] FILE\nRun "s117 impact --help" for more.\n`,
    });
  });
});

describe('--rules arguments are validated before any case is read', () => {
  it.each([
    {
      name: 'an impossible s46 date',
      rules: 's46=2026-02-30',
      problem: '--rules s46=2026-02-30: "2026-02-30" is not a date written YYYY-MM-DD',
    },
    {
      name: 'neither shorthand nor file',
      rules: 'commenced',
      problem: '--rules commenced: not "default", not "s46=YYYY-MM-DD", and no readable file of that name',
    },
  ])('refuses $name', async ({ rules, problem }) => {
    expect(
      await runCommand(impactCommand, ['--rules', 'default', '--rules', rules, file('missing.json')], engineThatMustNotRun),
    ).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: `s117 impact: invalid --rules; nothing was compared.\n  ${problem}\n`,
    });
  });

  it('refuses a rules file that is not a rule configuration, naming each field', async () => {
    const path = write('rules-bad.json', { name: '', mha2025S46CommencementDate: '2026-04-31', s47: true });
    expect(
      await runCommand(impactCommand, ['--rules', path, '--rules', 'default', file('missing.json')], engineThatMustNotRun),
    ).toStrictEqual({
      code: 2,
      stdout: '',
      stderr:
        's117 impact: invalid --rules; nothing was compared.\n' +
        `  --rules ${path}, field name: must not be empty\n` +
        `  --rules ${path}, field mha2025S46CommencementDate: is not a real calendar date\n` +
        `  --rules ${path}, field s47: is not a field a rule configuration allows\n`,
    });
  });

  it('refuses a register that is a single document rather than an array', async () => {
    const path = write('register-single.json', valid('A'));
    expect(await runCommand(impactCommand, ['--rules', 'default', '--rules', 's46=2026-01-01', path], engineThatMustNotRun)).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: `s117 impact: invalid input in ${path}; nothing was compared.\n  a register must be a JSON array of case-facts documents\n`,
    });
  });
});

describe('help and dispatch', () => {
  const general = `s117: who pays for section 117 Mental Health Act aftercare

Usage: s117 COMMAND [OPTIONS] [FILE]

Commands:
  determine    Determine eligibility and the responsible ICB and local authority, as JSON
  explain      The same determination, in plain English for a person
  impact       Which cases in a register change ICB or local authority between two rule configurations
  token        A bearer token for the local API, signed with the local key
  sign-in-url  A one-time link that signs a seeded user in to the local workspace
  orgs         The organisations of the local seed file (code, kind, name), as JSON
  export       A finance export (apportionment CSV or XLSX) from the local register

Run "s117 COMMAND --help" (or "s117 help COMMAND") for a command's options.
Exit codes: 0 done, 1 internal error, 2 bad usage or invalid input (then nothing is printed on stdout).
`;

  it.each([['--help'], ['-h'], ['help']])('%s prints the general help on stdout', async (flag) => {
    expect(await runS117([flag], engineThatMustNotRun)).toStrictEqual({ code: 0, stdout: general, stderr: '' });
  });

  it('no command prints the general help on stderr and exits 2', async () => {
    expect(await runS117([], engineThatMustNotRun)).toStrictEqual({ code: 2, stdout: '', stderr: general });
  });

  it.each([
    ['determine', '--help'],
    ['help', 'determine'],
  ])("%s %s prints the command's help", async (...argv) => {
    expect(await runS117(argv, engineThatMustNotRun)).toStrictEqual({ code: 0, stdout: `${determineCommand.usage}\n`, stderr: '' });
  });

  it('impact --help describes the JSON it prints', async () => {
    const run = await runS117(['impact', '--help'], engineThatMustNotRun);
    expect(run).toStrictEqual({ code: 0, stdout: `${impactCommand.usage}\n`, stderr: '' });
    expect(run.stdout).toContain(
      '"changed": [{ "caseId", "icb": {"from","to"} | null, "localAuthority": {"from","to"} | null, "reasons": [...] }]',
    );
  });

  it.each([['frobnicate'], ['help', 'frobnicate']])('an unknown command exits 2: %s', async (...argv) => {
    expect(await runS117(argv, engineThatMustNotRun)).toStrictEqual({
      code: 2,
      stdout: '',
      stderr:
        's117: unknown command "frobnicate"; the commands are determine, explain, impact, token, sign-in-url, orgs, export.\nRun "s117 --help" for usage.\n',
    });
  });

  it('reports an engine failure as an internal error (exit 1) naming the document, with nothing on stdout', async () => {
    const path = write('engine-fails.json', [valid('A'), valid('B')]);
    expect(await runS117(['determine', path], engineThatMustNotRun)).toStrictEqual({
      code: 1,
      stdout: '',
      stderr: 's117 determine: internal error while determining document at index 0 (id "A"): Error: the engine was called\n',
    });
  });
});
