import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_FUNDING_SETTINGS, DEFAULT_RESPONSE_DEADLINE_DAYS } from '#domain/partnership.ts';
import { registerTable } from '#lib/app-manifest.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { DEFAULT_SEED_FILE, defaultSeedFile, loadSeedFile, parseSeed, type Seed } from '#local/seed-schema.ts';
import { sampleTokenCommand, seedDirectory, seedItems } from '#local/seed.ts';

let demo: Seed;
let dir: string;

beforeAll(async () => {
  demo = await loadSeedFile(DEFAULT_SEED_FILE);
  dir = mkdtempSync(join(tmpdir(), 's117-seed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small valid seed, as plain JSON, for tests to break. */
const small = () => ({
  partnerships: [
    { id: 'p1', name: 'P1', members: ['QGH', 'E10000034'], ruleConfig: { name: 'default', mha2025S46CommencementDate: null } },
  ],
  organisations: [
    { code: 'QGH', kind: 'icb', name: 'NHS Herefordshire and Worcestershire ICB', email: 's117@qgh.example.nhs.uk' },
    { code: 'E10000034', kind: 'la', name: 'Worcestershire County Council', email: 's117@worcestershire.example.gov.uk' },
  ],
  users: [{ id: 'qgh-panel', name: 'Tom Beddoes', email: 'tom.beddoes@qgh.example.nhs.uk', org: 'QGH', role: 'panel' }],
});

describe('the seed file schema', () => {
  it('accepts the demo partnership file, with every organisation the demo needs and users for each', () => {
    expect(demo.organisations.map((o) => [o.code, o.kind])).toStrictEqual([
      ['QGH', 'icb'],
      ['QOX', 'icb'],
      ['QXU', 'icb'],
      ['E10000034', 'la'],
      ['E06000030', 'la'],
      ['E06000054', 'la'],
      ['E10000030', 'la'],
      ['NHSE', 'nhs-england'],
    ]);
    expect(demo.partnerships.map((p) => p.name)).toContain('Worcestershire and Swindon s117 demo');
    for (const org of demo.organisations) {
      expect(
        demo.users
          .filter((u) => u.org === org.code)
          .map((u) => u.role)
          .sort(),
      ).toEqual(expect.arrayContaining(['commissioner', 'finance', 'panel']));
    }
    expect(demo.users.filter((u) => u.role === 'admin')).toHaveLength(1);
    for (const email of [...demo.organisations, ...demo.users].map((x) => x.email))
      expect(email).toMatch(/@([a-z0-9-]+\.)*example\.(nhs|gov)\.uk$/);
    expect(demo.partnerships[0]).toMatchObject({ responseDeadlineDays: DEFAULT_RESPONSE_DEADLINE_DAYS, funding: DEFAULT_FUNDING_SETTINGS });
  });

  it('fills the rule book defaults for responseDeadlineDays and funding', () => {
    const parsed = parseSeed(small());
    expect(parsed.ok && parsed.seed.partnerships[0]).toStrictEqual({
      id: 'p1',
      name: 'P1',
      members: ['QGH', 'E10000034'],
      ruleConfig: { name: 'default', mha2025S46CommencementDate: null },
      responseDeadlineDays: DEFAULT_RESPONSE_DEADLINE_DAYS,
      funding: { ...DEFAULT_FUNDING_SETTINGS },
    });
  });

  it.each([
    [
      'a member that is not an organisation',
      (s: ReturnType<typeof small>) => {
        s.partnerships[0]?.members.push('QXU');
      },
      [{ path: 'partnerships[0].members[2]', message: 'QXU is not one of the organisations' }],
    ],
    [
      'a user of an unknown organisation',
      (s: ReturnType<typeof small>) => {
        s.users.push({ id: 'x-finance', name: 'X', email: 'x@x.example.gov.uk', org: 'E06000030', role: 'finance' });
      },
      [{ path: 'users[1].org', message: 'E06000030 is not one of the organisations' }],
    ],
    [
      'a partnership without a council',
      (s: ReturnType<typeof small>) => {
        s.partnerships[0]?.members.splice(1, 1, 'QGH');
      },
      [
        { path: 'partnerships[0].members[1]', message: 'QGH is listed twice' },
        { path: 'partnerships[0].members', message: 'must include at least one local authority' },
      ],
    ],
    [
      'a partnership without an ICB',
      (s: ReturnType<typeof small>) => {
        if (s.partnerships[0]) s.partnerships[0].members = ['E10000034', 'E10000034'];
      },
      [
        { path: 'partnerships[0].members[1]', message: 'E10000034 is listed twice' },
        { path: 'partnerships[0].members', message: 'must include at least one ICB' },
      ],
    ],
    [
      'an organisation listed twice',
      (s: ReturnType<typeof small>) => {
        const first = s.organisations[0];
        if (first) s.organisations.push({ ...first });
      },
      [{ path: 'organisations[2].code', message: 'QGH is listed twice' }],
    ],
    [
      'a user listed twice',
      (s: ReturnType<typeof small>) => {
        const first = s.users[0];
        if (first) s.users.push({ ...first });
      },
      [{ path: 'users[1].id', message: 'qgh-panel is listed twice' }],
    ],
    [
      'an executive lead of a body outside the partnership',
      (s: ReturnType<typeof small>) => {
        Object.assign(s.partnerships[0] ?? {}, {
          delays: { executiveLeads: [{ organisation: 'QOX', name: 'Ann Lead', email: 'ann.lead@qox.example.nhs.uk' }] },
        });
      },
      [{ path: 'partnerships[0].delays.executiveLeads[0].organisation', message: 'QOX is not a member of the partnership' }],
    ],
  ])('refuses %s, naming the path', (_label, breakIt, issues) => {
    const seed = small();
    breakIt(seed);
    expect(parseSeed(seed)).toStrictEqual({ ok: false, issues });
  });

  it('refuses fields it does not know, and bad values, naming each path', () => {
    const seed = small() as Record<string, unknown> & ReturnType<typeof small>;
    Object.assign(seed.partnerships[0] ?? {}, {
      votingPanel: { quorum: 2 },
      funding: { agreedIcbShare: 12_000, interimIcbShare: 5000, interimLead: 'nhs', icbDisputeShare: 5000 },
    });
    Object.assign(seed.users[0] ?? {}, { role: 'boss' });
    const parsed = parseSeed(seed);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.path).sort()).toStrictEqual([
      'partnerships[0].funding.agreedIcbShare',
      'partnerships[0].funding.interimLead',
      'partnerships[0].votingPanel',
      'users[0].role',
    ]);
  });

  it('names the file and each problem when a seed file is loaded', async () => {
    const file = join(dir, 'broken.json');
    const seed = small();
    seed.partnerships[0]?.members.push('NOPE');
    writeFileSync(file, JSON.stringify(seed));
    await expect(loadSeedFile(file)).rejects.toThrow(
      `The seed file ${file} is not valid:\n  partnerships[0].members[2]: NOPE is not one of the organisations`,
    );
    writeFileSync(file, '{');
    await expect(loadSeedFile(file)).rejects.toThrow(`The seed file ${file} is not JSON`);
    await expect(loadSeedFile(join(dir, 'missing.json'))).rejects.toThrow(
      `The seed file ${join(dir, 'missing.json')} cannot be read (ENOENT)`,
    );
  });

  it('reads SEED_FILE, else the demo file', () => {
    expect(defaultSeedFile({})).toBe(DEFAULT_SEED_FILE);
    expect(defaultSeedFile({ SEED_FILE: '/tmp/elsewhere.json' })).toBe('/tmp/elsewhere.json');
    expect(sampleTokenCommand(demo)).toBe('npx s117 token --org E10000034 --role commissioner');
  });
});

describe('seeding the register', () => {
  let runtime: RuntimeHandles;
  let doc: DynamoDBDocumentClient;
  const table = registerTable.name;

  beforeAll(async () => {
    runtime = await startRuntime({
      manifest: { tables: [registerTable], functions: [], stateMachines: [], routes: [] },
      setProcessEnv: false,
    });
    doc = DynamoDBDocumentClient.from(runtime.dynamodb.client);
  });
  afterAll(async () => {
    await runtime.stop();
  });

  const scan = async () =>
    ((await doc.send(new ScanCommand({ TableName: table }))).Items ?? []).sort((a, b) =>
      `${a['pk']}|${a['sk']}`.localeCompare(`${b['pk']}|${b['sk']}`),
    );
  const byKey = (items: readonly Record<string, unknown>[]) =>
    [...items].sort((a, b) => `${a['pk']}|${a['sk']}`.localeCompare(`${b['pk']}|${b['sk']}`));

  it('writes exactly the items of docs/data-model.md, and writing them twice changes nothing', async () => {
    expect(await seedDirectory(doc, table, demo)).toStrictEqual({ organisations: 8, partnerships: 2, users: 25 });
    const first = await scan();
    await seedDirectory(doc, table, demo);
    const second = await scan();

    expect(second).toStrictEqual(first);
    expect(first).toStrictEqual(byKey(seedItems(demo) as unknown as Record<string, unknown>[]));
    expect(first).toHaveLength(8 + 2 + 25);

    const get = async (pk: string, sk: string) => (await doc.send(new GetCommand({ TableName: table, Key: { pk, sk } }))).Item;
    expect(await get('DIRECTORY', 'ORG#E10000034')).toStrictEqual({
      pk: 'DIRECTORY',
      sk: 'ORG#E10000034',
      code: 'E10000034',
      kind: 'la',
      name: 'Worcestershire County Council',
      email: 's117@worcestershire.example.gov.uk',
      partnerships: ['worcestershire-swindon'],
    });
    expect(await get('DIRECTORY', 'ORG#NHSE')).toMatchObject({
      kind: 'nhs-england',
      partnerships: ['worcestershire-swindon', 'surrey-heartlands'],
    });
    expect(await get('PARTNERSHIP#worcestershire-swindon', 'CONFIG')).toStrictEqual({
      pk: 'PARTNERSHIP#worcestershire-swindon',
      sk: 'CONFIG',
      partnership: {
        id: 'worcestershire-swindon',
        name: 'Worcestershire and Swindon s117 demo',
        members: ['QGH', 'QOX', 'E10000034', 'E06000030', 'E06000054', 'NHSE'],
        ruleConfig: { name: 'default', mha2025S46CommencementDate: null },
        responseDeadlineDays: 10,
        funding: { agreedIcbShare: 5000, interimIcbShare: 5000, interimLead: 'la', icbDisputeShare: 5000 },
        apportionment: {
          policies: [
            {
              id: 'WORCS-SWINDON-S75-CAT',
              version: 1,
              partnershipId: 'worcestershire-swindon',
              effectiveFrom: '2024-04-01',
              rule: {
                kind: 'by-category',
                icbBasisPoints: { health: 10_000, 'social-care': 0, accommodation: 5_000, employment: 5_000, other: 5_000 },
              },
              agreementRef: 'S75-WORCS-SWINDON-2024',
              description: 'Health lines to the ICB, social care to the council, accommodation and the rest shared equally',
            },
          ],
        },
        panel: demo.partnerships[0]?.panel,
        delays: {
          fundingEscalationDays: 14,
          executiveLeads: [
            { organisation: 'QGH', name: 'Dr Anne Holloway', email: 'anne.holloway@qgh.example.nhs.uk' },
            { organisation: 'E10000034', name: 'Richard Lowe', email: 'richard.lowe@worcestershire.example.gov.uk' },
          ],
        },
        reviews: {
          eligibilityReviewWeeks: 6,
          carePlanReviewMonths: 3,
          thenEveryMonths: 12,
          moveReviewWeeks: 6,
          reminderLeadDays: 14,
          escalationRepeatDays: 14,
        },
      },
    });
    expect(await get('DIRECTORY', 'USER#e10000034-commissioner')).toStrictEqual({
      pk: 'DIRECTORY',
      sk: 'USER#e10000034-commissioner',
      id: 'e10000034-commissioner',
      name: 'Asha Patel',
      email: 'asha.patel@worcestershire.example.gov.uk',
      org: 'E10000034',
      role: 'commissioner',
    });
  });

  it('updates the items when the edited file is seeded again', async () => {
    await seedDirectory(doc, table, demo);
    const edited: Seed = structuredClone(demo);
    const partnership = edited.partnerships[0];
    if (partnership === undefined) throw new Error('no partnership');
    partnership.responseDeadlineDays = 5;
    partnership.funding.interimLead = 'icb';
    const org = edited.organisations.find((o) => o.code === 'E06000030');
    if (org === undefined) throw new Error('no Swindon');
    org.email = 's117-team@swindon.example.gov.uk';
    await seedDirectory(doc, table, edited);

    const items = await scan();
    expect(items).toHaveLength(35);
    expect(items.find((i) => i['sk'] === 'ORG#E06000030')?.['email']).toBe('s117-team@swindon.example.gov.uk');
    expect(items.find((i) => i['pk'] === 'PARTNERSHIP#worcestershire-swindon')?.['partnership']).toMatchObject({
      responseDeadlineDays: 5,
      funding: { interimLead: 'icb' },
    });
  });
});
