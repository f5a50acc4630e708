/**
 * POST /v1/register/people/{personRef}/events: one new fact; the register is re-determined.
 * PUT /v1/register/people/{personRef}/child: a child's record (issue 17 item 5), on the same function (it writes the
 * person and starts the review schedule, as a fact does).
 */
import { httpHandler, routedHandler } from '../shared/middy.ts';
import { recordChild } from './children.use-case.ts';
import { registerDeps } from './deps.ts';
import { recordEvent } from './people.use-case.ts';
import { recordChildRoute, recordEventRoute } from './routes.ts';

export const handler = routedHandler([
  [
    recordEventRoute,
    httpHandler(recordEventRoute, async ({ caller, path, body }) => recordEvent(registerDeps(), caller, path.personRef, body)),
  ],
  [
    recordChildRoute,
    httpHandler(recordChildRoute, async ({ caller, path, body }) => recordChild(registerDeps(), caller, path.personRef, body)),
  ],
]);
