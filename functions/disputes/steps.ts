/**
 * The steps of statemachines/dispute.asl.json, as use-cases over the ports. Each loads the application and
 * its dispute, decides with a pure domain function, writes with a conditional save, and writes the
 * application's chronology; each is safe to run twice (Step Functions retries; the local runtime re-drives).
 */
import type { Application, FundingArrangement } from '#domain/applications/application.ts';
import {
  classifyDispute,
  deadlinePassed,
  deadlinesOf,
  nextWake,
  openDispute,
  remindersDue,
  transition,
  type Dispute,
  type DisputeEvent,
  type DisputeKind,
  type DisputeStage,
} from '#domain/disputes/dispute.ts';
import { buildReferralPack } from '#domain/disputes/referral-pack.ts';
import { disputeSettings, type DisputeSettings } from '#domain/disputes/settings.ts';
import { finalArrangement, interimSettlement } from '#domain/disputes/settle-dispute.ts';
import { ApplicationNotFoundError, ConfigurationError } from '#domain/errors.ts';
import type { OrgCode } from '#domain/facts.ts';
import { panelTimeoutSeconds, type PanelOutcome, type PanelProposal } from '#domain/panels/panel.ts';
import type { Partnership } from '#domain/partnership.ts';
import type { ChronologyActor } from '#domain/ports.ts';
import { updateApplication, withOptimisticRetry } from '../shared/optimistic-update.ts';
import { notifyOnce } from '../shared/send-once.ts';
import type { DisputeDeps } from './deps.ts';
import { referralMessage, reminderMessage, settlementMessage, stageMessage, type Message } from './messages.ts';

export class DisputeNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DisputeNotFoundError';
  }
}

/** What the machine branches on after each step: a field the domain computed, never a condition in ASL. */
export interface StepView {
  kind: DisputeKind;
  /** await: a stage waits for its outcome; panel: the joint panel decides; refer: the council referral falls due. */
  next: 'await' | 'panel' | 'refer' | 'settle' | 'unresolved' | 'done';
  stage: DisputeStage;
  /** Seconds the next wait lasts (the next reminder or the deadline), at least 1. */
  waitSeconds: number;
  /** For the joint panel: what it is asked to approve. */
  proposal?: PanelProposal;
}

export const STAGE_TOKEN_PURPOSE = 'dispute-stage';
const SYSTEM = (step: string): ChronologyActor => ({ system: `dispute/${step}` });
const suffix = (applicationId: string): string => applicationId.replace(/^app_/, '');
export const disputeIdFor = (applicationId: string): string => `dsp_${suffix(applicationId)}_1`;
export const referralPackIdFor = (applicationId: string): string => `rp_${suffix(applicationId)}_1`;
export const settlementIdFor = (applicationId: string): string => `set_${suffix(applicationId)}_1`;

export async function loadCase(
  deps: DisputeDeps,
  applicationId: string,
): Promise<{ app: Application; partnership: Partnership; settings: DisputeSettings }> {
  const app = await deps.applications.get(applicationId);
  if (!app) throw new ApplicationNotFoundError(applicationId);
  const partnership = await deps.directory.partnership(app.partnershipId);
  if (!partnership) throw new ConfigurationError(`Partnership ${app.partnershipId} is not configured`);
  return { app, partnership, settings: disputeSettings(partnership.disputes) };
}

async function loadDispute(deps: DisputeDeps, applicationId: string): Promise<Dispute> {
  const d = await deps.disputes.get(applicationId);
  if (!d) throw new DisputeNotFoundError(`Application ${applicationId} has no dispute`);
  return d;
}

/**
 * Applies `event` with optimistic concurrency. Returns the dispute after it, and whether this call changed it
 * (false: the event no longer applies, e.g. a late timer for a stage that already ended).
 */
