/**
 * The steps of statemachines/funding-application.asl.json, as use-cases over the ports. Each step loads
 * the application, decides with a pure domain function, and writes with a conditional save; each is safe
 * to run twice (Step Functions retries, and the local runtime re-drives after a restart).
 */
import type { Application, FundingArrangement, Instant, Party } from '#domain/applications/application.ts';
import { ApplicationNotFoundError, ConfigurationError } from '#domain/errors.ts';
import {
  agreedArrangement,
  interimArrangement,
  routeAfterDetermination,
  routeAfterResponses,
  type InterimCause,
} from '#domain/funding/funding-decisions.ts';
import { addDays, type LocalDate } from '#domain/dates.ts';
import { applicationPanelGate, type ApplicationPanelGate } from '#domain/panels/application-gate.ts';
import type { Partnership } from '#domain/partnership.ts';
import type { ApplicationStore, Chronology, Clock, Directory, Mailer, TaskTokenStore, Workflow } from '#domain/ports.ts';
import { determine } from '#domain/responsibility/determine.ts';
import type { MailLog } from '#domain/ports.ts';
import { parseCaseFacts } from '../shared/case-facts.schema.ts';
import { updateApplication } from '../shared/optimistic-update.ts';
import { notifyOnce } from '../shared/send-once.ts';
import { fundingMessage, notEligibleMessage, responseRequestMessage } from './messages.ts';

export interface StepDeps {
  applications: ApplicationStore;
  chronology: Chronology;
  directory: Directory;
  tokens: TaskTokenStore;
  mailer: Mailer;
  mailLog: MailLog;
  workflow: Workflow;
  clock: Clock;
  /** Base URL of the API, for links in mail. */
  appBaseUrl: string;
}

export class InvalidApplicationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidApplicationError';
  }
}

const SYSTEM = (step: string) => ({ system: `funding-application/${step}` });
const SECONDS_PER_DAY = 86_400;
/** The day the mail names: the stored deadline's (UTC) day, or, for an application asked before it was stored, days from today. */
const answerBy = (app: Application, today: LocalDate, days: number): LocalDate =>
  app.responseDeadline === undefined ? addDays(today, days) : app.responseDeadline.slice(0, 10);
const afterSeconds = (at: Instant, seconds: number): Instant => new Date(Date.parse(at) + seconds * 1000).toISOString();

async function load(deps: StepDeps, applicationId: string): Promise<{ app: Application; partnership: Partnership }> {
  const app = await deps.applications.get(applicationId);
  if (!app) throw new ApplicationNotFoundError(applicationId);
  const partnership = await deps.directory.partnership(app.partnershipId);
  if (!partnership) throw new ConfigurationError(`Partnership ${app.partnershipId} is not configured`);
  return { app, partnership };
}

async function mailboxesOf(deps: StepDeps, orgs: readonly string[]): Promise<string[]> {
  const found = await Promise.all([...new Set(orgs)].map((code) => deps.directory.organisation(code)));
  return found.flatMap((o) => (o ? [o.email] : []));
}

/** ValidateApplication: the stored application still parses and its partnership exists. */
export async function validateApplication(
  deps: StepDeps,
  input: { applicationId: string },
): Promise<{ applicationId: string; partnershipId: string }> {
  const { app } = await load(deps, input.applicationId);
  const parsed = parseCaseFacts(app.facts);
  if (!parsed.ok)
    throw new InvalidApplicationError(`Application ${app.id} has invalid facts: ${parsed.issues.map((i) => i.path).join(', ')}`);
  if (app.carePlan.serviceLines.length === 0) throw new InvalidApplicationError(`Application ${app.id} has no service lines`);
  return { applicationId: app.id, partnershipId: app.partnershipId };
}

