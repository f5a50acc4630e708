import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeHandles } from '#local/runtime.ts';
import { eventually } from '../local/support.ts';
import { applicationBody, applicationWhen, call, commissioner, startApp, type Api, type App } from './support.ts';

let app: App;
let runtime: RuntimeHandles;
let api: Api;
const worcestershire = commissioner('E10000034');
const qgh = commissioner('QGH');
const surrey = commissioner('E10000030');

beforeAll(async () => {
  app = await startApp('funding');
  ({ runtime, api } = app);
});

afterAll(() => app.stop());

async function submit(key: string, body = applicationBody()): Promise<string> {
  const created = await call(api, 'POST', '/v1/applications', { as: worcestershire, body, headers: { 'idempotency-key': key } });
  expect(created.status).toBe(201);
  return String(created.body['id']);
}

const respond = (id: string, as: typeof qgh, body: Record<string, unknown>) =>
  call(api, 'POST', `/v1/applications/${id}/responses`, { as, body });

describe('funding applications through the local runtime', () => {
  it('submit, determine, both accept → agreed funding from the requested date', async () => {
    const id = await submit('e2e-agree');
    // Funding in force from the first minute (issue 13): interim, with a lead and whole shares, before any body answers.
    const submitted = await call(api, 'GET', `/v1/applications/${id}`, { as: worcestershire });
    const atOnce = submitted.body['funding'] as { state: string; startDate: string; lead: string; shares: { percentage: number }[] };
    expect(atOnce).toMatchObject({ state: 'interim', startDate: '2025-03-10', withoutPrejudice: true, lead: 'E10000034' });
    expect(atOnce.shares.reduce((sum, s) => sum + s.percentage, 0)).toBe(100);
    expect(submitted.body['responses']).toStrictEqual({});
    const waiting = await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'awaiting-responses', 'the determination');
    expect(waiting['determination']).toMatchObject({
      eligibility: { status: 'not-yet' },
      icb: { body: 'QGH' },
      localAuthority: { body: 'E10000034' },
    });
    await eventually(async () => {
      const c = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });
      return (c.body['entries'] as { type: string }[]).filter((e) => e.type === 'response-requested').length === 2 ? true : undefined;
    }, 'both requests to respond');

    expect((await respond(id, qgh, { decision: 'accept' })).status).toBe(201);
    expect((await respond(id, worcestershire, { decision: 'accept' })).status).toBe(201);
    const agreed = await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'agreed', 'agreed funding');
    expect(agreed['funding']).toMatchObject({
      state: 'agreed',
      startDate: '2025-03-10',
      lead: 'E10000034',
      shares: [
        { body: 'QGH', percentage: 50 },
        { body: 'E10000034', percentage: 50 },
      ],
    });

    // The status is saved before the chronology entry that records it; wait for the entry.
    const chronology = await eventually(async () => {
      const c = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });
      return (c.body['entries'] as { type: string }[]).some((e) => e.type === 'funding-agreed') ? c : undefined;
    }, 'the funding-agreed entry');
    const types = (chronology.body['entries'] as { type: string }[]).map((e) => e.type);
    expect(types.slice(0, 3)).toStrictEqual(['application-submitted', 'interim-funding-started', 'responsibility-determined']);
    expect(types.filter((t) => t === 'response-requested')).toHaveLength(2);
    expect(types.at(-1)).toBe('funding-agreed');
    // The agreement is appended after the interim arrangement; it does not rewrite it.
    expect((agreed['arrangements'] as { state: string }[]).map((a) => a.state)).toStrictEqual(['interim', 'agreed']);
    expect((chronology.body['entries'] as { sequence: number }[]).map((e) => e.sequence)).toStrictEqual(types.map((_, i) => i + 1));
  });

  it('submit, dispute → interim without-prejudice funding starting on the requested date', async () => {
    const id = await submit('e2e-dispute', applicationBody({ nhsNumber: '4010232137', factsId: 'e2e-2' }));
    await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'awaiting-responses', 'the determination');
    expect(
      (await respond(id, worcestershire, { decision: 'dispute', reason: 'She lived in Swindon', proposedBody: 'E06000030' })).status,
    ).toBe(201);
    const interim = await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'interim', 'interim funding');
    expect(interim['funding']).toMatchObject({ state: 'interim', startDate: '2025-03-10', withoutPrejudice: true });
    expect(interim['parties']).toContain('E06000030');
  });

  it('a determination that needs a person → interim funding at once, without waiting for answers', async () => {
    const events = [
      {
        type: 'residence',
        from: '2018-01-01',
        area: { country: 'england', la: 'E10000034', icb: 'QGH' },
        setting: 'own-home',
        basis: 'unknown',
      },
      { type: 'gp-registration', from: '2018-01-01', icb: 'QGH' },
      { type: 'detention', from: '2025-01-10', section: '3' },
    ];
    const id = await submit('e2e-review', applicationBody({ events, factsId: 'e2e-3', nhsNumber: '9434765870' }));
    const interim = await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'interim', 'interim funding');
    expect((interim['determination'] as { needsHumanReview: { code: string }[] }).needsHumanReview.map((r) => r.code)).toStrictEqual([
      'RESIDENCE-BASIS-UNKNOWN',
    ]);
    expect(interim['responses']).toStrictEqual({});
  });

  it('hides an application from organisations that are not party to it, on every route', async () => {
    const id = await submit('e2e-access', applicationBody({ factsId: 'e2e-4', nhsNumber: '9876543210' }));
    await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'awaiting-responses', 'the determination');
    expect((await call(api, 'GET', `/v1/applications/${id}`, { as: surrey })).status).toBe(404);
    expect((await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: surrey })).status).toBe(404);
    expect((await respond(id, surrey, { decision: 'accept' })).status).toBe(404);
    const listed = await call(api, 'GET', '/v1/applications', { as: surrey });
    expect((listed.body['items'] as { id: string }[]).map((i) => i.id)).not.toContain(id);
    expect((await call(api, 'GET', `/v1/applications/${id}`)).status).toBe(401);
  });

  it('emails each determined body, and no mail carries the NHS number or a task token', async () => {
    const store = (await (await fetch(`${runtime.ses.url}/store`)).json()) as {
      emails: { destination: { to: string[] }; subject: string; body: { text: string; html: string } }[];
    };
    const requests = store.emails.filter((m) => m.subject.startsWith('s117 aftercare: please accept or dispute'));
    expect(new Set(requests.flatMap((m) => m.destination.to))).toStrictEqual(
      new Set(['s117@qgh.example.nhs.uk', 's117@worcestershire.example.gov.uk']),
    );
    for (const m of store.emails) {
      expect(`${m.body.text}${m.body.html}`).not.toMatch(/943\s?476\s?5919|4010232137|sfnlocal-tt|taskToken/);
    }
  });
});
