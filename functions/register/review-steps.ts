/**
 * The steps of statemachines/review-schedule.asl.json, as use-cases over the ports: plan the next review owed,
 * remind the named practitioner, check whether it was held, escalate to both bodies when it was not. The
 * dates come from the register (pure domain), never from the Lambda's clock, so the schedule runs on the
 * state machine's clock (a simulated one locally). Each step is safe to run twice.
 */
import { transitionMilestones, type TransitionMilestone } from '#domain/register/children.ts';
import type { Episode, PersonRecord } from '#domain/register/register.ts';
import { activeEvents } from '#domain/register/register.ts';
import { nextReview, reviewSchedule, reviewTimes, type ReviewObligation, type ReviewSettings } from '#domain/register/reviews.ts';
import { updateVersioned } from '../shared/optimistic-update.ts';
import { reviewDueLetter } from '#domain/register/letters.ts';
import { sendOnce } from '../shared/send-once.ts';
import { tellPersonAndCarers } from './letters.use-case.ts';
import type { RegisterDeps } from './deps.ts';
import { reviewEscalationMessage, reviewReminderMessage, transitionHandoverMessage, transitionReminderMessage } from './messages.ts';
import { reviewSettingsOf, scheduleExecutionName } from './register.use-case.ts';

export interface ScheduleInput {
  personRef: string;
  n: number;
  generation: number;
  /** Which execution of the episode's schedule this is (0 for the first; each hands over to the next). */
  seq: number;
}

/** What PlanNextReview is given besides the schedule input: the execution's start and its bound. */
export interface PlanInput extends ScheduleInput {
  startedAt: string;
  maxExecutionSeconds: number;
}

export interface ReviewPlan {
  route: 'wait' | 'stop';
  obligation?: string;
  due?: string;
  remindAt?: string;
  escalateAt?: string;
  escalationRepeatSeconds?: number;
  /** The practitioner still has to be reminded, and the reminder falls within this execution's bound. */
  remind?: boolean;
  /** The review falls due (or its next escalation) within this execution's bound. */
  check?: boolean;
  /** The bound: when this execution hands over if the review is not due before it. */
  resumeAt?: string;
  /** The next execution, started by HandOver: its name (unique per episode, generation and sequence) and input. */
  next?: { name: string; input: ScheduleInput };
}

export interface StepInput extends ScheduleInput {
  plan: ReviewPlan;
}

const at9 = (date: string): string => `${date}T09:00:00Z`;

interface Loaded {
  person: PersonRecord;
  episode: Episode;
  settings: ReviewSettings;
  schedule: ReviewObligation[];
  /** A young person's handover to adult services at 18, reminded at 17, not yet recorded (issue 17 item 5). */
  milestones: TransitionMilestone[];
}

/** The episode and its schedule, or null when the schedule should stop (ended, superseded, gone). */
async function load(deps: RegisterDeps, input: ScheduleInput): Promise<Loaded | null> {
  const person = await deps.store.getPerson(input.personRef);
  const episode = await deps.store.getEpisode(input.personRef, input.n);
  if (person === null || episode === null) return null;
  if (episode.dutyArose === undefined || episode.ended !== undefined || input.generation < episode.reviewGeneration) return null;
  const partnership = await deps.directory.partnership(person.partnershipId);
  const settings = reviewSettingsOf(partnership);
  const reviews = (await deps.store.listReviews(input.personRef)).get(episode.id) ?? [];
  const schedule = reviewSchedule({ arose: episode.dutyArose, ended: undefined, events: activeEvents(person), reviews }, settings);
  const milestones = transitionMilestones(person.child, episode.dutyArose).filter((m) => !m.met);
  return { person, episode, settings, schedule, milestones };
}

/** What the schedule acts on next: a review owed, or a transition milestone, with its reminder and action times. */
interface Candidate {
  key: string;
  due: string;
  remindAt: string;
  escalateAt: string;
  reminded: boolean;
}