export async function applyEvent(
  deps: Pick<DisputeDeps, 'disputes'>,
  applicationId: string,
  settings: DisputeSettings,
  event: (d: Dispute) => DisputeEvent | null,
): Promise<{ dispute: Dispute; changed: boolean; refused?: string }> {
  return withOptimisticRetry(async () => {
    const current = await loadDispute(deps as DisputeDeps, applicationId);
    const e = event(current);
    if (e === null) return { dispute: current, changed: false };
    const result = transition(current, e, settings);
    if (!result.ok) return { dispute: current, changed: false, refused: result.reason };
    if (result.dispute === current) return { dispute: current, changed: false };
    const next = { ...result.dispute, version: current.version + 1 };
    await deps.disputes.save(next);
    return { dispute: next, changed: true };
  });
}

async function notifyAll(deps: DisputeDeps, app: Application, orgs: readonly OrgCode[], purpose: string, message: Message): Promise<void> {
  for (const code of [...new Set(orgs)]) {
    const org = await deps.directory.organisation(code);
    if (org) await notifyOnce(deps, app.id, purpose, org.email, message);
  }
}

/** Who hears about a stage: the bodies in dispute, the lead, and NHS England at its stages. */
async function audience(deps: DisputeDeps, partnership: Partnership, d: Dispute): Promise<OrgCode[]> {
  const nhse = d.stage === 'nhse-regional' || d.stage === 'nhse-national' ? await nhsEnglandOf(deps, partnership) : [];
  return [...new Set([...d.bodies, d.lead, ...nhse])];
}

async function nhsEnglandOf(deps: DisputeDeps, partnership: Partnership): Promise<OrgCode[]> {
  const orgs = await Promise.all(partnership.members.map((m) => deps.directory.organisation(m)));
  return orgs.flatMap((o) => (o?.kind === 'nhs-england' ? [o.code] : []));
}

/** The dispute's view for the machine. */
export function stepView(d: Dispute, app: Application, partnership: Partnership, settings: DisputeSettings, now: string): StepView {
  const base = { kind: d.kind, stage: d.stage, waitSeconds: 1 };
  if (d.status === 'decided') return { ...base, next: 'settle' };
  if (d.status === 'settled') return { ...base, next: 'done' };
  if (d.status === 'unresolved') return { ...base, next: 'unresolved' };
  if (d.stage === 'pre-referral' && (d.referralRequested !== undefined || deadlinePassed(d, now))) return { ...base, next: 'refer' };
  const wake = nextWake(d, now, settings);
  if (d.stage === 'joint-panel') {
    const deadline =
      wake.due === 'deadline'
        ? wake.seconds
        : Math.max(1, Math.ceil((Date.parse(`${d.stages.at(-1)?.deadline ?? ''}T00:00:00.000Z`) - Date.parse(now)) / 1000));
    const waitSeconds = partnership.panel === undefined ? deadline : Math.max(deadline, panelTimeoutSeconds(partnership.panel.timing));
    return { ...base, next: 'panel', waitSeconds, proposal: jointPanelProposal(d, app, partnership) };
  }
  return { ...base, next: 'await', waitSeconds: wake.seconds };
}

/** What the joint panel is asked to approve: the determination's bodies at the partnership's agreed split. */
export function jointPanelProposal(d: Dispute, app: Application, partnership: Partnership): PanelProposal {
  const icb = app.determination?.icb.body ?? null;
  const la = app.determination?.localAuthority.body ?? null;
  const icbShare = partnership.funding.agreedIcbShare;
  const split = [
    ...(icb === null ? [] : [{ body: icb, party: 'icb' as const, basisPoints: la === null ? 10_000 : icbShare }]),
    ...(la === null ? [] : [{ body: la, party: 'la' as const, basisPoints: icb === null ? 10_000 : 10_000 - icbShare }]),
  ];
  const weekly = app.carePlan.serviceLines
    .filter((l) => l.s117 && l.startDate <= app.requestedStartDate && (l.endDate === undefined || l.endDate >= app.requestedStartDate))
    .reduce((s, l) => s + l.weeklyCostPence, 0);
  return {
    summary: `Resolve the dispute raised by ${d.raisedBy} on ${d.disputeDate}: ${split.map((s) => `${s.body} ${s.basisPoints / 100}%`).join(', ')} under the partnership's agreed split, from the interim start ${app.requestedStartDate}.`,
    weeklyCostPence: weekly,
    split,
    startDate: app.requestedStartDate,
    details: [d.basis, 'If the panel does not approve, the dispute goes to the executive leads of the ICB and the council.'],
  };
}

