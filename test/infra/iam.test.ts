import { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { appManifest, parseReference, type FunctionDefinition } from '#lib/app-manifest.ts';
import { BUCKET_ACTIONS, TABLE_ACTIONS } from '#lib/constructs/lambda.ts';
import { stateMachineArn } from '#lib/constructs/workflows.ts';
import { iamManifest } from './fixture-manifest.ts';
import { actionsOf, logicalId, roleStatements, synth, type Statement, type Synthesised } from './support.ts';

let fixture: Synthesised;
let real: Synthesised;
beforeAll(() => {
  fixture = synth('dev', iamManifest);
  real = synth('dev');
});

const statementsOf = (s: Synthesised, fn: string): Statement[] => {
  const made = s.stack.functions.get(fn);
  if (made === undefined) throw new Error(`no function ${fn}`);
  return roleStatements(s.template, logicalId(made.role));
};

describe('each function role holds exactly what its manifest entry declares', () => {
  const table = () => ({ 'Fn::GetAtt': [logicalId(fixture.stack.data.tables.get('Register') as never), 'Arn'] });
  const key = () => ({ 'Fn::GetAtt': [logicalId(fixture.stack.data.key), 'Arn'] });
  const viaDynamo = { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.eu-west-2.', { Ref: 'AWS::URLSuffix' }]] } } };
  const ownLogs = (fn: string): Statement => ({
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Effect: 'Allow',
    Resource: { 'Fn::GetAtt': [logicalId(fixture.stack.functions.get(fn)?.logGroup as never), 'Arn'] },
  });
  const xray: Statement = { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' };
  const machine = () => fixture.stack.resolve(stateMachineArn(fixture.stack, 'funding-application')) as unknown;

  it('a reader gets GetItem and Query on the table itself and only decrypts, through DynamoDB', () => {
    expect(statementsOf(fixture, 'reader')).toStrictEqual([
      ownLogs('reader'),
      xray,
      { Action: ['dynamodb:GetItem', 'dynamodb:Query'], Effect: 'Allow', Resource: table() },
      { Action: ['kms:Decrypt', 'kms:DescribeKey'], Condition: viaDynamo, Effect: 'Allow', Resource: key() },
    ]);
  });

  it('index queries name each index (no /index/* wildcard) and partition keys narrow the table statement', () => {
    expect(statementsOf(fixture, 'lister')).toStrictEqual([
      ownLogs('lister'),
      xray,
      {
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APP#*', 'DIRECTORY'] } },
        Effect: 'Allow',
        Resource: table(),
      },
      {
        Action: 'dynamodb:Query',
        Effect: 'Allow',
        Resource: [
          { 'Fn::Join': ['', [table(), '/index/ByOrganisation']] },
          { 'Fn::Join': ['', [table(), '/index/ByOrganisationStatus']] },
        ],
      },
      { Action: ['kms:Decrypt', 'kms:DescribeKey'], Condition: viaDynamo, Effect: 'Allow', Resource: key() },
    ]);
  });

  it('the creating function writes its keys and starts only the funding-application machine', () => {
    expect(statementsOf(fixture, 'creator')).toStrictEqual([
      ownLogs('creator'),
      xray,
      // Its environment names secret:person-ref-key: it may read that secret's value, nothing more.
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^PersonRefKeySecret/) } },
      {
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APP#*', 'PERSON#*', 'IDEM#*'] } },
        Effect: 'Allow',
        Resource: table(),
      },
      {
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Condition: viaDynamo,
        Effect: 'Allow',
        Resource: key(),
      },
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: machine() },
    ]);
  });

  it('DeleteItem only where declared, and task responses only on the issuing machine', () => {
    const statements = statementsOf(fixture, 'responder');
    expect(statements).toContainEqual({
      Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      Effect: 'Allow',
      Resource: table(),
    });
    expect(statements).toContainEqual({
      Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      Effect: 'Allow',
      Resource: machine(),
    });
    expect(statementsOf(fixture, 'creator').flatMap(actionsOf)).not.toContain('dynamodb:DeleteItem');
  });

  it('a sender may send through the identity and the configuration set, and nothing else', () => {
    const identity = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:eu-west-2:',
          { Ref: 'AWS::AccountId' },
          ':identity/',
          { Ref: logicalId(fixture.stack.email.identity) },
        ],
      ],
    };
    const configurationSet = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:eu-west-2:',
          { Ref: 'AWS::AccountId' },
          ':configuration-set/',
          { Ref: logicalId(fixture.stack.email.configurationSet) },
        ],
      ],
    };
    expect(statementsOf(fixture, 'mailer')).toStrictEqual([
      ownLogs('mailer'),
      xray,
      { Action: ['ses:SendEmail', 'ses:SendRawEmail'], Effect: 'Allow', Resource: identity },
      { Action: 'ses:SendEmail', Effect: 'Allow', Resource: configurationSet },
    ]);
  });

  it('a function that declares nothing can only write its own logs and traces', () => {
    expect(statementsOf(fixture, 'public')).toStrictEqual([ownLogs('public'), xray]);
  });

  it('the machine-name ARN the grants use is the deployed machine (name from the stack name)', () => {
    fixture.template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'S117-dev-funding-application' });
    expect(Stack.of(fixture.stack).resolve(stateMachineArn(fixture.stack, 'funding-application'))).toStrictEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':states:eu-west-2:', { Ref: 'AWS::AccountId' }, ':stateMachine:S117-dev-funding-application'],
      ],
    });
  });
});

