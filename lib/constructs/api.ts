/**
 * The HTTP API (API Gateway v2, payload 2.0): the manifest's routes, a JWT authorizer on a Cognito user pool for
 * `auth: 'jwt'` routes (the default) and none for `auth: 'none'`, default-stage throttling, and JSON access logs
 * to a KMS-encrypted log group. The pool's users carry `custom:org` and `custom:role`, which only an
 * administrator can set (the app client cannot write them); callers send the ID token as `Bearer`.
 */
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  StringAttribute,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../app-manifest.ts';
import type { StageConfig } from '../config.ts';
import { pascal } from './data.ts';

export interface ApiProps {
  cognito: StageConfig['cognito'];
  throttling: StageConfig['api'];
  deletionProtection: boolean;
  logRetention: RetentionDays;
  logKey: IKey;
  removalPolicy: RemovalPolicy;
  /** The public base URL when the stage serves the API on its own domain (constructs/edge.ts); the workspace's callbacks. */
  publicUrl?: string | undefined;
}

const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  user: '$context.authorizer.claims.sub',
};

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The workspace's client (issue 16): the hosted sign-in with authorization code + PKCE, no secret. */
  readonly workspaceClient: UserPoolClient;
  readonly hostedDomain: UserPoolDomain;
  readonly #authorizer: HttpUserPoolAuthorizer;
  readonly #integrations = new Map<string, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { cognito } = props;
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: {
        org: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        role: new StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
      },
      mfa: cognito.mfaRequired ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: cognito.passwordMinLength,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.threatProtection ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(cognito.threatProtection ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    if (!cognito.threatProtection) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: 'Threat protection needs the Plus feature plan, charged per active user; it is on in prod and off in dev (no real users).',
      });
    }
    if (!cognito.mfaRequired) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: 'MFA is optional in this stage by configuration (lib/config.ts).',
      });
    }
    const standard = { email: true, fullname: true, emailVerified: true };
    this.userPoolClient = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(cognito.accessTokenMinutes),
      idTokenValidity: Duration.minutes(cognito.idTokenMinutes),
      refreshTokenValidity: Duration.days(cognito.refreshTokenDays),
      readAttributes: new ClientAttributes().withStandardAttributes(standard).withCustomAttributes('org', 'role'),
      // custom:org and custom:role decide what a caller may see: only an administrator sets them.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
    this.#authorizer = new HttpUserPoolAuthorizer('Cognito', this.userPool, { userPoolClients: [this.userPoolClient] });

    this.httpApi = new HttpApi(this, 'HttpApi', { createDefaultStage: false, description: 's117 API' });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.removalPolicy,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttling.throttlingRateLimit, burstLimit: props.throttling.throttlingBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    this.hostedDomain = this.userPool.addDomain('HostedSignIn', { cognitoDomain: { domainPrefix: cognito.hostedDomainPrefix } });
    this.workspaceClient = this.userPool.addClient('WorkspaceClient', {
      generateSecret: false,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.PROFILE],
        callbackUrls: [`${props.publicUrl ?? this.url}/app/callback`],
        logoutUrls: [`${props.publicUrl ?? this.url}/app/signed-out`],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(cognito.accessTokenMinutes),
      idTokenValidity: Duration.minutes(cognito.idTokenMinutes),
      refreshTokenValidity: Duration.days(cognito.refreshTokenDays),
      readAttributes: new ClientAttributes().withStandardAttributes(standard).withCustomAttributes('org', 'role'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
  }

  /** The OpenID Connect issuer of the user pool (what `runtime:oidc-issuer` resolves to); ProviderURL has no scheme. */
  get oidcIssuer(): string {
    return `https://${this.userPool.userPoolProviderUrl}`;
  }

  /** The API's base URL, without a trailing slash (what `runtime:api-url` resolves to). */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }

  /** Adds a manifest route answered by `fn`. */
  addRoute(route: RouteDefinition, fn: IFunction): void {
    let integration = this.#integrations.get(route.function);
    if (integration === undefined) {
      // One invoke permission per function, for this API only (`*/*/*`), rather than one per route: API Gateway can
      // only invoke a function through the routes integrated with it, and per-route permissions cost a CloudFormation
      // resource each against the stack's 500 (see docs/decisions.md).
      integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, fn, { scopePermissionToRoute: false });
      this.#integrations.set(route.function, integration);
    }
    const auth = route.auth ?? 'jwt';
    const authorizer: IHttpRouteAuthorizer = auth === 'jwt' ? this.#authorizer : new HttpNoneAuthorizer();
    const [route0] = this.httpApi.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, authorizer });
    if (auth === 'none' && route0 !== undefined) {
      Validations.of(route0).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is public by design (manifest auth: 'none'); the function answers without caller data.`,
      });
    }
  }
}
