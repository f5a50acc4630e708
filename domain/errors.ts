/**
 * The one errors module. Business outcomes are data, not errors: a refused request is an outcome of kind
 * 'rejected' carrying a `RejectionCode`, which the edge maps to an HTTP status in one place
 * (functions/shared/http-errors.ts). Errors are for broken expectations the application layer must react
 * to; every one extends S117Error, keeps the error it wraps as `cause`, and sets `name` explicitly (it
 * survives minification, and Step Functions matches it in ErrorEquals).
 */
export abstract class S117Error extends Error {}

/** Why a domain decision refused a request; the edge maps each to its HTTP status. */
export type RejectionCode =
  /** The caller's organisation is not the body the decision belongs to. */
  | 'not-responsible-body'
  /** The body already decided, differently; a decision is not changed, only disputed. */
  | 'already-decided'
  /** The record has moved on and takes no more decisions. */
  | 'closed'
  /** The request contradicts itself (a dispute naming the disputing body as responsible). */
  | 'contradictory'
  /** A field names something the request may not name (a dispute's proposed body outside the partnership). */
  | 'invalid-reference';

export interface Rejection {
  kind: 'rejected';
  code: RejectionCode;
  /** Plain English for the person who asked; no personal data. */
  reason: string;
  /** The request field at fault, when one is. */
  field?: string;
}

export class ConcurrentUpdateError extends S117Error {
  constructor(message = 'The record changed since it was read', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConcurrentUpdateError';
  }
}

export class ApplicationNotFoundError extends S117Error {
  constructor(id: string, options?: { cause?: unknown }) {
    super(`Application ${id} not found`, options);
    this.name = 'ApplicationNotFoundError';
  }
}

export class ConfigurationError extends S117Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** A record that was there a moment ago is gone (deleted meanwhile), or a stored object it names is missing. */
export class RecordMissingError extends S117Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordMissingError';
  }
}

/** A stored file's content no longer matches the SHA-256 recorded when it was written: it is not served or read. */
export class StoredObjectIntegrityError extends S117Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoredObjectIntegrityError';
  }
}

/** An AWS service answered without what its contract promises (say, SES without a message id). */
export class UpstreamContractError extends S117Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamContractError';
  }
}

export const WORKFLOW_ERROR_NAMES = ['ConcurrentUpdateError', 'ApplicationNotFoundError', 'ConfigurationError'] as const;
