/**
 * Finance export rows: one per person, service line, paying body and financial period, with the fields
 * ICB and council finance teams load into their ledgers (product research section 4). Rows are made
 * lazily from the register, so an export of a million rows never holds them all. Pure: the batch id
 * and `generated_at` come in as arguments (derived from the data by the caller, never the clock).
 */
import type { LocalDate } from '../dates.ts';
import type { BasisPoints, Pence } from '../money.ts';
import type { Application, ApplicationStatus, CarePlan, FundingArrangement, Instant } from '../applications/application.ts';
import type { ApportionmentPolicy } from '../apportionment/policy.ts';
import { bodyKinds, isCrossBorder, kindNamed, type BodyKind } from '../determination.ts';
import type { OrgCode } from '../facts.ts';
import { dayNumber, financialPeriod, type PeriodKey } from '../apportionment/periods.ts';
import { lineSchedule, type PeriodCommitment } from '../apportionment/schedule.ts';
import { ledgerTerms } from '../funding/ledger.ts';
import { chargeability } from '../apportionment/charging.ts';

export type FundingStatus = 'INTERIM_WITHOUT_PREJUDICE' | 'AGREED' | 'DISPUTED' | 'FINAL';

/** Why an adjustment row exists; empty on an ordinary row. */
export type ReasonCode = '' | 'BACKDATE' | 'UPLIFT' | 'COST_CHANGE' | 'SPLIT_CHANGE' | 'RE_DETERMINATION' | 'SETTLEMENT' | 'CORRECTION';

/**
 * Why a row's gross cost is not `units` x `unit_rate` rounded to the penny (empty: it is):
 * - PART_WEEK: the row covers days that are not whole weeks, so `units` (weeks to four places) is itself rounded;
 * - PENNY_CARRIED: the line's gross is rounded once over its whole life (no drift), so a period can carry the
 *   penny an earlier period's rounding left;
 * - RATE_CHANGED: the weekly cost changed within the period (an uplift, a top-up), so no one rate applies and
 *   `units`, `unit_rate` and `proration_pence` are empty.
 */
export type ProrationReason = '' | 'PART_WEEK' | 'PENNY_CARRIED' | 'RATE_CHANGED';

export interface ExportRow {
  exportBatchId: string;
  generatedAt: Instant;
  payerOrgCode: string;
  /** The lead commissioner the share is recharged to; empty on the lead's own share. */
  counterpartyOrgCode: string;
  /** The period the row is booked in ("2024/25", 1..12, "2024-04"); for an adjustment, the batch's period. */
  financialYear: string;
  period: number;
  periodMonth: PeriodKey;
  serviceFrom: LocalDate;
  serviceTo: LocalDate;
  registerId: string;
  packageLineId: string;
  provider: string;
  serviceType: string;
  s117: boolean;
  /** true only for a line met under other law; an s117 line is never chargeable (R-CHG-1). */
  chargeable: boolean;
  unit: string;
  /** Weeks in force to four places, when one weekly rate held throughout; empty otherwise. */
  units: string;
  unitRate: Pence | null;
  grossCost: Pence;
  splitBasis: string;
  policyRef: string;
  payerSharePct: BasisPoints;
  payerShareAmount: Pence;
  fundingStatus: FundingStatus;
  agreementRef: string;
  panelDecisionRef: string;
  decisionDate: LocalDate;
  isAdjustment: boolean;
  adjustsBatchId: string;
  adjustsPeriod: string;
  reasonCode: ReasonCode;
  personRef: string;
  /** gross_cost less `units` x `unit_rate` rounded half up to the penny: 0 when the row reconciles; null without a rate. */
  prorationPence: Pence | null;
  prorationReason: ProrationReason;
  /**
   * Added December 2026 (issue 14): the kind of body the payer is, as the determination names it (an English ICB,
   * NHS England, a Welsh Local Health Board or council, a body outside England and Wales); empty when the
   * determination does not name the payer (a stand-in, a body named in a dispute), never guessed from its side.
   */
  payerBodyKind: BodyKind | '';
  /** Added December 2026: the payer or the body it recharges is Welsh or outside England and Wales (R-XB-1 to R-XB-3). */
  crossBorder: boolean;
}

