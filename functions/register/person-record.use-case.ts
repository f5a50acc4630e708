/**
 * One person's record (issue 13 item 6): `GET /v1/register/people/{personRef}` joins the register's facts and
 * episodes (with their reviews and endings) to the person's funding applications, the funding timeline the
 * ledger reads for each, and their disputes; `GET /v1/register/people/{personRef}/chronology` pages through
 * everything appended about the person. Parties only: a caller whose organisation is not a member of the
 * person's partnership gets the 404 a missing person gets, and sees only the applications (and their
 * chronology entries) their organisation is a party to, as the application routes show them.
 */
import type { Application } from '#domain/applications/application.ts';
import { ledgerDay, ledgerTerms, partnershipPolicies } from '#domain/funding/ledger.ts';
import type { Dispute } from '#domain/disputes/dispute.ts';
import type { ChronologyEntry } from '#domain/ports.ts';
import type { EndingRecommendation } from '#domain/register/ending.ts';
import type { Partnership } from '#domain/partnership.ts';
import { toDischargeView } from '../api/application-view.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import type { RegisterDeps } from './deps.ts';
import { personView } from './people.use-case.ts';
import { personFor } from './register.use-case.ts';

/** The most applications one person's record reads (far above any real history; bounds one request's reads). */
export const MAX_PERSON_APPLICATIONS = 50;

/** The applications named in the person's chronology that the caller's organisation is a party to, oldest first. */
async function applicationsOf(
  deps: Pick<RegisterDeps, 'applications'>,
  caller: Caller,
  entries: readonly ChronologyEntry[],
  partnershipId: string,
): Promise<Application[]> {
  const ids = [...new Set(entries.flatMap((e) => (e.applicationId === undefined ? [] : [e.applicationId])))].slice(
    0,
    MAX_PERSON_APPLICATIONS,
  );
  const apps: Application[] = [];
  for (const id of ids) {
    const app = await deps.applications.get(id);
    if (app !== null && app.partnershipId === partnershipId && app.parties.includes(caller.org)) apps.push(app);
  }
  return apps;
}

/** Each stretch of funding, as the ledger reads it, and what is in force on `asOf`. */
function fundingTimeline(app: Application, partnership: Partnership, asOf: string): Record<string, unknown> {
  const terms = ledgerTerms(app, partnershipPolicies(partnership));
  const today = ledgerDay(app, terms, asOf);
  return {
    terms: terms.map((t, i) => ({
      from: t.from,
      to: terms[i + 1]?.from ?? null,
      arrangementId: t.arrangement.id,
      state: t.arrangement.state,
      withoutPrejudice: t.arrangement.withoutPrejudice,
      cause: t.arrangement.cause ?? null,
      lead: t.arrangement.lead,
      policyId: t.policy.id,
      policyVersion: t.policy.version,
    })),
    inForce: {
      date: asOf,
      arrangementId: today.decision?.arrangementId ?? null,
      state: today.decision?.state ?? 'none',
      lead: today.decision?.lead ?? null,
      fundedWeeklyPence: today.fundedWeeklyPence,
      byBody: today.byBody,
    },
  };
}

const disputeSummary = (d: Dispute): Record<string, unknown> => ({
  id: d.id,
  applicationId: d.applicationId,
  kind: d.kind,
  status: d.status,
  stage: d.stage,
  disputeDate: d.disputeDate,
  raisedBy: d.raisedBy,
  bodies: [...d.bodies],
  lead: d.lead,
  settlementId: d.settlementId ?? null,
});

/** An ending recommendation without its report (it names clinicians and quotes the person). */
const endingSummary = (e: EndingRecommendation): Record<string, unknown> => ({
  id: e.id,
  episodeId: e.episodeId,
  state: e.state,
  route: e.route,
  proposedEndDate: e.request.proposedEndDate,
  reasons: [...e.request.reasons],
  recommendedAt: e.recommendedAt,
  recommendedBy: e.recommendedBy.org,
  bodies: e.bodies,
  decisions: Object.values(e.decisions).map((d) => ({ party: d.party, body: d.body, agree: d.agree, at: d.at })),
  panelOutcome: e.panel === undefined ? null : ((e.panel as { outcome?: unknown }).outcome ?? null),
  reinstatedAt: e.reinstatement?.at ?? null,
});

