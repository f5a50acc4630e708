/**
 * The funding decisions of a funding application: where the workflow goes after a determination and
 * after the bodies answer, how a response is recorded, and the agreed or interim arrangement that
 * follows. The rule that binds them all: care starts on the day it was asked for (R-WP-GEN-5,
 * R-DISP-LA-3); disputes are settled behind an interim without-prejudice agreement.
 */
import type { LocalDate } from '../dates.ts';
import type { Determination } from '../determination.ts';
import type { CaseFacts, OrgCode, ResidenceEvent } from '../facts.ts';
import { largestRemainder, WHOLE, type BasisPoints } from '../money.ts';
import type { OrganisationKind, Partnership } from '../partnership.ts';
import type { Rejection } from '../errors.ts';
import type {
  Application,
  FundingArrangement,
  FundingShare,
  Instant,
  InterimCause,
  Party,
  PartyResponse,
} from '../applications/application.ts';

export type RouteAfterDetermination = 'await-responses' | 'interim-now' | 'not-eligible';

/** After the engine: ask the bodies, go straight to interim funding, or stop (no duty is owed). */
export function routeAfterDetermination(d: Determination): { route: RouteAfterDetermination; reason: string } {
  if (d.eligibility.status === 'not-eligible' || d.eligibility.status === 'ended') {
    return {
      route: 'not-eligible',
      reason:
        d.eligibility.status === 'ended'
          ? 'The aftercare duty has ended; there is nothing to fund under s117.'
          : 'No section 117 duty is owed; there is nothing to fund under s117.',
    };
  }
  if (d.icb.body === null || d.localAuthority.body === null) {
    return {
      route: 'interim-now',
      reason: 'The engine cannot name both responsible bodies, so interim funding starts now while a person decides.',
    };
  }
  if (d.needsHumanReview.length > 0) {
    return {
      route: 'interim-now',
      reason: `A person must decide ${d.needsHumanReview.length === 1 ? 'one question' : `${d.needsHumanReview.length} questions`} first, so interim funding starts now.`,
    };
  }
  return { route: 'await-responses', reason: 'Both bodies are asked to accept or dispute the determination.' };
}

export type ResponseOutcome =
  { kind: 'recorded'; application: Application; response: PartyResponse } | { kind: 'unchanged'; response: PartyResponse } | Rejection;

/** What the directory says about a dispute's proposed body, looked up by the caller before deciding. */
export interface ProposalContext {
  /** The proposed organisation as the directory knows it; null when it knows none by that code. */
  proposed: { code: OrgCode; kind: OrganisationKind } | null;
  /** The members of the application's partnership. */
  members: readonly OrgCode[];
}

export interface ResponseRequest {
  decision: 'accept' | 'dispute';
  reason?: string;
  proposedBody?: OrgCode;
  about?: 'responsibility' | 'apportionment';
}

/**
 * Why an application no longer takes a body's first answer. Only `awaiting-responses` does: once the response
 * deadline has moved it to interim funding (or a dispute, or an agreement), the workflow no longer waits for
 * answers, so a late one would be saved and change nothing (issue 12: it answered 201). It is refused instead.
 */
function closedReason(app: Application): string | null {
  switch (app.status) {
    case 'awaiting-responses':
      return null;
    case 'interim':
      return 'The response deadline has passed and the application is on interim funding; a late answer changes nothing. Raise it through the dispute process.';
    case 'in-dispute':
      return 'The application is in dispute; answers are now recorded as dispute outcomes (POST /v1/applications/{id}/dispute/outcome).';
    default:
      return `The application is ${app.status}; it no longer takes answers.`;
  }
}

/**
 * Whether an answer given at `at` comes too late: the deadline is the law of the answer, not the status, which
 * the workflow changes only some time after the deadline (R-WP-DISP-4: answer within the agreed timescale;
 * R-WP-GEN-5: care goes on meanwhile under interim funding).
 */
export function deadlinePassed(app: Pick<Application, 'responseDeadline'>, at: Instant): boolean {
  return app.responseDeadline !== undefined && Date.parse(at) >= Date.parse(app.responseDeadline);
}

