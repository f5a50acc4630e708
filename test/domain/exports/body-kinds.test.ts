/**
 * Issue 14 item 3: an export row says what kind of body pays (as the determination names it) and whether the
 * recharge crosses the border (R-XB-1 to R-XB-3), and never labels a body as a kind it is not.
 */
import { describe, expect, it } from 'vitest';
import type { BodyKind, Determination, ResponsibleBody } from '#domain/determination.ts';
import { bodyKinds } from '#domain/determination.ts';
import { caseRows, withBodyKind, type ExportBatch, type ExportCase } from '#domain/exports/rows.ts';
import { arrangement, BY_CATEGORY, exportCase, line, policy } from '../../support/finance-builder.ts';

const BATCH: ExportBatch = { id: 'EXP-2024-04-test', generatedAt: '2024-05-01T00:00:00.000Z', period: '2024-04' };
const REQUEST = { batch: BATCH, from: '2024-04', to: '2024-04', policies: [policy('CAT', BY_CATEGORY)] };

const side = (body: string | null, kind: BodyKind, candidates?: ResponsibleBody['candidates']): ResponsibleBody => {
  const b: ResponsibleBody = { body, kind, ruleIds: [], citations: [], reasons: [] };
  if (candidates !== undefined) b.candidates = candidates;
  return b;
};
const determined = (icb: ResponsibleBody, la: ResponsibleBody): Pick<Determination, 'icb' | 'localAuthority'> => ({
  icb,
  localAuthority: la,
});

/** One health line shared between the two bodies, the council leading. */
function rowsFor(icb: [string, BodyKind], la: [string, BodyKind], lead: 'icb' | 'la' = 'la'): ReturnType<typeof rows> {
  const c: ExportCase = exportCase('app_1', {
    carePlan: { serviceLines: [line({ id: 'L1', category: 'accommodation', startDate: '2024-04-01' })] },
    arrangements: [
      arrangement(
        'ARR-1',
        'agreed',
        [
          [icb[0], 'icb', 5_000],
          [la[0], 'la', 5_000],
        ],
        { lead: lead === 'la' ? la[0] : icb[0] },
      ),
    ],
    bodyKinds: bodyKinds(determined(side(icb[0], icb[1]), side(la[0], la[1]))),
  });
  return rows(c);
}
const rows = (c: ExportCase) =>
  [...caseRows(c, REQUEST)].map((r) => ({ payer: r.payerOrgCode, kind: r.payerBodyKind, crossBorder: r.crossBorder }));

describe('bodyKinds: the kind of each body the determination names', () => {
  it('takes each side and every candidate a person must choose between, never none or undetermined', () => {
    const d = determined(
      side('W11000023', 'welsh-health-board'),
      side(null, 'undetermined', [
        { answer: 'W06000015 (s117(3)(b))', body: 'W06000015', kind: 'welsh-la', ruleIds: ['R-XB-1'] },
        { answer: 'E10000030 (s117(3)(a))', body: 'E10000030', kind: 'english-la', ruleIds: ['R-LA-1'] },
        { answer: 'nobody', body: null, kind: 'undetermined', ruleIds: ['R-HUMAN-1'] },
        { answer: 'no kind given', body: 'X-1', ruleIds: ['R-HUMAN-1'] },
      ]),
    );
    expect(bodyKinds(d)).toStrictEqual({ W11000023: 'welsh-health-board', W06000015: 'welsh-la', E10000030: 'english-la' });
  });

  it('says nothing of a code named with two different kinds, rather than pick one', () => {
    const d = determined(
      side('B-1', 'english-icb'),
      side('L-1', 'english-la', [{ answer: 'B-1 again', body: 'B-1', kind: 'welsh-health-board', ruleIds: [] }]),
    );
    expect(bodyKinds(d)).toStrictEqual({ 'L-1': 'english-la' });
  });

  it('keeps a code named twice with the same kind', () => {
    const d = determined(
      side('QXU', 'english-icb', [{ answer: 'QXU', body: 'QXU', kind: 'english-icb', ruleIds: [] }]),
      side(null, 'none'),
    );
    expect(bodyKinds(d)).toStrictEqual({ QXU: 'english-icb' });
  });

  it('is empty without a determination, or when it names nobody', () => {
    expect(bodyKinds(null)).toStrictEqual({});
    expect(bodyKinds(determined(side(null, 'none'), side(null, 'none')))).toStrictEqual({});
  });
});

