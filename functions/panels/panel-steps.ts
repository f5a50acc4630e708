/**
 * The panel's workflow side: the `request-panel-decision` callback task, and the steps of
 * statemachines/panel-reminders.asl.json (remind, escalate, answer no-decision). Each is safe to run
 * twice: the request's id comes from the task token's hash, mails go through the mail log, chronology
 * entries have keys, and closing a request is a conditional write that only the first caller wins.
 */
import type { Application } from '#domain/applications/application.ts';
import { ApplicationNotFoundError, ConcurrentUpdateError, ConfigurationError } from '#domain/errors.ts';
import type { PanelDecisionResult, RequestPanelDecisionAck, RequestPanelDecisionPayload } from '#domain/panels/contract.ts';
import { nextCheckpoint, panelSeats, type PanelOutcome, type ReminderLoopState } from '#domain/panels/panel.ts';
import type { PanelEpisodes, PanelStore } from '#domain/panels/ports.ts';
import type { QuorumState } from '#domain/panels/quorum.ts';
import { closeRequest, escalate, newPanelRequest, quorumOf, type Approval, type PanelRequest } from '#domain/panels/request.ts';
import type { ApplicationStore, Chronology, Clock, Directory, Mailer, TaskTokenStore, Workflow } from '#domain/ports.ts';
import type { MailLog } from '#domain/ports.ts';
import { withOptimisticRetry } from '../shared/optimistic-update.ts';
import { notifyOnce } from '../shared/send-once.ts';
import { escalationMessage, invitationMessage, reminderMessage } from './panel-messages.ts';

export interface PanelDeps {
  panels: PanelStore;
  applications: ApplicationStore;
  chronology: Chronology;
  directory: Directory;
  tokens: TaskTokenStore;
  mailer: Mailer;
  mailLog: MailLog;
  workflow: Workflow;
  clock: Clock;
  /** Base URL of the API, for the links in mail. */
  appBaseUrl: string;
  /** The reminder loop (only request-panel-decision has it). */
  remindersStateMachineArn: string;
  /** Register episodes, for requests about an episode (subject 'ending'); only request-panel-decision needs it. */
  episodes?: PanelEpisodes;
  /** A fresh opaque id: at least 128 bits of randomness, base64url. */
  randomId(): string;
  /** SHA-256 (hex) of a secret: task tokens and form tokens are stored and compared only as hashes. */
  hash(secret: string): string;
}

const SYSTEM = (step: string) => ({ system: `panels/${step}` });
export const tokenPurpose = (panelRequestId: string): string => `panel-${panelRequestId}`;
/** Chronology entries of an application's request name the application; an episode's name none (the entry is the person's). */
export const chronologyLink = (request: Pick<PanelRequest, 'applicationId' | 'episodeId'>): { applicationId?: string } =>
  request.episodeId === undefined ? { applicationId: request.applicationId } : {};

async function loadApplication(deps: PanelDeps, applicationId: string): Promise<Application> {
  const app = await deps.applications.get(applicationId);
  if (!app) throw new ApplicationNotFoundError(applicationId);
  return app;
}

export async function approvalsOf(deps: Pick<PanelDeps, 'panels'>, request: PanelRequest): Promise<Approval[]> {
  const found = await Promise.all(request.approvals.map((a) => deps.panels.getApproval(a.approvalId)));
  return found.filter((a): a is Approval => a !== null);
}

export class PanelRequestNotFoundError extends Error {
  constructor(id: string) {
    super(`Panel request ${id} not found`);
    this.name = 'PanelRequestNotFoundError';
  }
}

async function loadRequest(deps: PanelDeps, applicationId: string, id: string): Promise<PanelRequest> {
  const request = await deps.panels.getRequest(applicationId, id);
  if (!request) throw new PanelRequestNotFoundError(id);
  return request;
}

/**
 * request-panel-decision: creates the request and one approval per invited member, keeps the task token
 * on the server, mails each member their link, writes the chronology and starts the reminder loop.
 */
/** The case a payload names: an application, or a register episode (filed under the episode's id). */
async function loadCase(
  deps: PanelDeps,
  payload: RequestPanelDecisionPayload,
): Promise<{ id: string; partnershipId: string; personRef: string; episodeId?: string }> {
  if (payload.episodeId !== undefined) {
    if (deps.episodes === undefined) throw new ConfigurationError("This handler was built without the register's episodes");
    const episode = await deps.episodes.get(payload.episodeId);
    if (episode === null) throw new EpisodeNotFoundError(payload.episodeId);
    return { id: episode.episodeId, partnershipId: episode.partnershipId, personRef: episode.personRef, episodeId: episode.episodeId };
  }
  const app = await loadApplication(deps, payload.applicationId);
  return { id: app.id, partnershipId: app.partnershipId, personRef: app.personRef };
}

