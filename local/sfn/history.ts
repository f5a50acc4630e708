/**
 * Execution history in the shape of GetExecutionHistory, built from the interpreter's event log.
 * Task detail events (TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded, ...) are derived from the
 * state events so that everything comes from one ordered stream.
 */
import type { StateSpec, TaskSpec } from './asl.ts';
import { STATES_TIMEOUT, STATES_HEARTBEAT_TIMEOUT } from './errors.ts';
import { LOCAL_REGION } from './lambda.ts';

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  details?: { key: string; value: Record<string, unknown> };
}

/** The subset of aws-local-stepfunctions' EventLog the recorder reads. */
export interface InterpreterEvent {
  type: string;
  timestamp: number;
  index?: number;
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  parentState?: { name: string };
}

/** What a Task attempt resolved to, noted by the engine so history can show the raw result. */
export interface TaskAttempt {
  parameters: unknown;
  result?: unknown;
  /** The history shows TaskStarted for it. */
  started?: boolean;
  /** A callback task's handler accepted the invocation (TaskSubmitted). */
  submitted?: boolean;
  /** The timeouts in force for this attempt (resolved from TimeoutSecondsPath/HeartbeatSecondsPath if used). */
  timeoutSeconds?: number | undefined;
  heartbeatSeconds?: number | undefined;
}

const CLOSING_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

const json = (value: unknown): string => JSON.stringify(value ?? null);
const causeText = (cause: unknown): string => (typeof cause === 'string' ? cause : json(cause));

function resourceParts(resource: string): { resourceType: string; resource: string } {
  const rest = resource.replace(/^arn:aws:states:::/, '');
  const cut = rest.lastIndexOf(':');
  return cut < 0 ? { resourceType: rest, resource: rest } : { resourceType: rest.slice(0, cut), resource: rest.slice(cut + 1) };
}

