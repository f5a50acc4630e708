import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startRuntime } from '#local/runtime.ts';
import { REDRIVE_FAILED } from '#local/sfn/engine.ts';
import { RUNTIME_TABLE } from '#local/sfn/dynamodb-store.ts';
import { INTERRUPTED_ERROR } from '#local/sfn/tasks.ts';
import { readEffects } from '../fixtures/local/effects.ts';
import { testManifest } from '../fixtures/local/manifest.ts';
import { childRuntimes } from '../support/child-runtime.ts';
import { eventually, fixture, sfnClient } from './support.ts';

const machineArn = 'arn:aws:states:eu-west-2:000000000000:stateMachine:restart';
const executionArn = (name: string) => `arn:aws:states:eu-west-2:000000000000:execution:restart:${name}`;
const dirs: string[] = [];
const runtimes = childRuntimes();

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 's117-poison-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  runtimes.killAll();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a poisoned execution never stops the runtime from starting', () => {
  it('records a stored execution whose re-drive throws as FAILED, re-drives the others and serves requests', async () => {
    const dir = dataDir();
    process.env['EFFECTS_FILE'] = join(dir, 'effects.jsonl');
    const first = await startRuntime({ manifest: testManifest, dataDir: dir, clock: 'virtual' });
    const client1 = sfnClient(first.sfn.url);
    await client1.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'GOOD-1', input: '{"applicationId":"GOOD-1"}' }));
    await eventually(() => readEffects(join(dir, 'effects.jsonl')).find((e) => e.effect === 'request'), 'the callback request');
    await DynamoDBDocumentClient.from(first.dynamodb.client).send(
      new PutCommand({
        TableName: RUNTIME_TABLE,
        Item: {
          pk: `EXECUTION#${executionArn('POISON-1')}`,
          sk: 'META',
          kind: 'execution',
          arn: executionArn('POISON-1'),
          machineArn,
          name: 'POISON-1',
          input: '{"applicationId": "POISON-1"',
          status: 'RUNNING',
          startedAt: Date.UTC(2026, 0, 5),
        },
      }),
    );
    client1.destroy();
    await first.stop();

    const second = await startRuntime({ manifest: testManifest, dataDir: dir, clock: 'virtual' });
    const client2 = sfnClient(second.sfn.url);
    const poisoned = await client2.send(new DescribeExecutionCommand({ executionArn: executionArn('POISON-1') }));
    const good = await client2.send(new DescribeExecutionCommand({ executionArn: executionArn('GOOD-1') }));
    const health = await fetch(`${second.api.url}/health`);

    expect(second.redriveFailed).toStrictEqual([executionArn('POISON-1')]);
    expect(second.redriven).toBe(1);
    expect([poisoned.status, poisoned.error, poisoned.cause]).toStrictEqual([
      'FAILED',
      REDRIVE_FAILED,
      'The execution could not be re-driven after a restart: SyntaxError',
    ]);
    expect(good.status).toBe('RUNNING');
    expect([health.status, await health.json()]).toStrictEqual([200, { status: 'ok' }]);
    client2.destroy();
    await second.stop();

    const third = await startRuntime({ manifest: testManifest, dataDir: dir, clock: 'virtual' });
    expect([third.redriven, third.redriveFailed]).toStrictEqual([1, []]);
    await third.stop();
  });

  it(
    'fails a task that killed the runtime twice with Runtime.ExitError instead of running it a third time',
    { timeout: 120_000 },
    async () => {
      const dir = dataDir();
      const env = { DATA_DIR: dir, EFFECTS_FILE: join(dir, 'effects.jsonl'), CLOCK: 'virtual', POISON_FUNCTION: 'prepare' };
      const script = fixture('runtime-child.ts');

      const first = await runtimes.start<{ sfn: string }>(script, env);
      const died = once(first.child, 'exit');
      await sfnClient(first.ready.sfn)
        .send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'EXPORT-1', input: '{"applicationId":"EXPORT-1"}' }))
        .catch(() => undefined);
      expect((await died)[1]).toBe('SIGKILL');

      const second = await runtimes.start<{ sfn: string }>(script, env).then(
        ({ child }) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : [child.exitCode, child.signalCode]),
        (error: unknown) => [null, /exited with null/.test(String(error)) ? 'SIGKILL' : String(error)],
      );
      const secondSignal = second[1];
      expect(secondSignal).toBe('SIGKILL');

      const third = await runtimes.start<{ sfn: string; api: string; redriven: number }>(script, env);
      const client = sfnClient(third.ready.sfn);
      const done = await eventually(async () => {
        const described = await client.send(new DescribeExecutionCommand({ executionArn: executionArn('EXPORT-1') }));
        return described.status === 'RUNNING' ? undefined : described;
      }, 'the poisoned execution to end');
      const echo = await fetch(`${third.ready.api}/v1/echo/after-poison`);

      expect([third.ready.redriven, done.status, done.error]).toStrictEqual([1, 'FAILED', INTERRUPTED_ERROR]);
      expect(JSON.parse(done.cause ?? '')).toStrictEqual({
        errorType: INTERRUPTED_ERROR,
        errorMessage: 'The task was running when the runtime stopped unexpectedly 2 times; it is not run again',
      });
      expect(echo.status).toBe(201);
      client.destroy();
      await runtimes.killHard(third.child);
    },
  );
});
