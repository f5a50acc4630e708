/**
 * Mail about disputes to the organisations' s117 mailboxes. The person appears only by their pseudonymous
 * reference: no NHS number, name or address, and never a task token.
 */
import type { Application } from '#domain/applications/application.ts';
import type { Settlement } from '#domain/apportionment/settlement.ts';
import { formatLongDate } from '#domain/dates.ts';
import type { Dispute, DisputeStage } from '#domain/disputes/dispute.ts';
import { formatPounds } from '#domain/money.ts';

export interface Message {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function render(subject: string, paragraphs: readonly string[], list: readonly string[] = []): Message {
  const text = [...paragraphs, ...(list.length > 0 ? [list.map((l) => `  - ${l}`).join('\n')] : [])].join('\n\n');
  const html =
    '<!doctype html><html lang="en"><body style="font-family:Arial,sans-serif;max-width:40em">' +
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
    (list.length > 0 ? `<ul>${list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '') +
    '</body></html>';
  return { subject, text, html };
}

export const STAGE_NAMES: Readonly<Record<DisputeStage, string>> = {
  'local-resolution': 'local resolution between the ICBs',
  'nhse-regional': 'NHS England regional team',
  'nhse-national': 'NHS England national team',
  'pre-referral': 'resolution between the councils before referral (SI 2014/2829 reg 3)',
  'secretary-of-state': 'determination by the Secretary of State',
  'joint-panel': 'the joint funding panel',
  'executive-leads': 'the executive leads of the ICB and the council',
};

const deadline = (d: Dispute): string => formatLongDate(d.stages.at(-1)?.deadline ?? d.disputeDate);
const how = (app: Application, d: Dispute, base: string): string =>
  `Record the outcome through the s117 API: POST ${base}/v1/applications/${app.id}/dispute/outcome with {"stage": "${d.stage}", "decision": "resolved" or "escalate", ...}. The dispute and its deadlines are at ${base}/v1/applications/${app.id}/dispute.`;

/** A stage has started (the dispute opened, or it escalated). */
export function stageMessage(app: Application, d: Dispute, base: string): Message {
  const lines = [
    `The dispute about s117 aftercare for person ${app.personRef} (application ${app.id}) is now at: ${STAGE_NAMES[d.stage]}. The stage ends on ${deadline(d)}; without an outcome by then it ${d.stage === 'pre-referral' ? 'must be referred to the Secretary of State' : 'escalates'}.`,
    d.basis,
    "Interim funding stays in place without prejudice throughout: the person's care does not wait.",
  ];
  if (d.referralDue !== undefined)
    lines.push(
      `The dispute arose on ${formatLongDate(d.disputeDate)}; the lead authority ${d.lead} must refer it by ${formatLongDate(d.referralDue)} (four months, SI 2014/2829 reg 3(7)).`,
    );
  if (d.stage !== 'joint-panel') lines.push(how(app, d, base));
  return render(`s117 dispute: ${STAGE_NAMES[d.stage]} (${app.id})`, lines);
}

/** A reminder while a stage waits. */
export function reminderMessage(app: Application, d: Dispute, n: number, base: string): Message {
  return render(`s117 dispute reminder ${n}: ${STAGE_NAMES[d.stage]} ends ${deadline(d)} (${app.id})`, [
    `Reminder ${n}: the dispute about s117 aftercare for person ${app.personRef} (application ${app.id}) is waiting for an outcome at ${STAGE_NAMES[d.stage]}. The stage ends on ${deadline(d)}.`,
    ...(d.referral ? [`Legal arguments are due by ${formatLongDate(d.referral.legalArgumentsDue)} (SI 2014/2829 reg 4(3)).`] : []),
    how(app, d, base),
  ]);
}

/** The referral to the Secretary of State was made, with its pack. */
export function referralMessage(app: Application, d: Dispute, base: string): Message {
  const r = d.referral;
  return render(`s117 dispute referred to the Secretary of State (${app.id})`, [
    `The dispute between ${d.bodies.join(' and ')} about s117 aftercare for person ${app.personRef} (application ${app.id}) fell due for referral on ${formatLongDate(d.referralDue ?? d.disputeDate)}. The referral pack (statement of facts, chronology and correspondence) has been produced from the register.`,
    `Each authority must sign the statement of facts. Legal arguments are due by ${formatLongDate(r?.legalArgumentsDue ?? d.disputeDate)}, copied to the other authorities (SI 2014/2829 reg 4(3)).`,
    `The pack: ${base}/v1/applications/${app.id}/dispute/referral-pack`,
  ]);
}

/** The dispute was decided and the interim period settled. */
export function settlementMessage(app: Application, d: Dispute, s: Settlement, base: string): Message {
  const pairs = new Map<string, number>();
  for (const e of s.entries) pairs.set(`${e.payer} pays ${e.payee}`, (pairs.get(`${e.payer} pays ${e.payee}`) ?? 0) + e.pence);
  return render(
    `s117 dispute settled (${app.id})`,
    [
      `The dispute about s117 aftercare for person ${app.personRef} (application ${app.id}) has ended: ${d.outcome?.decidedBy ?? 'the bodies'} ${d.outcome?.kind === 'determination' ? 'determined' : 'agreed'} it. ${d.outcome?.reason ?? ''}`.trim(),
      `Responsibility is now fixed. For the interim period from ${formatLongDate(s.from)} to ${formatLongDate(s.upTo)}, each body pays what it would have paid under the final answer; the differences are recharged:`,
    ],
    [
      ...[...pairs].map(([k, v]) => `${k} ${formatPounds(v)}`),
      ...(pairs.size === 0 ? ['No recharges are due.'] : []),
      `Details: ${base}/v1/applications/${app.id}/dispute`,
    ],
  );
}
