/**
 * The AWS JSON 1.0 wire protocol of Step Functions (`X-Amz-Target: AWSStepFunctions.<Operation>`).
 *
 * Every member of every supported operation is either honoured or refused with AWS's error name and message
 * shape; none is silently ignored. A member the SDK can send whose feature the local runtime lacks (Express
 * machines, logging, tracing, versions, tags, Map Runs) answers ValidationException saying so; a member the
 * operation does not have answers SerializationException. Conformance: test/local/conformance/sfn.test.ts.
 */
import type { Engine } from './engine.ts';
import { SfnApiError } from './errors.ts';
import type { HistoryEvent } from './history.ts';
import { utf8Bytes } from './limits.ts';
import type { LiveExecution } from './live.ts';
import { VirtualClock } from '../clock.ts';

type Body = Record<string, unknown>;
type Run = (engine: Engine, body: Body) => Promise<Body> | Body;
interface OperationSpec {
  /** Every member of the operation's input in the AWS API model. */
  members: readonly string[];
  run: Run;
}
type Operation = (engine: Engine, body: Body) => Promise<Body> | Body;

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

const validation = (message: string): SfnApiError => new SfnApiError('ValidationException', `1 validation error detected: ${message}`);
const unsupported = (what: string): SfnApiError =>
  new SfnApiError('ValidationException', `${what} is not supported by the local Step Functions runtime (see local/README.md)`);

