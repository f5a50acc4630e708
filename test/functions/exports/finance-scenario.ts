/**
 * The finance golden scenario: two people in the Surrey partnership over the first quarter of 2024/25.
 * - app_0001 is agreed (by-category policy): a health line, a social-care line whose provider is named
 *   `=HYPERLINK("http://x","y")`, a preferred care home with a third-party top-up and an uplift in May,
 *   and a Care Act line that is not s117 (chargeable under other law).
 * - app_0002 is funded interim, without prejudice, 50:50 between NHS Surrey Heartlands (QXU) and Surrey.
 * April and May are exported. In June app_0001's social-care cost is corrected down from its start
 * (a negative adjustment) and app_0002's dispute settles: Frimley (QNQ) is the responsible ICB from
 * the interim start. The June batch carries June's rows, the adjustment rows for April and May, and the
 * recharge statement includes the settlement recharges.
 */
import type { ExportBatch, ExportCase, ExportRow, RowsRequest } from '#domain/exports/rows.ts';
import { diffAgainstPrevious, exportRows } from '#domain/exports/rows.ts';
import { rechargeStatements } from '#domain/exports/recharges.ts';
import { settle } from '#domain/apportionment/settlement.ts';
import type { PeriodKey } from '#domain/apportionment/periods.ts';
import { describeBatch } from '#functions/exports/batch-id.ts';
import { arrangement, BY_CATEGORY, line, policy } from '../../support/finance-builder.ts';

const SURREY = 'E10000030';
const HEARTLANDS = 'QXU';
const FRIMLEY = 'QNQ';

export const POLICIES = [policy('SURREY-S75-CAT', BY_CATEGORY, { version: 2, agreementRef: 'S75-SURREY-2024' })];

const agreed0001 = arrangement(
  'ARR-0001-1',
  'agreed',
  [
    [HEARTLANDS, 'icb', 5_000],
    [SURREY, 'la', 5_000],
  ],
  { createdAt: '2024-03-28T14:05:00.000Z' },
);

const app0001 = (socialCareWeekly: number, version: number, updatedAt: string): ExportCase => ({
  id: 'app_0001',
  version,
  partnershipId: 'surrey',
  personRef: 'p_7f3a9c',
  status: 'agreed',
  updatedAt,
  carePlan: {
    serviceLines: [
      line({
        id: 'L1',
        description: 'Community mental health support',
        provider: 'Surrey and Borders Partnership NHS FT',
        category: 'health',
        weeklyCostPence: 42_000,
      }),
      line({
        id: 'L2',
        description: 'Supported living hours',
        provider: '=HYPERLINK("http://x","y")',
        category: 'social-care',
        weeklyCostPence: socialCareWeekly,
        startDate: '2024-04-15',
      }),
      line({
        id: 'L3',
        description: 'Preferred care home',
        provider: 'Oak House, Guildford',
        category: 'accommodation',
        weeklyCostPence: 120_000,
        uplifts: [{ from: '2024-05-13', weeklyCostPence: 126_000 }],
        topUp: {
          id: 'TU-7',
          payer: { kind: 'third-party', name: 'Brother' },
          usualCostWeeklyPence: 100_000,
          weeklyPence: 15_000,
          from: '2024-04-01',
          reviewDate: '2025-04-01',
          signedOn: '2024-03-25',
        },
      }),
      line({
        id: 'L4',
        description: 'Home care for a physical disability',
        provider: 'Brightwell Homecare',
        category: 'social-care',
        s117: false,
        weeklyCostPence: 10_000,
      }),
    ],
  },
  arrangements: [agreed0001],
});

const interim0002 = arrangement(
  'ARR-0002-1',
  'interim',
  [
    [HEARTLANDS, 'icb', 5_000],
    [SURREY, 'la', 5_000],
  ],
  { startDate: '2024-04-08', createdAt: '2024-04-19T09:30:00.000Z' },
);
const final0002 = arrangement(
  'ARR-0002-2',
  'agreed',
  [
    [FRIMLEY, 'icb', 5_000],
    [SURREY, 'la', 5_000],
  ],
  { startDate: '2024-04-08', createdAt: '2024-06-20T11:00:00.000Z' },
);
const app0002Lines = {
  serviceLines: [
    line({
      id: 'L1',
      description: 'Peer support and day service',
      provider: 'Mind in Surrey',
      category: 'other',
      weeklyCostPence: 28_000,
      startDate: '2024-04-08',
    }),
  ],
};

/** The register as it stood when April and May were exported. */
export const BEFORE: readonly ExportCase[] = [
  app0001(35_000, 1, '2024-04-02T09:00:00.000Z'),
  {
    id: 'app_0002',
    version: 2,
    partnershipId: 'surrey',
    personRef: 'p_c21e04',
    status: 'interim',
    updatedAt: '2024-04-19T09:30:00.000Z',
    carePlan: app0002Lines,
    arrangements: [interim0002],
  },
];

/** The register in June: a cost corrected from its start, and a dispute settled. */
export const AFTER: readonly ExportCase[] = [
  app0001(31_500, 2, '2024-06-18T16:45:00.000Z'),
  {
    id: 'app_0002',
    version: 3,
    partnershipId: 'surrey',
    personRef: 'p_c21e04',
    status: 'settled',
    updatedAt: '2024-06-20T11:00:00.000Z',
    carePlan: app0002Lines,
    arrangements: [interim0002, final0002],
  },
];

export async function batchFor(
  period: PeriodKey,
  cases: readonly ExportCase[],
  from: PeriodKey = period,
  previousBatchIds: string[] = [],
): Promise<ExportBatch> {
  return describeBatch({ partnershipId: 'surrey', period, from, to: period, policies: POLICIES, previousBatchIds }, cases);
}

export function rowsFor(batch: ExportBatch, cases: readonly ExportCase[], from: PeriodKey, to: PeriodKey): ExportRow[] {
  const request: RowsRequest = { batch, from, to, policies: POLICIES };
  return [...exportRows(cases, request)];
}

export interface Scenario {
  april: ExportRow[];
  may: ExportRow[];
  /** June's own rows, then the adjustment rows for April and May. */
  june: ExportRow[];
  juneBatch: ExportBatch;
  statements: ReturnType<typeof rechargeStatements>;
}

export async function scenario(): Promise<Scenario> {
  const aprilBatch = await batchFor('2024-04', BEFORE);
  const april = rowsFor(aprilBatch, BEFORE, '2024-04', '2024-04');
  const mayBatch = await batchFor('2024-05', BEFORE, '2024-05', [aprilBatch.id]);
  const may = rowsFor(mayBatch, BEFORE, '2024-05', '2024-05');
  const juneBatch = await batchFor('2024-06', AFTER, '2024-04', [aprilBatch.id, mayBatch.id]);
  const restated = rowsFor(juneBatch, AFTER, '2024-04', '2024-06');
  const june = [
    ...restated.filter((r) => r.periodMonth === '2024-06'),
    ...diffAgainstPrevious(
      [...april, ...may],
      restated.filter((r) => r.periodMonth < '2024-06'),
      juneBatch,
    ),
  ];
  const settlement = settle({
    settlementId: 'SET-0002-1',
    partnershipId: 'surrey',
    plan: app0002Lines,
    interim: interim0002,
    final: final0002,
    policies: POLICIES,
    upTo: '2024-05-31',
  });
  return { april, may, june, juneBatch, statements: rechargeStatements(june, settlement.entries) };
}
