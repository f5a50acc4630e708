/**
 * The funding decisions of a funding application: where the workflow goes after a determination and
 * after the bodies answer, how a response is recorded, and the agreed or interim arrangement that
 * follows. The rule that binds them all: care starts on the day it was asked for (R-WP-GEN-5,
 * R-DISP-LA-3); disputes are settled behind an interim without-prejudice agreement.
 */
import type { Determination } from '../determination.ts';
import type { CaseFacts, OrgCode } from '../facts.ts';
import { largestRemainder, WHOLE, type BasisPoints } from '../money.ts';
import type { OrganisationKind, Partnership } from '../partnership.ts';
import type { Rejection } from '../errors.ts';
import type { Application, FundingArrangement, FundingShare, Instant, Party, PartyResponse } from '../applications/application.ts';

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

const ANSWERABLE = new Set(['awaiting-responses', 'interim', 'in-dispute']);

/**
 * Records a determined body's answer. One answer per body; the same answer again changes nothing. A
 * dispute's proposed body must be an organisation of the application's partnership that can owe the
 * disputed duty: a body of the responder's own kind (a dispute within the NHS or between councils), or
 * the body determined on the other side (a dispute across the NHS/council line). It becomes a party to
 * the application only through the recorded dispute.
 * @see rules.md R-WP-DISP-4, R-DISP-LA-1, R-APP-1
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
  if (!ANSWERABLE.has(app.status))
    return { kind: 'rejected', code: 'closed', reason: `The application is ${app.status}; it no longer takes answers.` };
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

export type InterimCause = 'dispute' | 'deadline' | 'human-review' | 'failure' | 'panel';

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
  const icb = d?.icb.body ?? latestGpIcb(app.facts) ?? (app.submittedBy.orgKind === 'la' ? null : app.submittedBy.org);
  if (!d?.icb.body && icb) notes.push(`${icb} stands in as the ICB until responsibility is settled.`);
  let la = d?.localAuthority.body ?? app.meetingNeedsNow ?? latestResidenceLa(app.facts) ?? null;
  if (!d?.localAuthority.body && la) notes.push(`${la} stands in as the council until responsibility is settled.`);

  const icbDispute = disputeBetween(app.responses.icb, icb);
  const laDispute = disputeBetween(app.responses.la, la);
  const parts: { body: OrgCode; party: Party; weight: number }[] = [];
  const icbShare = f.interimIcbShare;

  if (laDispute) {
    // R-DISP-LA-2/3: the council meeting needs on the dispute date keeps meeting them; else where the person lives.
    const lead = app.meetingNeedsNow ?? latestResidenceLa(app.facts) ?? la;
    if (lead !== null) la = lead;
    ruleIds.push('R-DISP-LA-2');
    notes.push(
      `${laDispute.other} is named by ${laDispute.by} as responsible; ${la ?? 'the council'} ${app.meetingNeedsNow === la ? "is meeting the person's needs now and" : 'is where the person lives and'} keeps paying the council share meanwhile.`,
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
  const lead = parts.find((p) => p.party === leadParty)?.body ?? (parts[0] as { body: OrgCode }).body;
  const why = {
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
    createdAt: at,
  };
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
  return list.map((p, i) => ({ body: p.body, party: p.party, basisPoints: bp[i] as BasisPoints }));
}

const pct = (bp: number): string => `${bp / 100}`;

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
