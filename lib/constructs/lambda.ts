/**
 * Every Lambda function is made here, from its manifest entry, in one way: NodejsFunction bundled by the local
 * esbuild (never Docker), one ESM bundle per function, arm64, the newest Node.js runtime the library offers,
 * Powertools settings, active tracing, its own log group and its own role with exactly the permissions the
 * manifest entry declares (`permissions`). The esbuild settings are exported so the bundle bench measures what
 * deploys.
 */
import { join } from 'node:path';
import { Duration, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { BuildOptions } from 'esbuild';
import type { BucketAction, BundleFile, FunctionDefinition, TableAction, TableDefinition } from '../app-manifest.ts';
import { pascal } from './data.ts';

/** The repository root: entries (`FunctionDefinition.handler`) are relative to it. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** Node 24: the newest runtime aws-cdk-lib 2.276 names (AwsSolutions-L1 asks for the latest). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/**
 * ESM bundles may still contain CommonJS dependencies that call `require` (Node built-ins); this gives them one.
 * `__dirname`/`__filename` are not shimmed: no dependency of ours uses them.
 */
const REQUIRE_SHIM =
  "import { createRequire as __s117CreateRequire } from 'node:module'; const require = __s117CreateRequire(import.meta.url);";

/** The bundling every function gets; shared by NodejsFunction and bench/bundles.bench.ts. */
export const LAMBDA_BUNDLING = {
  target: 'node24',
  format: 'esm',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  /** The Node.js 24 runtime provides the AWS SDK v3; bundling our own would add ~1 MB per function. */
  externalModules: ['@aws-sdk/*'],
  banner: REQUIRE_SHIM,
} as const;

/** What NodejsFunction is given (its esbuild command line is derived from this). */
export function cdkBundlingOptions(): BundlingOptions {
  return {
    target: LAMBDA_BUNDLING.target,
    format: OutputFormat.ESM,
    minify: LAMBDA_BUNDLING.minify,
    sourceMap: LAMBDA_BUNDLING.sourceMap,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    externalModules: [...LAMBDA_BUNDLING.externalModules],
    banner: LAMBDA_BUNDLING.banner,
    forceDockerBundling: false,
  };
}

/** The shell commands that copy a function's `bundleFiles` beside its bundle (NodejsFunction's afterBundling hook). */
export function copyBundleFiles(files: readonly BundleFile[], inputDir: string, outputDir: string): string[] {
  return files.map((file) => {
    if (!/^[\w.@/-]+$/.test(file.from) || file.from.split('/').includes('..') || !/^[\w.-]+$/.test(file.to))
      throw new Error(`bundleFiles: '${file.from}' -> '${file.to}' is not a plain repository path and file name`);
    if (file.suffix === undefined) return `cp "${inputDir}/${file.from}" "${outputDir}/${file.to}"`;
    if (!/^\.[\w]+$/.test(file.suffix)) throw new Error(`bundleFiles: suffix '${file.suffix}' is not a plain file extension`);
    // find + tar keeps the relative paths on GNU and BSD alike (no cp --parents).
    return `mkdir -p "${outputDir}/${file.to}" && (cd "${inputDir}/${file.from}" && find . -type f -name "*${file.suffix}" | tar -cf - -T -) | (cd "${outputDir}/${file.to}" && tar -xf -)`;
  });
}

/**
 * The bundling of one function: the common options, its `nodeModules` installed rather than bundled, and a hook
 * copying its `bundleFiles` when it has any.
 */
export function bundlingFor(definition: FunctionDefinition): BundlingOptions {
  const files = definition.bundleFiles ?? [];
  const modules = definition.nodeModules ?? [];
  const common: BundlingOptions = { ...cdkBundlingOptions(), ...(modules.length === 0 ? {} : { nodeModules: [...modules] }) };
  if (files.length === 0) return common;
  return {
    ...common,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => copyBundleFiles(files, inputDir, outputDir),
    },
  };
}

/**
 * The same build through esbuild's API, as NodejsFunction runs it (`esbuild --bundle <entry> --platform=node ...`);
 * a function's `nodeModules` are left external, as NodejsFunction leaves them to the installed copy.
 */
