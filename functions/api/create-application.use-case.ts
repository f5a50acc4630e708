/**
 * Submit a funding application: idempotent by the caller's Idempotency-Key, so a retried POST converges on
 * one application, one chronology entry and one workflow execution, and answers the same response.
 */
import { createHash } from 'node:crypto';
import { weeklyS117CostOn, type Application, type ServiceLine } from '#domain/applications/application.ts';
import { normaliseNhsNumber } from '#domain/applications/nhs-number.ts';
import { submissionArrangement } from '#domain/funding/funding-decisions.ts';
import type { Partnership } from '#domain/partnership.ts';
import { determine } from '#domain/responsibility/determine.ts';
import type { Instant } from '#domain/applications/application.ts';
import type { OrganisationKind } from '#domain/partnership.ts';
import type { Caller } from '../shared/auth.ts';
import type { HttpResult } from '../shared/middy.ts';
import { ProblemError } from '../shared/http-errors.ts';
import { base32, personRef } from '../shared/person-ref.ts';
import { toApplicationView } from './application-view.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import type { CreateApplicationRequest, ServiceLineRequest } from './create-application.schema.ts';
import { dischargeEntryData, dischargeOf } from './discharge.use-case.ts';
import type { ApiDeps } from './deps.ts';
import { crashPoint } from '../shared/crash-point.ts';

/** An in-progress claim older than this is taken over: the first attempt died. */
export const STALE_CLAIM_MS = 60_000;

/** `app_` + 20 base32 characters of SHA-256(org|key): a retry after a crash gets the same id. */
export function applicationIdFor(org: string, idempotencyKey: string): string {
  return `app_${base32(createHash('sha256').update(`${org}|${idempotencyKey}`, 'utf8').digest()).slice(0, 20)}`;
}

export const applicationLocation = (id: string): string => `/v1/applications/${id}`;

/** Server ids `line-<n>` for lines without one, skipping ids the client used. */
export function withLineIds(lines: readonly ServiceLineRequest[]): ServiceLine[] {
  const used = new Set(lines.flatMap((l) => (l.id === undefined ? [] : [l.id])));
  let next = 1;
  return lines.map((line) => {
    let id = line.id;
    if (id === undefined) {
      while (used.has(`line-${next}`)) next += 1;
      id = `line-${next}`;
      used.add(id);
    }
    const out: ServiceLine = {
      id,
      description: line.description,
      provider: line.provider,
      category: line.category,
      s117: line.s117,
      weeklyCostPence: line.weeklyCostPence,
      startDate: line.startDate,
    };
    if (line.endDate !== undefined) out.endDate = line.endDate;
    return out;
  });
}

async function resolvePartnership(deps: ApiDeps, org: string, requested: string | undefined): Promise<Partnership> {
  const memberOf = await deps.directory.partnershipsOf(org);
  let id: string;
  if (requested !== undefined) {
    if (!memberOf.includes(requested)) {
      throw new ProblemError(422, `${org} is not a member of that partnership.`, {
        errors: [{ field: 'body.partnershipId', message: `is not a partnership ${org} belongs to` }],
      });
    }
    id = requested;
  } else if (memberOf.length === 1 && memberOf[0] !== undefined) {
    id = memberOf[0];
  } else if (memberOf.length === 0) {
    throw new ProblemError(422, `${org} is not a member of any partnership, so there is no one to apply to.`);
  } else {
    throw new ProblemError(422, `${org} belongs to ${memberOf.length} partnerships; say which one.`, {
      errors: [{ field: 'body.partnershipId', message: `is required: one of ${memberOf.join(', ')}` }],
    });
  }
  const partnership = await deps.directory.partnership(id);
  if (partnership === null) throw new ProblemError(422, `The partnership ${id} is not configured.`);
  return partnership;
}

const KEY_REUSED = 'This Idempotency-Key was already used with a different body; use a new key for a new application.';
const keyReused = (): ProblemError =>
  new ProblemError(422, KEY_REUSED, { errors: [{ field: 'headers.idempotency-key', message: 'was already used with a different body' }] });

/** The application's current view, as a replay of the request that created it answers. */
async function replayOf(deps: ApiDeps, statusCode: number, id: string): Promise<HttpResult> {
  const app = await deps.applications.get(id);
  if (app === null) throw new Error('An idempotency record names an application that does not exist');
  return { statusCode, body: toApplicationView(app), headers: { location: applicationLocation(id) } };
}

/** Claims the key; answers a replay from the stored result, 422 on a different body, 409 on a live attempt. */
async function claim(deps: ApiDeps, scope: string, key: string, requestHash: string, at: Instant): Promise<HttpResult | null> {
  const claimed = await deps.idempotency.claim(scope, key, requestHash, at);
  if (claimed.claimed) return null;
  const { record } = claimed;
  if (record.requestHash !== requestHash) throw keyReused();
  if (record.status === 'completed' && record.response !== undefined) {
    return replayOf(deps, record.response.statusCode, record.response.resourceId);
  }
  const stale = Date.parse(at) - Date.parse(record.startedAt) >= STALE_CLAIM_MS;
  if (stale && (await deps.idempotency.reclaim(scope, key, record.startedAt, at))) return null;
  throw new ProblemError(409, 'A request with this Idempotency-Key is still being handled; retry in a minute.', {
    errors: [{ field: 'headers.idempotency-key', message: 'is in use by a request still being handled' }],
  });
}

