/**
 * Conformance of the Step Functions stand-in (local/sfn-server.ts, local/sfn/protocol.ts) with the Step Functions
 * API, through the real `@aws-sdk/client-sfn` and, where it is on PATH, the AWS CLI: every member of the supported
 * operations is honoured or refused with AWS's error name, DeleteStateMachine and ValidateStateMachineDefinition.
 * What AWS does that the stand-in knowingly does not copy (Express machines, versions and aliases, logging,
 * tracing, tags, RedriveExecution, Map Runs, ValidateStateMachineDefinition's full diagnostics) is listed in
 * local/README.md, "What the stand-ins do not copy".
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { eventually, finished, sfnClient, tokenInbox } from '../support.ts';

const roleArn = 'arn:aws:iam::000000000000:role/test';
const inbox = tokenInbox();
const pass = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { done: true }, End: true } } });
const waitForCallback = JSON.stringify({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'request-response', Payload: { 'taskToken.$': '$$.Task.Token' } },
      End: true,
    },
  },
});
let server: SfnServer;
let client: SFNClient;
let passArn: string;
let doneArn: string;

const refusal = async (promise: Promise<unknown>): Promise<{ name: string; message: string }> => {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected the request to be refused');
};

beforeAll(async () => {
  server = await startSfnServer();
  server.functions.register('request-response', inbox.handler);
  client = sfnClient(server.url);
  passArn =
    (await client.send(new CreateStateMachineCommand({ name: 'conformance-pass', definition: pass, roleArn }))).stateMachineArn ?? '';
  doneArn =
    (await client.send(new StartExecutionCommand({ stateMachineArn: passArn, name: 'done', input: '{"secret":"input"}' }))).executionArn ??
    '';
  await finished(client, doneArn);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describe('parameters honoured', () => {
  it('GetExecutionHistory with includeExecutionData=false leaves out every input and output', async () => {
    const full = await client.send(new GetExecutionHistoryCommand({ executionArn: doneArn }));
    expect(JSON.stringify(full.events)).toContain('secret');
    const bare = await client.send(new GetExecutionHistoryCommand({ executionArn: doneArn, includeExecutionData: false }));
    expect(bare.events?.map((e) => e.type)).toStrictEqual(full.events?.map((e) => e.type));
    const text = JSON.stringify(bare.events);
    expect(text).not.toContain('secret');
    expect(text).not.toMatch(/"(input|output|inputDetails|outputDetails)"/);
    expect(bare.events?.find((e) => e.type === 'PassStateEntered')?.stateEnteredEventDetails?.name).toBe('P');
  });

  it('GetExecutionHistory pages (maxResults, nextToken) and reverses', async () => {
    const all = (await client.send(new GetExecutionHistoryCommand({ executionArn: doneArn }))).events ?? [];
    const first = await client.send(new GetExecutionHistoryCommand({ executionArn: doneArn, maxResults: 2 }));
    expect(first.events?.map((e) => e.id)).toStrictEqual([1, 2]);
    const second = await client.send(new GetExecutionHistoryCommand({ executionArn: doneArn, maxResults: 2, nextToken: first.nextToken }));
    expect(second.events?.map((e) => e.id)).toStrictEqual([3, 4]);
    const reversed = await client.send(new GetExecutionHistoryCommand({ executionArn: doneArn, reverseOrder: true }));
    expect(reversed.events?.map((e) => e.id)).toStrictEqual(all.map((e) => e.id).reverse());
    expect(await refusal(client.send(new GetExecutionHistoryCommand({ executionArn: doneArn, nextToken: 'forged' })))).toMatchObject({
      name: 'InvalidToken',
    });
    expect((await refusal(client.send(new GetExecutionHistoryCommand({ executionArn: doneArn, maxResults: 1001 })))).name).toBe(
      'ValidationException',
    );
  });

  it('DescribeExecution and DescribeStateMachine with includedData=METADATA_ONLY leave out data and definition', async () => {
    const meta = await client.send(new DescribeExecutionCommand({ executionArn: doneArn, includedData: 'METADATA_ONLY' }));
    expect(meta.status).toBe('SUCCEEDED');
    expect(meta.input).toBeUndefined();
    expect(meta.output).toBeUndefined();
    const all = await client.send(new DescribeExecutionCommand({ executionArn: doneArn }));
    expect(all.input).toBe('{"secret":"input"}');
    const machine = await client.send(new DescribeStateMachineCommand({ stateMachineArn: passArn, includedData: 'METADATA_ONLY' }));
    expect(machine.definition).toBeUndefined();
    expect(machine.status).toBe('ACTIVE');
  });

  it('ListExecutions filters by status and by redrive (nothing is ever redriven locally), and validates both', async () => {
    const succeeded = await client.send(new ListExecutionsCommand({ stateMachineArn: passArn, statusFilter: 'SUCCEEDED' }));
    expect(succeeded.executions?.map((e) => e.name)).toContain('done');
    expect((await client.send(new ListExecutionsCommand({ stateMachineArn: passArn, statusFilter: 'RUNNING' }))).executions).toStrictEqual(
      [],
    );
    expect(
      (await client.send(new ListExecutionsCommand({ stateMachineArn: passArn, redriveFilter: 'REDRIVEN' }))).executions,
    ).toStrictEqual([]);
    const notRedriven = await client.send(new ListExecutionsCommand({ stateMachineArn: passArn, redriveFilter: 'NOT_REDRIVEN' }));
    expect(notRedriven.executions?.map((e) => e.name)).toContain('done');

    const badStatus = await refusal(
      client.send(new ListExecutionsCommand({ stateMachineArn: passArn, statusFilter: 'DONE' as unknown as 'SUCCEEDED' })),
    );
    expect(badStatus).toStrictEqual({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'DONE' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]",
    });
    const badRedrive = await refusal(
      client.send(new ListExecutionsCommand({ stateMachineArn: passArn, redriveFilter: 'ALL' as unknown as 'REDRIVEN' })),
    );
    expect(badRedrive.name).toBe('ValidationException');
    const mapRunArn = 'arn:aws:states:eu-west-2:000000000000:mapRun:conformance-pass/run:abc';
    expect((await refusal(client.send(new ListExecutionsCommand({ mapRunArn })))).name).toBe('ResourceNotFound');
    expect((await refusal(client.send(new ListExecutionsCommand({})))).name).toBe('ValidationException');
  });

  it('StopExecution records the error and cause it is given, and bounds them as AWS does', async () => {
    const { executionArn } = await client
      .send(new CreateStateMachineCommand({ name: 'conformance-callback', definition: waitForCallback, roleArn }))
      .then(({ stateMachineArn }) => client.send(new StartExecutionCommand({ stateMachineArn, name: 'to-stop' })));
    expect((await refusal(client.send(new StopExecutionCommand({ executionArn, error: 'x'.repeat(257) })))).name).toBe(
      'ValidationException',
    );
    await client.send(new StopExecutionCommand({ executionArn, error: 'Operator.Stop', cause: 'by hand' }));
    const stopped = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect([stopped.status, stopped.error, stopped.cause]).toStrictEqual(['ABORTED', 'Operator.Stop', 'by hand']);
  });
});

describe('parameters refused with AWS error names', () => {
  it.each([
    ['not-an-arn', "Invalid Arn: 'Invalid ARN prefix: not-an-arn'"],
    [
      'arn:aws:states:eu-west-2:000000000000:stateMachine:conformance-pass',
      "Invalid Arn: 'Resource type not valid in this context: stateMachine'",
    ],
    [
      'arn:aws:states:eu-west-2:000000000000:execution:only-one-part',
      "Invalid Arn: 'Invalid execution ARN: arn:aws:states:eu-west-2:000000000000:execution:only-one-part'",
    ],
  ])('a malformed execution ARN (%s) answers InvalidArn', async (executionArn, message) => {
    expect(await refusal(client.send(new DescribeExecutionCommand({ executionArn })))).toStrictEqual({ name: 'InvalidArn', message });
  });

  it('a well-formed ARN naming nothing answers ...DoesNotExist', async () => {
    const executionArn = 'arn:aws:states:eu-west-2:000000000000:execution:conformance-pass:nobody';
    expect((await refusal(client.send(new DescribeExecutionCommand({ executionArn })))).name).toBe('ExecutionDoesNotExist');
    const stateMachineArn = 'arn:aws:states:eu-west-2:000000000000:stateMachine:nothing';
    expect((await refusal(client.send(new DescribeStateMachineCommand({ stateMachineArn })))).name).toBe('StateMachineDoesNotExist');
    expect((await refusal(client.send(new StartExecutionCommand({ stateMachineArn: 'x' })))).name).toBe('InvalidArn');
  });

  it('features the local runtime lacks are refused, not ignored', async () => {
    const create = (extra: object) =>
      refusal(client.send(new CreateStateMachineCommand({ name: 'conformance-refused', definition: pass, roleArn, ...extra })));
    expect((await create({ type: 'EXPRESS' })).message).toMatch(/EXPRESS.*not supported by the local Step Functions runtime/);
    expect((await create({ loggingConfiguration: { level: 'ALL', destinations: [] } })).name).toBe('ValidationException');
    expect((await create({ tracingConfiguration: { enabled: true } })).name).toBe('ValidationException');
    expect((await create({ publish: true })).name).toBe('ValidationException');
    expect((await create({ tags: [{ key: 'a', value: 'b' }] })).name).toBe('ValidationException');
    expect((await create({ roleArn: 'not-a-role' })).name).toBe('InvalidArn');
    // The "off" values of those features are what the stand-in does, so they are accepted.
    await client.send(
      new CreateStateMachineCommand({
        name: 'conformance-off',
        definition: pass,
        roleArn,
        type: 'STANDARD',
        loggingConfiguration: { level: 'OFF' },
        tracingConfiguration: { enabled: false },
        publish: false,
        tags: [],
      }),
    );
    const versionArn = `${passArn}:1`;
    expect((await refusal(client.send(new DescribeStateMachineCommand({ stateMachineArn: versionArn })))).name).toBe('ValidationException');
  });

  it('UpdateStateMachine with nothing to change answers MissingRequiredParameter', async () => {
    expect((await refusal(client.send(new UpdateStateMachineCommand({ stateMachineArn: passArn })))).name).toBe('MissingRequiredParameter');
  });

  it('a member the operation does not have answers SerializationException', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
      body: JSON.stringify({ executionArn: doneArn, includeSecrets: true }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual({
      __type: 'com.amazonaws.sfn#SerializationException',
      message: "DescribeExecution has no member 'includeSecrets'",
    });
  });
});

describe('DeleteStateMachine', () => {
  it('is idempotent and removes an idle machine', async () => {
    const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: 'conformance-delete', definition: pass, roleArn }));
    await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    expect((await refusal(client.send(new DescribeStateMachineCommand({ stateMachineArn })))).name).toBe('StateMachineDoesNotExist');
    expect((await client.send(new ListStateMachinesCommand({}))).stateMachines?.map((m) => m.name)).not.toContain('conformance-delete');
    expect((await refusal(client.send(new DeleteStateMachineCommand({ stateMachineArn: 'nope' })))).name).toBe('InvalidArn');
  });

  it('with a running execution: DELETING, no new executions, gone once it ends', async () => {
    const { stateMachineArn } = await client.send(
      new CreateStateMachineCommand({ name: 'conformance-delete-busy', definition: waitForCallback, roleArn }),
    );
    const index = inbox.events.length;
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'busy' }));
    const taskToken = await inbox.next(index);
    await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    expect((await client.send(new DescribeStateMachineCommand({ stateMachineArn }))).status).toBe('DELETING');
    expect((await refusal(client.send(new StartExecutionCommand({ stateMachineArn })))).name).toBe('StateMachineDeleting');
    await client.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
    expect((await finished(client, executionArn ?? '')).status).toBe('SUCCEEDED');
    await eventually(
      () =>
        refusal(client.send(new DescribeStateMachineCommand({ stateMachineArn }))).then((r) =>
          r.name === 'StateMachineDoesNotExist' ? r : undefined,
        ),
      'the machine to be gone',
    );
  });
});

describe('ValidateStateMachineDefinition', () => {
  it('answers OK for a definition CreateStateMachine accepts', async () => {
    expect(await client.send(new ValidateStateMachineDefinitionCommand({ definition: pass }))).toMatchObject({
      result: 'OK',
      diagnostics: [],
      truncated: false,
    });
  });

  it.each([
    ['{not json', 'INVALID_JSON_DESCRIPTION'],
    [JSON.stringify({ StartAt: 'Missing', States: { P: { Type: 'Pass', End: true } } }), 'SCHEMA_VALIDATION_FAILED'],
    [JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), 'SCHEMA_VALIDATION_FAILED'],
  ])('answers FAIL with an ERROR diagnostic for %s', async (definition, code) => {
    const result = await client.send(new ValidateStateMachineDefinitionCommand({ definition }));
    expect(result.result).toBe('FAIL');
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics?.[0]).toMatchObject({ severity: 'ERROR', code });
    expect(result.diagnostics?.[0]?.message).not.toBe('');
    expect((await refusal(client.send(new CreateStateMachineCommand({ name: 'conformance-invalid', definition, roleArn })))).name).toBe(
      'InvalidDefinition',
    );
  });
});

const run = promisify(execFile);
const awsCli = await run('aws', ['--version']).then(
  () => true,
  () => false,
);
if (!awsCli) console.log('Skipping the AWS CLI checks: `aws` is not on PATH.');

describe.skipIf(!awsCli)('the AWS CLI against the stand-in', () => {
  it('get-execution-history --no-include-execution-data leaves out data; a malformed ARN gets InvalidArn', async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'eu-west-2' };
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', server.url, 'stepfunctions', ...args], { env });
    const out = await aws('get-execution-history', '--execution-arn', doneArn, '--no-include-execution-data');
    expect(out.stdout).toContain('ExecutionSucceeded');
    expect(out.stdout).not.toContain('secret');
    const failed = await aws('describe-execution', '--execution-arn', 'not-an-arn').then(
      () => '',
      (error: unknown) => String((error as { stderr: string }).stderr),
    );
    expect(failed).toContain('(InvalidArn)');
  }, 60_000);
});
