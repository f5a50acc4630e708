/**
 * Issue 12: an answer after the response deadline is refused even while the application still says
 * `awaiting-responses` (the workflow changes the status only some time after its wait times out). Run on the
 * in-memory ports and with the application store on DynamoDB (dynalite), whose save is conditional on the stored
 * deadline as well as the version.
 */
import { describe, expect, it } from 'vitest';
import { DynamoApplicationStore } from '#functions/adapters/dynamodb/applications.ts';
import { recordApplicationResponse } from '#functions/api/record-response.use-case.ts';
import { application } from '../../support/application-builder.ts';
import { useDynalite } from '../../adapters/dynalite.ts';
import { caller, memoryDeps, type TestDeps } from './support.ts';

const freshTable = useDynalite();
const DEADLINE = '2024-06-11T09:00:00.000Z';
const TOKEN = 'token-icb-1';

const stores: { name: string; deps: () => Promise<TestDeps> }[] = [
  { name: 'memory', deps: async () => memoryDeps() },
  {
    name: 'DynamoDB (dynalite)',
    deps: async () => {
      const { db, tableName } = await freshTable();
      return { ...memoryDeps(), applications: new DynamoApplicationStore(db, tableName) };
    },
  },
];

async function waitingFor(deps: TestDeps): Promise<void> {
  await deps.applications.create(application({ status: 'awaiting-responses', responseDeadline: DEADLINE }));
  await deps.tokens.put({ applicationId: 'app_1', purpose: 'response-icb' }, TOKEN, '2024-06-01T09:00:00.000Z');
}

const answer = (deps: TestDeps) =>
  recordApplicationResponse(deps, { caller: caller('ICB-A'), id: 'app_1', request: { decision: 'accept' } });

describe.each(stores)('an answer against the stored response deadline ($name)', ({ deps: make }) => {
  it('is refused with 409 naming the deadline once it has passed, the status notwithstanding; nothing is written', async () => {
    const deps = await make();
    await waitingFor(deps);
    deps.clock.set('2024-06-11T09:00:00.001Z');

    await expect(answer(deps)).rejects.toMatchObject({
      name: 'ProblemError',
      status: 409,
      message: expect.stringContaining(`The response deadline, ${DEADLINE}, has passed`),
    });
    const stored = await deps.applications.get('app_1');
    expect([stored?.version, stored?.responses, await deps.chronology.list('p_test'), deps.memory.workflow.succeeded]).toStrictEqual([
      1,
      {},
      [],
      [],
    ]);
  });

  it('is recorded, and the workflow resumed, a millisecond before the deadline', async () => {
    const deps = await make();
    await waitingFor(deps);
    deps.clock.set('2024-06-11T08:59:59.999Z');

    expect((await answer(deps)).statusCode).toBe(201);
    expect([(await deps.applications.get('app_1'))?.responses.icb?.at, deps.memory.workflow.succeeded.length]).toStrictEqual([
      '2024-06-11T08:59:59.999Z',
      1,
    ]);
  });

  it('is refused when the deadline passes between the read and the save: the save is conditional on the stored deadline', async () => {
    const deps = await make();
    await waitingFor(deps);
    deps.clock.set('2024-06-11T08:59:59.999Z');
    // The answer is decided at 08:59:59.999; its save then reaches the store carrying an instant past the deadline
    // (as a save from a request that read the deadline before it was stored would): the store refuses it, the use
    // case re-reads and decides again on the clock, now past the deadline.
    const save = deps.applications.save.bind(deps.applications);
    deps.applications.save = async (next, previous, condition) => {
      deps.clock.set('2024-06-11T09:00:00.000Z');
      return save(next, previous, condition === undefined ? undefined : { answeredAt: deps.clock.now() });
    };

    await expect(answer(deps)).rejects.toMatchObject({ status: 409, message: expect.stringContaining(DEADLINE) });
    expect([(await deps.applications.get('app_1'))?.responses, deps.memory.workflow.succeeded]).toStrictEqual([{}, []]);
  });
});
