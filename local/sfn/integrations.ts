/** Service integrations of Task states: lambda:invoke envelopes and DynamoDB through the SDK. */
import * as dynamodb from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Json, JsonObject, TaskKind } from './asl.ts';
import { SfnApiError, TaskError } from './errors.ts';
import type { FunctionRegistry } from './lambda.ts';

const asObject = (value: Json): JsonObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {});

export interface IntegrationDeps {
  functions: FunctionRegistry;
  dynamodb: () => DynamoDBClient;
  startExecution: (machineArn: string, input: string, name: string | undefined) => Promise<{ executionArn: string; startDate: number }>;
}

/** Runs the resource of a Task state with its resolved Parameters (or effective input) and returns its result. */
export async function runIntegration(task: TaskKind, payload: Json, deps: IntegrationDeps): Promise<Json> {
  switch (task.kind) {
    case 'lambda-arn':
      return (await deps.functions.invoke(task.functionName, payload)) as Json;
    case 'lambda-invoke': {
      const params = asObject(payload);
      const functionName = params['FunctionName'];
      if (typeof functionName !== 'string') throw new TaskError('States.Runtime', 'lambda:invoke needs Parameters.FunctionName');
      const result = (await deps.functions.invoke(functionName, params['Payload'] ?? {})) as Json;
      return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
    }
    case 'dynamodb':
      return callDynamoDb(task.action, asObject(payload), deps.dynamodb());
    case 'start-execution': {
      const params = asObject(payload);
      const machineArn = params['StateMachineArn'];
      if (typeof machineArn !== 'string') throw new TaskError('States.Runtime', 'startExecution needs StateMachineArn');
      const input = params['Input'];
      const name = params['Name'];
      const started = await deps
        .startExecution(
          machineArn,
          typeof input === 'string' ? input : JSON.stringify(input ?? {}),
          typeof name === 'string' ? name : undefined,
        )
        .catch((error: unknown) => {
          // As the optimised integration names a refused StartExecution: StepFunctions.<Code>Exception.
          if (error instanceof SfnApiError) throw new TaskError(`StepFunctions.${error.code}Exception`, error.message);
          throw error;
        });
      return { ExecutionArn: started.executionArn, StartDate: new Date(started.startDate).toISOString() };
    }
  }
}

type CommandCtor = new (input: JsonObject) => Parameters<DynamoDBClient['send']>[0];

async function callDynamoDb(action: string, params: JsonObject, client: DynamoDBClient): Promise<Json> {
  const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
  const Command = (dynamodb as unknown as Record<string, CommandCtor | undefined>)[commandName];
  if (typeof Command !== 'function') throw new TaskError('States.Runtime', `Unknown DynamoDB action '${action}'`);
  try {
    const response = (await client.send(new Command(params))) as unknown as Record<string, unknown>;
    return JSON.parse(JSON.stringify(response, (key, value: unknown) => (key === '$metadata' ? undefined : value))) as Json;
  } catch (error) {
    const name = error instanceof Error ? error.name : 'UnknownError';
    const message = error instanceof Error ? error.message : String(error);
    throw new TaskError(`DynamoDB.${name}`, message);
  }
}
