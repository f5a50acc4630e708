/**
 * Local values for `secret:<name>` manifest references: random, created on first use and kept in the
 * data folder (mode 0600) so that, for example, person references stay stable across restarts. Without
 * a data folder (tests), secrets live for the life of the runtime. Writes are synchronous: a secret must
 * be on disk before anything uses it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const SECRETS_FILE_NAME = 'local-secrets.json';

export async function loadOrCreateSecrets(file: string | undefined): Promise<(name: string) => string> {
  let values: Record<string, string> = {};
  if (file !== undefined) {
    try {
      values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return (name) => {
    const existing = values[name];
    if (existing !== undefined) return existing;
    const value = randomBytes(32).toString('base64url');
    values = { ...values, [name]: value };
    if (file !== undefined) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    return value;
  };
}
