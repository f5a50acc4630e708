import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ListExecutionsCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { advanceClock, describeClock } from '#local/clock-client.ts';
import { readEffects } from '../fixtures/local/effects.ts';
import { childRuntimes } from '../support/child-runtime.ts';
import { eventually, finished, fixture, history, sfnClient, statesEntered } from './support.ts';

const dataDir = mkdtempSync(join(tmpdir(), 's117-restart-'));
const effectsFile = join(dataDir, 'effects.jsonl');
const runtimes = childRuntimes();

interface Started {
  child: ChildProcess;
  sfn: string;
  redriven: number;
}

async function startChild(): Promise<Started> {
  const { child, ready } = await runtimes.start<{ sfn: string; redriven: number }>(fixture('runtime-child.ts'), {
    DATA_DIR: dataDir,
    EFFECTS_FILE: effectsFile,
    CLOCK: 'virtual',
  });
  return { child, sfn: ready.sfn, redriven: ready.redriven };
}
const killHard = runtimes.killHard;

afterAll(() => {
  runtimes.killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kill -9 and restart', () => {
  it('finishes an execution waiting on a callback exactly once, with the token issued before the crash', async () => {
    const first = await startChild();
    const client1 = sfnClient(first.sfn);
    const machineArn = 'arn:aws:states:eu-west-2:000000000000:stateMachine:restart';
    const started = await client1.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name: 'A-100', input: JSON.stringify({ applicationId: 'A-100' }) }),
    );
    const executionArn = started.executionArn ?? '';
    const request = await eventually(() => readEffects(effectsFile).find((e) => e.effect === 'request'), 'the callback request');
    // TaskSubmitted: the runtime has journalled that the request went out, so a re-drive will not send it again.
    await eventually(
      async () => ((await history(client1, executionArn)).some((e) => e.type === 'TaskSubmitted') ? true : undefined),
      'TaskSubmitted',
    );
    client1.destroy();
    await killHard(first.child);

    const second = await startChild();
    const client2 = sfnClient(second.sfn);
    expect(second.redriven).toBe(1);
    await client2.send(
      new SendTaskSuccessCommand({ taskToken: String(request.taskToken), output: JSON.stringify({ decision: 'accept' }) }),
    );
    await eventually(
      async () => (await describeClock(second.sfn)).pendingTimers.find((t) => t.label === `${executionArn} WaitForReview wait`),
      'the review wait',
    );
    await advanceClock(second.sfn, 60 * 86_400_000);
    const done = await finished(client2, executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toStrictEqual({
      applicationId: 'A-100',
      preparation: { prepared: true },
      response: { decision: 'accept' },
      record: { recorded: { decision: 'accept' } },
    });
    expect(readEffects(effectsFile).map((e) => [e.effect, e.pid])).toStrictEqual([
      ['prepare', first.child.pid],
      ['request', first.child.pid],
      ['record', second.child.pid],
    ]);
    expect(await statesEntered(client2, executionArn)).toStrictEqual([
      'Prepare',
      'AwaitResponse',
      'RecordResponse',
      'WaitForReview',
      'Done',
    ]);
    await expect(client2.send(new SendTaskSuccessCommand({ taskToken: String(request.taskToken), output: '{}' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    client2.destroy();
    await killHard(second.child);

    const third = await startChild();
    const client3 = sfnClient(third.sfn);
    const listed = await client3.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));

    expect(third.redriven).toBe(0);
    expect(listed.executions?.map((e) => [e.name, e.status])).toStrictEqual([['A-100', 'SUCCEEDED']]);
    expect(readEffects(effectsFile)).toHaveLength(3);
    client3.destroy();
    await killHard(third.child);
  });
});