/** How a column is written: text is escaped against formula injection; the rest are numbers, dates or flags. */
export type ColumnKind = 'text' | 'int' | 'pence' | 'basis-points' | 'decimal' | 'date' | 'instant' | 'flag';

export interface ExportColumn {
  name: string;
  key: keyof ExportRow;
  kind: ColumnKind;
}

/** The row schema, in the fixed order every CSV and XLSX export writes it. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = Object.freeze([
  { name: 'export_batch_id', key: 'exportBatchId', kind: 'text' },
  { name: 'generated_at', key: 'generatedAt', kind: 'instant' },
  { name: 'payer_org_code', key: 'payerOrgCode', kind: 'text' },
  { name: 'counterparty_org_code', key: 'counterpartyOrgCode', kind: 'text' },
  { name: 'financial_year', key: 'financialYear', kind: 'text' },
  { name: 'period', key: 'period', kind: 'int' },
  { name: 'period_month', key: 'periodMonth', kind: 'text' },
  { name: 'service_from', key: 'serviceFrom', kind: 'date' },
  { name: 'service_to', key: 'serviceTo', kind: 'date' },
  { name: 'register_id', key: 'registerId', kind: 'text' },
  { name: 'package_line_id', key: 'packageLineId', kind: 'text' },
  { name: 'provider', key: 'provider', kind: 'text' },
  { name: 'service_type', key: 'serviceType', kind: 'text' },
  { name: 's117', key: 's117', kind: 'flag' },
  { name: 'chargeable', key: 'chargeable', kind: 'flag' },
  { name: 'unit', key: 'unit', kind: 'text' },
  { name: 'units', key: 'units', kind: 'decimal' },
  { name: 'unit_rate', key: 'unitRate', kind: 'pence' },
  { name: 'gross_cost', key: 'grossCost', kind: 'pence' },
  { name: 'split_basis', key: 'splitBasis', kind: 'text' },
  { name: 'policy_ref', key: 'policyRef', kind: 'text' },
  { name: 'payer_share_pct', key: 'payerSharePct', kind: 'basis-points' },
  { name: 'payer_share_amount', key: 'payerShareAmount', kind: 'pence' },
  { name: 'funding_status', key: 'fundingStatus', kind: 'text' },
  { name: 'agreement_ref', key: 'agreementRef', kind: 'text' },
  { name: 'panel_decision_ref', key: 'panelDecisionRef', kind: 'text' },
  { name: 'decision_date', key: 'decisionDate', kind: 'date' },
  { name: 'is_adjustment', key: 'isAdjustment', kind: 'flag' },
  { name: 'adjusts_batch_id', key: 'adjustsBatchId', kind: 'text' },
  { name: 'adjusts_period', key: 'adjustsPeriod', kind: 'text' },
  { name: 'reason_code', key: 'reasonCode', kind: 'text' },
  { name: 'person_ref', key: 'personRef', kind: 'text' },
  { name: 'proration_pence', key: 'prorationPence', kind: 'pence' },
  { name: 'proration_reason', key: 'prorationReason', kind: 'text' },
  { name: 'payer_body_kind', key: 'payerBodyKind', kind: 'text' },
  { name: 'cross_border', key: 'crossBorder', kind: 'flag' },
] satisfies ExportColumn[]);

/** What an export reads of an application (an Application fits). */
export interface ExportCase {
  id: string;
  version: number;
  partnershipId: string;
  personRef: string;
  status: ApplicationStatus;
  updatedAt: Instant;
  carePlan: CarePlan;
  arrangements: readonly FundingArrangement[];
  /** Added December 2026: the kind of each body the determination names (bodyKinds); absent on cases listed before. */
  bodyKinds?: Readonly<Record<OrgCode, BodyKind>>;
}

