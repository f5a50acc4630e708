import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { VirtualClock } from '#local/clock.ts';
import { startRuntime, type RuntimeHandles, type RuntimeOptions } from '#local/runtime.ts';
import { readEffects } from '../fixtures/local/effects.ts';
import { testManifest } from '../fixtures/local/manifest.ts';
import { eventually, finished, sfnClient } from './support.ts';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const dataDir = mkdtempSync(join(tmpdir(), 's117-durable-'));
const effectsFile = join(dataDir, 'effects.jsonl');
process.env['EFFECTS_FILE'] = effectsFile;
const machineArn = 'arn:aws:states:eu-west-2:000000000000:stateMachine:restart';

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const start = (clock: VirtualClock, functions: RuntimeOptions['functions'] = {}) =>
  startRuntime({ manifest: testManifest, dataDir, clock, functions });

describe('re-driving after a restart (in process)', () => {
  it('completes a callback received before the restart from the journal, and resumes a Wait with its remaining time', async () => {
    let hung = 0;
    const first: RuntimeHandles = await start(new VirtualClock(T0), {
      'record-response': async () => {
        hung++;
        return new Promise(() => undefined);
      },
    });
    const client1 = sfnClient(first.sfn.url);
    const started = await client1.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name: 'A-200', input: '{"applicationId":"A-200"}' }),
    );
    const executionArn = started.executionArn ?? '';
    const request = await eventually(
      () => readEffects(effectsFile).find((e) => e.effect === 'request' && e.applicationId === 'A-200'),
      'the callback request',
    );
    await client1.send(new SendTaskSuccessCommand({ taskToken: String(request.taskToken), output: '{"decision":"dispute"}' }));
    await eventually(() => (hung === 1 ? true : undefined), 'the hanging record step');
    client1.destroy();
    await first.stop();

    const second = await start(new VirtualClock(T0 + DAY_MS));
    const client2 = sfnClient(second.sfn.url);
    const wait = await eventually(
      () => second.clock.pending().find((t) => t.label === `${executionArn} WaitForReview wait`),
      'the review wait',
    );
    expect(second.redriven).toBe(1);
    expect(wait.dueAt).toBe(T0 + DAY_MS + 60 * DAY_MS);
    await second.stop();

    const third = await start(new VirtualClock(T0 + 21 * DAY_MS));
    const client3 = sfnClient(third.sfn.url);
    const resumed = await eventually(
      () => third.clock.pending().find((t) => t.label === `${executionArn} WaitForReview wait`),
      'the resumed wait',
    );
    expect(resumed.dueAt).toBe(T0 + 61 * DAY_MS);
    (third.clock as VirtualClock).advance(40 * DAY_MS);
    const done = await finished(client3, executionArn);

    expect(JSON.parse(done.output ?? '')).toStrictEqual({
      applicationId: 'A-200',
      preparation: { prepared: true },
      response: { decision: 'dispute' },
      record: { recorded: { decision: 'dispute' } },
    });
    expect(
      readEffects(effectsFile)
        .filter((e) => e.applicationId === 'A-200')
        .map((e) => e.effect),
    ).toStrictEqual(['prepare', 'request', 'record']);
    client2.destroy();
    client3.destroy();
    await third.stop();
  });
});
