/**
 * Step Functions: starts named executions and resumes callback tasks. Task tokens are secrets: they never appear
 * in logs or error messages raised here.
 */
import { sfnSdk, type SFNClient } from './sdk.ts';
import type { Workflow } from '#domain/ports.ts';
import { executionArnFor } from '../types.ts';

/** Errors meaning the task is no longer waiting: the token was used, timed out, or never existed here. */
export const GONE_ERRORS: readonly string[] = ['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'];

export class SfnWorkflow implements Workflow {
  readonly #sfn: SFNClient;

  constructor(sfn: SFNClient) {
    this.#sfn = sfn;
  }

  async start(stateMachineArn: string, name: string, input: unknown): Promise<{ executionArn: string }> {
    try {
      const { StartExecutionCommand } = sfnSdk();
      const result = await this.#sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return { executionArn: result.executionArn ?? executionArnFor(stateMachineArn, name) };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists')
        return { executionArn: executionArnFor(stateMachineArn, name) };
      throw error;
    }
  }

  async succeed(token: string, output: unknown): Promise<'resumed' | 'gone'> {
    try {
      const { SendTaskSuccessCommand } = sfnSdk();
      await this.#sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return 'resumed';
    } catch (error) {
      if (error instanceof Error && GONE_ERRORS.includes(error.name)) return 'gone';
      if (error instanceof Error) throw new WorkflowResumeError(error.name);
      throw new WorkflowResumeError('UnknownError');
    }
  }
}

/** SendTaskSuccess failed for another reason; carries only the error name (the SDK message may echo the token). */
export class WorkflowResumeError extends Error {
  constructor(readonly causeName: string) {
    super(`SendTaskSuccess failed: ${causeName}`);
    this.name = 'WorkflowResumeError';
  }
}
