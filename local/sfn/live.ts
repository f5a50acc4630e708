/** In-memory state of a machine and of an execution while this process drives it. */
import type { StateMachine } from 'aws-local-stepfunctions';
import type { ClockTimer } from '../clock.ts';
import type { PreparedDefinition } from './asl.ts';
import type { HistoryRecorder } from './history.ts';
import type { StoredExecution, StoredMachine } from './store.ts';

export interface LiveMachine extends StoredMachine {
  prepared: PreparedDefinition;
  interpreter: StateMachine;
}

export interface LiveExecution {
  record: StoredExecution;
  machine: LiveMachine;
  history: HistoryRecorder;
  /** How many times each state's task has started in this drive: the journal key is `<State>#<n>`. */
  counters: Map<string, number>;
  /** Tokens minted by `$$.Task.Token` and not yet claimed by a callback task. */
  freshTokens: Set<string>;
  timers: Set<ClockTimer>;
  /** Set once the engine has decided the execution's end (stop, timeout, shutdown): late results are ignored. */
  settled: boolean;
  abort: () => void;
}

export function nextStepKey(execution: LiveExecution, stateName: string): string {
  const n = (execution.counters.get(stateName) ?? 0) + 1;
  execution.counters.set(stateName, n);
  return `${stateName}#${n}`;
}

export const label = (execution: LiveExecution, stateName: string, what: string): string => `${execution.record.arn} ${stateName} ${what}`;
