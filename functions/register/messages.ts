/**
 * Mail about the register to the bodies' s117 mailboxes and to named practitioners, in plain English. The
 * person appears only by their pseudonymous reference and the episode id: no NHS number, name or address.
 */
import { formatLongDate, type LocalDate } from '#domain/dates.ts';
import type { Episode, RegisterChange } from '#domain/register/register.ts';
import type { ReviewObligation } from '#domain/register/reviews.ts';

export interface Message {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function render(subject: string, paragraphs: string[]): Message {
  return {
    subject,
    text: paragraphs.join('\n\n'),
    html: `<!doctype html><html lang="en"><body style="font-family:Arial,sans-serif;max-width:40em">${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</body></html>`,
  };
}

const REVIEW_NAMES: Record<ReviewObligation['kind'], string> = {
  eligibility: 'first (eligibility) review',
  'care-plan': 'care plan review',
  annual: 'annual review',
  move: 'review after a move of area',
};

const bodies = (e: Episode): string => `ICB ${e.icb.body ?? 'undetermined'}, local authority ${e.localAuthority.body ?? 'undetermined'}`;

/** Tells a body what changed on the register for an episode it is (or was) responsible for. */
export function registerChangeMessage(change: RegisterChange, episode: Episode, baseUrl: string): Message {
  const link = `Register record: ${baseUrl}/v1/register/episodes/${episode.id}`;
  switch (change.kind) {
    case 'episode-opened':
      return render(`s117 register: new aftercare episode ${episode.id}`, [
        `Person ${episode.personRef} was detained under section ${change.section} from ${formatLongDate(change.detentionFrom)}, a qualifying detention for section 117 aftercare. A new register episode ${episode.id} is open.`,
        `Responsible bodies as determined: ${bodies(episode)}. Aftercare planning starts now (Code of Practice 33.10); the duty arises when the person leaves hospital.`,
        link,
      ]);
    case 'duty-arose':
      return render(`s117 register: aftercare duty in force for ${episode.id}`, [
        `Person ${episode.personRef} left hospital on ${formatLongDate(change.date)}: the section 117 aftercare duty is now in force (${bodies(episode)}). Reviews are scheduled from this date.`,
        link,
      ]);
    case 'episode-ended':
      return render(`s117 register: episode ${episode.id} ended${change.by === 're-detention' ? ' by a fresh detention' : ''}`, [
        change.by === 're-detention'
          ? `Person ${episode.personRef} was detained again under a qualifying section on ${formatLongDate(change.date)}. The local authority's duty for episode ${episode.id} ended that day (R-LA-5); the ICB's duty continues under the ICB Regulations 2022 (R-WP-117-3). A new episode records who is responsible from now.`
          : `Section 117 aftercare for person ${episode.personRef} (episode ${episode.id}) ended on ${formatLongDate(change.date)} (${change.by}).`,
        link,
      ]);
    case 'episode-reinstated':
      return render(`s117 register: aftercare reinstated for ${episode.id}`, [
        `The ending of section 117 aftercare for person ${episode.personRef} (episode ${episode.id}) proved premature and has been reinstated. The duty is in force again (${bodies(episode)}).`,
        link,
      ]);
    case 'body-changed':
      return render(`s117 register: responsible ${change.party === 'icb' ? 'ICB' : 'local authority'} changed for ${episode.id}`, [
        `For person ${episode.personRef} (episode ${episode.id}) the responsible ${change.party === 'icb' ? 'ICB' : 'local authority'} is now ${change.to ?? 'undetermined'} (was ${change.from ?? 'undetermined'}) from ${formatLongDate(change.date)}. Funding follows from that date.`,
        link,
      ]);
  }
}

/** Reminds the named practitioner (or the bodies, if none is named) that a review falls due. */
export function reviewReminderMessage(episode: Episode, obligation: ReviewObligation, baseUrl: string): Message {
  return render(`s117 review due by ${formatLongDate(obligation.due)} (${episode.id})`, [
    `The ${REVIEW_NAMES[obligation.kind]} of section 117 aftercare for person ${episode.personRef} (episode ${episode.id}) is due by ${formatLongDate(obligation.due)}.`,
    'Please arrange it with the person (and their carers or advocate), and record who took part and the outcome:',
    `POST ${baseUrl}/v1/register/episodes/${episode.id}/reviews`,
  ]);
}

/** Escalates an overdue review to both bodies and the practitioner. */
export function reviewEscalationMessage(
  episode: Episode,
  obligation: ReviewObligation,
  count: number,
  today: LocalDate | undefined,
  baseUrl: string,
): Message {
  return render(`s117 review OVERDUE since ${formatLongDate(obligation.due)} (${episode.id})`, [
    `The ${REVIEW_NAMES[obligation.kind]} of section 117 aftercare for person ${episode.personRef} (episode ${episode.id}) was due by ${formatLongDate(obligation.due)} and has not been recorded${today === undefined ? '' : ` as of ${formatLongDate(today)}`}. This is escalation ${count}.`,
    `Responsible bodies: ${bodies(episode)}. Named practitioner: ${episode.namedPractitioner?.name ?? 'none named'}.`,
    `Record the review: POST ${baseUrl}/v1/register/episodes/${episode.id}/reviews`,
  ]);
}

/** Tells both bodies a recommendation to end aftercare awaits their joint decision. */
export function endingRecommendedMessage(episode: Episode, recommendationId: string, endDate: LocalDate, baseUrl: string): Message {
  return render(`s117: recommendation to end aftercare awaits your decision (${episode.id})`, [
    `A recommendation to end section 117 aftercare for person ${episode.personRef} (episode ${episode.id}) on ${formatLongDate(endDate)} has passed the rules check and awaits the joint decision of both bodies (${bodies(episode)}). Aftercare ends only if both agree.`,
    `Decide: POST ${baseUrl}/v1/register/episodes/${episode.id}/ending-decisions with {"recommendationId": "${recommendationId}", "agree": true|false, "reason": "..."}`,
  ]);
}

/** Tells both bodies a recommendation to end aftercare has gone to the joint panel (which decides for both). */
export function endingToPanelMessage(episode: Episode, endDate: LocalDate): Message {
  return render(`s117: recommendation to end aftercare sent to the joint panel (${episode.id})`, [
    `A recommendation to end section 117 aftercare for person ${episode.personRef} (episode ${episode.id}) on ${formatLongDate(endDate)} has passed the rules check and has gone to the joint panel with its report. The panel's ICB and council members decide for both bodies (${bodies(episode)}); aftercare ends only if the panel approves and the rules still allow it.`,
    'Panel members are mailed a link to the case. Until the panel decides, aftercare continues.',
  ]);
}

/** Tells both bodies the joint panel did not end aftercare (rejected, more information, no decision, or the rules refused). */
export function endingPanelClosedMessage(episode: Episode, outcome: string, why: string): Message {
  return render(`s117: aftercare continues, the recommendation to end it is closed (${episode.id})`, [
    `The recommendation to end section 117 aftercare for person ${episode.personRef} (episode ${episode.id}) is closed: the joint panel's outcome was "${outcome}". Aftercare continues.`,
    why,
    `The panel's reasons and votes are in the person's chronology and on GET /v1/register/episodes/${episode.id}.`,
  ]);
}

/** Reminds the practitioner (or both bodies) a year ahead that a young person turns 18 and adult services take over (R-CHILD-6). */
export function transitionReminderMessage(episode: Episode, handoverOn: LocalDate, baseUrl: string): Message {
  return render(`s117 register: transition to adult services due (${episode.id})`, [
    `Person ${episode.personRef} (episode ${episode.id}) turns 18 on ${formatLongDate(handoverOn)}. Transition planning for the handover to adult services should be in place now (2024 statutory guidance, Annex B).`,
    `Turning 18 does not end, suspend or move section 117 aftercare: the same bodies stay responsible (${bodies(episode)}), and the handover is from their children's to their adult commissioners (R-CHILD-6).`,
    `Register record: ${baseUrl}/v1/register/episodes/${episode.id}`,
  ]);
}

/** Tells both bodies that a young person turned 18 and the episode is handed over to adult services (R-CHILD-6). */
export function transitionHandoverMessage(episode: Episode, handoverOn: LocalDate, baseUrl: string): Message {
  return render(`s117 register: handed over to adult services (${episode.id})`, [
    `Person ${episode.personRef} (episode ${episode.id}) turned 18 on ${formatLongDate(handoverOn)}. The register records the handover of funding responsibility to adult commissioners from today.`,
    `Section 117 aftercare continues unchanged with the same bodies (${bodies(episode)}) until they jointly decide it is no longer needed (R-CHILD-6, R-END-1).`,
    `Register record: ${baseUrl}/v1/register/episodes/${episode.id}`,
  ]);
}

/**
 * Asks the council to print and post a letter to a person who gets letters by post. The letter itself (with the
 * person's name and address) is fetched by the link; this mail names the person only by their reference.
 */
export function letterToPostMessage(episode: Episode, subject: string, link: string): Message {
  return render(`s117: a letter to print and post (${episode.id})`, [
    `A letter to person ${episode.personRef} (episode ${episode.id}), "${subject}", is ready to print and post. The person asked for letters by post.`,
    `Print it from: ${link}`,
    'The postal address is on the letter when the register holds one; otherwise use your own record of the address.',
  ]);
}
