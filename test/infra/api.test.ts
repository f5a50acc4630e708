import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appManifest } from '#lib/app-manifest.ts';
import { loadStageConfig } from '#lib/config.ts';
import { iamManifest } from './fixture-manifest.ts';
import { logicalId, synth, type Synthesised } from './support.ts';

let real: Synthesised;
let fixture: Synthesised;
beforeAll(() => {
  real = synth('prod');
  fixture = synth('dev', iamManifest);
});

const routes = (s: Synthesised) =>
  Object.values(s.template.findResources('AWS::ApiGatewayV2::Route')).map((r) => (r as { Properties: Record<string, unknown> }).Properties);
const authorizerId = (s: Synthesised) => ({ Ref: Object.keys(s.template.findResources('AWS::ApiGatewayV2::Authorizer'))[0] });

describe('routes', () => {
  it.each(appManifest.routes.map((r) => [`${r.method} ${r.path}`, r.auth ?? 'jwt'] as const))('%s (%s)', (routeKey, auth) => {
    const route = routes(real).find((r) => r['RouteKey'] === routeKey);
    expect(route?.['RouteKey']).toBe(routeKey);
    if (auth === 'jwt')
      expect({ type: route?.['AuthorizationType'], id: route?.['AuthorizerId'] }).toStrictEqual({ type: 'JWT', id: authorizerId(real) });
    else expect({ type: route?.['AuthorizationType'], id: route?.['AuthorizerId'] }).toStrictEqual({ type: 'NONE', id: undefined });
  });

  it("a route without `auth` gets the JWT authorizer, and 'none' gets none", () => {
    expect(routes(fixture).map((r) => [r['RouteKey'], r['AuthorizationType']])).toStrictEqual([
      ['GET /v1/things/{id}', 'JWT'],
      ['GET /v1/things', 'JWT'],
      ['GET /v1/public', 'NONE'],
    ]);
  });

  it('the authorizer checks Cognito ID tokens of the app client', () => {
    real.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(real.stack.api.userPoolClient) }],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-2.amazonaws.com/', { Ref: logicalId(real.stack.api.userPool) }]] },
      },
    });
  });
});

describe('stage and users', () => {
  it('the default stage is throttled and writes access logs to an encrypted log group', () => {
    real.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('requestId'),
      },
    });
    real.template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
  });

  it('users carry custom:org and custom:role, which the app client can read but not write', () => {
    real.template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'org', Mutable: true }), Match.objectLike({ Name: 'role', Mutable: true })]),
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: 'PLUS',
    });
    real.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ReadAttributes: Match.arrayWith(['custom:org', 'custom:role']),
      WriteAttributes: ['email', 'name'],
      GenerateSecret: false,
    });
  });

  it('the workspace signs in at the hosted domain with authorization code (PKCE, no secret) back to /app/callback', () => {
    real.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 's117-workspace' });
    // prod serves the workspace on its own domain (constructs/edge.ts); a stage without an edge on execute-api.
    const endpoint = `https://${loadStageConfig('prod').edge?.domainName}`;
    const devEndpoint = { 'Fn::GetAtt': [logicalId(fixture.stack.api.httpApi), 'ApiEndpoint'] };
    fixture.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [{ 'Fn::Join': ['', [devEndpoint, '/app/callback']] }],
    });
    real.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(['openid', 'profile']),
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [`${endpoint}/app/callback`],
      LogoutURLs: [`${endpoint}/app/signed-out`],
      ReadAttributes: Match.arrayWith(['custom:org', 'custom:role']),
      GenerateSecret: false,
    });
  });
});
