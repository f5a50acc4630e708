/** POST /v1/register/batches: a CSV of events from a Mental Health Act office (see batch.ts for the columns). */
import { COMMISSIONING_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { recordBatch } from './batch.use-case.ts';
import { registerDeps } from './deps.ts';
import { batchSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: batchSchemas, auth: 'required', roles: COMMISSIONING_ROLES },
  async ({ caller, headers, query }, ctx) =>
    recordBatch(registerDeps(), {
      caller,
      idempotencyKey: headers['idempotency-key'],
      text: ctx.requestText,
      ...(query.partnershipId === undefined ? {} : { partnershipId: query.partnershipId }),
    }),
);
