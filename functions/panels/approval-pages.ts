/**
 * The approval link, scanner-safe. GET shows the case and a form with the link's page token, the same on
 * every visit while it has half an hour to run, so scanner visits write nothing and never lock the member out
 * (HEAD shows nothing and writes nothing); the approval id in the path is the only credential. Only a POST with
 * a live form token moves on, and only the confirm POST, with the confirm page's single-use token, records the decision, with one
 * conditional write on `status = pending`. A link that cannot act any more answers 410 with a page
 * saying what to do; an id that matches nothing, 404.
 */
import type { PageInput, PageResult } from '../shared/middy.ts';
import { withOptimisticRetry } from '../shared/optimistic-update.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import type { PanelVoteView } from '#domain/panels/contract.ts';
import type { VoteDecision } from '#domain/panels/panel.ts';
import { checkVote, type QuorumState } from '#domain/panels/quorum.ts';
import {
  approvalState,
  castVote,
  hasLiveCsrf,
  isPageToken,
  livePageToken,
  quorumOf,
  spendCsrf,
  withCsrf,
  withPageToken,
  type Approval,
  type PanelRequest,
} from '#domain/panels/request.ts';
import { confirmPage, decidedPage, formPage, gonePage, notFoundPage, staleFormPage, usedLinkPage, type CaseView } from './approval-html.ts';
import { approvalsOf, chronologyLink, settlePanel, type PanelDeps } from './panel-steps.ts';

export type PageDeps = Pick<
  PanelDeps,
  'panels' | 'applications' | 'directory' | 'chronology' | 'tokens' | 'workflow' | 'clock' | 'hash'
> & {
  /** A fresh form token (at least 128 bits, base64url). */
  randomId(): string;
};

/** An approval id as issued: base64url of at least 16 random bytes. Anything else is not looked up. */
export const APPROVAL_ID = /^[A-Za-z0-9_-]{22,86}$/;
const DECISIONS: readonly VoteDecision[] = ['approve', 'reject', 'more-information'];
const REASON_MAX = 2000;

interface Loaded {
  approval: Approval;
  request: PanelRequest;
  all: Approval[];
  view: CaseView;
  quorum: QuorumState;
}

const page = (statusCode: number, html: string): PageResult => ({ statusCode, html });

function voteViews(request: PanelRequest, quorum: QuorumState): PanelVoteView[] {
  const member = (id: string) => [...request.seats, ...request.standby].find((s) => s.memberId === id);
  return quorum.counted.map((v) => ({
    memberId: v.memberId,
    name: member(v.memberId)?.name ?? v.memberId,
    organisation: member(v.memberId)?.organisation ?? '',
    side: v.side,
    decision: v.decision,
    at: v.at,
    ...(v.reason === undefined ? {} : { reason: v.reason }),
    ...(v.seat === v.memberId ? {} : { onBehalfOf: member(v.seat)?.name ?? v.seat }),
  }));
}

async function load(deps: PageDeps, approvalId: string | undefined): Promise<Loaded | null> {
  if (approvalId === undefined || !APPROVAL_ID.test(approvalId)) return null;
  const approval = await deps.panels.getApproval(approvalId);
  if (approval === null) return null;
  const request = await deps.panels.getRequest(approval.applicationId, approval.panelRequestId);
  // A foreign approval (not one this request issued) is as unknown as a made-up one.
  if (request === null || !request.approvals.some((a) => a.approvalId === approval.id && a.memberId === approval.memberId)) return null;
  // A request about a register episode (subject 'ending') shows its proposal; there is no application.
  const app = request.episodeId === undefined ? await deps.applications.get(request.applicationId) : null;
  if (app === null && request.episodeId === undefined) return null;
  const all = await approvalsOf(deps, request);
  const quorum = quorumOf(request, all);
  const names = new Map((await deps.directory.organisations()).map((o) => [o.code, o.name]));
  const view: CaseView = { app, request, approval, votes: voteViews(request, quorum), orgName: (code) => names.get(code) ?? code };
  return { approval, request, all, view, quorum };
}

