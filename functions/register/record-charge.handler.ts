/**
 * POST /v1/register/people/{personRef}/charges: a charge raised against the person (the maturity matrix counts wrong ones).
 * POST .../budgets and .../budgets/{budgetId}/decision: personal health budgets and direct payments (issue 17 item 4),
 * on the same function (money for the person, against their application's lines).
 */
import { httpHandler, routedHandler } from '../shared/middy.ts';
import { decideBudget, requestBudget } from './budgets.use-case.ts';
import { registerDeps } from './deps.ts';
import { recordCharge } from './people.use-case.ts';
import { decideBudgetRoute, recordChargeRoute, requestBudgetRoute } from './routes.ts';

export const handler = routedHandler([
  [
    recordChargeRoute,
    httpHandler(recordChargeRoute, async ({ caller, path, body }) => recordCharge(registerDeps(), caller, path.personRef, body)),
  ],
  [
    requestBudgetRoute,
    httpHandler(requestBudgetRoute, async ({ caller, path, body }) => requestBudget(registerDeps(), caller, path.personRef, body)),
  ],
  [
    decideBudgetRoute,
    httpHandler(decideBudgetRoute, async ({ caller, path, body }) =>
      decideBudget(registerDeps(), caller, path.personRef, path.budgetId, body),
    ),
  ],
]);
