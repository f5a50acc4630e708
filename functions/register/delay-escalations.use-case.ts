/**
 * Issue 13 item 5: a person whose discharge waits on a funding decision for more than the partnership's
 * `delays.fundingEscalationDays` is escalated to both bodies' executive leads, once per ready day (send-once,
 * keyed by the application, the ready day and the recipient), and the escalation is written to the person's
 * chronology once (a keyed append). Run daily by the scheduled reconcile-hand-offs function (no function of its
 * own: the stack is near its resource budget), and once at start under `npm start`.
 */
import { fundingEscalationsOn, type FundingEscalation } from '#domain/applications/discharge.ts';
import type { Chronology, Clock, Directory, Mailer, MailLog } from '#domain/ports.ts';
import type { Partnership } from '#domain/partnership.ts';
import { sendOnce } from '../shared/send-once.ts';
import { delayEscalationMessage } from '../tasks/messages.ts';
import type { RegisterDeps } from './deps.ts';
import { fundingEscalationDays } from './delays.use-case.ts';
import { partnershipApplications } from './maturity.use-case.ts';

export interface DelayEscalationDeps {
  applications: RegisterDeps['applications'];
  directory: Directory;
  chronology: Chronology;
  mailer: Mailer;
  mailLog: MailLog;
  clock: Clock;
  appBaseUrl: string;
}

export interface DelayEscalationReport {
  partnerships: number;
  /** People past the limit on this run (escalated now or before). */
  due: number;
  /** Mails sent on this run (none for an escalation already sent). */
  mailsSent: number;
}

const SYSTEM = { system: 'delays/escalate-funding-delays' };

/** Each partnership any organisation of the directory belongs to, once. */
async function partnerships(deps: Pick<DelayEscalationDeps, 'directory'>): Promise<Partnership[]> {
  const ids = new Set<string>();
  for (const org of await deps.directory.organisations()) for (const id of await deps.directory.partnershipsOf(org.code)) ids.add(id);
  const found = await Promise.all([...ids].sort().map((id) => deps.directory.partnership(id)));
  return found.filter((p): p is Partnership => p !== null);
}

async function escalate(deps: DelayEscalationDeps, partnership: Partnership, escalation: FundingEscalation): Promise<number> {
  let sent = 0;
  const recipients: { body: string; to: 'executive-lead' | 'mailbox' }[] = [];
  for (const body of escalation.bodies) {
    const lead = partnership.delays?.executiveLeads?.find((l) => l.organisation === body) ?? null;
    const email = lead?.email ?? (await deps.directory.organisation(body))?.email;
    if (email === undefined) continue;
    const purpose = `funding-delay-escalation-${escalation.clinicallyReadyOn}`;
    const now = await sendOnce(deps, deps.mailLog, {
      about: escalation.applicationId,
      purpose,
      to: email,
      message: delayEscalationMessage(escalation, lead, body, deps.appBaseUrl),
      tags: { purpose: 'funding-delay-escalation', application: escalation.applicationId },
    });
    if (now) sent += 1;
    recipients.push({ body, to: lead === null ? 'mailbox' : 'executive-lead' });
  }
  // After the mails, keyed: a run that died between them writes it on the next run, and only once.
  await deps.chronology.append(escalation.personRef, {
    key: `funding-delay-escalated:${escalation.applicationId}:${escalation.clinicallyReadyOn}`,
    at: deps.clock.now(),
    type: 'funding-delay-escalated',
    actor: SYSTEM,
    applicationId: escalation.applicationId,
    data: {
      clinicallyReadyOn: escalation.clinicallyReadyOn,
      daysSinceReady: escalation.daysSinceReady,
      fundingEscalationDays: escalation.afterDays,
      told: recipients,
      ruleIds: escalation.ruleIds,
      explanation: escalation.explanation,
    },
  });
  return sent;
}

/** Escalates every partnership's funding delays due today; safe to run as often as wanted. */
export async function escalateFundingDelays(deps: DelayEscalationDeps): Promise<DelayEscalationReport> {
  const report: DelayEscalationReport = { partnerships: 0, due: 0, mailsSent: 0 };
  const today = deps.clock.today();
  for (const partnership of await partnerships(deps)) {
    report.partnerships += 1;
    const applications = await partnershipApplications(deps, partnership.id, partnership.members);
    const due = fundingEscalationsOn(applications, partnership.id, today, fundingEscalationDays(partnership));
    report.due += due.length;
    for (const escalation of due) report.mailsSent += await escalate(deps, partnership, escalation);
  }
  return report;
}