/** A row written before December 2026 (read back to diff against) has no body kind: it says none. */
export const withBodyKind = (r: Omit<ExportRow, 'payerBodyKind' | 'crossBorder'> & Partial<ExportRow>): ExportRow => ({
  ...r,
  payerBodyKind: r.payerBodyKind ?? '',
  crossBorder: r.crossBorder ?? false,
});

/** The fields of an application an export reads: no NHS number, name or facts. */
export function toExportCase(app: Application): ExportCase {
  return {
    id: app.id,
    version: app.version,
    partnershipId: app.partnershipId,
    personRef: app.personRef,
    status: app.status,
    updatedAt: app.updatedAt,
    carePlan: app.carePlan,
    arrangements: app.arrangements,
    bodyKinds: bodyKinds(app.determination),
  };
}

export interface ExportBatch {
  id: string;
  generatedAt: Instant;
  /** The period the batch is for; adjustments it carries are booked in it. */
  period: PeriodKey;
}

export interface RowsRequest {
  batch: ExportBatch;
  /** The periods to restate, inclusive: the batch's own period, or earlier ones to diff for adjustments. */
  from: PeriodKey;
  to: PeriodKey;
  policies: readonly ApportionmentPolicy[];
}

/** The funding status a finance team sees for rows under an arrangement. */
export function fundingStatus(arrangement: FundingArrangement, c: Pick<ExportCase, 'status' | 'arrangements'>): FundingStatus {
  if (arrangement.state === 'interim') return c.status === 'in-dispute' ? 'DISPUTED' : 'INTERIM_WITHOUT_PREJUDICE';
  const before = c.arrangements.slice(0, Math.max(0, c.arrangements.indexOf(arrangement)));
  // The interim arrangement recorded at submission only holds until the bodies answer (issue 13): an agreement
  // that supersedes it alone is agreed at first asking, not the final word after a dispute or a silence.
  return c.status === 'settled' || before.some((a) => a.state === 'interim' && a.cause !== 'submission') ? 'FINAL' : 'AGREED';
}

/** `units` (weeks, a decimal string) x `rate` pence, rounded half up to the penny, in integer arithmetic. */
export function unitsTimesRate(units: string, rate: Pence): Pence {
  const [whole = '0', frac = ''] = units.split('.');
  const scale = 10 ** frac.length;
  const scaled = Number(whole) * scale + (frac === '' ? 0 : Number(frac));
  return Math.floor((2 * scaled * rate + scale) / (2 * scale));
}

/**
 * How a row reconciles: gross = units x unit_rate (rounded to the penny) + proration_pence, and the reason
 * when proration_pence is not 0. `days` is the number of days the row's units count.
 */
export function reconciliation(
  units: string,
  rate: Pence | null,
  gross: Pence,
  days: number,
): { prorationPence: Pence | null; prorationReason: ProrationReason } {
  if (rate === null || units === '') return { prorationPence: null, prorationReason: 'RATE_CHANGED' };
  const prorationPence = gross - unitsTimesRate(units, rate);
  if (prorationPence === 0) return { prorationPence, prorationReason: '' };
  return { prorationPence, prorationReason: days % 7 === 0 ? 'PENNY_CARRIED' : 'PART_WEEK' };
}

/** Days from one ISO date to another, inclusive. */
const daysIn = (from: LocalDate, to: LocalDate): number => dayNumber(to) - dayNumber(from) + 1;

/** One case's rows for the requested periods: lines in plan order, then periods, then bodies (ICB side first). */
export function* caseRows(c: ExportCase, request: RowsRequest): Generator<ExportRow> {
  const terms = ledgerTerms(c, request.policies);
  if (terms.length === 0) return;
  const through = financialPeriod(request.to).end;
  for (const line of c.carePlan.serviceLines) {
    const chargeable = chargeability(line).chargeable;
    for (const commitment of lineSchedule(line, terms, through)) {
      if (commitment.period.key < request.from) continue;
      yield* commitmentRows(c, line.provider, line.category, line.s117, chargeable, commitment, request.batch);
    }
  }
}

