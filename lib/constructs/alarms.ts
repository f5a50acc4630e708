/**
 * Operations: the KMS key for log groups and the alarm topic, the KMS-encrypted SNS topic every alarm notifies,
 * and the alarms: failed, timed-out and aborted executions per state machine, throttles of every function (ten to an alarm), 5xx on the API, and SES bounces
 * and complaints.
 */
import { ArnFormat, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { pascal } from './data.ts';
import type { Email } from './email.ts';

/** Encrypts every log group and the alarm topic; CloudWatch Logs and CloudWatch alarms may use it. */
export function makeOperationsKey(scope: Construct, id: string, removalPolicy: RemovalPolicy): Key {
  const stack = Stack.of(scope);
  const key = new Key(scope, id, {
    description: 's117 operations: log groups and the alarm topic',
    enableKeyRotation: true,
    removalPolicy,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );
  return key;
}

/** CloudWatch's limit on the metrics one alarm's math expression may read. */
export const THROTTLE_METRICS_PER_ALARM = 10;

export interface AlarmsProps {
  key: Key;
  alarmEmail?: string | undefined;
  stateMachines: ReadonlyMap<string, StateMachine>;
  functions: ReadonlyMap<string, IFunction>;
  httpApi: HttpApi;
  email: Email;
}

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms = new Map<string, Alarm>();

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { masterKey: props.key, enforceSSL: true, displayName: 's117 alarms' });
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, metric: IMetric, description: string, threshold = 1): void => {
      const made = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      made.addAlarmAction(action);
      this.alarms.set(alarmId, made);
    };
    const period = Duration.minutes(5);
    for (const [name, machine] of props.stateMachines) {
      alarm(
        `${pascal(name)}ExecutionsFailed`,
        machine.metricFailed({ period, statistic: 'Sum' }),
        `An execution of ${name} failed: an application may be without interim funding. Open the execution in the Step Functions console.`,
      );
      alarm(
        `${pascal(name)}ExecutionsTimedOut`,
        machine.metricTimedOut({ period, statistic: 'Sum' }),
        `An execution of ${name} timed out (its own timeout or Step Functions' one-year maximum): the work it was driving has stopped. Open the execution in the Step Functions console.`,
      );
      alarm(
        `${pascal(name)}ExecutionsAborted`,
        machine.metricAborted({ period, statistic: 'Sum' }),
        `An execution of ${name} was stopped by hand or by a deployment: check that the application or review it drove has been picked up again.`,
      );
    }
    // Throttles, ten functions to an alarm: CloudWatch allows at most ten metrics in an alarm's expression, and one
    // alarm per function cost 63 of CloudFormation's 500 resources per stack. The description names each function.
    const fns = [...props.functions];
    for (let start = 0, group = 1; start < fns.length; start += THROTTLE_METRICS_PER_ALARM, group++) {
      const members = fns.slice(start, start + THROTTLE_METRICS_PER_ALARM);
      alarm(
        `FunctionThrottles${group}`,
        new MathExpression({
          expression: 'SUM(METRICS())',
          usingMetrics: Object.fromEntries(members.map(([, fn], i) => [`t${i}`, fn.metricThrottles({ period, statistic: 'Sum' })])),
          period,
          label: `Throttles (${members.map(([name]) => name).join(', ')})`,
        }),
        `A function was throttled (concurrency limit reached): one of ${members.map(([name]) => name).join(', ')}. The alarm's graph shows each.`,
      );
    }
    alarm(
      'Api5xx',
      props.httpApi.metricServerError({ period, statistic: 'Sum' }),
      'The API answered 5xx: a function failed or timed out. See the access logs and the function logs.',
    );
    alarm(
      'MailBounces',
      props.email.metric('Bounce').with({ period }),
      'Mail bounced: an organisation mailbox in the directory may be wrong.',
    );
    alarm(
      'MailComplaints',
      props.email.metric('Complaint').with({ period }),
      'A recipient marked mail as spam: SES may suspend sending if complaints continue.',
    );
  }
}
