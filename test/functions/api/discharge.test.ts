/**
 * Discharge-ready and delays through the real handlers over memoryPorts() (issue 13 item 5): the readiness
 * submitted with an application, changed after by a party, and `GET /v1/reports/delays` paged by cursor.
 */
import './quiet-logs.ts';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { handler as changeHandler } from '#functions/api/change-discharge.handler.ts';
import { handler as createHandler } from '#functions/api/create-application.handler.ts';
import { applicationIdFor } from '#functions/api/create-application.use-case.ts';
import { dischargeChangeResultSchema, delaysReportSchema } from '#functions/api/discharge.schema.ts';
import { handler as delaysHandler } from '#functions/register/delays-report.handler.ts';
import { context } from '../../fixtures/context.ts';
import { application } from '../../support/application-builder.ts';
import { answer, createBody, event, installPorts, memoryDeps, type TestDeps } from './support.ts';

let deps: TestDeps;
beforeEach(() => {
  deps = memoryDeps();
  installPorts(deps);
});

const APP_ID = applicationIdFor('LA-A', 'create-7d3f2a9c');

function patch(id: string, body: unknown, who: { org?: string; role?: string } = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const e = event('record-response', { id, body, ...who });
  e.requestContext.http.method = 'PATCH';
  e.rawPath = `/v1/applications/${id}/discharge`;
  e.requestContext.http.path = e.rawPath;
  e.routeKey = 'PATCH /v1/applications/{id}/discharge';
  return e;
}

function delays(query: Record<string, string> = {}, who: { org?: string; role?: string } = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const e = event('list-applications', { query, ...who });
  e.rawPath = '/v1/reports/delays';
  e.requestContext.http.path = e.rawPath;
  e.routeKey = 'GET /v1/reports/delays';
  return e;
}

const submitWith = async (discharge: unknown) =>
  answer(await createHandler(event('create-application', { body: { ...createBody(), discharge } }), context));

describe('POST /v1/applications with a discharge readiness', () => {
  it('records it and shows it on the view', async () => {
    const created = await submitWith({ clinicallyReadyOn: '2024-06-03', delayReasons: [{ reason: 'housing' }] });
    expect(created.statusCode).toBe(201);
    expect((created.body as { discharge: unknown }).discharge).toStrictEqual({
      clinicallyReadyOn: '2024-06-03',
      expectedDischargeOn: null,
      dischargedOn: null,
      delayReasons: [{ reason: 'housing' }],
      updatedAt: '2024-06-01T09:00:00.000Z',
    });
  });

  it.each([
    [{ clinicallyReadyOn: '2024-06-03', dischargedOn: '2024-06-02' }, 'body.discharge.dischargedOn'],
    [{ delayReasons: [{ reason: 'other' }] }, 'body.discharge.delayReasons[0].detail'],
    [{ delayReasons: [{ reason: 'housing' }, { reason: 'housing' }] }, 'body.discharge.delayReasons[1].reason'],
    [{ delayReasons: [{ reason: 'other', detail: 'x'.repeat(501) }] }, 'body.discharge.delayReasons[0].detail'],
    [{ clinicallyReadyOn: '2024-02-30' }, 'body.discharge.clinicallyReadyOn'],
  ])('refuses %j with 400 naming %s', async (discharge, field) => {
    const result = await submitWith(discharge);
    expect(result.statusCode).toBe(400);
    expect(
      (result.body as { errors: { field: string }[] }).errors.map((e) => e.field),
      JSON.stringify(result.body),
    ).toContain(field);
  });
});

describe('PATCH /v1/applications/{id}/discharge', () => {
  it('a party changes the readiness: 200, the next version, one chronology entry; the same change again writes nothing', async () => {
    await submitWith(undefined);
    const first = answer(
      await changeHandler(patch(APP_ID, { clinicallyReadyOn: '2024-06-03', expectedDischargeOn: '2024-06-24' }), context),
    );
    expect(first).toMatchObject({
      statusCode: 200,
      body: {
        applicationId: APP_ID,
        version: 2,
        discharge: { clinicallyReadyOn: '2024-06-03', expectedDischargeOn: '2024-06-24', dischargedOn: null, delayReasons: [] },
      },
    });
    expect(dischargeChangeResultSchema.safeParse(first.body).error).toBeUndefined();
    const again = answer(await changeHandler(patch(APP_ID, { clinicallyReadyOn: '2024-06-03' }), context));
    expect(again).toMatchObject({ statusCode: 200, body: { version: 2 } });
    const app = (await deps.applications.get(APP_ID)) as Application;
    const entries = (await deps.chronology.list(app.personRef)).filter((e) => e.type === 'discharge-readiness-changed');
    expect(entries.map((e) => e.data)).toStrictEqual([
      { clinicallyReadyOn: '2024-06-03', expectedDischargeOn: '2024-06-24', dischargedOn: null, delayReasons: [] },
    ]);
  });

  it('null clears a date; a discharge before the stored ready day is 400 naming the field', async () => {
    await submitWith({ clinicallyReadyOn: '2024-06-03', expectedDischargeOn: '2024-06-24' });
    const cleared = answer(await changeHandler(patch(APP_ID, { expectedDischargeOn: null }), context));
    expect(cleared).toMatchObject({ statusCode: 200, body: { discharge: { expectedDischargeOn: null, clinicallyReadyOn: '2024-06-03' } } });
    const early = answer(await changeHandler(patch(APP_ID, { dischargedOn: '2024-06-01' }), context));
    expect(early).toMatchObject({
      statusCode: 400,
      body: { errors: [{ field: 'body.dischargedOn', message: 'must not be before clinicallyReadyOn' }] },
    });
  });

  it('an empty change is 400; a non-party gets 404 as for a missing application; finance gets 403', async () => {
    await submitWith(undefined);
    expect(answer(await changeHandler(patch(APP_ID, {}), context)).statusCode).toBe(400);
    expect(answer(await changeHandler(patch(APP_ID, { clinicallyReadyOn: '2024-06-03' }, { org: 'LA-B' }), context)).statusCode).toBe(404);
    expect(answer(await changeHandler(patch('app_aaaaaaaaaaaaaaaaaaaa', { clinicallyReadyOn: '2024-06-03' }), context)).statusCode).toBe(
      404,
    );
    expect(answer(await changeHandler(patch(APP_ID, { clinicallyReadyOn: '2024-06-03' }, { role: 'finance' }), context)).statusCode).toBe(
      403,
    );
  });
});