export function esbuildOptions(entry: string, outfile: string, nodeModules: readonly string[] = []): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLING.target,
    format: LAMBDA_BUNDLING.format,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    external: [...LAMBDA_BUNDLING.externalModules, ...nodeModules],
    banner: { js: LAMBDA_BUNDLING.banner },
    absWorkingDir: REPO_ROOT,
    logLevel: 'warning',
  };
}

export interface FunctionSettings {
  /** Service name for Powertools (POWERTOOLS_SERVICE_NAME). */
  serviceName: string;
  logLevel: string;
  logRetention: RetentionDays;
  logKey: IKey;
  removalPolicy: RemovalPolicy;
  defaultMemoryMb: number;
  defaultTimeoutSeconds: number;
  /** A manifest environment value (literal or reference) → its deployed value (a CDK token for references). */
  resolve: (value: string) => string;
  /**
   * Values the deployment supplies in place of the manifest's local ones, for the variables a function
   * declares (e.g. MAIL_FROM: the verified SES address rather than the local sender).
   */
  deploymentEnvironment: Readonly<Record<string, string>>;
}

export interface MadeFunction {
  definition: FunctionDefinition;
  fn: NodejsFunction;
  role: Role;
  logGroup: LogGroup;
}

/** The one way a function is made. */
export function makeFunction(scope: Construct, definition: FunctionDefinition, settings: FunctionSettings): MadeFunction {
  const id = pascal(definition.name);
  const container = new Construct(scope, id);
  const logGroup = new LogGroup(container, 'Logs', {
    retention: settings.logRetention,
    encryptionKey: settings.logKey,
    removalPolicy: settings.removalPolicy,
  });
  const role = new Role(container, 'Role', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `s117 function ${definition.name}`,
  });
  // Instead of AWSLambdaBasicExecutionRole (any log group in the account): its own log group only.
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );

  const environment: Record<string, string> = {
    POWERTOOLS_SERVICE_NAME: settings.serviceName,
    POWERTOOLS_LOG_LEVEL: settings.logLevel,
    NODE_OPTIONS: '--enable-source-maps',
  };
  for (const [name, value] of Object.entries(definition.environment ?? {})) {
    environment[name] = settings.deploymentEnvironment[name] ?? settings.resolve(value);
  }

  const fn = new NodejsFunction(container, 'Function', {
    entry: join(REPO_ROOT, definition.handler),
    handler: 'handler',
    projectRoot: REPO_ROOT,
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    runtime: LAMBDA_RUNTIME,
    architecture: Architecture.ARM_64,
    memorySize: definition.memoryMb ?? settings.defaultMemoryMb,
    timeout: Duration.seconds(definition.timeoutSeconds ?? settings.defaultTimeoutSeconds),
    tracing: Tracing.ACTIVE,
    role,
    logGroup,
    environment,
    description: `s117 ${definition.name} (${definition.handler})`,
    bundling: bundlingFor(definition),
  });
  // The bundle's entry, as the template records it: test/infra/local-parity.test.ts checks it is the module the
  // local runtime loads for this function.
  (fn.node.defaultChild as CfnResource).addMetadata('s117:entry', definition.handler);
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so IAM requires "*".',
  });
  return { definition, fn, role, logGroup };
}

/** IAM actions per manifest table action: only what the adapters send (docs/data-model.md). */
export const TABLE_ACTIONS: Readonly<Record<TableAction, readonly string[]>> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  delete: ['dynamodb:DeleteItem'],
};

export interface GrantTargets {
  tables: ReadonlyMap<string, { table: TableV2; definition: TableDefinition }>;
  dataKey: IKey;
  /** Adds the send-mail grant (identity and configuration set) to a function. */
  grantSendEmail: (made: MadeFunction) => void;
  /** A state machine's ARN by logical name, built from its name (no token reference: see workflows.ts). */
  stateMachineArn: (name: string) => string;
  /** The manifest's buckets by logical name, and the key that encrypts them. */
  /** By logical name: its ARN, and its CloudFormation logical id (cdk-nag names findings by it). */
  buckets: ReadonlyMap<string, { readonly bucketArn: string; readonly logicalId: string }>;
  bucketKey: IKey;
}