function refusal(loaded: Loaded, now: string): PageResult | null {
  const state = approvalState(loaded.approval, loaded.request, loaded.all, now);
  if (state === 'open') return null;
  if (state === 'voted') return null;
  return page(410, gonePage(state, loaded.view));
}

/** GET and HEAD /approvals/{approvalId}; an approval that kept changing while the form was issued shows a stale-form page. */
export async function showApproval(deps: PageDeps, input: PageInput): Promise<PageResult> {
  try {
    return await withOptimisticRetry(() => showOnce(deps, input));
  } catch (error) {
    if (error instanceof ConcurrentUpdateError) return page(403, staleFormPage());
    throw error;
  }
}

async function showOnce(deps: PageDeps, input: PageInput): Promise<PageResult> {
  const loaded = await load(deps, input.path['approvalId']);
  if (loaded === null) return page(404, notFoundPage());
  const now = deps.clock.now();
  if (loaded.approval.status === 'decided') return page(200, decidedPage(loaded.view, false));
  const refused = refusal(loaded, now);
  if (refused !== null) return refused;
  // HEAD answers like GET but issues no token: it writes nothing at all.
  if (input.method === 'HEAD') return page(200, '');
  // Every visit shows the link's live page token: a scanner's GETs write nothing and push no open form out.
  const live = livePageToken(loaded.approval, now);
  if (live !== null) return page(200, formPage(loaded.view, live));
  const token = deps.randomId();
  const next = { ...withPageToken(loaded.approval, token, now), version: loaded.approval.version + 1 };
  // Someone else wrote the approval meanwhile (another visit, a vote): show it as it is now.
  if (!(await deps.panels.saveApproval(next))) throw new ConcurrentUpdateError('The approval changed while its form was issued');
  return page(200, formPage({ ...loaded.view, approval: next }, token));
}

/**
 * Stores a new form token's hash on the pending approval (conditional), spending the one the form came with
 * unless it was the page token (shared by every visit; it only ever leads to a confirm page); null if the approval
 * changed meanwhile.
 */
async function issue(deps: PageDeps, approval: Approval, token: string, now: string, spent: string | null): Promise<Approval | null> {
  const base = spent === null ? approval : spendCsrf(approval, spent, now);
  if (base === null) return null;
  const next = { ...withCsrf(base, deps.hash(token), now), version: approval.version + 1 };
  return (await deps.panels.saveApproval(next)) ? next : null;
}

/**
 * Saves the vote on the approval (conditional on its version). A page opened meanwhile (a scanner, another
 * tab) only added a form token: while this form's token is still live the vote is cast on the fresh copy.
 */
async function saveVote(
  deps: PageDeps,
  approval: Approval,
  hash: string,
  now: string,
  vote: Parameters<typeof castVote>[1],
): Promise<Approval | null> {
  try {
    return await withOptimisticRetry(async (attempt) => {
      const current = attempt === 1 ? approval : await deps.panels.getApproval(approval.id);
      // Re-read after a conflict: the vote stands only on a pending approval whose form token is still live.
      if (current === null || (attempt > 1 && (current.status !== 'pending' || !hasLiveCsrf(current, hash, now)))) return null;
      const voted = { ...castVote(current, vote), version: current.version + 1 };
      if (await deps.panels.saveApproval(voted)) return voted;
      throw new ConcurrentUpdateError('The approval changed since it was read');
    });
  } catch (error) {
    if (error instanceof ConcurrentUpdateError) return null;
    throw error;
  }
}

