/**
 * The export API through the real local runtime (handlers on dynalite, the S3 stand-in and the local Step
 * Functions server): roles, bad input, the inline export, byte-identical repeats, a later change as
 * adjustment lines in the next batch, the workflow path (202 → poll → link), XLSX and recharge statements.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import { DynamoApplicationStore } from '#functions/adapters/dynamodb/applications.ts';
import { usePorts } from '#functions/adapters/root.ts';
import { resetEnv } from '#functions/shared/env.ts';
import { appManifest } from '#lib/app-manifest.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import type { TokenSubject } from '#local/auth.ts';
import { loadSeedFile } from '#local/seed-schema.ts';
import { seedDirectory } from '#local/seed.ts';
import { application } from '../../support/application-builder.ts';
import { arrangement, line } from '../../support/finance-builder.ts';
import { eventually } from '../../local/support.ts';

let runtime: RuntimeHandles;
let dataDir: string;
let store: DynamoApplicationStore;

const finance: TokenSubject = { sub: 'qxu-finance', org: 'QXU', role: 'finance' };
const SURREY = 'E10000030';
const HEARTLANDS = 'QXU';

const appA = (weeklyCostPence: number, version: number, updatedAt: string): Application =>
  application({
    id: 'app_a',
    partnershipId: 'surrey-heartlands',
    version,
    updatedAt,
    createdAt: '2024-03-20T09:00:00.000Z',
    personRef: 'p_aaaa',
    status: 'agreed',
    parties: [SURREY, HEARTLANDS],
    carePlan: { serviceLines: [line({ id: 'L1', provider: 'Oakwood Care Ltd', weeklyCostPence, startDate: '2024-04-01' })] },
    arrangements: [
      arrangement(
        'ARR-A-1',
        'agreed',
        [
          [HEARTLANDS, 'icb', 6_000],
          [SURREY, 'la', 4_000],
        ],
        { createdAt: '2024-03-28T14:05:00.000Z' },
      ),
    ],
  });
const appB = application({
  id: 'app_b',
  partnershipId: 'surrey-heartlands',
  version: 3,
  updatedAt: '2024-04-19T09:30:00.000Z',
  createdAt: '2024-04-02T09:00:00.000Z',
  personRef: 'p_bbbb',
  status: 'interim',
  parties: [SURREY, HEARTLANDS],
  carePlan: {
    serviceLines: [line({ id: 'L1', provider: 'Mind in Surrey', category: 'other', weeklyCostPence: 35_000, startDate: '2024-04-15' })],
  },
  arrangements: [
    arrangement(
      'ARR-B-1',
      'interim',
      [
        [HEARTLANDS, 'icb', 5_000],
        [SURREY, 'la', 5_000],
      ],
      { startDate: '2024-04-15', lead: HEARTLANDS, createdAt: '2024-04-19T09:30:00.000Z' },
    ),
  ],
});
/** Another partnership's application: never in Surrey's export. */
const appOther = application({
  id: 'app_c',
  partnershipId: 'worcestershire-swindon',
  parties: ['E10000034', 'QGH'],
  status: 'agreed',
  carePlan: appB.carePlan,
  arrangements: appB.arrangements,
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's117-export-api-'));
  resetEnv();
  usePorts(undefined);
  runtime = await startRuntime({ manifest: appManifest, dataDir });
  const docs = documentClient(runtime.dynamodb.client);
  await seedDirectory(docs, 'Register', await loadSeedFile());
  store = new DynamoApplicationStore(docs, 'Register');
  for (const app of [appA(70_000, 1, '2024-04-02T09:00:00.000Z'), appB, appOther]) await store.create(app);
});

