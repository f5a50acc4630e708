/**
 * The production edge (issue 15 item 5): the custom domain, CloudFront and AWS WAF.
 *
 * AWS WAF cannot be associated with an API Gateway HTTP API (only REST APIs, ALBs, CloudFront, AppSync, Cognito,
 * App Runner, Verified Access), so the HTTP API is served through a CloudFront distribution on the stage's domain
 * and the web ACL is associated with the distribution. A CLOUDFRONT-scope web ACL can only be created in
 * us-east-1: it lives in its own small stack there (`EdgeWafStack`), and the application stack reads its ARN with
 * `Fn::GetStackOutput` (a weak cross-region reference: no custom resources). The certificate is given by ARN (it
 * must be in us-east-1 for CloudFront) and the hosted zone by id and name: nothing is looked up at synth.
 */
import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import type { EdgeConfig } from '../config.ts';

/** The public approval pages: the routes the rate rule watches (functions/panels/routes.ts). */
export const APPROVALS_PATH_PREFIX = '/approvals/';

/** The AWS managed rule groups on the web ACL, in priority order. */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

export interface EdgeWafStackProps extends StackProps {
  edge: EdgeConfig;
  /** Prefix of the CloudWatch metric names (the stage). */
  metricPrefix: string;
}

/** The CLOUDFRONT-scope web ACL, in us-east-1 (where WAF requires it). */
export class EdgeWafStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeWafStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: 'us-east-1' } });
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.metricPrefix}-${name}`,
    });
    const managed = MANAGED_RULE_GROUPS.map((name, priority): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          // The common rule set blocks bodies over 8 KB; the API takes JSON up to 256 KiB and answers a larger
          // one itself with a problem+json 413 (functions/shared/middy.ts), so that one rule only counts.
          ...(name === 'AWSManagedRulesCommonRuleSet'
            ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    }));
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: `s117 edge - managed common and known-bad-inputs rules, a rate limit on ${APPROVALS_PATH_PREFIX}`,
      defaultAction: { allow: {} },
      visibilityConfig: visibility('web-acl'),
      rules: [
        ...managed,
        {
          name: 'ApprovalsRateLimit',
          priority: managed.length,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.edge.approvalsRateLimit,
              evaluationWindowSec: props.edge.approvalsRateWindowSeconds,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: APPROVALS_PATH_PREFIX,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('approvals-rate'),
        },
      ],
    });
  }
}

export interface EdgeProps {
  edge: EdgeConfig;
  httpApi: HttpApi;
  /** The web ACL's ARN (from EdgeWafStack, read across regions). */
  webAclArn: string;
}

/** The distribution on the custom domain in front of the HTTP API, and its DNS records. */
export class Edge extends Construct {
  readonly distribution: Distribution;
  /** `https://<domainName>`: the public base URL (APP_BASE_URL, the workspace's callback URLs). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { edge } = props;
    const stack = Stack.of(this);
    this.url = `https://${edge.domainName}`;
    const origin = new HttpOrigin(`${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      readTimeout: Duration.seconds(30),
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `s117 ${edge.domainName}`,
      domainNames: [edge.domainName],
      certificate: Certificate.fromCertificateArn(this, 'Certificate', edge.certificateArn),
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      webAclId: props.webAclArn,
      defaultBehavior: {
        origin,
        // Nothing is cached (every answer is per caller or per token); with caching off, this policy forwards
        // every viewer header but Host (API Gateway routes on its own host name), Authorization included.
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        compress: true,
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: panel members and staff of English ICBs and councils may work from anywhere; WAF rules and the approval rate limit guard the public routes.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Every request that reaches the API is in its JSON access log (constructs/api.ts) and WAF samples blocked requests; CloudFront standard logs would need an ACL-enabled S3 bucket holding caller IPs a second time.',
      },
    );
    const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: edge.hostedZoneId, zoneName: edge.hostedZoneName });
    const target = RecordTarget.fromAlias(new CloudFrontTarget(this.distribution));
    new ARecord(this, 'AliasA', { zone, recordName: edge.domainName, target });
    new AaaaRecord(this, 'AliasAaaa', { zone, recordName: edge.domainName, target });
  }
}
