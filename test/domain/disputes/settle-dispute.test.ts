import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Application, FundingArrangement, ServiceLine } from '#domain/applications/application.ts';
import { fundingTerms, payerCommitments } from '#domain/apportionment/schedule.ts';
import { addDays } from '#domain/dates.ts';
import type { Dispute, DisputeKind, DisputeOutcome } from '#domain/disputes/dispute.ts';
import { settleDispute } from '#domain/disputes/settle-dispute.ts';
import { application, partnership } from '../../support/application-builder.ts';

const line = (id: string, weeklyCostPence: number, startDate = '2025-01-01', endDate?: string): ServiceLine => ({
  id,
  description: 'Supported living',
  provider: 'Acme Care',
  category: 'accommodation',
  s117: true,
  weeklyCostPence,
  startDate,
  ...(endDate === undefined ? {} : { endDate }),
});

const interim = (shares: [string, 'icb' | 'la', number][]): FundingArrangement => ({
  id: 'arr_1',
  state: 'interim',
  withoutPrejudice: true,
  startDate: '2025-01-01',
  lead: 'LA-A',
  shares: shares.map(([body, party, basisPoints]) => ({ body, party, basisPoints })),
  basis: 'interim',
  ruleIds: ['R-WP-GEN-5'],
  createdAt: '2025-01-01T09:00:00.000Z',
});

function decided(kind: DisputeKind, o: Partial<DisputeOutcome>): Dispute {
  return {
    id: 'dsp_1',
    applicationId: 'app_1',
    version: 3,
    kind,
    status: 'decided',
    stage: kind === 'la-la' ? 'secretary-of-state' : 'local-resolution',
    disputeDate: '2025-01-01',
    raisedBy: 'LA-A',
    bodies: ['LA-A', 'LA-B'],
    lead: 'LA-A',
    interimArrangementId: 'arr_1',
    stages: [],
    outcome: {
      stage: 'secretary-of-state',
      kind: 'determination',
      reason: 'She was ordinarily resident in LA-B.',
      decidedBy: 'The Secretary of State',
      recordedBy: { org: 'LA-A' },
      at: '2025-03-01T10:00:00.000Z',
      ruleIds: ['R-DISP-LA-9'],
      ...o,
    },
    basis: '',
    ruleIds: [],
    openedAt: '2025-01-01T09:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
  };
}

function app(lines: ServiceLine[], arrangement: FundingArrangement): Application {
  return application({
    status: 'in-dispute',
    carePlan: { serviceLines: lines },
    requestedStartDate: '2025-01-01',
    arrangements: [arrangement],
  });
}