async function chronicle(
  deps: DisputeDeps,
  app: Application,
  key: string,
  type: string,
  actor: ChronologyActor,
  data: Record<string, unknown>,
): Promise<void> {
  await deps.chronology.append(app.personRef, { key, at: deps.clock.now(), type, actor, applicationId: app.id, data });
}

const stageData = (d: Dispute) => ({ disputeId: d.id, kind: d.kind, status: d.status, stage: d.stage, deadlines: deadlinesOf(d) });

/** After a stage starts (opening or escalation): NHS England joins the parties at its stages; the chronology and the bodies hear of it. */
export async function stageStarted(
  deps: DisputeDeps,
  app: Application,
  partnership: Partnership,
  d: Dispute,
  actor: ChronologyActor,
): Promise<void> {
  if (d.status !== 'active') {
    await chronicle(deps, app, `dispute-unresolved:${d.id}`, 'dispute-unresolved', actor, {
      ...stageData(d),
      reason:
        'The last stage ended without an outcome. Interim funding continues; a person must decide the next step (legal advice or proceedings).',
    });
    return;
  }
  const nhse = d.stage === 'nhse-regional' || d.stage === 'nhse-national' ? await nhsEnglandOf(deps, partnership) : [];
  if (nhse.some((o) => !app.parties.includes(o))) {
    await updateApplication(deps, app.id, (a) =>
      nhse.every((o) => a.parties.includes(o)) ? null : { ...a, parties: [...new Set([...a.parties, ...nhse])] },
    );
  }
  await chronicle(deps, app, `dispute-stage:${d.id}:${d.stage}`, 'dispute-stage-started', actor, {
    ...stageData(d),
    startedAt: d.stages.at(-1)?.startedAt ?? null,
  });
  await notifyAll(deps, app, await audience(deps, partnership, d), `dispute-stage-${d.stage}`, stageMessage(app, d, deps.appBaseUrl));
}

/** OpenDispute: the dispute from the responses, at its first stage; the application is in dispute. */
export async function openDisputeStep(deps: DisputeDeps, input: { applicationId: string }): Promise<StepView> {
  const { app, partnership, settings } = await loadCase(deps, input.applicationId);
  let dispute = await deps.disputes.get(app.id);
  if (dispute === null) {
    const kinds = new Map<OrgCode, Awaited<ReturnType<DisputeDeps['directory']['organisation']>>>();
    for (const r of [app.responses.icb, app.responses.la]) {
      for (const code of [r?.body, r?.proposedBody])
        if (code !== undefined && !kinds.has(code)) kinds.set(code, await deps.directory.organisation(code));
    }
    const classification = classifyDispute(app, (org) => kinds.get(org)?.kind);
    if (classification === null) throw new DisputeNotFoundError(`Application ${app.id} has no disputing response`);
    const interim = [...app.arrangements].reverse().find((a) => a.state === 'interim');
    if (interim === undefined) throw new DisputeNotFoundError(`Application ${app.id} has no interim arrangement`);
    const lead =
      classification.kind === 'icb-icb'
        ? (app.determination?.icb.body ?? classification.raisedBy)
        : classification.kind === 'la-la'
          ? (interim.shares.find((s) => s.body === interim.lead && s.party === 'la')?.body ??
            app.meetingNeedsNow ??
            classification.raisedBy)
          : interim.lead;
    const opened = openDispute({
      id: disputeIdFor(app.id),
      app,
      classification,
      lead,
      interimArrangementId: interim.id,
      settings,
      at: deps.clock.now(),
    });
    await deps.disputes.create(opened);
    dispute = await loadDispute(deps, app.id);
  }
  const current = await updateApplication(deps, app.id, (a) => (a.status === 'interim' ? { ...a, status: 'in-dispute' } : null));
  await chronicle(deps, current, `dispute-opened:${dispute.id}`, 'dispute-opened', SYSTEM('OpenDispute'), {
    ...stageData(dispute),
    disputeDate: dispute.disputeDate,
    raisedBy: dispute.raisedBy,
    bodies: dispute.bodies,
    lead: dispute.lead,
    interimArrangementId: dispute.interimArrangementId,
    basis: dispute.basis,
    ruleIds: dispute.ruleIds,
  });
  await stageStarted(deps, current, partnership, dispute, SYSTEM('OpenDispute'));
  return stepView(dispute, current, partnership, settings, deps.clock.now());
}

