/** Step of statemachines/ending-recommendation.asl.json: records the joint panel's answer to a recommendation to end aftercare. */
import type { EndingPanelDecision } from '#domain/register/ending.ts';
import { taskHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordEndingPanelDecision } from './ending-panel.use-case.ts';
import { endingPanelStepSchema } from './schemas.ts';

export const handler = taskHandler(async (event: unknown) => {
  const deps = registerDeps();
  const input = endingPanelStepSchema.parse(event);
  // zod leaves absent optionals out, so the parsed panel has no undefined properties (exactOptionalPropertyTypes).
  const panel = { ...input.panel, decidedAt: input.panel.decidedAt ?? deps.clock.now() } as EndingPanelDecision;
  return recordEndingPanelDecision(deps, { episodeId: input.episodeId, recommendationId: input.recommendationId, panel });
});
