/**
 * The whole one-machine AWS runtime: DynamoDB, SES, Step Functions and the API, deployed from an AppManifest.
 * `npm start` (local/main.ts) and the tests both go through `startRuntime`.
 */
import './polyfills.ts';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { appManifest as defaultManifest, parseReference, type AppManifest } from '#lib/app-manifest.ts';
import { startApiGateway, type ApiRoute } from './api-gateway.ts';
import {
  AUTH_KEY_FILE_NAME,
  generateAuthKey,
  loadOrCreateAuthKey,
  signToken,
  type LocalAuthKey,
  type SignOptions,
  type TokenSubject,
} from './auth.ts';
import type { Clock, ClockOption } from './clock.ts';
import { loadDefinition } from './definitions.ts';
import { ensureTables, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDb } from './dynamodb.ts';
import { localBucketName, localTableName, makeResolver, mergedEnvironment, toCreateTableInput } from './manifest.ts';
import { startOidcProvider, type OidcUser } from './oidc.ts';
import { loadOrCreateSecrets, SECRETS_FILE_NAME, startSecretsManager } from './secrets.ts';
import { startS3 } from './s3.ts';
import { startSes } from './ses.ts';
import { startSfnServer } from './sfn-server.ts';
import { DynamoDbExecutionStore } from './sfn/dynamodb-store.ts';
import type { Engine } from './sfn/engine.ts';
import { FunctionRegistry, type LambdaFunction, type LambdaHandler } from './sfn/lambda.ts';
import { MemoryExecutionStore } from './sfn/store.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RuntimePorts {
  api?: number;
  sfn?: number;
  dynamodb?: number;
  ses?: number;
  s3?: number;
  /** The OpenID Connect stand-in (local/oidc.ts) the workspace signs in with. */
  oidc?: number;
  /** The Secrets Manager stand-in (local/secrets.ts). */
  secretsManager?: number;
}

export interface RuntimeOptions {
  manifest?: AppManifest;
  /** Persist DynamoDB (and so executions) here; in memory, and not durable, when absent. */
  dataDir?: string;
  /** 0 (the default for each) picks a free port. */
  ports?: RuntimePorts;
  /** 'real' (default) or 'virtual' (moved by AdvanceClock), or a Clock. */
  clock?: ClockOption;
  /** Extra in-process functions by name, e.g. test handlers, on top of the manifest's. */
  functions?: Readonly<Record<string, LambdaHandler | LambdaFunction>>;
  /** The people the OpenID Connect stand-in can sign in (the seed file's users under `npm start`). */
  users?: readonly OidcUser[];
  /** Extra routes, on top of the manifest's. */
  routes?: readonly ApiRoute[];
  /**
   * The JWT authorizer's key file (created if absent). Default: `<dataDir>/local-auth-key.json` with a data
   * folder, else a key kept in memory for this runtime only.
   */
  authKeyFile?: string;
  /** Where handler modules and definition files are resolved from. */
  rootDir?: string;
  /** Set AWS_ENDPOINT_URL_* , credentials and region in process.env (default true); restored by stop(). */
  setProcessEnv?: boolean;
  log?: (line: string) => void;
  /**
   * Keep answering 503 with Retry-After after start, until `open()` (default false: the API serves once every
   * route and state machine is deployed). `npm start` holds traffic until the directory is seeded, so a request
   * during a restart is told to retry rather than answered 404 (no routes yet) or 403 (organisation not yet known).
   */
  holdTraffic?: boolean;
}

export interface RuntimeHandles {
  api: { port: number; url: string };
  sfn: { port: number; url: string };
  dynamodb: { port: number; url: string; client: DynamoDBClient };
  ses: { port: number; url: string };
  /** The S3 stand-in (local/s3.ts), with the manifest's buckets. */
  s3: { port: number; url: string };
  /** The Secrets Manager stand-in: the manifest's `secret:<name>` values, by name. */
  secretsManager: { port: number; url: string };
  /** The OpenID Connect stand-in: its issuer URL and the workspace's client id. */
  oidc: { port: number; issuer: string; clientId: string };
  dataDir: string | undefined;
  clock: Clock;
  engine: Engine;
  functions: FunctionRegistry;
  /** The variables in-process handlers need to reach the stand-ins. */
  env: Record<string, string>;
  /** Logical name or reference (`function:x`, `table:y`, ...) → local value. */
  resolve(value: string): string;
  /** Re-drives of stored RUNNING executions done at start. */
  redriven: number;
  /** Stored RUNNING executions whose re-drive threw at start: recorded as FAILED (`S117.RedriveFailed`), not driven. */
  redriveFailed: string[];
  /** The API's JWT authorizer: its key file (undefined for an in-memory key) and tokens it accepts. */
  auth: { keyFile: string | undefined; key: LocalAuthKey; token(subject: TokenSubject, options?: SignOptions): string };
  /** Starts serving API requests (until then they answer 503 with Retry-After); see `RuntimeOptions.holdTraffic`. */
  open(): void;
  stop(): Promise<void>;
}