function* commitmentRows(
  c: ExportCase,
  provider: string,
  category: string,
  s117: boolean,
  chargeable: boolean,
  k: PeriodCommitment,
  batch: ExportBatch,
): Generator<ExportRow> {
  const { arrangement, policy } = k.term;
  const status = fundingStatus(arrangement, c);
  const units = k.weeklyRatePence === null ? '' : (k.days / 7).toFixed(4);
  const proration = reconciliation(units, k.weeklyRatePence, k.grossPence, k.days);
  const kindOf = (body: OrgCode): BodyKind | '' => kindNamed(c.bodyKinds, body) ?? '';
  const leadKind = kindOf(arrangement.lead);
  for (const s of k.shares) {
    const payerBodyKind = kindOf(s.body);
    yield {
      exportBatchId: batch.id,
      generatedAt: batch.generatedAt,
      payerOrgCode: s.body,
      counterpartyOrgCode: s.body === arrangement.lead ? '' : arrangement.lead,
      financialYear: k.period.financialYear,
      period: k.period.period,
      periodMonth: k.period.key,
      serviceFrom: k.serviceFrom,
      serviceTo: k.serviceTo,
      registerId: c.id,
      packageLineId: k.lineId,
      provider,
      serviceType: category,
      s117,
      chargeable,
      unit: 'week',
      units,
      unitRate: k.weeklyRatePence,
      grossCost: k.grossPence,
      splitBasis: k.split.basis,
      policyRef: `${policy.id}@${policy.version}`,
      payerSharePct: s.basisPoints,
      payerShareAmount: s.pence,
      fundingStatus: status,
      agreementRef: arrangement.id,
      panelDecisionRef: k.split.panelDecisionRef ?? '',
      decisionDate: k.split.decisionDate ?? arrangement.createdAt.slice(0, 10),
      isAdjustment: false,
      adjustsBatchId: '',
      adjustsPeriod: '',
      reasonCode: '',
      personRef: c.personRef,
      ...proration,
      payerBodyKind,
      crossBorder: isCrossBorder(payerBodyKind) || isCrossBorder(leadKind),
    };
  }
}

/** Rows for every case, lazily, in the order the cases come (callers pass them in register-id order). */
export function* exportRows(cases: Iterable<ExportCase>, request: RowsRequest): Generator<ExportRow> {
  for (const c of cases) yield* caseRows(c, request);
}

/** The same, over cases read asynchronously (a paginated register scan). */
export async function* exportRowsAsync(
  cases: AsyncIterable<ExportCase> | Iterable<ExportCase>,
  request: RowsRequest,
): AsyncGenerator<ExportRow> {
  for await (const c of cases) yield* caseRows(c, request);
}

/** The line, payer and service period a row is about: an adjustment's key is the period it adjusts. */
export function rowKey(r: ExportRow): string {
  return `${r.registerId}\u0000${r.packageLineId}\u0000${r.payerOrgCode}\u0000${r.isAdjustment ? r.adjustsPeriod : r.periodMonth}`;
}

/**
 * A change found after a period was exported, as adjustment rows for a later batch: for every line,
 * payer and period already exported, the signed difference between what is due now (`current`, the
 * restated rows of those periods) and everything exported so far (`previous`, ordinary and adjustment
 * rows of earlier batches). Rows of periods never exported are ignored: they belong in their own batch.
 * An exported file is never rewritten; the adjustments say which batch and period they adjust and why.
 */
