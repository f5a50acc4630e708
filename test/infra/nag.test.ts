import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadStageConfig, STAGES } from '#lib/config.ts';
import { S117Stack } from '#lib/s117-stack.ts';
import { cdkJson } from './support.ts';

describe('cdk-nag AwsSolutions', () => {
  it.each(STAGES)(
    '%s: no unacknowledged finding',
    (stage) => {
      const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
      new S117Stack(app, `S117-${stage}`, { config: loadStageConfig(stage) });
      const report = new AwsSolutionsChecks(app).validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual(
        [],
      );
      // And through the plugin, as `cdk synth` runs it (a finding fails synth).
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(() => app.synth()).not.toThrow();
      // Two full synths with every rule pack take ~20 s on an idle 2-core machine; the headroom is for a loaded one.
    },
    120_000,
  );
});
