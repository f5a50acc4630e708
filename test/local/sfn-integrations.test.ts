import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '#local/dynamodb.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { determineHandler, type SeenInvocation } from '../fixtures/local/handlers.ts';
import { createMachine, finished, history, sfnClient, start, statesEntered } from './support.ts';

const seen: SeenInvocation[] = [];
let db: LocalDynamoDb;
let server: SfnServer;
let client: SFNClient;

beforeAll(async () => {
  db = await startDynamoDb();
  await ensureTables(db.client, [
    {
      TableName: 'register',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
  ]);
  server = await startSfnServer({ dynamodb: () => db.client });
  server.functions.register('determine', { handler: determineHandler(seen), timeoutSeconds: 30 });
  client = sfnClient(server.url);
});

afterAll(async () => {
  client.destroy();
  await server.close();
  await db.close();
});

describe('Lambda tasks', () => {
  it('calls the handler with a cloned event and a realistic context', async () => {
    const arn = await createMachine(client, 'lambda-ok', 'lambda-error.asl.json');
    const executionArn = await start(client, arn, { applicationId: 'A-20' });
    const done = await finished(client, executionArn);

    expect(JSON.parse(done.output ?? '')).toStrictEqual({ lead: 'ICB-A' });
    const invocation = seen.at(-1);
    expect(invocation?.event).toStrictEqual({ applicationId: 'A-20' });
    expect(invocation?.functionName).toBe('determine');
    expect(invocation?.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-2:000000000000:function:determine');
    expect(invocation?.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(invocation?.remainingMs).toBeGreaterThan(29_000);
    expect(invocation?.remainingMs).toBeLessThanOrEqual(30_000);
    expect((await history(client, executionArn)).map((e) => e.type)).toStrictEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('surfaces a thrown error by its name, so Catch can route on it', async () => {
    const arn = await createMachine(client, 'lambda-error', 'lambda-error.asl.json');
    const executionArn = await start(client, arn, { conflict: true });
    const done = await finished(client, executionArn);

    const output = JSON.parse(done.output ?? '') as { failure: { Error: string; Cause: string } };
    expect(output.failure.Error).toBe('FundingRuleConflictError');
    expect(JSON.parse(output.failure.Cause)).toStrictEqual({
      errorType: 'FundingRuleConflictError',
      errorMessage: 'two rules fired: R3, R7',
    });
    expect(await statesEntered(client, executionArn)).toStrictEqual(['Determine', 'NeedsHuman']);
    expect((await history(client, executionArn)).map((e) => e.type)).toContain('LambdaFunctionFailed');
  });

  it('fails the execution with the error name when nothing catches it', async () => {
    const definition = {
      StartAt: 'Determine',
      States: {
        Determine: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'determine', 'Payload.$': '$' },
          End: true,
        },
      },
    };
    const created = await client.send(
      new CreateStateMachineCommand({
        name: 'lambda-uncaught',
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::000000000000:role/test',
      }),
    );
    const executionArn = await start(client, created.stateMachineArn ?? '', { conflict: true });
    const done = await finished(client, executionArn);

    expect({ status: done.status, error: done.error }).toStrictEqual({ status: 'FAILED', error: 'FundingRuleConflictError' });
    expect((await history(client, executionArn)).map((e) => e.type).slice(-2)).toStrictEqual(['TaskFailed', 'ExecutionFailed']);
  });

  it('wraps a lambda:invoke result in the Payload envelope', async () => {
    const definition = {
      StartAt: 'Determine',
      States: {
        Determine: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'arn:aws:lambda:eu-west-2:000000000000:function:determine:$LATEST', 'Payload.$': '$' },
          End: true,
        },
      },
    };
    const created = await client.send(
      new CreateStateMachineCommand({
        name: 'lambda-envelope',
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::000000000000:role/test',
      }),
    );
    const done = await finished(client, await start(client, created.stateMachineArn ?? '', {}));

    expect(JSON.parse(done.output ?? '')).toStrictEqual({ ExecutedVersion: '$LATEST', Payload: { lead: 'ICB-A' }, StatusCode: 200 });
  });
});

describe('DynamoDB tasks', () => {
  it('writes with dynamodb:putItem, reads back with aws-sdk:dynamodb:getItem', async () => {
    const arn = await createMachine(client, 'dynamodb', 'dynamodb.asl.json', { RegisterTable: 'register' });
    const executionArn = await start(client, arn, { applicationId: 'A-30' });
    const done = await finished(client, executionArn);

    expect(JSON.parse(done.output ?? '')).toStrictEqual({ applicationId: 'A-30', stored: { status: 'RECEIVED' } });
    const item = await db.client.send(new GetItemCommand({ TableName: 'register', Key: { pk: { S: 'APP#A-30' } } }));
    expect(item.Item).toStrictEqual({ pk: { S: 'APP#A-30' }, status: { S: 'RECEIVED' } });
  });

  it('names a failed condition DynamoDB.ConditionalCheckFailedException', async () => {
    const arn = await createMachine(client, 'dynamodb', 'dynamodb.asl.json', { RegisterTable: 'register' });
    await finished(client, await start(client, arn, { applicationId: 'A-31' }));
    const executionArn = await start(client, arn, { applicationId: 'A-31' });
    const done = await finished(client, executionArn);

    expect(JSON.parse(done.output ?? '').failure.Error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(await statesEntered(client, executionArn)).toStrictEqual(['RecordApplication', 'AlreadyRecorded']);
  });
});

describe('definitions the local runtime refuses', () => {
  const create = (name: string, definition: unknown) =>
    client.send(
      new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/test' }),
    );

  it('refuses a JSONata machine', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Sum',
      States: { Sum: { Type: 'Pass', Output: '{% $states.input.a + 1 %}', End: true } },
    };
    await expect(create('jsonata', definition)).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining('QueryLanguage "JSONata"'),
    });
  });

  it('refuses a JSONata state inside a JSONPath machine, naming the state', async () => {
    const definition = { StartAt: 'Sum', States: { Sum: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% 1 %}', End: true } } };
    await expect(create('jsonata-state', definition)).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: 'State \'Sum\' uses QueryLanguage "JSONata"; the local runtime runs JSONPath only',
    });
  });

  it('refuses Assign, naming the state', async () => {
    const definition = { StartAt: 'Remember', States: { Remember: { Type: 'Pass', Assign: { lead: 'ICB-A' }, End: true } } };
    await expect(create('assign', definition)).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: "State 'Remember' uses Assign (variables), which the local runtime does not support",
    });
  });

  it('refuses a callback task that never passes its token', async () => {
    const definition = {
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'x', Payload: {} },
          End: true,
        },
      },
    };
    await expect(create('no-token', definition)).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: "State 'Await' waits for a task token but its Parameters never pass $$.Task.Token",
    });
  });

  it('refuses a definition with a missing transition', async () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } };
    await expect(create('broken', definition)).rejects.toMatchObject({ name: 'InvalidDefinition' });
  });
});
