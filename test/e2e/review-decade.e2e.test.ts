/**
 * Ten years of one episode's reviews through the local runtime on a virtual clock (issue 15): every review is
 * reminded at its lead and, when it is not held, escalated the day after it falls due and again every repeat
 * interval until it is; the schedule runs as a chain of short executions, none older than the bound (300 days).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates.ts';
import { REVIEW_EXECUTION_MAX_DAYS } from '#lib/manifest/register.ts';
import type { VirtualClock } from '#local/clock.ts';
import type { RuntimeHandles } from '#local/runtime.ts';
import { Engine } from '#local/sfn/engine.ts';
import { eventually } from '../local/support.ts';
import { call, commissioner, sentMails, type Api, type SentMail, startApp, type App } from './support.ts';

let app: App;
let runtime: RuntimeHandles;
let api: Api;
const worcestershire = commissioner('E10000034');
const DAY_MS = 86_400_000;
const REPEAT_DAYS = 14;
const T0 = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
  new Date(),
);
const PRACTITIONER = 'sam.carter@worcestershire.example.gov.uk';
const at9 = (date: string): number => Date.parse(`${date}T09:00:00Z`);

beforeAll(async () => {
  app = await startApp('register', { clock: 'virtual' });
  ({ runtime, api } = app);
});

afterAll(() => app.stop());

const mails = async (episode: string, prefix: string): Promise<SentMail[]> =>
  (await sentMails(runtime)).filter((m) => m.subject.startsWith(prefix) && m.subject.includes(`(${episode})`));
/** Waits until `count` mails about the episode start with `prefix`, and checks there are no more. */
async function expectMails(episode: string, prefix: string, count: number): Promise<void> {
  await eventually(async () => ((await mails(episode, prefix)).length >= count ? true : undefined), `${count} mails '${prefix}'`, 15_000);
  expect((await mails(episode, prefix)).length).toBe(count);
}

describe('ten years of reviews on the virtual clock', () => {
  it('every review is reminded and escalated on time, and no execution outlives the bound', { timeout: 600_000 }, async () => {
    const clock = runtime.clock as VirtualClock;
    const created = await call(api, 'POST', '/v1/register/people', {
      as: worcestershire,
      body: {
        nhsNumber: '943 476 5919',
        name: 'Alex Example',
        events: [
          {
            type: 'residence',
            from: '2018-01-01',
            area: { country: 'england', la: 'E10000034', icb: 'QGH' },
            setting: 'own-home',
            basis: 'own-choice',
          },
          { type: 'gp-registration', from: '2018-01-01', icb: 'QGH' },
          { type: 'detention', from: addDays(T0, -60), section: '3', hospitalArea: { country: 'england', la: 'E06000030', icb: 'QOX' } },
          { type: 'detention-ended', date: T0, outcome: 'discharged' },
          { type: 'left-hospital', date: T0 },
        ],
      },
    });
    expect(created.status).toBe(201);
    const episode = `${String(created.body['personRef'])}-e1`;
    const practitioner = await call(api, 'PUT', `/v1/register/episodes/${episode}/practitioner`, {
      as: worcestershire,
      body: { name: 'Sam Carter', email: PRACTITIONER, role: 'care coordinator' },
    });
    expect(practitioner.status).toBe(200);

    const nextReview = async (): Promise<{ key: string; due: string }> => {
      const reply = await call(api, 'GET', `/v1/register/episodes/${episode}`, { as: worcestershire });
      expect(reply.status).toBe(200);
      return (reply.body as { nextReview: { key: string; due: string } }).nextReview;
    };
    const today = (): string => new Date(clock.now()).toISOString().slice(0, 10);
    const record = async (): Promise<void> => {
      const reply = await call(api, 'POST', `/v1/register/episodes/${episode}/reviews`, {
        as: worcestershire,
        body: {
          date: today(),
          outcome: 'continue',
          personTookPart: true,
          participants: [
            { name: 'Alex Example', role: 'the person' },
            { name: 'Sam Carter', role: 'care coordinator' },
          ],
        },
      });
      expect(reply.status).toBe(201);
    };

    const end = at9(addDays(T0, 3653));
    let current = await nextReview();
    let reminders = 0;
    let escalations = 0;
    let escalatedThis = 0;
    let held = false;
    let obligations = 0;
    let bounded = 0;
    const reviewed: { key: string; due: string; late: boolean }[] = [];
    while (clock.now() < end) {
      const timer = await eventually(
        () => clock.pending().find((t) => t.label.includes(`:review-${episode}-g1`) && t.label.endsWith(' wait')),
        'the review schedule waiting',
        15_000,
      );
      const state = timer.label.split(' ').at(-2);
      if (state === 'WaitUntilReminder') {
        current = await nextReview();
        held = false;
        escalatedThis = 0;
        obligations += 1;
        expect([state, new Date(timer.dueAt).toISOString()]).toStrictEqual([state, new Date(at9(addDays(current.due, -14))).toISOString()]);
        clock.advance(timer.dueAt - clock.now());
        await expectMails(episode, 's117 review due by', (reminders += 1));
        // Every third review is left to fall overdue; the others are held on the day of the reminder.
        if (obligations % 3 !== 0) {
          await record();
          reviewed.push({ ...current, late: false });
          held = true;
        }
      } else if (state === 'WaitUntilDue') {
        const expected = at9(addDays(current.due, 1 + escalatedThis * REPEAT_DAYS));
        expect([state, new Date(timer.dueAt).toISOString()]).toStrictEqual([state, new Date(expected).toISOString()]);
        clock.advance(timer.dueAt - clock.now());
        if (!held) {
          escalatedThis += 1;
          escalations += 1;
          await expectMails(episode, 's117 review OVERDUE', escalations * 3);
          // Held after the second escalation.
          if (escalatedThis === 2) {
            await record();
            reviewed.push({ ...current, late: true });
            held = true;
          }
        }
      } else {
        expect(state).toBe('WaitUntilBound');
        bounded += 1;
        clock.advance(timer.dueAt - clock.now());
      }
    }

    // Annual reviews are planned further ahead than the bound: those executions hand over at it.
    expect([reviewed.length >= 10, bounded > 0]).toStrictEqual([true, true]);
    expect(reviewed.filter((r) => r.late).length).toBeGreaterThanOrEqual(3);
    expect(escalations).toBe(2 * reviewed.filter((r) => r.late).length);
    const executions = runtime.engine.executions(Engine.machineArn('review-schedule')).map((e) => e.record);
    expect(executions.filter((e) => e.status !== 'SUCCEEDED' && e.status !== 'RUNNING')).toStrictEqual([]);
    expect(executions.filter((e) => e.status === 'RUNNING')).toHaveLength(1);
    const longest = Math.max(...executions.map((e) => (e.stoppedAt ?? clock.now()) - e.startedAt));
    expect(longest).toBeLessThanOrEqual(REVIEW_EXECUTION_MAX_DAYS * DAY_MS);
    expect(Math.min(...executions.map((e) => e.startedAt))).toBeLessThan(clock.now() - 10 * 365 * DAY_MS);
  });
});
