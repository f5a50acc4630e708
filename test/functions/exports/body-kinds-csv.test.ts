/** The finance CSV writes the payer's body kind and the cross-border flag as its last two cells (issue 14 item 3). */
import { describe, expect, it } from 'vitest';
import { caseRows, EXPORT_COLUMNS, type ExportBatch } from '#domain/exports/rows.ts';
import { lineWriter } from '#functions/exports/csv.ts';
import { arrangement, BY_CATEGORY, exportCase, line, policy } from '../../support/finance-builder.ts';

const BATCH: ExportBatch = { id: 'EXP-2024-04-test', generatedAt: '2024-05-01T00:00:00.000Z', period: '2024-04' };
const REQUEST = { batch: BATCH, from: '2024-04', to: '2024-04', policies: [policy('CAT', BY_CATEGORY)] };

describe('body kind cells', () => {
  it.each([
    ['W11000023', 'welsh-health-board', ',welsh-health-board,Y\r\n'],
    ['NHSE', 'nhs-england', ',nhs-england,N\r\n'],
    ['QXU', 'english-icb', ',english-icb,N\r\n'],
  ] as const)('%s (%s) ends its line with %j', (code, kind, ending) => {
    const [row] = [
      ...caseRows(
        exportCase('app_4', {
          carePlan: { serviceLines: [line({ id: 'L1', category: 'accommodation' })] },
          arrangements: [arrangement('ARR-4', 'agreed', [[code, 'icb', 10_000]], { lead: code })],
          bodyKinds: { [code]: kind },
        }),
        REQUEST,
      ),
    ];
    if (row === undefined) throw new Error('no row');
    expect(lineWriter(EXPORT_COLUMNS)(row).endsWith(ending)).toBe(true);
  });
});
