/** The AWS JSON 1.0 wire protocol of Step Functions (`X-Amz-Target: AWSStepFunctions.<Operation>`). */
import type { Engine } from './engine.ts';
import { SfnApiError } from './errors.ts';
import { utf8Bytes } from './limits.ts';
import type { LiveExecution } from './live.ts';
import { VirtualClock } from '../clock.ts';

type Body = Record<string, unknown>;
type Operation = (engine: Engine, body: Body) => Promise<Body> | Body;

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

function str(body: Body, field: string, required: true): string;
function str(body: Body, field: string, required?: false): string | undefined;
function str(body: Body, field: string, required = false): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw new SfnApiError('ValidationException', `1 validation error detected: '${field}' must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new SfnApiError('ValidationException', `'${field}' must be a string`);
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
  };
}

function page<T>(items: T[], body: Body): { items: T[]; nextToken?: string } {
  const max = typeof body['maxResults'] === 'number' && body['maxResults'] > 0 ? body['maxResults'] : 1000;
  const start = Number.parseInt(str(body, 'nextToken') ?? '0', 10) || 0;
  const slice = items.slice(start, start + max);
  return start + max < items.length ? { items: slice, nextToken: String(start + max) } : { items: slice };
}

export const operations: Record<string, Operation> = {
  async CreateStateMachine(engine, body) {
    const m = await engine.createStateMachine(str(body, 'name', true), str(body, 'definition', true), str(body, 'roleArn'));
    return { stateMachineArn: m.arn, creationDate: seconds(m.createdAt) };
  },
  async UpdateStateMachine(engine, body) {
    const current = engine.machine(str(body, 'stateMachineArn', true));
    const definition = str(body, 'definition') ?? current.definition;
    await engine.createStateMachine(current.name, definition, str(body, 'roleArn') ?? current.roleArn, true);
    return { updateDate: seconds(engine.clock.now()) };
  },
  DescribeStateMachine(engine, body) {
    const m = engine.machine(str(body, 'stateMachineArn', true));
    return {
      stateMachineArn: m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: m.definition,
      roleArn: m.roleArn,
      type: 'STANDARD',
      creationDate: seconds(m.createdAt),
    };
  },
  ListStateMachines(engine, body) {
    const all = engine
      .machines()
      .map((m) => ({ stateMachineArn: m.arn, name: m.name, type: 'STANDARD', creationDate: seconds(m.createdAt) }));
    const { items, nextToken } = page(all, body);
    return { stateMachines: items, ...(nextToken === undefined ? {} : { nextToken }) };
  },
  async StartExecution(engine, body) {
    const e = await engine.startExecution(str(body, 'stateMachineArn', true), str(body, 'input') ?? '{}', str(body, 'name'));
    return { executionArn: e.record.arn, startDate: seconds(e.record.startedAt) };
  },
  DescribeExecution(engine, body) {
    const e = engine.execution(str(body, 'executionArn', true));
    const r = e.record;
    return {
      ...summary(e),
      input: r.input,
      inputDetails: { included: true },
      ...(r.output === undefined ? {} : { output: r.output, outputDetails: { included: true } }),
      ...(r.error === undefined ? {} : { error: r.error }),
      ...(r.cause === undefined ? {} : { cause: r.cause }),
    };
  },
  ListExecutions(engine, body) {
    const filter = str(body, 'statusFilter');
    const all = engine.executions(str(body, 'stateMachineArn', true)).filter((e) => filter === undefined || e.record.status === filter);
    const { items, nextToken } = page(all.map(summary), body);
    return { executions: items, ...(nextToken === undefined ? {} : { nextToken }) };
  },
  async StopExecution(engine, body) {
    const stoppedAt = await engine.stopExecution(str(body, 'executionArn', true), str(body, 'error'), str(body, 'cause'));
    return { stopDate: seconds(stoppedAt) };
  },
  GetExecutionHistory(engine, body) {
    const events = engine.history(str(body, 'executionArn', true)).map((event) => ({
      id: event.id,
      previousEventId: event.previousEventId,
      timestamp: seconds(event.timestamp),
      type: event.type,
      ...(event.details === undefined ? {} : { [event.details.key]: event.details.value }),
    }));
    if (body['reverseOrder'] === true) events.reverse();
    const { items, nextToken } = page(events, body);
    return { events: items, ...(nextToken === undefined ? {} : { nextToken }) };
  },
  async SendTaskSuccess(engine, body) {
    const output = str(body, 'output', true);
    if (utf8Bytes(output) > engine.limits.payloadBytes) {
      throw new SfnApiError(
        'ValidationException',
        `1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to ${engine.limits.payloadBytes}`,
      );
    }
    await engine.sendTaskSuccess(token(body), output);
    return {};
  },
  async SendTaskFailure(engine, body) {
    await engine.sendTaskFailure(token(body), str(body, 'error') ?? '', str(body, 'cause') ?? '');
    return {};
  },
  async SendTaskHeartbeat(engine, body) {
    await engine.sendTaskHeartbeat(token(body));
    return {};
  },
};

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
