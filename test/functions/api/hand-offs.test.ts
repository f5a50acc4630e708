import { beforeEach, describe, expect, it } from 'vitest';
import { reconcileHandOffs } from '#functions/api/reconcile-hand-offs.use-case.ts';
import { recordApplicationResponse } from '#functions/api/record-response.use-case.ts';
import { WorkflowResumeError } from '#functions/adapters/sfn/workflow.ts';
import { application } from '../../support/application-builder.ts';
import { caller, memoryDeps, type TestDeps } from './support.ts';

let deps: TestDeps;
const TOKEN = 'token-icb-1';
const EMPTY = { resumed: 0, gone: 0, notWaiting: 0, abandoned: 0, deferred: 0, failed: [] };

beforeEach(async () => {
  deps = memoryDeps();
  await deps.applications.create(application());
  await deps.tokens.put({ applicationId: 'app_1', purpose: 'response-icb' }, TOKEN, '2024-06-01T08:00:00.000Z');
});

/** The process dies after the answer is saved, at the first attempt to resume the workflow. */
function crashAtResume(): void {
  const succeed = deps.workflow.succeed.bind(deps.workflow);
  let crashed = false;
  deps.workflow.succeed = async (token, output) => {
    if (!crashed) {
      crashed = true;
      throw new WorkflowResumeError('ECONNRESET');
    }
    return succeed(token, output);
  };
}

const answer = () => recordApplicationResponse(deps, { caller: caller('ICB-A'), id: 'app_1', request: { decision: 'accept' } });

describe('hand-off from a saved answer to its workflow', () => {
  it('clears the hand-off once the workflow is resumed', async () => {
    await answer();

    expect(deps.memory.workflow.succeeded).toStrictEqual([{ token: TOKEN, output: { decision: 'accept', about: 'responsibility' } }]);
    expect(await deps.handOffs.list(10)).toStrictEqual([]);
  });

  it('resumes the workflow exactly once when the request died between saving the answer and resuming', async () => {
    crashAtResume();
    await expect(answer()).rejects.toThrow(WorkflowResumeError);
    const saved = await deps.applications.get('app_1');
    expect([saved?.responses.icb?.decision, deps.memory.workflow.succeeded]).toStrictEqual(['accept', []]);
    deps.clock.set('2024-06-01T09:05:00.000Z');

    const first = await reconcileHandOffs(deps, { minAgeMs: 60_000 });
    const second = await reconcileHandOffs(deps, { minAgeMs: 60_000 });

    expect(first).toStrictEqual({ ...EMPTY, resumed: 1 });
    expect(second).toStrictEqual(EMPTY);
    expect(deps.memory.workflow.succeeded).toStrictEqual([{ token: TOKEN, output: { decision: 'accept', about: 'responsibility' } }]);
    expect((await deps.chronology.list('p_test', { applicationId: 'app_1' })).map((e) => e.type)).toStrictEqual(['response-recorded']);
    expect(await deps.handOffs.list(10)).toStrictEqual([]);
  });

  it('leaves a hand-off younger than the grace period to the request that may still be running', async () => {
    crashAtResume();
    await expect(answer()).rejects.toThrow(WorkflowResumeError);
    deps.clock.set('2024-06-01T09:00:59.000Z');

    const report = await reconcileHandOffs(deps, { minAgeMs: 60_000 });

    expect([report, deps.memory.workflow.succeeded]).toStrictEqual([{ ...EMPTY, deferred: 1 }, []]);
    expect((await deps.handOffs.list(10)).map((h) => h.purpose)).toStrictEqual(['response-icb']);
  });

  it('drops the hand-off of an answer that was never saved', async () => {
    await deps.handOffs.put({ applicationId: 'app_1', purpose: 'response-la', at: '2024-06-01T08:00:00.000Z' });

    const report = await reconcileHandOffs(deps, { minAgeMs: 60_000 });

    expect([report, deps.memory.workflow.succeeded, await deps.handOffs.list(10)]).toStrictEqual([{ ...EMPTY, abandoned: 1 }, [], []]);
  });

  it('counts a workflow that moved on as gone, and keeps a failed delivery for the next run', async () => {
    crashAtResume();
    await expect(answer()).rejects.toThrow(WorkflowResumeError);
    deps.memory.workflow.markGone(TOKEN);
    deps.clock.set('2024-06-01T09:05:00.000Z');
    await deps.handOffs.put({ applicationId: 'app_2', purpose: 'response-icb', at: '2024-06-01T08:00:00.000Z' });
    await deps.applications.create(
      application({
        id: 'app_2',
        responses: { icb: { party: 'icb', body: 'ICB-A', decision: 'dispute', at: '2024-06-01T08:00:00.000Z', by: 'u-icb-a' } },
      }),
    );
    await deps.tokens.put({ applicationId: 'app_2', purpose: 'response-icb' }, 'token-2', '2024-06-01T08:00:00.000Z');
    const succeed = deps.workflow.succeed;
    deps.workflow.succeed = async (token, output) => {
      if (token === 'token-2') throw new WorkflowResumeError('ThrottlingException');
      return succeed(token, output);
    };

    const report = await reconcileHandOffs(deps, { minAgeMs: 60_000 });

    expect(report).toStrictEqual({
      ...EMPTY,
      gone: 1,
      failed: [{ applicationId: 'app_2', purpose: 'response-icb', error: 'WorkflowResumeError' }],
    });
    expect((await deps.handOffs.list(10)).map((h) => h.applicationId)).toStrictEqual(['app_2']);
  });
});
