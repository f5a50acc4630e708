/**
 * The one "send this mail once". Steps and use cases may run twice (Step Functions retries, the local
 * runtime re-drives, a client repeats a request), so every notification is remembered in a register of sent
 * mail keyed by (what it is about, purpose, recipient): sent at least once, and not again on a retry.
 */
import type { Instant } from '#domain/applications/application.ts';
import type { Clock, Mailer } from '#domain/ports.ts';

/**
 * Where sent mail is remembered. `about` is the record the mail concerns: an application id (the mail log)
 * or a person's reference (the register store).
 */
export interface SentMailRegister {
  wasSent(about: string, purpose: string, recipient: string): Promise<boolean>;
  markSent(about: string, purpose: string, recipient: string, at: Instant): Promise<void>;
}

export interface OnceMail {
  /** The record the mail concerns; with `purpose` and `to`, the key it is remembered by. */
  about: string;
  purpose: string;
  to: string;
  message: { subject: string; text: string; html: string };
  /** SES message tags (why it was sent, never personal data); values are cut to what SES accepts. */
  tags: Record<string, string>;
}

/** An SES tag value: letters, digits, `_` and `-` only, at most 250 characters. */
export const mailTag = (value: string): string => value.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 250);

/** Sends `mail` unless the register says it went already, then records it. Answers whether it sent now. */
export async function sendOnce(
  deps: { mailer: Mailer; clock: Pick<Clock, 'now'> },
  register: SentMailRegister,
  mail: OnceMail,
): Promise<boolean> {
  if (await register.wasSent(mail.about, mail.purpose, mail.to)) return false;
  const tags = Object.fromEntries(Object.entries(mail.tags).map(([name, value]) => [name, mailTag(value)]));
  await deps.mailer.send({ to: [mail.to], ...mail.message, tags });
  await register.markSent(mail.about, mail.purpose, mail.to, deps.clock.now());
  return true;
}

/** Sends a mail about an application once per (application, purpose, recipient), tagged with both. */
export async function notifyOnce(
  deps: { mailer: Mailer; clock: Pick<Clock, 'now'>; mailLog: SentMailRegister },
  applicationId: string,
  purpose: string,
  to: string,
  message: OnceMail['message'],
): Promise<void> {
  await sendOnce(deps, deps.mailLog, { about: applicationId, purpose, to, message, tags: { purpose, application: applicationId } });
}
