/** A realistic application and partnership for tests, built from the public WP-1 history. */
import type { Application } from '#domain/applications/application.ts';
import { DEFAULT_FUNDING_SETTINGS, type Partnership } from '#domain/partnership.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { determine } from '#domain/responsibility/determine.ts';
import { detained, facts, settledInA } from './case-builder.ts';

export const partnership: Partnership = {
  id: 'test',
  name: 'Test partnership',
  members: ['ICB-A', 'ICB-B', 'LA-A', 'LA-B'],
  ruleConfig: DEFAULT_RULE_CONFIG,
  responseDeadlineDays: 10,
  funding: { ...DEFAULT_FUNDING_SETTINGS },
};

export function application(overrides: Partial<Application> = {}): Application {
  const f = facts('2024-06-01', [settledInA, detained('2024-01-10')], undefined, 'APP-1');
  return {
    id: 'app_1',
    partnershipId: 'test',
    version: 1,
    createdAt: '2024-06-01T09:00:00.000Z',
    updatedAt: '2024-06-01T09:00:00.000Z',
    submittedBy: { userId: 'u-la', org: 'LA-A', orgKind: 'la' },
    personRef: 'p_test',
    person: { nhsNumber: '9434765919' },
    facts: f,
    carePlan: { serviceLines: [] },
    requestedStartDate: '2024-06-10',
    status: 'awaiting-responses',
    determination: determine(f),
    parties: ['LA-A', 'ICB-A'],
    responses: {},
    arrangements: [],
    ...overrides,
  };
}
