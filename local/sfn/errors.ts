/** Errors of the Step Functions wire API, serialised as `{"__type":"com.amazonaws.sfn#<code>","message":...}`. */
export class SfnApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = 'SfnApiError';
    this.code = code;
    this.status = status;
  }
}

/** An error raised inside an execution; `name` is the ASL error name that Retry and Catch match. */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export const STATES_TIMEOUT = 'States.Timeout';
export const STATES_HEARTBEAT_TIMEOUT = 'States.HeartbeatTimeout';
