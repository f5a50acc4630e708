/** Service lines, arrangements, policies and export cases for the apportionment and export tests. */
import type { FundingArrangement, ServiceLine } from '#domain/applications/application.ts';
import type { ApportionmentPolicy, ApportionmentRule } from '#domain/apportionment/policy.ts';
import type { ExportCase } from '#domain/exports/rows.ts';

export function line(overrides: Partial<ServiceLine> & Pick<ServiceLine, 'id'>): ServiceLine {
  return {
    description: 'Support',
    provider: 'Oakwood Care Ltd',
    category: 'social-care',
    s117: true,
    weeklyCostPence: 70_000,
    startDate: '2024-04-01',
    ...overrides,
  };
}

export function arrangement(
  id: string,
  state: 'interim' | 'agreed',
  shares: [string, 'icb' | 'la', number][],
  overrides: Partial<FundingArrangement> = {},
): FundingArrangement {
  return {
    id,
    state,
    withoutPrejudice: state === 'interim',
    startDate: '2024-04-01',
    lead: shares.find(([, p]) => p === 'la')?.[0] ?? shares[0]?.[0] ?? 'LA-A',
    shares: shares.map(([body, party, basisPoints]) => ({ body, party, basisPoints })),
    basis: `${state} funding`,
    ruleIds: ['R-APP-1'],
    createdAt: '2024-04-01T10:00:00.000Z',
    ...overrides,
  };
}

export function policy(id: string, rule: ApportionmentRule, overrides: Partial<ApportionmentPolicy> = {}): ApportionmentPolicy {
  return {
    id,
    version: 1,
    partnershipId: 'surrey',
    effectiveFrom: '2024-04-01',
    rule,
    agreementRef: 'S75-2024',
    description: id,
    ...overrides,
  };
}

export const BY_CATEGORY: ApportionmentRule = {
  kind: 'by-category',
  icbBasisPoints: { health: 10_000, 'social-care': 0, accommodation: 5_000, employment: 2_500, other: 5_000 },
};

export function exportCase(id: string, overrides: Partial<ExportCase> = {}): ExportCase {
  return {
    id,
    version: 1,
    partnershipId: 'surrey',
    personRef: `p_${id}`,
    status: 'agreed',
    updatedAt: '2024-04-02T09:00:00.000Z',
    carePlan: { serviceLines: [] },
    arrangements: [],
    ...overrides,
  };
}
