/**
 * Standard state machines from `statemachines/<name>.asl.json`, exactly the files the local runtime runs, with
 * `definitionSubstitutions` resolved from the manifest's references. Logging (ALL events) goes to a
 * KMS-encrypted log group, X-Ray tracing is on, and each machine may invoke exactly the functions its
 * substitutions name.
 *
 * Each machine's name is derived from the stack name (`<stack>-<logical name>`), so its ARN can be written down
 * without referring to the resource. Functions that start a machine, answer its task tokens or carry its ARN in
 * their environment use that ARN; a token reference would make them depend on the machine while the machine
 * depends on them (it invokes them): a circular dependency CloudFormation refuses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Stack, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { parseReference, type StateMachineDefinition } from '../app-manifest.ts';
import { pascal } from './data.ts';
import { REPO_ROOT } from './lambda.ts';

/** Every `${Name}` placeholder in an ASL text, in order of first appearance. */
export function placeholders(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? ''))];
}

/** Names used but not substituted, and substitutions nobody uses; both empty when the two agree. */
export function substitutionMismatch(
  asl: string,
  substitutions: Readonly<Record<string, string>>,
): { missing: string[]; unused: string[] } {
  const used = placeholders(asl);
  const given = Object.keys(substitutions);
  return { missing: used.filter((n) => !given.includes(n)), unused: given.filter((n) => !used.includes(n)) };
}

/** `<stack name>-<logical name>`, within Step Functions' 80 characters. */
export function stateMachinePhysicalName(scope: Construct, logicalName: string): string {
  const name = `${Stack.of(scope).stackName}-${logicalName}`;
  if (name.length > 80) throw new Error(`State machine name '${name}' is longer than Step Functions' 80 characters`);
  return name;
}

/** The ARN of a state machine of this stack, by logical name, without referring to the resource. */
export function stateMachineArn(scope: Construct, logicalName: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachinePhysicalName(scope, logicalName),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export interface WorkflowsProps {
  stateMachines: readonly StateMachineDefinition[];
  /** Deployed ARN of a function by logical name; throws for an unknown name. */
  functionArn: (name: string) => string;
  /** Any other manifest reference or literal → its deployed value. */
  resolve: (value: string) => string;
  logRetention: RetentionDays;
  logKey: IKey;
  removalPolicy: RemovalPolicy;
}

export class Workflows extends Construct {
  readonly stateMachines: ReadonlyMap<string, StateMachine>;
  /** Which functions each machine invokes (logical names), from its substitutions. */
  readonly invokes: ReadonlyMap<string, readonly string[]>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const machines = new Map<string, StateMachine>();
    const invokes = new Map<string, string[]>();
    for (const definition of props.stateMachines) {
      const file = join(REPO_ROOT, definition.definitionFile);
      const { missing, unused } = substitutionMismatch(readFileSync(file, 'utf8'), definition.substitutions);
      if (missing.length > 0 || unused.length > 0) {
        throw new Error(
          `State machine '${definition.name}' (${definition.definitionFile}): placeholders without substitutions [${missing.join(', ')}], substitutions never used [${unused.join(', ')}]`,
        );
      }
      const functions: string[] = [];
      const started: string[] = [];
      const substitutions: Record<string, string> = {};
      for (const [placeholder, value] of Object.entries(definition.substitutions)) {
        const ref = parseReference(value);
        if (ref?.kind === 'function') {
          functions.push(ref.name);
          substitutions[placeholder] = props.functionArn(ref.name);
        } else if (ref?.kind === 'table' || ref?.kind === 'table-arn') {
          throw new Error(
            `State machine '${definition.name}': '${value}' would need DynamoDB grants for the machine's role, which this deployment does not derive yet`,
          );
        } else {
          if (ref?.kind === 'state-machine') started.push(value);
          substitutions[placeholder] = props.resolve(value);
        }
      }

      const container = new Construct(this, pascal(definition.name));
      const logGroup = new LogGroup(container, 'Logs', {
        retention: props.logRetention,
        encryptionKey: props.logKey,
        removalPolicy: props.removalPolicy,
      });
      const machine = new StateMachine(container, 'StateMachine', {
        stateMachineName: stateMachinePhysicalName(this, definition.name),
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromFile(file),
        definitionSubstitutions: substitutions,
        // Execution data stays out of the logs: payloads may carry special-category health data.
        logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
        tracingEnabled: true,
        removalPolicy: props.removalPolicy,
      });
      const invoked = [...new Set(functions)];
      if (invoked.length > 0) {
        // Exactly the unqualified ARNs the definition names (CDK's grantInvoke would add `<arn>:*`).
        machine.addToRolePolicy(
          new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: invoked.map((n) => props.functionArn(n)) }),
        );
      }
      if (started.length > 0) {
        // A machine that starts another (fire-and-forget states:startExecution) may start exactly those it names.
        machine.addToRolePolicy(
          new PolicyStatement({ actions: ['states:StartExecution'], resources: [...new Set(started)].map((v) => props.resolve(v)) }),
        );
      }
      Validations.of(machine.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Step Functions logging and X-Ray: logs:CreateLogDelivery/GetLogDelivery/UpdateLogDelivery/DeleteLogDelivery/ListLogDeliveries/PutResourcePolicy/DescribeResourcePolicies/DescribeLogGroups and xray:PutTraceSegments/PutTelemetryRecords/GetSamplingRules/GetSamplingTargets do not support resource-level permissions, so IAM requires "*".',
      });
      machines.set(definition.name, machine);
      invokes.set(definition.name, invoked);
    }
    this.stateMachines = machines;
    this.invokes = invokes;
  }
}