/** `GET /v1/register/people/{personRef}`: the register's view of the person joined to their applications and funding. */
export async function readPersonRecord(
  deps: RegisterDeps,
  caller: Caller,
  personRef: string,
  asOfQuery: string | undefined,
): Promise<HttpResult> {
  const { person, partnership } = await personFor(deps, caller, personRef);
  const asOf = asOfQuery ?? deps.clock.today();
  const register = await personView(deps, person, partnership, asOf);
  const episodes = await deps.store.listEpisodes(personRef);
  const endings: EndingRecommendation[] = [];
  for (const e of episodes) endings.push(...(await deps.store.listEndings(personRef, e.n)));
  const applications = await applicationsOf(deps, caller, await deps.chronology.list(personRef), partnership.id);
  const disputes: Dispute[] = [];
  for (const app of applications) {
    const dispute = await deps.disputes.get(app.id);
    if (dispute !== null) disputes.push(dispute);
  }
  return {
    statusCode: 200,
    body: {
      ...register,
      endings: endings.map(endingSummary),
      applications: applications.map((app) => ({
        id: app.id,
        status: app.status,
        requestedStartDate: app.requestedStartDate,
        parties: [...app.parties],
        createdAt: app.createdAt,
        discharge: app.discharge === undefined ? null : toDischargeView(app.discharge),
        serviceLines: app.carePlan.serviceLines.map((l) => ({
          id: l.id,
          description: l.description,
          category: l.category,
          s117: l.s117,
          weeklyCostPence: l.weeklyCostPence,
          startDate: l.startDate,
          endDate: l.endDate ?? null,
        })),
        funding: fundingTimeline(app, partnership, asOf),
      })),
      disputes: disputes.map(disputeSummary),
    },
  };
}

/** Where a chronology page ended: the person and the last sequence shown. */
export function encodeChronologyCursor(personRef: string, sequence: number): string {
  return Buffer.from(JSON.stringify({ v: 1, p: personRef, s: sequence }), 'utf8').toString('base64url');
}

export function decodeChronologyCursor(cursor: string, personRef: string): number {
  const bad = new ProblemError(400, 'The cursor is not valid for this chronology.', {
    errors: [{ field: 'query.cursor', message: "must be a cursor this person's chronology returned" }],
  });
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw bad;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad;
  const { v, p, s } = parsed as Record<string, unknown>;
  if (v !== 1 || p !== personRef || typeof s !== 'number' || !Number.isInteger(s) || s < 0) throw bad;
  return s;
}

export const DEFAULT_CHRONOLOGY_LIMIT = 50;

/** `GET /v1/register/people/{personRef}/chronology`: the person's entries in order, a page at a time. */
export async function readPersonChronology(
  deps: RegisterDeps,
  caller: Caller,
  personRef: string,
  query: { limit?: number; cursor?: string },
): Promise<HttpResult> {
  const { partnership } = await personFor(deps, caller, personRef);
  const after = query.cursor === undefined ? 0 : decodeChronologyCursor(query.cursor, personRef);
  const limit = query.limit ?? DEFAULT_CHRONOLOGY_LIMIT;
  const entries = await deps.chronology.list(personRef);
  const visible = new Set((await applicationsOf(deps, caller, entries, partnership.id)).map((a) => a.id));
  const shown = entries.filter((e) => e.sequence > after && (e.applicationId === undefined || visible.has(e.applicationId)));
  const page = shown.slice(0, limit);
  const last = page.at(-1);
  return {
    statusCode: 200,
    body: {
      personRef,
      entries: page.map((e) => ({
        sequence: e.sequence,
        at: e.at,
        type: e.type,
        actor: e.actor,
        ...(e.applicationId === undefined ? {} : { applicationId: e.applicationId }),
        data: e.data,
      })),
      ...(shown.length > limit && last !== undefined ? { cursor: encodeChronologyCursor(personRef, last.sequence) } : {}),
    },
  };
}
