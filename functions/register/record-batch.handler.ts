/** POST /v1/register/batches: a CSV of events from a Mental Health Act office (see batch.ts for the columns). */
import { httpHandler } from '../shared/middy.ts';
import { recordBatch } from './batch.use-case.ts';
import { registerDeps } from './deps.ts';
import { recordBatchRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, headers, query }, ctx) =>
  recordBatch(registerDeps(), {
    caller,
    idempotencyKey: headers['idempotency-key'],
    text: ctx.requestText,
    ...(query.partnershipId === undefined ? {} : { partnershipId: query.partnershipId }),
  }),
);
