/** The ports and settings the API use-cases take as arguments (built once per cold start by api-deps.ts). */
import type {
  ApplicationStore,
  Chronology,
  Clock,
  Directory,
  HandOffOutbox,
  IdempotencyStore,
  TaskTokenStore,
  Workflow,
} from '#domain/ports.ts';

export interface ApiDeps {
  applications: ApplicationStore;
  chronology: Chronology;
  idempotency: IdempotencyStore;
  directory: Directory;
  tokens: TaskTokenStore;
  /** Answers saved but not yet known to have resumed their workflow (the reconciler re-sends them). */
  handOffs: HandOffOutbox;
  workflow: Workflow;
  clock: Clock;
  /** The funding application state machine. */
  stateMachineArn: string;
  /** The key of the person reference HMAC, from Secrets Manager (cached per container). Never logged. */
  personRefKey: () => Promise<string>;
}
