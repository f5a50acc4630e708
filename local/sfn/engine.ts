/**
 * The Step Functions engine: state machines and executions around aws-local-stepfunctions, with the
 * journal that makes executions survive a restart (see local/README.md, "Durability").
 */
import '../polyfills.ts';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock.ts';
import { parseDefinition, prepareDefinition, RUNTIME_START_TIME_FIELD, type Json } from './asl.ts';
import { SfnApiError, STATES_TIMEOUT, TaskError } from './errors.ts';
import { HistoryRecorder, type HistoryEvent, type InterpreterEvent } from './history.ts';
import { AWS_SFN_LIMITS, dataLimitCause, historyLimitCause, MAXIMUM_DURATION, utf8Bytes, type SfnLimits } from './limits.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, type FunctionRegistry } from './lambda.ts';
import { label, type LiveExecution, type LiveMachine } from './live.ts';
import type { ExecutionStore, Finish, StoredExecution, StoredMachine } from './store.ts';
import { newTaskToken, TaskRunner } from './tasks.ts';

export interface EngineOptions {
  clock: Clock;
  store: ExecutionStore;
  functions: FunctionRegistry;
  dynamodb: () => DynamoDBClient;
  log?: (line: string) => void;
  /** AWS's quotas unless a test lowers them (local/sfn/limits.ts). */
  limits?: Partial<SfnLimits>;
}

const STATES_DATA_LIMIT = 'States.DataLimitExceeded';
const STATES_RUNTIME = 'States.Runtime';

/** The error of an execution whose re-drive after a restart threw: it is recorded as failed, never retried at each start. */
export const REDRIVE_FAILED = 'S117.RedriveFailed';

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const DEFAULT_ROLE = `arn:aws:iam::${LOCAL_ACCOUNT}:role/s117-local-state-machine`;

export class Engine {
  readonly clock: Clock;
  readonly #store: ExecutionStore;
  readonly #tasks: TaskRunner;
  readonly #machines = new Map<string, LiveMachine>();
  readonly #executions = new Map<string, LiveExecution>();
  /** Machines DeleteStateMachine was called for while executions of theirs still ran: gone when the last one ends. */
  readonly #deleting = new Set<string>();
  readonly #log: (line: string) => void;
  readonly limits: Readonly<SfnLimits>;
  #closing = false;

