/**
 * Secrets read from AWS Secrets Manager through Powertools Parameters (issue 15 item 5): a function's environment
 * holds only the secret's id (its ARN in AWS, its name locally, where local/secrets.ts answers GetSecretValue as
 * Secrets Manager does, at AWS_ENDPOINT_URL_SECRETS_MANAGER). Each secret is fetched once per container, on the
 * first request that needs it after a cold start, and kept for the life of the container; a failed read is not
 * kept, so the next request tries again. Powertools and the Secrets Manager SDK are loaded on that first read,
 * so functions that hold no secret never load them.
 */
import { ConfigurationError } from '#domain/errors.ts';

const cache = new Map<string, Promise<string>>();

/** The secret's string value: fetched on first use, then cached for the container's life. */
export function secretString(secretId: string): Promise<string> {
  let value = cache.get(secretId);
  if (value === undefined) {
    value = fetchSecret(secretId);
    cache.set(secretId, value);
    value.catch(() => cache.delete(secretId));
  }
  return value;
}

async function fetchSecret(secretId: string): Promise<string> {
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  // maxAge: Powertools' own cache agrees with ours (a container's life); ours also shares one in-flight read.
  const value = await getSecret(secretId, { maxAge: 365 * 24 * 3600 });
  if (typeof value !== 'string' || value.length === 0)
    throw new ConfigurationError(`The secret ${secretId} has no string value (SecretString)`);
  return value;
}

/** Forgets every cached secret, so a test can change one. */
export function resetSecrets(): void {
  cache.clear();
}

/** The person-reference HMAC key (PERSON_REF_KEY_SECRET names its secret): at least 32 characters, never logged. */
export async function personRefKey(secretId: string): Promise<string> {
  const key = await secretString(secretId);
  if (key.length < 32) throw new ConfigurationError('The person-reference key is shorter than 32 characters');
  return key;
}
