/** Shared set-up for the API tests: in-memory ports with a seeded directory, a frozen clock, and API Gateway events. */
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { Instant } from '#domain/applications/application.ts';
import type { Clock } from '#domain/ports.ts';
import { vi } from 'vitest';
import { memoryPorts, type MemoryPorts } from '#functions/adapters/memory/index.ts';
import { usePorts, type Ports } from '#functions/adapters/root.ts';
import { resetSecrets } from '#functions/adapters/secrets/secrets.ts';
import type { DirectoryOrganisation } from '#domain/ports.ts';
import type { ApiDeps } from '#functions/api/deps.ts';
import type { Caller } from '#functions/shared/auth.ts';
import { resetEnv } from '#functions/shared/env.ts';
import { partnership } from '../../support/application-builder.ts';

export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-2:123456789012:stateMachine:FundingApplication';
export const PERSON_REF_KEY = 'test-person-ref-key-0123456789abcdef';
/** The secret the handlers read the key from (PERSON_REF_KEY_SECRET). */
export const PERSON_REF_KEY_SECRET = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:person-ref-key-AbCdEf';
const secrets = mockClient(SecretsManagerClient);

const org = (code: string, kind: DirectoryOrganisation['kind'], partnerships: string[]): DirectoryOrganisation => ({
  code,
  kind,
  name: `${code} (test)`,
  email: `${code.toLowerCase()}@example.test`,
  partnerships,
});

export const ORGANISATIONS: DirectoryOrganisation[] = [
  org('ICB-A', 'icb', ['test']),
  org('ICB-B', 'icb', ['test']),
  org('LA-A', 'la', ['test']),
  org('LA-B', 'la', ['test']),
  org('LA-N', 'la', ['north']),
  org('LA-TWO', 'la', ['test', 'north']),
  org('LA-NONE', 'la', []),
];
export const NORTH = { ...partnership, id: 'north', name: 'North partnership', members: ['LA-N', 'LA-TWO'] };

export interface TestClock extends Clock {
  set(at: Instant): void;
}

export function frozenClock(start: Instant = '2024-06-01T09:00:00.000Z'): TestClock {
  let at = start;
  return {
    now: () => at,
    today: () => at.slice(0, 10),
    set: (next) => {
      at = next;
    },
  };
}

export interface TestDeps extends ApiDeps {
  /** The tests' composition root: `installPorts` makes it what the real handlers use. */
  memory: MemoryPorts;
  clock: TestClock;
}

export function memoryDeps(): TestDeps {
  const clock = frozenClock();
  const memory = memoryPorts(clock, { organisations: ORGANISATIONS, partnerships: [partnership, NORTH] });
  return {
    memory,
    applications: memory.applications,
    chronology: memory.chronology,
    idempotency: memory.idempotency,
    directory: memory.directory,
    tokens: memory.tokens,
    handOffs: memory.handOffs,
    workflow: memory.workflow,
    clock,
    stateMachineArn: STATE_MACHINE_ARN,
    personRefKey: async () => PERSON_REF_KEY,
  };
}

/**
 * Points the real handlers at `deps`: its ports installed with `usePorts`, and the environment the API reads
 * (the state machine and the person reference key of `deps`). Restore with `usePorts(undefined)`.
 */
export function installPorts(deps: TestDeps): void {
  vi.stubEnv('REGISTER_TABLE_NAME', 'Register');
  vi.stubEnv('MAIL_FROM', 's117@example.test');
  vi.stubEnv('APP_BASE_URL', 'https://s117.example.test');
  vi.stubEnv('FUNDING_STATE_MACHINE_ARN', deps.stateMachineArn);
  servePersonRefKey(deps.personRefKey);
  resetEnv();
  // The API's ports come from `deps` (a test may wrap one, e.g. to count writes); the rest from its memory root.
  const { applications, chronology, idempotency, directory, tokens, workflow, clock } = deps;
  usePorts(
    Object.assign(Object.create(deps.memory) as Ports, { applications, chronology, idempotency, directory, tokens, workflow, clock }),
  );
}