const nextAction = (c: Candidate): number => Date.parse(c.reminded ? c.escalateAt : c.remindAt);

/**
 * The next review owed and when to remind and escalate, as data the execution waits on. Each escalation already
 * sent for it moves the next on by the repeat interval; a reminder already sent is not sent again. Nothing is waited for past `startedAt + maxExecutionSeconds`: the execution hands over at that bound.
 */
export async function planNextReview(deps: RegisterDeps, input: PlanInput): Promise<ReviewPlan> {
  const loaded = await load(deps, input);
  if (loaded === null) return { route: 'stop' };
  const next = nextReview(loaded.schedule);
  const escalationRepeatSeconds = loaded.settings.escalationRepeatDays * 86_400;
  const reminded = (key: string): boolean => loaded.episode.reminders.some((r) => r.obligation === key);
  const candidates: Candidate[] = [];
  if (next !== undefined) {
    const times = reviewTimes(next, loaded.settings);
    // The k-th escalation falls due k-1 repeat intervals after the first (from the register's dates, not a Lambda's clock).
    const escalated = loaded.episode.escalations.find((e) => e.obligation === next.key)?.count ?? 0;
    candidates.push({
      key: next.key,
      due: next.due,
      remindAt: at9(times.remindOn),
      escalateAt: new Date(Date.parse(at9(times.escalateOn)) + escalated * escalationRepeatSeconds * 1000).toISOString(),
      reminded: reminded(next.key),
    });
  }
  // A young person's handover at 18 (reminded at 17) is acted on like a review: reminded, then done on the day.
  for (const m of loaded.milestones)
    candidates.push({ key: m.key, due: m.dueOn, remindAt: at9(m.remindOn), escalateAt: at9(m.dueOn), reminded: reminded(m.key) });
  candidates.sort((a, b) => nextAction(a) - nextAction(b));
  const [chosen, other] = candidates;
  if (chosen === undefined) return { route: 'stop' };
  const { remindAt, escalateAt } = chosen;
  // Nothing waits past the bound, nor past the other obligation's next action: the next execution plans that one.
  const limit = Math.min(
    Date.parse(input.startedAt) + input.maxExecutionSeconds * 1000,
    other === undefined ? Infinity : nextAction(other),
  );
  const bound = new Date(Math.max(limit, Date.parse(input.startedAt))).toISOString();
  const { personRef, n, generation, seq } = input;
  return {
    route: 'wait',
    obligation: chosen.key,
    due: chosen.due,
    remindAt,
    escalateAt,
    escalationRepeatSeconds,
    remind: !chosen.reminded && Date.parse(remindAt) <= Date.parse(bound),
    check: Date.parse(escalateAt) <= Date.parse(bound),
    resumeAt: bound,
    next: {
      name: scheduleExecutionName(loaded.episode.id, generation, seq + 1),
      input: { personRef, n, generation, seq: seq + 1 },
    },
  };
}

function outstanding(loaded: Loaded | null, key: string | undefined): ReviewObligation | undefined {
  return loaded?.schedule.find((o) => o.key === key && o.metBy === undefined);
}

async function mailboxes(deps: RegisterDeps, episode: Episode): Promise<string[]> {
  const out: string[] = [];
  for (const code of [episode.icb.body, episode.localAuthority.body]) {
    if (code === null) continue;
    const org = await deps.directory.organisation(code);
    if (org !== null) out.push(org.email);
  }
  return out;
}

/** Saves `change(episode)` with optimistic concurrency, re-reading on a conflict. */
async function updateEpisode(deps: RegisterDeps, personRef: string, n: number, change: (e: Episode) => Episode | null): Promise<void> {
  await updateVersioned({ read: () => deps.store.getEpisode(personRef, n), write: (next) => deps.store.saveEpisode(next) }, change, () =>
    deps.clock.now(),
  );
}