describe('settleDispute', () => {
  it('fixes responsibility from today and has the council found responsible repay the lead authority for the interim period', () => {
    // Interim: ICB-A 50%, LA-A (lead authority) 50%. Determination: LA-B is responsible. £700 a week from 1 January.
    const a = app(
      [line('L1', 70_000)],
      interim([
        ['ICB-A', 'icb', 5_000],
        ['LA-A', 'la', 5_000],
      ]),
    );
    const { arrangement, settlement } = settleDispute({
      app: a,
      dispute: decided('la-la', { responsibleLa: 'LA-B' }),
      partnership,
      settlementId: 'set_1',
      arrangementId: 'arr_2',
      today: '2025-03-01',
      at: '2025-03-01T10:00:00.000Z',
    });
    expect(arrangement).toStrictEqual({
      id: 'arr_2',
      state: 'agreed',
      withoutPrejudice: false,
      startDate: '2025-03-01',
      lead: 'LA-B',
      shares: [
        { body: 'ICB-A', party: 'icb', basisPoints: 5_000 },
        { body: 'LA-B', party: 'la', basisPoints: 5_000 },
      ],
      basis:
        'The Secretary of State determined the dispute on 1 March 2025: She was ordinarily resident in LA-B. ICB-A 50%, LA-B 50% from 1 March 2025; the interim period from 1 January 2025 is settled by recharges.',
      ruleIds: ['R-DISP-LA-9', 'R-APP-1'],
      createdAt: '2025-03-01T10:00:00.000Z',
    });
    // January: 31 days × £100 = £3,100, half is £1,550; February: 28 days → £1,400.
    expect(settlement.entries.map((e) => [e.period, e.payer, e.payee, e.pence])).toStrictEqual([
      ['2025-01', 'LA-B', 'LA-A', 155_000],
      ['2025-02', 'LA-B', 'LA-A', 140_000],
    ]);
    expect(settlement.positions).toStrictEqual([
      { body: 'ICB-A', interimPence: 295_000, finalPence: 295_000, differencePence: 0 },
      { body: 'LA-A', interimPence: 295_000, finalPence: 0, differencePence: -295_000 },
      { body: 'LA-B', interimPence: 0, finalPence: 295_000, differencePence: 295_000 },
    ]);
  });

  it('between ICBs: the ICB found responsible repays the other its 50:50 share (R-WP-DISP-3)', () => {
    const a = app(
      [line('L1', 70_000)],
      interim([
        ['ICB-A', 'icb', 2_500],
        ['ICB-B', 'icb', 2_500],
        ['LA-A', 'la', 5_000],
      ]),
    );
    const { arrangement, settlement } = settleDispute({
      app: a,
      dispute: decided('icb-icb', { responsibleIcb: 'ICB-B', kind: 'agreement', decidedBy: 'ICB-A and ICB-B' }),
      partnership,
      settlementId: 'set_1',
      arrangementId: 'arr_2',
      today: '2025-02-01',
      at: '2025-02-01T10:00:00.000Z',
    });
    expect(arrangement.shares.map((s) => [s.body, s.basisPoints])).toStrictEqual([
      ['ICB-B', 5_000],
      ['LA-A', 5_000],
    ]);
    expect(settlement.entries.map((e) => [e.period, e.payer, e.payee, e.pence])).toStrictEqual([['2025-01', 'ICB-B', 'ICB-A', 77_500]]);
  });

  it('adds no entries when the dispute ends before care began', () => {
    const a = app(
      [line('L1', 70_000)],
      interim([
        ['ICB-A', 'icb', 5_000],
        ['LA-A', 'la', 5_000],
      ]),
    );
    const { arrangement, settlement } = settleDispute({
      app: a,
      dispute: decided('la-la', { responsibleLa: 'LA-B' }),
      partnership,
      settlementId: 'set_1',
      arrangementId: 'arr_2',
      today: '2024-12-01',
      at: '2024-12-01T10:00:00.000Z',
    });
    expect([arrangement.startDate, settlement.entries]).toStrictEqual(['2025-01-01', []]);
  });

  it('recharges sum to the difference between interim and final shares; no payment is negative; pence exact', () => {
    const bodies: [string, 'icb' | 'la'][] = [
      ['ICB-A', 'icb'],
      ['ICB-B', 'icb'],
      ['LA-A', 'la'],
      ['LA-B', 'la'],
    ];
    const sharesArb = fc
      .array(fc.integer({ min: 0, max: 10_000 }), { minLength: 4, maxLength: 4 })
      .filter((w) => w.reduce((a, b) => a + b, 0) > 0)
      .map((w) => {
        const sum = w.reduce((a, b) => a + b, 0);
        const bp = w.map((x) => Math.floor((x * 10_000) / sum));
        bp[0] = (bp[0] ?? 0) + 10_000 - bp.reduce((a, b) => a + b, 0);
        return bodies.flatMap(([b, p], i): [string, 'icb' | 'la', number][] => ((bp[i] ?? 0) > 0 ? [[b, p, bp[i] ?? 0]] : []));
      });
    const outcomeArb = fc.record({
      kind: fc.constantFrom<DisputeKind>('icb-icb', 'la-la', 'icb-la'),
      icb: fc.constantFrom('ICB-A', 'ICB-B'),
      la: fc.constantFrom('LA-A', 'LA-B'),
      split: fc.option(fc.integer({ min: 0, max: 10_000 })),
    });
    fc.assert(
      fc.property(
        sharesArb,
        outcomeArb,
        fc.array(
          fc.record({
            weekly: fc.integer({ min: 1, max: 2_000_000 }),
            start: fc.integer({ min: 0, max: 200 }),
            days: fc.option(fc.integer({ min: 0, max: 400 })),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.integer({ min: -30, max: 500 }),
        (shares, o, lines, todayOffset) => {
          const i = interim(shares);
          const plan = lines.map((l, n) =>
            line(`L${n}`, l.weekly, addDays('2025-01-01', l.start), l.days === null ? undefined : addDays('2025-01-01', l.start + l.days)),
          );
          const outcome: Partial<DisputeOutcome> =
            o.kind === 'icb-icb'
              ? { responsibleIcb: o.icb }
              : o.kind === 'la-la'
                ? { responsibleLa: o.la }
                : { responsibleIcb: o.icb, responsibleLa: o.la };
          if (o.split !== null) outcome.split = { icbBasisPoints: o.split };
          const today = addDays('2025-01-01', todayOffset);
          const a = app(plan, i);
          const { arrangement, settlement } = settleDispute({
            app: a,
            dispute: decided(o.kind, outcome),
            partnership,
            settlementId: 'S',
            arrangementId: 'arr_2',
            today,
            at: `${today}T10:00:00.000Z`,
          });

          const upTo = addDays(arrangement.startDate, -1);
          const interimDue = payerCommitments(a.carePlan, fundingTerms([i], [], partnership.id), upTo);
          const finalDue = payerCommitments(
            a.carePlan,
            fundingTerms([{ ...arrangement, startDate: i.startDate }], [], partnership.id),
            upTo,
          );
          const net = new Map<string, number>();
          for (const c of finalDue) net.set(c.body, (net.get(c.body) ?? 0) + c.pence);
          for (const c of interimDue) net.set(c.body, (net.get(c.body) ?? 0) - c.pence);
          for (const e of settlement.entries) {
            expect([Number.isSafeInteger(e.pence), e.pence > 0, e.payer !== e.payee]).toStrictEqual([true, true, true]);
            net.set(e.payer, (net.get(e.payer) ?? 0) - e.pence);
            net.set(e.payee, (net.get(e.payee) ?? 0) + e.pence);
          }
          for (const [body, left] of net) expect([body, left]).toStrictEqual([body, 0]);
          expect(arrangement.shares.reduce((sum, s) => sum + s.basisPoints, 0)).toBe(10_000);
          expect(arrangement.shares.every((s) => s.basisPoints > 0)).toBe(true);
          expect(a.arrangements).toStrictEqual([i]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('finalArrangement edges (R-DISP-LA-9, R-APP-1)', () => {
  const base = () =>
    app(
      [line('L1', 70_000)],
      interim([
        ['ICB-A', 'icb', 5_000],
        ['LA-A', 'la', 5_000],
      ]),
    );
  const run = (a: Application, d: Dispute, p = partnership) =>
    settleDispute({
      app: a,
      dispute: d,
      partnership: p,
      settlementId: 's',
      arrangementId: 'arr_2',
      today: '2025-03-01',
      at: '2025-03-01T10:00:00.000Z',
    });

  it('refuses a dispute that is not decided, or whose interim arrangement is not on the application', () => {
    expect(() => run(base(), { ...decided('la-la', {}), status: 'active' })).toThrow('is not decided');
    expect(() => run(base(), { ...decided('la-la', {}), interimArrangementId: 'arr_x' })).toThrow('interim arrangement arr_x');
  });

  it('with no responsible ICB anywhere, the council carries the whole; an ICB lead is honoured', () => {
    const a = { ...base(), determination: null, arrangements: [interim([['LA-A', 'la', 10_000]])] };
    const { arrangement } = run(a, decided('la-la', { responsibleLa: 'LA-B' }), {
      ...partnership,
      funding: { ...partnership.funding, interimLead: 'icb' },
    });
    expect(arrangement.shares).toEqual([{ body: 'LA-B', party: 'la', basisPoints: 10_000 }]);
    expect(arrangement.lead).toBe('LA-B');
  });

  it('the outcome’s split decides the shares and an agreement is described as agreed', () => {
    const { arrangement } = run(
      base(),
      decided('icb-la', { responsibleIcb: 'ICB-B', kind: 'agreement', decidedBy: 'ICB-B and LA-A', split: { icbBasisPoints: 7_000 } }),
    );
    expect(arrangement.shares).toEqual([
      { body: 'ICB-B', party: 'icb', basisPoints: 7_000 },
      { body: 'LA-A', party: 'la', basisPoints: 3_000 },
    ]);
    expect(arrangement.basis).toContain('ICB-B and LA-A agreed the dispute');
  });
});
