/**
 * The Step Functions quotas the local engine enforces, so that what AWS would refuse fails here too
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, Standard workflows):
 * 256 KiB of UTF-8 for an execution's input, a state's input or output and a task's result; 25,000 history
 * events; one year of execution. Tests may lower them to reach them quickly.
 */
export interface SfnLimits {
  /** Largest input, output or task result, in bytes of UTF-8. */
  payloadBytes: number;
  /** Most events an execution's history may hold. */
  historyEvents: number;
  /** Longest an execution may run, in milliseconds. */
  executionMs: number;
}

export const AWS_SFN_LIMITS: Readonly<SfnLimits> = {
  payloadBytes: 262_144,
  historyEvents: 25_000,
  executionMs: 365 * 86_400_000,
};

/** The label suffix of the timer that ends an execution at the maximum duration. */
export const MAXIMUM_DURATION = '(execution) maximum-duration';

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The cause AWS gives when a state's result is over the limit. */
export const dataLimitCause = (stateName: string): string =>
  `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`;

export const historyLimitCause = (limit: number): string => `The execution reached the maximum number of history events (${limit}).`;
