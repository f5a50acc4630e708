/** `POST /v1/determinations`: the engine alone, over one case-facts document. */
import * as z from 'zod';
import { ruleConfigSchema } from '../shared/rule-config.schema.ts';
import { checkedCaseFactsSchema } from './common.schema.ts';

export const determineRequestSchema = z.strictObject({
  facts: checkedCaseFactsSchema,
  ruleConfig: ruleConfigSchema.exactOptional(),
});
export type DetermineRequest = z.infer<typeof determineRequestSchema>;