/**
 * AwaitStageOutcome (callback): keeps the task token on the server. If the dispute moved on since the
 * machine looked (an outcome recorded in between), it resumes at once, so no outcome is ever missed.
 */
export async function requestStageOutcome(
  deps: DisputeDeps,
  input: { applicationId: string; stage: DisputeStage; taskToken: string },
): Promise<{ requested: true }> {
  await deps.tokens.put({ applicationId: input.applicationId, purpose: STAGE_TOKEN_PURPOSE }, input.taskToken, deps.clock.now());
  const d = await loadDispute(deps, input.applicationId);
  if (d.status !== 'active' || d.stage !== input.stage || (d.stage === 'pre-referral' && d.referralRequested !== undefined)) {
    await deps.workflow.succeed(input.taskToken, { changed: true });
  }
  return { requested: true };
}

export interface PanelResult {
  outcome: PanelOutcome;
  votes?: unknown[];
  decidedAt?: string;
  panelRequestId?: string;
}

/**
 * AdvanceDispute: after an outcome (the API applied it already), a clock tick (a reminder is due, or the
 * deadline passed: escalate), or the joint panel's decision. Returns where the machine goes next.
 */
export async function advanceDispute(
  deps: DisputeDeps,
  input: { applicationId: string; trigger: 'outcome' | 'clock' | 'panel'; panel?: PanelResult },
): Promise<StepView> {
  const { app, partnership, settings } = await loadCase(deps, input.applicationId);
  let d = await loadDispute(deps, app.id);
  const now = deps.clock.now();
  if (input.trigger === 'clock' && d.status === 'active') {
    if (deadlinePassed(d, now)) {
      if (d.stage !== 'pre-referral') {
        const from = d.stage;
        const result = await applyEvent(deps, app.id, settings, (cur) =>
          cur.stage === from && cur.status === 'active'
            ? { type: 'escalate', fromStage: from, cause: 'deadline', at: now, reason: 'The stage deadline passed without an outcome.' }
            : null,
        );
        d = result.dispute;
        if (result.changed) {
          await chronicle(deps, app, `dispute-escalated:${d.id}:${from}`, 'dispute-escalated', SYSTEM('AdvanceDispute'), {
            ...stageData(d),
            from,
            cause: 'deadline',
          });
          await stageStarted(deps, app, partnership, d, SYSTEM('AdvanceDispute'));
        }
      }
    } else {
      const n = remindersDue(d, now, settings);
      if (n > 0) {
        await chronicle(deps, app, `dispute-reminder:${d.id}:${d.stage}:${n}`, 'dispute-reminder-sent', SYSTEM('AdvanceDispute'), {
          ...stageData(d),
          reminder: n,
        });
        await notifyAll(
          deps,
          app,
          await audience(deps, partnership, d),
          `dispute-reminder-${d.stage}-${n}`,
          reminderMessage(app, d, n, deps.appBaseUrl),
        );
      }
    }
  }
  if (input.trigger === 'panel' && d.status === 'active' && d.stage === 'joint-panel') {
    const outcome = input.panel?.outcome ?? 'no-decision';
    const proposal = jointPanelProposal(d, app, partnership);
    const icb = proposal.split?.find((s) => s.party === 'icb');
    const la = proposal.split?.find((s) => s.party === 'la');
    const result = await applyEvent(deps, app.id, settings, (cur) => {
      if (cur.stage !== 'joint-panel' || cur.status !== 'active') return null;
      if (outcome !== 'approved')
        return { type: 'escalate', fromStage: 'joint-panel', cause: 'panel', at: now, reason: `The joint panel's outcome was ${outcome}.` };
      return {
        type: 'decide',
        outcome: {
          stage: 'joint-panel',
          kind: 'agreement',
          reason: proposal.summary,
          decidedBy: 'The joint funding panel',
          recordedBy: { system: 'dispute/RecordJointPanelDecision' },
          at: now,
          ruleIds: ['R-APP-1'],
          ...(icb === undefined ? {} : { responsibleIcb: icb.body, split: { icbBasisPoints: icb.basisPoints } }),
          ...(la === undefined ? {} : { responsibleLa: la.body }),
        },
      };
    });
    d = result.dispute;
    await chronicle(deps, app, `joint-panel:${d.id}`, 'dispute-joint-panel-decided', SYSTEM('RecordJointPanelDecision'), {
      ...stageData(d),
      outcome,
      votes: Array.isArray(input.panel?.votes) ? input.panel.votes.length : 0,
      panelRequestId: input.panel?.panelRequestId ?? null,
    });
    if (result.changed && d.status === 'active') await stageStarted(deps, app, partnership, d, SYSTEM('RecordJointPanelDecision'));
  }
  return stepView(d, app, partnership, settings, deps.clock.now());
}

