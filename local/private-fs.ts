/**
 * The local data folder holds special-category health data (the register's NHS numbers, names and facts), keys and
 * exports: everything the runtime writes there is for its owner only (folders 0700, files 0600), whatever the umask.
 */
import { chmodSync, mkdirSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** The umask `npm start` runs under, so files created by libraries (dynalite's LevelDB) are owner-only too. */
export const PRIVATE_UMASK = 0o077;

/** Creates `path` (and missing parents) owner-only, and makes an existing folder owner-only. */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(path, PRIVATE_DIR_MODE);
}