/** Reminds the named practitioner (both bodies' mailboxes when none is named) of a review falling due. */
export async function sendReminder(deps: RegisterDeps, input: StepInput): Promise<{ sent: boolean }> {
  const loaded = await load(deps, input);
  const milestone = loaded?.milestones.find((m) => m.key === input.plan.obligation);
  if (loaded !== null && milestone !== undefined) return remindTransition(deps, input, loaded, milestone);
  const obligation = outstanding(loaded, input.plan.obligation);
  if (loaded === null || obligation === undefined) return { sent: false };
  const { episode } = loaded;
  const recipients = episode.namedPractitioner === undefined ? await mailboxes(deps, episode) : [episode.namedPractitioner.email];
  const message = reviewReminderMessage(episode, obligation, deps.appBaseUrl);
  let sent = false;
  for (const to of recipients)
    sent =
      (await sendOnce(deps, deps.store, {
        about: input.personRef,
        purpose: `remind:${episode.id}:${obligation.key}`,
        to,
        message,
        tags: { purpose: 'register-review-reminder' },
      })) || sent;
  // The person (and the carers they chose) are told before each review (issue 17 item 3).
  await tellPersonAndCarers(deps, loaded.person, episode, `review-due-${obligation.key}`, (ctx) => reviewDueLetter(ctx, obligation.due));
  await updateEpisode(deps, input.personRef, input.n, (e) =>
    e.reminders.some((r) => r.obligation === obligation.key)
      ? null
      : { ...e, reminders: [...e.reminders, { obligation: obligation.key, at: deps.clock.now() }] },
  );
  await deps.chronology.append(input.personRef, {
    key: `register:review-reminder:${episode.id}:${obligation.key}`,
    at: deps.clock.now(),
    type: 'register-review-reminder',
    actor: { system: 'review-schedule/SendReminder' },
    data: {
      episodeId: episode.id,
      obligation: obligation.key,
      kind: obligation.kind,
      due: obligation.due,
      toPractitioner: episode.namedPractitioner !== undefined,
    },
  });
  return { sent };
}

/** Whether the review planned has been held (by any date), is still owed, or the schedule should stop. */
export async function checkReview(deps: RegisterDeps, input: StepInput): Promise<{ route: 'done' | 'overdue' | 'stop' }> {
  const loaded = await load(deps, input);
  if (loaded === null) return { route: 'stop' };
  const milestone = loaded.milestones.find((m) => m.key === input.plan.obligation);
  if (milestone !== undefined) {
    await handOverToAdultServices(deps, input, loaded, milestone);
    return { route: 'done' };
  }
  return { route: outstanding(loaded, input.plan.obligation) === undefined ? 'done' : 'overdue' };
}

/** Tells both bodies and the practitioner that a review is overdue; numbered, once per number. */
export async function escalateReview(deps: RegisterDeps, input: StepInput): Promise<{ escalation: number }> {
  const loaded = await load(deps, input);
  const obligation = outstanding(loaded, input.plan.obligation);
  if (loaded === null || obligation === undefined) return { escalation: 0 };
  const { episode } = loaded;
  const count = (episode.escalations.find((e) => e.obligation === obligation.key)?.count ?? 0) + 1;
  const recipients = new Set(await mailboxes(deps, episode));
  if (episode.namedPractitioner !== undefined) recipients.add(episode.namedPractitioner.email);
  const message = reviewEscalationMessage(episode, obligation, count, undefined, deps.appBaseUrl);
  for (const to of recipients)
    await sendOnce(deps, deps.store, {
      about: input.personRef,
      purpose: `escalate:${episode.id}:${obligation.key}:${count}`,
      to,
      message,
      tags: { purpose: 'register-review-escalation' },
    });
  const at = deps.clock.now();
  await updateEpisode(deps, input.personRef, input.n, (e) => ({
    ...e,
    escalations: [...e.escalations.filter((x) => x.obligation !== obligation.key), { obligation: obligation.key, at, count }],
  }));
  await deps.chronology.append(input.personRef, {
    key: `register:review-escalation:${episode.id}:${obligation.key}:${count}`,
    at,
    type: 'register-review-escalated',
    actor: { system: 'review-schedule/EscalateOverdueReview' },
    data: { episodeId: episode.id, obligation: obligation.key, kind: obligation.kind, due: obligation.due, escalation: count },
  });
  return { escalation: count };
}

