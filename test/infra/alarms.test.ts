import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appManifest } from '#lib/app-manifest.ts';
import { THROTTLE_METRICS_PER_ALARM } from '#lib/constructs/alarms.ts';
import { logicalId, synth, type Synthesised } from './support.ts';

let dev: Synthesised;
beforeAll(() => {
  dev = synth('dev');
});

interface AlarmProps {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: unknown }[];
  AlarmActions: unknown[];
  Threshold: number;
  Metrics?: {
    Expression?: string;
    ReturnData?: boolean;
    MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown } };
  }[];
}
const alarms = () =>
  Object.values(dev.template.findResources('AWS::CloudWatch::Alarm')).map((a) => (a as { Properties: AlarmProps }).Properties);
const topic = () => ({ Ref: logicalId(dev.stack.alarms.topic) });

describe('alarms', () => {
  const machineMetrics = appManifest.stateMachines.flatMap((m) =>
    ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((metric) => [metric, m.name] as const),
  );
  it.each(machineMetrics)('%s of %s, on its own ARN, notifies the topic', (metric, name) => {
    const machine = dev.stack.workflows.stateMachines.get(name);
    expect(
      alarms().filter(
        (a) =>
          a.MetricName === metric &&
          JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'StateMachineArn', Value: { Ref: logicalId(machine as never) } }]),
      ),
    ).toStrictEqual([expect.objectContaining({ Namespace: 'AWS/States', AlarmActions: [topic()], Threshold: 1 })]);
  });

  it.each(appManifest.functions.map((f) => f.name))('Throttles of %s are in exactly one alarm that notifies the topic', (name) => {
    const fn = dev.stack.functions.get(name);
    const reads = (a: AlarmProps) =>
      (a.Metrics ?? []).some(
        (m) =>
          m.MetricStat?.Metric.MetricName === 'Throttles' &&
          m.MetricStat.Metric.Namespace === 'AWS/Lambda' &&
          JSON.stringify(m.MetricStat.Metric.Dimensions) ===
            JSON.stringify([{ Name: 'FunctionName', Value: { Ref: logicalId(fn?.fn as never) } }]),
      );
    const found = alarms().filter(reads);
    expect(found).toStrictEqual([expect.objectContaining({ AlarmActions: [topic()], Threshold: 1 })]);
    expect(found[0]?.Metrics?.find((m) => m.Expression !== undefined)).toMatchObject({ Expression: 'SUM(METRICS())', ReturnData: true });
  });

  it('no alarm reads more metrics than CloudWatch allows (ten)', () => {
    for (const a of alarms())
      expect((a.Metrics ?? []).filter((m) => m.MetricStat !== undefined).length).toBeLessThanOrEqual(THROTTLE_METRICS_PER_ALARM);
  });

  it('5xx on the API notifies the topic', () => {
    expect(alarms().filter((a) => a.MetricName === '5xx')).toStrictEqual([
      expect.objectContaining({
        Namespace: 'AWS/ApiGateway',
        Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(dev.stack.api.httpApi) } }],
        AlarmActions: [topic()],
      }),
    ]);
  });

  it('SES bounces and complaints of the configuration set notify the topic', () => {
    const dimensions = [{ Name: 'ses:configuration-set', Value: { Ref: logicalId(dev.stack.email.configurationSet) } }];
    for (const metric of ['Bounce', 'Complaint']) {
      expect(alarms().filter((a) => a.MetricName === metric)).toStrictEqual([
        expect.objectContaining({ Namespace: 'AWS/SES', Dimensions: dimensions, AlarmActions: [topic()] }),
      ]);
    }
    dev.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'reject', 'deliveryDelay'],
        CloudWatchDestination: {
          DimensionConfigurations: [
            { DimensionName: 'ses:configuration-set', DimensionValueSource: 'messageTag', DefaultDimensionValue: 'none' },
          ],
        },
      },
    });
  });

  it('the topic is KMS-encrypted and TLS-only', () => {
    dev.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OperationsKey'), 'Arn'] },
    });
    dev.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topic()],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});