describe('export rows per body kind', () => {
  it('an English ICB and an English council: their kinds, not cross-border', () => {
    expect(rowsFor(['QXU', 'english-icb'], ['E10000030', 'english-la'])).toStrictEqual([
      { payer: 'QXU', kind: 'english-icb', crossBorder: false },
      { payer: 'E10000030', kind: 'english-la', crossBorder: false },
    ]);
  });

  it('a Welsh Local Health Board and a Welsh council: labelled as Welsh bodies, a cross-border recharge', () => {
    expect(rowsFor(['W11000023', 'welsh-health-board'], ['W06000015', 'welsh-la'])).toStrictEqual([
      { payer: 'W11000023', kind: 'welsh-health-board', crossBorder: true },
      { payer: 'W06000015', kind: 'welsh-la', crossBorder: true },
    ]);
  });

  it('an English ICB recharging a Welsh council that leads: the ICB stays an English ICB, the recharge is cross-border', () => {
    expect(rowsFor(['QXU', 'english-icb'], ['W06000015', 'welsh-la'])).toStrictEqual([
      { payer: 'QXU', kind: 'english-icb', crossBorder: true },
      { payer: 'W06000015', kind: 'welsh-la', crossBorder: true },
    ]);
  });

  it("a Welsh LHB recharged by an English council that leads: the LHB's row is cross-border, the council's own share is not", () => {
    expect(rowsFor(['W11000023', 'welsh-health-board'], ['E10000030', 'english-la'])).toStrictEqual([
      { payer: 'W11000023', kind: 'welsh-health-board', crossBorder: true },
      { payer: 'E10000030', kind: 'english-la', crossBorder: false },
    ]);
  });

  it('NHS England (reg 8) is NHS England, not an ICB, and not cross-border', () => {
    expect(rowsFor(['NHSE', 'nhs-england'], ['E10000030', 'english-la'], 'icb')).toStrictEqual([
      { payer: 'NHSE', kind: 'nhs-england', crossBorder: false },
      { payer: 'E10000030', kind: 'english-la', crossBorder: false },
    ]);
  });

  it('a body outside England and Wales is labelled so, and cross-border', () => {
    expect(rowsFor(['QXU', 'english-icb'], ['S12000036', 'outside-england-and-wales'])).toStrictEqual([
      { payer: 'QXU', kind: 'english-icb', crossBorder: true },
      { payer: 'S12000036', kind: 'outside-england-and-wales', crossBorder: true },
    ]);
  });

  it('a payer the determination does not name (a stand-in, a body named in a dispute) gets no kind, not a guessed one', () => {
    const c = exportCase('app_2', {
      carePlan: { serviceLines: [line({ id: 'L1', category: 'accommodation' })] },
      arrangements: [
        arrangement('ARR-2', 'interim', [
          ['ICB-STANDIN', 'icb', 5_000],
          ['E10000030', 'la', 5_000],
        ]),
      ],
      bodyKinds: { E10000030: 'english-la' },
    });
    expect(rows(c)).toStrictEqual([
      { payer: 'ICB-STANDIN', kind: '', crossBorder: false },
      { payer: 'E10000030', kind: 'english-la', crossBorder: false },
    ]);
  });

  it('a case listed before body kinds were kept, or a code like an object property, gets no kind', () => {
    const c = exportCase('app_3', {
      carePlan: { serviceLines: [line({ id: 'L1', category: 'accommodation' })] },
      arrangements: [
        arrangement('ARR-3', 'agreed', [
          ['constructor', 'icb', 5_000],
          ['LA-A', 'la', 5_000],
        ]),
      ],
    });
    expect(rows(c).map((r) => r.kind)).toStrictEqual(['', '']);
    expect(rows({ ...c, bodyKinds: {} }).map((r) => r.kind)).toStrictEqual(['', '']);
  });
});

describe('rows read back', () => {
  it('reads a row written before December 2026 as saying no kind, not cross-border', () => {
    const [row] = [
      ...caseRows(
        exportCase('app_5', {
          carePlan: { serviceLines: [line({ id: 'L1', category: 'accommodation' })] },
          arrangements: [arrangement('ARR-5', 'agreed', [['QXU', 'icb', 10_000]], { lead: 'QXU' })],
          bodyKinds: { QXU: 'english-icb' },
        }),
        REQUEST,
      ),
    ];
    if (row === undefined) throw new Error('no row');
    const written = Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'payerBodyKind' && k !== 'crossBorder')) as Omit<
      typeof row,
      'payerBodyKind' | 'crossBorder'
    >;
    expect(withBodyKind(written)).toStrictEqual({ ...row, payerBodyKind: '', crossBorder: false });
    expect(withBodyKind(row)).toStrictEqual(row);
  });
});
