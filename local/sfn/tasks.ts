/**
 * Runs Task and Wait states for the interpreter (its `taskResourceLocalHandlers`): integrations, task tokens
 * with timeouts and heartbeats, Waits on the Clock, and the journal that lets a re-driven execution replay.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, ClockTimer } from '../clock.ts';
import { DYNAMIC_TIMEOUTS_KEY, type Json, type TaskSpec, type WaitSpec } from './asl.ts';
import { SfnApiError, STATES_HEARTBEAT_TIMEOUT, STATES_TIMEOUT, TaskError } from './errors.ts';
import type { TaskAttempt } from './history.ts';
import { runIntegration, type IntegrationDeps } from './integrations.ts';
import { toLambdaError } from './lambda.ts';
import { label, nextStepKey, type LiveExecution } from './live.ts';
import type { CallbackOutcome, ExecutionStore, StepRecord } from './store.ts';

interface Waiter {
  token: string;
  execution: LiveExecution;
  spec: TaskSpec;
  resolve: (value: Json) => void;
  reject: (error: Error) => void;
  timeout?: ClockTimer;
  heartbeat?: ClockTimer;
}

/**
 * A Lambda task that was running when the process died this many times is not run again: it fails with
 * `Runtime.ExitError` (the error Lambda reports for a crashed runtime), so a poison step (a handler that aborts
 * or wedges the process) cannot stop the runtime from starting; the machine's Catch, or the execution, records it.
 */
export const MAX_INTERRUPTED_STARTS = 2;
export const INTERRUPTED_ERROR = 'Runtime.ExitError';

export const newTaskToken = (): string => `AQ${randomBytes(96).toString('base64')}`;

function findString(value: Json, candidates: Set<string>): string | undefined {
  if (typeof value === 'string') return candidates.has(value) ? value : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    const found = findString(child, candidates);
    if (found !== undefined) return found;
  }
  return undefined;
}

function replaceString(value: Json, from: string, to: string): Json {
  if (typeof value === 'string') return value === from ? to : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((child) => replaceString(child, from, to));
  return Object.fromEntries(Object.entries(value).map(([k, child]) => [k, replaceString(child, from, to)]));
}

const positiveInteger = (value: Json | undefined): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

/**
 * Unwraps the Parameters of a task with TimeoutSecondsPath/HeartbeatSecondsPath (see `prepareTask`) and returns
 * the spec with the resolved values; a value that is not a positive integer fails the task with States.Runtime.
 */
