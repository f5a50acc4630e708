/**
 * The Step Functions SDK, loaded with `require` rather than `import` (see ../dynamodb/sdk.ts for why), and only
 * on first use: importing the workflow adapter does not load the SDK.
 */
import { createRequire } from 'node:module';
import type * as ClientSfn from '@aws-sdk/client-sfn';

let loaded: typeof ClientSfn | undefined;

export function sfnSdk(): typeof ClientSfn {
  loaded ??= createRequire(import.meta.url)('@aws-sdk/client-sfn') as typeof ClientSfn;
  return loaded;
}

export type SFNClient = ClientSfn.SFNClient;