/**
 * ProduceReferralPack (councils): when the referral falls due (four months after the dispute date) or a body
 * asks for it, the lead authority's pack is generated from the register and the dispute is referred.
 */
export async function produceReferralPack(deps: DisputeDeps, input: { applicationId: string }): Promise<StepView> {
  const { app, partnership, settings } = await loadCase(deps, input.applicationId);
  let d = await loadDispute(deps, app.id);
  if (d.kind !== 'la-la') throw new DisputeNotFoundError(`Dispute ${d.id} is not between councils`);
  if (d.stage === 'pre-referral' && d.status === 'active') {
    const packId = referralPackIdFor(app.id);
    let pack = await deps.disputes.getReferralPack(app.id, packId);
    if (pack === null) {
      const names: Record<OrgCode, string> = {};
      for (const code of new Set([...d.bodies, ...app.parties, d.lead])) {
        const org = await deps.directory.organisation(code);
        if (org) names[code] = org.name;
      }
      pack = buildReferralPack({
        id: packId,
        app,
        dispute: d,
        chronology: await deps.chronology.list(app.personRef, { applicationId: app.id }),
        names,
        referredOn: deps.clock.today(),
        generatedAt: deps.clock.now(),
      });
      await deps.disputes.putReferralPack(pack);
      pack = (await deps.disputes.getReferralPack(app.id, packId)) ?? pack;
    }
    const referredAt = `${pack.referredOn}T${deps.clock.now().slice(11)}`;
    d = (
      await applyEvent(deps, app.id, settings, (cur) =>
        cur.stage === 'pre-referral' && cur.status === 'active' ? { type: 'refer', packId, at: referredAt } : null,
      )
    ).dispute;
  }
  if (d.referral !== undefined) {
    await chronicle(
      deps,
      app,
      `dispute-referred:${d.id}`,
      'dispute-referred',
      { org: d.lead, system: 'dispute/ProduceReferralPack' },
      {
        ...stageData(d),
        disputeDate: d.disputeDate,
        referralDue: d.referralDue ?? null,
        referredOn: d.referral.referredOn,
        legalArgumentsDue: d.referral.legalArgumentsDue,
        packId: d.referral.packId,
        pack: `/v1/applications/${app.id}/dispute/referral-pack`,
        ruleIds: ['R-DISP-LA-5', 'R-DISP-LA-6', 'R-DISP-LA-7'],
      },
    );
    await notifyAll(deps, app, d.bodies, 'dispute-referred', referralMessage(app, d, deps.appBaseUrl));
    await stageStarted(deps, app, partnership, d, SYSTEM('ProduceReferralPack'));
  }
  return stepView(d, app, partnership, settings, deps.clock.now());
}

