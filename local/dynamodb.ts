/** DynamoDB on one machine: dynalite in process, persisted under a data folder, tables created idempotently. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ensurePrivateDir } from './private-fs.ts';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'eu-west-2';

export interface LocalDynamoDb {
  server: Server;
  port: number;
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

export interface LocalDynamoDbOptions {
  port?: number;
  /** Where dynalite keeps its LevelDB files (`<dataDir>/dynamodb`); in memory when absent. */
  dataDir?: string;
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

export async function startDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  let path: string | undefined;
  if (options.dataDir !== undefined) {
    path = join(options.dataDir, 'dynamodb');
    ensurePrivateDir(options.dataDir);
    ensurePrivateDir(path);
  }
  const server = dynalite({ ...(path === undefined ? {} : { path }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  return {
    server,
    port,
    endpoint,
    client,
    close: async () => {
      // Graceful: stop accepting, let requests in progress finish (their LevelDB writes too), drop idle
      // keep-alive sockets, and cut what is left only after a grace period.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const drain = setInterval(() => server.closeIdleConnections(), 20);
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 3_000);
      await closed;
      clearInterval(drain);
      clearTimeout(force);
      client.destroy();
    },
  };
}

/**
 * Creates each table unless it exists; waits until ACTIVE. TimeToLiveSpecification is not part of CreateTable
 * and dynalite has no UpdateTimeToLive, so TTL is skipped locally (the app filters expired items on read).
 */
export async function ensureTables(client: DynamoDBClient, tables: readonly CreateTableCommandInput[]): Promise<void> {
  for (const table of tables) {
    try {
      await client.send(new CreateTableCommand(table));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const described = await client.send(new DescribeTableCommand({ TableName: table.TableName }));
      if (described.Table?.TableStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
