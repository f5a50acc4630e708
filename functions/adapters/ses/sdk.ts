/** The SESv2 SDK, loaded with `require` rather than `import`: see ../dynamodb/sdk.ts for why. */
import { createRequire } from 'node:module';
import type * as ClientSesV2 from '@aws-sdk/client-sesv2';

const client = createRequire(import.meta.url)('@aws-sdk/client-sesv2') as typeof ClientSesV2;

export const { SESv2Client, SendEmailCommand } = client;
export type SESv2Client = ClientSesV2.SESv2Client;
