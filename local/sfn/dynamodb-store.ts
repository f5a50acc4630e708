/**
 * The durable ExecutionStore: one runtime-owned table in the local DynamoDB (`s117-local-runtime` by default).
 *
 *   pk                  sk          what
 *   MACHINE#<arn>       META        a state machine (name, definition, role)
 *   EXECUTION#<arn>     META        an execution (status, input, output/error, dates)
 *   EXECUTION#<arn>     STEP#<key>  a journalled step: task result, callback token and outcome, Wait deadline
 *   TOKEN#<token>       TOKEN       which execution and step a task token belongs to
 *
 * Terminal statuses and callback outcomes are written with conditions, so each happens once.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTables } from '../dynamodb.ts';
import type { CallbackOutcome, CompleteResult, ExecutionStore, Finish, StepRecord, StoredExecution, StoredMachine } from './store.ts';

export const RUNTIME_TABLE = 's117-local-runtime';

const machineKey = (arn: string) => ({ pk: `MACHINE#${arn}`, sk: 'META' });
const executionKey = (arn: string) => ({ pk: `EXECUTION#${arn}`, sk: 'META' });
const stepKey = (arn: string, key: string) => ({ pk: `EXECUTION#${arn}`, sk: `STEP#${key}` });
const tokenKey = (token: string) => ({ pk: `TOKEN#${token}`, sk: 'TOKEN' });

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

function strip<T>(item: Record<string, unknown>): T {
  const rest = { ...item };
  delete rest['pk'];
  delete rest['sk'];
  delete rest['kind'];
  return rest as T;
}

export class DynamoDbExecutionStore implements ExecutionStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  private constructor(client: DynamoDBClient, table: string) {
    this.#doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.#table = table;
  }

  static async open(client: DynamoDBClient, table = RUNTIME_TABLE): Promise<DynamoDbExecutionStore> {
    await ensureTables(client, [
      {
        TableName: table,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
    ]);
    return new DynamoDbExecutionStore(client, table);
  }

  async #scan(kind: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new ScanCommand({
          TableName: this.#table,
          FilterExpression: '#kind = :kind',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':kind': kind },
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  async #get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    return (await this.#doc.send(new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true }))).Item;
  }

  async putMachine(machine: StoredMachine): Promise<void> {
    await this.#doc.send(new PutCommand({ TableName: this.#table, Item: { ...machineKey(machine.arn), kind: 'machine', ...machine } }));
  }

  async deleteMachine(arn: string): Promise<void> {
    await this.#doc.send(new DeleteCommand({ TableName: this.#table, Key: machineKey(arn) }));
  }

  async listMachines(): Promise<StoredMachine[]> {
    return (await this.#scan('machine')).map((item) => strip<StoredMachine>(item));
  }

  async createExecution(execution: StoredExecution): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...executionKey(execution.arn), kind: 'execution', ...execution },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async finishExecution(arn: string, finish: Finish): Promise<boolean> {
    const fields = Object.entries(finish).filter(([, value]) => value !== undefined);
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: executionKey(arn),
          UpdateExpression: `SET ${fields.map(([name]) => `#${name} = :${name}`).join(', ')}`,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: Object.fromEntries(fields.map(([name]) => [`#${name}`, name])),
          ExpressionAttributeValues: { ...Object.fromEntries(fields.map(([name, value]) => [`:${name}`, value])), ':running': 'RUNNING' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listExecutions(): Promise<StoredExecution[]> {
    return (await this.#scan('execution')).map((item) => strip<StoredExecution>(item));
  }

  async getStep(executionArn: string, key: string): Promise<StepRecord | undefined> {
    const item = await this.#get(stepKey(executionArn, key));
    return item === undefined ? undefined : strip<StepRecord>(item);
  }

  async putStep(executionArn: string, key: string, step: StepRecord): Promise<void> {
    await this.#doc.send(new PutCommand({ TableName: this.#table, Item: { ...stepKey(executionArn, key), kind: 'step', ...step } }));
  }

  async issueToken(executionArn: string, key: string, step: StepRecord & { token: string }): Promise<void> {
    await this.#doc.send(new PutCommand({ TableName: this.#table, Item: { ...tokenKey(step.token), kind: 'token', executionArn, key } }));
    await this.putStep(executionArn, key, step);
  }

  async markDispatched(executionArn: string, key: string): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: stepKey(executionArn, key),
          UpdateExpression: 'SET #status = :dispatched',
          ConditionExpression: '#status = :issued',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':dispatched': 'dispatched', ':issued': 'issued' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async #open(token: string): Promise<{ state: 'open'; executionArn: string; key: string } | { state: 'closed' | 'unknown' }> {
    const ref = await this.#get(tokenKey(token));
    if (ref === undefined) return { state: 'unknown' };
    const executionArn = String(ref['executionArn']);
    const key = String(ref['key']);
    const execution = await this.#get(executionKey(executionArn));
    const step = await this.#get(stepKey(executionArn, key));
    const open = execution?.['status'] === 'RUNNING' && (step?.['status'] === 'issued' || step?.['status'] === 'dispatched');
    return open ? { state: 'open', executionArn, key } : { state: 'closed' };
  }

  async completeCallback(token: string, outcome: CallbackOutcome): Promise<CompleteResult> {
    const found = await this.#open(token);
    if (found.state === 'unknown') return 'unknown-token';
    if (found.state !== 'open') return 'already-closed';
    const fields = Object.entries(outcome);
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: stepKey(found.executionArn, found.key),
          UpdateExpression: `SET ${fields.map(([name]) => `#${name} = :${name}`).join(', ')}`,
          ConditionExpression: '#status IN (:issued, :dispatched)',
          ExpressionAttributeNames: Object.fromEntries(fields.map(([name]) => [`#${name}`, name])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(fields.map(([name, value]) => [`:${name}`, value])),
            ':issued': 'issued',
            ':dispatched': 'dispatched',
          },
        }),
      );
      return 'completed';
    } catch (error) {
      if (isConditionFailure(error)) return 'already-closed';
      throw error;
    }
  }

  async tokenState(token: string): Promise<{ state: 'open'; executionArn: string } | { state: 'closed' | 'unknown' }> {
    const found = await this.#open(token);
    return found.state === 'open' ? { state: 'open', executionArn: found.executionArn } : found;
  }
}
