/** Pieces shared by the API's request and response schemas. */
import * as z from 'zod';
import { caseFactsSchema, checkCaseFactsSemantics } from '../shared/case-facts.schema.ts';
import type { CaseFacts } from '#domain/facts.ts';

/** `events[3].from` → ['events', 3, 'from'] (the paths checkCaseFactsSemantics reports). */
function pathOf(formatted: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const match of formatted.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)) {
    if (match[1] !== undefined) out.push(match[1]);
    else if (match[2] !== undefined) out.push(Number(match[2]));
  }
  return out;
}

/** The most events one case may list: far above any real history, and bounded so one request cannot stall the service. */
export const MAX_CASE_EVENTS = 500;

/**
 * Case facts v1, then what JSON Schema cannot express here: the service's limit on events (the shared contract
 * sets none) and dates that do not exist.
 */
export const checkedCaseFactsSchema: z.ZodType<CaseFacts> = caseFactsSchema.superRefine((facts, ctx) => {
  if (facts.events.length > MAX_CASE_EVENTS) {
    ctx.addIssue({ code: 'custom', message: `must list at most ${MAX_CASE_EVENTS} events (the limit)`, path: ['events'] });
    return;
  }
  for (const issue of checkCaseFactsSemantics(facts)) ctx.addIssue({ code: 'custom', message: issue.message, path: pathOf(issue.path) });
});

export const applicationIdPathSchema = z.object({
  id: z.string().min(1).max(64),
});
export type ApplicationIdPath = z.infer<typeof applicationIdPathSchema>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details; `errors` names each offending field.');
