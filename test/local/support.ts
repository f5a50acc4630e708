import { fileURLToPath } from 'node:url';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { loadDefinition } from '#local/definitions.ts';

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/local/${name}`, import.meta.url));

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: 'eu-west-2', credentials: localCredentials, maxAttempts: 1 });
}

/** Polls until `probe` returns a value other than undefined, or fails after the deadline. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${lastError === undefined ? '' : `: ${String(lastError)}`}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function createMachine(
  client: SFNClient,
  name: string,
  file: string,
  substitutions: Record<string, string> = {},
): Promise<string> {
  const created = await client.send(
    new CreateStateMachineCommand({
      name,
      definition: loadDefinition(fixture(file), substitutions),
      roleArn: 'arn:aws:iam::000000000000:role/test',
    }),
  );
  return created.stateMachineArn ?? '';
}

export async function start(client: SFNClient, stateMachineArn: string, input: unknown): Promise<string> {
  const started = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  return started.executionArn ?? '';
}

export async function finished(client: SFNClient, executionArn: string, timeoutMs = 10_000): Promise<DescribeExecutionCommandOutput> {
  return eventually(
    async () => {
      const described = await client.send(new DescribeExecutionCommand({ executionArn }));
      return described.status === 'RUNNING' ? undefined : described;
    },
    `the end of ${executionArn}`,
    timeoutMs,
  );
}

/** Every event of the execution's history, page by page (AWS pages 100 events unless asked for more). */
export async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

export async function statesEntered(client: SFNClient, executionArn: string): Promise<string[]> {
  return (await history(client, executionArn))
    .filter((e) => e.type?.endsWith('StateEntered'))
    .map((e) => e.stateEnteredEventDetails?.name ?? '');
}

/** A handler that records the task tokens it is given, for tests to answer. */
export function tokenInbox(): {
  handler: (event: unknown) => Promise<{ accepted: true }>;
  events: Record<string, unknown>[];
  next(index?: number): Promise<string>;
} {
  const events: Record<string, unknown>[] = [];
  return {
    events,
    handler: async (event) => {
      events.push(event as Record<string, unknown>);
      return { accepted: true };
    },
    next: (index = events.length) =>
      eventually(
        () => {
          const token = events[index]?.['taskToken'];
          return typeof token === 'string' ? token : undefined;
        },
        `task token #${index + 1}`,
      ),
  };
}
