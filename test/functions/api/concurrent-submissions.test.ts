/**
 * Submissions for one person at once, and submissions that failed half-way, on dynalite: every application
 * gets exactly one chronology entry (sequences 1..n, no gaps) and one workflow start.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoApplicationStore } from '#functions/adapters/dynamodb/applications.ts';
import { DynamoChronology } from '#functions/adapters/dynamodb/chronology.ts';
import { DynamoDirectory } from '#functions/adapters/dynamodb/directory.ts';
import { DynamoIdempotencyStore } from '#functions/adapters/dynamodb/idempotency.ts';
import { DynamoTaskTokenStore } from '#functions/adapters/dynamodb/tokens.ts';
import { MemoryWorkflow } from '#functions/adapters/memory/workflow.ts';
import { createApplicationRequestSchema } from '#functions/api/create-application.schema.ts';
import { applicationIdFor, createApplication } from '#functions/api/create-application.use-case.ts';
import type { ApiDeps } from '#functions/api/deps.ts';
import { partnership } from '../../support/application-builder.ts';
import { DynamoHandOffOutbox } from '#functions/adapters/dynamodb/hand-offs.ts';
import { useDynalite } from '../../adapters/dynalite.ts';
import { caller, createBody, frozenClock, NORTH, ORGANISATIONS, PERSON_REF_KEY, STATE_MACHINE_ARN } from './support.ts';

const freshTable = useDynalite();
const body = () => createApplicationRequestSchema.parse(createBody());

let deps: ApiDeps & { workflow: MemoryWorkflow };

beforeEach(async () => {
  const { db, tableName } = await freshTable();
  const directory = new DynamoDirectory(db, tableName);
  for (const org of ORGANISATIONS) await directory.putOrganisation(org);
  for (const p of [partnership, NORTH]) await directory.putPartnership(p);
  deps = {
    applications: new DynamoApplicationStore(db, tableName),
    chronology: new DynamoChronology(db, tableName),
    idempotency: new DynamoIdempotencyStore(db, tableName),
    directory,
    tokens: new DynamoTaskTokenStore(db, tableName),
    handOffs: new DynamoHandOffOutbox(db, tableName),
    workflow: new MemoryWorkflow(),
    clock: frozenClock(),
    stateMachineArn: STATE_MACHINE_ARN,
    personRefKey: async () => PERSON_REF_KEY,
  };
});

describe('submissions for one person on dynalite', () => {
  it('makes 40 applications, 80 chronology entries numbered 1 to 80 (submitted and interim funding started, each) and 40 workflow starts from 40 parallel submissions', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `parallel-${i}`);
    const results = await Promise.all(
      keys.map((k) => createApplication(deps, { caller: caller('LA-A'), idempotencyKey: k, body: body() })),
    );

    expect(results.map((r) => r.statusCode)).toStrictEqual(keys.map(() => 201));
    const ids = keys.map((k) => applicationIdFor('LA-A', k));
    for (const id of ids) expect((await deps.applications.get(id))?.status).toBe('submitted');
    const personRef = (await deps.applications.get(ids[0] ?? ''))?.personRef ?? '';
    const chronology = await deps.chronology.list(personRef);
    expect(chronology.map((e) => e.sequence)).toStrictEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    const of = (type: string) => chronology.filter((e) => e.type === type).map((e) => e.applicationId);
    expect(of('application-submitted').sort()).toStrictEqual([...ids].sort());
    expect(of('interim-funding-started').sort()).toStrictEqual([...ids].sort());
    expect(deps.workflow.starts.map((s) => s.name).sort()).toStrictEqual([...ids].sort());
  }, 60_000);

  it('completes a submission whose workflow start failed, exactly once, on an immediate retry with the key', async () => {
    const start = deps.workflow.start.bind(deps.workflow);
    let failures = 1;
    deps.workflow.start = async (arn, name, input) => {
      if (failures-- > 0) throw new Error('ServiceUnavailable');
      return start(arn, name, input);
    };
    const submit = () => createApplication(deps, { caller: caller('LA-A'), idempotencyKey: 'half-done', body: body() });
    await expect(submit()).rejects.toThrow('ServiceUnavailable');

    const retried = await submit();
    const again = await submit();

    const id = applicationIdFor('LA-A', 'half-done');
    expect(retried.statusCode).toBe(201);
    expect(again).toStrictEqual(retried);
    const app = await deps.applications.get(id);
    expect((await deps.chronology.list(app?.personRef ?? '')).map((e) => [e.sequence, e.type, e.applicationId])).toStrictEqual([
      [1, 'application-submitted', id],
      [2, 'interim-funding-started', id],
    ]);
    expect(deps.workflow.starts.map((s) => s.name)).toStrictEqual([id]);
  });
});
