/**
 * The Secrets Manager stand-in: the secrets a manifest names (`secret:<name>`), served over Secrets Manager's
 * wire protocol (AWS JSON 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`), so functions read them locally
 * through the same code as in AWS (Powertools Parameters and the SDK client, functions/adapters/secrets) at
 * AWS_ENDPOINT_URL_SECRETS_MANAGER. Values are random, created on start and kept in the data folder (mode 0600),
 * so that, for example, person references stay stable across restarts; without a data folder (tests), they live
 * for the life of the runtime. Writes are synchronous: a secret is on disk before anything reads it.
 *
 * Only GetSecretValue is served, by name or by the ARN this stand-in reports; anything else is refused with the
 * error Secrets Manager gives an unknown action. Known not copied: versions and stages other than AWSCURRENT,
 * binary secrets, resource policies, the request signature (not checked).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './sfn/lambda.ts';

export const SECRETS_FILE_NAME = 'local-secrets.json';

/** Largest request body read (a GetSecretValue request is a few hundred bytes). */
const MAX_REQUEST_BYTES = 64 * 1024;

export async function loadOrCreateSecrets(file: string | undefined): Promise<(name: string) => string> {
  let values: Record<string, string> = {};
  if (file !== undefined) {
    try {
      values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return (name) => {
    const existing = values[name];
    if (existing !== undefined) return existing;
    const value = randomBytes(32).toString('base64url');
    values = { ...values, [name]: value };
    if (file !== undefined) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    return value;
  };
}

/** The ARN the stand-in reports for a secret (Secrets Manager appends six random characters; here, fixed ones). */
export const localSecretArn = (name: string): string => `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}-local0`;

export interface LocalSecretsManager {
  port: number;
  url: string;
  close: () => Promise<void>;
}

export interface LocalSecretsManagerOptions {
  /** The secrets served, by name: each created (or read back from the data folder) now. */
  names: readonly string[];
  /** The value of a named secret (loadOrCreateSecrets). */
  value: (name: string) => string;
  port?: number;
}

const CREATED = new Date('2026-01-01T00:00:00Z').getTime() / 1000;

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomBytes(16).toString('hex'),
  });
  response.end(text);
}

const refuse = (response: ServerResponse, type: string, message: string, status = 400): void =>
  answer(response, status, { __type: type, message, Message: message });

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSecretsManager(options: LocalSecretsManagerOptions): Promise<LocalSecretsManager> {
  const secrets = new Map(options.names.map((name) => [name, options.value(name)]));
  const byId = (id: string): string | undefined => {
    if (secrets.has(id)) return id;
    return [...secrets.keys()].find((name) => localSecretArn(name) === id);
  };
  const server = createServer((request, response) => {
    void (async () => {
      const target = request.headers['x-amz-target'];
      if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith('secretsmanager.')) {
        refuse(response, 'UnknownOperationException', 'The action or operation requested is not supported by this stand-in.');
        return;
      }
      const text = await readBody(request);
      if (text === undefined) {
        refuse(response, 'InvalidRequestException', `The request body is over ${MAX_REQUEST_BYTES} bytes.`, 413);
        return;
      }
      if (target !== 'secretsmanager.GetSecretValue') {
        refuse(response, 'UnknownOperationException', `${target.slice('secretsmanager.'.length)} is not supported by the local stand-in.`);
        return;
      }
      let input: { SecretId?: unknown; VersionStage?: unknown; VersionId?: unknown };
      try {
        input = JSON.parse(text) as typeof input;
      } catch {
        refuse(response, 'SerializationException', 'The request body is not JSON.');
        return;
      }
      if (typeof input.SecretId !== 'string' || input.SecretId.length === 0 || input.SecretId.length > 2048) {
        refuse(
          response,
          'ValidationException',
          "1 validation error detected: Value at 'secretId' failed to satisfy constraint: Member must have length between 1 and 2048",
        );
        return;
      }
      const name = byId(input.SecretId);
      if (name === undefined) {
        refuse(response, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return;
      }
      if ((input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT') || input.VersionId !== undefined) {
        refuse(
          response,
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for VersionStage or VersionId.",
        );
        return;
      }
      answer(response, 200, {
        ARN: localSecretArn(name),
        Name: name,
        SecretString: secrets.get(name),
        VersionId: '00000000-0000-4000-8000-000000000000',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: CREATED,
      });
    })().catch(() => {
      if (!response.headersSent) refuse(response, 'InternalServiceError', 'The stand-in failed.', 500);
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The Secrets Manager stand-in has no port');
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
