/**
 * The episode's care team and plan, and the person's contacts (issue 17), on one function:
 * PUT /v1/register/episodes/{id}/practitioner (name the practitioner reminded of reviews),
 * POST /v1/register/episodes/{id}/plans (record a plan version), GET .../plan (the current one), GET .../plans (every
 * version), and PUT /v1/register/people/{personRef}/contacts (how the person is written to; carers and advocates).
 */
import { httpHandler, routedHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordContacts, setPractitioner } from './people.use-case.ts';
import { listPlanVersions, readCurrentPlan, recordPlan } from './plan.use-case.ts';
import { getPlanRoute, listPlansRoute, recordContactsRoute, recordPlanRoute, setPractitionerRoute } from './routes.ts';

export const handler = routedHandler([
  [
    setPractitionerRoute,
    httpHandler(setPractitionerRoute, async ({ caller, path, body }) =>
      setPractitioner(registerDeps(), caller, path.id, {
        name: body.name,
        email: body.email,
        ...(body.role === undefined ? {} : { role: body.role }),
      }),
    ),
  ],
  [recordPlanRoute, httpHandler(recordPlanRoute, async ({ caller, path, body }) => recordPlan(registerDeps(), caller, path.id, body))],
  [getPlanRoute, httpHandler(getPlanRoute, async ({ caller, path }) => readCurrentPlan(registerDeps(), caller, path.id))],
  [listPlansRoute, httpHandler(listPlansRoute, async ({ caller, path }) => listPlanVersions(registerDeps(), caller, path.id))],
  [
    recordContactsRoute,
    httpHandler(recordContactsRoute, async ({ caller, path, body }) => recordContacts(registerDeps(), caller, path.personRef, body)),
  ],
]);