describe('the app manifest: no role can do more than its entry declares', () => {
  const declaredActions = (fn: FunctionDefinition): Set<string> => {
    const p = fn.permissions ?? {};
    const actions = new Set(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
    for (const grant of p.tables ?? []) {
      for (const a of grant.actions) for (const iam of TABLE_ACTIONS[a]) actions.add(iam);
      for (const k of grant.actions.some((a) => a !== 'read')
        ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
        : ['kms:Decrypt', 'kms:DescribeKey'])
        actions.add(k);
    }
    // A `secret:` reference in its environment declares that it reads that secret.
    if (Object.values(fn.environment ?? {}).some((v) => parseReference(v)?.kind === 'secret')) actions.add('secretsmanager:GetSecretValue');
    if (p.sendEmail === true) ['ses:SendEmail', 'ses:SendRawEmail'].forEach((a) => actions.add(a));
    if ((p.startExecution ?? []).length > 0) actions.add('states:StartExecution');
    if ((p.taskResponse ?? []).length > 0)
      ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'].forEach((a) => actions.add(a));
    for (const grant of p.buckets ?? []) {
      for (const a of grant.actions) for (const iam of a === 'list' ? ['s3:ListBucket'] : BUCKET_ACTIONS[a]) actions.add(iam);
      for (const k of grant.actions.includes('write')
        ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
        : ['kms:Decrypt', 'kms:DescribeKey'])
        actions.add(k);
    }
    return actions;
  };

  it.each(appManifest.functions.map((f) => [f.name, f] as const))('%s', (name, definition) => {
    const granted = statementsOf(real, name).flatMap(actionsOf);
    expect(granted.filter((a) => !declaredActions(definition).has(a))).toStrictEqual([]);
    expect(statementsOf(real, name).every((s) => s.Effect === 'Allow')).toBe(true);
    expect(granted.filter((a) => a.includes('*'))).toStrictEqual([]);
  });

  it('gives the export functions exactly their declared S3 actions, and no one else any', () => {
    const s3 = Object.fromEntries(
      appManifest.functions.map((f) => [
        f.name,
        [
          ...new Set(
            statementsOf(real, f.name)
              .flatMap(actionsOf)
              .filter((a) => a.startsWith('s3:')),
          ),
        ].sort(),
      ]),
    );
    expect(Object.fromEntries(Object.entries(s3).filter(([, a]) => a.length > 0))).toStrictEqual({
      'export-apportionment': ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject'],
      'export-recharges': ['s3:GetObject'],
      'get-export': ['s3:GetObject'],
      'prepare-export': ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      'write-export-part': ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      'complete-export': ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject'],
      'export-link': ['s3:GetObject'],
      // The finance page's download runs export-apportionment's use case (functions/workspace/finance.ts).
      workspace: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject'],
    });
  });
});
