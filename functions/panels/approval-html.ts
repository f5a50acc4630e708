/**
 * The approval pages, server-rendered on the NHS.UK design system: the workspace's layout (nhsuk-frontend's skip
 * link, header and footer, its stylesheet from /app/assets, functions/workspace/html.ts) round the case, no
 * JavaScript, every value escaped. The person appears only by their pseudonymous reference. No page ever shows an
 * exception: if the design system's templates cannot be read, the same content goes out in a plain page.
 */
import { weeklyS117CostOn, type Application } from '#domain/applications/application.ts';
import { formatLongDate } from '#domain/dates.ts';
import { formatPounds, largestRemainder } from '#domain/money.ts';
import type { PanelVoteView } from '#domain/panels/contract.ts';
import type { VoteDecision } from '#domain/panels/panel.ts';
import type { Approval, ApprovalState, PanelRequest } from '#domain/panels/request.ts';
import { page } from '../workspace/html.ts';
import { escapeHtml as e } from './panel-messages.ts';

/**
 * What the design system's classes do not reach: the tables, buttons and notices here are plain elements (their
 * markup is what the panel's tests read), styled as nhsuk-frontend styles its own, in the NHS palette, with the
 * NHS.UK focus style (yellow with a black underline) on every button.
 */
const PANEL_STYLE =
  '.s117-panel table{border-collapse:collapse;width:100%;margin:0 0 24px}' +
  '.s117-panel td,.s117-panel th{border-bottom:1px solid #d8dde0;padding:8px 16px 8px 0;text-align:left;vertical-align:top}' +
  '.s117-panel .notice{border-left:8px solid #005eb8;padding:16px 24px;margin:0 0 24px;background:#fff}' +
  '.s117-panel .notice.error{border-left-color:#d5281b}' +
  '.s117-panel button{font-family:inherit;font-size:19px;font-weight:600;line-height:1.5;color:#fff;background:#007f3b;border:2px solid transparent;' +
  'border-radius:4px;box-shadow:0 4px 0 #00401e;padding:12px 16px;margin:0 16px 24px 0;cursor:pointer}' +
  '.s117-panel button:hover{background:#00662f}' +
  '.s117-panel button:focus{outline:4px solid transparent;background:#ffeb3b;color:#212b32;box-shadow:0 4px 0 #212b32}' +
  '.s117-panel textarea{font-family:inherit;font-size:19px;width:100%;min-height:6em;border:2px solid #4c6272;padding:4px}' +
  '.s117-panel textarea:focus{outline:4px solid #ffeb3b;box-shadow:inset 0 0 0 2px #212b32}';

const PLAIN_STYLE =
  'body{font-family:Arial,sans-serif;max-width:46em;margin:1.5em auto;padding:0 1em;line-height:1.45;color:#212b32}' +
  'table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #4c6272;padding:.3em .6em;text-align:left}' +
  '.notice{border-left:6px solid #005eb8;padding:.5em 1em;background:#f0f4f5}.error{border-left-color:#d5281b}' +
  'button{font-size:1em;padding:.5em 1em;margin:.3em .5em .3em 0}textarea{width:100%;min-height:5em}';

/** The same content without the design system: what a page falls back to if its templates cannot be read. */
function plainLayout(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex,nofollow"><title>${e(title)}</title><style>${PLAIN_STYLE}</style></head>` +
    `<body><main><h1>${e(title)}</h1>${body}</main></body></html>`
  );
}

export function layout(title: string, body: string): string {
  try {
    return page(title, `<div class="s117-panel">${body}</div>`, undefined, [], { style: PANEL_STYLE, service: 'Joint funding panel' });
  } catch {
    return plainLayout(title, body);
  }
}

export const DECISION_WORDS: Record<VoteDecision, string> = {
  approve: 'Approve',
  reject: 'Reject',
  'more-information': 'Ask for more information',
};
const DECISION_PAST: Record<VoteDecision, string> = {
  approve: 'approved',
  reject: 'rejected',
  'more-information': 'asked for more information',
};
const OUTCOME_WORDS = {
  approved: 'approved',
  rejected: 'rejected',
  'more-information': 'asked for more information',
  'no-decision': 'ended without a decision',
} as const;

const when = (instant: string): string => `${formatLongDate(instant.slice(0, 10))} at ${instant.slice(11, 16)} UTC`;

export interface CaseView {
  /** null for a request about a register episode (subject 'ending'). */
  app: Application | null;
  request: PanelRequest;
  approval: Approval;
  votes: PanelVoteView[];
  orgName(code: string): string;
}

