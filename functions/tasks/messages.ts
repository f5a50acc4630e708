/**
 * Mail to organisations' s117 mailboxes, in plain English. The person appears only by their
 * pseudonymous reference: no NHS number, name or address ever goes into a mail.
 */
import type { Application, FundingArrangement, Party } from '#domain/applications/application.ts';
import { formatLongDate, type LocalDate } from '#domain/dates.ts';
import { formatPounds } from '#domain/money.ts';
import { weeklyS117CostOn } from '#domain/applications/application.ts';

export interface Message {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function render(subject: string, paragraphs: string[], list: string[] = []): Message {
  const text = [...paragraphs, ...(list.length ? ['', ...list.map((l) => `  - ${l}`)] : [])].join('\n\n').replace(/\n\n {2}-/g, '\n  -');
  const html =
    `<!doctype html><html lang="en"><body style="font-family:Arial,sans-serif;max-width:40em">` +
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
    (list.length ? `<ul>${list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '') +
    '</body></html>';
  return { subject, text, html };
}

const partyName = (party: Party): string => (party === 'icb' ? 'integrated care board' : 'local authority');

/** Asks a determined body to accept or dispute, with the reasons and the deadline. */
export function responseRequestMessage(app: Application, party: Party, body: string, answerBy: LocalDate, baseUrl: string): Message {
  const d = app.determination;
  const deadline = formatLongDate(answerBy);
  const cost = formatPounds(weeklyS117CostOn(app.carePlan, app.requestedStartDate));
  return render(
    `s117 aftercare: please accept or dispute responsibility (${app.id})`,
    [
      `The s117 engine has determined that ${body} is the responsible ${partyName(party)} for section 117 aftercare for person ${app.personRef}, in application ${app.id} submitted by ${app.submittedBy.org}.`,
      `Care is requested from ${formatLongDate(app.requestedStartDate)} at ${cost} a week of s117 services. Please accept or dispute by ${deadline}. If you dispute, or do not answer by then, interim funding starts from the requested date without prejudice, so the person's care does not wait.`,
      `Answer through the s117 API: POST ${baseUrl}/v1/applications/${app.id}/responses with {"decision": "accept"} or {"decision": "dispute", "reason": "...", "proposedBody": "<code>"}. The application and its reasons are at ${baseUrl}/v1/applications/${app.id}.`,
      'Why:',
    ],
    d?.explanation.filter((l) => !l.startsWith('A person must decide')) ?? [],
  );
}

/** Tells the parties that funding is agreed, or that interim funding has started, and on what basis. */
export function fundingMessage(app: Application, arrangement: FundingArrangement, baseUrl: string): Message {
  const interim = arrangement.state === 'interim';
  return render(
    interim
      ? `s117 aftercare: interim funding in place from ${formatLongDate(arrangement.startDate)} (${app.id})`
      : `s117 aftercare: funding agreed (${app.id})`,
    [
      interim
        ? `Interim funding for person ${app.personRef} (application ${app.id}) is in place from ${formatLongDate(arrangement.startDate)}, without prejudice to who is finally responsible. Care starts on the requested date.`
        : `Funding for person ${app.personRef} (application ${app.id}) is agreed from ${formatLongDate(arrangement.startDate)}.`,
      arrangement.basis,
      `Lead commissioner: ${arrangement.lead}. Shares:`,
    ],
    [...arrangement.shares.map((s) => `${s.body}: ${s.basisPoints / 100}%`), `Details: ${baseUrl}/v1/applications/${app.id}`],
  );
}

/** Tells the submitter no s117 duty is owed, with the engine's reasons. */
export function notEligibleMessage(app: Application, baseUrl: string): Message {
  return render(
    `s117 aftercare: no section 117 duty owed (${app.id})`,
    [
      `The s117 engine found no section 117 aftercare duty for person ${app.personRef} in application ${app.id}. Services may still be owed under other law. Reasons:`,
    ],
    [...(app.determination?.eligibility.reasons ?? []), `Details: ${baseUrl}/v1/applications/${app.id}`],
  );
}

/** To a body's executive lead: a person ready for discharge has waited on a funding decision past the partnership's limit. */
export function delayEscalationMessage(
  escalation: {
    applicationId: string;
    personRef: string;
    clinicallyReadyOn: LocalDate;
    daysSinceReady: number;
    afterDays: number;
    bodies: string[];
  },
  lead: { name: string } | null,
  body: string,
  baseUrl: string,
): Message {
  const { applicationId, personRef } = escalation;
  return render(`s117 aftercare: discharge waiting ${escalation.daysSinceReady} days for a funding decision (${applicationId})`, [
    lead === null
      ? `To the executive lead of ${body}: no executive lead is named for ${body} in the partnership's settings, so this goes to its s117 mailbox.`
      : `Dear ${lead.name},`,
    `Person ${personRef} (application ${applicationId}) has been clinically ready for discharge since ${formatLongDate(escalation.clinicallyReadyOn)}: ${escalation.daysSinceReady} days, more than the partnership's ${escalation.afterDays}, and is still waiting for a funding decision between ${escalation.bodies.join(' and ')}.`,
    'The statutory guidance (Annex B) says no care may be refused or delayed because the bodies have not settled who pays. Please agree funding, or an interim arrangement without prejudice, so the person can leave hospital.',
    `The application is at ${baseUrl}/v1/applications/${applicationId}; the partnership's delays at ${baseUrl}/v1/reports/delays.`,
  ]);
}
