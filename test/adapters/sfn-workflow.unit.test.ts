import {
  ExecutionAlreadyExists,
  InvalidOutput,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SfnWorkflow, WorkflowResumeError } from '#functions/adapters/sfn/workflow.ts';
import { sent } from './sent.ts';

const sfn = mockClient(SFNClient);
const workflow = new SfnWorkflow(new SFNClient({ region: 'eu-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const MACHINE = 'arn:aws:states:eu-west-2:123456789012:stateMachine:funding-application';
const EXECUTION = 'arn:aws:states:eu-west-2:123456789012:execution:funding-application:app_1';
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAb1secret';

beforeEach(() => sfn.reset());

describe('SfnWorkflow.start', () => {
  it('starts a named execution with the input as JSON', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
    expect(await workflow.start(MACHINE, 'app_1', { applicationId: 'app_1' })).toStrictEqual({ executionArn: EXECUTION });
    expect(sent(sfn)).toStrictEqual([
      { command: 'StartExecutionCommand', input: { stateMachineArn: MACHINE, name: 'app_1', input: '{"applicationId":"app_1"}' } },
    ]);
  });

  it('answers the execution ARN built from the machine when the name was already started', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: `Execution Already Exists: '${EXECUTION}'`, $metadata: {} }));
    expect(await workflow.start(MACHINE, 'app_1', { applicationId: 'app_1' })).toStrictEqual({ executionArn: EXECUTION });
  });
});

describe('SfnWorkflow.succeed', () => {
  it('sends SendTaskSuccess with the output as JSON', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    expect(await workflow.succeed(TOKEN, { decision: 'accept' })).toBe('resumed');
    expect(sent(sfn)).toStrictEqual([{ command: 'SendTaskSuccessCommand', input: { taskToken: TOKEN, output: '{"decision":"accept"}' } }]);
  });

  it.each([
    ['TaskTimedOut', () => new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} })],
    ['InvalidToken', () => new InvalidToken({ message: 'Invalid Token', $metadata: {} })],
    ['TaskDoesNotExist', () => new TaskDoesNotExist({ message: 'Task does not exist', $metadata: {} })],
  ])('answers gone on %s', async (_name, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error());
    expect(await workflow.succeed(TOKEN, {})).toBe('gone');
  });

  it('raises any other error by name only, without the token', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new InvalidOutput({ message: `bad output for ${TOKEN}`, $metadata: {} }));
    const failure = await workflow.succeed(TOKEN, {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowResumeError);
    expect((failure as WorkflowResumeError).message).toBe('SendTaskSuccess failed: InvalidOutput');
  });
});
