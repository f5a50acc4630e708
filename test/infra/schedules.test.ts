import { beforeAll, describe, expect, it } from 'vitest';
import { appManifest } from '#lib/app-manifest.ts';
import { logicalId, synth, type Synthesised } from './support.ts';

let dev: Synthesised;
beforeAll(() => {
  dev = synth('dev');
});

describe('scheduled functions', () => {
  it('runs the hand-off reconciler every five minutes, and the funding-delay escalation daily, from EventBridge rules that may invoke it', () => {
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
    ).toStrictEqual([
      ['rate(5 minutes)', 'ENABLED', [fnArn]],
      ['rate(1 day)', 'ENABLED', [fnArn]],
    ]);
    expect(
      rules.map((r) => (r.Properties['Targets'] as { Input?: string }[]).map((t) => (t.Input === undefined ? null : JSON.parse(t.Input)))),
    ).toStrictEqual([[null], [{ job: 'escalate-funding-delays' }]]);
    expect(
      permissions
        .filter((p) => JSON.stringify(p.Properties['FunctionName']) === JSON.stringify(fnArn))
        .map((p) => p.Properties['Principal']),
    ).toStrictEqual(['events.amazonaws.com', 'events.amazonaws.com']);
  });

  it('has scheduled functions only where the manifest says, and no function of their own for the daily escalation', () => {
    expect(appManifest.functions.filter((f) => (f.schedules ?? []).length > 0).map((f) => f.name)).toStrictEqual(['reconcile-hand-offs']);
  });
});