/**
 * Records a determined body's answer. One answer per body; the same answer again changes nothing. A
 * dispute's proposed body must be an organisation of the application's partnership that can owe the
 * disputed duty: a body of the responder's own kind (a dispute within the NHS or between councils), or
 * the body determined on the other side (a dispute across the NHS/council line). It becomes a party to
 * the application only through the recorded dispute.
 * An answer at or after the application's response deadline is refused (issue 12).
 * @see rules.md R-WP-DISP-4, R-WP-GEN-5, R-DISP-LA-1, R-APP-1
 */
export function recordResponse(
  app: Application,
  user: { userId: string; org: OrgCode },
  request: ResponseRequest,
  at: Instant,
  proposal: ProposalContext,
): ResponseOutcome {
  const d = app.determination;
  const party: Party | null = d === null ? null : d.icb.body === user.org ? 'icb' : d.localAuthority.body === user.org ? 'la' : null;
  if (party === null)
    return {
      kind: 'rejected',
      code: 'not-responsible-body',
      reason: 'Only a user of the ICB or the local authority named in the determination can answer for it.',
    };
  const existing = app.responses[party];
  if (existing) {
    const same =
      existing.decision === request.decision &&
      (existing.reason ?? '') === (request.reason ?? '') &&
      existing.proposedBody === request.proposedBody &&
      (existing.about ?? 'responsibility') === (request.about ?? 'responsibility');
    return same
      ? { kind: 'unchanged', response: existing }
      : {
          kind: 'rejected',
          code: 'already-decided',
          reason: `${user.org} already answered "${existing.decision}" on ${existing.at}; an answer cannot be changed, but the dispute process can settle it.`,
        };
  }
  const closed = closedReason(app);
  if (closed !== null) return { kind: 'rejected', code: 'closed', reason: closed };
  if (deadlinePassed(app, at))
    return {
      kind: 'rejected',
      code: 'closed',
      reason: `The response deadline, ${app.responseDeadline}, has passed: a late answer changes nothing, and interim funding keeps care going. Raise it through the dispute process.`,
    };
  if (request.proposedBody !== undefined && request.proposedBody === user.org) {
    return { kind: 'rejected', code: 'contradictory', reason: 'A dispute cannot name the disputing body itself as responsible.' };
  }
  if (request.proposedBody !== undefined) {
    const refusal = refuseProposal(app, party, request, request.proposedBody, proposal);
    if (refusal !== null) return { kind: 'rejected', code: 'invalid-reference', reason: refusal, field: 'proposedBody' };
  }
  const response: PartyResponse = { party, body: user.org, decision: request.decision, at, by: user.userId };
  if (request.reason !== undefined) response.reason = request.reason;
  if (request.proposedBody !== undefined) response.proposedBody = request.proposedBody;
  if (request.about !== undefined) response.about = request.about;
  const application: Application = {
    ...app,
    responses: { ...app.responses, [party]: response },
    parties:
      request.proposedBody !== undefined && !app.parties.includes(request.proposedBody)
        ? [...app.parties, request.proposedBody]
        : app.parties,
  };
  return { kind: 'recorded', application, response };
}

function refuseProposal(app: Application, party: Party, request: ResponseRequest, code: OrgCode, proposal: ProposalContext): string | null {
  if ((request.about ?? 'responsibility') !== 'responsibility') return 'names a responsible body only in a dispute of responsibility';
  const known = proposal.proposed;
  if (known === null || known.code !== code || !proposal.members.includes(code))
    return "is not an organisation of the application's partnership";
  if (known.kind === party) return null;
  const otherSide = party === 'icb' ? app.determination?.localAuthority.body : app.determination?.icb.body;
  if (code === otherSide) return null;
  return party === 'icb'
    ? 'must be an ICB, or the council the determination names'
    : 'must be a council, or the ICB the determination names';
}

/** After the answers (or the deadline): agreed only when both bodies accepted. */
export function routeAfterResponses(app: Application): 'agree' | 'interim' {
  return app.responses.icb?.decision === 'accept' && app.responses.la?.decision === 'accept' ? 'agree' : 'interim';
}

