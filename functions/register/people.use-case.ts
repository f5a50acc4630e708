/** The register's people and episodes over the API: create, add a fact, read, list, name a practitioner, record a charge. */
import { normaliseNhsNumber } from '#domain/applications/nhs-number.ts';
import type { CaseEvent } from '#domain/facts.ts';
import type { Partnership } from '#domain/partnership.ts';
import {
  activeEvents,
  parseEpisodeId,
  statusOn,
  type Episode,
  type NamedPractitioner,
  type PersonRecord,
  type RegisterStatus,
} from '#domain/register/register.ts';
import { accommodationMoveCheck, contactProblems, type PersonContacts, type Supporter } from '#domain/register/supporters.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { personRef as toPersonRef } from '../shared/person-ref.ts';
import type { RegisterDeps } from './deps.ts';
import {
  episodeView,
  factKey,
  partnershipOf,
  personFor,
  recordFacts,
  reviewSettingsOf,
  ensurePerson,
  updatePerson,
} from './register.use-case.ts';

const actorOf = (caller: Caller) => ({ userId: caller.userId, org: caller.org });

/** What the API shows of a person: facts (never the NHS number or name) and every episode on `asOf`. */
export async function personView(
  deps: RegisterDeps,
  person: PersonRecord,
  partnership: Partnership,
  asOf: string,
): Promise<Record<string, unknown>> {
  const episodes = await deps.store.listEpisodes(person.personRef);
  const reviews = await deps.store.listReviews(person.personRef);
  const events = activeEvents(person);
  return {
    personRef: person.personRef,
    partnershipId: person.partnershipId,
    version: person.version,
    asOf,
    facts: person.events.map((e) => ({
      key: e.key,
      event: e.event,
      source: e.source,
      recordedAt: e.recordedAt,
      withdrawn: e.withdrawn !== undefined,
    })),
    episodes: episodes.map((e) => episodeView(e, events, reviews.get(e.id) ?? [], asOf, reviewSettingsOf(partnership))),
  };
}

export async function createPerson(
  deps: RegisterDeps,
  caller: Caller,
  body: { nhsNumber: string; name?: string; partnershipId?: string; events: CaseEvent[] },
): Promise<HttpResult> {
  const partnership = await partnershipOf(deps, caller.org, body.partnershipId, 'body.partnershipId');
  const nhsNumber = normaliseNhsNumber(body.nhsNumber);
  // The partnership's own reference: a person on another partnership's register is unknown here, so the
  // answer is the same as for a person on no register (no existence oracle).
  const ref = toPersonRef(nhsNumber, await deps.personRefKey(), partnership.id);
  const existing = await deps.store.getPerson(ref);
  const person =
    existing ??
    (await ensurePerson(deps, {
      personRef: ref,
      nhsNumber,
      ...(body.name === undefined ? {} : { name: body.name }),
      partnershipId: partnership.id,
    }));
  const { outcomes } = await recordFacts(
    deps,
    ref,
    body.events.map((event) => ({ key: factKey(event), event, source: 'api' as const })),
    actorOf(caller),
  );
  const saved = (await deps.store.getPerson(ref)) ?? person;
  return {
    statusCode: existing === null ? 201 : 200,
    headers: { location: `/v1/register/people/${ref}` },
    body: { ...(await personView(deps, saved, partnership, deps.clock.today())), recorded: outcomes },
  };
}

export async function recordEvent(deps: RegisterDeps, caller: Caller, personRef: string, event: CaseEvent): Promise<HttpResult> {
  const { partnership, person: before } = await personFor(deps, caller, personRef);
  const move = accommodationMoveCheck(event, {
    supporters: before.supporters ?? [],
    detentionStarts: (await deps.store.listEpisodes(personRef)).map((e) => e.detentionFrom),
  });
  if (move.kind === 'blocked')
    throw new ProblemError(
      422,
      `A move of accommodation decided for a person who lacks capacity needs an IMCA or an appropriate person involved (${move.ruleIds.join(', ')}).`,
      { errors: [{ field: 'body.basis', message: `${move.explanation} (${move.ruleIds.join(', ')})` }] },
    );
  const { outcomes, changes } = await recordFacts(deps, personRef, [{ key: factKey(event), event, source: 'api' }], actorOf(caller));
  const person = await deps.store.getPerson(personRef);
  if (person === null) throw new Error('The person vanished');
  return {
    statusCode: outcomes[0] === 'recorded' ? 201 : 200,
    body: { outcome: outcomes[0], changes, ...(await personView(deps, person, partnership, deps.clock.today())) },
  };
}

