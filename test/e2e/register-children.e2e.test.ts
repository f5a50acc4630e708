/**
 * A child's episode through the local runtime on a virtual clock (issue 17 item 5): the child's record is kept
 * with the register, the review schedule reminds of the transition to adult services on the 17th birthday and
 * hands over on the 18th, each told by mail and recorded in the chronology, and the bodies stay the same (R-CHILD-6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '#domain/dates.ts';
import type { VirtualClock } from '#local/clock.ts';
import type { RuntimeHandles } from '#local/runtime.ts';
import { eventually } from '../local/support.ts';
import { call, commissioner, sentMails, type Api, type SentMail, startApp, type App } from './support.ts';

let app: App;
let runtime: RuntimeHandles;
let api: Api;
const worcestershire = commissioner('E10000034');
const T0 = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
  new Date(),
);
const at9 = (date: string): number => Date.parse(`${date}T09:00:00Z`);
/** Turns 17 sixty days from now, 18 a year after that. */
const SEVENTEEN = addDays(T0, 60);
const DOB = addMonths(SEVENTEEN, -17 * 12);
const EIGHTEEN = addMonths(DOB, 18 * 12);

beforeAll(async () => {
  app = await startApp('register-children', { clock: 'virtual' });
  ({ runtime, api } = app);
});

afterAll(() => app.stop());

const mails = async (prefix: string): Promise<SentMail[]> => (await sentMails(runtime)).filter((m) => m.subject.startsWith(prefix));

describe("a child's episode on the register's clock", () => {
  it('reminds of the transition at 17 and hands over to adult services at 18; the bodies stay the same', { timeout: 300_000 }, async () => {
    const clock = runtime.clock as VirtualClock;
    const created = await call(api, 'POST', '/v1/register/people', {
      as: worcestershire,
      body: {
        nhsNumber: '943 476 5919',
        events: [
          {
            type: 'residence',
            from: '2018-01-01',
            area: { country: 'england', la: 'E10000034', icb: 'QGH' },
            setting: 'own-home',
            basis: 'own-choice',
          },
          { type: 'gp-registration', from: '2018-01-01', icb: 'QGH' },
          { type: 'child-status', from: '2018-01-01', status: 'living-with-parents' },
          { type: 'detention', from: addDays(T0, -60), section: '3', hospitalArea: { country: 'england', la: 'E06000030', icb: 'QOX' } },
          { type: 'detention-ended', date: T0, outcome: 'discharged' },
          { type: 'left-hospital', date: T0 },
        ],
      },
    });
    expect(created.status).toBe(201);
    const ref = String(created.body['personRef']);
    const episode = `${ref}-e1`;
    const child = await call(api, 'PUT', `/v1/register/people/${ref}/child`, {
      as: worcestershire,
      body: {
        dateOfBirth: DOB,
        parents: { involved: true },
        education: { setting: 'school', ehcPlan: true },
        transitionPlan: { startedOn: addDays(T0, -30), adultServicesLead: 'Adult community mental health team' },
      },
    });
    expect([child.status, child.body['age'], child.body['legalStatus']]).toMatchObject([
      200,
      16,
      { status: 'living-with-parents', ruleIds: ['R-CHILD-1', 'R-CHILD-2'], needsPerson: false },
    ]);
    expect(child.body['transition']).toMatchObject({ reminderOn: SEVENTEEN, handoverOn: EIGHTEEN, planningOverdue: false });

    // Drive the review schedule: each time it waits before `until`, move the clock to its timer; answer the first
    // timer at or after `until` (the one the schedule waits on next).
    let last = '';
    const next = () =>
      eventually(
        () =>
          clock
            .pending()
            .filter((t) => t.label.includes(`:review-${episode}-g`) && t.label.endsWith(' wait') && `${t.label}@${t.dueAt}` !== last)
            .sort((a, b) => a.dueAt - b.dueAt)[0],
        'the review schedule waiting',
        15_000,
      );
    const driveTo = async (until: number): Promise<number> => {
      for (;;) {
        const timer = await next();
        if (timer.dueAt >= until) return timer.dueAt;
        last = `${timer.label}@${timer.dueAt}`;
        clock.advance(Math.max(0, timer.dueAt - clock.now()));
      }
    };
    const fire = async (): Promise<void> => {
      const timer = await next();
      last = `${timer.label}@${timer.dueAt}`;
      clock.advance(Math.max(0, timer.dueAt - clock.now()));
    };
    const reminders = () => mails('s117 register: transition to adult services due');
    const handovers = () => mails('s117 register: handed over to adult services');

    // The schedule waits for the 17th birthday at 09:00 itself; nothing is reminded before it.
    expect(await driveTo(at9(SEVENTEEN))).toBe(at9(SEVENTEEN));
    expect(await reminders()).toStrictEqual([]);
    await fire();
    // Reminded on the 17th birthday, to both bodies (no practitioner is named).
    await eventually(async () => ((await reminders()).length >= 2 ? true : undefined), 'the transition reminder');
    expect(await driveTo(at9(EIGHTEEN))).toBe(at9(EIGHTEEN));
    expect([(await reminders()).length, await handovers()]).toStrictEqual([2, []]);
    await fire();
    await eventually(async () => ((await handovers()).length >= 2 ? true : undefined), 'the handover mail');
    await driveTo(at9(addDays(EIGHTEEN, 30)));
    expect([(await reminders()).length, (await handovers()).length]).toStrictEqual([2, 2]);

    const chronology = await call(api, 'GET', `/v1/register/people/${ref}/chronology`, { as: worcestershire });
    const entries = (chronology.body['entries'] as { type: string; at: string; data: Record<string, unknown> }[]).filter((e) =>
      e.type.startsWith('register-transition-'),
    );
    expect(entries.map((e) => [e.type, e.data['handoverOn']])).toStrictEqual([
      ['register-transition-reminder', EIGHTEEN],
      ['register-transition-handover', EIGHTEEN],
    ]);
    expect(entries[1]?.data).toMatchObject({ icb: 'QGH', localAuthority: 'E10000034', ruleIds: ['R-CHILD-6'] });
    const view = await call(api, 'GET', `/v1/register/episodes/${episode}`, { as: worcestershire });
    expect([(view.body['icb'] as { body: string }).body, (view.body['localAuthority'] as { body: string }).body]).toStrictEqual([
      'QGH',
      'E10000034',
    ]);
  });
});
