import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../../bin/s117.ts';
import type { CaseFacts } from '#domain/facts.ts';
import { DEFAULT_RULE_CONFIG, type RuleConfig } from '#domain/rules/config.ts';
import { loadPublicCases } from '../support/fixtures.ts';
import { runS117 } from './helpers.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const publicCases = loadPublicCases();
const REGISTER = fileURLToPath(new URL('../fixtures/case-facts/s46-register.json', import.meta.url));
const register = JSON.parse(readFileSync(REGISTER, 'utf8')) as CaseFacts[];

const S46: RuleConfig = { name: 's46=2026-04-01', mha2025S46CommencementDate: '2026-04-01' };
const pretty = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const first = publicCases[0]?.facts as CaseFacts;
const second = publicCases[1]?.facts as CaseFacts;

let dir: string;
const write = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's117-cli-engine-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('s117 determine', () => {
  it('prints the determination of one document as pretty JSON', async () => {
    const run = await runS117(['determine', write('one.json', first)], engine);
    expect(run).toStrictEqual({ code: 0, stdout: pretty(engine.determine(first)), stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ caseId: 'ORD-1', localAuthority: { body: 'E06000030' } });
  });

  it('prints an array of determinations in the order of the input', async () => {
    const facts = publicCases.map((c) => c.facts).reverse();
    const run = await runS117(['determine', write('all.json', facts)], engine);
    expect(run).toStrictEqual({ code: 0, stdout: pretty(facts.map((f) => engine.determine(f))), stderr: '' });
    expect((JSON.parse(run.stdout) as { caseId: string }[]).map((d) => d.caseId)).toStrictEqual(facts.map((f) => f.id));
  });

  it('reads standard input when FILE is -', async () => {
    const run = await runS117(['determine', '-'], engine, JSON.stringify([second, first]));
    expect(run).toStrictEqual({ code: 0, stdout: pretty([engine.determine(second), engine.determine(first)]), stderr: '' });
  });

  it('prints [] for an empty register', async () => {
    expect(await runS117(['determine', '-'], engine, '[]')).toStrictEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('applies --rules: s46 deeming moves the local authority for a detention after commencement', async () => {
    const facts = register[0] as CaseFacts;
    const run = await runS117(['determine', '--rules', 's46=2026-04-01', write('s46-one.json', facts)], engine);
    expect(run).toStrictEqual({ code: 0, stdout: pretty(engine.determine(facts, S46)), stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ localAuthority: { body: 'E10000034' } });
  });
});

describe('s117 explain', () => {
  it('prints the plain-English explanation of one document', async () => {
    const run = await runS117(['explain', write('explain-one.json', first)], engine);
    const text = engine.explainInPlainEnglish(engine.determine(first)).replace(/\n+$/u, '');
    expect(run).toStrictEqual({ code: 0, stdout: `${text}\n`, stderr: '' });
    expect(run.stdout.startsWith('Case ORD-1, as the law stood on 15 January 2024\n')).toBe(true);
  });

  it('puts a heading line before each case of an array, in order', async () => {
    const run = await runS117(['explain', '-'], engine, JSON.stringify([first, second]));
    const text = (f: CaseFacts): string => engine.explainInPlainEnglish(engine.determine(f)).replace(/\n+$/u, '');
    expect(run).toStrictEqual({
      code: 0,
      stdout: `=== Case 1 of 2: ${first.id} ===\n${text(first)}\n\n=== Case 2 of 2: ${second.id} ===\n${text(second)}\n`,
      stderr: '',
    });
  });
});

