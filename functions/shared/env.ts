/**
 * The functions' configuration: read once from the environment through one schema, failing fast with the
 * names of the missing or malformed variables (never their values).
 * `env()` parses on first call, so importing a handler in a test does not throw before the test sets the
 * environment. No other module reads `process.env`.
 */
import * as z from 'zod';
import { ConfigurationError } from '#domain/errors.ts';

export const envSchema = z.object({
  REGISTER_TABLE_NAME: z.string().min(1),
  /** Only the functions that start workflows have it (tasks must not: the state machine references them). */
  FUNDING_STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** Only request-panel-decision has it: the reminder loop it starts for each panel request (issue 5). */
  PANEL_REMINDERS_STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** The register's review schedule (issue 8): only the functions that start it have it. */
  REVIEW_STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** The register's ending-recommendation workflow (the joint panel decides an ending): only recommend-ending has it. */
  ENDING_STATE_MACHINE_ARN: z.string().min(1).optional(),
  MAIL_FROM: z.string().regex(/^[^@\s]+@[^@\s]+$/, { error: 'must be an email address' }),
  APP_BASE_URL: z.url(),
  /**
   * Only the functions that turn NHS numbers into person references have it: the id (ARN in AWS, name locally) of
   * the Secrets Manager secret holding the person-reference HMAC key, read at run time (adapters/secrets), never
   * the key itself.
   */
  PERSON_REF_KEY_SECRET: z.string().min(1).optional(),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
  /** Finance exports (issue 6): the bucket, the export workflow, the download links' lifetime, the inline limit. */
  EXPORTS_BUCKET: z.string().min(1).optional(),
  EXPORT_STATE_MACHINE_ARN: z.string().min(1).optional(),
  EXPORT_LINK_EXPIRY_SECONDS: z.coerce.number().int().min(60).max(604_800).optional(),
  EXPORT_INLINE_MAX_CASES: z.coerce.number().int().min(0).max(100_000).optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Parses an environment; throws ConfigurationError naming each bad variable. */
export function parseEnv(source: Readonly<Record<string, string | undefined>>): Env {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '(environment)')))];
  throw new ConfigurationError(`Missing or invalid environment variables: ${names.join(', ')}`);
}

let cached: Env | undefined;

/** A variable this function needs but the schema leaves optional; missing means a deployment mistake. */
export function required<K extends keyof Env>(e: Env, name: K): NonNullable<Env[K]> {
  const value = e[name];
  if (value === undefined || value === null) throw new ConfigurationError(`Missing environment variable: ${String(name)}`);
  return value as NonNullable<Env[K]>;
}

/** The process environment, parsed on first use and then kept for the life of the container. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forgets the parsed environment, so a test can set another one. */
export function resetEnv(): void {
  cached = undefined;
}