afterAll(async () => {
  await runtime?.stop();
  resetEnv();
  usePorts(undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function get(path: string, as: TokenSubject = finance, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${runtime.api.url}${path}`, {
    headers: { authorization: `Bearer ${runtime.auth.token(as)}`, ...headers },
    redirect: 'manual',
  });
}

/** The CSV as objects by column name (the test data has no quoted fields). */
function parse(csv: string): Record<string, string>[] {
  const [head, ...rest] = csv.split('\r\n').filter((l) => l !== '');
  const names = (head ?? '').split(',');
  return rest.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i] ?? `?${i}`, v])));
}
const pick = (rows: Record<string, string>[], ...cols: string[]): string[][] => rows.map((r) => cols.map((c) => r[c] ?? ''));

let aprilCsv = '';
let aprilBatch = '';

describe('GET /v1/exports/apportionment', () => {
  it('is for finance (and admin): other roles get 403', async () => {
    for (const role of ['commissioner', 'panel'] as const) {
      const r = await get('/v1/exports/apportionment?period=2024-04', { sub: `qxu-${role}`, org: 'QXU', role });
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await fetch(`${runtime.api.url}/v1/exports/apportionment?period=2024-04`)).status).toBe(401);
  });

  it('answers 400 naming query.period for a bad period, 404 for a partnership the caller is not in', async () => {
    const bad = await get('/v1/exports/apportionment?period=2024-13&format=csv');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toStrictEqual(['query.period']);
    // A year before 1000 once looped for ever and aborted the runtime (issue 12): now a 400 naming the field, sync or async.
    for (const q of ['period=0001-01', 'period=0999-12&format=xlsx', 'period=9999-03']) {
      for (const prefer of [undefined, 'respond-async']) {
        const early = await get(`/v1/exports/apportionment?${q}`, finance, prefer ? { prefer } : {});
        expect(early.status).toBe(400);
        expect(((await early.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toStrictEqual(['query.period']);
      }
    }
    const format = await get('/v1/exports/apportionment?period=2024-04&format=pdf');
    expect(((await format.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toStrictEqual(['query.format']);
    for (const p of ['nope', 'worcestershire-swindon']) {
      const r = await get(`/v1/exports/apportionment?period=2024-04&partnership=${p}`);
      expect(r.status).toBe(404);
    }
    // NHS England is in both demo partnerships: it must say which.
    const nhse = await get('/v1/exports/apportionment?period=2024-04', { sub: 'nhse-finance', org: 'NHSE', role: 'finance' });
    expect(nhse.status).toBe(400);
    expect(((await nhse.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toStrictEqual(['query.partnership']);
  });

  it('exports the period inline: one row per person, line, payer and period; agreed and interim', async () => {
    const r = await get('/v1/exports/apportionment?period=2024-04&format=csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    aprilBatch = r.headers.get('x-s117-export-batch') ?? '';
    expect(aprilBatch).toMatch(/^EXP-2024-04-[0-9a-f]{16}$/);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${aprilBatch}.csv"`);
    aprilCsv = await r.text();
    const rows = parse(aprilCsv);
    expect(
      pick(
        rows,
        'export_batch_id',
        'register_id',
        'payer_org_code',
        'counterparty_org_code',
        'period',
        'service_from',
        'service_to',
        'gross_cost',
        'split_basis',
        'policy_ref',
        'payer_share_pct',
        'payer_share_amount',
        'funding_status',
        'agreement_ref',
        'is_adjustment',
        'person_ref',
      ),
    ).toStrictEqual([
      [
        aprilBatch,
        'app_a',
        'QXU',
        SURREY,
        '1',
        '2024-04-01',
        '2024-04-30',
        '3000.00',
        'FIXED',
        'surrey-heartlands-funding-settings@1',
        '60.00',
        '1800.00',
        'AGREED',
        'ARR-A-1',
        'N',
        'p_aaaa',
      ],
      [
        aprilBatch,
        'app_a',
        SURREY,
        '',
        '1',
        '2024-04-01',
        '2024-04-30',
        '3000.00',
        'FIXED',
        'surrey-heartlands-funding-settings@1',
        '40.00',
        '1200.00',
        'AGREED',
        'ARR-A-1',
        'N',
        'p_aaaa',
      ],
      [
        aprilBatch,
        'app_b',
        'QXU',
        '',
        '1',
        '2024-04-15',
        '2024-04-30',
        '800.00',
        'ARRANGEMENT',
        'arrangement:ARR-B-1@1',
        '50.00',
        '400.00',
        'INTERIM_WITHOUT_PREJUDICE',
        'ARR-B-1',
        'N',
        'p_bbbb',
      ],
      [
        aprilBatch,
        'app_b',
        SURREY,
        'QXU',
        '1',
        '2024-04-15',
        '2024-04-30',
        '800.00',
        'ARRANGEMENT',
        'arrangement:ARR-B-1@1',
        '50.00',
        '400.00',
        'INTERIM_WITHOUT_PREJUDICE',
        'ARR-B-1',
        'N',
        'p_bbbb',
      ],
    ]);
    expect(aprilCsv).not.toContain('9434765919');
  });

  it('gives the stored file, byte for byte, when the same period is exported again over the same data', async () => {
    const again = await get('/v1/exports/apportionment?period=2024-04&format=csv');
    expect(again.headers.get('x-s117-export-batch')).toBe(aprilBatch);
    expect(await again.text()).toBe(aprilCsv);
    const xlsx = await get('/v1/exports/apportionment?period=2024-04&format=xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(bytes.subarray(0, 4)).toStrictEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const xlsxAgain = Buffer.from(await (await get('/v1/exports/apportionment?period=2024-04&format=xlsx')).arrayBuffer());
    expect(xlsxAgain.equals(bytes)).toBe(true);
  });

  it('puts a UTF-8 byte order mark before the same bytes for bom=true (CSV only); without it the bytes are unchanged', async () => {
    const plain = Buffer.from(await (await get('/v1/exports/apportionment?period=2024-04&format=csv')).arrayBuffer());
    expect(plain.equals(Buffer.from(aprilCsv, 'utf8'))).toBe(true);
    expect(plain.subarray(0, 3).toString('utf8')).toBe('exp');
    const marked = await get('/v1/exports/apportionment?period=2024-04&format=csv&bom=true');
    expect([marked.status, marked.headers.get('content-type'), marked.headers.get('x-s117-export-batch')]).toStrictEqual([
      200,
      'text/csv; charset=utf-8',
      aprilBatch,
    ]);
    const bytes = Buffer.from(await marked.arrayBuffer());
    expect(bytes.subarray(0, 3)).toStrictEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.subarray(3).equals(plain)).toBe(true);
    const unmarked = Buffer.from(await (await get('/v1/exports/apportionment?period=2024-04&format=csv&bom=false')).arrayBuffer());
    expect(unmarked.equals(plain)).toBe(true);
    for (const q of ['format=xlsx&bom=true', 'format=csv&bom=yes']) {
      const bad = await get(`/v1/exports/apportionment?period=2024-04&${q}`);
      expect(bad.status, q).toBe(400);
      expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toStrictEqual(['query.bom']);
    }
  });

  it('puts a later change into the next batch as adjustment lines, never rewriting the first', async () => {
    const before = (await (await get(`/v1/exports/${aprilBatch}`)).json()) as {
      csvSha256: string;
      rows: number;
      downloads: { csv: { url: string } };
    };
    expect(before.rows).toBe(4);
    // April's cost of app_a is corrected down from its start, after April was exported.
    await store.save(appA(63_000, 2, '2024-05-20T10:00:00.000Z'));
    const may = await get('/v1/exports/apportionment?period=2024-05');
    const mayBatch = may.headers.get('x-s117-export-batch') ?? '';
    const rows = parse(await may.text());
    expect(
      pick(
        rows,
        'register_id',
        'payer_org_code',
        'period_month',
        'gross_cost',
        'payer_share_amount',
        'is_adjustment',
        'adjusts_batch_id',
        'adjusts_period',
        'reason_code',
      ),
    ).toStrictEqual([
      ['app_a', 'QXU', '2024-05', '2790.00', '1674.00', 'N', '', '', ''],
      ['app_a', SURREY, '2024-05', '2790.00', '1116.00', 'N', '', '', ''],
      ['app_b', 'QXU', '2024-05', '1550.00', '775.00', 'N', '', '', ''],
      ['app_b', SURREY, '2024-05', '1550.00', '775.00', 'N', '', '', ''],
      ['app_a', 'QXU', '2024-05', '2700.00', '-180.00', 'Y', aprilBatch, '2024-04', 'COST_CHANGE'],
      ['app_a', SURREY, '2024-05', '2700.00', '-120.00', 'Y', aprilBatch, '2024-04', 'COST_CHANGE'],
    ]);
    expect(new Set(rows.map((r) => r['export_batch_id']))).toStrictEqual(new Set([mayBatch]));

    // April's file is still the one first exported.
    const after = (await (await get(`/v1/exports/${aprilBatch}`)).json()) as { csvSha256: string; downloads: { csv: { url: string } } };
    expect(after.csvSha256).toBe(before.csvSha256);
    expect(await (await fetch(after.downloads.csv.url)).text()).toBe(aprilCsv);
    // April again: May already carries its adjustments, nothing more to add: April's batch stands.
    const aprilAgain = await get('/v1/exports/apportionment?period=2024-04');
    expect(aprilAgain.headers.get('x-s117-export-batch')).toBe(aprilBatch);
    expect(await aprilAgain.text()).toBe(aprilCsv);
  });

  it('runs the export workflow for Prefer: respond-async: 202, a Location to poll, then a download link', async () => {
    const started = await get('/v1/exports/apportionment?period=2024-06&format=csv', finance, { prefer: 'respond-async' });
    expect(started.status).toBe(202);
    const location = started.headers.get('location') ?? '';
    expect(location).toMatch(/^\/v1\/exports\/exp-2024-06-[0-9a-f]{16}$/);
    const done = await eventually(
      async () => {
        const body = (await (await get(location)).json()) as { status: string; batchId?: string; downloadUrl?: string; rows?: number };
        return body.status === 'running' ? undefined : body;
      },
      'the export workflow',
      20_000,
    );
    expect(done.status).toBe('succeeded');
    expect(done.rows).toBe(4);
    const file = await fetch(done.downloadUrl ?? '');
    expect(file.status).toBe(200);
    const csv = await file.text();
    expect(pick(parse(csv), 'register_id', 'payer_org_code', 'period_month', 'payer_share_amount')).toStrictEqual([
      ['app_a', 'QXU', '2024-06', '1620.00'],
      ['app_a', SURREY, '2024-06', '1080.00'],
      ['app_b', 'QXU', '2024-06', '750.00'],
      ['app_b', SURREY, '2024-06', '750.00'],
    ]);
    // The same period inline now: the batch the workflow stored, byte for byte.
    const inline = await get('/v1/exports/apportionment?period=2024-06');
    expect(inline.headers.get('x-s117-export-batch')).toBe(done.batchId);
    expect(await inline.text()).toBe(csv);
    // Another partnership's finance team cannot see the job.
    expect((await get(location, { sub: 'qgh-finance', org: 'QGH', role: 'finance' })).status).toBe(404);
  });
});

