/** Resolves an AppManifest's logical names to the local runtime's resources. */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { parseReference, type AppManifest, type TableDefinition } from '#lib/app-manifest.ts';
import { Engine } from './sfn/engine.ts';
import { functionArn, LOCAL_ACCOUNT, LOCAL_REGION } from './sfn/lambda.ts';

export interface LocalUrls {
  apiUrl: string;
  sesUrl: string;
  /** The local OpenID Connect stand-in (local/oidc.ts) and the workspace's client id there. */
  oidcIssuer: string;
  oidcClientId: string;
  /** The local value of a `secret:<name>` reference: the secret's id at the Secrets Manager stand-in. */
  secret: (name: string) => string;
}

/** Locally a table's physical name is its logical name. */
export const localTableName = (name: string): string => name;

/** Locally a bucket's name is its logical name (a bucket of the S3 stand-in, local/s3.ts). */
export const localBucketName = (name: string): string => name;

export function toCreateTableInput(table: TableDefinition): CreateTableCommandInput {
  const input: CreateTableCommandInput & Partial<Pick<TableDefinition, 'name' | 'timeToLiveAttribute'>> = {
    ...table,
    TableName: localTableName(table.name),
  };
  delete input.name;
  delete input.timeToLiveAttribute;
  return input;
}

export function makeResolver(manifest: AppManifest, urls: LocalUrls): (value: string) => string {
  const known = {
    function: new Set(manifest.functions.map((f) => f.name)),
    table: new Set(manifest.tables.map((t) => t.name)),
    'state-machine': new Set(manifest.stateMachines.map((m) => m.name)),
    bucket: new Set((manifest.buckets ?? []).map((b) => b.name)),
  };
  return (value) => {
    const ref = parseReference(value);
    if (ref === undefined) return value;
    if (ref.kind === 'runtime') {
      const runtime = {
        'api-url': urls.apiUrl,
        'ses-url': urls.sesUrl,
        'oidc-issuer': urls.oidcIssuer,
        'oidc-client-id': urls.oidcClientId,
      };
      return runtime[ref.name];
    }
    if (ref.kind === 'secret') return urls.secret(ref.name);
    const family = ref.kind === 'table-arn' ? 'table' : ref.kind;
    if (!known[family].has(ref.name)) throw new Error(`The manifest has no ${family} named '${ref.name}' (referenced as '${value}')`);
    switch (ref.kind) {
      case 'function':
        return functionArn(ref.name);
      case 'table':
        return localTableName(ref.name);
      case 'table-arn':
        return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${localTableName(ref.name)}`;
      case 'state-machine':
        return Engine.machineArn(ref.name);
      case 'bucket':
        return localBucketName(ref.name);
    }
  };
}

/** Every function's environment, resolved and merged; two functions giving one variable different values is an error. */
export function mergedEnvironment(manifest: AppManifest, resolve: (value: string) => string): Record<string, string> {
  const merged: Record<string, string> = {};
  const owner: Record<string, string> = {};
  for (const fn of manifest.functions) {
    for (const [name, raw] of Object.entries(fn.environment ?? {})) {
      const value = resolve(raw);
      if (merged[name] !== undefined && merged[name] !== value) {
        throw new Error(`Functions '${owner[name]}' and '${fn.name}' set ${name} differently; in-process functions share one environment`);
      }
      merged[name] = value;
      owner[name] = fn.name;
    }
  }
  return merged;
}
