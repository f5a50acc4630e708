/**
 * Reading and preparing ASL definitions for aws-local-stepfunctions.
 *
 * The interpreter silently ignores JSONata and `Assign`, so those are refused. Timers the interpreter would own
 * (Task TimeoutSeconds, Wait states, the machine TimeoutSeconds) are taken over by the engine's Clock:
 * Task timeouts are lifted to a very long interpreter timeout, and each Wait becomes a Task the engine runs.
 */
import { SfnApiError } from './errors.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Interpreter-side Task timeout: 10 years, i.e. never; the engine enforces the real TimeoutSeconds. */
export const INTERPRETER_TASK_TIMEOUT_SECONDS = 315_360_000;
export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::s117-local:wait';

export type TaskKind =
  | { kind: 'lambda-invoke'; callback: boolean }
  | { kind: 'lambda-arn'; functionName: string }
  | { kind: 'dynamodb'; action: string; flavour: 'optimised' | 'aws-sdk' }
  | { kind: 'start-execution' };

export interface TaskSpec {
  type: 'Task';
  name: string;
  resource: string;
  task: TaskKind;
  callback: boolean;
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
  /**
   * TimeoutSecondsPath / HeartbeatSecondsPath: the interpreter evaluates them against the state's effective
   * input (after InputPath) inside a wrapper around the Parameters (`DYNAMIC_TIMEOUTS_KEY`); the task runner
   * unwraps it and enforces the values on the Clock.
   */
  timeoutSecondsPath?: string;
  heartbeatSecondsPath?: string;
}

/** The key of the wrapper's original Parameters; its siblings `timeoutSeconds`/`heartbeatSeconds` carry the resolved paths. */
export const DYNAMIC_TIMEOUTS_KEY = 's117LocalParameters';

export interface WaitSpec {
  type: 'Wait';
  name: string;
}

export interface OtherSpec {
  type: 'Pass' | 'Choice' | 'Succeed' | 'Fail' | 'Map' | 'Parallel';
  name: string;
}

export type StateSpec = TaskSpec | WaitSpec | OtherSpec;

export interface PreparedDefinition {
  /** What the interpreter runs. */
  runnable: JsonObject;
  /** Every state of the machine, nested ones included, by (unique) name. */
  states: Map<string, StateSpec>;
  timeoutSeconds: number | undefined;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (message: string): SfnApiError => new SfnApiError('InvalidDefinition', message);

export function parseDefinition(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('Invalid State Machine Definition: the definition is not valid JSON');
  }
  if (!isObject(parsed)) throw invalid('Invalid State Machine Definition: the definition must be a JSON object');
  return parsed;
}

const LAMBDA_ARN = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;

export function classifyResource(stateName: string, resource: string): { task: TaskKind; callback: boolean } {
  const callback = resource.endsWith('.waitForTaskToken');
  const base = callback ? resource.slice(0, -'.waitForTaskToken'.length) : resource;
  if (base.endsWith('.sync') || base.endsWith('.sync:2')) {
    throw invalid(`State '${stateName}': the '.sync' integration pattern is not supported by the local runtime`);
  }
  if (base === 'arn:aws:states:::lambda:invoke') return { task: { kind: 'lambda-invoke', callback }, callback };
  const lambda = LAMBDA_ARN.exec(base);
  if (lambda?.[1] !== undefined) {
    if (callback) throw invalid(`State '${stateName}': '.waitForTaskToken' needs the lambda:invoke integration`);
    return { task: { kind: 'lambda-arn', functionName: lambda[1] }, callback };
  }
  const dynamo = /^arn:aws:states:::(aws-sdk:)?dynamodb:([a-zA-Z]+)$/.exec(base);
  if (dynamo?.[2] !== undefined && !callback) {
    const flavour = dynamo[1] === undefined ? 'optimised' : 'aws-sdk';
    const action = dynamo[2];
    if (flavour === 'optimised' && !['putItem', 'getItem', 'updateItem', 'deleteItem'].includes(action)) {
      throw invalid(`State '${stateName}': unknown DynamoDB optimised integration '${action}'`);
    }
    return { task: { kind: 'dynamodb', action, flavour }, callback };
  }
  if (base === 'arn:aws:states:::states:startExecution' && !callback) {
    return { task: { kind: 'start-execution' }, callback };
  }
  throw invalid(`State '${stateName}': resource '${resource}' is not supported by the local runtime`);
}