/** The episode, its person and partnership, if the caller may see it (404 otherwise). */
export async function episodeFor(
  deps: RegisterDeps,
  caller: Caller,
  id: string,
): Promise<{ episode: Episode; person: PersonRecord; partnership: Partnership }> {
  const parsed = parseEpisodeId(id);
  const missing = new ProblemError(404, 'No such episode on the register.');
  if (parsed === null) throw missing;
  const person = await deps.store.getPerson(parsed.personRef);
  const partnership = person === null ? null : await deps.directory.partnership(person.partnershipId);
  if (person === null || partnership === null || !partnership.members.includes(caller.org)) throw missing;
  const episode = await deps.store.getEpisode(parsed.personRef, parsed.n);
  if (episode === null) throw missing;
  return { episode, person, partnership };
}

export async function readEpisode(deps: RegisterDeps, caller: Caller, id: string, asOf: string | undefined): Promise<HttpResult> {
  const { episode, person, partnership } = await episodeFor(deps, caller, id);
  const reviews = (await deps.store.listReviews(person.personRef)).get(episode.id) ?? [];
  const endings = await deps.store.listEndings(person.personRef, episode.n);
  return {
    statusCode: 200,
    body: {
      ...episodeView(episode, activeEvents(person), reviews, asOf ?? deps.clock.today(), reviewSettingsOf(partnership)),
      endingRecommendations: endings,
    },
  };
}

export async function listEpisodes(
  deps: RegisterDeps,
  caller: Caller,
  query: { status?: RegisterStatus; asOf?: string; partnershipId?: string },
): Promise<HttpResult> {
  const partnership = await partnershipOf(deps, caller.org, query.partnershipId, 'query.partnershipId');
  const asOf = query.asOf ?? deps.clock.today();
  const episodes = await deps.store.listPartnershipEpisodes(partnership.id);
  const people = new Map<string, PersonRecord | null>();
  const reviewsOf = new Map<string, Awaited<ReturnType<RegisterDeps['store']['listReviews']>>>();
  const items: Record<string, unknown>[] = [];
  for (const episode of episodes) {
    if (!people.has(episode.personRef)) {
      people.set(episode.personRef, await deps.store.getPerson(episode.personRef));
      reviewsOf.set(episode.personRef, await deps.store.listReviews(episode.personRef));
    }
    const person = people.get(episode.personRef);
    if (person === null || person === undefined) continue;
    const reviews = reviewsOf.get(episode.personRef)?.get(episode.id) ?? [];
    const status = statusOn(episode, { events: activeEvents(person), reviews, asOf, settings: reviewSettingsOf(partnership) });
    if (query.status !== undefined && status !== query.status) continue;
    items.push({
      id: episode.id,
      personRef: episode.personRef,
      status,
      qualifyingDetention: episode.qualifyingDetention,
      dutyArose: episode.dutyArose ?? null,
      icb: { body: episode.icb.body, since: episode.icb.since ?? null },
      localAuthority: { body: episode.localAuthority.body, since: episode.localAuthority.since ?? null },
      namedPractitioner: episode.namedPractitioner?.name ?? null,
      ended: episode.ended ?? null,
    });
  }
  return { statusCode: 200, body: { partnershipId: partnership.id, asOf, items } };
}

export async function setPractitioner(
  deps: RegisterDeps,
  caller: Caller,
  id: string,
  practitioner: NamedPractitioner,
): Promise<HttpResult> {
  const { episode } = await episodeFor(deps, caller, id);
  if (episode.namedPractitioner !== undefined && JSON.stringify(episode.namedPractitioner) === JSON.stringify(practitioner))
    return { statusCode: 200, body: { id, namedPractitioner: practitioner } };
  const saved = { ...episode, namedPractitioner: practitioner, version: episode.version + 1, updatedAt: deps.clock.now() };
  await deps.store.saveEpisode(saved);
  await deps.chronology.append(episode.personRef, {
    key: `register:practitioner:${id}:${saved.version}`,
    at: saved.updatedAt,
    type: 'register-practitioner-named',
    actor: actorOf(caller),
    data: { episodeId: id, role: practitioner.role ?? null },
  });
  return { statusCode: 200, body: { id, namedPractitioner: practitioner } };
}