/**
 * SettleDispute: responsibility fixed by a final arrangement (appended; the interim one stays), recharges
 * for the interim period stored once each, the dispute settled, the chronology written, the bodies told.
 */
export async function settleDisputeStep(
  deps: DisputeDeps,
  input: { applicationId: string },
): Promise<StepView & { settlementId: string; entries: number }> {
  const { app: loaded, partnership, settings } = await loadCase(deps, input.applicationId);
  const d0 = await loadDispute(deps, loaded.id);
  const settlementId = settlementIdFor(loaded.id);
  if (d0.status !== 'decided' && d0.status !== 'settled') throw new DisputeNotFoundError(`Dispute ${d0.id} is ${d0.status}, not decided`);
  const interim = loaded.arrangements.find((a) => a.id === d0.interimArrangementId);
  if (interim === undefined) throw new DisputeNotFoundError(`Dispute ${d0.id}: interim arrangement ${d0.interimArrangementId} is missing`);
  const arrangementId = `arr_${suffix(loaded.id)}_settled`;
  const app = await updateApplication(deps, loaded.id, (a) => {
    if (a.arrangements.some((x) => x.id === arrangementId)) return a.status === 'settled' ? null : { ...a, status: 'settled' };
    const final = finalArrangement(a, d0, interim, partnership, arrangementId, deps.clock.today(), deps.clock.now());
    const parties = final.shares.map((s) => s.body).filter((b) => !a.parties.includes(b));
    return { ...a, status: 'settled', arrangements: [...a.arrangements, final], parties: [...a.parties, ...parties] };
  });
  const final = app.arrangements.find((x) => x.id === arrangementId) as FundingArrangement;
  const settlement = interimSettlement(app, interim, final, partnership.id, settlementId);
  const createdAt = deps.clock.now();
  await deps.disputes.putRecharges(
    settlement.entries.map((e) => ({ ...e, applicationId: app.id, partnershipId: partnership.id, createdAt })),
  );
  const { dispute: d } = await applyEvent(deps, app.id, settings, (cur) =>
    cur.status === 'decided' ? { type: 'settle', settlementId, at: createdAt } : null,
  );
  const totals = new Map<string, number>();
  for (const e of settlement.entries) totals.set(`${e.payer}>${e.payee}`, (totals.get(`${e.payer}>${e.payee}`) ?? 0) + e.pence);
  await chronicle(deps, app, `dispute-settled:${d.id}`, 'dispute-settled', SYSTEM('SettleDispute'), {
    ...stageData(d),
    settlementId,
    arrangementId: final.id,
    from: settlement.from,
    upTo: settlement.upTo,
    entries: settlement.entries.length,
    recharges: [...totals].map(([k, pence]) => ({ payer: k.split('>')[0], payee: k.split('>')[1], pence })),
    positions: settlement.positions.map((p) => ({ ...p })),
    finalShares: final.shares.map((s) => ({ body: s.body, party: s.party, percentage: s.basisPoints / 100 })),
    basis: final.basis,
    ruleIds: final.ruleIds,
  });
  const bodies = [...new Set([...d.bodies, ...interim.shares.map((s) => s.body), ...final.shares.map((s) => s.body)])];
  await notifyAll(deps, app, bodies, `dispute-settled-${settlementId}`, settlementMessage(app, d, settlement, deps.appBaseUrl));
  return { ...stepView(d, app, partnership, settings, deps.clock.now()), settlementId, entries: settlement.entries.length };
}
