import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { REPO_ROOT } from '#local/runtime.ts';
import { appManifest } from '#lib/app-manifest.ts';
import { notOwnerOnly } from '../support/modes.ts';
import { eventually, localCredentials, sfnClient } from './support.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const refused = async (port: number): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}/`).then(
    () => false,
    () => true,
  );

interface Launched {
  ports: { api: number; sfn: number; dynamodb: number; ses: number };
  dataDir: string;
  output: () => string;
  exited: Promise<string>;
  interrupt: () => void;
  cleanup: () => void;
}

/** Spawns a command in its own process group, like a shell does for a foreground job. */
async function launch(command: string, args: string[]): Promise<Launched> {
  const ports = { api: await freePort(), sfn: await freePort(), dynamodb: await freePort(), ses: await freePort() };
  const dataDir = mkdtempSync(join(tmpdir(), 's117-npm-start-'));
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(ports.api),
      SFN_PORT: String(ports.sfn),
      DYNAMODB_PORT: String(ports.dynamodb),
      SES_PORT: String(ports.ses),
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const group = child.pid ?? 0;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`${code} ${signal}`)));
  await eventually(async () => ((await fetch(`http://127.0.0.1:${ports.api}/health`)).ok ? true : undefined), 'the API to answer', 20_000);
  return {
    ports,
    dataDir,
    output: () => output,
    exited,
    // Ctrl-C in a terminal signals the whole foreground process group: npm, its shell, tsx and node.
    interrupt: () => process.kill(-group, 'SIGINT'),
    cleanup: () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-group, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('npm start', () => {
  it('starts every stand-in on its port, answers on each, and stops cleanly on Ctrl-C', async () => {
    const started = await launch('npm', ['start', '--silent']);
    const { api, sfn, dynamodb, ses } = started.ports;
    try {
      const health = await fetch(`http://127.0.0.1:${api}/health`);
      await eventually(() => (started.output().includes('Ctrl-C stops everything.') ? true : undefined), 'the start-up table', 10_000);
      const db = new DynamoDBClient({ endpoint: `http://127.0.0.1:${dynamodb}`, region: 'eu-west-2', credentials: localCredentials });
      const tables = await db.send(new ListTablesCommand({}));
      const seeded = await db.send(
        new GetItemCommand({ TableName: 'Register', Key: { pk: { S: 'DIRECTORY' }, sk: { S: 'ORG#E10000034' } } }),
      );
      db.destroy();
      const client = sfnClient(`http://127.0.0.1:${sfn}`);
      const machines = await client.send(new ListStateMachinesCommand({}));
      client.destroy();
      const store = await (await fetch(`http://127.0.0.1:${ses}/store`)).json();
      const unknown = await fetch(`http://127.0.0.1:${api}/v1/unknown`);

      expect(health.status).toBe(200);
      expect(tables.TableNames).toStrictEqual(['Register', 's117-local-runtime']);
      expect(seeded.Item?.['name']).toStrictEqual({ S: 'Worcestershire County Council' });
      expect(started.output()).toContain('Seeded from ');
      expect(started.output()).toContain('npx s117 token --org E10000034 --role commissioner');
      expect(statSync(join(started.dataDir, 'local-auth-key.json')).mode & 0o777).toBe(0o600);
      // The register's LevelDB files, secrets, keys and exports: owner-only (folders 0700, files 0600).
      expect(notOwnerOnly(started.dataDir)).toStrictEqual([]);
      expect(started.output()).not.toContain('PRIVATE KEY');
      // ListStateMachines answers in name order, as the stand-in's paging does.
      expect(machines.stateMachines?.map((m) => m.name)).toStrictEqual(appManifest.stateMachines.map((m) => m.name).sort());
      expect(store).toStrictEqual({ templates: {}, emails: [] });
      expect(unknown.status).toBe(404);
      // No route matches: the gateway answers in its own shape, as the HTTP API does.
      expect([unknown.headers.get('content-type'), await unknown.json()]).toStrictEqual(['application/json', { message: 'Not Found' }]);
      for (const port of [api, sfn, dynamodb, ses]) expect(started.output()).toContain(`http://127.0.0.1:${port}`);

      const stoppedAt = Date.now();
      started.interrupt();
      expect(await started.exited).toBe('null SIGINT');
      expect(Date.now() - stoppedAt).toBeLessThan(5_000);
      await eventually(
        () => (started.output().includes('s117 local runtime stopped cleanly') ? true : undefined),
        'the clean-stop line',
        2_000,
      );
      for (const port of [api, sfn, dynamodb, ses]) expect(await refused(port)).toBe(true);
    } finally {
      started.cleanup();
    }
  });

  it('runs the start script to exit code 0 on SIGINT', async () => {
    const started = await launch(process.execPath, ['--import', 'tsx', 'local/main.ts']);
    try {
      started.interrupt();
      expect(await started.exited).toBe('0 null');
      expect(await refused(started.ports.api)).toBe(true);
    } finally {
      started.cleanup();
    }
  });
});
