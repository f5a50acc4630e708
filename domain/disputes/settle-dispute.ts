/**
 * Settlement at the end of a dispute: responsibility is fixed by a final funding arrangement (appended; the
 * interim one stays in the history), and each body pays what it would have paid under the final answer
 * from the interim start date: the difference becomes recharge entries from payer to payee, in pence.
 * @see rules.md R-WP-DISP-3 (reimbursement back to the start of the interim arrangement, [unverified] default),
 *      R-DISP-LA-9 (recovery follows the determination), R-APP-1
 */
import type { Application, FundingArrangement, FundingShare, Instant } from '../applications/application.ts';
import { settle, type Settlement } from '../apportionment/settlement.ts';
import { addDays, formatLongDate, maxDate, type LocalDate } from '../dates.ts';
import type { OrgCode } from '../facts.ts';
import { WHOLE } from '../money.ts';
import type { Partnership } from '../partnership.ts';
import type { Dispute } from './dispute.ts';

export interface DisputeSettlement {
  arrangement: FundingArrangement;
  settlement: Settlement;
}

const sideBody = (a: FundingArrangement, party: 'icb' | 'la'): OrgCode | null =>
  [...a.shares].filter((s) => s.party === party).sort((x, y) => y.basisPoints - x.basisPoints)[0]?.body ?? null;

/**
 * The final arrangement a decided dispute leads to: the responsible ICB and council the outcome names
 * (else the determination's, else the interim's), sharing the cost by the outcome's split (else the
 * partnership's agreed split). It takes effect from `today` (or the interim start, if later); the
 * settlement applies it back to the interim start.
 */
export function finalArrangement(
  app: Application,
  dispute: Dispute,
  interim: FundingArrangement,
  partnership: Partnership,
  id: string,
  today: LocalDate,
  at: Instant,
): FundingArrangement {
  const o = dispute.outcome;
  if (dispute.status !== 'decided' || o === undefined) throw new Error(`dispute ${dispute.id} is not decided`);
  const icb = o.responsibleIcb ?? app.determination?.icb.body ?? sideBody(interim, 'icb');
  const la = o.responsibleLa ?? app.determination?.localAuthority.body ?? sideBody(interim, 'la');
  const icbShare = icb === null ? 0 : la === null ? WHOLE : (o.split?.icbBasisPoints ?? partnership.funding.agreedIcbShare);
  const shares: FundingShare[] = [];
  if (icb !== null && icbShare > 0) shares.push({ body: icb, party: 'icb', basisPoints: icbShare });
  if (la !== null && WHOLE - icbShare > 0) shares.push({ body: la, party: 'la', basisPoints: WHOLE - icbShare });
  const lead = (partnership.funding.interimLead === 'icb' ? (icb ?? la) : (la ?? icb)) ?? interim.lead;
  const startDate = maxDate(today, interim.startDate);
  const how = o.kind === 'determination' ? `${o.decidedBy} determined` : `${o.decidedBy} agreed`;
  return {
    id,
    state: 'agreed',
    withoutPrejudice: false,
    startDate,
    lead,
    shares,
    basis: `${how} the dispute on ${formatLongDate(o.at.slice(0, 10))}: ${o.reason} ${shares.map((s) => `${s.body} ${s.basisPoints / 100}%`).join(', ')} from ${formatLongDate(startDate)}; the interim period from ${formatLongDate(interim.startDate)} is settled by recharges.`,
    ruleIds: [...new Set([...o.ruleIds, 'R-APP-1'])],
    createdAt: at,
  };
}

/**
 * Responsibility fixed and the interim period settled: the final arrangement and the recharges for every
 * day from the interim start to the day before the final arrangement starts.
 */
export function settleDispute(input: {
  app: Application;
  dispute: Dispute;
  partnership: Partnership;
  settlementId: string;
  arrangementId: string;
  today: LocalDate;
  at: Instant;
}): DisputeSettlement {
  const { app, dispute, partnership } = input;
  const interim = app.arrangements.find((a) => a.id === dispute.interimArrangementId);
  if (interim === undefined)
    throw new Error(`dispute ${dispute.id}: interim arrangement ${dispute.interimArrangementId} is not on application ${app.id}`);
  const arrangement = finalArrangement(app, dispute, interim, partnership, input.arrangementId, input.today, input.at);
  return { arrangement, settlement: interimSettlement(app, interim, arrangement, partnership.id, input.settlementId) };
}

/**
 * The recharges for the interim period under a final arrangement already made: every day from the interim
 * start to the day before the final arrangement starts. The same inputs give the same entries (retries).
 */
export function interimSettlement(
  app: Application,
  interim: FundingArrangement,
  final: FundingArrangement,
  partnershipId: string,
  settlementId: string,
): Settlement {
  return settle({ settlementId, partnershipId, plan: app.carePlan, interim, final, policies: [], upTo: addDays(final.startDate, -1) });
}