/** Both bodies accepted: the partnership's agreed split between the determined ICB and council (R-APP-1). */
export function agreedArrangement(app: Application, partnership: Partnership, id: string, at: Instant): FundingArrangement {
  const icb = app.determination?.icb.body;
  const la = app.determination?.localAuthority.body;
  if (!icb || !la) throw new Error('agreedArrangement needs both determined bodies');
  const icbShare = partnership.funding.agreedIcbShare;
  return {
    id,
    state: 'agreed',
    withoutPrejudice: false,
    startDate: app.requestedStartDate,
    lead: partnership.funding.interimLead === 'icb' ? icb : la,
    shares: shares([
      { body: icb, party: 'icb', weight: icbShare },
      { body: la, party: 'la', weight: WHOLE - icbShare },
    ]),
    basis: `${icb} and ${la} both accepted the determination. They share the cost ${pct(icbShare)}:${pct(WHOLE - icbShare)} under the partnership's agreed split, from ${app.requestedStartDate}.`,
    ruleIds: ['R-APP-1'],
    createdAt: at,
  };
}

export type { InterimCause } from '../applications/application.ts';

/**
 * Interim without-prejudice funding from the requested start date, so care never waits. Between ICBs
 * the health share is split (R-WP-DISP-3, 50:50 by default); between councils the one meeting needs
 * now pays (R-DISP-LA-2/3), else where the person lives; between an ICB and a council the
 * partnership's interim split applies.
 */
export function interimArrangement(
  app: Application,
  partnership: Partnership,
  cause: InterimCause,
  id: string,
  at: Instant,
): FundingArrangement {
  const d = app.determination;
  const f = partnership.funding;
  const ruleIds = ['R-WP-GEN-5', 'R-DISP-LA-3'];
  const notes: string[] = [];
  let icb = d?.icb.body ?? null;
  if (icb === null) {
    const standIn = standInIcb(app);
    icb = standIn?.body ?? null;
    if (standIn) {
      notes.push(`${standIn.body} stands in as the ICB until responsibility is settled (${standIn.why}).`);
      ruleIds.push(...standIn.ruleIds);
    }
  }
  let la = d?.localAuthority.body ?? null;
  if (la === null) {
    const standIn = standInCouncil(app);
    la = standIn?.body ?? null;
    if (standIn) notes.push(`${standIn.body} stands in as the council until responsibility is settled (${standIn.why}, R-DISP-LA-3).`);
  }
  if (cause === 'submission' && app.meetingNeedsNow !== undefined && app.meetingNeedsNow !== la) {
    // R-DISP-LA-3 (reg 2(2)): the council already meeting the person's needs goes on meeting them until the bodies answer.
    notes.push(
      `${app.meetingNeedsNow} is meeting the person's needs now and carries the council share until ${la ?? 'the determined council'} answers (R-DISP-LA-3).`,
    );
    la = app.meetingNeedsNow;
  }

  const icbDispute = disputeBetween(app.responses.icb, icb);
  const laDispute = disputeBetween(app.responses.la, la);
  const parts: { body: OrgCode; party: Party; weight: number }[] = [];
  const icbShare = f.interimIcbShare;

  if (laDispute) {
    // R-DISP-LA-2/3 (reg 2(2)-(3)): the council meeting needs on the dispute date keeps meeting them; if none, the
    // council where the person lives, or if not living anywhere, where present; else the determined council.
    const standIn = standInCouncil(app);
    if (standIn !== null) la = standIn.body;
    ruleIds.push('R-DISP-LA-2');
    notes.push(
      `${laDispute.other} is named by ${laDispute.by} as responsible; ${la ?? 'the council'} keeps paying the council share meanwhile (${standIn?.why ?? 'it is the council the engine determined'}, R-DISP-LA-2).`,
    );
  }
  if (icb !== null && icbDispute) {
    ruleIds.push('R-WP-DISP-3');
    const health = la === null ? WHOLE : icbShare;
    parts.push({ body: icb, party: 'icb', weight: (health * f.icbDisputeShare) / WHOLE });
    parts.push({ body: icbDispute.other, party: 'icb', weight: (health * (WHOLE - f.icbDisputeShare)) / WHOLE });
    notes.push(
      `${icb} and ${icbDispute.other} share the NHS part ${pct(f.icbDisputeShare)}:${pct(WHOLE - f.icbDisputeShare)} until the NHS dispute is resolved.`,
    );
  } else if (icb !== null) {
    parts.push({ body: icb, party: 'icb', weight: la === null ? WHOLE : icbShare });
  }
  if (la !== null) parts.push({ body: la, party: 'la', weight: icb === null ? WHOLE : WHOLE - icbShare });
  if (parts.length === 0) parts.push({ body: app.submittedBy.org, party: app.submittedBy.orgKind === 'la' ? 'la' : 'icb', weight: WHOLE });
  if (!icbDispute && !laDispute) ruleIds.push('R-APP-1');

  const leadParty = laDispute ? 'la' : f.interimLead;
  const meetingNeeds = cause === 'submission' ? parts.find((p) => p.party === 'la' && p.body === app.meetingNeedsNow) : undefined;
  const lead = meetingNeeds?.body ?? parts.find((p) => p.party === leadParty)?.body ?? (parts[0] as { body: OrgCode }).body;
  if (meetingNeeds !== undefined) notes.push(`${meetingNeeds.body} leads because it is already meeting the person's needs (R-DISP-LA-3).`);
  else if (cause === 'submission') {
    // R-WP-DISP-2: pending a decision the bodies must agree who arranges care; the partnership's interim lead is that standing agreement.
    ruleIds.push('R-WP-DISP-2');
    notes.push(
      `${lead} leads as the partnership's interim lead (${leadParty === 'icb' ? 'the ICB' : 'the council'}) until the bodies answer (R-WP-DISP-2).`,
    );
  }
  const why = {
    submission: 'The application was submitted and the bodies have not yet answered',
    dispute: 'A body disputed the determination',
    deadline: 'The bodies did not both answer by the deadline',
    'human-review': 'A person must decide part of the determination',
    failure: 'The workflow could not complete a step',
    panel:
      'The joint funding panel did not approve the agreed funding (it rejected it, asked for more information or did not decide in time)',
  }[cause];
  return {
    id,
    state: 'interim',
    withoutPrejudice: true,
    startDate: app.requestedStartDate,
    lead,
    shares: shares(parts),
    basis:
      `${why}, so interim funding starts on ${app.requestedStartDate}, without prejudice to who is finally responsible; care does not wait. ${lead} leads. ${notes.join(' ')}`.trim(),
    ruleIds: [...new Set(ruleIds)],
    cause,
    createdAt: at,
  };
}