async function loadHandler(rootDir: string, modulePath: string, name: string): Promise<LambdaHandler> {
  const module = (await import(pathToFileURL(resolvePath(rootDir, modulePath)).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`Function '${name}': ${modulePath} does not export a handler function`);
  return module.handler as LambdaHandler;
}

export async function startRuntime(options: RuntimeOptions = {}): Promise<RuntimeHandles> {
  const manifest = options.manifest ?? defaultManifest;
  const rootDir = options.rootDir ?? REPO_ROOT;
  const log = options.log ?? (() => undefined);
  const ports = options.ports ?? {};
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const dynamodb = await startDynamoDb({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(ports.dynamodb === undefined ? {} : { port: ports.dynamodb }),
    });
    stops.push(dynamodb.close);
    await ensureTables(
      dynamodb.client,
      manifest.tables.map(toCreateTableInput),
      Object.fromEntries(
        manifest.tables.flatMap((t) => (t.timeToLiveAttribute === undefined ? [] : [[localTableName(t.name), t.timeToLiveAttribute]])),
      ),
    );
    const store = options.dataDir === undefined ? new MemoryExecutionStore() : await DynamoDbExecutionStore.open(dynamodb.client);
    // As deployed, where SES has the mail domain verified: the domains of the functions' MAIL_FROM are the verified
    // identities, so a send from any other sender is refused with MessageRejected, as SES would.
    const mailDomains = [
      ...new Set(manifest.functions.flatMap((f) => (f.environment?.['MAIL_FROM']?.split('@')[1] ?? '').split(' ').filter((d) => d !== ''))),
    ];
    const ses = await startSes({
      ...(ports.ses === undefined ? {} : { port: ports.ses }),
      ...(mailDomains.length === 0 ? {} : { verifiedIdentities: mailDomains }),
    });
    stops.push(ses.close);
    const s3 = await startS3({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(ports.s3 === undefined ? {} : { port: ports.s3 }),
      buckets: (manifest.buckets ?? []).map((b) => localBucketName(b.name)),
    });
    stops.push(s3.close);
    const functions = new FunctionRegistry();
    const sfn = await startSfnServer({
      ...(ports.sfn === undefined ? {} : { port: ports.sfn }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      store,
      functions,
      dynamodb: () => dynamodb.client,
      log,
      recover: false,
    });
    stops.push(sfn.close);
    const authKeyFile = options.authKeyFile ?? (options.dataDir === undefined ? undefined : join(options.dataDir, AUTH_KEY_FILE_NAME));
    const authKey = authKeyFile === undefined ? generateAuthKey() : await loadOrCreateAuthKey(authKeyFile);
    // Until every route and state machine is deployed (and, under npm start, the directory seeded): 503, retry.
    const api = await startApiGateway({ routes: [], authKey, open: false, ...(ports.api === undefined ? {} : { port: ports.api }), log });
    stops.push(api.close);
    const oidc = await startOidcProvider({
      users: options.users ?? [],
      workspaceBaseUrl: api.url,
      ticketKey: authKey,
      ...(ports.oidc === undefined ? {} : { port: ports.oidc }),
    });
    stops.push(oidc.close);

    const secrets = await loadOrCreateSecrets(options.dataDir === undefined ? undefined : join(options.dataDir, SECRETS_FILE_NAME));
    const secretNames = manifest.functions.flatMap((fn) =>
      Object.values(fn.environment ?? {}).flatMap((value) => {
        const ref = parseReference(value);
        return ref?.kind === 'secret' ? [ref.name] : [];
      }),
    );
    const secretsManager = await startSecretsManager({
      names: [...new Set(secretNames)],
      value: secrets,
      ...(ports.secretsManager === undefined ? {} : { port: ports.secretsManager }),
    });
    stops.push(secretsManager.close);

    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_SFN: sfn.url,
      AWS_ENDPOINT_URL_SESV2: ses.url,
      AWS_ENDPOINT_URL_SES: ses.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
    };
    const resolve = makeResolver(manifest, {
      apiUrl: api.url,
      sesUrl: ses.url,
      oidcIssuer: oidc.issuer,
      oidcClientId: oidc.clientId,
      // A function is given the secret's name; it reads the value from the stand-in, as from Secrets Manager.
      secret: (name) => name,
    });
    const processEnv = { ...env, ...mergedEnvironment(manifest, resolve) };
    if (options.setProcessEnv !== false) {
      const previous = Object.fromEntries(Object.keys(processEnv).map((name) => [name, process.env[name]]));
      Object.assign(process.env, processEnv);
      stops.unshift(async () => {
        for (const [name, value] of Object.entries(previous)) {
          if (value === undefined) Reflect.deleteProperty(process.env, name);
          else process.env[name] = value;
        }
      });
    }

    for (const fn of manifest.functions) {
      const handler = await loadHandler(rootDir, fn.handler, fn.name);
      functions.register(fn.name, {
        handler,
        ...(fn.timeoutSeconds === undefined ? {} : { timeoutSeconds: fn.timeoutSeconds }),
        ...(fn.memoryMb === undefined ? {} : { memoryMb: fn.memoryMb }),
      });
    }
    for (const [name, fn] of Object.entries(options.functions ?? {})) functions.register(name, fn);

    const routes: ApiRoute[] = manifest.routes.map((route) => {
      const fn = manifest.functions.find((f) => f.name === route.function);
      if (fn === undefined) throw new Error(`Route ${route.method} ${route.path} names unknown function '${route.function}'`);
      return {
        method: route.method,
        path: route.path,
        functionName: fn.name,
        handler: (event, context) => functions.get(fn.name)(event, context),
        auth: route.auth ?? 'jwt',
        ...(fn.timeoutSeconds === undefined ? {} : { timeoutSeconds: fn.timeoutSeconds }),
      };
    });
    routes.push(...(options.routes ?? []));
    if (!routes.some((r) => r.path === '/health')) {
      routes.push({
        method: 'GET',
        path: '/health',
        functionName: 'health',
        auth: 'none',
        handler: async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'ok' }) }),
      });
    }
    api.setRoutes(routes);

    for (const machine of manifest.stateMachines) {
      const substitutions = Object.fromEntries(Object.entries(machine.substitutions).map(([key, value]) => [key, resolve(value)]));
      const definition = loadDefinition(resolvePath(rootDir, machine.definitionFile), substitutions);
      await sfn.engine.createStateMachine(machine.name, definition, undefined, true);
    }
    const recovered = await sfn.engine.recover();
    // Scheduled functions (an EventBridge rule in AWS) run once here, after the re-drives: e.g. the hand-off reconciler.
    for (const fn of manifest.functions) {
      for (const schedule of fn.schedules ?? []) {
        if (schedule.atStart === undefined) continue;
        const what = `${fn.name}${schedule.name === undefined ? '' : ` (${schedule.name})`}`;
        try {
          await functions.invoke(fn.name, schedule.atStart);
          log(`scheduled function ${what} ran at start`);
        } catch (error) {
          log(`scheduled function ${what} failed at start (${error instanceof Error ? error.name : 'Error'}); the runtime starts anyway`);
        }
      }
    }
    if (options.holdTraffic !== true) api.open();

    return {
      api: { port: api.port, url: api.url },
      sfn: { port: sfn.port, url: sfn.url },
      dynamodb: { port: dynamodb.port, url: dynamodb.endpoint, client: dynamodb.client },
      ses: { port: ses.port, url: ses.url },
      s3: { port: s3.port, url: s3.url },
      secretsManager: { port: secretsManager.port, url: secretsManager.url },
      oidc: { port: oidc.port, issuer: oidc.issuer, clientId: oidc.clientId },
      dataDir: options.dataDir,
      clock: sfn.clock,
      engine: sfn.engine,
      functions,
      env,
      resolve,
      redriven: recovered.redriven,
      redriveFailed: recovered.failed,
      auth: { keyFile: authKeyFile, key: authKey, token: (subject, signOptions) => signToken(authKey, subject, signOptions) },
      open: () => api.open(),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
