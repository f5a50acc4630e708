/** Every path under `root` (itself included) whose permission bits are not owner-only: folders 0700, files 0600. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function notOwnerOnly(root: string): string[] {
  const out: string[] = [];
  const visit = (path: string): void => {
    const stat = statSync(path);
    const mode = stat.mode & 0o777;
    if (stat.isDirectory()) {
      if (mode !== 0o700) out.push(`${path} ${mode.toString(8)}`);
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (mode !== 0o600) out.push(`${path} ${mode.toString(8)}`);
  };
  visit(root);
  return out;
}