/**
 * Funding in force from the first minute (issue 13, R-WP-GEN-5): at submission, before any body has
 * answered, an interim without-prejudice arrangement from the requested start date, between the bodies
 * the engine names under the partnership's interim split. The council already meeting the person's needs
 * leads (R-DISP-LA-3); else the partnership's interim lead, the standing agreement on who arranges care
 * meanwhile (R-WP-DISP-2); where the engine names no council, the council where the person lives, or if
 * not living anywhere where they are present, stands in (R-DISP-LA-3, reg 2(3)). Null when the engine finds no s117 duty (nothing to fund). Later decisions
 * (agreement, panel, dispute outcome, settlement) are appended after it and supersede it.
 */
export function submissionArrangement(
  app: Application,
  partnership: Partnership,
  determination: Determination,
  id: string,
  at: Instant,
): FundingArrangement | null {
  if (routeAfterDetermination(determination).route === 'not-eligible') return null;
  return interimArrangement({ ...app, determination, responses: {} }, partnership, 'submission', id, at);
}

/** The arrangement in force on a date: the last one made that has started (later decisions supersede earlier ones). */
export function arrangementOn(arrangements: readonly FundingArrangement[], date: LocalDate): FundingArrangement | null {
  let found: FundingArrangement | null = null;
  for (const a of arrangements) if (a.startDate <= date) found = a;
  return found;
}

function disputeBetween(response: PartyResponse | undefined, determined: OrgCode | null): { by: OrgCode; other: OrgCode } | null {
  if (response?.decision !== 'dispute' || (response.about ?? 'responsibility') !== 'responsibility') return null;
  if (response.proposedBody === undefined || response.proposedBody === determined) return null;
  return { by: response.body, other: response.proposedBody };
}