describe('GET /v1/exports/recharges', () => {
  it('asks for the period to be exported first', async () => {
    const r = await get('/v1/exports/recharges?period=2024-09');
    expect(r.status).toBe(409);
  });

  it('states what each body recharges the other, with the settlement recharges booked in the period', async () => {
    await documentClient(runtime.dynamodb.client).send(
      new PutCommand({
        TableName: 'Register',
        Item: {
          pk: 'APP#app_b',
          sk: 'RECHARGE#SET-B-1#0001',
          settlementId: 'SET-B-1',
          n: 1,
          lineId: 'L1',
          period: '2024-04',
          financialYear: '2024/25',
          periodNumber: 1,
          payer: SURREY,
          payee: HEARTLANDS,
          pence: 12_345,
          reason: 'SETTLEMENT',
          at: '2024-05-28T12:00:00.000Z',
        },
      }),
    );
    const r = await get('/v1/exports/recharges?period=2024-05&format=csv');
    expect(r.status).toBe(200);
    const marked = Buffer.from(await (await get('/v1/exports/recharges?period=2024-05&format=csv&bom=true')).arrayBuffer());
    expect(marked.subarray(0, 3)).toStrictEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(marked.subarray(3).toString('utf8')).toBe(await r.clone().text());
    expect(await r.text()).toBe(
      [
        'body_a,body_b,service_period,source,from_org_code,to_org_code,amount,entries',
        // QXU's share of app_a's May is recharged to the lead council; Surrey's share of app_b to QXU, the interim lead;
        // April's correction is a credit; the settlement entry settled in May is booked in May's statement.
        'E10000030,QXU,2024-04,ADJUSTMENT,QXU,E10000030,-180.00,1',
        'E10000030,QXU,2024-04,SETTLEMENT,E10000030,QXU,123.45,1',
        'E10000030,QXU,2024-05,SHARE,E10000030,QXU,775.00,1',
        'E10000030,QXU,2024-05,SHARE,QXU,E10000030,1674.00,1',
        // 1674.00 - 180.00 - 775.00 - 123.45: QXU owes Surrey 595.55.
        'E10000030,QXU,,NET,QXU,E10000030,595.55,4',
        '',
      ].join('\r\n'),
    );
  });
});

