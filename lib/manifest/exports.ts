/** Finance exports (issue 6): the export API, the export workflow and its steps, the exports bucket. */
import type { BucketAction, BucketGrant, FeatureManifest } from '../app-manifest.ts';
import { commonEnvironment, readDirectory, readOnly, readWrite } from './common.ts';

/** The functions of statemachines/export.asl.json, by the substitution that names each. */
/** Access to the exports bucket: `batches/` (kept files and their rows, for later adjustments) and `work/` (parts). */
const objects = (...actions: BucketAction[]): BucketGrant => ({ bucket: 'exports', actions });

export const exportTasks = {
  PrepareExportArn: 'prepare-export',
  WriteExportPartArn: 'write-export-part',
  CompleteExportArn: 'complete-export',
  CreateDownloadLinkArn: 'export-link',
  MarkExportArn: 'mark-export',
} as const;

/** What every export function needs: the bucket (S3 get, put, list, delete) and the link lifetime. */
const exportEnvironment = { ...commonEnvironment, EXPORTS_BUCKET: 'bucket:exports', EXPORT_LINK_EXPIRY_SECONDS: '900' } as const;
const apiEnvironment = { ...exportEnvironment, EXPORT_STATE_MACHINE_ARN: 'state-machine:export', EXPORT_INLINE_MAX_CASES: '200' } as const;

const handler = (name: string): string => `functions/exports/${name}.handler.ts`;
/** The partnership's applications (through ByOrganisation), their settlement entries, and the export items. */
const readRegister = { ...readOnly('APP#*', 'EXPORT#*', 'EXPORTBATCH#*', 'EXPORTJOB#*'), queryIndexes: true };

export const exports: FeatureManifest = {
  buckets: [{ name: 'exports' }],
  functions: [
    {
      name: 'export-apportionment',
      handler: handler('export-apportionment'),
      environment: apiEnvironment,
      timeoutSeconds: 29,
      memoryMb: 1024,
      permissions: {
        tables: [readDirectory, readRegister, readWrite('EXPORT#*', 'EXPORTBATCH#*', 'EXPORTJOB#*')],
        startExecution: ['export'],
        buckets: [objects('read', 'write', 'delete', 'list')],
      },
    },
    {
      name: 'export-recharges',
      handler: handler('export-recharges'),
      environment: apiEnvironment,
      timeoutSeconds: 29,
      permissions: { tables: [readDirectory, readRegister], buckets: [objects('read')] },
    },
    {
      name: 'get-export',
      handler: handler('get-export'),
      environment: apiEnvironment,
      timeoutSeconds: 10,
      permissions: { tables: [readDirectory, readOnly('EXPORTBATCH#*', 'EXPORTJOB#*')], buckets: [objects('read')] },
    },
    {
      name: 'prepare-export',
      handler: handler('prepare-export'),
      environment: exportEnvironment,
      timeoutSeconds: 900,
      memoryMb: 1024,
      permissions: { tables: [readDirectory, readRegister], buckets: [objects('read', 'write', 'delete')] },
    },
    {
      name: 'write-export-part',
      handler: handler('write-export-part'),
      environment: exportEnvironment,
      timeoutSeconds: 900,
      memoryMb: 1024,
      permissions: { buckets: [objects('read', 'write', 'delete')] },
    },
    {
      name: 'complete-export',
      handler: handler('complete-export'),
      environment: exportEnvironment,
      timeoutSeconds: 900,
      memoryMb: 1024,
      permissions: { tables: [readWrite('EXPORT#*', 'EXPORTBATCH#*')], buckets: [objects('read', 'write', 'delete', 'list')] },
    },
    {
      name: 'mark-export',
      handler: handler('mark-export'),
      environment: exportEnvironment,
      timeoutSeconds: 10,
      permissions: { tables: [readWrite('EXPORTJOB#*')] },
    },
    {
      name: 'export-link',
      handler: handler('export-link'),
      environment: exportEnvironment,
      timeoutSeconds: 10,
      permissions: { tables: [readOnly('EXPORTBATCH#*')], buckets: [objects('read')] },
    },
  ],
  stateMachines: [
    {
      name: 'export',
      definitionFile: 'statemachines/export.asl.json',
      substitutions: {
        ...Object.fromEntries(Object.entries(exportTasks).map(([placeholder, fn]) => [placeholder, `function:${fn}`])),
      },
    },
  ],
};
