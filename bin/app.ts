/**
 * The CDK app: `npx cdk synth|deploy -c stage=dev|prod`. Synthesises offline (no lookups, local esbuild) with
 * the AwsSolutions rule pack of cdk-nag enabled: any finding not acknowledged in code fails synth.
 * Optional context overrides: account, region, mailDomain, mailFrom, alarmEmail, and the edge's domainName,
 * hostedZoneId, hostedZoneName, certificateArn (validated in lib/config.ts).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadStageConfig, type StageOverrides } from '#lib/config.ts';
import { S117Stack } from '#lib/s117-stack.ts';

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const stage = context('stage') ?? 'dev';
const overrides: StageOverrides = {};
for (const key of [
  'account',
  'region',
  'mailDomain',
  'mailFrom',
  'alarmEmail',
  'domainName',
  'hostedZoneId',
  'hostedZoneName',
  'certificateArn',
] as const) {
  const value = context(key);
  if (value !== undefined) overrides[key] = value;
}

new S117Stack(app, `S117-${stage}`, { config: loadStageConfig(stage, overrides) });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
