/**
 * The production edge (issue 15 item 5), as `cdk synth -c stage=prod` builds it: the custom domain on CloudFront
 * in front of the HTTP API, the CLOUDFRONT-scope web ACL (in its us-east-1 stack) associated with the
 * distribution, approval links built from the domain, and no function holding the person-reference key.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appManifest, parseReference } from '#lib/app-manifest.ts';
import { loadStageConfig } from '#lib/config.ts';
import { APPROVALS_PATH_PREFIX } from '#lib/constructs/edge.ts';
import { actionsOf, logicalId, roleStatements, synth, type Synthesised } from './support.ts';

let prod: Synthesised;
let dev: Synthesised;
let waf: Template;
const edge = loadStageConfig('prod').edge;
beforeAll(() => {
  prod = synth('prod');
  dev = synth('dev');
  if (prod.stack.edgeWaf === undefined) throw new Error('prod has no edge');
  waf = Template.fromStack(prod.stack.edgeWaf);
});

const distributionConfig = () =>
  (
    Object.values(prod.template.findResources('AWS::CloudFront::Distribution'))[0] as {
      Properties: { DistributionConfig: Record<string, unknown> };
    }
  ).Properties.DistributionConfig;

describe('the production edge', () => {
  it('prod configures a domain, and dev has none (no distribution, no web ACL stack)', () => {
    expect(edge?.domainName).toBe('app.s117.example.org');
    expect(dev.template.findResources('AWS::CloudFront::Distribution')).toStrictEqual({});
    expect(dev.stack.edgeWaf).toBeUndefined();
  });

  it('serves the domain on CloudFront with the given us-east-1 certificate, TLS 1.2+, in front of the HTTP API', () => {
    const config = distributionConfig();
    expect(config['Aliases']).toStrictEqual([edge?.domainName]);
    expect(config['ViewerCertificate']).toStrictEqual({
      AcmCertificateArn: edge?.certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    const [origin] = config['Origins'] as { DomainName: unknown; CustomOriginConfig: Record<string, unknown> }[];
    expect(JSON.stringify(origin?.DomainName)).toContain(logicalId(prod.stack.api.httpApi));
    expect(origin?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });

  it('aliases the domain to the distribution in the given hosted zone (A and AAAA), no lookup', () => {
    for (const type of ['A', 'AAAA']) {
      prod.template.hasResourceProperties('AWS::Route53::RecordSet', {
        Type: type,
        Name: `${edge?.domainName}.`,
        HostedZoneId: edge?.hostedZoneId,
        AliasTarget: { DNSName: { 'Fn::GetAtt': [logicalId(prod.stack.edge?.distribution as never), 'DomainName'] } },
      });
    }
  });

  it('associates the web ACL of the us-east-1 stack with the distribution', () => {
    expect(prod.stack.edgeWaf?.region).toBe('us-east-1');
    const aclId = logicalId(prod.stack.edgeWaf?.webAcl as never);
    const outputs = waf.toJSON().Outputs as Record<string, { Value: unknown }>;
    const output = Object.entries(outputs).find(([, o]) => JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [aclId, 'Arn'] }));
    expect(output).toBeDefined();
    expect(distributionConfig()['WebACLId']).toStrictEqual({
      'Fn::GetStackOutput': { StackName: prod.stack.edgeWaf?.stackName, OutputName: output?.[0], Region: 'us-east-1' },
    });
    expect(prod.stack.dependencies).toContain(prod.stack.edgeWaf);
  });

  it('the web ACL runs the managed common and known-bad-inputs rule groups and a rate rule on the approval pages', () => {
    const [acl] = Object.values(waf.findResources('AWS::WAFv2::WebACL')) as { Properties: Record<string, unknown> }[];
    expect(acl?.Properties['Scope']).toBe('CLOUDFRONT');
    expect(acl?.Properties['DefaultAction']).toStrictEqual({ Allow: {} });
    const rules = acl?.Properties['Rules'] as { Name: string; Statement: Record<string, Record<string, unknown>>; Action?: unknown }[];
    expect(rules.map((r) => [r.Name, r.Statement['ManagedRuleGroupStatement']?.['Name']])).toStrictEqual([
      ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesCommonRuleSet'],
      ['AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'],
      ['ApprovalsRateLimit', undefined],
    ]);
    expect(rules[2]?.Action).toStrictEqual({ Block: {} });
    expect(rules[2]?.Statement['RateBasedStatement']).toStrictEqual({
      Limit: edge?.approvalsRateLimit,
      EvaluationWindowSec: edge?.approvalsRateWindowSeconds,
      AggregateKeyType: 'IP',
      ScopeDownStatement: {
        ByteMatchStatement: {
          FieldToMatch: { UriPath: {} },
          PositionalConstraint: 'STARTS_WITH',
          SearchString: APPROVALS_PATH_PREFIX,
          TextTransformations: [{ Priority: 0, Type: 'NONE' }],
        },
      },
    });
  });

  it('approval links and the workspace sign-in are built from the domain, not the execute-api address', () => {
    const functions = Object.values(prod.template.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment?: { Variables: Record<string, unknown> } };
    }[];
    const bases = functions.flatMap((f) => {
      const base = f.Properties.Environment?.Variables['APP_BASE_URL'];
      return base === undefined ? [] : [base];
    });
    expect(bases.length).toBeGreaterThan(0);
    expect(new Set(bases)).toStrictEqual(new Set([`https://${edge?.domainName}`]));
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [`https://${edge?.domainName}/app/callback`],
      LogoutURLs: [`https://${edge?.domainName}/app/signed-out`],
    });
  });

  it('alarms on timed-out executions of every state machine, in the production stage too', () => {
    const timedOut = Object.values(prod.template.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => (a as { Properties: { MetricName: string; Dimensions: { Value: unknown }[] } }).Properties)
      .filter((a) => a.MetricName === 'ExecutionsTimedOut')
      .map((a) => JSON.stringify(a.Dimensions[0]?.Value));
    expect(appManifest.stateMachines.length).toBeGreaterThan(0);
    for (const machine of appManifest.stateMachines) {
      expect(timedOut).toContain(JSON.stringify({ Ref: logicalId(prod.stack.workflows.stateMachines.get(machine.name) as never) }));
    }
  });

  it('no function holds the person-reference key: the environment has the secret ARN, the role GetSecretValue on it alone', () => {
    const secrets = Object.keys(prod.template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    const secretRef = { Ref: secrets[0] };
    const readers = appManifest.functions.filter((f) =>
      Object.values(f.environment ?? {}).some((v) => parseReference(v)?.kind === 'secret'),
    );
    expect(readers.map((f) => f.name)).toContain('create-application');
    for (const definition of appManifest.functions) {
      const made = prod.stack.functions.get(definition.name);
      const resource = prod.template.toJSON().Resources[logicalId(made?.fn as never)] as {
        Properties: { Environment?: { Variables: Record<string, unknown> } };
      };
      const variables = resource.Properties.Environment?.Variables ?? {};
      // Neither the key nor a dynamic reference that CloudFormation would resolve to it.
      expect(JSON.stringify(variables)).not.toMatch(/resolve:secretsmanager|PERSON_REF_KEY"/);
      const reads = roleStatements(prod.template, logicalId(made?.role as never)).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('secretsmanager:')),
      );
      if (readers.includes(definition)) {
        expect(variables['PERSON_REF_KEY_SECRET']).toStrictEqual(secretRef);
        expect(reads.map((st) => [st.Effect, actionsOf(st), st.Resource])).toStrictEqual([
          ['Allow', ['secretsmanager:GetSecretValue'], secretRef],
        ]);
      } else {
        expect(variables['PERSON_REF_KEY_SECRET']).toBeUndefined();
        expect(reads).toStrictEqual([]);
      }
    }
  });
});
