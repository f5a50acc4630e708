/**
 * A Step Functions API server around aws-local-stepfunctions, speaking AWS JSON 1.0 so that
 * `@aws-sdk/client-sfn` works against it unchanged (endpoint from AWS_ENDPOINT_URL_SFN).
 */
import './polyfills.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeClock, type Clock, type ClockOption } from './clock.ts';
import { Engine } from './sfn/engine.ts';
import { SfnApiError } from './sfn/errors.ts';
import { FunctionRegistry } from './sfn/lambda.ts';
import { adminOperations, operations } from './sfn/protocol.ts';
import { MemoryExecutionStore, type ExecutionStore } from './sfn/store.ts';

export { Engine } from './sfn/engine.ts';
import type { SfnLimits } from './sfn/limits.ts';
export { FunctionRegistry, type LambdaContext, type LambdaHandler, type LambdaFunction } from './sfn/lambda.ts';

export interface SfnServerOptions {
  port?: number;
  clock?: ClockOption;
  store?: ExecutionStore;
  functions?: FunctionRegistry;
  /** Client for `dynamodb:*` and `aws-sdk:dynamodb:*` tasks. */
  dynamodb?: () => DynamoDBClient;
  log?: (line: string) => void;
  /** Re-drive stored RUNNING executions at start (default true); the runtime does it after deploying. */
  recover?: boolean;
  /** AWS's quotas (local/sfn/limits.ts) unless a test lowers them to reach them quickly. */
  limits?: Partial<SfnLimits>;
}

export interface SfnServer {
  engine: Engine;
  functions: FunctionRegistry;
  clock: Clock;
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) throw new SfnApiError('ValidationException', 'Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export async function handleSfnRequest(
  engine: Engine,
  request: IncomingMessage,
  response: ServerResponse,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const [service, name] = target.split('.');
    const table = service === 'AWSStepFunctions' ? operations : service === 'S117Local' ? adminOperations : undefined;
    const operation = name === undefined ? undefined : table?.[name];
    if (request.method !== 'POST' || operation === undefined) {
      throw new SfnApiError('UnknownOperationException', `Unknown operation '${target}'`);
    }
    const text = await readBody(request);
    let body: unknown;
    try {
      body = text.length === 0 ? {} : JSON.parse(text);
    } catch {
      throw new SfnApiError('SerializationException', 'The request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new SfnApiError('SerializationException', 'The request body must be a JSON object');
    }
    send(response, 200, await operation(engine, body as Record<string, unknown>));
  } catch (error) {
    if (error instanceof SfnApiError) {
      send(response, error.status, { __type: `com.amazonaws.sfn#${error.code}`, message: error.message });
    } else {
      log(
        `internal error in ${String(request.headers['x-amz-target'] ?? 'an unknown operation')}: ${error instanceof Error ? error.name : 'error'}`,
      );
      send(response, 500, {
        __type: 'com.amazonaws.sfn#InternalServerError',
        message: 'Internal error in the local Step Functions server',
      });
    }
  }
}

export async function startSfnServer(options: SfnServerOptions = {}): Promise<SfnServer> {
  const clock = makeClock(options.clock);
  const functions = options.functions ?? new FunctionRegistry();
  const dynamodb =
    options.dynamodb ??
    (() => {
      throw new SfnApiError('ValidationException', 'No local DynamoDB configured for this Step Functions server');
    });
  const engine = new Engine({
    clock,
    store: options.store ?? new MemoryExecutionStore(),
    functions,
    dynamodb,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  if (options.recover !== false) await engine.recover();
  const server = createServer((request, response) => void handleSfnRequest(engine, request, response, options.log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    engine,
    functions,
    clock,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      engine.close();
      await functions.settle();
      await engine.releaseInterrupted().catch((error: unknown) => options.log?.(`could not release interrupted tasks: ${String(error)}`));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
