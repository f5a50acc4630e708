/** In-process Lambda functions: a registry of handlers, a realistic invocation context, and error names. */
import { randomBytes, randomUUID } from 'node:crypto';
import { TaskError } from './errors.ts';

export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(message: unknown): void;
}

export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface LambdaFunction {
  handler: LambdaHandler;
  timeoutSeconds?: number;
  memoryMb?: number;
}

export const LOCAL_REGION = 'eu-west-2';
export const LOCAL_ACCOUNT = '000000000000';

export const functionArn = (name: string): string => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

/** Accepts a name, a full or partial ARN, with or without a qualifier, as Lambda's FunctionName does. */
export function functionNameOf(reference: string): string {
  const parts = reference.split(':');
  if (reference.startsWith('arn:')) return parts[6] ?? reference;
  if (parts.length === 3 && parts[1] === 'function') return parts[2] ?? reference;
  return parts[0] ?? reference;
}

const notSupported = (): never => {
  throw new Error('context.done/fail/succeed are not supported; return or throw from an async handler');
};

export function makeContext(name: string, fn: LambdaFunction, now: () => number = Date.now): LambdaContext {
  const deadline = now() + (fn.timeoutSeconds ?? 30) * 1000;
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(name),
    memoryLimitInMB: String(fn.memoryMb ?? 1024),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: notSupported,
    fail: notSupported,
    succeed: notSupported,
  };
}

export class FunctionRegistry {
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #functions = new Map<string, LambdaFunction>();

  register(name: string, fn: LambdaHandler | LambdaFunction): void {
    this.#functions.set(name, typeof fn === 'function' ? { handler: fn } : fn);
  }

  has(name: string): boolean {
    return this.#functions.has(name);
  }

  /** The handler of a registered function (for the API stand-in, which builds its own context). */
  get(name: string): LambdaHandler {
    const fn = this.#functions.get(name);
    if (fn === undefined) throw new Error(`No function named '${name}'`);
    return fn.handler;
  }

  names(): string[] {
    return [...this.#functions.keys()];
  }

  /** Invokes like Lambda's RequestResponse: a cloned event, a fresh context; thrown errors keep their name. */
  async invoke(reference: string, event: unknown): Promise<unknown> {
    const name = functionNameOf(reference);
    const fn = this.#functions.get(name);
    if (fn === undefined) {
      throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${functionArn(name)}`);
    }
    const running = this.track(fn.handler(structuredClone(event), makeContext(name, fn)));
    try {
      const result = await running;
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (error) {
      throw toLambdaError(error);
    }
  }

  /** Counts a handler run as in flight until it settles, so a shutdown can wait for it. */
  track<T>(run: Promise<T>): Promise<T> {
    this.#inFlight.add(run);
    void run.then(
      () => this.#inFlight.delete(run),
      () => this.#inFlight.delete(run),
    );
    return run;
  }

  /** Waits (at most `timeoutMs`) for handler runs in flight, so nothing writes after the stand-ins close. */
  async settle(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([
        Promise.allSettled([...this.#inFlight]),
        new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()))),
      ]);
    }
  }
}

/** As Step Functions reports a Lambda failure: the error type as name, a JSON cause. */
export function toLambdaError(error: unknown): TaskError {
  if (error instanceof TaskError) return error;
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  return new TaskError(errorType, JSON.stringify({ errorType, errorMessage }));
}