/** DetermineResponsibility: runs the engine under the partnership's rules and names the bodies as parties. */
export async function determineResponsibility(deps: StepDeps, input: { applicationId: string }) {
  const loaded = await load(deps, input.applicationId);
  const { partnership } = loaded;
  const app = await updateApplication(
    deps,
    input.applicationId,
    (current) => {
      if (current.determination !== null) return null;
      const determination = determine(current.facts, partnership.ruleConfig);
      const bodies = [determination.icb.body, determination.localAuthority.body].filter((b): b is string => b !== null);
      const { route } = routeAfterDetermination(determination);
      return {
        ...current,
        determination,
        parties: [...new Set([...current.parties, ...bodies])],
        status: route === 'await-responses' ? 'awaiting-responses' : current.status,
        // The deadline is stored with the question, so an answer is judged against it, not against the status.
        ...(route === 'await-responses'
          ? { responseDeadline: afterSeconds(deps.clock.now(), partnership.responseDeadlineDays * SECONDS_PER_DAY) }
          : {}),
      };
    },
    loaded.app,
  );
  const d = app.determination;
  if (d === null) throw new Error('determination missing after save');
  const { route, reason } = routeAfterDetermination(d);
  await deps.chronology.append(app.personRef, {
    key: `determined:${app.id}`,
    at: deps.clock.now(),
    type: 'responsibility-determined',
    actor: SYSTEM('DetermineResponsibility'),
    applicationId: app.id,
    data: {
      eligibility: d.eligibility.status,
      since: d.eligibility.since ?? null,
      icb: d.icb.body,
      localAuthority: d.localAuthority.body,
      ruleSet: d.ruleSet,
      ruleIds: d.ruleIds,
      needsHumanReview: d.needsHumanReview.map((r) => r.code),
      route,
      reason,
    },
  });
  // The waits time out at the stored deadline (a re-driven step does not push it later); Step Functions needs >= 1 s.
  const responseTimeoutSeconds =
    app.responseDeadline === undefined
      ? partnership.responseDeadlineDays * SECONDS_PER_DAY
      : Math.max(1, Math.ceil((Date.parse(app.responseDeadline) - Date.parse(deps.clock.now())) / 1000));
  return { route, reason, responseTimeoutSeconds };
}

/**
 * AwaitIcbResponse / AwaitLaResponse (callback): keeps the task token on the server, emails the body,
 * and, if the body already answered, resumes at once. The check after storing the token and the
 * respond handler's check after saving the answer together mean no answer is ever missed.
 */
export async function requestResponse(
  deps: StepDeps,
  input: { applicationId: string; party: Party; taskToken: string },
): Promise<{ requested: true }> {
  const { app, partnership } = await load(deps, input.applicationId);
  const d = app.determination;
  const body = input.party === 'icb' ? d?.icb.body : d?.localAuthority.body;
  if (!d || !body) throw new InvalidApplicationError(`Application ${app.id} has no determined ${input.party}`);
  const purpose = `response-${input.party}`;
  await deps.tokens.put({ applicationId: app.id, purpose }, input.taskToken, deps.clock.now());

  const latest = await deps.applications.get(app.id);
  const answered = latest?.responses[input.party];
  if (answered) {
    await deps.workflow.succeed(input.taskToken, { decision: answered.decision, about: answered.about ?? 'responsibility' });
    return { requested: true };
  }
  const org = await deps.directory.organisation(body);
  const deadlineDays = partnership.responseDeadlineDays;
  if (org)
    await notifyOnce(
      deps,
      app.id,
      purpose,
      org.email,
      responseRequestMessage(app, input.party, body, answerBy(app, deps.clock.today(), deadlineDays), deps.appBaseUrl),
    );
  await deps.chronology.append(app.personRef, {
    key: `requested:${app.id}:${input.party}`,
    at: deps.clock.now(),
    type: 'response-requested',
    actor: SYSTEM(`Await${input.party === 'icb' ? 'Icb' : 'La'}Response`),
    applicationId: app.id,
    data: { party: input.party, body, deadlineDays, emailed: org !== null },
  });
  return { requested: true };
}

/**
 * DecideFundingRoute: agreed only if both accepted (then whether the joint panel must approve it first, issue 5);
 * otherwise why interim funding starts.
 */
