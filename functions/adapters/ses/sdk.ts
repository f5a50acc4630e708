/**
 * The SESv2 SDK, loaded with `require` rather than `import` (see ../dynamodb/sdk.ts for why), and only on first
 * use: importing the mail adapter does not load the SDK, so a handler that may never send mail pays nothing.
 */
import { createRequire } from 'node:module';
import type * as ClientSesV2 from '@aws-sdk/client-sesv2';

let loaded: typeof ClientSesV2 | undefined;

export function sesSdk(): typeof ClientSesV2 {
  loaded ??= createRequire(import.meta.url)('@aws-sdk/client-sesv2') as typeof ClientSesV2;
  return loaded;
}

export type SESv2Client = ClientSesV2.SESv2Client;