/** Throws InvalidDefinition naming the first state that uses JSONata or variables. */
export function rejectUnsupportedLanguage(definition: JsonObject): void {
  if (definition['QueryLanguage'] === 'JSONata') {
    throw invalid(
      'The state machine uses QueryLanguage "JSONata"; the local runtime runs JSONPath only (its interpreter would ignore JSONata silently)',
    );
  }
  walkStates(definition, (name, state) => {
    if (state['QueryLanguage'] === 'JSONata') {
      throw invalid(`State '${name}' uses QueryLanguage "JSONata"; the local runtime runs JSONPath only`);
    }
    const assigns =
      'Assign' in state ||
      (Array.isArray(state['Catch']) && state['Catch'].some((c) => isObject(c) && 'Assign' in c)) ||
      (Array.isArray(state['Choices']) && state['Choices'].some((c) => isObject(c) && 'Assign' in c));
    if (assigns) {
      throw invalid(`State '${name}' uses Assign (variables), which the local runtime does not support`);
    }
    for (const field of ['Arguments', 'Output', 'Condition']) {
      if (field in state) throw invalid(`State '${name}' uses the JSONata field '${field}'; use JSONPath fields`);
    }
  });
}

function walkStates(machine: JsonObject, visit: (name: string, state: JsonObject) => void): void {
  const states = machine['States'];
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    visit(name, state);
    const processor = state['ItemProcessor'] ?? state['Iterator'];
    if (isObject(processor)) walkStates(processor, visit);
    const branches = state['Branches'];
    if (Array.isArray(branches)) for (const branch of branches) if (isObject(branch)) walkStates(branch, visit);
  }
}

const positive = (name: string, field: string, value: Json | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(`State '${name}': ${field} must be a positive integer`);
  }
  return value;
};

/** Validates what the local runtime needs and builds the definition the interpreter runs. */
/**
 * The interpreter sets `$$.Execution.StartTime` from the wall clock; paths to it are pointed at this field of the
 * context instead, which the engine fills from the runtime's clock (simulated or real), as AWS's start time is.
 */
export const RUNTIME_START_TIME_FIELD = 'RuntimeStartTime';

export function prepareDefinition(definition: JsonObject): PreparedDefinition {
  rejectUnsupportedLanguage(definition);
  const runnable = JSON.parse(
    JSON.stringify(definition).replaceAll('$$.Execution.StartTime', () => `$$.Execution.${RUNTIME_START_TIME_FIELD}`),
  ) as JsonObject;
  const states = new Map<string, StateSpec>();
  const timeoutSeconds = positive('(machine)', 'TimeoutSeconds', runnable['TimeoutSeconds']);
  delete runnable['TimeoutSeconds'];
  walkStates(runnable, (name, state) => {
    if (states.has(name)) throw invalid(`State name '${name}' is used twice; state names must be unique`);
    const type = state['Type'];
    if (type === 'Task') states.set(name, prepareTask(name, state));
    else if (type === 'Wait') states.set(name, prepareWait(name, state));
    else if (type === 'Pass' || type === 'Choice' || type === 'Succeed' || type === 'Fail' || type === 'Map' || type === 'Parallel') {
      states.set(name, { type, name });
    } else throw invalid(`State '${name}' has an unknown Type`);
  });
  return { runnable, states, timeoutSeconds };
}

