/**
 * Letters to the person (issue 17 item 3): the context a letter is written in, and sending one (once) and recording
 * it as sent (a LETTER# item with its template version, and the chronology). Reading one back as JSON, an HTML page
 * or a PDF is letter-read.use-case.ts, kept apart so the functions that send carry no PDF or template code. The
 * person's name and address appear only in the letter itself: never in logs, the chronology or the letter record.
 */
import type { Letter, LetterContext, LetterVariant, SentLetter } from '#domain/register/letters.ts';
import type { Episode, PersonRecord } from '#domain/register/register.ts';
import { sha256Hex } from '../api/canonical-json.ts';
import { sendOnce } from '../shared/send-once.ts';
import type { RegisterDeps } from './deps.ts';
import { letterToPostMessage } from './messages.ts';

/** The context of a letter about the episode: the date, the bodies' names and, for the person, their name. */
export async function letterContext(
  deps: Pick<RegisterDeps, 'directory'>,
  person: PersonRecord,
  episode: Episode,
  date: string,
  variant: LetterVariant,
  carer?: { name: string; relationship: string },
): Promise<LetterContext> {
  const bodyNames: Record<string, string> = {};
  for (const code of [episode.icb.body, episode.localAuthority.body]) {
    const org = code === null ? null : await deps.directory.organisation(code);
    if (org !== null) bodyNames[org.code] = org.name;
  }
  return {
    date,
    episode,
    bodyNames,
    variant,
    ...(person.name === undefined ? {} : { name: person.name }),
    ...(carer === undefined ? {} : { carer }),
  };
}

export interface Delivery {
  recipient: SentLetter['recipient'];
  /** An organisation's or a supporter's mailbox; for the person, their contacts decide. */
  to?: string;
  /** For a GP or provider: the organisation's name; for a carer: their supporter id. */
  recipientName?: string;
  /** What the letter is about, stable across retries (`plan-v2`, `entitlement`, `review-due-<key>`). */
  about: string;
  /** What else the letter's link needs to find it again (a plan's `version`). */
  query?: Record<string, string>;
}

/** The council's mailbox (the ICB's if no council is named) that prints and posts a letter to the person. */
async function postRoom(deps: Pick<RegisterDeps, 'directory'>, episode: Episode): Promise<string | null> {
  for (const code of [episode.localAuthority.body, episode.icb.body]) {
    const org = code === null ? null : await deps.directory.organisation(code);
    if (org !== null) return org.email;
  }
  return null;
}

/**
 * Sends `letter` once to the recipient and records it as sent (safe to repeat: the mail by purpose, the record and
 * the chronology entry by the letter's id). For a person with no email, the council's mailbox is asked to print
 * and post it (a link, no personal data in the mail). Null when there is nowhere to send it.
 */
export async function deliverLetter(
  deps: RegisterDeps,
  person: PersonRecord,
  episode: Episode,
  letter: Letter,
  delivery: Delivery,
): Promise<SentLetter | null> {
  const id = sha256Hex(`${episode.id}|${delivery.about}|${letter.kind}|${delivery.recipient}|${delivery.recipientName ?? ''}`).slice(0, 32);
  let to = delivery.to ?? null;
  let channel: SentLetter['channel'] = 'email';
  let message = { subject: letter.subject, text: letter.text, html: letter.html };
  if (delivery.recipient === 'person' && person.contacts?.email !== undefined) to = person.contacts.email;
  else if (delivery.recipient === 'person') {
    // By post: the council prints it from the register; the mail to its mailbox carries no name or address.
    to = await postRoom(deps, episode);
    channel = 'post';
    const query = new URLSearchParams({ variant: letter.variant, format: 'pdf', ...(delivery.query ?? {}) });
    message = letterToPostMessage(
      episode,
      letter.subject,
      `${deps.appBaseUrl}/v1/register/episodes/${episode.id}/letters/${letter.kind}?${query.toString()}`,
    );
  }
  if (to === null) return null;
  await sendOnce(deps, deps.store, {
    about: person.personRef,
    purpose: `letter:${id}`,
    to,
    message,
    tags: { purpose: `letter-${letter.kind}`, variant: letter.variant },
  });
  const record: SentLetter = {
    id,
    episodeId: episode.id,
    kind: letter.kind,
    variant: letter.variant,
    templateVersion: letter.templateVersion,
    recipient: delivery.recipient,
    ...(delivery.recipientName === undefined ? {} : { recipientName: delivery.recipientName }),
    channel,
    about: delivery.about,
    sentAt: deps.clock.now(),
  };
  await deps.store.putLetter(person.personRef, record);
  const { sentAt: _at, ...data } = record;
  void _at;
  await deps.chronology.append(person.personRef, {
    key: `register:letter:${id}`,
    at: record.sentAt,
    type: 'register-letter-sent',
    actor: { system: 'register/letters' },
    data: { ...data, letterId: id },
  });
  return record;
}

/**
 * Sends a letter about the episode to the person (in their chosen format) and the carer's version to each supporter
 * the person agreed may be sent letters. `write` makes the letter for a context.
 */
export async function tellPersonAndCarers(
  deps: RegisterDeps,
  person: PersonRecord,
  episode: Episode,
  about: string,
  write: (ctx: LetterContext) => Letter,
  query?: Record<string, string>,
): Promise<SentLetter[]> {
  const today = deps.clock.today();
  const out: SentLetter[] = [];
  const own = write(await letterContext(deps, person, episode, today, person.contacts?.letterFormat ?? 'standard'));
  const sent = await deliverLetter(deps, person, episode, own, { recipient: 'person', about, ...(query === undefined ? {} : { query }) });
  if (sent !== null) out.push(sent);
  for (const s of person.supporters ?? []) {
    if (!s.sendLetters || !s.consentToShare || s.contact === undefined) continue;
    const copy = write(await letterContext(deps, person, episode, today, 'carer', { name: s.name, relationship: s.relationship }));
    const record = await deliverLetter(deps, person, episode, copy, {
      recipient: 'carer',
      to: s.contact.email,
      recipientName: s.id,
      about,
    });
    if (record !== null) out.push(record);
  }
  return out;
}