/** A register episode's case: the proposal and its report (the details), and who is responsible. */
function episodeSection(v: CaseView): string {
  const { request } = v;
  return (
    `<p>Register episode <strong>${e(request.episodeId ?? request.applicationId)}</strong> for person <strong>${e(request.personRef)}</strong> (pseudonymised reference).</p>` +
    `<h2>Proposal</h2><p>${e(request.proposal.summary)}</p>` +
    ((request.proposal.details ?? []).length === 0
      ? ''
      : `<h2>The report</h2><ul>${(request.proposal.details ?? []).map((p) => `<li>${e(p)}</li>`).join('')}</ul>`)
  );
}

function caseSection(v: CaseView): string {
  const { app, request } = v;
  if (app === null) return episodeSection(v);
  const d = app.determination;
  const weekly = request.proposal.weeklyCostPence ?? weeklyS117CostOn(app.carePlan, app.requestedStartDate);
  const split = request.proposal.split ?? [];
  const amounts =
    split.length > 0
      ? largestRemainder(
          weekly,
          split.map((s) => s.basisPoints),
        )
      : [];
  const lines = app.carePlan.serviceLines.filter((l) => l.s117);
  return (
    `<p>Application <strong>${e(app.id)}</strong> for person <strong>${e(app.personRef)}</strong> (pseudonymised reference), ` +
    `submitted by ${e(v.orgName(app.submittedBy.org))}. Care requested from ${e(formatLongDate(app.requestedStartDate))}.</p>` +
    `<h2>Proposal</h2><p>${e(request.proposal.summary)}</p>` +
    (request.proposal.details ?? []).map((p) => `<p>${e(p)}</p>`).join('') +
    (split.length > 0
      ? `<h2>Proposed split</h2><table><thead><tr><th>Body</th><th>Share</th><th>A week</th></tr></thead><tbody>${split.map((s, i) => `<tr><td>${e(v.orgName(s.body))} (${e(s.body)})</td><td>${s.basisPoints / 100}%</td><td>${e(formatPounds(amounts[i] ?? 0))}</td></tr>`).join('')}</tbody></table>`
      : '') +
    `<h2>Costs</h2><table><thead><tr><th>Service</th><th>Provider</th><th>A week</th></tr></thead><tbody>` +
    lines
      .map((l) => `<tr><td>${e(l.description)}</td><td>${e(l.provider)}</td><td>${e(formatPounds(l.weeklyCostPence))}</td></tr>`)
      .join('') +
    `<tr><th colspan="2">s117 aftercare in all</th><th>${e(formatPounds(weekly))}</th></tr></tbody></table>` +
    (d === null
      ? '<h2>Determination</h2><p>No determination yet.</p>'
      : `<h2>Determination</h2><p>ICB: <strong>${e(d.icb.body === null ? 'not determined' : v.orgName(d.icb.body))}</strong>. ` +
        `Local authority: <strong>${e(d.localAuthority.body === null ? 'not determined' : v.orgName(d.localAuthority.body))}</strong>. Rules: ${e(d.ruleIds.join(', '))}.</p>` +
        `<ul>${d.explanation.map((line) => `<li>${e(line)}</li>`).join('')}</ul>`)
  );
}