/**
 * Whether a stored application is the one this body would make. The key's claim can lapse (an attempt that
 * died and was never retried within 24 hours), so the application itself is the last word on a reused key.
 */
function sameSubmission(stored: Application, candidate: Application): boolean {
  const submitted = (a: Application) =>
    canonicalJson({
      partnershipId: a.partnershipId,
      org: a.submittedBy.org,
      person: a.person,
      facts: a.facts,
      carePlan: a.carePlan,
      requestedStartDate: a.requestedStartDate,
      meetingNeedsNow: a.meetingNeedsNow,
    });
  return submitted(stored) === submitted(candidate);
}

export async function createApplication(
  deps: ApiDeps,
  input: { caller: Caller; idempotencyKey: string; body: CreateApplicationRequest },
): Promise<HttpResult> {
  const { caller, idempotencyKey, body } = input;
  const organisation = await deps.directory.organisation(caller.org);
  if (organisation === null) throw new ProblemError(403, `${caller.org} is not an organisation this service knows.`);
  const partnership = await resolvePartnership(deps, caller.org, body.partnershipId);

  const at = deps.clock.now();
  const requestHash = sha256Hex(canonicalJson(body));
  const replay = await claim(deps, caller.org, idempotencyKey, requestHash, at);
  if (replay !== null) return replay;

  try {
    return await submit(deps, { caller, idempotencyKey, body, at, partnership, kind: organisation.kind });
  } catch (error) {
    // Let a retry with the key start at once instead of waiting STALE_CLAIM_MS; every step below is idempotent.
    await deps.idempotency.release(caller.org, idempotencyKey, at).catch(() => undefined);
    throw error;
  }
}

/** Holding the key's claim: create the application (or find it), record it in the chronology, start its workflow. */
async function submit(
  deps: ApiDeps,
  input: {
    caller: Caller;
    idempotencyKey: string;
    body: CreateApplicationRequest;
    at: Instant;
    partnership: Partnership;
    kind: OrganisationKind;
  },
): Promise<HttpResult> {
  const { caller, idempotencyKey, body, at, partnership } = input;
  const partnershipId = partnership.id;
  const id = applicationIdFor(caller.org, idempotencyKey);
  const nhsNumber = normaliseNhsNumber(body.person.nhsNumber);
  const candidate: Application = {
    id,
    partnershipId,
    version: 1,
    createdAt: at,
    updatedAt: at,
    submittedBy: {
      userId: caller.userId,
      org: caller.org,
      orgKind: input.kind,
      ...(caller.email === undefined ? {} : { email: caller.email }),
    },
    personRef: personRef(nhsNumber, await deps.personRefKey(), partnershipId),
    person: body.person.name === undefined ? { nhsNumber } : { nhsNumber, name: body.person.name },
    facts: body.facts,
    carePlan: { serviceLines: withLineIds(body.carePlan.serviceLines) },
    requestedStartDate: body.requestedStartDate,
    status: 'submitted',
    determination: null,
    parties: [caller.org],
    responses: {},
    arrangements: [],
  };
  if (body.meetingNeedsNow !== undefined) candidate.meetingNeedsNow = body.meetingNeedsNow;
  if (body.discharge !== undefined) candidate.discharge = dischargeOf(body.discharge, at);
  // Funding in force from the first minute (issue 13): interim from the requested start date, before any body answers.
  const interim = submissionArrangement(
    candidate,
    partnership,
    determine(candidate.facts, partnership.ruleConfig),
    `arr_${id.replace(/^app_/, '')}_1`,
    at,
  );
  if (interim !== null) candidate.arrangements = [interim];

  const created = await deps.applications.create(candidate);
  crashPoint('after-application-created');
  const app = created === 'created' ? candidate : await deps.applications.get(id);
  if (app === null) throw new Error('The application vanished after it was created');
  if (!sameSubmission(app, candidate)) throw keyReused();

  await deps.chronology.append(app.personRef, {
    key: `submitted:${app.id}`,
    at: app.createdAt,
    type: 'application-submitted',
    actor: { userId: app.submittedBy.userId, org: app.submittedBy.org },
    applicationId: app.id,
    data: {
      partnershipId: app.partnershipId,
      serviceLineCount: app.carePlan.serviceLines.length,
      weeklyS117CostPence: weeklyS117CostOn(app.carePlan, app.requestedStartDate),
      requestedStartDate: app.requestedStartDate,
      ...(app.discharge === undefined ? {} : { discharge: dischargeEntryData(app.discharge) }),
    },
  });
  const first = app.arrangements[0];
  if (first !== undefined && first.state === 'interim') {
    await deps.chronology.append(app.personRef, {
      key: `interim-funding-started:${app.id}:${first.id}`,
      at: app.createdAt,
      type: 'interim-funding-started',
      actor: { system: 'funding-application/Submit' },
      applicationId: app.id,
      data: {
        arrangementId: first.id,
        state: first.state,
        withoutPrejudice: first.withoutPrejudice,
        startDate: first.startDate,
        lead: first.lead,
        shares: first.shares.map((s) => ({ body: s.body, party: s.party, percentage: s.basisPoints / 100 })),
        basis: first.basis,
        ruleIds: first.ruleIds,
      },
    });
  }
  await deps.workflow.start(deps.stateMachineArn, app.id, { applicationId: app.id });

  await deps.idempotency.complete(caller.org, idempotencyKey, { statusCode: 201, resourceId: app.id });
  return { statusCode: 201, body: toApplicationView(app), headers: { location: applicationLocation(app.id) } };
}