describe('GET /v1/reports/delays', () => {
  const interim = (id: string) => ({
    id: `arr-${id}`,
    state: 'interim' as const,
    withoutPrejudice: true,
    startDate: '2024-06-10',
    lead: 'LA-A',
    shares: [{ body: 'LA-A', party: 'la' as const, basisPoints: 10_000 }],
    basis: 'test',
    ruleIds: [],
    createdAt: '2024-06-01T09:00:00.000Z',
  });
  const waiting = (id: string, readyOn: string, extra: Partial<Application> = {}) =>
    deps.applications.create(
      application({
        id,
        personRef: `p_${id}`,
        discharge: { clinicallyReadyOn: readyOn, delayReasons: [], updatedAt: '2024-06-01T09:00:00.000Z' },
        arrangements: [interim(id)],
        ...extra,
      }),
    );

  it('lists the people ready and still in hospital, longest wait first, with days, reasons and escalation; no names or NHS numbers', async () => {
    await waiting('app_aaaaaaaaaaaaaaaaaaaa', '2024-05-10');
    await waiting('app_bbbbbbbbbbbbbbbbbbbb', '2024-05-25', {
      discharge: {
        clinicallyReadyOn: '2024-05-25',
        delayReasons: [{ reason: 'housing', detail: 'Tenancy from July' }],
        updatedAt: '2024-06-01T09:00:00.000Z',
      },
    });
    await waiting('app_cccccccccccccccccccc', '2024-05-01', { parties: ['LA-B'] }); // not the caller's
    await waiting('app_dddddddddddddddddddd', '2024-06-02'); // not ready on the day
    const result = answer(await delaysHandler(delays({ asOf: '2024-06-01' }), context));
    expect(result).toStrictEqual({
      statusCode: 200,
      headers: expect.any(Object) as unknown,
      body: {
        partnershipId: 'test',
        asOf: '2024-06-01',
        total: 2,
        waitingForFunding: 2,
        fundingEscalationDays: 14,
        items: [
          {
            personRef: 'p_app_aaaaaaaaaaaaaaaaaaaa',
            applicationId: 'app_aaaaaaaaaaaaaaaaaaaa',
            clinicallyReadyOn: '2024-05-10',
            expectedDischargeOn: null,
            daysSinceReady: 22,
            waitingFor: ['funding-decision'],
            details: [],
            fundingState: 'interim',
            escalationDue: true,
          },
          {
            personRef: 'p_app_bbbbbbbbbbbbbbbbbbbb',
            applicationId: 'app_bbbbbbbbbbbbbbbbbbbb',
            clinicallyReadyOn: '2024-05-25',
            expectedDischargeOn: null,
            daysSinceReady: 7,
            waitingFor: ['funding-decision', 'housing'],
            details: ['Tenancy from July'],
            fundingState: 'interim',
            escalationDue: false,
          },
        ],
      },
    });
    expect(JSON.stringify(result.body)).not.toContain('9434765919');
    expect(delaysReportSchema.safeParse(result.body).error).toBeUndefined();
  });

  it('pages by cursor; a cursor for another date or a forged one is 400', async () => {
    await waiting('app_aaaaaaaaaaaaaaaaaaaa', '2024-05-10');
    await waiting('app_bbbbbbbbbbbbbbbbbbbb', '2024-05-25');
    const first = answer(await delaysHandler(delays({ asOf: '2024-06-01', limit: '1' }), context));
    const page = first.body as { items: { applicationId: string }[]; cursor?: string };
    expect(page.items.map((i) => i.applicationId)).toStrictEqual(['app_aaaaaaaaaaaaaaaaaaaa']);
    expect(page.cursor).toBeDefined();
    const second = answer(await delaysHandler(delays({ asOf: '2024-06-01', limit: '1', cursor: page.cursor ?? '' }), context));
    expect(second.body).toMatchObject({ items: [{ applicationId: 'app_bbbbbbbbbbbbbbbbbbbb' }] });
    expect((second.body as { cursor?: string }).cursor).toBeUndefined();
    const otherDay = answer(await delaysHandler(delays({ asOf: '2024-06-02', cursor: page.cursor ?? '' }), context));
    expect(otherDay).toMatchObject({ statusCode: 400, body: { errors: [{ field: 'query.cursor' }] } });
    expect(answer(await delaysHandler(delays({ cursor: 'not-a-cursor' }), context)).statusCode).toBe(400);
    expect(answer(await delaysHandler(delays({ limit: '101' }), context)).statusCode).toBe(400);
  });

  it('a partnership the caller is not a member of is 422; the panel role is 403', async () => {
    expect(answer(await delaysHandler(delays({ partnershipId: 'north' }), context)).statusCode).toBe(422);
    expect(answer(await delaysHandler(delays({}, { role: 'panel' }), context)).statusCode).toBe(403);
  });
});
