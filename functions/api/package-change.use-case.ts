/**
 * `POST /v1/applications/{id}/package-changes` (issue 13 item 3): a commissioner or admin of a party changes the
 * package, as a decision with author, effective date and reason; the write is conditional on the version read
 * (retried on a concurrent write), the chronology says what was decided, and the same request sent again is
 * the same decision (its id is a hash of the application, the caller's organisation and the request), not a
 * second one. A change dated in the past changes what is due for periods already exported, and the next export
 * carries the difference as adjustment rows (domain/exports/rows.ts diffAgainstPrevious): nothing exported is
 * rewritten. Above the partnership's panel threshold the decision waits for the panel and the package in force
 * stays in force.
 */
import { applyPackageChange, type PackageChangeRequest, type PackageChangeResult } from '#domain/applications/package-change.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { updateApplication } from '../shared/optimistic-update.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { packageDecisionView } from './application-view.ts';
import type { ApiDeps } from './deps.ts';
import type { PackageChangeBody } from './package-change.schema.ts';
import { loadForParty } from './read-application.use-case.ts';

/** The request as the domain takes it: the body less its effective date and reason. */
function changeOf(body: PackageChangeBody): PackageChangeRequest {
  switch (body.kind) {
    case 'add-line': {
      const { id, endDate, ...line } = body.line;
      return { kind: 'add-line', line: { ...line, ...(id === undefined ? {} : { id }), ...(endDate === undefined ? {} : { endDate }) } };
    }
    case 'end-line':
      return { kind: 'end-line', lineId: body.lineId };
    case 'change-cost':
      return { kind: 'change-cost', lineId: body.lineId, weeklyCostPence: body.weeklyCostPence };
    case 'top-up':
      return { kind: 'top-up', lineId: body.lineId, topUp: body.topUp };
    case 'line-split':
      return { kind: 'line-split', lineId: body.lineId, icbBasisPoints: body.icbBasisPoints, panelDecisionRef: body.panelDecisionRef };
  }
}

export async function changePackage(deps: ApiDeps, caller: Caller, id: string, body: PackageChangeBody): Promise<HttpResult> {
  const loaded = await loadForParty(deps, caller, id);
  const partnership = await deps.directory.partnership(loaded.partnershipId);
  const threshold = partnership?.panel?.thresholds.application;
  const decisionId = `pkg_${sha256Hex(canonicalJson({ application: loaded.id, org: caller.org, body })).slice(0, 24)}`;
  const at = deps.clock.now();
  let result: PackageChangeResult | undefined;
  const saved = await updateApplication(
    deps,
    id,
    (app) => {
      result = applyPackageChange(app, changeOf(body), {
        id: decisionId,
        effectiveDate: body.effectiveDate,
        reason: body.reason,
        by: { userId: caller.userId, org: caller.org },
        at,
        ...(threshold === undefined ? {} : { panelThresholdPence: threshold }),
      });
      if (result.kind === 'rejected')
        throw new ProblemError(
          result.field.startsWith('body.') ? 400 : 409,
          `The package cannot change: ${result.field} ${result.reason}.`,
          {
            errors: [{ field: result.field, message: result.reason }],
          },
        );
      return result.kind === 'unchanged' ? null : result.app;
    },
    loaded,
  );
  const decision = saved.packageDecisions?.find((d) => d.id === decisionId);
  if (decision === undefined || result === undefined || result.kind === 'rejected')
    throw new Error(`package decision ${decisionId} was not recorded`);
  // Written on every attempt, under one key: a retry whose first try saved but did not append still appends once.
  await deps.chronology.append(saved.personRef, {
    key: `package-change:${decision.id}`,
    at: decision.at,
    type: decision.state === 'awaiting-panel' ? 'package-change-awaiting-panel' : 'package-changed',
    actor: { userId: decision.by.userId, org: decision.by.org },
    applicationId: saved.id,
    data: {
      decisionId: decision.id,
      kind: decision.kind,
      lineId: decision.lineId,
      effectiveDate: decision.effectiveDate,
      state: decision.state,
      ruleIds: decision.ruleIds,
    },
  });
  const statusCode = result.kind === 'unchanged' ? 200 : decision.state === 'awaiting-panel' ? 202 : 201;
  return { statusCode, body: { applicationId: saved.id, version: saved.version, decision: packageDecisionView(decision) } };
}
