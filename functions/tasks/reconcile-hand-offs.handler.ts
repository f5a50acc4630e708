/**
 * Scheduled (EventBridge in AWS, once at start under `npm start`): delivers answers saved by a request that died
 * before resuming their workflow. Throws when any delivery failed, so the failure shows in the function's errors.
 * Its daily rule sends `{"job": "escalate-funding-delays"}` instead: the escalation of discharge delays waiting on
 * funding (issue 13 item 5), run here rather than by a function of its own (the stack is near its resource budget).
 */
import * as z from 'zod';
import { S117Error } from '#domain/errors.ts';
import { portsView } from '../adapters/root.ts';
import { apiDeps } from '../api/api-deps.ts';
import { escalateFundingDelays, type DelayEscalationDeps, type DelayEscalationReport } from '../register/delay-escalations.use-case.ts';
import { env } from '../shared/env.ts';
import { reconcileHandOffs, type ReconcileReport } from '../api/reconcile-hand-offs.use-case.ts';
import { logger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middy.ts';

/** A hand-off younger than this may belong to a request still running. */
export const DEFAULT_MIN_AGE_SECONDS = 60;

const inputSchema = z.looseObject({
  minAgeSeconds: z.int().min(0).max(86_400).optional(),
  job: z.enum(['reconcile-hand-offs', 'escalate-funding-delays']).optional(),
});

/** What the daily run needs: the composition root's ports and the base URL for links in mail. */
const escalationDeps = (): DelayEscalationDeps =>
  portsView(['applications', 'directory', 'chronology', 'mailer', 'mailLog', 'clock'], {
    appBaseUrl: env().APP_BASE_URL.replace(/\/$/, ''),
  });

export class HandOffDeliveryError extends S117Error {
  constructor(readonly failed: number) {
    super(`${failed} hand-offs could not be delivered; they stay for the next run`);
    this.name = 'HandOffDeliveryError';
  }
}

export const handler = taskHandler(async (event: unknown): Promise<ReconcileReport | DelayEscalationReport> => {
  const input = inputSchema.parse(event ?? {});
  if (input.job === 'escalate-funding-delays') {
    const escalated = await escalateFundingDelays(escalationDeps());
    logger.info('funding delays escalated', { ...escalated });
    return escalated;
  }
  const report = await reconcileHandOffs(apiDeps(), { minAgeMs: (input.minAgeSeconds ?? DEFAULT_MIN_AGE_SECONDS) * 1000 });
  logger.info('hand-offs reconciled', { ...report, failed: report.failed.length });
  if (report.failed.length > 0) throw new HandOffDeliveryError(report.failed.length);
  return report;
});