/** POST /approvals/{approvalId}: the choice (→ confirm page) or the confirmation (→ recorded). */
export async function submitApproval(deps: PageDeps, input: PageInput): Promise<PageResult> {
  const loaded = await load(deps, input.path['approvalId']);
  if (loaded === null) return page(404, notFoundPage());
  const now = deps.clock.now();
  const { approval, view } = loaded;
  if (approval.status === 'decided') return page(410, usedLinkPage(view));
  const refused = refusal(loaded, now);
  if (refused !== null) return refused;

  const form = input.form ?? new URLSearchParams();
  const csrf = form.get('csrf') ?? '';
  const hash = deps.hash(csrf);
  const fromPage = isPageToken(approval, csrf, now);
  if (csrf === '' || (!fromPage && !hasLiveCsrf(approval, hash, now))) return page(403, staleFormPage());
  const spent = fromPage ? null : hash;

  const decision = form.get('decision') as VoteDecision | null;
  const reasonText = (form.get('reason') ?? '').trim();
  const reason = reasonText === '' ? undefined : reasonText;
  const again = async (status: number, problem: string): Promise<PageResult> => {
    const token = deps.randomId();
    const issued = await issue(deps, approval, token, now, spent);
    if (issued === null) return page(403, staleFormPage());
    return page(status, formPage({ ...view, approval: issued }, token, problem, reason === undefined ? {} : { reason }));
  };
  if (decision === null || !DECISIONS.includes(decision)) return again(400, 'Choose Approve, Reject or Ask for more information.');
  if (decision !== 'approve' && reason === undefined) return again(400, 'Give a reason to reject or to ask for more information.');
  if (reason !== undefined && reason.length > REASON_MAX) return again(400, `Keep the reason under ${REASON_MAX} characters.`);
  const allowed = checkVote(approval.memberId, decision, loaded.request.proposedBy);
  if (!allowed.ok) return again(409, allowed.reason);

  // The page token moves a form on; only a token from the confirm page (or a re-shown form) records a decision.
  if (fromPage && form.get('confirm') === 'yes') return page(403, staleFormPage());
  if (form.get('confirm') !== 'yes') {
    const token = deps.randomId();
    const issued = await issue(deps, approval, token, now, spent);
    if (issued === null) return page(403, staleFormPage());
    return page(200, confirmPage({ ...view, approval: issued }, token, decision, reason));
  }

  const client = {
    ...(input.sourceIp === '' ? {} : { sourceIp: input.sourceIp }),
    ...(input.userAgent === '' ? {} : { userAgent: input.userAgent.slice(0, 300) }),
  };
  // One vote per seat: the seat is claimed with one conditional write before the vote is saved, so a member
  // and their deputy confirming at the same moment cannot both count.
  const seat = { applicationId: loaded.request.applicationId, panelRequestId: loaded.request.id, seat: approval.seat };
  if ((await deps.panels.claimSeat(seat, approval.id, approval.expiresAt)) !== approval.id) return page(410, gonePage('seat-taken', view));
  const voted = await saveVote(deps, approval, hash, now, { decision, at: now, client, ...(reason === undefined ? {} : { reason }) });
  if (voted === null) {
    // Another request got there first (a double click, a replay): that one decided; this one records nothing.
    const current = await load(deps, approval.id);
    if (current?.approval.status !== 'decided') await deps.panels.releaseSeat(seat, approval.id);
    return current === null
      ? page(404, notFoundPage())
      : current.approval.status === 'decided'
        ? page(410, usedLinkPage(current.view))
        : page(403, staleFormPage());
  }
  const all = loaded.all.map((a) => (a.id === voted.id ? voted : a));
  const quorum = quorumOf(loaded.request, all);
  await deps.chronology.append(loaded.request.personRef, {
    key: `panel-vote:${loaded.request.id}:${voted.id}`,
    at: now,
    type: 'panel-vote-recorded',
    actor: { userId: voted.memberId, org: voted.organisation },
    ...chronologyLink(loaded.request),
    data: {
      panelRequestId: loaded.request.id,
      memberId: voted.memberId,
      side: voted.side,
      decision,
      ...(reason === undefined ? {} : { reason }),
      ...(voted.seat === voted.memberId ? {} : { onBehalfOf: voted.seat }),
      quorum: {
        outcome: quorum.outcome,
        approvals: quorum.approvals,
        needed: quorum.needed,
        ignored: quorum.ignored,
        reasons: quorum.reasons,
      },
    },
  });
  const settled = await settlePanel(deps, loaded.request);
  return page(
    200,
    decidedPage({ ...view, approval: voted, request: settled.request, votes: voteViews(settled.request, settled.state) }, true),
  );
}
