/**
 * Errors as RFC 9457 problem details (`application/problem+json`). Use-cases throw `ProblemError` for the
 * 4xx answers they decide on; known domain errors map to 4xx through `KNOWN_ERRORS`; anything else is a
 * bare 500 that says nothing about the internals.
 */
import { S117Error, type Rejection, type RejectionCode } from '#domain/errors.ts';
export interface FieldProblem {
  /** Where the problem is: `body.person.nhsNumber`, `query.limit`, `headers.idempotency-key`. */
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldProblem[];
}

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422;

const TITLES: Record<ProblemStatus | 500, { title: string; type: string }> = {
  400: { title: 'Bad Request', type: 'urn:s117:problem:invalid-request' },
  401: { title: 'Unauthorized', type: 'urn:s117:problem:unauthenticated' },
  403: { title: 'Forbidden', type: 'urn:s117:problem:forbidden' },
  404: { title: 'Not Found', type: 'urn:s117:problem:not-found' },
  409: { title: 'Conflict', type: 'urn:s117:problem:conflict' },
  410: { title: 'Gone', type: 'urn:s117:problem:gone' },
  413: { title: 'Content Too Large', type: 'urn:s117:problem:too-large' },
  415: { title: 'Unsupported Media Type', type: 'urn:s117:problem:unsupported-media-type' },
  422: { title: 'Unprocessable Content', type: 'urn:s117:problem:unprocessable' },
  500: { title: 'Internal Server Error', type: 'about:blank' },
};

/** A 4xx answer a use-case or the middleware decided on, with the fields at fault. */
export class ProblemError extends S117Error {
  readonly status: ProblemStatus;
  readonly errors: FieldProblem[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(status: ProblemStatus, detail: string, options: { errors?: FieldProblem[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

/** The one map from a domain decision's rejection to the HTTP status the API answers it with. */
export const REJECTION_STATUS: Readonly<Record<RejectionCode, ProblemStatus>> = {
  'not-responsible-body': 403,
  'already-decided': 409,
  closed: 409,
  contradictory: 409,
  'invalid-reference': 422,
};

/** The problem a rejected domain decision answers with: its status by code, its reason as the detail. */
export const rejectionProblem = (rejection: Rejection): ProblemError =>
  rejection.field === undefined
    ? new ProblemError(REJECTION_STATUS[rejection.code], rejection.reason)
    : new ProblemError(REJECTION_STATUS[rejection.code], `The ${rejection.field} ${rejection.reason}.`, {
        errors: [{ field: `body.${rejection.field}`, message: rejection.reason }],
      });

/** Domain errors the API answers with a 4xx, by `name`. */
export const KNOWN_ERRORS: ReadonlyMap<string, { status: ProblemStatus; detail: string; errors?: FieldProblem[] }> = new Map([
  [
    'ConcurrentUpdateError',
    { status: 409, detail: 'The application changed while this request was being handled; read it again and retry.' },
  ],
  ['ApplicationNotFoundError', { status: 404, detail: 'No such application.' }],
  [
    'ItemTooLargeError',
    {
      status: 413,
      detail: "The record this request would write is over DynamoDB's 409600-byte (400 KB) item limit.",
      errors: [{ field: 'body', message: 'makes a record over the 409600-byte item limit' }],
    },
  ],
  [
    'InvalidCursorError',
    {
      status: 400,
      detail: 'The cursor was not issued for this list.',
      errors: [{ field: 'query.cursor', message: 'is not a cursor this list issued' }],
    },
  ],
]);

export interface ProblemResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemBody(status: ProblemStatus | 500, detail: string, instance: string, errors?: FieldProblem[]): Problem {
  const { title, type } = TITLES[status];
  const problem: Problem = { type, title, status, detail, instance };
  if (errors !== undefined && errors.length > 0) problem.errors = errors;
  return problem;
}

/** The problem answer for any error: ProblemError and known errors as 4xx, everything else a bare 500. */
export function toProblemResponse(error: unknown, instance: string): ProblemResponse {
  let problem: Problem;
  let extra: Record<string, string> = {};
  if (error instanceof ProblemError) {
    problem = problemBody(error.status, error.message, instance, error.errors);
    extra = error.headers ?? {};
  } else {
    const known = error instanceof Error ? KNOWN_ERRORS.get(error.name) : undefined;
    problem =
      known === undefined
        ? problemBody(500, 'The server could not complete the request.', instance)
        : problemBody(known.status, known.detail, instance, known.errors);
  }
  return {
    statusCode: problem.status,
    headers: { ...extra, 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
    body: JSON.stringify(problem),
  };
}
