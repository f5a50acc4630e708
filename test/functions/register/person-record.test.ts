/**
 * One person's record through the real handlers over memoryPorts() (issue 13 item 6): the register joined to
 * the applications and their funding timeline; parties only, with no existence oracle; the person's
 * chronology paged by cursor.
 */
import '../api/quiet-logs.ts';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as changeDischargeHandler } from '#functions/api/change-discharge.handler.ts';
import { handler as createApplicationHandler } from '#functions/api/create-application.handler.ts';
import { applicationIdFor } from '#functions/api/create-application.use-case.ts';
import { handler as createPersonHandler } from '#functions/register/create-person.handler.ts';
import { handler as chronologyHandler } from '#functions/register/get-person-chronology.handler.ts';
import { handler as getPersonHandler } from '#functions/register/get-person.handler.ts';
import { personChronologyPageSchema, personRecordSchema } from '#functions/register/schemas.ts';
import { resetEnv } from '#functions/shared/env.ts';
import { personRef } from '#functions/shared/person-ref.ts';
import { context } from '../../fixtures/context.ts';
import { answer, event, installPorts, memoryDeps, PERSON_REF_KEY, type TestDeps } from '../api/support.ts';

let deps: TestDeps;
const REF = personRef('9434765919', PERSON_REF_KEY, 'test');
const APP_ID = applicationIdFor('LA-A', 'create-7d3f2a9c');

function get(
  path: string,
  who: { org?: string; role?: string } = {},
  query?: Record<string, string>,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const e = event('get-application', { ...who, ...(query === undefined ? {} : { query }) });
  e.rawPath = path;
  e.requestContext.http.path = path;
  const ref = /^\/v1\/register\/people\/([^/]+)/.exec(path)?.[1] ?? '';
  e.pathParameters = { personRef: ref };
  return e;
}

beforeEach(async () => {
  deps = memoryDeps();
  installPorts(deps);
  vi.stubEnv('REVIEW_STATE_MACHINE_ARN', 'arn:aws:states:eu-west-2:123456789012:stateMachine:review-schedule');
  resetEnv();
  expect(answer(await createApplicationHandler(event('create-application'), context)).statusCode).toBe(201);
  const person = event('record-response', {
    body: {
      nhsNumber: '9434765919',
      events: [
        {
          type: 'residence',
          from: '2000-01-01',
          area: { country: 'england', la: 'LA-A', icb: 'ICB-A' },
          setting: 'own-home',
          basis: 'own-choice',
        },
        { type: 'gp-registration', from: '2000-01-01', icb: 'ICB-A' },
        { type: 'detention', from: '2024-01-10', section: '3', hospitalArea: { country: 'england', la: 'LA-HOSP', icb: 'ICB-HOSP' } },
      ],
    },
  });
  person.rawPath = '/v1/register/people';
  person.pathParameters = {};
  expect(answer(await createPersonHandler(person, context)).statusCode).toBe(201);
});