describe('stored files are checked against the hash recorded with their batch (issue 12, item 7)', () => {
  /** Changes one digit of a stored object in the S3 stand-in's folder, keeping its length. */
  function tamper(batchId: string, file: string): void {
    const root = join(dataDir, 's3');
    const found = readdirSync(root, { recursive: true, encoding: 'utf8' }).find(
      (p) => p.includes(encodeURIComponent(batchId)) && p.endsWith(`${encodeURIComponent(file)}.data`),
    );
    if (found === undefined) throw new Error(`no stored ${file} for ${batchId}`);
    const path = join(root, found);
    const text = readFileSync(path, 'utf8');
    const at = text.search(/[1-9]/);
    writeFileSync(path, `${text.slice(0, at)}${text[at] === '9' ? '8' : '9'}${text.slice(at + 1)}`);
  }

  it('a changed CSV is neither served again nor linked; changed rows are not read into a recharge statement', async () => {
    expect((await get('/v1/exports/apportionment?period=2024-04')).status).toBe(200);
    tamper(aprilBatch, 'export.csv');

    const again = await get('/v1/exports/apportionment?period=2024-04');
    expect(again.status).toBe(500);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(await again.text()).not.toContain('app_a');
    const view = await get(`/v1/exports/${aprilBatch}`);
    expect(view.status).toBe(500);
    expect(await view.text()).not.toMatch(/X-Amz-Signature/);
    // The XLSX of the same batch is untouched and still served.
    expect((await get('/v1/exports/apportionment?period=2024-04&format=xlsx')).status).toBe(200);

    expect((await get('/v1/exports/recharges?period=2024-05&format=csv')).status).toBe(200);
    const mayBatch = (await get('/v1/exports/apportionment?period=2024-05')).headers.get('x-s117-export-batch') ?? '';
    tamper(mayBatch, 'rows.ndjson');
    expect((await get('/v1/exports/recharges?period=2024-05&format=csv')).status).toBe(500);
    // Nor into a later batch's adjustments: July reads the year's earlier rows, May's among them.
    expect((await get('/v1/exports/apportionment?period=2024-07')).status).toBe(500);
  });
});
