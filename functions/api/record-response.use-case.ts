/**
 * A determined ICB or council answers for its body: note the hand-off, record it (optimistic, retried on a
 * concurrent write), write it to the chronology, then resume the workflow task waiting for that body and clear
 * the hand-off. A crash in between leaves the hand-off for reconcile-hand-offs.use-case.ts (issue 12, item 4).
 */
import { recordResponse, type ProposalContext, type ResponseOutcome } from '#domain/funding/funding-decisions.ts';
import type { Application, PartyResponse } from '#domain/applications/application.ts';
import type { Caller } from '../shared/auth.ts';
import { crashPoint } from '../shared/crash-point.ts';
import { rejectionProblem } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { withOptimisticRetry } from '../shared/optimistic-update.ts';
import { toResponseView } from './application-view.ts';
import type { ApiDeps } from './deps.ts';
import { loadForParty } from './read-application.use-case.ts';
import type { RecordResponseRequest } from './record-response.schema.ts';

/** The ports that deliver a saved answer to its workflow (the use case and the reconciler). */
export type HandOffDeps = Pick<ApiDeps, 'chronology' | 'tokens' | 'workflow' | 'handOffs'>;

const purposeOf = (response: PartyResponse): string => `response-${response.party}`;

/**
 * Writes the answer to the chronology and resumes the workflow task waiting for it, then clears its hand-off.
 * Each write is idempotent (the chronology by key, the resume by the token, which resumes once and is then
 * gone), so the reconciler may run it again for an answer a crashed request saved but did not deliver.
 */
export async function recordAndResume(
  deps: HandOffDeps,
  app: Application,
  response: PartyResponse,
): Promise<'resumed' | 'gone' | 'not-waiting'> {
  const data: Record<string, unknown> = {
    party: response.party,
    body: response.body,
    decision: response.decision,
    about: response.about ?? 'responsibility',
  };
  if (response.reason !== undefined) data['reason'] = response.reason;
  if (response.proposedBody !== undefined) data['proposedBody'] = response.proposedBody;
  await deps.chronology.append(app.personRef, {
    key: `response:${app.id}:${response.party}`,
    at: response.at,
    type: 'response-recorded',
    actor: { userId: response.by, org: response.body },
    applicationId: app.id,
    data,
  });
  const purpose = purposeOf(response);
  const token = await deps.tokens.get({ applicationId: app.id, purpose });
  // No token yet: the workflow has not reached its wait, and its request step resumes itself on finding the answer.
  // 'gone' is fine: the workflow moved on (say, to interim funding); the response stands.
  const outcome =
    token === null
      ? 'not-waiting'
      : await deps.workflow.succeed(token, { decision: response.decision, about: response.about ?? 'responsibility' });
  await deps.handOffs.remove({ applicationId: app.id, purpose });
  return outcome;
}

/** The directory's word on a proposed body (read only when a dispute names one). */
async function proposalContext(deps: ApiDeps, app: Application, proposedBody: string | undefined): Promise<ProposalContext> {
  if (proposedBody === undefined) return { proposed: null, members: [] };
  const [organisation, partnership] = await Promise.all([
    deps.directory.organisation(proposedBody),
    deps.directory.partnership(app.partnershipId),
  ]);
  return {
    proposed: organisation === null ? null : { code: organisation.code, kind: organisation.kind },
    members: partnership?.members ?? [],
  };
}

export async function recordApplicationResponse(
  deps: ApiDeps,
  input: { caller: Caller; id: string; request: RecordResponseRequest },
): Promise<HttpResult> {
  const { caller, id, request } = input;
  return withOptimisticRetry(async () => {
    const app = await loadForParty(deps, caller, id);
    const at = deps.clock.now();
    const proposal = await proposalContext(deps, app, request.proposedBody);
    const outcome: ResponseOutcome = recordResponse(app, { userId: caller.userId, org: caller.org }, request, at, proposal);
    if (outcome.kind === 'rejected') throw rejectionProblem(outcome);
    if (outcome.kind === 'unchanged') {
      // A retry of an answer already saved: finish what the first attempt may not have.
      await recordAndResume(deps, app, outcome.response);
      return { statusCode: 200, body: toResponseView(outcome.response) };
    }
    // The hand-off is recorded before the answer, so a crash after the save leaves it for the reconciler.
    await deps.handOffs.put({ applicationId: app.id, purpose: purposeOf(outcome.response), at });
    // Conditional on the stored deadline as well as the version: a late answer is never saved (issue 12).
    await deps.applications.save({ ...outcome.application, version: app.version + 1, updatedAt: at }, app, { answeredAt: at });
    crashPoint('after-response-saved');
    await recordAndResume(deps, app, outcome.response);
    return { statusCode: 201, body: toResponseView(outcome.response) };
  });
}