/**
 * Sets PERSON_REF_KEY_SECRET and makes the Secrets Manager SDK answer GetSecretValue on it with `key` (the
 * handlers read the key through Powertools Parameters, functions/adapters/secrets; test/local/secrets.test.ts
 * runs that path against the local stand-in).
 */
export function servePersonRefKey(key: () => Promise<string>): void {
  vi.stubEnv('PERSON_REF_KEY_SECRET', PERSON_REF_KEY_SECRET);
  resetEnv();
  secrets.reset();
  resetSecrets();
  secrets.on(GetSecretValueCommand, { SecretId: PERSON_REF_KEY_SECRET }).callsFake(async () => ({ SecretString: await key() }));
}

export const caller = (org: string, role: Caller['role'] = 'commissioner', userId = `u-${org.toLowerCase()}`): Caller => ({
  userId,
  org,
  role,
});

export type FixtureName =
  'create-application' | 'get-application' | 'list-applications' | 'record-response' | 'get-chronology' | 'determine' | 'openapi';

const fixtures = new Map<FixtureName, APIGatewayProxyEventV2WithJWTAuthorizer>();

/** A fresh copy of a recorded API Gateway v2 event. */
export function fixture(name: FixtureName): APIGatewayProxyEventV2WithJWTAuthorizer {
  let loaded = fixtures.get(name);
  if (loaded === undefined) {
    loaded = JSON.parse(
      readFileSync(new URL(`../../fixtures/events/apigw/${name}.json`, import.meta.url), 'utf8'),
    ) as APIGatewayProxyEventV2WithJWTAuthorizer;
    fixtures.set(name, loaded);
  }
  return structuredClone(loaded);
}

export interface EventChanges {
  org?: string;
  role?: string;
  sub?: string;
  /** Replaces the body with this value, serialised (a string is sent as it is). */
  body?: unknown;
  headers?: Record<string, string | undefined>;
  id?: string;
  query?: Record<string, string>;
}

/** The fixture with the caller, body, headers, path id or query changed. */
export function event(name: FixtureName, changes: EventChanges = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const e = fixture(name);
  const claims = e.requestContext.authorizer.jwt.claims;
  if (changes.org !== undefined) claims['custom:org'] = changes.org;
  if (changes.role !== undefined) claims['custom:role'] = changes.role;
  if (changes.sub !== undefined) claims['sub'] = changes.sub;
  if ('body' in changes) e.body = typeof changes.body === 'string' ? changes.body : JSON.stringify(changes.body);
  for (const [name, value] of Object.entries(changes.headers ?? {})) {
    if (value === undefined) Reflect.deleteProperty(e.headers, name);
    else e.headers[name] = value;
  }
  if (changes.id !== undefined) {
    e.pathParameters = { id: changes.id };
    e.rawPath = e.rawPath.replace('app_placeholder', changes.id);
    e.requestContext.http.path = e.rawPath;
  }
  if (changes.query !== undefined) {
    e.queryStringParameters = changes.query;
    e.rawQueryString = new URLSearchParams(changes.query).toString();
  }
  return e;
}

/** The create-application fixture's body, parsed. */
export function createBody(): Record<string, unknown> {
  return JSON.parse(fixture('create-application').body ?? '{}') as Record<string, unknown>;
}

export interface Answer {
  statusCode: number | undefined;
  headers: Record<string, unknown> | undefined;
  body: unknown;
}

/** A handler's result with the JSON body parsed. */
export function answer(result: APIGatewayProxyStructuredResultV2 | string): Answer {
  if (typeof result === 'string') throw new Error('Expected a structured result');
  return {
    statusCode: result.statusCode,
    headers: result.headers as Record<string, unknown> | undefined,
    body: result.body === undefined ? undefined : (JSON.parse(result.body) as unknown),
  };
}
