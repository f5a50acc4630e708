/**
 * The s117 deployment: built from the app manifest (lib/app-manifest.ts), the same description the local runtime
 * deploys, so what runs locally is what deploys. This file only composes constructs and resolves the manifest's
 * references (`function:`, `table:`, `table-arn:`, `state-machine:`, `secret:`, `runtime:`) to CDK tokens.
 */
import {
  CfnOutput,
  Duration,
  Lazy,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  Validations,
  type CfnElement,
  type StackProps,
} from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { appManifest, parseReference, type AppManifest } from './app-manifest.ts';
import type { StageConfig } from './config.ts';
import { Alarms, makeOperationsKey } from './constructs/alarms.ts';
import { Api } from './constructs/api.ts';
import { Data, pascal } from './constructs/data.ts';
import { Edge, EdgeWafStack } from './constructs/edge.ts';
import { Email } from './constructs/email.ts';
import { Exports } from './constructs/exports.ts';
import { grantDeclared, makeFunction, type MadeFunction } from './constructs/lambda.ts';
import { stateMachineArn, Workflows } from './constructs/workflows.ts';

export interface S117StackProps extends StackProps {
  config: StageConfig;
  /** The manifest to deploy; the app's own by default (tests pass fixtures). */
  manifest?: AppManifest;
}

export class S117Stack extends Stack {
  readonly data: Data;
  readonly api: Api;
  readonly email: Email;
  readonly exports: Exports;
  readonly functions: ReadonlyMap<string, MadeFunction>;
  readonly workflows: Workflows;
  readonly alarms: Alarms;
  /** The production edge (custom domain, CloudFront, WAF) when the stage configures one. */
  readonly edge: Edge | undefined;
  /** The us-east-1 stack holding the edge's web ACL (a sibling in the same app) when the stage has an edge. */
  readonly edgeWaf: EdgeWafStack | undefined;

