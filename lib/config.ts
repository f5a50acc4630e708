/**
 * Stage configuration (dev, prod), checked by zod before any construct is built. The only place stage values
 * live; no resource names here (CloudFormation chooses them). `bin/app.ts` may override a few values from CDK
 * context (`-c account=... -c region=... -c mailDomain=... -c mailFrom=... -c alarmEmail=...`, and the edge:
 * `-c domainName=... -c hostedZoneId=... -c hostedZoneName=... -c certificateArn=...`), and the result is
 * validated again, so a bad override fails synth with the field's name.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

const dnsName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, { error: 'must be a lower-case DNS domain' });

/**
 * The production edge (issue 15 item 5): a CloudFront distribution on a custom domain in front of the HTTP API,
 * behind an AWS WAF web ACL (WAF cannot be associated with an HTTP API; docs/decisions.md). Everything is given,
 * nothing is looked up: the hosted zone by id and name, and the certificate by ARN. CloudFront only takes ACM
 * certificates from us-east-1, so the ARN must name that region (request it there, DNS-validated in the zone).
 */
export const edgeSchema = z
  .object({
    /** The public name of the API, the approval pages and the workspace, e.g. `app.s117.example.org`. */
    domainName: dnsName,
    /** The Route 53 public hosted zone the alias record goes in: its id and its name (the domain is in it). */
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, { error: 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ' }),
    hostedZoneName: dnsName,
    /** An ACM certificate in us-east-1 covering domainName (CloudFront reads certificates from us-east-1 only). */
    certificateArn: z.string().regex(/^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/, {
      error: 'must be the ARN of an ACM certificate in us-east-1 (CloudFront takes certificates from us-east-1 only)',
    }),
    /**
     * WAF rate rule on the public approval pages (/approvals/*): requests per client IP in any
     * `approvalsRateWindowSeconds` before WAF blocks that IP (WAF's minimum limit is 10).
     */
    approvalsRateLimit: z.number().int().min(10).max(2_000_000_000),
    approvalsRateWindowSeconds: z.union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)]),
  })
  .refine((e) => e.domainName === e.hostedZoneName || e.domainName.endsWith(`.${e.hostedZoneName}`), {
    error: 'domainName must be in the hosted zone (hostedZoneName or a name under it)',
    path: ['domainName'],
  });

export type EdgeConfig = z.infer<typeof edgeSchema>;

const retentionDays = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');

export const stageConfigSchema = z
  .object({
    stage: z.enum(STAGES),
    /** Target account; omitted, the stack is account-agnostic (the CLI's credentials decide). */
    account: z
      .string()
      .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })
      .optional(),
    /**
     * Target region. Required: a TableV2 encrypted with a customer-managed key cannot be synthesised
     * region-agnostic (the replica SSE specification names the region). London by default (NHS England data).
     */
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: 'must be an AWS region such as eu-west-2' }),
    mail: z.object({
      /** The SES domain identity (DKIM records to add to DNS are in the SES console after deploy). */
      domain: dnsName,
      /** The From address of every message; must be at `domain`. */
      fromAddress: z.email(),
    }),
    /** DynamoDB deletion protection and RETAIN removal policies for data (table, its key). Off in dev, on in prod. */
    deletionProtection: z.boolean(),
    /** Retention of every log group (functions, state machines, API access logs). */
    logRetentionDays: z.number().refine((d) => retentionDays.includes(d as RetentionDays), {
      error: `must be one of CloudWatch Logs' retention periods: ${retentionDays.join(', ')}`,
    }),
    api: z.object({
      /** Default stage steady-state requests per second. */
      throttlingRateLimit: z.number().int().positive(),
      /** Default stage burst (bucket size). */
      throttlingBurstLimit: z.number().int().positive(),
    }),
    /**
     * The production edge (custom domain, CloudFront, WAF). Omitted, the API is served on its execute-api
     * address and approval links in mail use it (fine for dev, not for panel members' inboxes).
     */
    edge: edgeSchema.optional(),
    /** Subscribed to the alarm topic when set (the subscription needs confirming from the inbox). */
    alarmEmail: z.email().optional(),
    exports: z.object({
      /**
       * Days the exports bucket's server access logs are kept (at least a year). Exported batches themselves
       * are the finance record and are kept seven years; the parts of a running export, one day (constructs/exports.ts).
       */
      objectExpiryDays: z.number().int().min(1).max(3650),
    }),
    cognito: z.object({
      /** Users sign in with a second factor (TOTP). AwsSolutions-COG2 wants it on. */
      mfaRequired: z.boolean(),
      /** Cognito threat protection (Plus feature plan, charged per user) enforcing on sign-in. AwsSolutions-COG3. */
      threatProtection: z.boolean(),
      accessTokenMinutes: z.number().int().min(5).max(1440),
      idTokenMinutes: z.number().int().min(5).max(1440),
      refreshTokenDays: z.number().int().min(1).max(3650),
      passwordMinLength: z.number().int().min(8).max(99),
      /** The hosted sign-in's Cognito domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique per region. */
      hostedDomainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    }),
    lambda: z.object({
      /** Default memory for functions whose manifest entry gives none. */
      memoryMb: z.number().int().min(128).max(10240),
      /** Default timeout for functions whose manifest entry gives none. */
      timeoutSeconds: z.number().int().min(1).max(900),
      /** POWERTOOLS_LOG_LEVEL. */
      logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
    }),
  })
  .refine((c) => c.mail.fromAddress.toLowerCase().endsWith(`@${c.mail.domain}`), {
    error: 'mail.fromAddress must be an address at mail.domain',
    path: ['mail', 'fromAddress'],
  });