function str(body: Body, field: string, required: true, maxLength?: number): string;
function str(body: Body, field: string, required?: false, maxLength?: number): string | undefined;
function str(body: Body, field: string, required = false, maxLength?: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw validation(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new SfnApiError('SerializationException', `'${field}' must be a string`);
  if (maxLength !== undefined && value.length > maxLength) {
    throw validation(`Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`);
  }
  return value;
}

function bool(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new SfnApiError('SerializationException', `'${field}' must be a boolean`);
  return value;
}

function oneOf<T extends string>(body: Body, field: string, values: readonly T[]): T | undefined {
  const value = str(body, field);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw validation(
      `Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
  return value as T;
}

function object(body: Body, field: string): Body | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new SfnApiError('SerializationException', `'${field}' must be an object`);
  return value as Body;
}

const ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:([A-Za-z]+):(.+)$/;
const NAME_PART = /^[^:\s]{1,80}$/;

/** A Step Functions ARN of `kind`; a malformed one answers InvalidArn as AWS does. */
function arn(body: Body, field: string, kind: 'stateMachine' | 'execution' | 'mapRun'): string {
  const value = str(body, field, true);
  if (value.length < 1 || value.length > 256) {
    throw validation(`Value '${value}' at '${field}' failed to satisfy constraint: Member must have length between 1 and 256`);
  }
  const m = ARN.exec(value);
  if (m === null) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${value}'`);
  if (m[1] !== kind) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${m[1]}'`);
  const parts = (m[2] ?? '').split(':');
  if (!parts.every((p) => NAME_PART.test(p))) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Invalid resource name: ${m[2]}'`);
  if (kind === 'stateMachine' && parts.length > 1) throw unsupported('A state machine version or alias ARN');
  if (kind === 'execution' && parts.length !== 2) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Invalid execution ARN: ${value}'`);
  return value;
}

function token(body: Body): string {
  const value = str(body, 'taskToken', true);
  if (value.length === 0 || value.length > 2048) throw new SfnApiError('InvalidToken', 'Invalid Token: malformed task token');
  return value;
}

function summary(e: LiveExecution): Body {
  const r = e.record;
  return {
    executionArn: r.arn,
    stateMachineArn: r.machineArn,
    name: r.name,
    status: r.status,
    startDate: seconds(r.startedAt),
    ...(r.stoppedAt === undefined ? {} : { stopDate: seconds(r.stoppedAt) }),
    redriveCount: 0,
  };
}

/** AWS's paging: maxResults 0-1000 (0 or absent: 100); a nextToken the server did not issue answers InvalidToken. */
function page<T>(items: T[], body: Body, operation: string): { items: T[]; nextToken?: string } {
  const raw = body['maxResults'];
  if (raw !== undefined && raw !== null && (typeof raw !== 'number' || !Number.isInteger(raw))) {
    throw new SfnApiError('SerializationException', "'maxResults' must be an integer");
  }
  const maxResults = (raw as number | undefined | null) ?? 0;
  if (maxResults < 0 || maxResults > 1000) {
    throw validation(
      `Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value ${maxResults < 0 ? 'greater than or equal to 0' : 'less than or equal to 1000'}`,
    );
  }
  const max = maxResults === 0 ? 100 : maxResults;
  const given = str(body, 'nextToken', false, 1024);
  let start = 0;
  if (given !== undefined) {
    const m = /^s117:([A-Za-z]+):(\d+)$/.exec(Buffer.from(given, 'base64url').toString('utf8'));
    if (m === null || m[1] !== operation || Number(m[2]) > items.length) throw new SfnApiError('InvalidToken', `Invalid Token: '${given}'`);
    start = Number(m[2]);
  }
  const slice = items.slice(start, start + max);
  return start + max < items.length
    ? { items: slice, nextToken: Buffer.from(`s117:${operation}:${start + max}`, 'utf8').toString('base64url') }
    : { items: slice };
}

/** The optional members of Create/UpdateStateMachine whose features do not exist locally: only their "off" values. */
function refuseMachineOptions(body: Body): void {
  const logging = object(body, 'loggingConfiguration');
  if (logging !== undefined) {
    const level = oneOf(logging, 'level', ['ALL', 'ERROR', 'FATAL', 'OFF'] as const);
    const destinations = logging['destinations'];
    if ((level !== undefined && level !== 'OFF') || (Array.isArray(destinations) && destinations.length > 0)) {
      throw unsupported('loggingConfiguration (CloudWatch Logs)');
    }
  }
  const tracing = object(body, 'tracingConfiguration');
  if (tracing !== undefined && bool(tracing, 'enabled') === true) throw unsupported('tracingConfiguration.enabled (X-Ray)');
  if (bool(body, 'publish') === true) throw unsupported('publish (state machine versions)');
  if (str(body, 'versionDescription') !== undefined) throw validation("'versionDescription' can only be set when 'publish' is true");
  const encryption = object(body, 'encryptionConfiguration');
  if (encryption !== undefined && oneOf(encryption, 'type', ['AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY'] as const) !== 'AWS_OWNED_KEY') {
    throw unsupported('encryptionConfiguration with a customer managed KMS key');
  }
}

function roleArn(body: Body, required: boolean): string | undefined {
  const value = required ? str(body, 'roleArn', true, 256) : str(body, 'roleArn', false, 256);
  if (value !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(value)) {
    throw new SfnApiError('InvalidArn', `Invalid Arn: 'Invalid role ARN: ${value}'`);
  }
  return value;
}

const DEFINITION_MAX = 1_048_576;
const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;
const INCLUDED_DATA = ['ALL_DATA', 'METADATA_ONLY'] as const;
/** Execution data in history event details, left out when includeExecutionData is false. */
const EXECUTION_DATA_FIELDS = new Set(['input', 'inputDetails', 'output', 'outputDetails', 'parameters']);

const specs: Record<string, OperationSpec> = {
  CreateStateMachine: {
    members: [
      'name',
      'definition',
      'roleArn',
      'type',
      'loggingConfiguration',
      'tags',
      'tracingConfiguration',
      'publish',
      'versionDescription',
      'encryptionConfiguration',
    ],
    async run(engine, body) {
      const name = str(body, 'name', true, 80);
      const definition = str(body, 'definition', true, DEFINITION_MAX);
      const role = roleArn(body, true);
      if (oneOf(body, 'type', ['STANDARD', 'EXPRESS'] as const) === 'EXPRESS') throw unsupported("type 'EXPRESS'");
      const tags = body['tags'];
      if (Array.isArray(tags) && tags.length > 0) throw unsupported('tags (TagResource and ListTagsForResource)');
      refuseMachineOptions(body);
      const m = await engine.createStateMachine(name, definition, role);
      return { stateMachineArn: m.arn, creationDate: seconds(m.createdAt) };
    },
  },
  UpdateStateMachine: {
    members: [
      'stateMachineArn',
      'definition',
      'roleArn',
      'loggingConfiguration',
      'tracingConfiguration',
      'publish',
      'versionDescription',
      'encryptionConfiguration',
    ],
    async run(engine, body) {
      const current = engine.machine(arn(body, 'stateMachineArn', 'stateMachine'));
      const definition = str(body, 'definition', false, DEFINITION_MAX);
      const role = roleArn(body, false);
      refuseMachineOptions(body);
      const changes = ['definition', 'roleArn', 'loggingConfiguration', 'tracingConfiguration', 'encryptionConfiguration'];
      if (!changes.some((field) => body[field] !== undefined && body[field] !== null)) {
        throw new SfnApiError(
          'MissingRequiredParameter',
          'Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified',
        );
      }
      await engine.createStateMachine(current.name, definition ?? current.definition, role ?? current.roleArn, true);
      return { updateDate: seconds(engine.clock.now()) };
    },
  },
  DeleteStateMachine: {
    members: ['stateMachineArn'],
    async run(engine, body) {
      await engine.deleteStateMachine(arn(body, 'stateMachineArn', 'stateMachine'));
      return {};
    },
  },
  DescribeStateMachine: {
    members: ['stateMachineArn', 'includedData'],
    run(engine, body) {
      const machineArn = arn(body, 'stateMachineArn', 'stateMachine');
      const metadataOnly = oneOf(body, 'includedData', INCLUDED_DATA) === 'METADATA_ONLY';
      const m = engine.machine(machineArn);
      return {
        stateMachineArn: m.arn,
        name: m.name,
        status: engine.machineStatus(m.arn),
        ...(metadataOnly ? {} : { definition: m.definition }),
        roleArn: m.roleArn,
        type: 'STANDARD',
        creationDate: seconds(m.createdAt),
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
        encryptionConfiguration: { type: 'AWS_OWNED_KEY' },
      };
    },
  },
  ListStateMachines: {
    members: ['maxResults', 'nextToken'],
    run(engine, body) {
      const all = engine
        .machines()
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((m) => ({ stateMachineArn: m.arn, name: m.name, type: 'STANDARD', creationDate: seconds(m.createdAt) }));
      const { items, nextToken } = page(all, body, 'ListStateMachines');
      return { stateMachines: items, ...(nextToken === undefined ? {} : { nextToken }) };
    },
  },
  ValidateStateMachineDefinition: {
    members: ['definition', 'type', 'severity', 'maxResults'],
    run(engine, body) {
      const definition = str(body, 'definition', true, DEFINITION_MAX);
      const type = oneOf(body, 'type', ['STANDARD', 'EXPRESS'] as const);
      oneOf(body, 'severity', ['ERROR', 'WARNING'] as const);
      const maxResults = body['maxResults'] ?? 0;
      if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 0 || maxResults > 100) {
        throw validation(
          `Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 0 and 100`,
        );
      }
      const problem =
        type === 'EXPRESS'
          ? { code: 'SCHEMA_VALIDATION_FAILED', message: "type 'EXPRESS' is not supported by the local Step Functions runtime" }
          : engine.validateDefinition(definition);
      if (problem === undefined) return { result: 'OK', diagnostics: [], truncated: false };
      return { result: 'FAIL', diagnostics: [{ severity: 'ERROR', code: problem.code, message: problem.message }], truncated: false };
    },
  },
  StartExecution: {
    members: ['stateMachineArn', 'name', 'input', 'traceHeader'],
    async run(engine, body) {
      const machineArn = arn(body, 'stateMachineArn', 'stateMachine');
      const name = str(body, 'name', false, 80);
      // traceHeader is honoured as far as there is anything to honour: there is no X-Ray locally. Its bounds are AWS's.
      str(body, 'traceHeader', false, 256);
      const e = await engine.startExecution(machineArn, str(body, 'input') ?? '{}', name);
      return { executionArn: e.record.arn, startDate: seconds(e.record.startedAt) };
    },
  },
  DescribeExecution: {
    members: ['executionArn', 'includedData'],
    run(engine, body) {
      const executionArn = arn(body, 'executionArn', 'execution');
      const metadataOnly = oneOf(body, 'includedData', INCLUDED_DATA) === 'METADATA_ONLY';
      const e = engine.execution(executionArn);
      const r = e.record;
      return {
        ...summary(e),
        ...(metadataOnly ? {} : { input: r.input, inputDetails: { included: true } }),
        ...(r.output === undefined || metadataOnly ? {} : { output: r.output, outputDetails: { included: true } }),
        ...(r.error === undefined ? {} : { error: r.error }),
        ...(r.cause === undefined ? {} : { cause: r.cause }),
      };
    },
  },
  ListExecutions: {
    members: ['stateMachineArn', 'statusFilter', 'maxResults', 'nextToken', 'mapRunArn', 'redriveFilter'],
    run(engine, body) {
      const hasMachine = body['stateMachineArn'] !== undefined && body['stateMachineArn'] !== null;
      const hasMapRun = body['mapRunArn'] !== undefined && body['mapRunArn'] !== null;
      if (hasMachine === hasMapRun) {
        throw new SfnApiError('ValidationException', 'Exactly one of stateMachineArn and mapRunArn must be specified');
      }
      const status = oneOf(body, 'statusFilter', EXECUTION_STATUSES);
      const redrive = oneOf(body, 'redriveFilter', ['REDRIVEN', 'NOT_REDRIVEN'] as const);
      if (hasMapRun) {
        // No Distributed Map runs locally, so no Map Run ARN names anything.
        throw new SfnApiError('ResourceNotFound', `Resource not found: '${arn(body, 'mapRunArn', 'mapRun')}'`);
      }
      // RedriveExecution does not exist locally, so no execution has been redriven (redriveCount is 0).
      const all = engine
        .executions(arn(body, 'stateMachineArn', 'stateMachine'))
        .filter((e) => (status === undefined || e.record.status === status) && redrive !== 'REDRIVEN');
      const { items, nextToken } = page(all.map(summary), body, 'ListExecutions');
      return { executions: items, ...(nextToken === undefined ? {} : { nextToken }) };
    },
  },
  StopExecution: {
    members: ['executionArn', 'error', 'cause'],
    async run(engine, body) {
      const executionArn = arn(body, 'executionArn', 'execution');
      const stoppedAt = await engine.stopExecution(executionArn, str(body, 'error', false, 256), str(body, 'cause', false, 32_768));
      return { stopDate: seconds(stoppedAt) };
    },
  },
  GetExecutionHistory: {
    members: ['executionArn', 'maxResults', 'reverseOrder', 'nextToken', 'includeExecutionData'],
    run(engine, body) {
      const executionArn = arn(body, 'executionArn', 'execution');
      const reverse = bool(body, 'reverseOrder') === true;
      const includeData = bool(body, 'includeExecutionData') !== false;
      const events = engine.history(executionArn).map((event: HistoryEvent) => {
        const details =
          event.details === undefined
            ? undefined
            : includeData
              ? event.details.value
              : Object.fromEntries(Object.entries(event.details.value).filter(([k]) => !EXECUTION_DATA_FIELDS.has(k)));
        return {
          id: event.id,
          previousEventId: event.previousEventId,
          timestamp: seconds(event.timestamp),
          type: event.type,
          ...(event.details === undefined ? {} : { [event.details.key]: details }),
        };
      });
      if (reverse) events.reverse();
      const { items, nextToken } = page(events, body, 'GetExecutionHistory');
      return { events: items, ...(nextToken === undefined ? {} : { nextToken }) };
    },
  },
  SendTaskSuccess: {
    members: ['taskToken', 'output'],
    async run(engine, body) {
      const output = str(body, 'output', true);
      if (utf8Bytes(output) > engine.limits.payloadBytes) {
        throw validation(
          `Value at 'output' failed to satisfy constraint: Member must have length less than or equal to ${engine.limits.payloadBytes}`,
        );
      }
      await engine.sendTaskSuccess(token(body), output);
      return {};
    },
  },
  SendTaskFailure: {
    members: ['taskToken', 'error', 'cause'],
    async run(engine, body) {
      await engine.sendTaskFailure(token(body), str(body, 'error', false, 256) ?? '', str(body, 'cause', false, 32_768) ?? '');
      return {};
    },
  },
  SendTaskHeartbeat: {
    members: ['taskToken'],
    async run(engine, body) {
      await engine.sendTaskHeartbeat(token(body));
      return {};
    },
  },
};

