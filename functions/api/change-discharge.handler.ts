/** PATCH /v1/applications/{id}/discharge: the discharge dates and delay reasons, changed by a party (issue 13 item 5). */
import { httpHandler } from '../shared/middy.ts';
import { apiDeps } from './api-deps.ts';
import { changeApplicationDischarge } from './discharge.use-case.ts';
import { changeDischargeRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) => changeApplicationDischarge(apiDeps(), caller, path.id, body));
