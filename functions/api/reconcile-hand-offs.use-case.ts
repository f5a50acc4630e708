/**
 * The reconciler of hand-offs (issue 12, item 4): an answer whose request died after saving it but before
 * resuming its workflow is delivered here. Run at start by the local runtime and on a schedule in AWS.
 */
import type { Instant } from '#domain/applications/application.ts';
import type { ApiDeps } from './deps.ts';
import { recordAndResume, type HandOffDeps } from './record-response.use-case.ts';

/** At most this many hand-offs per run (a run after an outage takes the next batch on the next schedule). */
export const RECONCILE_BATCH = 100;

export interface ReconcileReport {
  resumed: number;
  /** The workflow had moved on (timed out to interim funding, stopped): the answer stands, nothing to resume. */
  gone: number;
  /** Answer saved, workflow not yet waiting: its request step resumes itself when it finds the answer. */
  notWaiting: number;
  /** The answer was never saved (the request died before the save): the hand-off is dropped. */
  abandoned: number;
  /** Hand-offs younger than the grace period, left to the request that may still be running. */
  deferred: number;
  /** Hand-offs whose delivery failed this run (left for the next run); only their ids. */
  failed: { applicationId: string; purpose: string; error: string }[];
}

const PURPOSE = /^response-(icb|la)$/;

/**
 * Delivers every pending hand-off older than `minAgeMs` (a younger one may belong to a request still running).
 * Exactly once: the chronology append is keyed and a task token resumes once, then answers 'gone'.
 */
export async function reconcileHandOffs(
  deps: HandOffDeps & Pick<ApiDeps, 'applications' | 'clock'>,
  options: { minAgeMs: number },
): Promise<ReconcileReport> {
  const report: ReconcileReport = { resumed: 0, gone: 0, notWaiting: 0, abandoned: 0, deferred: 0, failed: [] };
  const cutoff = Date.parse(deps.clock.now()) - options.minAgeMs;
  for (const handOff of await deps.handOffs.list(RECONCILE_BATCH)) {
    if (Date.parse(handOff.at as Instant) > cutoff) {
      report.deferred++;
      continue;
    }
    try {
      const party = PURPOSE.exec(handOff.purpose)?.[1] as 'icb' | 'la' | undefined;
      const app = await deps.applications.get(handOff.applicationId);
      const response = party === undefined ? undefined : app?.responses[party];
      if (app === null || response === undefined) {
        await deps.handOffs.remove(handOff);
        report.abandoned++;
        continue;
      }
      const outcome = await recordAndResume(deps, app, response);
      if (outcome === 'resumed') report.resumed++;
      else if (outcome === 'gone') report.gone++;
      else report.notWaiting++;
    } catch (error) {
      report.failed.push({
        applicationId: handOff.applicationId,
        purpose: handOff.purpose,
        error: error instanceof Error ? error.name : 'Error',
      });
    }
  }
  return report;
}
