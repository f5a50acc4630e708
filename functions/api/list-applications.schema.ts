/** `GET /v1/applications`: filter by status, paginate with an opaque cursor. */
import * as z from 'zod';
import { APPLICATION_STATUSES } from '#domain/applications/application.ts';

export const DEFAULT_LIST_LIMIT = 25;

export const listApplicationsQuerySchema = z.object({
  status: z.enum(APPLICATION_STATUSES).exactOptional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { error: 'must be a whole number from 1 to 100' })
    .transform(Number)
    .pipe(z.int().min(1, { error: 'must be a whole number from 1 to 100' }).max(100, { error: 'must be a whole number from 1 to 100' }))
    .exactOptional(),
  cursor: z.string().min(1).max(2048).exactOptional(),
});
export type ListApplicationsQuery = z.infer<typeof listApplicationsQuerySchema>;
