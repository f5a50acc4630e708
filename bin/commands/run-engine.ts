import type { Determination } from '#domain/determination.ts';
import type { CaseFacts } from '#domain/facts.ts';
import type { RuleConfig } from '#domain/rules/config.ts';
import { documentLabel } from './input.ts';
import type { Engine } from './types.ts';

export type EngineRun = { ok: true; determinations: Determination[] } | { ok: false; problem: string };

/**
 * Determines every document before anything is printed. The engine throws only on a broken invariant (a
 * bug); that is reported by document, with the error's name and message but none of the facts.
 */
export function determineAll(engine: Engine, documents: CaseFacts[], config: RuleConfig, shape: 'single' | 'array'): EngineRun {
  const determinations: Determination[] = [];
  for (const [i, facts] of documents.entries()) {
    try {
      determinations.push(engine.determine(facts, config));
    } catch (err) {
      const what = err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error';
      return { ok: false, problem: `internal error while determining ${documentLabel(facts, shape === 'array' ? i : undefined)}: ${what}` };
    }
  }
  return { ok: true, determinations };
}