export function diffAgainstPrevious(previous: Iterable<ExportRow>, current: Iterable<ExportRow>, batch: ExportBatch): ExportRow[] {
  const exported = new Map<string, { total: number; last: ExportRow }>();
  const periods = new Set<string>();
  const periodBatch = new Map<string, string>();
  const lineBefore = new Map<string, ExportRow>();
  for (const r of previous) {
    const key = rowKey(r);
    const period = r.isAdjustment ? r.adjustsPeriod : r.periodMonth;
    periods.add(period);
    periodBatch.set(period, r.exportBatchId);
    lineBefore.set(lineKeyOf(r), r);
    const e = exported.get(key);
    if (e === undefined) exported.set(key, { total: r.payerShareAmount, last: r });
    else {
      e.total += r.payerShareAmount;
      e.last = r;
    }
  }
  const now = new Map<string, ExportRow>();
  const lineNow = new Map<string, ExportRow>();
  for (const r of current) {
    if (r.isAdjustment || !periods.has(r.periodMonth)) continue;
    now.set(rowKey(r), r);
    if (!lineNow.has(lineKeyOf(r))) lineNow.set(lineKeyOf(r), r);
  }
  const booked = financialPeriod(batch.period);
  const out: ExportRow[] = [];
  const adjust = (base: ExportRow, key: string, delta: number, reasonCode: ReasonCode, gross: Pence, pct: BasisPoints): void => {
    // A line no longer in force in the period is due nothing: none of its weeks remain.
    const units = gross === 0 && base.unitRate !== null ? (0).toFixed(4) : base.units;
    const adjusts =
      exported.get(key)?.last.exportBatchId ??
      lineBefore.get(lineKeyOf(base))?.exportBatchId ??
      periodBatch.get(base.isAdjustment ? base.adjustsPeriod : base.periodMonth) ??
      '';
    out.push({
      ...base,
      exportBatchId: batch.id,
      generatedAt: batch.generatedAt,
      financialYear: booked.financialYear,
      period: booked.period,
      periodMonth: booked.key,
      units,
      grossCost: gross,
      ...reconciliation(units, base.unitRate, gross, gross === 0 ? 0 : daysIn(base.serviceFrom, base.serviceTo)),
      payerSharePct: pct,
      payerShareAmount: delta,
      isAdjustment: true,
      adjustsBatchId: adjusts,
      adjustsPeriod: base.isAdjustment ? base.adjustsPeriod : base.periodMonth,
      reasonCode,
    });
  };
  for (const [key, r] of now) {
    const e = exported.get(key);
    const delta = r.payerShareAmount - (e?.total ?? 0);
    if (delta === 0) continue;
    const before = e?.last ?? lineBefore.get(lineKeyOf(r));
    adjust(r, key, delta, before === undefined ? 'BACKDATE' : reasonFor(before, r), r.grossCost, r.payerSharePct);
  }
  for (const [key, e] of exported) {
    if (now.has(key) || e.total === 0) continue;
    const line = lineNow.get(lineKeyOf(e.last));
    if (line === undefined) {
      adjust(e.last, key, -e.total, 'COST_CHANGE', 0, 0);
      continue;
    }
    // The payer no longer pays: the adjustment is made under the line's terms now.
    const lead = line.counterpartyOrgCode === '' ? line.payerOrgCode : line.counterpartyOrgCode;
    adjust(
      {
        ...e.last,
        counterpartyOrgCode: lead === e.last.payerOrgCode ? '' : lead,
        splitBasis: line.splitBasis,
        policyRef: line.policyRef,
        fundingStatus: line.fundingStatus,
        agreementRef: line.agreementRef,
        panelDecisionRef: line.panelDecisionRef,
        decisionDate: line.decisionDate,
      },
      key,
      -e.total,
      reasonFor(e.last, line),
      line.grossCost,
      0,
    );
  }
  return out;
}

const lineKeyOf = (r: ExportRow): string =>
  `${r.registerId}\u0000${r.packageLineId}\u0000${r.isAdjustment ? r.adjustsPeriod : r.periodMonth}`;

/** Why a line's share changed; `now` is the payer's row now, or another payer's row of the same line and period. */
function reasonFor(before: ExportRow, now: ExportRow): ReasonCode {
  if (before.agreementRef !== now.agreementRef) {
    return now.fundingStatus === 'FINAL' && (before.fundingStatus === 'INTERIM_WITHOUT_PREJUDICE' || before.fundingStatus === 'DISPUTED')
      ? 'SETTLEMENT'
      : 'RE_DETERMINATION';
  }
  if (before.grossCost !== now.grossCost) return now.grossCost > before.grossCost ? 'UPLIFT' : 'COST_CHANGE';
  if (before.payerSharePct !== now.payerSharePct || before.splitBasis !== now.splitBasis) return 'SPLIT_CHANGE';
  return 'CORRECTION';
}
