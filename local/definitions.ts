/** Reads an ASL file and applies CDK-style `${Name}` definition substitutions, failing on any left unresolved. */
import { readFileSync } from 'node:fs';

export function substitute(text: string, substitutions: Readonly<Record<string, string>>): string {
  const missing = new Set<string>();
  const result = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const value = substitutions[name];
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    return value;
  });
  if (missing.size > 0) throw new Error(`No substitution for ${[...missing].map((m) => `\${${m}}`).join(', ')}`);
  return result;
}

export function loadDefinition(file: string, substitutions: Readonly<Record<string, string>> = {}): string {
  return substitute(readFileSync(file, 'utf8'), substitutions);
}