describe('GET /v1/register/people/{personRef}', () => {
  it("joins the register to the party's applications, each with its funding timeline from the ledger", async () => {
    const result = answer(await getPersonHandler(get(`/v1/register/people/${REF}`), context));
    expect(result.statusCode).toBe(200);
    const body = result.body as {
      personRef: string;
      episodes: unknown[];
      endings: unknown[];
      disputes: unknown[];
      applications: { id: string; funding: { terms: { from: string; state: string; lead: string }[]; inForce: { state: string } } }[];
    };
    expect(personRecordSchema.safeParse(result.body).error).toBeUndefined();
    expect(body.personRef).toBe(REF);
    expect(body.episodes).toHaveLength(1);
    expect(body.endings).toStrictEqual([]);
    expect(body.disputes).toStrictEqual([]);
    expect(body.applications.map((a) => a.id)).toStrictEqual([APP_ID]);
    expect(body.applications[0]?.funding.terms).toMatchObject([{ from: '2024-06-10', state: 'interim', lead: 'LA-A', to: null }]);
    // 1 June: before the requested start, nothing is in force yet.
    expect(body.applications[0]?.funding.inForce).toMatchObject({ state: 'none', fundedWeeklyPence: 0 });
    const later = answer(await getPersonHandler(get(`/v1/register/people/${REF}`, {}, { asOf: '2024-06-10' }), context));
    expect((later.body as typeof body).applications[0]?.funding.inForce).toMatchObject({ state: 'interim', fundedWeeklyPence: 199_500 });
    expect(JSON.stringify(result.body)).not.toContain('9434765919');
    expect(JSON.stringify(result.body)).not.toContain('Alex Example');
  });

  it('a member of the partnership not party to the application sees the register but not the application', async () => {
    const result = answer(await getPersonHandler(get(`/v1/register/people/${REF}`, { org: 'LA-B' }), context));
    expect(result).toMatchObject({ statusCode: 200, body: { applications: [] } });
  });

  it('a non-member gets the same 404 as for a person who does not exist', async () => {
    const other = answer(await getPersonHandler(get(`/v1/register/people/${REF}`, { org: 'LA-N' }), context));
    const missingRef = `p_${'a'.repeat(26)}`;
    const missing = answer(await getPersonHandler(get(`/v1/register/people/${missingRef}`), context));
    expect(other.statusCode).toBe(404);
    expect({ ...(other.body as object), instance: null }).toStrictEqual({ ...(missing.body as object), instance: null });
  });
});

describe('GET /v1/register/people/{personRef}/chronology', () => {
  it('pages through every entry in order, and the last page has no cursor', async () => {
    const patch = event('record-response', { id: APP_ID, body: { clinicallyReadyOn: '2024-06-03' } });
    patch.requestContext.http.method = 'PATCH';
    patch.routeKey = 'PATCH /v1/applications/{id}/discharge';
    expect(answer(await changeDischargeHandler(patch, context)).statusCode).toBe(200);
    const all = await deps.chronology.list(REF);
    expect(all.length).toBeGreaterThan(3);

    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor === undefined ? {} : { cursor }) };
      const page = answer(await chronologyHandler(get(`/v1/register/people/${REF}/chronology`, {}, query), context));
      expect(page.statusCode).toBe(200);
      expect(personChronologyPageSchema.safeParse(page.body).error).toBeUndefined();
      const body = page.body as { entries: { sequence: number }[]; cursor?: string };
      expect(body.entries.length).toBeLessThanOrEqual(2);
      seen.push(...body.entries.map((e) => e.sequence));
      cursor = body.cursor;
      pages += 1;
    } while (cursor !== undefined && pages < 20);
    expect(seen).toStrictEqual(all.map((e) => e.sequence));
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it("hides entries of applications the caller is not party to; another person's cursor, a forged one or a limit of 201 is 400; a non-member 404", async () => {
    const ownOnly = answer(await chronologyHandler(get(`/v1/register/people/${REF}/chronology`, { org: 'LA-B' }), context));
    const entries = (ownOnly.body as { entries: { applicationId?: string }[] }).entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.applicationId !== undefined)).toStrictEqual([]);

    const first = answer(await chronologyHandler(get(`/v1/register/people/${REF}/chronology`, {}, { limit: '1' }), context));
    const cursor = (first.body as { cursor: string }).cursor;
    const otherRef = `p_${'a'.repeat(26)}`;
    const forged = Buffer.from(JSON.stringify({ v: 1, p: otherRef, s: 1 })).toString('base64url');
    for (const query of [{ cursor: forged }, { cursor: 'x!' }, { limit: '201' }, { limit: '0' }]) {
      expect(answer(await chronologyHandler(get(`/v1/register/people/${REF}/chronology`, {}, query), context)).statusCode).toBe(400);
    }
    expect(cursor).toBeDefined();
    expect(answer(await chronologyHandler(get(`/v1/register/people/${REF}/chronology`, { org: 'LA-N' }), context)).statusCode).toBe(404);
  });
});
