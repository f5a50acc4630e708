/**
 * Settlement at the end of a dispute: each body pays what it would have paid under the final answer
 * from the interim start date, and the difference becomes recharge entries from payer to payee, in
 * whole pence. History is never rewritten: settlement adds entries.
 * @see rules.md R-WP-GEN-5, R-DISP-LA-3, R-APP-1 (issue 5)
 */
import type { LocalDate } from '../dates.ts';
import type { OrgCode } from '../facts.ts';
import type { Pence } from '../money.ts';
import type { CarePlan, FundingArrangement } from '../applications/application.ts';
import { arrangementPolicy, bodiesOf, type ApportionmentPolicy } from './policy.ts';
import type { PeriodKey } from './periods.ts';
import { fundingTerms, lineSchedule, type FundingTerm, type PeriodCommitment } from './schedule.ts';

export interface SettlementInput {
  settlementId: string;
  partnershipId: string;
  plan: CarePlan;
  /** The interim without-prejudice arrangement the bodies paid under. */
  interim: FundingArrangement;
  /** The final answer: applies from the interim start date, whatever its own start date. */
  final: FundingArrangement;
  /** The partnership's policies, for a final arrangement that is agreed (an interim one keeps its shares). */
  policies: readonly ApportionmentPolicy[];
  /** The last day the settlement covers (inclusive); later days are paid under the final arrangement directly. */
  upTo: LocalDate;
}

export interface RechargeEntry {
  settlementId: string;
  /** 1-based, in order: by line, then period, then payer and payee. */
  n: number;
  lineId: string;
  period: PeriodKey;
  financialYear: string;
  periodNumber: number;
  payer: OrgCode;
  payee: OrgCode;
  /** Always positive. */
  pence: Pence;
  reason: 'SETTLEMENT';
}

export interface BodyPosition {
  body: OrgCode;
  /** Committed under the interim arrangement. */
  interimPence: Pence;
  /** Due under the final answer. */
  finalPence: Pence;
  /** final − interim: positive, the body pays this much to others; negative, it is paid back. */
  differencePence: Pence;
}

export interface Settlement {
  settlementId: string;
  from: LocalDate;
  upTo: LocalDate;
  entries: RechargeEntry[];
  positions: BodyPosition[];
}

/**
 * Works out who owes whom for the interim period. For each line and period the interim and final
 * schedules have the same gross (the line's cost does not depend on who pays), so each body's
 * difference sums to zero across the bodies; bodies that owe pay those owed, in order of org code,
 * in whole pence, never a negative amount.
 * @see rules.md R-APP-1
 */
export function settle(input: SettlementInput): Settlement {
  const from = input.interim.startDate;
  const interimTerms: FundingTerm[] = [
    { from, arrangement: input.interim, policy: arrangementPolicy(input.interim, input.partnershipId), bodies: bodiesOf(input.interim) },
  ];
  const finalTerms = fundingTerms([{ ...input.final, startDate: from }], input.policies, input.partnershipId);
  const entries: RechargeEntry[] = [];
  const positions = new Map<OrgCode, BodyPosition>();
  const position = (body: OrgCode): BodyPosition => {
    let p = positions.get(body);
    if (p === undefined) positions.set(body, (p = { body, interimPence: 0, finalPence: 0, differencePence: 0 }));
    return p;
  };
  for (const line of input.plan.serviceLines) {
    const interim = [...lineSchedule(line, interimTerms, input.upTo)];
    const final = new Map<string, PeriodCommitment>();
    for (const c of lineSchedule(line, finalTerms, input.upTo)) final.set(c.period.key, c);
    for (const i of interim) {
      const f = final.get(i.period.key);
      if (f === undefined || f.grossPence !== i.grossPence)
        throw new Error(`settlement ${input.settlementId}: line ${line.id} ${i.period.key} costs differ between the schedules`);
      const diff = new Map<OrgCode, number>();
      for (const s of i.shares) {
        position(s.body).interimPence += s.pence;
        diff.set(s.body, (diff.get(s.body) ?? 0) - s.pence);
      }
      for (const s of f.shares) {
        position(s.body).finalPence += s.pence;
        diff.set(s.body, (diff.get(s.body) ?? 0) + s.pence);
      }
      const owe = [...diff].filter(([, d]) => d > 0).sort(byCode);
      const owed = [...diff]
        .filter(([, d]) => d < 0)
        .map(([b, d]): [OrgCode, number] => [b, -d])
        .sort(byCode);
      let j = 0;
      for (const o of owe) {
        let left = o[1];
        while (left > 0) {
          const creditor = owed[j];
          if (creditor === undefined) throw new Error(`settlement ${input.settlementId}: differences do not balance`);
          const pence = Math.min(left, creditor[1]);
          entries.push({
            settlementId: input.settlementId,
            n: entries.length + 1,
            lineId: line.id,
            period: i.period.key,
            financialYear: i.period.financialYear,
            periodNumber: i.period.period,
            payer: o[0],
            payee: creditor[0],
            pence,
            reason: 'SETTLEMENT',
          });
          left -= pence;
          creditor[1] -= pence;
          if (creditor[1] === 0) j += 1;
        }
      }
    }
  }
  const list = [...positions.values()].sort((a, b) => byCode([a.body, 0], [b.body, 0]));
  for (const p of list) p.differencePence = p.finalPence - p.interimPence;
  return { settlementId: input.settlementId, from, upTo: input.upTo, entries, positions: list };
}

const byCode = (a: readonly [OrgCode, number], b: readonly [OrgCode, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
