/**
 * SES: the domain identity mail is sent from, and a configuration set that records bounces, complaints,
 * rejections and delivery delays as CloudWatch metrics (alarmed in alarms.ts), keeps reputation metrics,
 * suppresses bounced and complaining addresses, and requires TLS. Only functions whose manifest entry says
 * `sendEmail: true` may send, only as the configured address and only through this configuration set.
 */
import { Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { Env } from '#functions/shared/env.ts';
import type { MadeFunction } from './lambda.ts';

/** The functions' variables this deployment fills (names checked against functions/shared/env.ts). */
export const MAIL_FROM_VARIABLE: keyof Env = 'MAIL_FROM';
export const CONFIGURATION_SET_VARIABLE: keyof Env = 'SES_CONFIGURATION_SET';

/** SES tags every message with its configuration set's name; the metrics carry it as their dimension. */
const CONFIGURATION_SET_DIMENSION = 'ses:configuration-set';

export interface EmailProps {
  domain: string;
  fromAddress: string;
}

export class Email extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly fromAddress: string;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    this.fromAddress = props.fromAddress;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.configurationSet.addEventDestination('Feedback', {
      destination: EventDestination.cloudWatchDimensions([
        { name: CONFIGURATION_SET_DIMENSION, source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'none' },
      ]),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT, EmailSendingEvent.DELIVERY_DELAY],
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.domain),
      configurationSet: this.configurationSet,
    });
  }

  /** Variables a function's manifest environment may declare, with the values this deployment gives them. */
  deploymentEnvironment(): Record<string, string> {
    return { [MAIL_FROM_VARIABLE]: this.fromAddress, [CONFIGURATION_SET_VARIABLE]: this.configurationSet.configurationSetName };
  }

  /** ses:SendEmail as the configured address, on the identity and the configuration set (SES checks both). */
  grantSendEmail(made: MadeFunction): void {
    this.identity.grantSendEmail(made.fn);
    const stack = Stack.of(this);
    made.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
        ],
      }),
    );
    made.fn.addEnvironment(CONFIGURATION_SET_VARIABLE, this.configurationSet.configurationSetName);
    made.fn.addEnvironment(MAIL_FROM_VARIABLE, this.fromAddress);
  }

  /** Bounces or complaints recorded by the configuration set's event destination. */
  metric(event: 'Bounce' | 'Complaint'): Metric {
    return new Metric({
      namespace: 'AWS/SES',
      metricName: event,
      dimensionsMap: { [CONFIGURATION_SET_DIMENSION]: this.configurationSet.configurationSetName },
      statistic: 'Sum',
    });
  }
}
