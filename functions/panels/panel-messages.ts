/**
 * Mail to panel members, deputies and senior officers. The person appears only by their pseudonymous
 * reference; the link carries the member's opaque approval id, never a task token. Opening the link
 * records nothing: only the buttons on the page do, so a mail scanner that follows it changes nothing.
 */
import { formatLongDate } from '#domain/dates.ts';
import type { PanelSubject } from '#domain/panels/panel.ts';
import type { Approval, PanelRequest } from '#domain/panels/request.ts';

export interface PanelMessage {
  subject: string;
  text: string;
  html: string;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const SUBJECTS: Record<PanelSubject, string> = {
  application: 'a funding application',
  split: 'a split of the cost',
  'dispute-outcome': 'the outcome of a dispute',
  ending: 'ending s117 aftercare',
};

/** How mail names the case: the application, or the register episode (subject 'ending'). */
const caseName = (request: PanelRequest): string =>
  request.episodeId === undefined ? `application ${request.applicationId}` : `register episode ${request.episodeId}`;
/** What happens without a decision. */
const withoutDecision = (request: PanelRequest): string =>
  request.subject === 'ending'
    ? 'Without a decision aftercare continues: nothing ends unless the panel agrees.'
    : "Without a decision the case continues under interim funding, so the person's care does not wait.";

export const approvalLink = (baseUrl: string, approvalId: string): string => `${baseUrl}/approvals/${approvalId}`;

const day = (instant: string): string => formatLongDate(instant.slice(0, 10));

function render(subject: string, paragraphs: string[], link?: { href: string; label: string }): PanelMessage {
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.href}`] : [])].join('\n\n');
  const html =
    '<!doctype html><html lang="en"><body style="font-family:Arial,sans-serif;max-width:40em">' +
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
    (link ? `<p><a href="${escapeHtml(link.href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(link.label)}</a></p>` : '') +
    '</body></html>';
  return { subject, text, html };
}

const SAFE =
  'The link is yours alone: please do not forward it. Opening it records nothing; only the buttons on the page record a decision.';

/** The first request to a member (or, at escalation, to a deputy for the member they stand in for). */
export function invitationMessage(request: PanelRequest, approval: Approval, baseUrl: string, inPlaceOf?: string): PanelMessage {
  return render(
    inPlaceOf === undefined
      ? `s117 panel: your decision is needed (${request.applicationId})`
      : `s117 panel: please decide in place of ${inPlaceOf} (${request.applicationId})`,
    [
      `Dear ${approval.name},`,
      inPlaceOf === undefined
        ? `The joint funding panel is asked to decide on ${SUBJECTS[request.subject]} for person ${request.personRef} (${caseName(request)}).`
        : `${inPlaceOf} has not decided by the panel's deadline, so you are asked to decide in their place, as their deputy, on ${SUBJECTS[request.subject]} for person ${request.personRef} (${caseName(request)}).`,
      `Proposal: ${request.proposal.summary}`,
      `Please decide by ${day(inPlaceOf === undefined ? request.deadline : request.closesAt)}. ${withoutDecision(request)}`,
      SAFE,
    ],
    { href: approvalLink(baseUrl, approval.id), label: 'See the case and decide' },
  );
}

/** A reminder to a member who has not voted. */
export function reminderMessage(request: PanelRequest, approval: Approval, baseUrl: string): PanelMessage {
  return render(
    `s117 panel: reminder, decision needed by ${day(request.deadline)} (${request.applicationId})`,
    [
      `Dear ${approval.name},`,
      `The joint funding panel is still waiting for your decision on ${SUBJECTS[request.subject]} for person ${request.personRef} (${caseName(request)}).`,
      `Proposal: ${request.proposal.summary}`,
      `The deadline is ${day(request.deadline)}; after it your deputy and a senior officer are asked to act.`,
      SAFE,
    ],
    { href: approvalLink(baseUrl, approval.id), label: 'See the case and decide' },
  );
}

/** To a senior officer at the deadline: who has and has not decided. No link: senior officers do not vote. */
export function escalationMessage(request: PanelRequest, senior: { name: string }, voted: string[], waiting: string[]): PanelMessage {
  return render(`s117 panel: deadline passed without a decision (${request.applicationId})`, [
    `Dear ${senior.name},`,
    `The joint funding panel has not decided on ${SUBJECTS[request.subject]} for person ${request.personRef} (${caseName(request)}) by its deadline, ${day(request.deadline)}.`,
    `Proposal: ${request.proposal.summary}`,
    `Decided: ${voted.length === 0 ? 'nobody yet' : voted.join('; ')}. Not yet decided: ${waiting.length === 0 ? 'nobody' : waiting.join('; ')}.`,
    request.subject === 'ending'
      ? `Deputies have been asked to decide in place of members who have not. If the panel has not decided by ${day(request.closesAt)}, the request ends without a decision and aftercare continues. Please make sure the panel decides.`
      : `Deputies have been asked to decide in place of members who have not. If the panel has not decided by ${day(request.closesAt)}, the case continues under interim funding and the request ends without a decision. Please make sure the panel decides.`,
  ]);
}