function votesSection(votes: PanelVoteView[]): string {
  if (votes.length === 0) return '<h2>Decisions so far</h2><p>Nobody has decided yet.</p>';
  return (
    '<h2>Decisions so far</h2><table><thead><tr><th>Who</th><th>Decision</th><th>When</th><th>Reason</th></tr></thead><tbody>' +
    votes
      .map(
        (v) =>
          `<tr><td>${e(v.name)} (${e(v.organisation)})${v.onBehalfOf === undefined ? '' : ` for ${e(v.onBehalfOf)}`}</td><td>${e(DECISION_PAST[v.decision])}</td><td>${e(when(v.at))}</td><td>${e(v.reason ?? '')}</td></tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}

/** The decision form: three buttons, a reason, a single-use form token. Nothing is recorded until the confirm step. */
export function formPage(v: CaseView, csrfToken: string, problem?: string, values: { reason?: string } = {}): string {
  const who = `${v.approval.name}, ${v.orgName(v.approval.organisation)}${v.approval.seat === v.approval.memberId ? '' : `, deputising for ${v.approval.seat}`}`;
  return layout(
    'Joint funding panel: your decision',
    (problem === undefined ? '' : `<p class="notice error" role="alert">${e(problem)}</p>`) +
      `<p class="notice">This page is for ${e(who)}. Decide by ${e(when(v.request.deadline))}.</p>` +
      caseSection(v) +
      votesSection(v.votes) +
      `<h2>Your decision</h2><form method="post" action="${e(v.approval.id)}">` +
      `<input type="hidden" name="csrf" value="${e(csrfToken)}">` +
      `<p><label for="reason">Reason (needed to reject or to ask for more information)</label><br><textarea id="reason" name="reason" maxlength="2000">${e(values.reason ?? '')}</textarea></p>` +
      (['approve', 'reject', 'more-information'] as const)
        .map((d) => `<button type="submit" name="decision" value="${d}">${e(DECISION_WORDS[d])}</button>`)
        .join('') +
      '<p>You will be asked to confirm on the next page.</p></form>',
  );
}

/** The confirm step: the chosen decision, carried in hidden fields, and the confirm button. */
export function confirmPage(v: CaseView, csrfToken: string, decision: VoteDecision, reason: string | undefined): string {
  return layout(
    'Joint funding panel: confirm your decision',
    `<p class="notice">You are about to <strong>${e(DECISION_WORDS[decision].toLowerCase())}</strong>: ${e(v.request.proposal.summary)}</p>` +
      (reason === undefined ? '' : `<p>Your reason: ${e(reason)}</p>`) +
      `<form method="post" action="${e(v.approval.id)}">` +
      `<input type="hidden" name="csrf" value="${e(csrfToken)}"><input type="hidden" name="decision" value="${e(decision)}">` +
      `<input type="hidden" name="reason" value="${e(reason ?? '')}"><input type="hidden" name="confirm" value="yes">` +
      `<button type="submit">Confirm: ${e(DECISION_WORDS[decision].toLowerCase())}</button></form>` +
      `<p>To choose differently, open the link in your email again.</p>`,
  );
}

/** After the vote, and on every later visit: who decided what and when. */
export function decidedPage(v: CaseView, justNow: boolean): string {
  const a = v.approval;
  const mine =
    a.decision === undefined || a.decidedAt === undefined
      ? ''
      : `You ${e(DECISION_PAST[a.decision])} on ${e(when(a.decidedAt))}${a.reason === undefined ? '' : `, giving the reason: ${e(a.reason)}`}.`;
  const result = v.request.result;
  return layout(
    justNow ? 'Thank you: your decision is recorded' : 'You have already decided',
    `<p class="notice">${mine} A decision cannot be changed through this link; to raise something new, contact the panel's secretary.</p>` +
      (result === undefined
        ? '<p>The panel has not reached its decision yet.</p>'
        : `<p>The panel <strong>${e(OUTCOME_WORDS[result.outcome])}</strong> the proposal on ${e(when(result.decidedAt))}.</p>`) +
      votesSection(v.votes),
  );
}

const GONE: Record<Exclude<ApprovalState, 'open' | 'voted'>, string> = {
  closed:
    "The panel has already reached its decision on this proposal without your vote, so there is nothing to do. If you think the decision is wrong, contact the panel's secretary.",
  expired:
    "This link has expired: the panel's time to decide is over and the case continues under interim funding. If it still needs a decision, the commissioner will ask the panel again, and you will get a new link.",
  'seat-taken':
    'A decision for this seat was already recorded through another link (the member or their deputy), so there is nothing to do.',
};

export function gonePage(state: Exclude<ApprovalState, 'open' | 'voted'>, v?: CaseView): string {
  return layout(
    'This link can no longer be used',
    `<p class="notice">${e(GONE[state])}</p>${v === undefined ? '' : votesSection(v.votes)}`,
  );
}

export function usedLinkPage(v: CaseView): string {
  return layout(
    'This link has been used',
    `<p class="notice">A decision has already been recorded through this link, so it cannot record another. ${v.approval.decision === undefined || v.approval.decidedAt === undefined ? '' : `You ${e(DECISION_PAST[v.approval.decision])} on ${e(when(v.approval.decidedAt))}.`} If that was not you, contact the panel's secretary at once.</p>` +
      votesSection(v.votes),
  );
}

export const notFoundPage = (): string =>
  layout(
    'Link not recognised',
    '<p class="notice">This link does not match any panel decision. Check that you copied the whole link from your email; if it still does not work, contact the panel\'s secretary.</p>',
  );

export const staleFormPage = (): string =>
  layout(
    'Please open the link again',
    '<p class="notice error">This form has expired or was already used, so nothing was recorded. Open the link in your email again to see the case and decide.</p>',
  );

export function errorPage(status: 413 | 415 | 500): string {
  const text = {
    413: 'The form was too large. Shorten the reason and try again from the link in your email.',
    415: 'Please submit your decision with the form on the page the link in your email opens.',
    500: 'Something went wrong on our side and nothing was recorded. Please try the link in your email again later.',
  }[status];
  return layout(status === 500 ? 'Sorry, something went wrong' : 'The form could not be read', `<p class="notice error">${e(text)}</p>`);
}
