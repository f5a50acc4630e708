/**
 * The ports the application layer needs. Adapters in functions/adapters implement them against
 * DynamoDB, SES and Step Functions (locally: dynalite, aws-ses-v2-local and the local SFN server).
 */
import type { Application, ApplicationStatus, Instant } from './applications/application.ts';
import type { LocalDate } from './dates.ts';
import type { OrgCode } from './facts.ts';
import type { Organisation, Partnership } from './partnership.ts';

export interface Clock {
  now(): Instant;
  today(): LocalDate;
}

export interface ApplicationSummary {
  id: string;
  status: ApplicationStatus;
  personRef: string;
  requestedStartDate: LocalDate;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

export interface ApplicationStore {
  /** Creates the application unless one with its id exists; 'exists' makes creation idempotent. */
  create(app: Application): Promise<'created' | 'exists'>;
  get(id: string): Promise<Application | null>;
  /**
   * Writes `app` if the stored version is still `app.version - 1`; otherwise throws ConcurrentUpdateError.
   * `previous` is the version being replaced: when given, and neither the status nor the parties changed,
   * the list entries (whose summary changes only with them) are not rewritten.
   * `answeredAt`: write only if the stored application's `responseDeadline`, when it has one, is after this instant
   * (an answer's save, issue 12); otherwise, too, ConcurrentUpdateError, so the caller re-reads and decides again.
   */
  save(app: Application, previous?: Application, condition?: { answeredAt: Instant }): Promise<void>;
  /** Applications an organisation is party to, newest first, optionally with one status. */
  listForOrganisation(
    org: OrgCode,
    options: { status?: ApplicationStatus; limit: number; cursor?: string },
  ): Promise<Page<ApplicationSummary>>;
}

export interface ChronologyActor {
  userId?: string;
  org?: OrgCode;
  /** For entries written by the system: the workflow step or service that wrote it. */
  system?: string;
}

export interface ChronologyEntry {
  sequence: number;
  at: Instant;
  type: string;
  actor: ChronologyActor;
  applicationId?: string;
  data: Record<string, unknown>;
}

export interface NewChronologyEntry {
  /** Appending twice with the same key appends once and returns the first entry (retries are safe). */
  key: string;
  at: Instant;
  type: string;
  actor: ChronologyActor;
  applicationId?: string;
  data: Record<string, unknown>;
}

/** The person's append-only chronology: the joint s117 record. */
export interface Chronology {
  append(personRef: string, entry: NewChronologyEntry): Promise<ChronologyEntry>;
  list(personRef: string, options?: { applicationId?: string }): Promise<ChronologyEntry[]>;
}

/** What a completed request answered: its status and the resource it made, never the body (it holds personal data). */
export interface IdempotentResult {
  statusCode: number;
  resourceId: string;
}

export interface IdempotencyRecord {
  /** SHA-256 of the canonical request body; the body itself is never stored. */
  requestHash: string;
  status: 'in-progress' | 'completed';
  response?: IdempotentResult;
  startedAt: Instant;
}

export interface IdempotencyStore {
  /** Claims the key for a request; returns the existing record if the key is taken (in-progress claims lapse after 24 hours). */
  claim(
    scope: string,
    key: string,
    requestHash: string,
    at: Instant,
  ): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }>;
  /** Records the result; a completed record is kept for good, so a key reused at any age is compared. */
  complete(scope: string, key: string, response: IdempotentResult): Promise<void>;
  /** Takes over an in-progress claim older than `staleBefore` (the first attempt died). */
  reclaim(scope: string, key: string, startedAt: Instant, at: Instant): Promise<boolean>;
  /** Gives up the in-progress claim started at `startedAt` (its attempt failed), so a retry need not wait for it. */
  release(scope: string, key: string, startedAt: Instant): Promise<void>;
}

export interface Directory {
  partnership(id: string): Promise<Partnership | null>;
  organisation(code: OrgCode): Promise<Organisation | null>;
  organisations(): Promise<Organisation[]>;
  partnershipsOf(org: OrgCode): Promise<string[]>;
}

/**
 * A hand-off from a saved answer to the workflow waiting for it (`purpose` names the token, e.g. `response-icb`).
 * Written before the answer is saved and removed once the workflow has been resumed (or has moved on), so an
 * answer saved by a request that died before resuming its workflow is found and re-sent by the reconciler.
 */
export interface HandOff {
  applicationId: string;
  purpose: string;
  at: Instant;
}

/** The outbox of hand-offs not yet known to be delivered. */
export interface HandOffOutbox {
  put(handOff: HandOff): Promise<void>;
  /** At most `limit` pending hand-offs, oldest key first. */
  list(limit: number): Promise<HandOff[]>;
  remove(ref: { applicationId: string; purpose: string }): Promise<void>;
}

/** A Step Functions task token waiting for an organisation's answer. Never logged, never in a link. */
export interface TaskTokenStore {
  put(ref: { applicationId: string; purpose: string }, token: string, at: Instant): Promise<void>;
  get(ref: { applicationId: string; purpose: string }): Promise<string | null>;
  remove(ref: { applicationId: string; purpose: string }): Promise<void>;
}

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Why the mail was sent, for bounce tracking; never personal data. */
  tags?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

export interface Workflow {
  /** Starts an execution named `name`; starting the same name with the same input again is a no-op. */
  start(stateMachineArn: string, name: string, input: unknown): Promise<{ executionArn: string }>;
  /** Resumes a waiting task. Resolves 'gone' when the token was used or timed out (the workflow moved on). */
  succeed(token: string, output: unknown): Promise<'resumed' | 'gone'>;
}

/** The roles a directory user has (the token's `custom:role`). */
export const USER_ROLES = ['commissioner', 'panel', 'finance', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** An organisation as the directory stores it: the domain organisation plus the partnerships it belongs to. */
export interface DirectoryOrganisation extends Organisation {
  partnerships: string[];
}

export interface DirectoryUser {
  id: string;
  name: string;
  email: string;
  org: OrgCode;
  role: UserRole;
}

/** Seeds the directory. Every put replaces the record with the same key, so seeding twice changes nothing. */
export interface DirectoryWriter {
  putOrganisation(org: DirectoryOrganisation): Promise<void>;
  putPartnership(partnership: Partnership): Promise<void>;
  putUser(user: DirectoryUser): Promise<void>;
}

/** Which notifications went out, so a retried task does not send the same mail twice. */
export interface MailLog {
  wasSent(applicationId: string, purpose: string, recipient: string): Promise<boolean>;
  markSent(applicationId: string, purpose: string, recipient: string, at: Instant): Promise<void>;
}
