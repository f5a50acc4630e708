/** The Step Functions SDK, loaded with `require` rather than `import`: see ../dynamodb/sdk.ts for why. */
import { createRequire } from 'node:module';
import type * as ClientSfn from '@aws-sdk/client-sfn';

const client = createRequire(import.meta.url)('@aws-sdk/client-sfn') as typeof ClientSfn;

export const { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } = client;
export type SFNClient = ClientSfn.SFNClient;