  constructor(options: EngineOptions) {
    this.clock = options.clock;
    this.#store = options.store;
    this.#log = options.log ?? (() => undefined);
    this.limits = { ...AWS_SFN_LIMITS, ...options.limits };
    this.#tasks = new TaskRunner(
      options.clock,
      options.store,
      {
        functions: options.functions,
        dynamodb: options.dynamodb,
        startExecution: async (machineArn, input, name) => {
          const started = await this.startExecution(machineArn, input, name);
          return { executionArn: started.record.arn, startDate: started.record.startedAt };
        },
      },
      this.#log,
    );
  }

  static machineArn(name: string): string {
    return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
  }

  #build(stored: StoredMachine): LiveMachine {
    const definition = parseDefinition(stored.definition);
    const prepared = prepareDefinition(definition);
    try {
      new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false } });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: ${message}`);
    }
    const interpreter = new StateMachine(prepared.runnable as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    return { ...stored, prepared, interpreter };
  }

  /**
   * ValidateStateMachineDefinition: the checks CreateStateMachine makes (JSON, the interpreter's ASL schema, the
   * local runtime's refusals), without creating anything. Undefined when the definition would be accepted.
   */
  validateDefinition(definition: string): { code: string; message: string } | undefined {
    try {
      JSON.parse(definition);
    } catch (error) {
      return { code: 'INVALID_JSON_DESCRIPTION', message: error instanceof Error ? error.message : String(error) };
    }
    try {
      this.#build({ arn: Engine.machineArn('validate'), name: 'validate', definition, roleArn: DEFAULT_ROLE, createdAt: 0 });
      return undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { code: 'SCHEMA_VALIDATION_FAILED', message: message.replace(/^Invalid State Machine Definition: /, '') };
    }
  }

  /** ACTIVE, or DELETING while executions started before DeleteStateMachine still run. */
  machineStatus(arn: string): 'ACTIVE' | 'DELETING' {
    return this.#deleting.has(arn) ? 'DELETING' : 'ACTIVE';
  }

  #refuseDeleting(arn: string): void {
    if (this.#deleting.has(arn)) throw new SfnApiError('StateMachineDeleting', `State machine is being deleted: '${arn}'`);
  }

  /**
   * DeleteStateMachine, as AWS does it: idempotent (an unknown machine is no error); the machine takes no new
   * execution at once and is removed when its running executions have ended (DELETING until then).
   */
  async deleteStateMachine(arn: string): Promise<void> {
    if (!this.#machines.has(arn)) return;
    this.#deleting.add(arn);
    await this.#removeIfIdle(arn);
  }

  async #removeIfIdle(arn: string): Promise<void> {
    if (!this.#deleting.has(arn)) return;
    if ([...this.#executions.values()].some((e) => e.record.machineArn === arn && e.record.status === 'RUNNING')) return;
    this.#deleting.delete(arn);
    this.#machines.delete(arn);
    await this.#store.deleteMachine(arn);
    this.#log(`state machine deleted ${arn}`);
  }

  /** CreateStateMachine: idempotent for an identical definition, as in AWS. With `replace`, a deploy updates it. */
  async createStateMachine(name: string, definition: string, roleArn = DEFAULT_ROLE, replace = false): Promise<LiveMachine> {
    if (!NAME.test(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const arn = Engine.machineArn(name);
    this.#refuseDeleting(arn);
    const existing = this.#machines.get(arn);
    if (existing !== undefined && existing.definition === definition) return existing;
    if (existing !== undefined && !replace) {
      throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const machine = this.#build({ arn, name, definition, roleArn, createdAt: existing?.createdAt ?? this.clock.now() });
    await this.#store.putMachine({ arn, name, definition, roleArn, createdAt: machine.createdAt });
    this.#machines.set(arn, machine);
    return machine;
  }

  machine(arn: string): LiveMachine {
    const machine = this.#machines.get(arn);
    if (machine === undefined) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  machines(): LiveMachine[] {
    return [...this.#machines.values()];
  }

  execution(arn: string): LiveExecution {
    const execution = this.#executions.get(arn);
    if (execution === undefined) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  executions(machineArn: string): LiveExecution[] {
    this.machine(machineArn);
    return [...this.#executions.values()]
      .filter((e) => e.record.machineArn === machineArn)
      .sort((a, b) => b.record.startedAt - a.record.startedAt);
  }

  async startExecution(machineArn: string, input = '{}', name: string = randomUUID()): Promise<LiveExecution> {
    const machine = this.machine(machineArn);
    this.#refuseDeleting(machineArn);
    if (!NAME.test(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    if (utf8Bytes(input) > this.limits.payloadBytes) {
      throw new SfnApiError(
        'ValidationException',
        `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${this.limits.payloadBytes}`,
      );
    }
    try {
      JSON.parse(input);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', 'Invalid Execution Input: the input is not valid JSON');
    }
    const arn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machine.name}:${name}`;
    const record: StoredExecution = { arn, machineArn, name, input, status: 'RUNNING', startedAt: this.clock.now() };
    const existing = this.#executions.get(arn);
    if (existing !== undefined || !(await this.#store.createExecution(record))) {
      if (existing?.record.status === 'RUNNING' && existing.record.input === input) return existing;
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = this.#live(record, machine);
    this.#executions.set(arn, execution);
    this.#log(`execution started ${arn}`);
    this.#drive(execution);
    return execution;
  }

  #live(record: StoredExecution, machine: LiveMachine): LiveExecution {
    const execution: LiveExecution = {
      record,
      machine,
      history: new HistoryRecorder(
        machine.prepared.states,
        () => this.clock.now() - Date.now(),
        this.limits.historyEvents,
        () =>
          void this.#terminate(execution, { status: 'FAILED', error: STATES_RUNTIME, cause: historyLimitCause(this.limits.historyEvents) }),
      ),
      counters: new Map(),
      freshTokens: new Set(),
      timers: new Set(),
      settled: record.status !== 'RUNNING',
      abort: () => undefined,
    };
    return execution;
  }

  #drive(execution: LiveExecution): void {
    const { machine, record } = execution;
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const spec of machine.prepared.states.values()) {
      if (spec.type === 'Task') {
        handlers[spec.name] = async (input) =>
          this.#withinDataLimit(execution, spec.name, await this.#tasks.runTask(execution, spec, input));
      }
      if (spec.type === 'Wait') handlers[spec.name] = (input) => this.#tasks.runWait(execution, spec, input);
    }
    const context = {
      Execution: {
        Id: record.arn,
        Name: record.name,
        RoleArn: machine.roleArn,
        StartTime: new Date(record.startedAt).toISOString(),
        [RUNTIME_START_TIME_FIELD]: new Date(record.startedAt).toISOString(),
      },
      StateMachine: { Id: machine.arn, Name: machine.name },
      Task: {
        get Token(): string {
          const token = newTaskToken();
          execution.freshTokens.add(token);
          return token;
        },
      },
    };
    const run = machine.interpreter.run(JSON.parse(record.input) as Json as never, {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context,
      noThrowOnAbort: true,
    });
    execution.abort = run.abort;
    const historyDone = (async () => {
      for await (const event of run.eventLogs) execution.history.record(event as unknown as InterpreterEvent);
    })();
    if (machine.prepared.timeoutSeconds !== undefined) {
      const due = record.startedAt + machine.prepared.timeoutSeconds * 1000 - this.clock.now();
      const timer = this.clock.schedule(due, label(execution, '(machine)', 'timeout'), () => {
        void this.#terminate(execution, { status: 'TIMED_OUT', error: STATES_TIMEOUT, cause: 'Execution timed out' });
      });
      execution.timers.add(timer);
    }
    const untilMaximum = record.startedAt + this.limits.executionMs - this.clock.now();
    if (machine.prepared.timeoutSeconds === undefined || machine.prepared.timeoutSeconds * 1000 > this.limits.executionMs) {
      const timer = this.clock.schedule(untilMaximum, `${record.arn} ${MAXIMUM_DURATION}`, () => {
        void this.#terminate(execution, {
          status: 'TIMED_OUT',
          error: STATES_TIMEOUT,
          cause: 'The execution reached its maximum duration of one year',
        });
      });
      execution.timers.add(timer);
    }
    run.result
      .then(
        async (output) => {
          if (execution.settled) return;
          await historyDone;
          const text = JSON.stringify(output);
          if (utf8Bytes(text) > this.limits.payloadBytes) {
            await this.#terminate(execution, { status: 'FAILED', error: STATES_DATA_LIMIT, cause: dataLimitCause(machine.name) });
            return;
          }
          await this.#finish(execution, { status: 'SUCCEEDED', output: text, stoppedAt: this.clock.now() });
        },
        async (thrown: unknown) => {
          if (execution.settled) return;
          await historyDone;
          const cause = thrown instanceof Error && thrown.cause instanceof Error ? thrown.cause : thrown;
          const error = cause instanceof Error ? cause.name : 'States.Runtime';
          const message = cause instanceof Error ? cause.message : String(cause);
          await this.#finish(execution, { status: 'FAILED', error, cause: message, stoppedAt: this.clock.now() });
        },
      )
      .catch((error: unknown) => this.#log(`could not record the end of ${record.arn}: ${String(error)}`));
  }

  async #finish(execution: LiveExecution, finish: Finish): Promise<boolean> {
    if (execution.settled || this.#closing) return false;
    execution.settled = true;
    for (const timer of execution.timers) timer.cancel();
    execution.timers.clear();
    this.#tasks.dropExecution(execution.record.arn);
    const changed = await this.#store.finishExecution(execution.record.arn, finish);
    if (changed) {
      Object.assign(execution.record, finish);
      this.#log(`execution ${finish.status} ${execution.record.arn}`);
      await this.#removeIfIdle(execution.record.machineArn);
    }
    return changed;
  }

  /**
   * A task result over the payload quota ends the execution with States.DataLimitExceeded, as AWS does when
   * only States.ALL would catch it (a Catch naming the error explicitly is not honoured here: none of ours does).
   */
  async #withinDataLimit(execution: LiveExecution, stateName: string, result: Json): Promise<Json> {
    if (utf8Bytes(JSON.stringify(result) ?? 'null') <= this.limits.payloadBytes) return result;
    await this.#terminate(execution, { status: 'FAILED', error: STATES_DATA_LIMIT, cause: dataLimitCause(stateName) });
    throw new TaskError(STATES_DATA_LIMIT, dataLimitCause(stateName));
  }

  async #terminate(
    execution: LiveExecution,
    end: { status: 'ABORTED' | 'TIMED_OUT' | 'FAILED'; error?: string; cause?: string },
  ): Promise<number> {
    const stoppedAt = this.clock.now();
    const finish: Finish = { status: end.status, stoppedAt };
    if (end.error !== undefined) finish.error = end.error;
    if (end.cause !== undefined) finish.cause = end.cause;
    if (await this.#finish(execution, finish)) {
      const type = { ABORTED: 'ExecutionAborted', TIMED_OUT: 'ExecutionTimedOut', FAILED: 'ExecutionFailed' }[end.status];
      const details = {
        ...(end.error === undefined ? {} : { error: end.error }),
        ...(end.cause === undefined ? {} : { cause: end.cause }),
      };
      execution.history.add(type, `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`, details);
      execution.abort();
    }
    return stoppedAt;
  }

  async stopExecution(arn: string, error?: string, cause?: string): Promise<number> {
    const execution = this.execution(arn);
    if (execution.record.status !== 'RUNNING') return execution.record.stoppedAt ?? this.clock.now();
    const end: { status: 'ABORTED'; error?: string; cause?: string } = { status: 'ABORTED' };
    if (error !== undefined) end.error = error;
    if (cause !== undefined) end.cause = cause;
    return this.#terminate(execution, end);
  }

  history(arn: string): HistoryEvent[] {
    return this.execution(arn).history.events;
  }

  sendTaskSuccess(token: string, output: string): Promise<void> {
    return this.#tasks.sendTaskSuccess(token, output);
  }

  sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    return this.#tasks.sendTaskFailure(token, error, cause);
  }

  sendTaskHeartbeat(token: string): Promise<void> {
    return this.#tasks.sendTaskHeartbeat(token);
  }

  /**
   * Loads machines and executions from the store and re-drives every execution still RUNNING. A re-drive that
   * throws is recorded as FAILED (`S117.RedriveFailed`, the error's name as cause) and the others still start;
   * a task that keeps killing the process is failed by the task runner (`MAX_INTERRUPTED_STARTS`).
   */
  async recover(): Promise<{ redriven: number; failed: string[] }> {
    for (const stored of await this.#store.listMachines()) {
      try {
        this.#machines.set(stored.arn, this.#build(stored));
      } catch (error) {
        this.#log(`state machine ${stored.arn} could not be restored: ${String(error)}`);
      }
    }
    let redriven = 0;
    const failed: string[] = [];
    for (const record of await this.#store.listExecutions()) {
      const machine = this.#machines.get(record.machineArn);
      if (machine === undefined || this.#executions.has(record.arn)) continue;
      try {
        const execution = this.#live(record, machine);
        this.#executions.set(record.arn, execution);
        if (record.status === 'RUNNING') {
          this.#drive(execution);
          this.#log(`execution re-driven ${record.arn}`);
          redriven++;
        }
      } catch (error) {
        failed.push(record.arn);
        await this.#redriveFailed(record, machine, error);
      }
    }
    return { redriven, failed };
  }

  async #redriveFailed(record: StoredExecution, machine: LiveMachine, error: unknown): Promise<void> {
    const name = error instanceof Error ? error.name : typeof error;
    this.#log(`execution ${record.arn} could not be re-driven (${name}): recorded as FAILED`);
    const execution = this.#executions.get(record.arn) ?? this.#live({ ...record }, machine);
    execution.abort();
    execution.settled = false;
    this.#executions.set(record.arn, execution);
    await this.#finish(execution, {
      status: 'FAILED',
      error: REDRIVE_FAILED,
      cause: `The execution could not be re-driven after a restart: ${name}`,
      stoppedAt: this.clock.now(),
    }).catch((stored: unknown) => this.#log(`could not record the failed re-drive of ${record.arn}: ${String(stored)}`));
  }

  /** After close(): Lambda tasks the stop cut short are not counted as crashes at the next start. */
  releaseInterrupted(): Promise<void> {
    return this.#tasks.releaseInterrupted();
  }

  /** Stops driving without recording anything: RUNNING executions stay RUNNING in the store for the next start. */
  close(): void {
    this.#closing = true;
    for (const execution of this.#executions.values()) {
      if (execution.settled) continue;
      execution.settled = true;
      for (const timer of execution.timers) timer.cancel();
      this.#tasks.dropExecution(execution.record.arn);
      execution.abort();
    }
  }
}
