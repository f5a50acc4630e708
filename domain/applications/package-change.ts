/**
 * Package changes (issue 13 item 3): a service line added, ended, its weekly cost changed from a date (an
 * uplift), a top-up agreed, or the ICB/council split agreed at panel for one line. Each is a decision with its
 * author, effective date and reason, appended to the application's decisions; the care plan it changes is what
 * the ledger (domain/funding/ledger.ts) and the exports read. A change that raises the weekly s117 cost above the
 * partnership's panel threshold is recorded as awaiting the panel and changes nothing meanwhile: the package in
 * force stays in force (R-WP-GEN-5). Pure: the id, the time and the threshold come in as arguments.
 * @see rules.md R-APP-1, R-CHG-1, R-CHG-3, R-CHG-7, R-PHB-3
 */
import type { LocalDate } from '../dates.ts';
import type { OrgCode } from '../facts.ts';
import { WHOLE, type BasisPoints, type Pence } from '../money.ts';
import { fundedWeeklyCostOn, lineInForce, weeklyCostOn } from '../apportionment/policy.ts';
import type { Application, Instant, ServiceCategory, ServiceLine, TopUpAgreement } from './application.ts';

export type PackageChangeRequest =
  | {
      kind: 'add-line';
      line: Omit<ServiceLine, 'id' | 'uplifts' | 'agreedSplit' | 'topUp' | 'startDate' | 'endDate'> & { id?: string; endDate?: LocalDate };
    }
  | { kind: 'end-line'; lineId: string }
  | { kind: 'change-cost'; lineId: string; weeklyCostPence: Pence }
  | { kind: 'top-up'; lineId: string; topUp: Omit<TopUpAgreement, 'id' | 'from'> }
  | { kind: 'line-split'; lineId: string; icbBasisPoints: BasisPoints; panelDecisionRef: string };

export type PackageChangeKind = PackageChangeRequest['kind'];

export interface PackageDecision {
  id: string;
  kind: PackageChangeKind;
  lineId: string;
  /** The first day the change has effect (for an ending, the line's last day). */
  effectiveDate: LocalDate;
  reason: string;
  by: { userId: string; org: OrgCode };
  at: Instant;
  /** 'in-force': applied to the care plan; 'awaiting-panel': above the panel threshold, nothing changed yet. */
  state: 'in-force' | 'awaiting-panel';
  ruleIds: string[];
  /** Plain English, quotable in a letter or the chronology. */
  explanation: string;
  /** The change as asked, kept so that a panel's approval can apply it later. */
  request: PackageChangeRequest;
}

export interface PackageChangeContext {
  id: string;
  effectiveDate: LocalDate;
  reason: string;
  by: { userId: string; org: OrgCode };
  at: Instant;
  /** The partnership's panel threshold for a package (weekly s117 pence); undefined: no panel. */
  panelThresholdPence?: Pence;
}

export type PackageChangeResult =
  | { kind: 'applied' | 'awaiting-panel'; app: Application; decision: PackageDecision }
  | { kind: 'unchanged'; app: Application; decision: PackageDecision }
  | { kind: 'rejected'; field: string; reason: string };

/** The accommodation types the choice-of-accommodation regulations cover (SI 2014/2670 regs 2(2), 6-8): R-CHG-3. */
const TOP_UP_CATEGORIES: readonly ServiceCategory[] = ['accommodation'];

const reject = (field: string, reason: string): PackageChangeResult => ({ kind: 'rejected', field, reason });

/** Weekly cost of the s117 lines the bodies fund on a date, after uplifts and top-ups. */
export function fundedS117On(lines: readonly ServiceLine[], date: LocalDate): Pence {
  return lines.filter((l) => l.s117 && lineInForce(l, date)).reduce((sum, l) => sum + fundedWeeklyCostOn(l, date), 0);
}

function nextLineId(lines: readonly ServiceLine[]): string {
  const used = new Set(lines.map((l) => l.id));
  let n = lines.length + 1;
  while (used.has(`line-${n}`)) n += 1;
  return `line-${n}`;
}

/**
 * Applies one change to the application's care plan, or records it as awaiting the panel, or refuses it with the
 * field and the reason. A change whose id is already recorded is not made twice (a retried request).
 */