  constructor(scope: Construct, id: string, props: S117StackProps) {
    const { config } = props;
    super(scope, id, {
      ...props,
      env: { region: config.region, ...(config.account === undefined ? {} : { account: config.account }) },
      description: `s117: section 117 aftercare funding (${config.stage})`,
    });
    const manifest = props.manifest ?? appManifest;
    checkManifest(manifest);
    const removalPolicy = config.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const opsKey = makeOperationsKey(this, 'OperationsKey', removalPolicy);
    this.data = new Data(this, 'Data', { tables: manifest.tables, deletionProtection: config.deletionProtection });
    this.email = new Email(this, 'Email', { domain: config.mail.domain, fromAddress: config.mail.fromAddress });
    this.exports = new Exports(this, 'Exports', { key: this.data.key, objectExpiryDays: config.exports.objectExpiryDays });
    this.api = new Api(this, 'Api', {
      cognito: config.cognito,
      throttling: config.api,
      deletionProtection: config.deletionProtection,
      logRetention: config.logRetentionDays,
      logKey: opsKey,
      removalPolicy,
      publicUrl: config.edge === undefined ? undefined : `https://${config.edge.domainName}`,
    });

    if (config.edge === undefined) {
      this.edge = undefined;
      this.edgeWaf = undefined;
    } else {
      this.edgeWaf = new EdgeWafStack(scope, `${id}-edge-waf`, {
        edge: config.edge,
        metricPrefix: `s117-${config.stage}`,
        description: `s117: the CloudFront web ACL of ${config.edge.domainName} (${config.stage})`,
        ...(config.account === undefined ? {} : { env: { account: config.account } }),
      });
      this.edge = new Edge(this, 'Edge', {
        edge: config.edge,
        httpApi: this.api.httpApi,
        webAclArn: Stack.consumeReference(this.edgeWaf.webAcl.attrArn, ReferenceStrength.WEAK),
      });
      this.addStackDependency(this.edgeWaf, 'the distribution names the web ACL');
    }

    const functions = new Map<string, MadeFunction>();
    const secrets = new Map<string, Secret>();
    const functionArn = (name: string): string => {
      if (!manifest.functions.some((f) => f.name === name)) throw new Error(`The manifest has no function named '${name}'`);
      return Lazy.string({
        produce: () => {
          const made = functions.get(name);
          if (made === undefined) throw new Error(`Function '${name}' was referenced before it was made`);
          return made.fn.functionArn;
        },
      });
    };
    const machineArn = (name: string): string => {
      if (!manifest.stateMachines.some((m) => m.name === name)) throw new Error(`The manifest has no state machine named '${name}'`);
      return stateMachineArn(this, name);
    };
    const table = (name: string) => {
      const found = this.data.tables.get(name);
      if (found === undefined) throw new Error(`The manifest has no table named '${name}'`);
      return found;
    };
    const resolve = (value: string): string => {
      const ref = parseReference(value);
      if (ref === undefined) return value;
      switch (ref.kind) {
        case 'function':
          return functionArn(ref.name);
        case 'table':
          return table(ref.name).tableName;
        case 'table-arn':
          return table(ref.name).tableArn;
        case 'state-machine':
          return machineArn(ref.name);
        case 'secret':
          // The secret's ARN, never its value: the function reads it at run time (functions/adapters/secrets).
          return this.#secret(secrets, ref.name).secretArn;
        case 'runtime':
          switch (ref.name) {
            case 'api-url':
              // The public base URL: the stage's domain when it has an edge (approval links in mail use it).
              return this.edge?.url ?? this.api.url;
            case 'ses-url':
              return `https://email.${this.region}.${this.urlSuffix}`;
            case 'oidc-issuer':
              return this.api.oidcIssuer;
            case 'oidc-client-id':
              return this.api.workspaceClient.userPoolClientId;
          }
          break;
        case 'bucket':
          if (ref.name !== 'exports') throw new Error(`The stack has no bucket named '${ref.name}'`);
          return this.exports.bucket.bucketName;
      }
    };

    for (const definition of manifest.functions) {
      functions.set(
        definition.name,
        makeFunction(this, definition, {
          serviceName: 's117',
          logLevel: config.lambda.logLevel,
          logRetention: config.logRetentionDays,
          logKey: opsKey,
          removalPolicy,
          defaultMemoryMb: config.lambda.memoryMb,
          defaultTimeoutSeconds: config.lambda.timeoutSeconds,
          resolve,
          deploymentEnvironment: this.email.deploymentEnvironment(),
        }),
      );
    }
    this.functions = functions;

    // A function whose environment names a secret may read that secret's value, and do nothing else with it.
    for (const definition of manifest.functions) {
      const made = functions.get(definition.name);
      const names = Object.values(definition.environment ?? {}).flatMap((value) => {
        const ref = parseReference(value);
        return ref?.kind === 'secret' ? [ref.name] : [];
      });
      if (made === undefined || names.length === 0) continue;
      made.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [...new Set(names)].map((name) => this.#secret(secrets, name).secretArn),
        }),
      );
    }

    for (const definition of manifest.functions) {
      const made = functions.get(definition.name);
      if (made === undefined) continue;
      for (const schedule of definition.schedules ?? []) {
        new Rule(this, `${pascal(definition.name)}Schedule${schedule.name === undefined ? '' : pascal(schedule.name)}`, {
          description: `s117: runs ${definition.name}${schedule.name === undefined ? '' : ` (${schedule.name})`} every ${schedule.rateMinutes} minutes`,
          schedule: Schedule.rate(Duration.minutes(schedule.rateMinutes)),
          targets: [
            new LambdaFunction(made.fn, {
              retryAttempts: 0,
              ...(schedule.event === undefined ? {} : { event: RuleTargetInput.fromObject(schedule.event) }),
            }),
          ],
        });
      }
    }

    for (const route of manifest.routes) {
      const made = functions.get(route.function);
      if (made === undefined)
        throw new Error(`Route ${route.method} ${route.path} names function '${route.function}', which the manifest does not define`);
      this.api.addRoute(route, made.fn);
    }

    this.workflows = new Workflows(this, 'Workflows', {
      stateMachines: manifest.stateMachines,
      functionArn,
      resolve,
      logRetention: config.logRetentionDays,
      logKey: opsKey,
      removalPolicy,
    });

    const tables = new Map(manifest.tables.map((definition) => [definition.name, { table: table(definition.name), definition }]));
    for (const made of functions.values()) {
      grantDeclared(made, {
        tables,
        dataKey: this.data.key,
        grantSendEmail: (f) => this.email.grantSendEmail(f),
        stateMachineArn: machineArn,
        buckets: new Map([
          [
            'exports',
            { bucketArn: this.exports.bucket.bucketArn, logicalId: this.getLogicalId(this.exports.bucket.node.defaultChild as CfnElement) },
          ],
        ]),
        bucketKey: this.data.key,
      });
    }

    this.alarms = new Alarms(this, 'Alarms', {
      key: opsKey,
      alarmEmail: config.alarmEmail,
      stateMachines: this.workflows.stateMachines,
      functions: new Map([...functions].map(([name, made]) => [name, made.fn])),
      httpApi: this.api.httpApi,
      email: this.email,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.edge?.url ?? this.api.url });
    if (this.edge !== undefined) new CfnOutput(this, 'DistributionDomainName', { value: this.edge.distribution.distributionDomainName });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'WorkspaceClientId', { value: this.api.workspaceClient.userPoolClientId });
    new CfnOutput(this, 'HostedSignInUrl', { value: this.api.hostedDomain.baseUrl() });
    new CfnOutput(this, 'ExportsBucketName', { value: this.exports.bucket.bucketName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }

  /** One generated Secrets Manager secret per `secret:<name>`, shared by every function that names it. */
  #secret(secrets: Map<string, Secret>, name: string): Secret {
    let secret = secrets.get(name);
    if (secret === undefined) {
      secret = new Secret(this, `${pascal(name)}Secret`, {
        description: `s117 secret '${name}' (manifest reference secret:${name})`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: `secret:${name} keys a stable pseudonym (e.g. the HMAC person reference): rotating it would split each person's records in two. Rotation needs a re-keying migration, not a schedule.`,
      });
      secrets.set(name, secret);
    }
    return secret;
  }
}

/** Fails synth on a manifest that names something twice. */
function checkManifest(manifest: AppManifest): void {
  for (const [kind, names] of [
    ['function', manifest.functions.map((f) => f.name)],
    ['state machine', manifest.stateMachines.map((m) => m.name)],
    ['table', manifest.tables.map((t) => t.name)],
  ] as const) {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw new Error(`The manifest has two ${kind}s named '${name}'`);
      seen.add(name);
    }
  }
}
