import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateAuthKey, signToken } from '#local/auth.ts';
import { eventually } from '../local/support.ts';
import { childRuntimes } from '../support/child-runtime.ts';
import { applicationBody, applicationWhen, call, commissioner, type Api } from './support.ts';

const dataDir = mkdtempSync(join(tmpdir(), 's117-e2e-restart-'));
const runtimes = childRuntimes();
const script = fileURLToPath(new URL('../fixtures/e2e/app-runtime.ts', import.meta.url));

async function startApp(): Promise<{ child: ChildProcess; api: string; redriven: number }> {
  const { child, ready } = await runtimes.start<{ api: string; redriven: number }>(script, { DATA_DIR: dataDir });
  return { child, api: ready.api, redriven: ready.redriven };
}
const killHard = runtimes.killHard;

afterAll(() => {
  runtimes.killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('an application in flight survives kill -9', () => {
  it('waits for answers across a hard restart and finishes once, with nothing done twice', async () => {
    const key = await loadOrCreateAuthKey(join(dataDir, 'local-auth-key.json'));
    const token = (s: Parameters<Api['token']>[0]) => signToken(key, s);
    const worcestershire = commissioner('E10000034');
    const qgh = commissioner('QGH');

    const first = await startApp();
    let api: Api = { url: first.api, token };
    const created = await call(api, 'POST', '/v1/applications', {
      as: worcestershire,
      body: applicationBody(),
      headers: { 'idempotency-key': 'restart-1' },
    });
    expect(created.status).toBe(201);
    const id = String(created.body['id']);
    await eventually(async () => {
      const c = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });
      return c.status === 200 && (c.body['entries'] as { type: string }[]).filter((e) => e.type === 'response-requested').length === 2
        ? true
        : undefined;
    }, 'both requests to respond');
    await killHard(first.child);

    const second = await startApp();
    expect(second.redriven).toBe(1);
    api = { url: second.api, token };
    expect((await call(api, 'POST', `/v1/applications/${id}/responses`, { as: qgh, body: { decision: 'accept' } })).status).toBe(201);
    expect((await call(api, 'POST', `/v1/applications/${id}/responses`, { as: worcestershire, body: { decision: 'accept' } })).status).toBe(
      201,
    );
    await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'agreed', 'agreed funding after the restart');

    const chronology = await eventually(async () => {
      const c = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });
      return (c.body['entries'] as { type: string }[]).some((e) => e.type === 'funding-agreed') ? c : undefined;
    }, 'the funding-agreed entry');
    const types = (chronology.body['entries'] as { type: string }[]).map((e) => e.type);
    expect(types.filter((t) => t === 'responsibility-determined')).toHaveLength(1);
    expect(types.filter((t) => t === 'response-requested')).toHaveLength(2);
    expect(types.filter((t) => t === 'funding-agreed')).toHaveLength(1);
    const app = await call(api, 'GET', `/v1/applications/${id}`, { as: qgh });
    expect(types.filter((t) => t === 'interim-funding-started')).toHaveLength(1);
    // The interim arrangement recorded at submission, then the agreement: one each, whatever the restart re-drove.
    expect((app.body['arrangements'] as { state: string }[]).map((a) => a.state)).toStrictEqual(['interim', 'agreed']);
    await killHard(second.child);
  });
});
