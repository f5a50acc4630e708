import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appManifest, parseReference } from '#lib/app-manifest.ts';
import { REPO_ROOT } from '#lib/constructs/lambda.ts';
import { placeholders, substitutionMismatch } from '#lib/constructs/workflows.ts';
import { logicalId, roleStatements, synth, type Synthesised } from './support.ts';

let dev: Synthesised;
beforeAll(() => {
  dev = synth('dev');
});

const aslFiles = readdirSync(join(REPO_ROOT, 'statemachines'))
  .filter((f) => f.endsWith('.asl.json'))
  .map((f) => `statemachines/${f}`);

describe('ASL substitutions', () => {
  it.each(aslFiles)('%s is deployed, and every placeholder has a substitution and every substitution a placeholder', (file) => {
    const machine = appManifest.stateMachines.find((m) => m.definitionFile === file);
    expect(machine?.definitionFile).toBe(file);
    expect(substitutionMismatch(readFileSync(join(REPO_ROOT, file), 'utf8'), machine?.substitutions ?? {})).toStrictEqual({
      missing: [],
      unused: [],
    });
  });

  it('the check finds a missing and an unused substitution', () => {
    expect(substitutionMismatch('{"A":"${One}","B":"${Two}","C":"${One}"}', { One: 'x', Three: 'y' })).toStrictEqual({
      missing: ['Two'],
      unused: ['Three'],
    });
    expect(placeholders('{"A":"${One}","B":"$.two","C":"${One}"}')).toStrictEqual(['One']);
  });
});

describe('state machines', () => {
  const machines = () =>
    dev.template.findResources('AWS::StepFunctions::StateMachine') as Record<string, { Properties: Record<string, unknown> }>;

  it.each(appManifest.stateMachines.map((m) => m.name))(
    '%s: every Lambda substitution is a function of this stack, the one the manifest names',
    (name) => {
      const machine = dev.stack.workflows.stateMachines.get(name);
      const definition = appManifest.stateMachines.find((m) => m.name === name);
      if (machine === undefined || definition === undefined) throw new Error(`no machine ${name}`);
      const substitutions = machines()[logicalId(machine)]?.Properties['DefinitionSubstitutions'];
      const functions = dev.template.findResources('AWS::Lambda::Function');
      const machineArn = (machine: string) => ({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':states:eu-west-2:', { Ref: 'AWS::AccountId' }, `:stateMachine:S117-dev-${machine}`],
        ],
      });
      const expected = Object.fromEntries(
        Object.entries(definition.substitutions).map(([placeholder, ref]) => {
          if (ref.startsWith('state-machine:')) return [placeholder, machineArn(ref.slice('state-machine:'.length))];
          if (parseReference(ref) === undefined) return [placeholder, ref];
          const fn = dev.stack.functions.get(ref.replace(/^function:/, ''));
          if (fn === undefined) throw new Error(`${placeholder}: ${ref} is not a function of the stack`);
          return [placeholder, { 'Fn::GetAtt': [logicalId(fn.fn), 'Arn'] }];
        }),
      );
      expect(substitutions).toStrictEqual(expected);
      const invoked = (Object.values(expected) as Record<string, unknown>[]).flatMap((v) =>
        v['Fn::GetAtt'] === undefined ? [] : [(v['Fn::GetAtt'] as [string, string])[0]],
      );
      expect(invoked.filter((id) => !Object.keys(functions).includes(id))).toStrictEqual([]);
    },
  );

  it.each(appManifest.stateMachines.map((m) => m.name))('%s: its role may invoke exactly the functions it names', (name) => {
    const machine = dev.stack.workflows.stateMachines.get(name);
    if (machine === undefined) throw new Error(`no machine ${name}`);
    const invoke = roleStatements(dev.template, logicalId(machine.role)).filter((s) => JSON.stringify(s.Action).includes('lambda:'));
    const named = [...new Set(Object.values(appManifest.stateMachines.find((m) => m.name === name)?.substitutions ?? {}))]
      .filter((ref) => ref.startsWith('function:'))
      .map((ref) => ({ 'Fn::GetAtt': [logicalId(dev.stack.functions.get(ref.replace(/^function:/, ''))?.fn as never), 'Arn'] }));
    expect(invoke).toStrictEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: named }]);
  });

  it.each(appManifest.stateMachines.map((m) => m.name))('%s: Standard, logs ALL events to a KMS-encrypted log group, traced', (name) => {
    const machine = dev.stack.workflows.stateMachines.get(name);
    if (machine === undefined) throw new Error(`no machine ${name}`);
    const props = machines()[logicalId(machine)]?.Properties ?? {};
    expect(props['StateMachineType']).toBe('STANDARD');
    expect(props['TracingConfiguration']).toStrictEqual({ Enabled: true });
    const logging = props['LoggingConfiguration'] as {
      Level: string;
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } }];
    };
    expect(logging.Level).toBe('ALL');
    const logGroup = dev.template.toJSON().Resources[logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0]] as {
      Type: string;
      Properties: Record<string, unknown>;
    };
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties['KmsKeyId']).toStrictEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OperationsKey/), 'Arn'] });
  });
});
