/**
 * Discharge-ready and delays (issue 13 item 5): the readiness recorded with a new application, and changed after
 * by a party (optimistic, retried on a concurrent write), with a chronology entry for every change.
 */
import type { DischargeReadiness, Instant } from '#domain/applications/application.ts';
import { changeDischarge } from '#domain/applications/discharge.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { updateApplication } from '../shared/optimistic-update.ts';
import type { ApiDeps } from './deps.ts';
import { toDischargeView } from './application-view.ts';
import type { DischargeChange, DischargeRequest } from './discharge.schema.ts';
import { loadForParty } from './read-application.use-case.ts';

/** The readiness a new application records. */
export function dischargeOf(request: DischargeRequest, at: Instant): DischargeReadiness {
  const out: DischargeReadiness = {
    delayReasons: (request.delayReasons ?? []).map((r) =>
      r.detail === undefined ? { reason: r.reason } : { reason: r.reason, detail: r.detail },
    ),
    updatedAt: at,
  };
  if (request.clinicallyReadyOn !== undefined) out.clinicallyReadyOn = request.clinicallyReadyOn;
  if (request.expectedDischargeOn !== undefined) out.expectedDischargeOn = request.expectedDischargeOn;
  if (request.dischargedOn !== undefined) out.dischargedOn = request.dischargedOn;
  return out;
}

/** What the chronology keeps of a readiness: dates and reason codes; the free text stays on the application. */
export function dischargeEntryData(d: DischargeReadiness): Record<string, unknown> {
  return {
    clinicallyReadyOn: d.clinicallyReadyOn ?? null,
    expectedDischargeOn: d.expectedDischargeOn ?? null,
    dischargedOn: d.dischargedOn ?? null,
    delayReasons: d.delayReasons.map((r) => r.reason),
  };
}

/** `PATCH /v1/applications/{id}/discharge`: a party changes the dates or the reasons; 200 with what is recorded. */
export async function changeApplicationDischarge(deps: ApiDeps, caller: Caller, id: string, change: DischargeChange): Promise<HttpResult> {
  const loaded = await loadForParty(deps, caller, id);
  const at = deps.clock.now();
  let changed = false;
  const request = {
    ...(change.clinicallyReadyOn === undefined ? {} : { clinicallyReadyOn: change.clinicallyReadyOn }),
    ...(change.expectedDischargeOn === undefined ? {} : { expectedDischargeOn: change.expectedDischargeOn }),
    ...(change.dischargedOn === undefined ? {} : { dischargedOn: change.dischargedOn }),
    ...(change.delayReasons === undefined
      ? {}
      : {
          delayReasons: change.delayReasons.map((r) =>
            r.detail === undefined ? { reason: r.reason } : { reason: r.reason, detail: r.detail },
          ),
        }),
  };
  const saved = await updateApplication(
    deps,
    id,
    (app) => {
      const result = changeDischarge(app.discharge, request, at);
      if (result.kind === 'rejected')
        throw new ProblemError(400, `The discharge dates are out of order: ${result.field} ${result.reason}.`, {
          errors: [{ field: `body.${result.field}`, message: result.reason }],
        });
      changed = result.kind === 'changed';
      return result.kind === 'changed' ? { ...app, discharge: result.discharge } : null;
    },
    loaded,
  );
  const discharge = saved.discharge ?? { delayReasons: [], updatedAt: saved.updatedAt };
  if (changed)
    await deps.chronology.append(saved.personRef, {
      key: `discharge:${saved.id}:${saved.version}`,
      at,
      type: 'discharge-readiness-changed',
      actor: { userId: caller.userId, org: caller.org },
      applicationId: saved.id,
      data: dischargeEntryData(discharge),
    });
  return { statusCode: 200, body: { applicationId: saved.id, version: saved.version, discharge: toDischargeView(discharge) } };
}