function resolveDynamicTimeouts(spec: TaskSpec, input: Json): { spec: TaskSpec; input: Json } {
  if (spec.timeoutSecondsPath === undefined && spec.heartbeatSecondsPath === undefined) return { spec, input };
  const wrapper = typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {};
  const resolved: TaskSpec = { ...spec };
  const read = (path: string, field: 'timeoutSeconds' | 'heartbeatSeconds', name: string): number => {
    const value = wrapper[field];
    if (!positiveInteger(value)) {
      throw new TaskError(
        'States.Runtime',
        `${name} '${path}' must select a positive integer, not ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
      );
    }
    return value;
  };
  if (spec.timeoutSecondsPath !== undefined)
    resolved.timeoutSeconds = read(spec.timeoutSecondsPath, 'timeoutSeconds', 'TimeoutSecondsPath');
  if (spec.heartbeatSecondsPath !== undefined)
    resolved.heartbeatSeconds = read(spec.heartbeatSecondsPath, 'heartbeatSeconds', 'HeartbeatSecondsPath');
  return { spec: resolved, input: wrapper[DYNAMIC_TIMEOUTS_KEY] ?? null };
}

const parse = (text: string | undefined): Json => (text === undefined ? null : (JSON.parse(text) as Json));

export class TaskRunner {
  readonly #clock: Clock;
  readonly #store: ExecutionStore;
  readonly #deps: IntegrationDeps;
  readonly #waiters = new Map<string, Waiter>();
  readonly #log: (line: string) => void;
  /** Lambda tasks this process has marked `running` and not yet recorded an outcome for: `<arn>|<key>` → starts. */
  readonly #running = new Map<string, { executionArn: string; key: string; starts: number }>();

  constructor(clock: Clock, store: ExecutionStore, deps: IntegrationDeps, log: (line: string) => void) {
    this.#clock = clock;
    this.#store = store;
    this.#deps = deps;
    this.#log = log;
  }

  /** Replays a journalled outcome, if the step already ran before a restart. */
  #replay(step: StepRecord | undefined, attempt: TaskAttempt): { done: true; value: Json } | { done: false } {
    if (step?.status === 'succeeded') {
      attempt.result = parse(step.output);
      return { done: true, value: attempt.result as Json };
    }
    if (step?.status === 'failed') throw new TaskError(step.error ?? 'States.TaskFailed', step.cause ?? '');
    return { done: false };
  }

  async runTask(execution: LiveExecution, declared: TaskSpec, wrapped: Json): Promise<Json> {
    const attempt: TaskAttempt = { parameters: wrapped };
    execution.history.noteAttempt(declared.name, attempt);
    const { spec, input } = resolveDynamicTimeouts(declared, wrapped);
    attempt.parameters = input;
    attempt.timeoutSeconds = spec.timeoutSeconds;
    attempt.heartbeatSeconds = spec.heartbeatSeconds;
    const key = nextStepKey(execution, spec.name);
    const arn = execution.record.arn;
    const recorded = await this.#store.getStep(arn, key);
    if (spec.callback) {
      const fresh = findString(input, execution.freshTokens);
      if (fresh !== undefined && (recorded?.status === 'succeeded' || recorded?.status === 'failed')) execution.freshTokens.delete(fresh);
    }
    const replayed = this.#replay(recorded, attempt);
    if (replayed.done) return replayed.value;
    if (spec.callback) return this.#runCallback(execution, spec, key, input, recorded, attempt);

    let timer: ClockTimer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      if (spec.timeoutSeconds === undefined) return;
      timer = this.#clock.schedule(spec.timeoutSeconds * 1000, label(execution, spec.name, 'timeout'), () =>
        reject(new TaskError(STATES_TIMEOUT, `Task timed out after ${spec.timeoutSeconds} seconds`)),
      );
      execution.timers.add(timer);
    });
    const interrupted = recorded?.status === 'running' ? (recorded.starts ?? 1) : 0;
    if (interrupted >= MAX_INTERRUPTED_STARTS) {
      const cause = JSON.stringify({
        errorType: INTERRUPTED_ERROR,
        errorMessage: `The task was running when the runtime stopped unexpectedly ${interrupted} times; it is not run again`,
      });
      this.#log(`task ${spec.name} of ${arn} failed: interrupted ${interrupted} times`);
      await this.#store.putStep(arn, key, { status: 'failed', error: INTERRUPTED_ERROR, cause });
      throw new TaskError(INTERRUPTED_ERROR, cause);
    }
    const running = `${arn}|${key}`;
    await this.#store.putStep(arn, key, { status: 'running', starts: interrupted + 1 });
    this.#running.set(running, { executionArn: arn, key, starts: interrupted + 1 });
    try {
      const result = await Promise.race([runIntegration(spec.task, input, this.#deps), timeout]);
      attempt.result = result;
      if (!execution.settled) await this.#store.putStep(arn, key, { status: 'succeeded', output: JSON.stringify(result) });
      return result;
    } catch (thrown) {
      const error = toLambdaError(thrown);
      if (!execution.settled) await this.#store.putStep(arn, key, { status: 'failed', error: error.name, cause: error.message });
      throw error;
    } finally {
      if (!execution.settled) this.#running.delete(running);
      if (timer !== undefined) {
        timer.cancel();
        execution.timers.delete(timer);
      }
    }
  }

  /**
   * After a clean stop: the Lambda tasks the stop cut short do not count as interrupted by a crash, so their
   * `running` marks go back to what they were before this process started them.
   */
  async releaseInterrupted(): Promise<void> {
    for (const { executionArn, key, starts } of this.#running.values()) {
      await this.#store.putStep(executionArn, key, { status: 'running', starts: starts - 1 });
    }
    this.#running.clear();
  }

  async #runCallback(
    execution: LiveExecution,
    spec: TaskSpec,
    key: string,
    input: Json,
    recorded: StepRecord | undefined,
    attempt: TaskAttempt,
  ): Promise<Json> {
    const arn = execution.record.arn;
    const fresh = findString(input, execution.freshTokens);
    if (fresh === undefined) throw new TaskError('States.Runtime', 'The resolved Parameters carry no task token');
    execution.freshTokens.delete(fresh);
    let token = fresh;
    let payload = input;
    let deadline: number | undefined;
    let fire = true;
    if (recorded?.token !== undefined && (recorded.status === 'issued' || recorded.status === 'dispatched')) {
      token = recorded.token;
      payload = replaceString(input, fresh, token);
      deadline = recorded.deadline;
      fire = recorded.status === 'issued';
      if (!fire) execution.history.noteSubmitted(spec, attempt);
    } else {
      if (spec.timeoutSeconds !== undefined) deadline = this.#clock.now() + spec.timeoutSeconds * 1000;
      await this.#store.issueToken(arn, key, { status: 'issued', token, ...(deadline === undefined ? {} : { deadline }) });
    }
    attempt.parameters = payload;
    let resolve!: (value: Json) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<Json>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const waiter: Waiter = { token, execution, spec, resolve, reject };
    this.#waiters.set(token, waiter);
    if (deadline !== undefined) {
      waiter.timeout = this.#clock.schedule(deadline - this.#clock.now(), label(execution, spec.name, 'timeout'), () => {
        void this.#expire(waiter, STATES_TIMEOUT, `Task timed out after ${spec.timeoutSeconds ?? 0} seconds`);
      });
    }
    this.#armHeartbeat(waiter);
    if (recorded !== undefined) {
      const now = await this.#store.getStep(arn, key);
      if (now?.status === 'succeeded') resolve(parse(now.output));
      if (now?.status === 'failed') reject(new TaskError(now.error ?? '', now.cause ?? ''));
    }
    if (fire) {
      runIntegration(spec.task, payload, this.#deps)
        .then(
          async () => {
            await this.#store.markDispatched(arn, key);
            execution.history.noteSubmitted(spec, attempt);
          },
          (thrown: unknown) => {
            const error = toLambdaError(thrown);
            return this.#close(waiter, { status: 'failed', error: error.name, cause: error.message });
          },
        )
        .catch((error: unknown) => this.#log(`callback dispatch bookkeeping failed for ${arn}: ${String(error)}`));
    }
    try {
      const result = await promise;
      attempt.result = result;
      return result;
    } finally {
      this.#drop(waiter);
    }
  }

  async runWait(execution: LiveExecution, spec: WaitSpec, input: Json): Promise<Json> {
    const params = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<string, Json>;
    const key = nextStepKey(execution, spec.name);
    const arn = execution.record.arn;
    const recorded = await this.#store.getStep(arn, key);
    let deadline = recorded?.deadline;
    if (deadline === undefined) {
      const seconds = params['seconds'];
      const timestamp = params['timestamp'];
      if (typeof seconds === 'number' && seconds >= 0) deadline = this.#clock.now() + seconds * 1000;
      else if (typeof timestamp === 'string' && !Number.isNaN(Date.parse(timestamp))) deadline = Date.parse(timestamp);
      else throw new TaskError('States.Runtime', `Wait state '${spec.name}' has no valid seconds or timestamp`);
      await this.#store.putStep(arn, key, { status: 'waiting', deadline });
    }
    const remaining = deadline - this.#clock.now();
    if (remaining > 0) {
      await new Promise<void>((resolve) => {
        const timer = this.#clock.schedule(remaining, label(execution, spec.name, 'wait'), () => {
          execution.timers.delete(timer);
          resolve();
        });
        execution.timers.add(timer);
      });
    }
    return params['input'] ?? null;
  }

  #armHeartbeat(waiter: Waiter): void {
    waiter.heartbeat?.cancel();
    const seconds = waiter.spec.heartbeatSeconds;
    if (seconds === undefined) return;
    waiter.heartbeat = this.#clock.schedule(seconds * 1000, label(waiter.execution, waiter.spec.name, 'heartbeat'), () => {
      void this.#expire(waiter, STATES_HEARTBEAT_TIMEOUT, `No heartbeat for ${seconds} seconds`);
    });
  }

  async #expire(waiter: Waiter, error: string, cause: string): Promise<void> {
    await this.#close(waiter, { status: 'failed', error, cause });
  }

  /** Closes the token in the journal (once) and settles the waiting task. */
  async #close(waiter: Waiter, outcome: CallbackOutcome): Promise<void> {
    const result = await this.#store.completeCallback(waiter.token, outcome);
    if (result !== 'completed') return;
    if (outcome.status === 'succeeded') waiter.resolve(parse(outcome.output));
    else waiter.reject(new TaskError(outcome.error, outcome.cause));
  }

  #drop(waiter: Waiter): void {
    waiter.timeout?.cancel();
    waiter.heartbeat?.cancel();
    if (this.#waiters.get(waiter.token) === waiter) this.#waiters.delete(waiter.token);
  }

  /** Forgets every waiting token of an execution (stopped, timed out, or the runtime shutting down). */
  dropExecution(executionArn: string): void {
    for (const waiter of [...this.#waiters.values()]) if (waiter.execution.record.arn === executionArn) this.#drop(waiter);
  }

  async sendTaskSuccess(token: string, output: string): Promise<void> {
    try {
      JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    await this.#complete(token, { status: 'succeeded', output });
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    await this.#complete(token, { status: 'failed', error, cause });
  }

  async sendTaskHeartbeat(token: string): Promise<void> {
    const state = await this.#store.tokenState(token);
    if (state.state === 'unknown') throw invalidToken();
    if (state.state === 'closed') throw taskTimedOut();
    const waiter = this.#waiters.get(token);
    if (waiter !== undefined) this.#armHeartbeat(waiter);
  }

  async #complete(token: string, outcome: CallbackOutcome): Promise<void> {
    const result = await this.#store.completeCallback(token, outcome);
    if (result === 'unknown-token') throw invalidToken();
    if (result === 'already-closed') throw taskTimedOut();
    const waiter = this.#waiters.get(token);
    if (waiter === undefined) return;
    if (outcome.status === 'succeeded') waiter.resolve(parse(outcome.output));
    else waiter.reject(new TaskError(outcome.error, outcome.cause));
  }
}

const invalidToken = (): SfnApiError => new SfnApiError('InvalidToken', 'Invalid Token: the task token is not one this runtime issued');
const taskTimedOut = (): SfnApiError =>
  new SfnApiError('TaskTimedOut', 'Task Timed Out: the task token was already used, or its task timed out or stopped');
