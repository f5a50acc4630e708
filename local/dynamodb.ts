/**
 * DynamoDB on one machine: dynalite in process, persisted under a data folder, tables created idempotently.
 * dynalite has no UpdateTimeToLive and its DescribeTimeToLive always says DISABLED, so the server here answers
 * both itself (`X-Amz-Target: DynamoDB_20120810.{Describe,Update}TimeToLive`) and passes every other request to
 * dynalite: TTL is described as deployed (ENABLED on the table's attribute). Expired items are not deleted (AWS
 * deletes them within days; the app filters them on read). Conformance: test/local/conformance/dynamodb.test.ts.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-fs.ts';

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
  const ttlFile = options.dataDir === undefined ? undefined : join(options.dataDir, 'dynamodb-ttl.json');
  const ttl = new TimeToLive(ttlFile, () => client);
  const dynaliteHandler = server.listeners('request')[0] as RequestListener;
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target === 'DynamoDB_20120810.DescribeTimeToLive' || target === 'DynamoDB_20120810.UpdateTimeToLive') {
      void ttl.handle(target.slice(target.indexOf('.') + 1), request, response);
      return;
    }
    dynaliteHandler(request, response);
  });
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

type TtlState = Record<string, { attribute: string; tableCreated: number }>;

const ddbError = (response: ServerResponse, code: string, message: string): void => {
  const text = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message });
  response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text) }).end(text);
};

/** TTL settings per table, kept beside dynalite's files (or in memory), tied to the table's creation time. */
class TimeToLive {
  readonly #file: string | undefined;
  readonly #client: () => DynamoDBClient;
  #state: TtlState;

  constructor(file: string | undefined, client: () => DynamoDBClient) {
    this.#file = file;
    this.#client = client;
    this.#state = {};
    if (file !== undefined) {
      try {
        this.#state = JSON.parse(readFileSync(file, 'utf8')) as TtlState;
      } catch {
        this.#state = {};
      }
    }
  }

  async handle(operation: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > 64 * 1024) return ddbError(response, 'ValidationException', 'The request is too large');
        chunks.push(chunk as Buffer);
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return ddbError(response, 'SerializationException', 'The request body is not valid JSON');
      }
      const table = body['TableName'];
      if (typeof table !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
        return ddbError(
          response,
          'ValidationException',
          "1 validation error detected: Value at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        );
      }
      let created: number;
      try {
        const described = await this.#client().send(new DescribeTableCommand({ TableName: table }));
        created = described.Table?.CreationDateTime?.getTime() ?? 0;
      } catch (error) {
        if (error instanceof ResourceNotFoundException)
          return ddbError(response, 'ResourceNotFoundException', `Requested resource not found: Table: ${table} not found`);
        throw error;
      }
      const current = this.#state[table]?.tableCreated === created ? this.#state[table] : undefined;
      if (operation === 'DescribeTimeToLive') {
        return send(response, {
          TimeToLiveDescription:
            current === undefined ? { TimeToLiveStatus: 'DISABLED' } : { TimeToLiveStatus: 'ENABLED', AttributeName: current.attribute },
        });
      }
      const spec = body['TimeToLiveSpecification'] as { Enabled?: unknown; AttributeName?: unknown } | undefined;
      if (spec === undefined || typeof spec.Enabled !== 'boolean' || typeof spec.AttributeName !== 'string') {
        return ddbError(
          response,
          'ValidationException',
          '1 validation error detected: TimeToLiveSpecification needs Enabled and AttributeName',
        );
      }
      if (spec.AttributeName.length < 1 || spec.AttributeName.length > 255) {
        return ddbError(
          response,
          'ValidationException',
          "1 validation error detected: Value at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length between 1 and 255",
        );
      }
      if (spec.Enabled && current !== undefined) return ddbError(response, 'ValidationException', 'TimeToLive is already enabled');
      if (!spec.Enabled && current === undefined) return ddbError(response, 'ValidationException', 'TimeToLive is already disabled');
      if (!spec.Enabled && current?.attribute !== spec.AttributeName) {
        return ddbError(
          response,
          'ValidationException',
          `TimeToLive is enabled on attribute ${current?.attribute ?? ''}, not ${spec.AttributeName}`,
        );
      }
      const next: TtlState = Object.fromEntries(Object.entries(this.#state).filter(([name]) => name !== table));
      if (spec.Enabled) next[table] = { attribute: spec.AttributeName, tableCreated: created };
      if (this.#file !== undefined) await writeFile(this.#file, JSON.stringify(next), { mode: PRIVATE_FILE_MODE });
      this.#state = next;
      return send(response, { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } });
    } catch {
      if (!response.headersSent) {
        const text = JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: 'Internal error in the local TTL wrapper',
        });
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' }).end(text);
      }
    }
  }
}

function send(response: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text) }).end(text);
}

/**
 * Creates each table unless it exists; waits until ACTIVE. `timeToLive` (table name → attribute) then enables TTL
 * as the deployed table has it (TimeToLiveSpecification is not part of CreateTable), unless it is already on.
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: readonly CreateTableCommandInput[],
  timeToLive: Readonly<Record<string, string>> = {},
): Promise<void> {
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
    const attribute = table.TableName === undefined ? undefined : timeToLive[table.TableName];
    if (attribute === undefined) continue;
    try {
      await client.send(
        new UpdateTimeToLiveCommand({ TableName: table.TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: attribute } }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.message === 'TimeToLive is already enabled')) throw error;
    }
  }
}
