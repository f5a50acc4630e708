import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  csvHeader,
  defuseFormula,
  formatCell,
  formatPence,
  quoteField,
  streamFinanceCsv,
  toFinanceCsv,
  toRechargeCsv,
} from '#functions/exports/csv.ts';
import { EXPORT_COLUMNS } from '#domain/exports/rows.ts';
import { AFTER, BEFORE, batchFor, rowsFor, scenario } from './finance-scenario.ts';

const golden = (name: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/finance', name), 'utf8');

const s = await scenario();

describe('finance CSV golden files (byte for byte)', () => {
  it.each([
    ['batch-2024-04.csv', () => toFinanceCsv(s.april)],
    ['batch-2024-05.csv', () => toFinanceCsv(s.may)],
    ['batch-2024-06.csv', () => toFinanceCsv(s.june)],
    ['recharges-2024-06.csv', () => toRechargeCsv(s.statements)],
  ])('%s', (name, make) => {
    expect(make()).toBe(golden(name));
  });

  it('the June batch adjusts April and May with a negative cost correction and the settlement, never by rewriting them', () => {
    const adjustments = s.june
      .filter((r) => r.isAdjustment)
      .map((r) => [r.payerOrgCode, r.packageLineId, r.adjustsPeriod, r.adjustsBatchId.slice(0, 11), r.reasonCode, r.payerShareAmount]);
    expect(adjustments).toStrictEqual([
      ['E10000030', 'L2', '2024-04', 'EXP-2024-04', 'COST_CHANGE', -8_000],
      ['E10000030', 'L2', '2024-05', 'EXP-2024-05', 'COST_CHANGE', -15_500],
      ['QNQ', 'L1', '2024-04', 'EXP-2024-04', 'SETTLEMENT', 46_000],
      ['QNQ', 'L1', '2024-05', 'EXP-2024-05', 'SETTLEMENT', 62_000],
      ['QXU', 'L1', '2024-04', 'EXP-2024-04', 'SETTLEMENT', -46_000],
      ['QXU', 'L1', '2024-05', 'EXP-2024-05', 'SETTLEMENT', -62_000],
    ]);
  });

  it('the same period over the same data gives the same bytes and batch id; changed data gives a new batch id', async () => {
    const again = await batchFor('2024-04', BEFORE);
    expect(toFinanceCsv(rowsFor(again, BEFORE, '2024-04', '2024-04'))).toBe(golden('batch-2024-04.csv'));
    const changed = await batchFor('2024-04', AFTER);
    expect(changed.id).not.toBe(again.id);
    expect(changed.generatedAt).toBe('2024-06-20T11:00:00.000Z');
  });

  it('streams exactly the same text in chunks', async () => {
    let streamed = '';
    for await (const chunk of streamFinanceCsv(s.june)) streamed += chunk;
    expect(streamed).toBe(golden('batch-2024-06.csv'));
  });
});

describe('CSV cells', () => {
  it.each([
    [-1234, '-12.34'],
    [5, '0.05'],
    [0, '0.00'],
    [-5, '-0.05'],
    [100, '1.00'],
    [123_456_789_01, '123456789.01'],
  ])('pence %i → %s', (pence, text) => expect(formatPence(pence)).toBe(text));

  it('refuses fractional pence', () => {
    expect(() => formatPence(1.5)).toThrow(RangeError);
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+44 20', "'+44 20"],
    ['-Care', "'-Care"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['Oak House', 'Oak House'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('defuses %j as %j', (text, safe) => expect(defuseFormula(text)).toBe(safe));

  it('quotes per RFC 4180 only when needed', () => {
    expect([quoteField('a,b'), quoteField('say "hi"'), quoteField('two\nlines'), quoteField('plain')]).toStrictEqual([
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      'plain',
    ]);
  });

  it('escapes text columns only: a negative amount stays a number, a text cell starting with - does not', () => {
    expect([
      formatCell('pence', -1234),
      formatCell('text', '-1234'),
      formatCell('basis-points', 3_333),
      formatCell('flag', false),
      formatCell('pence', null),
    ]).toStrictEqual(['-12.34', "'-1234", '33.33', 'N', '']);
  });

  it('writes the header in the fixed column order with CRLF line endings', () => {
    expect(csvHeader()).toBe(`${EXPORT_COLUMNS.map((c) => c.name).join(',')}\r\n`);
    expect(EXPORT_COLUMNS.map((c) => c.name)).toStrictEqual([
      'export_batch_id',
      'generated_at',
      'payer_org_code',
      'counterparty_org_code',
      'financial_year',
      'period',
      'period_month',
      'service_from',
      'service_to',
      'register_id',
      'package_line_id',
      'provider',
      'service_type',
      's117',
      'chargeable',
      'unit',
      'units',
      'unit_rate',
      'gross_cost',
      'split_basis',
      'policy_ref',
      'payer_share_pct',
      'payer_share_amount',
      'funding_status',
      'agreement_ref',
      'panel_decision_ref',
      'decision_date',
      'is_adjustment',
      'adjusts_batch_id',
      'adjusts_period',
      'reason_code',
      'person_ref',
      'proration_pence',
      'proration_reason',
      'payer_body_kind',
      'cross_border',
    ]);
  });
});
