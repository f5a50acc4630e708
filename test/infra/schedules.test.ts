import { beforeAll, describe, expect, it } from 'vitest';
import { appManifest } from '#lib/app-manifest.ts';
import { logicalId, synth, type Synthesised } from './support.ts';

let dev: Synthesised;
beforeAll(() => {
  dev = synth('dev');
});

describe('scheduled functions', () => {
  it('runs the hand-off reconciler every five minutes from an EventBridge rule that may invoke it', () => {
    const made = dev.stack.functions.get('reconcile-hand-offs');
    if (made === undefined) throw new Error('no reconcile-hand-offs function');
    const fnArn = { 'Fn::GetAtt': [logicalId(made.fn), 'Arn'] };
    const rules = Object.values(dev.template.findResources('AWS::Events::Rule')) as { Properties: Record<string, unknown> }[];
    const permissions = Object.values(dev.template.findResources('AWS::Lambda::Permission')) as { Properties: Record<string, unknown> }[];

    expect(
      rules.map((r) => [
        r.Properties['ScheduleExpression'],
        r.Properties['State'],
        (r.Properties['Targets'] as { Arn: unknown }[]).map((t) => t.Arn),
      ]),
    ).toStrictEqual([['rate(5 minutes)', 'ENABLED', [fnArn]]]);
    expect(
      permissions
        .filter((p) => JSON.stringify(p.Properties['FunctionName']) === JSON.stringify(fnArn))
        .map((p) => p.Properties['Principal']),
    ).toStrictEqual(['events.amazonaws.com']);
  });

  it('has one rule per function with a schedule in the manifest', () => {
    expect(appManifest.functions.filter((f) => f.schedule !== undefined).map((f) => f.name)).toStrictEqual(['reconcile-hand-offs']);
  });
});
