/**
 * What runs locally is what deploys: the CDK stack and the local runtime are both built from lib/app-manifest.ts,
 * and this checks the synthesised template against what the local runtime deploys from the same manifest, for every
 * function (its bundle entry, its environment) and every state machine (its definition, its substitutions).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appManifest, parseReference, type FunctionDefinition } from '#lib/app-manifest.ts';
import { REPO_ROOT } from '#lib/constructs/lambda.ts';
import { placeholders } from '#lib/constructs/workflows.ts';
import { loadDefinition } from '#local/definitions.ts';
import { makeResolver, mergedEnvironment } from '#local/manifest.ts';
import { logicalId, synth, type Synthesised } from './support.ts';

/**
 * Variables only the deployment sets: Powertools and source maps on every function, and the SES configuration set
 * (bounces and complaints, which exist only in AWS) on the functions that send mail.
 */
const deploymentOnly = (definition: FunctionDefinition): string[] => [
  'NODE_OPTIONS',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_SERVICE_NAME',
  ...(definition.permissions?.sendEmail === true ? ['SES_CONFIGURATION_SET'] : []),
];

let dev: Synthesised;
let assemblyDir: string;
beforeAll(() => {
  dev = synth('dev');
  assemblyDir = dev.app.synth().directory;
});

const localResolve = makeResolver(appManifest, {
  apiUrl: 'http://127.0.0.1:3000',
  sesUrl: 'http://127.0.0.1:8005',
  oidcIssuer: 'http://127.0.0.1:8007',
  oidcClientId: 's117-workspace',
  secret: (name) => `local-${name}-`.padEnd(64, 'x'),
});

const resource = (construct: Parameters<typeof logicalId>[0]) =>
  dev.template.toJSON().Resources[logicalId(construct)] as { Metadata?: Record<string, unknown>; Properties: Record<string, unknown> };

describe.each(appManifest.functions.map((f) => [f.name, f] as const))('function %s', (name, definition) => {
  const deployed = () => {
    const made = dev.stack.functions.get(name);
    if (made === undefined) throw new Error(`the stack has no function ${name}`);
    return resource(made.fn);
  };

  it('deploys the bundle of the module the local runtime loads', () => {
    expect(existsSync(join(REPO_ROOT, definition.handler))).toBe(true);
    expect([deployed().Metadata?.['s117:entry'], deployed().Properties['Handler']]).toStrictEqual([definition.handler, 'index.handler']);
  });

  it('has the environment the local runtime gives it, every reference resolved on both sides', () => {
    const variables = (deployed().Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    const manifestKeys = Object.keys(definition.environment ?? {});
    expect(
      Object.keys(variables)
        .filter((k) => !deploymentOnly(definition).includes(k) || manifestKeys.includes(k))
        .sort(),
    ).toStrictEqual([...manifestKeys].sort());
    expect(Object.values(variables).filter((v) => typeof v === 'string' && parseReference(v) !== undefined)).toStrictEqual([]);
    const local = mergedEnvironment({ ...appManifest, functions: [definition] }, localResolve);
    expect(Object.keys(local).sort()).toStrictEqual([...manifestKeys].sort());
    expect(Object.values(local).filter((v) => parseReference(v) !== undefined)).toStrictEqual([]);
  });
});

describe.each(appManifest.stateMachines.map((m) => [m.name, m] as const))('state machine %s', (name, definition) => {
  const deployed = () => {
    const machine = dev.stack.workflows.stateMachines.get(name);
    if (machine === undefined) throw new Error(`the stack has no state machine ${name}`);
    return resource(machine).Properties;
  };
  const file = join(REPO_ROOT, definition.definitionFile);

  it('has the substitutions the local runtime makes: the manifest keys, exactly the placeholders of its ASL file', () => {
    const keys = Object.keys(deployed()['DefinitionSubstitutions'] as Record<string, unknown>).sort();
    expect(keys).toStrictEqual(Object.keys(definition.substitutions).sort());
    expect(keys).toStrictEqual(placeholders(readFileSync(file, 'utf8')).sort());
    const local = Object.fromEntries(Object.entries(definition.substitutions).map(([k, v]) => [k, localResolve(v)]));
    expect(placeholders(loadDefinition(file, local))).toStrictEqual([]);
  });

  it('deploys the ASL file the local runtime loads, byte for byte', () => {
    const location = deployed()['DefinitionS3Location'] as { Key: string };
    expect(readFileSync(join(assemblyDir, `asset.${location.Key}`), 'utf8')).toBe(readFileSync(file, 'utf8'));
  });
});
