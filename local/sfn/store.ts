/**
 * Where the engine records what must survive a restart: state machines, executions and a journal of steps
 * (task results, issued task tokens and callback outcomes, Wait deadlines). See local/README.md, "Durability".
 */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StoredMachine {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  createdAt: number;
}

export interface StoredExecution {
  arn: string;
  machineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startedAt: number;
  stoppedAt?: number;
  output?: string;
  error?: string;
  cause?: string;
}

export type Finish = Pick<StoredExecution, 'output' | 'error' | 'cause'> & {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  stoppedAt: number;
};

/** One journalled step, keyed by `<StateName>#<n>` (the n-th time the execution ran that state's task). */
export interface StepRecord {
  status: 'succeeded' | 'failed' | 'issued' | 'dispatched' | 'waiting' | 'running';
  /** For `running`: how many runs of this task were started without an outcome (the process died or stopped under them). */
  starts?: number;
  output?: string;
  error?: string;
  cause?: string;
  token?: string;
  deadline?: number;
}

export type CallbackOutcome = { status: 'succeeded'; output: string } | { status: 'failed'; error: string; cause: string };

export type CompleteResult = 'completed' | 'already-closed' | 'unknown-token';

export interface ExecutionStore {
  putMachine(machine: StoredMachine): Promise<void>;
  listMachines(): Promise<StoredMachine[]>;
  /** DeleteStateMachine, once the machine has no running execution. */
  deleteMachine(arn: string): Promise<void>;
  /** False when an execution with that ARN already exists. */
  createExecution(execution: StoredExecution): Promise<boolean>;
  /** Moves a RUNNING execution to a terminal status; false if it was no longer RUNNING. */
  finishExecution(arn: string, finish: Finish): Promise<boolean>;
  listExecutions(): Promise<StoredExecution[]>;
  getStep(executionArn: string, key: string): Promise<StepRecord | undefined>;
  putStep(executionArn: string, key: string, step: StepRecord): Promise<void>;
  /** Records a new callback step and its token index entry. */
  issueToken(executionArn: string, key: string, step: StepRecord & { token: string }): Promise<void>;
  /** issued → dispatched, only if still issued. */
  markDispatched(executionArn: string, key: string): Promise<void>;
  /** Closes a waiting callback step exactly once. */
  completeCallback(token: string, outcome: CallbackOutcome): Promise<CompleteResult>;
  /** Whether a token is open (waiting for a callback), closed, or unknown. */
  tokenState(token: string): Promise<{ state: 'open'; executionArn: string } | { state: 'closed' | 'unknown' }>;
}

const OPEN: ReadonlyArray<StepRecord['status']> = ['issued', 'dispatched'];

export class MemoryExecutionStore implements ExecutionStore {
  readonly #machines = new Map<string, StoredMachine>();
  readonly #executions = new Map<string, StoredExecution>();
  readonly #steps = new Map<string, StepRecord>();
  readonly #tokens = new Map<string, { executionArn: string; key: string }>();

  async putMachine(machine: StoredMachine): Promise<void> {
    this.#machines.set(machine.arn, structuredClone(machine));
  }
  async listMachines(): Promise<StoredMachine[]> {
    return [...this.#machines.values()].map((m) => structuredClone(m));
  }
  async deleteMachine(arn: string): Promise<void> {
    this.#machines.delete(arn);
  }
  async createExecution(execution: StoredExecution): Promise<boolean> {
    if (this.#executions.has(execution.arn)) return false;
    this.#executions.set(execution.arn, structuredClone(execution));
    return true;
  }
  async finishExecution(arn: string, finish: Finish): Promise<boolean> {
    const execution = this.#executions.get(arn);
    if (execution?.status !== 'RUNNING') return false;
    Object.assign(execution, finish);
    return true;
  }
  async listExecutions(): Promise<StoredExecution[]> {
    return [...this.#executions.values()].map((e) => structuredClone(e));
  }
  async getStep(executionArn: string, key: string): Promise<StepRecord | undefined> {
    const step = this.#steps.get(`${executionArn}|${key}`);
    return step === undefined ? undefined : structuredClone(step);
  }
  async putStep(executionArn: string, key: string, step: StepRecord): Promise<void> {
    this.#steps.set(`${executionArn}|${key}`, structuredClone(step));
  }
  async issueToken(executionArn: string, key: string, step: StepRecord & { token: string }): Promise<void> {
    this.#tokens.set(step.token, { executionArn, key });
    await this.putStep(executionArn, key, step);
  }
  async markDispatched(executionArn: string, key: string): Promise<void> {
    const step = this.#steps.get(`${executionArn}|${key}`);
    if (step?.status === 'issued') step.status = 'dispatched';
  }
  async completeCallback(token: string, outcome: CallbackOutcome): Promise<CompleteResult> {
    const ref = this.#tokens.get(token);
    if (ref === undefined) return 'unknown-token';
    const step = this.#steps.get(`${ref.executionArn}|${ref.key}`);
    const execution = this.#executions.get(ref.executionArn);
    if (step === undefined || !OPEN.includes(step.status) || execution?.status !== 'RUNNING') return 'already-closed';
    Object.assign(step, outcome);
    return 'completed';
  }
  async tokenState(token: string): Promise<{ state: 'open'; executionArn: string } | { state: 'closed' | 'unknown' }> {
    const ref = this.#tokens.get(token);
    if (ref === undefined) return { state: 'unknown' };
    const step = this.#steps.get(`${ref.executionArn}|${ref.key}`);
    const execution = this.#executions.get(ref.executionArn);
    if (step === undefined || !OPEN.includes(step.status) || execution?.status !== 'RUNNING') return { state: 'closed' };
    return { state: 'open', executionArn: ref.executionArn };
  }
}