function prepareTask(name: string, state: JsonObject): TaskSpec {
  const resource = state['Resource'];
  if (typeof resource !== 'string') throw invalid(`State '${name}' has no Resource`);
  if ('Credentials' in state) throw invalid(`State '${name}': Credentials is not supported by the local runtime`);
  const { task, callback } = classifyResource(name, resource);
  if (callback && !JSON.stringify(state['Parameters'] ?? null).includes('$$.Task.Token')) {
    throw invalid(`State '${name}' waits for a task token but its Parameters never pass $$.Task.Token`);
  }
  if ((task.kind === 'lambda-invoke' || task.kind === 'dynamodb') && !isObject(state['Parameters'])) {
    throw invalid(`State '${name}': resource '${resource}' needs Parameters`);
  }
  const timeoutSeconds = positive(name, 'TimeoutSeconds', state['TimeoutSeconds']);
  const heartbeatSeconds = positive(name, 'HeartbeatSeconds', state['HeartbeatSeconds']);
  if (heartbeatSeconds !== undefined && timeoutSeconds !== undefined && heartbeatSeconds >= timeoutSeconds) {
    throw invalid(`State '${name}': HeartbeatSeconds must be smaller than TimeoutSeconds`);
  }
  const timeoutSecondsPath = referencePath(name, 'TimeoutSecondsPath', state['TimeoutSecondsPath']);
  const heartbeatSecondsPath = referencePath(name, 'HeartbeatSecondsPath', state['HeartbeatSecondsPath']);
  if (timeoutSecondsPath !== undefined && timeoutSeconds !== undefined) {
    throw invalid(`State '${name}': TimeoutSeconds and TimeoutSecondsPath cannot both be set`);
  }
  if (heartbeatSecondsPath !== undefined && heartbeatSeconds !== undefined) {
    throw invalid(`State '${name}': HeartbeatSeconds and HeartbeatSecondsPath cannot both be set`);
  }
  if (timeoutSecondsPath !== undefined || heartbeatSecondsPath !== undefined) {
    // Parameters are evaluated against the input after InputPath, which is what the paths refer to.
    const wrapper: JsonObject =
      'Parameters' in state ? { [DYNAMIC_TIMEOUTS_KEY]: state['Parameters'] ?? null } : { [`${DYNAMIC_TIMEOUTS_KEY}.$`]: '$' };
    if (timeoutSecondsPath !== undefined) wrapper['timeoutSeconds.$'] = timeoutSecondsPath;
    if (heartbeatSecondsPath !== undefined) wrapper['heartbeatSeconds.$'] = heartbeatSecondsPath;
    state['Parameters'] = wrapper;
  }
  state['TimeoutSeconds'] = INTERPRETER_TASK_TIMEOUT_SECONDS;
  delete state['HeartbeatSeconds'];
  delete state['TimeoutSecondsPath'];
  delete state['HeartbeatSecondsPath'];
  return {
    type: 'Task',
    name,
    resource,
    task,
    callback,
    timeoutSeconds,
    heartbeatSeconds,
    ...(timeoutSecondsPath === undefined ? {} : { timeoutSecondsPath }),
    ...(heartbeatSecondsPath === undefined ? {} : { heartbeatSecondsPath }),
  };
}

const referencePath = (name: string, field: string, value: Json | undefined): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.startsWith('$'))
    throw invalid(`State '${name}': ${field} must be a reference path starting with '$'`);
  return value;
};

/** A Wait becomes a Task whose Parameters carry the effective input and the wait spec, evaluated by the interpreter. */
function prepareWait(name: string, state: JsonObject): WaitSpec {
  const parameters: JsonObject = { 'input.$': '$' };
  if (typeof state['Seconds'] === 'number') parameters['seconds'] = state['Seconds'];
  else if (typeof state['Timestamp'] === 'string') parameters['timestamp'] = state['Timestamp'];
  else if (typeof state['SecondsPath'] === 'string') parameters['seconds.$'] = state['SecondsPath'];
  else if (typeof state['TimestampPath'] === 'string') parameters['timestamp.$'] = state['TimestampPath'];
  else throw invalid(`State '${name}': a Wait needs Seconds, Timestamp, SecondsPath or TimestampPath`);
  delete state['Seconds'];
  delete state['Timestamp'];
  delete state['SecondsPath'];
  delete state['TimestampPath'];
  state['Type'] = 'Task';
  state['Resource'] = LOCAL_WAIT_RESOURCE;
  state['Parameters'] = parameters;
  state['TimeoutSeconds'] = INTERPRETER_TASK_TIMEOUT_SECONDS;
  return { type: 'Wait', name };
}