export type StageConfig = z.infer<typeof stageConfigSchema>;

/** Values a deployment may override from CDK context; everything else is reviewed in this file. */
export interface StageOverrides {
  account?: string;
  region?: string;
  mailDomain?: string;
  mailFrom?: string;
  alarmEmail?: string;
  /** The edge's domain, hosted zone and certificate (each replaces the stage's value; the rest of the edge stays). */
  domainName?: string;
  hostedZoneId?: string;
  hostedZoneName?: string;
  certificateArn?: string;
}

const EDGE_OVERRIDES = ['domainName', 'hostedZoneId', 'hostedZoneName', 'certificateArn'] as const;

const BASE: Record<Stage, z.input<typeof stageConfigSchema>> = {
  dev: {
    stage: 'dev',
    region: 'eu-west-2',
    mail: { domain: 'dev.s117.example.org', fromAddress: 'no-reply@dev.s117.example.org' },
    deletionProtection: false,
    logRetentionDays: RetentionDays.ONE_MONTH,
    api: { throttlingRateLimit: 20, throttlingBurstLimit: 40 },
    exports: { objectExpiryDays: 7 },
    cognito: {
      mfaRequired: true,
      threatProtection: false,
      accessTokenMinutes: 60,
      idTokenMinutes: 60,
      refreshTokenDays: 1,
      passwordMinLength: 12,
      hostedDomainPrefix: 's117-dev-workspace',
    },
    lambda: { memoryMb: 512, timeoutSeconds: 10, logLevel: 'DEBUG' },
  },
  prod: {
    stage: 'prod',
    region: 'eu-west-2',
    mail: { domain: 's117.example.org', fromAddress: 'no-reply@s117.example.org' },
    deletionProtection: true,
    logRetentionDays: RetentionDays.ONE_YEAR,
    api: { throttlingRateLimit: 100, throttlingBurstLimit: 200 },
    exports: { objectExpiryDays: 90 },
    cognito: {
      mfaRequired: true,
      threatProtection: true,
      accessTokenMinutes: 60,
      idTokenMinutes: 60,
      refreshTokenDays: 1,
      passwordMinLength: 14,
      hostedDomainPrefix: 's117-workspace',
    },
    lambda: { memoryMb: 512, timeoutSeconds: 10, logLevel: 'INFO' },
    // Placeholders in the shape of the real values: a deployment gives its own with -c (docs/deployment.md).
    edge: {
      domainName: 'app.s117.example.org',
      hostedZoneId: 'Z0000000000000EXAMPLE',
      hostedZoneName: 's117.example.org',
      certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-000000000000',
      approvalsRateLimit: 100,
      approvalsRateWindowSeconds: 300,
    },
  },
};

/** The stage's configuration with any overrides, validated; throws naming every bad field. */
export function loadStageConfig(stage: string, overrides: StageOverrides = {}): StageConfig {
  const name = z.enum(STAGES, { error: `stage must be one of ${STAGES.join(', ')} (got '${stage}')` }).parse(stage);
  const base = BASE[name];
  const mailDomain = overrides.mailDomain ?? base.mail.domain;
  const edgeOverrides = Object.fromEntries(EDGE_OVERRIDES.flatMap((k) => (overrides[k] === undefined ? [] : [[k, overrides[k]]])));
  const edge =
    Object.keys(edgeOverrides).length === 0
      ? base.edge
      : { approvalsRateLimit: 100, approvalsRateWindowSeconds: 300 as const, ...base.edge, ...edgeOverrides };
  const candidate = {
    ...base,
    ...(overrides.account === undefined ? {} : { account: overrides.account }),
    ...(overrides.region === undefined ? {} : { region: overrides.region }),
    ...(overrides.alarmEmail === undefined ? {} : { alarmEmail: overrides.alarmEmail }),
    ...(edge === undefined ? {} : { edge }),
    mail: {
      domain: mailDomain,
      fromAddress: overrides.mailFrom ?? (overrides.mailDomain === undefined ? base.mail.fromAddress : `no-reply@${mailDomain}`),
    },
  };
  const parsed = stageConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new Error(`Invalid ${name} stage configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