/** Merges parts for the same body, drops empty ones and rounds to basis points summing to 100%. */
function shares(parts: { body: OrgCode; party: Party; weight: number }[]): FundingShare[] {
  const merged = new Map<OrgCode, { body: OrgCode; party: Party; weight: number }>();
  for (const p of parts) {
    const m = merged.get(p.body);
    if (m) m.weight += p.weight;
    else merged.set(p.body, { ...p });
  }
  const list = [...merged.values()].filter((p) => p.weight > 0);
  const bp = largestRemainder(
    WHOLE,
    list.map((p) => p.weight),
  );
  // A weight too small to be worth a basis point leaves that body out, rather than listing it as paying 0%.
  return list.map((p, i) => ({ body: p.body, party: p.party, basisPoints: bp[i] as BasisPoints })).filter((s) => s.basisPoints > 0);
}

const pct = (bp: number): string => `${bp / 100}`;

/**
 * The ICB that stands in while the engine cannot name one: the ICB of the person's GP practice (core
 * responsibility, R-WP-GEN-1, which reg 7 makes the s117 ICB, R-WP-117-2); with no practice, the ICB where
 * the person usually lives (R-WP-GEN-2); else the submitting ICB.
 */
function standInIcb(app: Application): { body: OrgCode; why: string; ruleIds: string[] } | null {
  const gp = latestGpIcb(app.facts);
  if (gp !== null) return { body: gp, why: "the ICB of the person's GP practice", ruleIds: ['R-WP-GEN-1', 'R-WP-117-2'] };
  const home = latestResidence(app.facts)?.area.icb;
  if (home !== undefined) return { body: home, why: 'the ICB where the person usually lives', ruleIds: ['R-WP-GEN-2'] };
  if (app.submittedBy.orgKind !== 'la') return { body: app.submittedBy.org, why: 'the ICB that submitted the application', ruleIds: [] };
  return null;
}

/**
 * The council that stands in while the engine cannot name one (R-DISP-LA-3, reg 2(2)-(3)): the council
 * meeting the person's needs now; else where the person is living; if not living anywhere, where the
 * person is present (the area of the hospital they are in).
 */
function standInCouncil(app: Application): { body: OrgCode; why: string } | null {
  if (app.meetingNeedsNow !== undefined) return { body: app.meetingNeedsNow, why: "it is meeting the person's needs now" };
  const living = latestResidenceLa(app.facts);
  if (living !== null) return { body: living, why: 'the person lives in its area' };
  const present = hospitalLa(app.facts);
  if (present !== null) return { body: present, why: 'the person is present in its area' };
  return null;
}

function latestResidence(facts: CaseFacts): ResidenceEvent | null {
  let best: ResidenceEvent | null = null;
  for (const e of facts.events)
    if (e.type === 'residence' && e.from <= facts.evaluationDate && (best === null || e.from >= best.from)) best = e;
  return best;
}

/** The council of the hospital of the latest detention or informal admission, where the person is present. */
function hospitalLa(facts: CaseFacts): OrgCode | null {
  let best: { from: string; la: OrgCode } | null = null;
  for (const e of facts.events) {
    if ((e.type === 'detention' || e.type === 'informal-admission') && e.from <= facts.evaluationDate && e.hospitalArea?.la !== undefined)
      if (best === null || e.from >= best.from) best = { from: e.from, la: e.hospitalArea.la };
  }
  return best?.la ?? null;
}

function latestGpIcb(facts: CaseFacts): OrgCode | null {
  let best: { from: string; icb: OrgCode | null } | null = null;
  for (const e of facts.events) {
    if (e.type === 'gp-registration' && e.from <= facts.evaluationDate && (best === null || e.from >= best.from))
      best = { from: e.from, icb: e.icb };
  }
  return best?.icb ?? null;
}

function latestResidenceLa(facts: CaseFacts): OrgCode | null {
  let best: { from: string; la: OrgCode } | null = null;
  for (const e of facts.events) {
    if (e.type === 'residence' && e.from <= facts.evaluationDate && e.area.la !== undefined && (best === null || e.from >= best.from))
      best = { from: e.from, la: e.area.la };
  }
  return best?.la ?? null;
}