/** IAM actions per manifest bucket action. */
export const BUCKET_ACTIONS: Readonly<Record<Exclude<BucketAction, 'list'>, readonly string[]>> = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
};

/** Grants a function exactly what its manifest entry declares. */
export function grantDeclared(made: MadeFunction, targets: GrantTargets): void {
  const { definition, role } = made;
  const permissions = definition.permissions ?? {};
  const stack = Stack.of(role);

  for (const grant of permissions.tables ?? []) {
    const target = targets.tables.get(grant.table);
    if (target === undefined)
      throw new Error(`Function '${definition.name}' is granted table '${grant.table}', which the manifest does not define`);
    if (grant.actions.length === 0) throw new Error(`Function '${definition.name}': the grant on table '${grant.table}' names no actions`);
    const actions = [...new Set(grant.actions.flatMap((a) => TABLE_ACTIONS[a]))].sort();
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions,
        resources: [target.table.tableArn],
        ...(grant.partitionKeys === undefined
          ? {}
          : { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...grant.partitionKeys] } } }),
      }),
    );
    if (grant.queryIndexes === true) {
      const indexes = (target.definition.GlobalSecondaryIndexes ?? []).flatMap((gsi) =>
        gsi.IndexName === undefined ? [] : [gsi.IndexName],
      );
      if (indexes.length === 0)
        throw new Error(`Function '${definition.name}' may query the indexes of table '${grant.table}', which has none`);
      // Each index by name rather than `<table-arn>/index/*`: no wildcard to acknowledge.
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((name) => `${target.table.tableArn}/index/${name}`),
        }),
      );
    }
    const writes = grant.actions.some((a) => a !== 'read');
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: writes ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt', 'kms:DescribeKey'],
        resources: [targets.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
      }),
    );
  }

  for (const grant of permissions.buckets ?? []) {
    const bucket = targets.buckets.get(grant.bucket);
    if (bucket === undefined)
      throw new Error(`Function '${definition.name}' is granted bucket '${grant.bucket}', which the manifest does not define`);
    const objectActions = [...new Set(grant.actions.flatMap((a) => (a === 'list' ? [] : BUCKET_ACTIONS[a])))].sort();
    const prefixes = grant.prefixes ?? [''];
    if (objectActions.length > 0) {
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: objectActions, resources: prefixes.map((p) => `${bucket.bucketArn}/${p}*`) }),
      );
    }
    if (grant.actions.includes('list')) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          ...(grant.prefixes === undefined ? {} : { conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } } }),
        }),
      );
    }
    const writes = grant.actions.includes('write');
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: writes ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt', 'kms:DescribeKey'],
        resources: [targets.bucketKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
      }),
    );
    // Objects are named by the exports themselves (batch ids, parts), so the grant covers keys under a prefix.
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucket.logicalId}.Arn>/${prefixes.length === 1 ? prefixes[0] : ''}*]`,
      reason: `Object-level S3 actions on keys under ${prefixes.map((p) => `'${p || '(the bucket)'}'`).join(', ')} of the ${grant.bucket} bucket: exports name their objects by batch and part, so the resource is a key prefix, not a fixed key.`,
    });
  }

  if (permissions.sendEmail === true) targets.grantSendEmail(made);

  if ((permissions.startExecution ?? []).length > 0) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: (permissions.startExecution ?? []).map((name) => targets.stateMachineArn(name)),
      }),
    );
  }

  if ((permissions.taskResponse ?? []).length > 0) {
    // The Service Authorization Reference lists no resource type for these actions, yet Step Functions
    // authorizes them against the ARN of the state machine that issued the token (an AccessDenied names
    // `...:stateMachine:<name>`), which is what CDK's grantTaskResponse scopes to. So: that ARN, not "*".
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: (permissions.taskResponse ?? []).map((name) => targets.stateMachineArn(name)),
      }),
    );
  }
}
