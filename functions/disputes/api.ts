/**
 * The dispute API: read a dispute (its state, stage, deadlines and the referral pack link), record a stage's
 * outcome (the bodies' agreement, NHS England's or the Secretary of State's decision, or a request to escalate),
 * and read the referral pack. Parties only: anyone else gets 404, as for a missing application.
 */
import * as z from 'zod';
import type { Application } from '#domain/applications/application.ts';
import {
  deadlinesOf,
  DETERMINING_STAGES,
  DISPUTE_KINDS,
  DISPUTE_STAGES,
  DISPUTE_STATUSES,
  outcomeProblem,
  RELAYED_STAGES,
  type Dispute,
  type DisputeEvent,
  sameTerms,
  type DisputeOutcome,
} from '#domain/disputes/dispute.ts';
import type { StoredRechargeEntry } from '#domain/disputes/ports.ts';
import type { ReferralPack } from '#domain/disputes/referral-pack.ts';
import type { Caller } from '../shared/auth.ts';
import { orgCodeSchema } from '../shared/case-facts.schema.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import type { DisputeDeps } from './deps.ts';
import { applyEvent, loadCase, STAGE_TOKEN_PURPOSE, stageStarted } from './steps.ts';

export const recordOutcomeRequestSchema = z
  .strictObject({
    stage: z.enum(DISPUTE_STAGES),
    decision: z.enum(['resolved', 'escalate']),
    responsibleIcb: orgCodeSchema.exactOptional(),
    responsibleLa: orgCodeSchema.exactOptional(),
    /** The ICB's share of the cost under the final answer, in basis points (5000 = 50%). */
    split: z.strictObject({ icbBasisPoints: z.number().int().min(0).max(10_000) }).exactOptional(),
    reason: z.string().trim().min(1).max(4000),
  })
  .superRefine((r, ctx) => {
    if (r.decision === 'escalate') {
      for (const field of ['responsibleIcb', 'responsibleLa', 'split'] as const) {
        if (r[field] !== undefined) ctx.addIssue({ code: 'custom', message: 'is only for a resolved dispute', path: [field] });
      }
    }
  });
export type RecordOutcomeRequest = z.infer<typeof recordOutcomeRequestSchema>;

const stageRecordSchema = z.object({
  stage: z.enum(DISPUTE_STAGES),
  startedAt: z.string(),
  deadline: z.string(),
  endedAt: z.string().nullable(),
  endedBy: z.string().nullable(),
});

export const disputeViewSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  kind: z.enum(DISPUTE_KINDS),
  status: z.enum(DISPUTE_STATUSES),
  stage: z.enum(DISPUTE_STAGES),
  disputeDate: z.string(),
  raisedBy: z.string(),
  bodies: z.array(z.string()),
  lead: z.string(),
  basis: z.string(),
  ruleIds: z.array(z.string()),
  deadlines: z.object({
    stage: z.string().nullable(),
    referralDue: z.string().nullable(),
    legalArgumentsDue: z.string().nullable(),
    reviewWindowEnds: z.string().nullable(),
  }),
  stages: z.array(stageRecordSchema),
  /** The bodies' agreements at the running stage: it is decided when every body in dispute has agreed to the same. */
  agreements: z.array(
    z.object({
      stage: z.enum(DISPUTE_STAGES),
      org: z.string(),
      responsibleIcb: z.string().nullable(),
      responsibleLa: z.string().nullable(),
      icbBasisPoints: z.number().nullable(),
      at: z.string(),
    }),
  ),
  outcome: z
    .object({
      stage: z.enum(DISPUTE_STAGES),
      kind: z.enum(['agreement', 'determination']),
      responsibleIcb: z.string().nullable(),
      responsibleLa: z.string().nullable(),
      icbBasisPoints: z.number().nullable(),
      reason: z.string(),
      decidedBy: z.string(),
      at: z.string(),
      ruleIds: z.array(z.string()),
    })
    .nullable(),
  referralPack: z.object({ id: z.string(), referredOn: z.string(), href: z.string() }).nullable(),
  settlement: z
    .object({
      settlementId: z.string(),
      recharges: z.array(
        z.object({ n: z.number(), lineId: z.string(), period: z.string(), payer: z.string(), payee: z.string(), pence: z.number() }),
      ),
      totalPence: z.number(),
    })
    .nullable(),
});
export type DisputeView = z.infer<typeof disputeViewSchema>;