export async function recordCharge(
  deps: RegisterDeps,
  caller: Caller,
  personRef: string,
  charge: {
    chargeId: string;
    applicationId: string;
    lineId: string;
    from: string;
    to: string;
    amountPence: number;
    payer: 'person' | 'third-party';
  },
): Promise<HttpResult> {
  const { person } = await personFor(deps, caller, personRef);
  if (charge.to < charge.from)
    throw new ProblemError(400, 'The charge ends before it starts.', {
      errors: [{ field: 'body.to', message: 'must not be before from' }],
    });
  // A charge is booked against one of this person's applications and one of its service lines, or not at all:
  // an unknown id (or another person's application) would be counted against nothing, or against someone else.
  const app = await deps.applications.get(charge.applicationId);
  if (app === null || app.personRef !== personRef || app.partnershipId !== person.partnershipId)
    throw new ProblemError(422, "The charge names an application that is not one of this person's.", {
      errors: [{ field: 'body.applicationId', message: "is not an application of this person's" }],
    });
  if (!app.carePlan.serviceLines.some((l) => l.id === charge.lineId))
    throw new ProblemError(422, "The charge names a service line that is not in the application's care plan.", {
      errors: [{ field: 'body.lineId', message: `is not a service line of ${app.id}` }],
    });
  const at = deps.clock.now();
  const saved = await updatePerson(deps, personRef, (p) =>
    p.charges.some((c) => c.id === charge.chargeId)
      ? null
      : {
          ...p,
          charges: [
            ...p.charges,
            {
              id: charge.chargeId,
              applicationId: charge.applicationId,
              lineId: charge.lineId,
              from: charge.from,
              to: charge.to,
              amountPence: charge.amountPence,
              payer: charge.payer,
              recordedAt: at,
            },
          ],
        },
  );
  await deps.chronology.append(personRef, {
    key: `register:charge:${charge.chargeId}`,
    at,
    type: 'register-charge-recorded',
    actor: actorOf(caller),
    applicationId: charge.applicationId,
    data: {
      chargeId: charge.chargeId,
      lineId: charge.lineId,
      from: charge.from,
      to: charge.to,
      amountPence: charge.amountPence,
      payer: charge.payer,
    },
  });
  return { statusCode: 201, body: { personRef, charges: saved.charges.length } };
}

/**
 * Records how the person is written to and the people around them (issue 17 item 2), replacing what was held:
 * a supporter's mailbox only where letters go to them with consent, or they are an advocate; the person's postal
 * address only when their letters go by post. The chronology records kinds and choices, never names or addresses.
 */
export async function recordContacts(
  deps: RegisterDeps,
  caller: Caller,
  personRef: string,
  body: { person: PersonContacts; supporters: Supporter[] },
): Promise<HttpResult> {
  await personFor(deps, caller, personRef);
  const problems = contactProblems(body.person, body.supporters);
  if (problems.length > 0)
    throw new ProblemError(422, "The person's contacts cannot be recorded as they stand.", {
      errors: problems.map((p) => ({ field: `body.${p.field}`, message: p.message })),
    });
  const same = (p: PersonRecord): boolean =>
    JSON.stringify(p.contacts ?? null) === JSON.stringify(body.person) &&
    JSON.stringify(p.supporters ?? []) === JSON.stringify(body.supporters);
  const saved = await updatePerson(deps, personRef, (p) => (same(p) ? null : { ...p, contacts: body.person, supporters: body.supporters }));
  await deps.chronology.append(personRef, {
    key: `register:contacts:${personRef}:${saved.version}`,
    at: saved.updatedAt,
    type: 'register-contacts-recorded',
    actor: actorOf(caller),
    data: {
      letterFormat: body.person.letterFormat,
      lettersBy: body.person.email !== undefined ? 'email' : 'post',
      supporters: body.supporters.map((s) => ({
        id: s.id,
        kind: s.kind,
        consentToShare: s.consentToShare,
        sendLetters: s.sendLetters,
        appropriatePerson: s.appropriatePerson,
      })),
    },
  });
  return { statusCode: 200, body: { personRef, version: saved.version, person: body.person, supporters: body.supporters } };
}
