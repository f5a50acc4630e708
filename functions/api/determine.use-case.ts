/** The engine alone: a determination for one case-facts document; nothing is recorded. */
import type { Determination } from '#domain/determination.ts';
import { determine } from '#domain/responsibility/determine.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import type { DetermineRequest } from './determine.schema.ts';

export function determineOnly(request: DetermineRequest): Determination {
  return determine(request.facts, request.ruleConfig ?? DEFAULT_RULE_CONFIG);
}