export const referralPackViewSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  disputeId: z.string(),
  personRef: z.string(),
  generatedAt: z.string(),
  referredOn: z.string(),
  disputeDate: z.string(),
  referralDue: z.string(),
  legalArgumentsDue: z.string(),
  ruleIds: z.array(z.string()),
  sections: z.array(
    z.object({
      heading: z.string(),
      paragraphs: z.array(z.string()),
      items: z.array(z.string()),
      /** The chronology and the correspondence are tables of sentences (absent on packs made before issue 16). */
      table: z.object({ caption: z.string(), head: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
    }),
  ),
  text: z.string(),
  html: z.string(),
});

const notFound = (detail = 'No such application.'): ProblemError => new ProblemError(404, detail);

/** The application and its dispute, if the caller's organisation is a party; otherwise 404. */
async function loadForParty(
  deps: Pick<DisputeDeps, 'applications' | 'disputes'>,
  caller: Caller,
  id: string,
): Promise<{ app: Application; dispute: Dispute }> {
  const app = await deps.applications.get(id);
  if (app === null || !app.parties.includes(caller.org)) throw notFound();
  const dispute = await deps.disputes.get(id);
  if (dispute === null) throw notFound('This application has no dispute.');
  return { app, dispute };
}

export function toDisputeView(d: Dispute, recharges: readonly StoredRechargeEntry[]): DisputeView {
  const o = d.outcome;
  const mine = recharges.filter((r) => r.settlementId === d.settlementId);
  return {
    id: d.id,
    applicationId: d.applicationId,
    kind: d.kind,
    status: d.status,
    stage: d.stage,
    disputeDate: d.disputeDate,
    raisedBy: d.raisedBy,
    bodies: [...d.bodies],
    lead: d.lead,
    basis: d.basis,
    ruleIds: [...d.ruleIds],
    deadlines: deadlinesOf(d),
    agreements: (d.agreements ?? [])
      .filter((a) => a.stage === d.stage)
      .map((a) => ({
        stage: a.stage,
        org: a.org,
        responsibleIcb: a.responsibleIcb ?? null,
        responsibleLa: a.responsibleLa ?? null,
        icbBasisPoints: a.split?.icbBasisPoints ?? null,
        at: a.at,
      })),
    stages: d.stages.map((s) => ({
      stage: s.stage,
      startedAt: s.startedAt,
      deadline: s.deadline,
      endedAt: s.endedAt ?? null,
      endedBy: s.endedBy ?? null,
    })),
    outcome:
      o === undefined
        ? null
        : {
            stage: o.stage,
            kind: o.kind,
            responsibleIcb: o.responsibleIcb ?? null,
            responsibleLa: o.responsibleLa ?? null,
            icbBasisPoints: o.split?.icbBasisPoints ?? null,
            reason: o.reason,
            decidedBy: o.decidedBy,
            at: o.at,
            ruleIds: [...o.ruleIds],
          },
    referralPack:
      d.referral === undefined
        ? null
        : { id: d.referral.packId, referredOn: d.referral.referredOn, href: `/v1/applications/${d.applicationId}/dispute/referral-pack` },
    settlement:
      d.settlementId === undefined
        ? null
        : {
            settlementId: d.settlementId,
            recharges: mine.map((r) => ({ n: r.n, lineId: r.lineId, period: r.period, payer: r.payer, payee: r.payee, pence: r.pence })),
            totalPence: mine.reduce((sum, r) => sum + r.pence, 0),
          },
  };
}

