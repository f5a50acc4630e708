/**
 * What s117 deploys, in one typed place: tables, functions, state machines and HTTP routes. The local runtime
 * (`npm start`) deploys it onto its stand-ins; the CDK stack is built from the same manifest, so both run the
 * same definitions, handlers and substitutions.
 *
 * Values in `substitutions` and `environment` may reference other resources by logical name:
 *   `function:<name>`       the function's ARN
 *   `table:<name>`          the table's name
 *   `table-arn:<name>`      the table's ARN
 *   `state-machine:<name>`  the state machine's ARN
 *   `runtime:api-url` · `runtime:ses-url`   base URLs of the API and the SES inbox (the deployment supplies its own)
 *   `runtime:oidc-issuer` · `runtime:oidc-client-id`   the workspace's OpenID Connect provider and client
 *   `bucket:<name>`         an object bucket's name (the finance exports)
 *   `secret:<name>`         the id of a generated secret, which the function reads at run time (never its
 *                           value): in AWS a Secrets Manager secret's ARN (the function may GetSecretValue on
 *                           it and nothing else); locally its name at the Secrets Manager stand-in (local/secrets.ts),
 *                           which keeps a random value in the data folder
 * Any other value is used as it is.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { exports } from './manifest/exports.ts';
import { disputes } from './manifest/disputes.ts';
import { fundingApplications } from './manifest/funding-applications.ts';
import { panels } from './manifest/panels.ts';
import { register } from './manifest/register.ts';
import { ROUTE_TABLE, type RouteSpec } from '#functions/routes.ts';
import { workspace } from './manifest/workspace.ts';

/** A CreateTable input without the physical name (the deployment chooses it), plus TTL, which CreateTable lacks. */
export type TableDefinition = Omit<CreateTableCommandInput, 'TableName'> & {
  /** Logical name, referenced as `table:<name>`. */
  name: string;
  timeToLiveAttribute?: string;
};

export interface FunctionDefinition {
  /** Logical name, referenced as `function:<name>` and by routes. */
  name: string;
  /** Module path from the repository root; the module exports `handler`. */
  handler: string;
  environment?: Readonly<Record<string, string>>;
  timeoutSeconds?: number;
  memoryMb?: number;
  /**
   * Files the handler reads at run time that esbuild does not bundle, copied beside the deployed bundle: `from` relative
   * to the repository root, `to` a file name in the bundle's folder (the API reference's script, functions/docs/).
   */
  bundleFiles?: readonly BundleFile[];
  /**
   * Packages deployed installed beside the bundle instead of bundled, because they read their own files at run time
   * (pdfkit its font metrics): NodejsFunction's `nodeModules`, at the versions of package.json, installed by `npm ci`
   * from the repository's lockfile into the asset.
   */
  nodeModules?: readonly string[];
  /**
   * What the function may do in AWS; the deployment grants exactly this and nothing else (least privilege).
   * Omitted: no access to tables, mail or state machines. The local runtime does not enforce it.
   */
  permissions?: FunctionPermissions;
  /**
   * Run on schedules: in AWS an EventBridge rule for each, every `rateMinutes`; under `npm start` each with an
   * `atStart` event once at start (after the executions are re-driven), with that event. Several schedules on one function cost a rule
   * and a permission each, not a function.
   */
  schedules?: readonly FunctionSchedule[];
}

export interface FunctionSchedule {
  /** Names the rule beside the function's (`<Function>Schedule<Name>`); the first schedule has none. */
  name?: string;
  rateMinutes: number;
  /** The rule's input; absent, EventBridge's scheduled event. */
  event?: Readonly<Record<string, unknown>>;
  /**
   * The event the local runtime invokes the function with at start; absent, not run at start (a job that reads the
   * directory would cache it before `npm start` has seeded it).
   */
  atStart?: Readonly<Record<string, unknown>>;
}

export interface BundleFile {
  from: string;
  to: string;
  /**
   * When set, `from` is a folder and `to` a folder name: the files under `from` whose names end with this suffix
   * (e.g. `.njk`) are copied into `to`, keeping their relative paths (nhsuk-frontend's templates, functions/workspace/).
   */
  suffix?: string;
}

/** DynamoDB access, as the actions the adapters send (no Scan, no batches, no transactions: docs/data-model.md). */
export type TableAction =
  /** GetItem and Query on the table. */
  | 'read'
  /** PutItem and UpdateItem (conditional writes included). */
  | 'write'
  /** DeleteItem. */
  | 'delete';

export interface TableGrant {
  /** Logical table name (`TableDefinition.name`). */
  table: string;
  actions: readonly TableAction[];
  /** Also Query the table's global secondary indexes (`<table-arn>/index/*`). Default false. */
  queryIndexes?: boolean;
  /**
   * Partition keys the function may read or write on the table itself, as IAM `StringLike` patterns on
   * `dynamodb:LeadingKeys` (e.g. `APP#*`, `PERSON#*`, `DIRECTORY`). Omitted: any partition key.
   * Index queries are not narrowed by this (their partition key is the index's own, e.g. `ORG#...`).
   */
  partitionKeys?: readonly string[];
}