describe('s117 impact', () => {
  const s46Reasons = (): string[] => engine.determine(register[0] as CaseFacts, S46).localAuthority.reasons;
  const defaultReasons = (): string[] => engine.determine(register[0] as CaseFacts, DEFAULT_RULE_CONFIG).localAuthority.reasons;

  it('lists only the case whose local authority s46 deeming changes (placed by Worcestershire in Swindon, detained after commencement)', async () => {
    const run = await runS117(['impact', '--rules', 'default', '--rules', 's46=2026-04-01', REGISTER], engine);
    expect(run).toStrictEqual({
      code: 0,
      stdout: pretty({
        rulesA: { name: 'default', mha2025S46CommencementDate: null },
        rulesB: S46,
        casesCompared: 3,
        changed: [{ caseId: 'IMP-S46', icb: null, localAuthority: { from: 'E06000030', to: 'E10000034' }, reasons: s46Reasons() }],
      }),
      stderr: '',
    });
    expect(s46Reasons().some((r) => r.includes('s117(3A)'))).toBe(true);
  });

  it('gives the reasons of rules B, so reversing the rules reverses the change and explains the default rule', async () => {
    const run = await runS117(['impact', '--rules', 's46=2026-04-01', '--rules', 'default', REGISTER], engine);
    expect(JSON.parse(run.stdout)).toStrictEqual({
      rulesA: S46,
      rulesB: { name: 'default', mha2025S46CommencementDate: null },
      casesCompared: 3,
      changed: [{ caseId: 'IMP-S46', icb: null, localAuthority: { from: 'E10000034', to: 'E06000030' }, reasons: defaultReasons() }],
    });
  });

  it('finds no change when s46 commences after every detention in the register', async () => {
    const run = await runS117(['impact', '--rules', 'default', '--rules', 's46=2027-01-01', REGISTER], engine);
    expect(run).toStrictEqual({
      code: 0,
      stdout: pretty({
        rulesA: DEFAULT_RULE_CONFIG,
        rulesB: { name: 's46=2027-01-01', mha2025S46CommencementDate: '2027-01-01' },
        casesCompared: 3,
        changed: [],
      }),
      stderr: '',
    });
  });

  it('reads a rule configuration from a JSON file', async () => {
    const rulesFile = write('rules-s46.json', { name: 'MHA 2025 s46 from April 2026', mha2025S46CommencementDate: '2026-04-01' });
    const run = await runS117(['impact', '--rules', 'default', '--rules', rulesFile, REGISTER], engine);
    expect(JSON.parse(run.stdout)).toMatchObject({
      rulesB: { name: 'MHA 2025 s46 from April 2026', mha2025S46CommencementDate: '2026-04-01' },
      changed: [{ caseId: 'IMP-S46', localAuthority: { from: 'E06000030', to: 'E10000034' } }],
    });
  });

  it('prints a readable table with --format text', async () => {
    const run = await runS117(['impact', '--rules', 'default', '--rules', 's46=2026-04-01', '--format', 'text', REGISTER], engine);
    expect(run).toStrictEqual({
      code: 0,
      stdout: [
        'Rules A: default (s46 not commenced)',
        'Rules B: s46=2026-04-01 (s46 commenced 2026-04-01)',
        'Cases compared: 3. Changed under rules B: 1.',
        '',
        'Case     ICB (A -> B)  Local authority (A -> B)',
        '-------  ------------  ------------------------',
        'IMP-S46  unchanged     E06000030 -> E10000034',
        ...s46Reasons().map((r) => `    ${r}`),
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('says so in text when nothing changes', async () => {
    const run = await runS117(['impact', '--rules', 'default', '--rules', 'default', '--format', 'text', REGISTER], engine);
    expect(run.stdout).toBe(
      [
        'Rules A: default (s46 not commenced)',
        'Rules B: default (s46 not commenced)',
        'Cases compared: 3. Changed under rules B: 0.',
        '',
        'No case changes its responsible ICB or local authority.',
        '',
      ].join('\n'),
    );
  });
});

describe('the real binary', () => {
  const execFileAsync = promisify(execFile);
  const exec = async (cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await execFileAsync(cmd, args, { cwd: REPO });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it("`npx s117 determine` resolves to this project's bin and prints what the in-process command prints", async () => {
    const path = write(
      'spawn-all.json',
      publicCases.map((c) => c.facts),
    );
    const [spawned, inProcess] = await Promise.all([
      exec('npx', ['--no-install', 's117', 'determine', path]),
      runS117(['determine', path], engine),
    ]);
    expect({ code: spawned.code, stdout: spawned.stdout }).toStrictEqual({ code: 0, stdout: inProcess.stdout });
  });

  it('bin/s117.js exits 2 with nothing on stdout for invalid input', async () => {
    const path = write('spawn-bad.json', [first, { ...first, id: 'BAD', evaluationDate: '2024-02-30' }]);
    expect(await exec(process.execPath, [join(REPO, 'bin/s117.js'), 'determine', path])).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: `s117 determine: invalid input in ${path}; nothing was determined.\n  document at index 1 (id "BAD"), field evaluationDate: "2024-02-30" is not a real calendar date\n`,
    });
  });
});