export async function getDispute(deps: DisputeDeps, caller: Caller, id: string): Promise<DisputeView> {
  const { dispute } = await loadForParty(deps, caller, id);
  return toDisputeView(dispute, dispute.settlementId === undefined ? [] : await deps.disputes.listRecharges(id));
}

export async function getReferralPack(deps: DisputeDeps, caller: Caller, id: string): Promise<ReferralPack> {
  const { dispute } = await loadForParty(deps, caller, id);
  if (dispute.referral === undefined) {
    throw notFound(
      dispute.kind === 'la-la'
        ? `The referral pack is produced when the referral falls due on ${dispute.referralDue ?? dispute.disputeDate}, or when a council asks for the referral.`
        : 'Only a dispute between councils is referred to the Secretary of State.',
    );
  }
  const pack = await deps.disputes.getReferralPack(id, dispute.referral.packId);
  if (pack === null) throw notFound('The referral pack is not stored yet; try again shortly.');
  return pack;
}

const RULES_BY_STAGE: Record<string, string[]> = {
  'local-resolution': ['R-WP-DISP-4'],
  'nhse-regional': ['R-WP-DISP-4'],
  'nhse-national': ['R-WP-DISP-4'],
  'pre-referral': ['R-DISP-LA-4'],
  'secretary-of-state': ['R-DISP-LA-5', 'R-DISP-LA-9'],
  'executive-leads': ['R-APP-1'],
  'joint-panel': ['R-APP-1'],
};

/** Who may record an outcome at each stage: NHS England at its stages; the bodies in dispute elsewhere. */
async function checkRecorder(deps: DisputeDeps, caller: Caller, d: Dispute, stage: Dispute['stage']): Promise<void> {
  if (stage === 'joint-panel')
    throw new ProblemError(409, "The joint panel decides through its members' approval links, not through this route.");
  if (stage === 'nhse-regional' || stage === 'nhse-national') {
    const org = await deps.directory.organisation(caller.org);
    if (org?.kind !== 'nhs-england') throw new ProblemError(403, 'At this stage NHS England records the outcome.');
    return;
  }
  if (!d.bodies.includes(caller.org) && caller.org !== d.lead)
    throw new ProblemError(403, `Only the bodies in dispute (${d.bodies.join(', ')}) record the outcome of this stage.`);
}

