/** The application as the API shows it: the stored application plus the funding in force. */
import {
  fundingInForce,
  type Application,
  type DischargeReadiness,
  type FundingShare,
  type PartyResponse,
} from '#domain/applications/application.ts';
import { percentage } from '#domain/money.ts';
import type { LedgerDay } from '#domain/funding/ledger.ts';
import type { PackageDecision } from '#domain/applications/package-change.ts';
import type { ApplicationView, FundingView, LedgerDayView, ResponseView } from './application-view.schema.ts';
import type { PackageDecisionView } from './package-change.schema.ts';
import type { DischargeView } from './discharge.schema.ts';

const shareView = (share: FundingShare) => ({
  body: share.body,
  party: share.party,
  percentage: percentage(share.basisPoints),
  basisPoints: share.basisPoints,
});

export function toResponseView(response: PartyResponse): ResponseView {
  const view: ResponseView = { party: response.party, body: response.body, decision: response.decision, at: response.at, by: response.by };
  if (response.reason !== undefined) view.reason = response.reason;
  if (response.proposedBody !== undefined) view.proposedBody = response.proposedBody;
  if (response.about !== undefined) view.about = response.about;
  return view;
}

export function toFundingView(app: Application): FundingView {
  const { state, arrangement } = fundingInForce(app);
  if (arrangement === null) {
    return { state, startDate: null, lead: null, shares: [], withoutPrejudice: null, basis: null, arrangementId: null };
  }
  return {
    state,
    startDate: arrangement.startDate,
    lead: arrangement.lead,
    shares: arrangement.shares.map(shareView),
    withoutPrejudice: arrangement.withoutPrejudice,
    basis: arrangement.basis,
    arrangementId: arrangement.id,
  };
}

export function toDischargeView(d: DischargeReadiness): DischargeView {
  return {
    clinicallyReadyOn: d.clinicallyReadyOn ?? null,
    expectedDischargeOn: d.expectedDischargeOn ?? null,
    dischargedOn: d.dischargedOn ?? null,
    delayReasons: d.delayReasons.map((r) => ({ ...r })),
    updatedAt: d.updatedAt,
  };
}

/** A package decision as the API shows it (the change as asked stays on the record). */
export const packageDecisionView = (d: PackageDecision): PackageDecisionView => ({
  id: d.id,
  kind: d.kind,
  lineId: d.lineId,
  effectiveDate: d.effectiveDate,
  reason: d.reason,
  by: { ...d.by },
  at: d.at,
  state: d.state,
  ruleIds: [...d.ruleIds],
  explanation: d.explanation,
});

export function toLedgerDayView(day: LedgerDay): LedgerDayView {
  return {
    date: day.date,
    decision: day.decision === null ? null : { ...day.decision, ruleIds: [...day.decision.ruleIds] },
    lines: day.lines.map((l) => ({ ...l, payers: l.payers.map((p) => ({ ...p })) })),
    fundedWeeklyPence: day.fundedWeeklyPence,
    byBody: day.byBody.map((b) => ({ ...b })),
  };
}

/**
 * The view for a party to the application: they are the commissioners, so they see the NHS number. `inForce` is
 * the ledger's day (what the exports book) when the caller read it.
 */
export function toApplicationView(app: Application, inForce?: LedgerDay): ApplicationView {
  const responses: ApplicationView['responses'] = {};
  if (app.responses.icb !== undefined) responses.icb = toResponseView(app.responses.icb);
  if (app.responses.la !== undefined) responses.la = toResponseView(app.responses.la);
  const view: ApplicationView = {
    id: app.id,
    status: app.status,
    partnershipId: app.partnershipId,
    personRef: app.personRef,
    person: { ...app.person },
    facts: app.facts,
    carePlan: app.carePlan,
    requestedStartDate: app.requestedStartDate,
    submittedBy: { userId: app.submittedBy.userId, org: app.submittedBy.org },
    parties: [...app.parties],
    determination: app.determination,
    responses,
    funding: toFundingView(app),
    arrangements: app.arrangements.map((a) => ({
      id: a.id,
      state: a.state,
      withoutPrejudice: a.withoutPrejudice,
      startDate: a.startDate,
      lead: a.lead,
      shares: a.shares.map(shareView),
      basis: a.basis,
      ruleIds: [...a.ruleIds],
      createdAt: a.createdAt,
    })),
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    version: app.version,
  };
  if (app.meetingNeedsNow !== undefined) view.meetingNeedsNow = app.meetingNeedsNow;
  if (app.packageDecisions !== undefined) view.packageDecisions = app.packageDecisions.map(packageDecisionView);
  if (inForce !== undefined) view.inForce = toLedgerDayView(inForce);
  if (app.discharge !== undefined) view.discharge = toDischargeView(app.discharge);
  return view;
}