/** The transition reminder at 17 (R-CHILD-6): to the named practitioner, or both bodies when none is named; once. */
async function remindTransition(
  deps: RegisterDeps,
  input: StepInput,
  loaded: Loaded,
  milestone: TransitionMilestone,
): Promise<{ sent: boolean }> {
  const { episode } = loaded;
  const recipients = episode.namedPractitioner === undefined ? await mailboxes(deps, episode) : [episode.namedPractitioner.email];
  const message = transitionReminderMessage(episode, milestone.dueOn, deps.appBaseUrl);
  let sent = false;
  for (const to of recipients)
    sent =
      (await sendOnce(deps, deps.store, {
        about: input.personRef,
        purpose: `remind:${episode.id}:${milestone.key}`,
        to,
        message,
        tags: { purpose: 'register-transition-reminder' },
      })) || sent;
  await updateEpisode(deps, input.personRef, input.n, (e) =>
    e.reminders.some((r) => r.obligation === milestone.key)
      ? null
      : { ...e, reminders: [...e.reminders, { obligation: milestone.key, at: deps.clock.now() }] },
  );
  await deps.chronology.append(input.personRef, {
    key: `register:transition-reminder:${episode.id}:${milestone.key}`,
    at: deps.clock.now(),
    type: 'register-transition-reminder',
    actor: { system: 'review-schedule/SendReminder' },
    data: { episodeId: episode.id, obligation: milestone.key, handoverOn: milestone.dueOn, ruleIds: milestone.ruleIds },
  });
  return { sent };
}

/**
 * The handover to adult services on the 18th birthday (R-CHILD-6): recorded on the person's child record (its date
 * from the register, not a Lambda's clock), in the chronology, and told to both bodies and the practitioner. The
 * bodies stay the same; nothing else changes. Safe to repeat.
 */
async function handOverToAdultServices(
  deps: RegisterDeps,
  input: StepInput,
  loaded: Loaded,
  milestone: TransitionMilestone,
): Promise<void> {
  const { episode } = loaded;
  const at = deps.clock.now();
  await updateVersioned(
    { read: () => deps.store.getPerson(input.personRef), write: (next) => deps.store.savePerson(next) },
    (p) =>
      p.child === undefined || p.child.handover !== undefined
        ? null
        : { ...p, child: { ...p.child, handover: { on: milestone.dueOn, recordedAt: at } } },
    () => deps.clock.now(),
  );
  const recipients = new Set(await mailboxes(deps, episode));
  if (episode.namedPractitioner !== undefined) recipients.add(episode.namedPractitioner.email);
  const message = transitionHandoverMessage(episode, milestone.dueOn, deps.appBaseUrl);
  for (const to of recipients)
    await sendOnce(deps, deps.store, {
      about: input.personRef,
      purpose: `handover:${episode.id}:${milestone.key}`,
      to,
      message,
      tags: { purpose: 'register-transition-handover' },
    });
  await deps.chronology.append(input.personRef, {
    key: `register:transition-handover:${episode.id}:${milestone.key}`,
    at,
    type: 'register-transition-handover',
    actor: { system: 'review-schedule/CheckReview' },
    data: {
      episodeId: episode.id,
      handoverOn: milestone.dueOn,
      icb: episode.icb.body,
      localAuthority: episode.localAuthority.body,
      ruleIds: milestone.ruleIds,
    },
  });
}