/** `POST /v1/applications/{id}/dispute/outcome`. */
export async function recordDisputeOutcome(
  deps: DisputeDeps,
  input: { caller: Caller; id: string; request: RecordOutcomeRequest },
): Promise<HttpResult> {
  const { caller, id, request } = input;
  const { app, dispute } = await loadForParty(deps, caller, id);
  const { partnership, settings } = await loadCase(deps, id);
  await checkRecorder(deps, caller, dispute, request.stage);
  const at = deps.clock.now();
  if (request.decision === 'resolved') {
    const problem = outcomeProblem(dispute, {
      ...(request.responsibleIcb === undefined ? {} : { responsibleIcb: request.responsibleIcb }),
      ...(request.responsibleLa === undefined ? {} : { responsibleLa: request.responsibleLa }),
      ...(request.split === undefined ? {} : { split: { icbBasisPoints: request.split.icbBasisPoints } }),
    });
    if (problem !== null)
      throw new ProblemError(400, 'The outcome does not settle this kind of dispute; see errors.', {
        errors: [{ field: `body.${problem.field}`, message: problem.message }],
      });
  } else if (request.stage === 'secretary-of-state') {
    throw new ProblemError(409, "There is no stage after the Secretary of State's determination.");
  }
  const same = (d: Dispute): boolean =>
    d.outcome !== undefined &&
    d.outcome.stage === request.stage &&
    d.outcome.reason === request.reason &&
    d.outcome.responsibleIcb === request.responsibleIcb &&
    d.outcome.responsibleLa === request.responsibleLa;
  const repeatOfEscalation = (d: Dispute): boolean =>
    request.decision === 'escalate' &&
    (d.stages.some((s) => s.stage === request.stage && s.endedBy === 'escalation') ||
      (d.stage === 'pre-referral' && d.referralRequested?.by === caller.org));
  const outcome = (): DisputeOutcome => ({
    stage: request.stage,
    kind: DETERMINING_STAGES.has(request.stage) ? 'determination' : 'agreement',
    ...(request.responsibleIcb === undefined ? {} : { responsibleIcb: request.responsibleIcb }),
    ...(request.responsibleLa === undefined ? {} : { responsibleLa: request.responsibleLa }),
    ...(request.split === undefined ? {} : { split: { icbBasisPoints: request.split.icbBasisPoints } }),
    reason: request.reason,
    // The authenticated user, never free text; at a bodies' stage the domain names every agreeing user.
    decidedBy: `${caller.userId} (${caller.org})`,
    recordedBy: { userId: caller.userId, org: caller.org },
    at,
    ruleIds: RULES_BY_STAGE[request.stage] ?? [],
  });
  const result = await applyEvent(deps, id, settings, (d): DisputeEvent | null => {
    if (request.decision === 'resolved') {
      if (same(d)) return null;
      // NHS England records its determination alone; the Secretary of State's is recorded by both councils.
      if (DETERMINING_STAGES.has(request.stage) && !RELAYED_STAGES.has(request.stage)) return { type: 'decide', outcome: outcome() };
      const o = outcome();
      const mine = d.agreements?.find((a) => a.stage === d.stage && a.org === caller.org);
      if (d.status === 'active' && mine !== undefined && sameTerms(mine, o)) return null;
      return { type: 'agree', org: caller.org, outcome: o };
    }
    if (repeatOfEscalation(d)) return null;
    return request.stage === 'pre-referral'
      ? { type: 'request-referral', fromStage: request.stage, by: caller.org, reason: request.reason, at }
      : { type: 'escalate', fromStage: request.stage, cause: 'requested', at, reason: request.reason };
  });
  if (result.refused !== undefined) throw new ProblemError(409, result.refused);
  const d = result.dispute;
  await deps.chronology.append(app.personRef, {
    key: `dispute-outcome:${d.id}:${request.stage}:${request.decision}:${caller.org}`,
    at,
    type: 'dispute-outcome-recorded',
    actor: { userId: caller.userId, org: caller.org },
    applicationId: id,
    data: {
      disputeId: d.id,
      stage: request.stage,
      decision: request.decision,
      agreedBy: caller.org,
      decidedBy: d.outcome?.decidedBy ?? null,
      reason: request.reason,
      responsibleIcb: request.responsibleIcb ?? null,
      responsibleLa: request.responsibleLa ?? null,
      icbBasisPoints: request.split?.icbBasisPoints ?? null,
      status: d.status,
      nowAt: d.stage,
      deadlines: deadlinesOf(d),
      reviewWindowEnds: d.reviewWindowEnds ?? null,
    },
  });
  if (result.changed && request.decision === 'escalate' && d.stage !== request.stage)
    await stageStarted(deps, app, partnership, d, { userId: caller.userId, org: caller.org });
  // A body's agreement that awaits the other body's changes nothing the workflow waits for.
  if (request.decision === 'resolved' && d.status === 'active')
    return { statusCode: result.changed ? 201 : 200, body: toDisputeView(d, []) };
  const token = await deps.tokens.get({ applicationId: id, purpose: STAGE_TOKEN_PURPOSE });
  // 'gone' is fine: the machine is between waits and will see the change when it next looks.
  if (token !== null) await deps.workflow.succeed(token, { changed: true });
  return { statusCode: result.changed ? 201 : 200, body: toDisputeView(d, []) };
}