export function applyPackageChange(app: Application, request: PackageChangeRequest, ctx: PackageChangeContext): PackageChangeResult {
  const existing = app.packageDecisions?.find((d) => d.id === ctx.id);
  if (existing !== undefined) return { kind: 'unchanged', app, decision: existing };
  if (app.status === 'withdrawn' || app.status === 'not-eligible')
    return reject('status', `the application is ${app.status}: its package cannot change`);
  const date = ctx.effectiveDate;
  const lines = app.carePlan.serviceLines;
  const changed = lines.map((l) => ({ ...l }));
  let lineId: string;
  let explanation: string;
  let ruleIds: string[];
  if (request.kind === 'add-line') {
    lineId = request.line.id ?? nextLineId(lines);
    if (lines.some((l) => l.id === lineId)) return reject('body.line.id', `a line ${lineId} already exists`);
    if (request.line.endDate !== undefined && request.line.endDate < date)
      return reject('body.line.endDate', 'must not be before effectiveDate');
    const line: ServiceLine = {
      id: lineId,
      description: request.line.description,
      provider: request.line.provider,
      category: request.line.category,
      s117: request.line.s117,
      weeklyCostPence: request.line.weeklyCostPence,
      startDate: date,
    };
    if (request.line.endDate !== undefined) line.endDate = request.line.endDate;
    changed.push(line);
    explanation = `${line.description} (${line.provider}) added from ${date} at ${line.weeklyCostPence} pence a week, ${line.s117 ? 'as s117 aftercare, free to the person' : 'as a service under other law, which may be charged'}.`;
    ruleIds = line.s117 ? ['R-APP-1', 'R-CHG-1'] : ['R-CHG-7'];
  } else {
    lineId = request.lineId;
    const index = changed.findIndex((l) => l.id === lineId);
    const line = changed[index];
    if (line === undefined) return reject('body.lineId', `no service line ${lineId} on this application`);
    switch (request.kind) {
      case 'end-line':
        if (date < line.startDate) return reject('body.effectiveDate', `must not be before the line's start, ${line.startDate}`);
        line.endDate = date;
        explanation = `${line.description} ends: ${date} is its last day.`;
        ruleIds = ['R-APP-1'];
        break;
      case 'change-cost': {
        if (date < line.startDate) return reject('body.effectiveDate', `must not be before the line's start, ${line.startDate}`);
        const before = weeklyCostOn(line, date);
        line.uplifts = [
          ...(line.uplifts ?? []).filter((u) => u.from !== date),
          { from: date, weeklyCostPence: request.weeklyCostPence },
        ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
        explanation = `${line.description} costs ${request.weeklyCostPence} pence a week from ${date} (was ${before}).`;
        ruleIds = ['R-APP-1'];
        break;
      }
      case 'top-up': {
        // R-CHG-3: only accommodation of a specified type, chosen by the person, dearer than the council's usual
        // cost; the top-up is at most the difference (the council may agree less, reg 4(5)); the person may pay
        // their own top-up under s117 (unlike Care Act reg 5(5)). A line not under s117 is charged anyway.
        if (!line.s117) return reject('body.lineId', 'a top-up agreement is for s117 accommodation; this line is not s117 (R-CHG-3)');
        if (!TOP_UP_CATEGORIES.includes(line.category))
          return reject('body.lineId', `a top-up is allowed only for preferred accommodation (R-CHG-3), not ${line.category}`);
        const cost = weeklyCostOn(line, date);
        const room = cost - request.topUp.usualCostWeeklyPence;
        if (room <= 0)
          return reject(
            'body.topUp.usualCostWeeklyPence',
            `the accommodation costs no more than the usual cost (${cost} pence a week): no top-up may be asked (R-CHG-3)`,
          );
        if (request.topUp.weeklyPence > room)
          return reject('body.topUp.weeklyPence', `must be at most the cost less the usual cost, ${room} pence a week (R-CHG-3, reg 4(3))`);
        if (request.topUp.signedOn > date)
          return reject('body.topUp.signedOn', 'the written agreement must be signed before it takes effect (R-CHG-3, reg 5)');
        line.topUp = { ...request.topUp, id: ctx.id, from: date };
        const payer = request.topUp.payer.kind === 'person' ? 'the person' : request.topUp.payer.name;
        explanation = `${payer} tops up ${line.description} by ${request.topUp.weeklyPence} pence a week from ${date}, under a written agreement signed ${request.topUp.signedOn}, review ${request.topUp.reviewDate}: the accommodation costs ${cost} against the council's usual ${request.topUp.usualCostWeeklyPence}, and the usual cost stays free to the person.`;
        ruleIds = ['R-CHG-3', 'R-CHG-1'];
        break;
      }
      case 'line-split':
        if (!line.s117)
          return reject('body.lineId', 'a line not under s117 is met under other law, not shared between the bodies (R-CHC-1)');
        if (request.icbBasisPoints < 0 || request.icbBasisPoints > WHOLE) return reject('body.icbBasisPoints', `must be 0 to ${WHOLE}`);
        line.agreedSplit = { icbBasisPoints: request.icbBasisPoints, panelDecisionRef: request.panelDecisionRef, decisionDate: date };
        explanation = `The panel (${request.panelDecisionRef}) agreed ${request.icbBasisPoints / 100}% ICB, ${(WHOLE - request.icbBasisPoints) / 100}% council for ${line.description}, from ${date}, where the partnership shares lines as agreed at panel.`;
        ruleIds = ['R-APP-1'];
        break;
    }
  }
  const before = fundedS117On(lines, date);
  const after = fundedS117On(changed, date);
  const toPanel = ctx.panelThresholdPence !== undefined && after > before && after > ctx.panelThresholdPence;
  const decision: PackageDecision = {
    id: ctx.id,
    kind: request.kind,
    lineId,
    effectiveDate: date,
    reason: ctx.reason,
    by: ctx.by,
    at: ctx.at,
    state: toPanel ? 'awaiting-panel' : 'in-force',
    ruleIds: toPanel ? [...ruleIds, 'R-WP-GEN-5'] : ruleIds,
    explanation: toPanel
      ? `${explanation} The package would then cost ${after} pence a week, above the panel's ${ctx.panelThresholdPence} pence: it goes to the panel, and the package in force stays in force meanwhile.`
      : explanation,
    request,
  };
  const next: Application = {
    ...app,
    carePlan: toPanel ? app.carePlan : { serviceLines: changed },
    packageDecisions: [...(app.packageDecisions ?? []), decision],
  };
  return { kind: toPanel ? 'awaiting-panel' : 'applied', app: next, decision };
}
