/**
 * The exports' ports over the real adapters, built once per cold start on first use: the register (DynamoDB),
 * the directory, the exports bucket (S3; AWS_ENDPOINT_URL_S3 locally) and, for the API, Step Functions.
 * Links expire after EXPORT_LINK_EXPIRY_SECONDS (default 15 minutes); registers of at most
 * EXPORT_INLINE_MAX_CASES applications (default 200) are exported inside the API request.
 */
import { DynamoDBClient, DynamoDBDocumentClient } from '../adapters/dynamodb/sdk.ts';
import { sfnSdk, type SFNClient } from '../adapters/sfn/sdk.ts';
import { DynamoDirectory } from '../adapters/dynamodb/directory.ts';
import { systemClock } from '../shared/clock.ts';
import { env, required } from '../shared/env.ts';
import { DynamoExportRegister } from '../adapters/dynamodb/export-register.ts';
import type { ExportDeps } from './export-steps.ts';
import { exportsS3Client, S3ObjectStore } from '../adapters/s3/object-store.ts';

export const DEFAULT_LINK_EXPIRY_SECONDS = 900;
export const DEFAULT_INLINE_MAX_CASES = 200;

export interface ExportApiDeps extends ExportDeps {
  directory: DynamoDirectory;
  /** Starts the export workflow (execution name = the export id). */
  startWorkflow(name: string, input: unknown): Promise<void>;
  linkExpirySeconds: number;
  inlineMaxCases: number;
}

let built: ExportApiDeps | undefined;

export function exportDeps(): ExportApiDeps {
  if (built !== undefined) return built;
  const e = env();
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  let sfn: SFNClient | undefined;
  built = {
    register: new DynamoExportRegister(documents, e.REGISTER_TABLE_NAME),
    directory: new DynamoDirectory(documents, e.REGISTER_TABLE_NAME),
    objects: new S3ObjectStore(exportsS3Client(), required(e, 'EXPORTS_BUCKET')),
    clock: systemClock,
    async startWorkflow(name, input) {
      const { SFNClient, StartExecutionCommand } = sfnSdk();
      sfn ??= new SFNClient({});
      await sfn.send(
        new StartExecutionCommand({ stateMachineArn: required(e, 'EXPORT_STATE_MACHINE_ARN'), name, input: JSON.stringify(input) }),
      );
    },
    linkExpirySeconds: e.EXPORT_LINK_EXPIRY_SECONDS ?? DEFAULT_LINK_EXPIRY_SECONDS,
    inlineMaxCases: e.EXPORT_INLINE_MAX_CASES ?? DEFAULT_INLINE_MAX_CASES,
  };
  return built;
}

/** Forgets the built ports, so a test can point them at another runtime. */
export function resetExportDeps(): void {
  built = undefined;
}
