/**
 * Recharge statements between each pair of bodies, ready for the agreement of balances: the shares a
 * lead commissioner recharges to the other payers (from the export rows, adjustments included), and
 * the settlement recharges that true up an interim period after a dispute (issue 5).
 */
import type { OrgCode } from '../facts.ts';
import type { Pence } from '../money.ts';
import type { PeriodKey } from '../apportionment/periods.ts';
import type { RechargeEntry } from '../apportionment/settlement.ts';
import type { ExportRow } from './rows.ts';

export type RechargeSource = 'SHARE' | 'ADJUSTMENT' | 'SETTLEMENT';

export interface RechargeStatementLine {
  /** The service period the money is for (an adjustment's adjusted period). */
  servicePeriod: PeriodKey;
  source: RechargeSource;
  from: OrgCode;
  to: OrgCode;
  /** Signed for shares and adjustments (a negative adjustment is a credit); settlements are positive. */
  pence: Pence;
  /** How many rows or settlement entries the line sums. */
  entries: number;
}

export interface RechargeStatement {
  /** The pair, in code order. */
  bodyA: OrgCode;
  bodyB: OrgCode;
  lines: RechargeStatementLine[];
  /** Net: what B owes A (negative: A owes B). */
  bOwesA: Pence;
}

/**
 * Statements per pair of bodies. A row's share is owed by its payer to its counterparty (the lead);
 * rows adjusted because a dispute settled are left out, because the settlement entries move that money
 * between the bodies directly. Memory grows with pairs × periods, not with rows.
 */
export function rechargeStatements(rows: Iterable<ExportRow>, settlements: Iterable<RechargeEntry>): RechargeStatement[] {
  const lines = new Map<string, RechargeStatementLine>();
  const add = (servicePeriod: PeriodKey, source: RechargeSource, from: OrgCode, to: OrgCode, pence: Pence): void => {
    const key = `${from}\u0000${to}\u0000${servicePeriod}\u0000${source}`;
    const l = lines.get(key);
    if (l === undefined) lines.set(key, { servicePeriod, source, from, to, pence, entries: 1 });
    else {
      l.pence += pence;
      l.entries += 1;
    }
  };
  for (const r of rows) {
    if (r.counterpartyOrgCode === '' || r.counterpartyOrgCode === r.payerOrgCode || r.reasonCode === 'SETTLEMENT') continue;
    add(
      r.isAdjustment ? r.adjustsPeriod : r.periodMonth,
      r.isAdjustment ? 'ADJUSTMENT' : 'SHARE',
      r.payerOrgCode,
      r.counterpartyOrgCode,
      r.payerShareAmount,
    );
  }
  for (const e of settlements) add(e.period, 'SETTLEMENT', e.payer, e.payee, e.pence);

  const statements = new Map<string, RechargeStatement>();
  for (const l of lines.values()) {
    const [bodyA, bodyB] = l.from < l.to ? [l.from, l.to] : [l.to, l.from];
    const key = `${bodyA}\u0000${bodyB}`;
    let s = statements.get(key);
    if (s === undefined) statements.set(key, (s = { bodyA, bodyB, lines: [], bOwesA: 0 }));
    s.lines.push(l);
    s.bOwesA += l.from === bodyB ? l.pence : -l.pence;
  }
  const order = { SHARE: 0, ADJUSTMENT: 1, SETTLEMENT: 2 } as const;
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const list = [...statements.values()].sort((a, b) => cmp(a.bodyA, b.bodyA) || cmp(a.bodyB, b.bodyB));
  for (const s of list)
    s.lines.sort((a, b) => cmp(a.servicePeriod, b.servicePeriod) || order[a.source] - order[b.source] || cmp(a.from, b.from));
  return list;
}