export interface FunctionPermissions {
  tables?: readonly TableGrant[];
  /** Sends mail through SES (as the configured identity, through the configuration set). */
  sendEmail?: boolean;
  /** Logical names of the state machines it starts (`states:StartExecution`). */
  startExecution?: readonly string[];
  /** Logical names of the state machines whose task tokens it answers (`states:SendTaskSuccess`, `SendTaskFailure`, `SendTaskHeartbeat`). */
  taskResponse?: readonly string[];
  /** Object access to the manifest's buckets (presigning a GET link needs `read`). */
  buckets?: readonly BucketGrant[];
}

/** S3 access: `read` GetObject (and HeadObject), `write` PutObject (multipart included), `delete` DeleteObject, `list` ListBucket. */
export type BucketAction = 'read' | 'write' | 'delete' | 'list';

export interface BucketGrant {
  /** Logical bucket name (`BucketDefinition.name`). */
  bucket: string;
  actions: readonly BucketAction[];
  /** Key prefixes the object actions are limited to (e.g. `batches/`); omitted: the whole bucket. */
  prefixes?: readonly string[];
}

export interface StateMachineDefinition {
  name: string;
  /** `statemachines/<name>.asl.json`, from the repository root. */
  definitionFile: string;
  /** `${Placeholder}` → value or reference. */
  substitutions: Readonly<Record<string, string>>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ANY';

export interface RouteDefinition {
  method: HttpMethod;
  /** A route template, e.g. `/v1/applications/{id}`. */
  path: string;
  /** Logical name of the function that answers. */
  function: string;
  /**
   * 'jwt' (the default): an HTTP API JWT authorizer (Cognito in AWS, the local key under `npm start`) checks
   * `Authorization: Bearer <token>` before the function runs and passes the claims at
   * `event.requestContext.authorizer.jwt.claims`; without a valid token the answer is 401. 'none': public.
   */
  auth?: 'jwt' | 'none';
}

/** An S3 bucket, referenced as `bucket:<name>` (locally a bucket of the S3 stand-in with that name). */
export interface BucketDefinition {
  name: string;
}

export interface AppManifest {
  tables: readonly TableDefinition[];
  /** Object buckets (issue 6: the exports bucket). */
  buckets?: readonly BucketDefinition[];
  functions: readonly FunctionDefinition[];
  stateMachines: readonly StateMachineDefinition[];
  routes: readonly RouteDefinition[];
}

export type ResourceReference =
  | { kind: 'function' | 'table' | 'table-arn' | 'state-machine' | 'secret' | 'bucket'; name: string }
  | { kind: 'runtime'; name: RuntimeName };

/** Values only the deployment knows: base URLs, and the workspace's identity provider and its client id. */
export const RUNTIME_NAMES = ['api-url', 'ses-url', 'oidc-issuer', 'oidc-client-id'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** Reads a reference out of a substitution or environment value; undefined for a literal. */
export function parseReference(value: string): ResourceReference | undefined {
  const match = /^(function|table|table-arn|state-machine|runtime|secret|bucket):([A-Za-z0-9_.-]+)$/.exec(value);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const [kind, name] = [match[1], match[2]];
  if (kind === 'runtime') {
    const known = RUNTIME_NAMES.find((n) => n === name);
    if (known === undefined) throw new Error(`Unknown runtime reference '${value}'`);
    return { kind, name: known };
  }
  return { kind: kind as 'function' | 'table' | 'table-arn' | 'state-machine' | 'secret' | 'bucket', name };
}

/**
 * The register: one table for every record (docs/data-model.md lists the items and access patterns).
 * No transactions (dynalite has none): single-item conditional writes, versions and sequence numbers.
 */
export const registerTable: TableDefinition = {
  name: 'Register',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'gsi1pk', AttributeType: 'S' },
    { AttributeName: 'gsi1sk', AttributeType: 'S' },
    { AttributeName: 'gsi2pk', AttributeType: 'S' },
    { AttributeName: 'gsi2sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'ByOrganisation',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: 'ByOrganisationStatus',
      KeySchema: [
        { AttributeName: 'gsi2pk', KeyType: 'HASH' },
        { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  timeToLiveAttribute: 'expiresAt',
};

/** One feature's part of the deployment; the app manifest is their union, with the routes from the route table. */
export interface FeatureManifest {
  buckets?: readonly BucketDefinition[];
  functions: readonly FunctionDefinition[];
  stateMachines: readonly StateMachineDefinition[];
}

/** The manifest routes of the route table (functions/routes.ts): method, path, the function and the authorizer. */
export function manifestRoutes(table: readonly RouteSpec[]): RouteDefinition[] {
  return table.map((route) => ({
    method: route.method,
    path: route.path,
    function: route.function,
    ...(route.auth === 'none' ? { auth: 'none' as const } : {}),
  }));
}

/** Every feature deployed; each lives in lib/manifest/<feature>.ts. */
const features: readonly FeatureManifest[] = [fundingApplications, exports, panels, register, disputes, workspace];

export const appManifest: AppManifest = {
  tables: [registerTable],
  buckets: features.flatMap((f) => f.buckets ?? []),
  functions: features.flatMap((f) => f.functions),
  stateMachines: features.flatMap((f) => f.stateMachines),
  routes: manifestRoutes(ROUTE_TABLE),
};

export { fundingApplicationTasks } from './manifest/funding-applications.ts';