export async function requestPanelDecision(deps: PanelDeps, payload: RequestPanelDecisionPayload): Promise<RequestPanelDecisionAck> {
  const app = await loadCase(deps, payload);
  const partnership = await deps.directory.partnership(app.partnershipId);
  if (!partnership) throw new ConfigurationError(`Partnership ${app.partnershipId} is not configured`);
  if (!partnership.panel) throw new ConfigurationError(`Partnership ${app.partnershipId} has no panel`);
  const id = `pnl_${deps.hash(payload.taskToken).slice(0, 32)}`;
  const at = deps.clock.now();

  let request = await deps.panels.getRequest(app.id, id);
  if (request === null) {
    const made = newPanelRequest({
      id,
      applicationId: app.id,
      ...(app.episodeId === undefined ? {} : { episodeId: app.episodeId }),
      partnershipId: app.partnershipId,
      personRef: app.personRef,
      subject: payload.subject,
      proposal: payload.proposal,
      ...(payload.proposedBy === undefined ? {} : { proposedBy: payload.proposedBy }),
      config: partnership.panel,
      at,
      approvalIds: panelSeats(partnership.panel).seats.map(() => deps.randomId()),
    });
    for (const approval of made.approvals) await deps.panels.createApproval(approval);
    await deps.panels.createRequest(made.request);
    request = await loadRequest(deps, app.id, id);
  }
  await deps.tokens.put({ applicationId: app.id, purpose: tokenPurpose(id) }, payload.taskToken, at);

  for (const approval of await approvalsOf(deps, request)) {
    await notifyOnce(deps, app.id, `panel-invite-${id}`, approval.email, invitationMessage(request, approval, deps.appBaseUrl));
  }
  await deps.chronology.append(app.personRef, {
    key: `panel-requested:${id}`,
    at: request.createdAt,
    type: 'panel-requested',
    actor: SYSTEM('RequestPanelDecision'),
    ...chronologyLink(request),
    data: {
      panelRequestId: id,
      ...(request.episodeId === undefined ? {} : { episodeId: request.episodeId }),
      subject: request.subject,
      summary: request.proposal.summary,
      proposedBy: request.proposedBy?.userId ?? null,
      invited: request.seats.map((s) => s.memberId),
      rule: request.rule,
      deadline: request.deadline,
      closesAt: request.closesAt,
    },
  });
  const loop = nextCheckpoint(request.timing, { panelRequestId: id, applicationId: app.id }, -1, false);
  await deps.workflow.start(deps.remindersStateMachineArn, id, loop);
  // The panel may have decided while a retry was on its way (say, votes through links already mailed).
  await settlePanel(deps, request);
  return { panelRequestId: id, invited: request.seats.length };
}

/**
 * The one way a request closes: evaluate the quorum (or force `no-decision`), close the request with a
 * conditional write, resume the waiting workflow with the result, and record it. Called after every vote
 * and at every checkpoint; a request already closed is only resumed again (a lost resume is repaired).
 */
export async function settlePanel(
  deps: Pick<PanelDeps, 'panels' | 'tokens' | 'workflow' | 'chronology' | 'clock'>,
  loaded: PanelRequest,
  force?: 'no-decision',
): Promise<{ request: PanelRequest; state: QuorumState }> {
  let request = loaded;
  return withOptimisticRetry(async (attempt) => {
    if (attempt > 1) request = (await deps.panels.getRequest(request.applicationId, request.id)) ?? request;
    const state = quorumOf(request, await approvalsOf(deps, request));
    const outcome: PanelOutcome | null = state.outcome !== 'pending' ? state.outcome : (force ?? null);
    const closed = outcome === null ? null : closeRequest(request, state, outcome, deps.clock.now());
    if (closed === null) {
      if (request.status === 'decided' && request.result !== undefined) await resume(deps, request, request.result);
      return { request, state };
    }
    const next = { ...closed, version: request.version + 1 };
    if (!(await deps.panels.saveRequest(next))) throw new ConcurrentUpdateError(`Panel request ${request.id} changed while it was settled`);
    await resume(deps, next, next.result as PanelDecisionResult);
    return { request: next, state };
  });
}

async function resume(
  deps: Pick<PanelDeps, 'tokens' | 'workflow' | 'chronology'>,
  request: PanelRequest,
  result: PanelDecisionResult,
): Promise<void> {
  await deps.chronology.append(request.personRef, {
    key: `panel-decided:${request.id}`,
    at: result.decidedAt,
    type: 'panel-decided',
    actor: SYSTEM('Quorum'),
    ...chronologyLink(request),
    data: {
      panelRequestId: request.id,
      ...(request.episodeId === undefined ? {} : { episodeId: request.episodeId }),
      subject: request.subject,
      outcome: result.outcome,
      reasons: result.reasons,
      votes: result.votes.map((v) => ({
        memberId: v.memberId,
        organisation: v.organisation,
        decision: v.decision,
        at: v.at,
        ...(v.onBehalfOf === undefined ? {} : { onBehalfOf: v.onBehalfOf }),
      })),
    },
  });
  const token = await deps.tokens.get({ applicationId: request.applicationId, purpose: tokenPurpose(request.id) });
  // 'gone' is fine: the workflow timed out and moved on; the decision stands in the chronology.
  if (token !== null) await deps.workflow.succeed(token, result);
}

