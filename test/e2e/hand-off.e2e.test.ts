/**
 * Issue 12, item 4, through the local runtime: an answer saved by a request that died before resuming its
 * workflow is delivered by the reconciler (the scheduled reconcile-hand-offs function), exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowResumeError } from '#functions/adapters/sfn/workflow.ts';
import { apiDeps } from '#functions/api/api-deps.ts';
import { recordApplicationResponse } from '#functions/api/record-response.use-case.ts';
import { eventually } from '../local/support.ts';
import { applicationBody, applicationWhen, call, commissioner, startApp, type App } from './support.ts';

let app: App;
const worcestershire = commissioner('E10000034');
const qgh = commissioner('QGH');

beforeAll(async () => {
  app = await startApp('hand-off');
});

afterAll(() => app.stop());

describe('hand-off of a saved answer to its workflow, through the local runtime', () => {
  it('resumes the workflow exactly once when the request died between saving the answer and resuming', async () => {
    const created = await call(app.api, 'POST', '/v1/applications', {
      as: worcestershire,
      body: applicationBody(),
      headers: { 'idempotency-key': 'hand-off-1' },
    });
    const id = String(created.body['id']);
    await eventually(async () => {
      const c = await call(app.api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });
      return (c.body['entries'] as { type: string }[]).filter((e) => e.type === 'response-requested').length === 2 ? true : undefined;
    }, 'both requests to respond');
    const real = apiDeps();
    const crashing = {
      ...real,
      workflow: {
        start: real.workflow.start.bind(real.workflow),
        succeed: async () => {
          throw new WorkflowResumeError('ECONNRESET');
        },
      },
    };

    await expect(
      recordApplicationResponse(crashing, {
        caller: { userId: 'qgh-commissioner', org: 'QGH', role: 'commissioner' },
        id,
        request: { decision: 'accept' },
      }),
    ).rejects.toThrow(WorkflowResumeError);
    const first = await app.runtime.functions.invoke('reconcile-hand-offs', { minAgeSeconds: 0 });
    const second = await app.runtime.functions.invoke('reconcile-hand-offs', { minAgeSeconds: 0 });
    expect(
      (await call(app.api, 'POST', `/v1/applications/${id}/responses`, { as: worcestershire, body: { decision: 'accept' } })).status,
    ).toBe(201);
    const agreed = await applicationWhen(app.api, id, worcestershire, (a) => a['status'] === 'agreed', 'agreed funding');
    const chronology = await call(app.api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });

    expect([first, second]).toStrictEqual([
      { resumed: 1, gone: 0, notWaiting: 0, abandoned: 0, deferred: 0, failed: [] },
      { resumed: 0, gone: 0, notWaiting: 0, abandoned: 0, deferred: 0, failed: [] },
    ]);
    expect((agreed['responses'] as Record<string, { decision: string }>)['icb']?.decision).toBe('accept');
    expect(
      (chronology.body['entries'] as { type: string; data: { party?: string } }[])
        .filter((e) => e.type === 'response-recorded')
        .map((e) => e.data.party)
        .sort(),
    ).toStrictEqual(['icb', 'la']);
  });
});
