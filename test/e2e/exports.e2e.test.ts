/**
 * End to end: funding applications through the local runtime (API, workflow, DynamoDB), then the finance
 * export of their period: the agreed arrangement split by the partnership's by-category policy (seed file),
 * the interim one by its own without-prejudice shares; and the same export again is the same file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import { usePorts } from '#functions/adapters/root.ts';
import { resetEnv } from '#functions/shared/env.ts';
import { appManifest } from '#lib/app-manifest.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { loadSeedFile } from '#local/seed-schema.ts';
import { seedDirectory } from '#local/seed.ts';
import { applicationBody, applicationWhen, call, commissioner, type Api } from './support.ts';

let runtime: RuntimeHandles;
let api: Api;
let dataDir: string;
const worcestershire = commissioner('E10000034');
const qgh = commissioner('QGH');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's117-e2e-exports-'));
  resetEnv();
  usePorts(undefined);
  runtime = await startRuntime({ manifest: appManifest, dataDir });
  await seedDirectory(documentClient(runtime.dynamodb.client), 'Register', await loadSeedFile());
  api = { url: runtime.api.url, token: (s) => runtime.auth.token(s) };
});

afterAll(async () => {
  await runtime?.stop();
  resetEnv();
  usePorts(undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function submit(key: string, body: Record<string, unknown>): Promise<string> {
  const created = await call(api, 'POST', '/v1/applications', { as: worcestershire, body, headers: { 'idempotency-key': key } });
  expect(created.status).toBe(201);
  return String(created.body['id']);
}

function parse(csv: string): Record<string, string>[] {
  const [head, ...rest] = csv.split('\r\n').filter((l) => l !== '');
  const names = (head ?? '').split(',');
  return rest.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i] ?? `?${i}`, v])));
}

describe('funding applications, then the finance export', () => {
  it('exports the agreed and the interim arrangements of March 2025', async () => {
    const agreed = await submit('exp-agree', applicationBody());
    const disputed = await submit('exp-dispute', applicationBody({ nhsNumber: '4010232137', factsId: 'e2e-2' }));
    await applicationWhen(api, agreed, worcestershire, (a) => a['status'] === 'awaiting-responses', 'the determination');
    await applicationWhen(api, disputed, worcestershire, (a) => a['status'] === 'awaiting-responses', 'the determination');
    expect((await call(api, 'POST', `/v1/applications/${agreed}/responses`, { as: qgh, body: { decision: 'accept' } })).status).toBe(201);
    expect(
      (await call(api, 'POST', `/v1/applications/${agreed}/responses`, { as: worcestershire, body: { decision: 'accept' } })).status,
    ).toBe(201);
    expect(
      (
        await call(api, 'POST', `/v1/applications/${disputed}/responses`, {
          as: worcestershire,
          body: { decision: 'dispute', reason: 'She lived in Swindon', proposedBody: 'E06000030' },
        })
      ).status,
    ).toBe(201);
    await applicationWhen(api, agreed, worcestershire, (a) => a['status'] === 'agreed', 'agreed funding');
    await applicationWhen(api, disputed, worcestershire, (a) => a['status'] === 'interim', 'interim funding');

    const token = runtime.auth.token({ sub: 'qgh-finance', org: 'QGH', role: 'finance' });
    const exported = await fetch(`${runtime.api.url}/v1/exports/apportionment?period=2025-03&format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(exported.status).toBe(200);
    const csv = await exported.text();
    const rows = parse(csv);
    const view = (id: string): string[][] =>
      rows
        .filter((r) => r['register_id'] === id)
        .map((r) => [
          r['payer_org_code'] ?? '',
          r['service_type'] ?? '',
          r['service_from'] ?? '',
          r['service_to'] ?? '',
          r['gross_cost'] ?? '',
          r['split_basis'] ?? '',
          r['policy_ref'] ?? '',
          r['payer_share_pct'] ?? '',
          r['payer_share_amount'] ?? '',
          r['funding_status'] ?? '',
        ]);
    // Agreed: accommodation shared equally (the odd penny to the ICB, first), health all to the ICB.
    expect(view(agreed)).toStrictEqual([
      [
        'QGH',
        'accommodation',
        '2025-03-10',
        '2025-03-31',
        '3928.57',
        'BY_CATEGORY',
        'WORCS-SWINDON-S75-CAT@1',
        '50.00',
        '1964.29',
        'AGREED',
      ],
      [
        'E10000034',
        'accommodation',
        '2025-03-10',
        '2025-03-31',
        '3928.57',
        'BY_CATEGORY',
        'WORCS-SWINDON-S75-CAT@1',
        '50.00',
        '1964.28',
        'AGREED',
      ],
      ['QGH', 'health', '2025-03-10', '2025-03-31', '942.86', 'BY_CATEGORY', 'WORCS-SWINDON-S75-CAT@1', '100.00', '942.86', 'AGREED'],
    ]);
    // Interim, without prejudice: the arrangement's own 50:50, on every line, while the dispute runs.
    const interimRows = view(disputed);
    expect(interimRows.map((r) => [r[1], r[5], r[7], r[9]])).toStrictEqual([
      ['accommodation', 'ARRANGEMENT', '50.00', 'INTERIM_WITHOUT_PREJUDICE'],
      ['accommodation', 'ARRANGEMENT', '50.00', 'INTERIM_WITHOUT_PREJUDICE'],
      ['health', 'ARRANGEMENT', '50.00', 'INTERIM_WITHOUT_PREJUDICE'],
      ['health', 'ARRANGEMENT', '50.00', 'INTERIM_WITHOUT_PREJUDICE'],
    ]);
    expect(interimRows.map((r) => r[8])).toStrictEqual(['1964.29', '1964.28', '471.43', '471.43']);
    expect(rows.map((r) => r['person_ref']).every((p) => /^[A-Za-z0-9_-]{8,}$/.test(p ?? ''))).toBe(true);
    expect(csv).not.toMatch(/9434765919|4010232137/);

    const again = await fetch(`${runtime.api.url}/v1/exports/apportionment?period=2025-03&format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await again.text()).toBe(csv);
  });
});