/** SendPanelReminders: mails every member whose seat is still empty. */
export async function sendPanelReminders(deps: PanelDeps, state: ReminderLoopState): Promise<ReminderLoopState> {
  const { request } = await settlePanel(deps, await loadRequest(deps, state.applicationId, state.panelRequestId));
  if (request.status !== 'open') return nextCheckpoint(request.timing, state, state.checkpoint, true);
  const approvals = await approvalsOf(deps, request);
  const filled = new Set(approvals.filter((a) => a.status === 'decided').map((a) => a.seat));
  const waiting = approvals.filter((a) => a.status === 'pending' && !filled.has(a.seat));
  for (const approval of waiting) {
    await notifyOnce(
      deps,
      request.applicationId,
      `panel-reminder-${request.id}-${state.checkpoint}`,
      approval.email,
      reminderMessage(request, approval, deps.appBaseUrl),
    );
  }
  await deps.chronology.append(request.personRef, {
    key: `panel-reminded:${request.id}:${state.checkpoint}`,
    at: deps.clock.now(),
    type: 'panel-reminder-sent',
    actor: SYSTEM('SendPanelReminders'),
    ...chronologyLink(request),
    data: { panelRequestId: request.id, reminded: waiting.map((a) => a.memberId) },
  });
  return nextCheckpoint(request.timing, state, state.checkpoint, false);
}

/** EscalatePanel: at the deadline, links for the deputies of empty seats, and a mail to each senior officer. */
export async function escalatePanel(deps: PanelDeps, state: ReminderLoopState): Promise<ReminderLoopState> {
  let { request } = await settlePanel(deps, await loadRequest(deps, state.applicationId, state.panelRequestId));
  if (request.status !== 'open') return nextCheckpoint(request.timing, state, state.checkpoint, true);
  const approvals = await approvalsOf(deps, request);
  if (request.escalatedAt === undefined) {
    const { request: escalated, added } = escalate(request, approvals, deps.clock.now(), deps.randomId);
    for (const approval of added) await deps.panels.createApproval(approval);
    const next = { ...escalated, version: request.version + 1 };
    // A concurrent vote may have changed the request; the escalation is then retried by Step Functions.
    if (!(await deps.panels.saveRequest(next))) throw new PanelRequestChangedError();
    request = next;
  }
  const all = await approvalsOf(deps, request);
  const filled = new Set(all.filter((a) => a.status === 'decided').map((a) => a.seat));
  const deputies = all.filter((a) => a.seat !== a.memberId && a.status === 'pending' && !filled.has(a.seat));
  const name = (memberId: string) => request.seats.find((s) => s.memberId === memberId)?.name ?? memberId;
  for (const approval of deputies) {
    await notifyOnce(
      deps,
      request.applicationId,
      `panel-deputy-${request.id}`,
      approval.email,
      invitationMessage(request, approval, deps.appBaseUrl, name(approval.seat)),
    );
  }
  const voted = all.filter((a) => a.status === 'decided').map((a) => `${a.name} (${a.organisation}): ${a.decision ?? ''}`);
  const waiting = request.seats.filter((s) => !filled.has(s.memberId)).map((s) => `${s.name} (${s.organisation})`);
  for (const senior of request.seniors) {
    await notifyOnce(
      deps,
      request.applicationId,
      `panel-escalation-${request.id}`,
      senior.email,
      escalationMessage(request, senior, voted, waiting),
    );
  }
  await deps.chronology.append(request.personRef, {
    key: `panel-escalated:${request.id}`,
    at: request.escalatedAt ?? deps.clock.now(),
    type: 'panel-escalated',
    actor: SYSTEM('EscalatePanel'),
    ...chronologyLink(request),
    data: {
      panelRequestId: request.id,
      deputies: deputies.map((a) => ({ memberId: a.memberId, for: a.seat })),
      seniors: request.seniors.map((s) => s.memberId),
      waiting: request.seats.filter((s) => !filled.has(s.memberId)).map((s) => s.memberId),
    },
  });
  return nextCheckpoint(request.timing, state, state.checkpoint, false);
}

/** ResolveNoDecision: the escalation period passed; closes the request as 'no-decision' unless the panel decided meanwhile. */
export async function resolveNoDecision(deps: PanelDeps, state: ReminderLoopState): Promise<ReminderLoopState> {
  const { request } = await settlePanel(deps, await loadRequest(deps, state.applicationId, state.panelRequestId), 'no-decision');
  return { ...nextCheckpoint(request.timing, state, state.checkpoint, true), next: 'done' };
}

export class EpisodeNotFoundError extends Error {
  constructor(id: string) {
    super(`Register episode ${id} not found`);
    this.name = 'EpisodeNotFoundError';
  }
}

export class PanelRequestChangedError extends Error {
  constructor() {
    super('The panel request changed while escalating');
    this.name = 'PanelRequestChangedError';
  }
}
