/**
 * The S3 SDK and presigner, loaded with `require` rather than `import` (see ../dynamodb/sdk.ts for why), and only
 * on first use: importing the object store does not load them.
 */
import { createRequire } from 'node:module';
import type * as ClientS3 from '@aws-sdk/client-s3';
import type * as Presigner from '@aws-sdk/s3-request-presigner';

const load = createRequire(import.meta.url);
let s3: typeof ClientS3 | undefined;
let presigner: typeof Presigner | undefined;

export function s3Sdk(): typeof ClientS3 {
  s3 ??= load('@aws-sdk/client-s3') as typeof ClientS3;
  return s3;
}

export function presignerSdk(): typeof Presigner {
  presigner ??= load('@aws-sdk/s3-request-presigner') as typeof Presigner;
  return presigner;
}

export type S3Client = ClientS3.S3Client;
