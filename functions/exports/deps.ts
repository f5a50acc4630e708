/**
 * The exports' ports: a view over the composition root (functions/adapters/root.ts), the register (DynamoDB),
 * the directory, the exports bucket (S3; AWS_ENDPOINT_URL_S3 locally) and, for the API, the export workflow.
 * Links expire after EXPORT_LINK_EXPIRY_SECONDS (default 15 minutes); registers of at most
 * EXPORT_INLINE_MAX_CASES applications (default 200) are exported inside the API request.
 */
import type { Directory } from '#domain/ports.ts';
import { ports, portsView } from '../adapters/root.ts';
import { env, required } from '../shared/env.ts';
import type { ExportDeps } from './export-steps.ts';

export const DEFAULT_LINK_EXPIRY_SECONDS = 900;
export const DEFAULT_INLINE_MAX_CASES = 200;

export interface ExportApiDeps extends ExportDeps {
  directory: Directory;
  /** Starts the export workflow (execution name = the export id). */
  startWorkflow(name: string, input: unknown): Promise<void>;
  linkExpirySeconds: number;
  inlineMaxCases: number;
}

export function exportDeps(): ExportApiDeps {
  const e = env();
  const deps = portsView(['directory', 'objects', 'clock'], {
    // The root calls it the export register; the exports call it their register.
    get register() {
      return ports().exportRegister;
    },
    async startWorkflow(name: string, input: unknown) {
      await ports().workflow.start(required(e, 'EXPORT_STATE_MACHINE_ARN'), name, input);
    },
    linkExpirySeconds: e.EXPORT_LINK_EXPIRY_SECONDS ?? DEFAULT_LINK_EXPIRY_SECONDS,
    inlineMaxCases: e.EXPORT_INLINE_MAX_CASES ?? DEFAULT_INLINE_MAX_CASES,
  });
  return deps;
}
