/**
 * Helpers the adapters share (list keys and summaries, idempotency expiry, execution ARNs, stored copies) and the
 * errors adapters raise. The ports they implement, the directory writer and the mail log among them, are in
 * domain/ports.ts and domain/<feature>/ports.ts.
 */
import type { Application, Instant } from '#domain/applications/application.ts';
import type { Organisation } from '#domain/partnership.ts';
import type { ApplicationSummary, DirectoryOrganisation } from '#domain/ports.ts';

/** A list cursor that this store did not issue, or issued for another list. */
export class InvalidCursorError extends Error {
  constructor(message = 'The cursor is not valid for this list') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

/** `complete` was called for an idempotency key with no live claim. */
export class IdempotencyRecordNotFoundError extends Error {
  constructor(message = 'No idempotency claim exists for this key') {
    super(message);
    this.name = 'IdempotencyRecordNotFoundError';
  }
}

/** How long an idempotency record lives (24 hours), in seconds. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** Epoch seconds after which an idempotency record claimed at `at` counts as absent. */
export function idempotencyExpiry(at: Instant): number {
  return Math.floor(Date.parse(at) / 1000) + IDEMPOTENCY_TTL_SECONDS;
}

/** True when a record with `expiresAt` no longer counts at `at` (TTL deletion is lazy). */
export function isExpired(expiresAt: number, at: Instant): boolean {
  return expiresAt <= Math.floor(Date.parse(at) / 1000);
}

/** The summary a party membership carries, ordered in lists by `createdAt#id`. */
export function listSortKey(createdAt: Instant, id: string): string {
  return `${createdAt}#${id}`;
}

/** Execution ARN of `name` started on `stateMachineArn` (`...:stateMachine:<m>` → `...:execution:<m>:<name>`). */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const match = /^(arn:[^:]+:states:[^:]*:[^:]*):stateMachine:([^:]+)$/.exec(stateMachineArn);
  if (match?.[1] === undefined || match[2] === undefined) throw new Error('Not a state machine ARN');
  return `${match[1]}:execution:${match[2]}:${name}`;
}

/**
 * Whether a save can leave the list entries as they are: only the status and the parties change them
 * (the summary's `updatedAt` is when the status last changed).
 */
export function listEntriesUnchanged(previous: Application | undefined, next: Application): boolean {
  return (
    previous !== undefined &&
    previous.status === next.status &&
    previous.parties.length === next.parties.length &&
    previous.parties.every((p, i) => next.parties[i] === p)
  );
}

/** What a list shows of an application (kept on each party membership). */
export function summarise(app: Application): ApplicationSummary {
  return {
    id: app.id,
    status: app.status,
    personRef: app.personRef,
    requestedStartDate: app.requestedStartDate,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

/** The domain organisation, without the directory's partnership list. */
export function toOrganisation(org: DirectoryOrganisation): Organisation {
  return { code: org.code, kind: org.kind, name: org.name, email: org.email };
}

/**
 * A deep copy as the table would return it: the document client is built with `removeUndefinedValues`, so
 * undefined object properties and list elements are dropped. The in-memory twins copy through this.
 */
export function asStored<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(strip);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) copy[k] = strip(v);
    return copy;
  }
  return structuredClone(value);
}