/** A member the operation does not have is refused, never ignored. */
function withMembers(name: string, spec: OperationSpec): Operation {
  return (engine, body) => {
    const unknown = Object.keys(body).filter((k) => !spec.members.includes(k));
    if (unknown.length > 0) {
      throw new SfnApiError('SerializationException', `${name} has no member ${unknown.map((k) => `'${k}'`).join(', ')}`);
    }
    return spec.run(engine, body);
  };
}

export const operations: Record<string, Operation> = Object.fromEntries(
  Object.entries(specs).map(([name, spec]) => [name, withMembers(name, spec)]),
);

/** Local-only operations (`X-Amz-Target: S117Local.<Operation>`): inspect and move the simulated clock. */
export const adminOperations: Record<string, Operation> = {
  DescribeClock(engine) {
    return { mode: engine.clock.mode, now: engine.clock.now(), pendingTimers: engine.clock.pending() };
  },
  AdvanceClock(engine, body) {
    const clock = engine.clock;
    if (!(clock instanceof VirtualClock)) {
      throw new SfnApiError('ValidationException', 'AdvanceClock needs the runtime started with the virtual clock');
    }
    const ms = body['milliseconds'];
    if (typeof ms !== 'number' || !(ms >= 0)) throw new SfnApiError('ValidationException', "'milliseconds' must be a non-negative number");
    const fired = clock.advance(ms);
    return { now: clock.now(), fired };
  },
};
