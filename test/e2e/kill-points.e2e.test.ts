/**
 * Issue 12, item 8, with a real kill: the local runtime (the real manifest, in a child process) is started with
 * `S117_CRASH_AT` naming a crash point (functions/shared/crash-point.ts), so it SIGKILLs itself at that point in the
 * middle of a request; it is then started again on the same data folder, without the variable, and what was written
 * must converge through the documented recovery: nothing lost, nothing twice, the workflow resumed.
 * The in-process crash injection at every write is test/functions/api/crash-points.test.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { applicationIdFor } from '#functions/api/create-application.use-case.ts';
import type { CrashPoint } from '#functions/shared/crash-point.ts';
import { loadOrCreateAuthKey, signToken } from '#local/auth.ts';
import { eventually } from '../local/support.ts';
import { childRuntimes } from '../support/child-runtime.ts';
import { applicationBody, applicationWhen, call, commissioner, type Api } from './support.ts';

const runtimes = childRuntimes();
const script = fileURLToPath(new URL('../fixtures/e2e/app-runtime.ts', import.meta.url));
const folders: string[] = [];
const worcestershire = commissioner('E10000034');
const qgh = commissioner('QGH');

afterAll(() => {
  runtimes.killAll();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function start(dataDir: string, crashAt?: CrashPoint): Promise<{ child: ChildProcess; api: Api }> {
  const { child, ready } = await runtimes.start<{ api: string }>(script, {
    DATA_DIR: dataDir,
    ...(crashAt === undefined ? {} : { S117_CRASH_AT: crashAt }),
  });
  const key = await loadOrCreateAuthKey(join(dataDir, 'local-auth-key.json'));
  return { child, api: { url: ready.api, token: (s) => signToken(key, s) } };
}

/** Resolves once the child has died, answering how: the signal that killed it. */
const death = (child: ChildProcess): Promise<NodeJS.Signals | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.signalCode)
    : new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

const entries = async (api: Api, id: string): Promise<{ type: string; data: { party?: string } }[]> => {
  const reply = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });
  return reply.status === 200 ? (reply.body['entries'] as { type: string; data: { party?: string } }[]) : [];
};
const count = (list: { type: string }[], type: string): number => list.filter((e) => e.type === type).length;

describe('kill -9 at a crash point, then restart on the same data folder', () => {
  it(
    'between saving a body’s answer and resuming its workflow: the answer is delivered at restart, once',
    { timeout: 240_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 's117-kill-response-'));
      folders.push(dataDir);
      const first = await start(dataDir, 'after-response-saved');
      const created = await call(first.api, 'POST', '/v1/applications', {
        as: worcestershire,
        body: applicationBody(),
        headers: { 'idempotency-key': 'kill-response-1' },
      });
      expect(created.status).toBe(201);
      const id = String(created.body['id']);
      await eventually(
        async () => (count(await entries(first.api, id), 'response-requested') === 2 ? true : undefined),
        'both requests to respond',
        60_000,
      );

      // The ICB answers; the runtime dies after the answer is saved, before the workflow hears of it.
      const dying = await call(first.api, 'POST', `/v1/applications/${id}/responses`, { as: qgh, body: { decision: 'accept' } }).then(
        () => 'answered',
        () => 'connection lost',
      );
      expect([dying, await death(first.child)]).toStrictEqual(['connection lost', 'SIGKILL']);

      // Restarted: the reconciler runs at start and resumes the waiting workflow with the saved answer.
      const second = await start(dataDir);
      const saved = await call(second.api, 'GET', `/v1/applications/${id}`, { as: qgh });
      expect((saved.body['responses'] as Record<string, { decision: string }>)['icb']?.decision).toBe('accept');
      // The client, which saw no answer, repeats it: the same answer again changes nothing.
      expect((await call(second.api, 'POST', `/v1/applications/${id}/responses`, { as: qgh, body: { decision: 'accept' } })).status).toBe(
        200,
      );
      expect(
        (await call(second.api, 'POST', `/v1/applications/${id}/responses`, { as: worcestershire, body: { decision: 'accept' } })).status,
      ).toBe(201);
      await applicationWhen(second.api, id, qgh, (a) => a['status'] === 'agreed', 'agreed funding after the restart', 60_000);

      const chronology = await eventually(
        async () => {
          const list = await entries(second.api, id);
          return count(list, 'funding-agreed') === 1 ? list : undefined;
        },
        'the funding-agreed entry',
        60_000,
      );
      expect(
        chronology
          .filter((e) => e.type === 'response-recorded')
          .map((e) => e.data.party)
          .sort(),
      ).toStrictEqual(['icb', 'la']);
      expect(['responsibility-determined', 'response-requested', 'funding-agreed'].map((t) => count(chronology, t))).toStrictEqual([
        1, 2, 1,
      ]);
      await runtimes.killHard(second.child);
    },
  );

  it(
    'between creating an application and starting its workflow: the retry with the same key completes it, once',
    { timeout: 240_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 's117-kill-submission-'));
      folders.push(dataDir);
      const key = 'kill-submission-1';
      const id = applicationIdFor('E10000034', key);
      const first = await start(dataDir, 'after-application-created');
      const dying = await call(first.api, 'POST', '/v1/applications', {
        as: worcestershire,
        body: applicationBody(),
        headers: { 'idempotency-key': key },
      }).then(
        () => 'answered',
        () => 'connection lost',
      );
      expect([dying, await death(first.child)]).toStrictEqual(['connection lost', 'SIGKILL']);

      const second = await start(dataDir);
      // The application was written, nothing after it: no chronology, no workflow.
      const stranded = await call(second.api, 'GET', `/v1/applications/${id}`, { as: worcestershire });
      expect([stranded.status, stranded.body['status'], await entries(second.api, id)]).toStrictEqual([200, 'submitted', []]);
      // The client retries with the same key; the dead request's claim is taken over once stale (a minute), as the 409 says.
      let retry = await call(second.api, 'POST', '/v1/applications', {
        as: worcestershire,
        body: applicationBody(),
        headers: { 'idempotency-key': key },
      });
      while (retry.status === 409) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        retry = await call(second.api, 'POST', '/v1/applications', {
          as: worcestershire,
          body: applicationBody(),
          headers: { 'idempotency-key': key },
        });
      }
      expect([retry.status, retry.body['id']]).toStrictEqual([201, id]);
      const again = await call(second.api, 'POST', '/v1/applications', {
        as: worcestershire,
        body: applicationBody(),
        headers: { 'idempotency-key': key },
      });
      expect([again.status, again.body['id']]).toStrictEqual([201, id]);

      // The workflow runs (once): the bodies are asked, each once.
      const chronology = await eventually(
        async () => {
          const list = await entries(second.api, id);
          return count(list, 'response-requested') === 2 ? list : undefined;
        },
        'both requests to respond after the retry',
        60_000,
      );
      expect(
        ['application-submitted', 'interim-funding-started', 'responsibility-determined'].map((t) => count(chronology, t)),
      ).toStrictEqual([1, 1, 1]);
      const listed = await call(second.api, 'GET', '/v1/applications', { as: worcestershire });
      expect((listed.body['items'] as { id: string }[]).filter((a) => a.id === id)).toHaveLength(1);
      await runtimes.killHard(second.child);
    },
  );
});