export async function decideFundingRoute(
  deps: StepDeps,
  input: { applicationId: string },
): Promise<({ route: 'agree'; cause?: never } & ApplicationPanelGate) | { route: 'interim'; cause: InterimCause }> {
  const { app, partnership } = await load(deps, input.applicationId);
  const route = routeAfterResponses(app);
  if (route === 'agree') return { route, ...applicationPanelGate(app, partnership, deps.clock.now()) };
  const silent = (['icb', 'la'] as const).filter((p) => app.responses[p] === undefined);
  const disputed = (['icb', 'la'] as const).some((p) => app.responses[p]?.decision === 'dispute');
  if (silent.length > 0) {
    await deps.chronology.append(app.personRef, {
      key: `deadline:${app.id}`,
      at: deps.clock.now(),
      type: 'response-deadline-passed',
      actor: SYSTEM('DecideFundingRoute'),
      applicationId: app.id,
      data: { silent },
    });
  }
  return { route, cause: disputed ? 'dispute' : 'deadline' };
}

async function recordArrangement(
  deps: StepDeps,
  applicationId: string,
  make: (app: Application, partnership: Partnership, id: string) => FundingArrangement,
  status: Application['status'],
  type: string,
  step: string,
) {
  const loaded = await load(deps, applicationId);
  const { partnership } = loaded;
  let made: FundingArrangement | null = null;
  const app = await updateApplication(
    deps,
    applicationId,
    (current) => {
      const last = current.arrangements.at(-1);
      if (last && current.status === status) return null;
      made = make(current, partnership, `arr_${current.id.replace(/^app_/, '')}_${current.arrangements.length + 1}`);
      return { ...current, status, arrangements: [...current.arrangements, made] };
    },
    loaded.app,
  );
  const arrangement = app.arrangements.at(-1) as FundingArrangement;
  await deps.chronology.append(app.personRef, {
    key: `${type}:${app.id}:${arrangement.id}`,
    at: deps.clock.now(),
    type,
    actor: SYSTEM(step),
    applicationId: app.id,
    data: {
      arrangementId: arrangement.id,
      state: arrangement.state,
      withoutPrejudice: arrangement.withoutPrejudice,
      startDate: arrangement.startDate,
      lead: arrangement.lead,
      shares: arrangement.shares.map((s) => ({ body: s.body, party: s.party, percentage: s.basisPoints / 100 })),
      basis: arrangement.basis,
      ruleIds: arrangement.ruleIds,
    },
  });
  for (const to of await mailboxesOf(deps, app.parties))
    await notifyOnce(deps, app.id, `${type}-${arrangement.id}`, to, fundingMessage(app, arrangement, deps.appBaseUrl));
  return { arrangementId: arrangement.id, state: arrangement.state, created: made !== null };
}

/** RecordAgreement: both bodies accepted. */
export function recordAgreement(deps: StepDeps, input: { applicationId: string }) {
  return recordArrangement(
    deps,
    input.applicationId,
    (app, p, id) => agreedArrangement(app, p, id, deps.clock.now()),
    'agreed',
    'funding-agreed',
    'RecordAgreement',
  );
}

/** RecordInterimFunding: interim without-prejudice funding from the requested start date. */
export function recordInterimFunding(deps: StepDeps, input: { applicationId: string; cause: InterimCause }) {
  return recordArrangement(
    deps,
    input.applicationId,
    (app, p, id) => interimArrangement(app, p, input.cause, id, deps.clock.now()),
    'interim',
    'interim-funding-started',
    'RecordInterimFunding',
  );
}

/** RecordNotEligible: no s117 duty is owed; the submitter is told why. */
export async function recordNotEligible(deps: StepDeps, input: { applicationId: string }): Promise<{ status: 'not-eligible' }> {
  const app = await updateApplication(deps, input.applicationId, (current) =>
    current.status === 'not-eligible' ? null : { ...current, status: 'not-eligible' },
  );
  await deps.chronology.append(app.personRef, {
    key: `not-eligible:${app.id}`,
    at: deps.clock.now(),
    type: 'not-eligible',
    actor: SYSTEM('RecordNotEligible'),
    applicationId: app.id,
    data: { eligibility: app.determination?.eligibility.status ?? null, reasons: app.determination?.eligibility.reasons ?? [] },
  });
  const submitter = await deps.directory.organisation(app.submittedBy.org);
  if (submitter) await notifyOnce(deps, app.id, 'not-eligible', submitter.email, notEligibleMessage(app, deps.appBaseUrl));
  return { status: 'not-eligible' };
}
