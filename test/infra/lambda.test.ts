import { beforeAll, describe, expect, it } from 'vitest';
import { appManifest, parseReference } from '#lib/app-manifest.ts';
import { loadStageConfig } from '#lib/config.ts';
import { logicalId, synth, type Synthesised } from './support.ts';

let dev: Synthesised;
beforeAll(() => {
  dev = synth('dev');
});

const propsOf = (name: string) => {
  const made = dev.stack.functions.get(name);
  if (made === undefined) throw new Error(`no function ${name}`);
  return (dev.template.toJSON().Resources[logicalId(made.fn)] as { Properties: Record<string, unknown> }).Properties;
};

describe.each(appManifest.functions.map((f) => [f.name, f] as const))('%s', (name, definition) => {
  it('runs as an arm64 Node 24 ESM bundle, traced, logging to its own encrypted log group', () => {
    const p = propsOf(name);
    expect([p['Runtime'], p['Architectures'], p['Handler'], p['TracingConfig']]).toStrictEqual([
      'nodejs24.x',
      ['arm64'],
      'index.handler',
      { Mode: 'Active' },
    ]);
    expect(p['LoggingConfig']).toStrictEqual({ LogGroup: { Ref: logicalId(dev.stack.functions.get(name)?.logGroup as never) } });
  });

  it('gets its manifest environment, each reference resolved to the deployed resource', () => {
    const variables = (propsOf(name)['Environment'] as { Variables: Record<string, unknown> }).Variables;
    const expected: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(definition.environment ?? {})) {
      const ref = parseReference(value);
      if (key === 'MAIL_FROM') expected[key] = loadStageConfig('dev').mail.fromAddress;
      else if (ref?.kind === 'table') expected[key] = { Ref: logicalId(dev.stack.data.tables.get(ref.name) as never) };
      else if (ref?.kind === 'runtime' && ref.name === 'api-url')
        expected[key] = { 'Fn::GetAtt': [logicalId(dev.stack.api.httpApi), 'ApiEndpoint'] };
      else if (ref?.kind === 'runtime' && ref.name === 'oidc-issuer')
        expected[key] = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(dev.stack.api.userPool), 'ProviderURL'] }]] };
      else if (ref?.kind === 'runtime' && ref.name === 'oidc-client-id') expected[key] = { Ref: logicalId(dev.stack.api.workspaceClient) };
      else if (ref?.kind === 'state-machine')
        expected[key] = {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, `:states:eu-west-2:`, { Ref: 'AWS::AccountId' }, `:stateMachine:S117-dev-${ref.name}`],
          ],
        };
      else if (ref?.kind === 'bucket') expected[key] = { Ref: logicalId(dev.stack.exports.bucket as never) };
      else if (ref?.kind === 'secret')
        // The secret's ARN: the function reads the value at run time (functions/adapters/secrets), never from its environment.
        expected[key] = { Ref: expect.stringMatching(/Secret/) };
      else if (ref === undefined) expected[key] = value;
      else throw new Error(`untested reference ${value}`);
    }
    expect(variables).toMatchObject(expected);
    expect(variables['POWERTOOLS_LOG_LEVEL']).toBe('DEBUG');
  });
});