export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  readonly #states: Map<string, StateSpec>;
  readonly #skew: () => number;
  readonly #queued = new Map<string, TaskAttempt[]>();
  readonly #current = new Map<string, TaskAttempt>();

  readonly #limit: number;
  readonly #onFull: () => void;
  #full = false;

  /** At `limit` events the history is full: only the execution's closing event is still added, and `onFull` is called once. */
  constructor(states: Map<string, StateSpec>, skew: () => number, limit = Number.POSITIVE_INFINITY, onFull: () => void = () => undefined) {
    this.#states = states;
    this.#skew = skew;
    this.#limit = limit;
    this.#onFull = onFull;
  }

  add(type: string, detailsKey?: string, details?: Record<string, unknown>, timestamp?: number): void {
    if (this.events.length >= this.#limit && !CLOSING_EVENTS.has(type)) {
      if (!this.#full) {
        this.#full = true;
        this.#onFull();
      }
      return;
    }
    const event: HistoryEvent = {
      id: this.events.length + 1,
      previousEventId: this.events.length,
      timestamp: timestamp ?? Date.now() + this.#skew(),
      type,
    };
    if (detailsKey !== undefined && details !== undefined) event.details = { key: detailsKey, value: details };
    this.events.push(event);
  }

  /** Called by the engine when a Task attempt starts (synchronously, before the interpreter's event is read). */
  noteAttempt(stateName: string, attempt: TaskAttempt): void {
    const queue = this.#queued.get(stateName) ?? [];
    queue.push(attempt);
    this.#queued.set(stateName, queue);
  }

  /** A callback task's invocation was accepted: TaskSubmitted, now or as soon as the task shows as started. */
  noteSubmitted(spec: TaskSpec, attempt: TaskAttempt): void {
    if (attempt.submitted === true) return;
    attempt.submitted = true;
    if (attempt.started === true) this.#submitted(spec);
  }

  #submitted(spec: TaskSpec): void {
    this.add('TaskSubmitted', 'taskSubmittedEventDetails', { ...resourceParts(spec.resource), output: json({ StatusCode: 200 }) });
  }

  record(event: InterpreterEvent): void {
    const at = event.timestamp + this.#skew();
    const add = (type: string, key?: string, details?: Record<string, unknown>): void => this.add(type, key, details, at);
    switch (event.type) {
      case 'ExecutionStarted':
        return add('ExecutionStarted', 'executionStartedEventDetails', { input: json(event.input), inputDetails: { truncated: false } });
      case 'ExecutionSucceeded':
        return add('ExecutionSucceeded', 'executionSucceededEventDetails', {
          output: json(event.output),
          outputDetails: { truncated: false },
        });
      case 'ExecutionFailed':
        return add('ExecutionFailed', 'executionFailedEventDetails', {
          error: event.Error ?? 'States.Runtime',
          cause: causeText(event.Cause),
        });
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
        return add(event.type, key, { name: event.parentState?.name, index: event.index });
      }
      case 'StateEntered':
      case 'StateExited':
      case 'StateFailed':
      case 'StateRetried':
        return this.#stateEvent(event, add);
      default:
        return;
    }
  }

  #stateEvent(event: InterpreterEvent, add: (type: string, key?: string, details?: Record<string, unknown>) => void): void {
    const name = event.state?.name ?? '';
    const spec = this.#states.get(name);
    if (spec === undefined) return;
    const slot = `${name}|${event.index ?? ''}`;
    if (event.type === 'StateEntered') {
      add(`${spec.type}StateEntered`, 'stateEnteredEventDetails', { name, input: json(event.state?.input) });
      if (spec.type === 'Map') add('MapStateStarted', 'mapStateStartedEventDetails', {});
      if (spec.type === 'Parallel') add('ParallelStateStarted');
      if (spec.type === 'Task') this.#taskStarted(spec, slot, add);
      return;
    }
    if (event.type === 'StateRetried') {
      if (spec.type === 'Task') this.#taskStarted(spec, slot, add);
      return;
    }
    if (event.type === 'StateExited') {
      if (spec.type === 'Task') {
        const attempt = this.#current.get(slot);
        this.#current.delete(slot);
        const output = json(attempt?.result ?? event.state?.output);
        if (spec.task.kind === 'lambda-arn') add('LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', { output });
        else add('TaskSucceeded', 'taskSucceededEventDetails', { ...resourceParts(spec.resource), output });
      }
      if (spec.type === 'Map') add('MapStateSucceeded');
      if (spec.type === 'Parallel') add('ParallelStateSucceeded');
      add(`${spec.type}StateExited`, 'stateExitedEventDetails', { name, output: json(event.state?.output) });
      return;
    }
    const error = event.Error ?? 'States.Runtime';
    const cause = causeText(event.Cause);
    if (spec.type === 'Map') add('MapStateFailed');
    if (spec.type === 'Parallel') add('ParallelStateFailed');
    if (spec.type !== 'Task') return;
    this.#current.delete(slot);
    const timedOut = error === STATES_TIMEOUT || error === STATES_HEARTBEAT_TIMEOUT;
    if (spec.task.kind === 'lambda-arn') {
      const type = timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed';
      add(type, `${timedOut ? 'lambdaFunctionTimedOut' : 'lambdaFunctionFailed'}EventDetails`, { error, cause });
    } else {
      const type = timedOut ? 'TaskTimedOut' : 'TaskFailed';
      add(type, `${timedOut ? 'taskTimedOut' : 'taskFailed'}EventDetails`, { ...resourceParts(spec.resource), error, cause });
    }
  }

  #taskStarted(spec: TaskSpec, slot: string, add: (type: string, key?: string, details?: Record<string, unknown>) => void): void {
    const attempt = this.#queued.get(spec.name)?.shift();
    if (attempt !== undefined) this.#current.set(slot, attempt);
    const parameters = json(attempt?.parameters);
    const timeoutSeconds = attempt === undefined ? spec.timeoutSeconds : attempt.timeoutSeconds;
    const heartbeatSeconds = attempt === undefined ? spec.heartbeatSeconds : attempt.heartbeatSeconds;
    if (spec.task.kind === 'lambda-arn') {
      add('LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', {
        resource: spec.resource,
        input: parameters,
        ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
      });
      add('LambdaFunctionStarted');
      return;
    }
    const parts = resourceParts(spec.resource);
    add('TaskScheduled', 'taskScheduledEventDetails', {
      ...parts,
      region: LOCAL_REGION,
      parameters,
      ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
      ...(heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: heartbeatSeconds }),
    });
    add('TaskStarted', 'taskStartedEventDetails', parts);
    if (attempt === undefined) return;
    attempt.started = true;
    if (spec.callback && attempt.submitted === true) this.#submitted(spec);
  }
}
