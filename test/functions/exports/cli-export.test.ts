/** `s117 export` in-process against the real local runtime (its API, with the local key's tokens). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import { DynamoApplicationStore } from '#functions/adapters/dynamodb/applications.ts';
import { usePorts } from '#functions/adapters/root.ts';
import { resetEnv } from '#functions/shared/env.ts';
import { appManifest } from '#lib/app-manifest.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { loadSeedFile } from '#local/seed-schema.ts';
import { seedDirectory } from '#local/seed.ts';
import { application } from '../../support/application-builder.ts';
import { arrangement, line } from '../../support/finance-builder.ts';
import { engineThatMustNotRun, runS117 } from '../../bin/helpers.ts';

let runtime: RuntimeHandles;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's117-cli-export-'));
  resetEnv();
  usePorts(undefined);
  runtime = await startRuntime({ manifest: appManifest, dataDir });
  const docs = documentClient(runtime.dynamodb.client);
  await seedDirectory(docs, 'Register', await loadSeedFile());
  await new DynamoApplicationStore(docs, 'Register').create(
    application({
      id: 'app_cli',
      partnershipId: 'surrey-heartlands',
      status: 'agreed',
      personRef: 'p_cli',
      parties: ['E10000030', 'QXU'],
      carePlan: { serviceLines: [line({ id: 'L1', weeklyCostPence: 70_000, startDate: '2024-04-01' })] },
      arrangements: [
        arrangement('ARR-CLI-1', 'agreed', [
          ['QXU', 'icb', 6_000],
          ['E10000030', 'la', 4_000],
        ]),
      ],
    }),
  );
  vi.stubEnv('S117_API_URL', runtime.api.url);
  vi.stubEnv('S117_LOCAL_AUTH_KEY_FILE', runtime.auth.keyFile ?? '');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await runtime?.stop();
  resetEnv();
  usePorts(undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('s117 export', () => {
  it('writes the period CSV to --out, the same bytes as the API, and names the batch on stderr', async () => {
    const out = join(dataDir, 'april.csv');
    const run = await runS117(['export', '--period', '2024-04', '--partnership', 'surrey-heartlands', '--out', out], engineThatMustNotRun);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const batch = /batch (EXP-2024-04-[0-9a-f]{16}) written to /.exec(run.stderr)?.[1];
    expect(batch).toMatch(/^EXP-2024-04-/);
    const csv = readFileSync(out, 'utf8');
    expect(
      csv
        .split('\r\n')
        .filter((l) => l !== '')
        .map((l) =>
          l
            .split(',')
            .slice(2, 4)
            .concat(l.split(',')[22] ?? ''),
        ),
    ).toStrictEqual([
      ['payer_org_code', 'counterparty_org_code', 'payer_share_amount'],
      ['QXU', 'E10000030', '1800.00'],
      ['E10000030', '', '1200.00'],
    ]);
    const token = runtime.auth.token({ sub: 'qxu-finance', org: 'QXU', role: 'finance' });
    const api = await fetch(`${runtime.api.url}/v1/exports/apportionment?period=2024-04`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await api.text()).toBe(csv);

    // Through the workflow (--async), to stdout: the stored batch, byte for byte.
    const viaWorkflow = await runS117(
      ['export', '--period', '2024-04', '--partnership', 'surrey-heartlands', '--async'],
      engineThatMustNotRun,
    );
    expect(viaWorkflow.code).toBe(0);
    expect(viaWorkflow.stdout).toBe(csv);
    expect(viaWorkflow.stderr).toContain(`batch ${batch ?? '?'} (`);
  });

  it('refuses a bad period or format with exit 2 and nothing on stdout', async () => {
    for (const args of [
      ['--period', '2024-13'],
      ['--period', '2024-04', '--format', 'pdf'],
      ['--period', '2024-04', '--partnership', 'nope'],
    ]) {
      const run = await runS117(['export', ...args], engineThatMustNotRun);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
    }
  });

  it('says when the local API is not running (exit 1)', async () => {
    vi.stubEnv('S117_API_URL', 'http://127.0.0.1:1');
    const run = await runS117(['export', '--period', '2024-04'], engineThatMustNotRun);
    vi.stubEnv('S117_API_URL', runtime.api.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('s117 export: cannot reach the local API at http://127.0.0.1:1 (is "npm start" running?).\n');
  });
});
