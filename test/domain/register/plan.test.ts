/**
 * The aftercare plan (issue 17 item 1): what makes a version unrecordable (R-PLAN-1, R-REVIEW-1, the applications'
 * service lines), how versions are numbered (appended; a retry is the same version; an id is never reused), and who
 * gets a copy.
 */
import { describe, expect, it } from 'vitest';
import {
  currentPlan,
  letterAddressOf,
  nextPlanVersion,
  planProblems,
  planRecipients,
  type AftercarePlan,
  type PlanContext,
} from '#domain/register/plan.ts';
import type { Supporter } from '#domain/register/supporters.ts';
import { cmhtService, housingService, planContent as content } from '../../support/plan-builder.ts';

const context = (over: Partial<PlanContext> = {}): PlanContext => ({
  today: '2025-03-11',
  episode: { detentionFrom: '2025-01-10' },
  serviceLines: new Map([['app_aaaaaaaaaaaaaaaaaaaa', new Set(['line-1', 'line-2'])]]),
  ...over,
});

describe('planProblems', () => {
  it('a complete plan within the rules has none', () => {
    expect(planProblems(content(), context())).toStrictEqual([]);
  });

  it.each([
    {
      name: 'meeting before the detention began (R-PLAN-1)',
      plan: content({ meeting: { ...content().meeting, date: '2025-01-09' }, nextReview: '2025-04-01' }),
      problems: [{ field: 'meeting.date', message: 'is before the detention this episode follows began (2025-01-10; R-PLAN-1)' }],
    },
    {
      name: 'meeting on the day the detention began is fine (planning starts on admission)',
      plan: content({ meeting: { ...content().meeting, date: '2025-01-10' }, nextReview: '2025-04-01' }),
      problems: [],
    },
    {
      name: 'meeting after today',
      plan: content({ meeting: { ...content().meeting, date: '2025-03-12' } }),
      problems: [{ field: 'meeting.date', message: 'is after today (2025-03-11)' }],
    },
    {
      name: 'next review on the meeting day',
      plan: content({ nextReview: '2025-03-05' }),
      problems: [{ field: 'nextReview', message: 'must be after the planning meeting' }],
    },
    {
      name: 'next review exactly 12 months on is fine (R-REVIEW-1)',
      plan: content({ nextReview: '2026-03-05' }),
      problems: [],
    },
    {
      name: 'next review a day past 12 months (R-REVIEW-1)',
      plan: content({ nextReview: '2026-03-06' }),
      problems: [{ field: 'nextReview', message: 'must be within 12 months of the planning meeting, by 2026-03-05 (R-REVIEW-1)' }],
    },
    {
      name: 'a service meeting no need of the plan, and a repeated need id',
      plan: content({
        needs: [
          { id: 'mood', description: 'a' },
          { id: 'mood', description: 'b' },
        ],
        services: [{ ...cmhtService, needIds: ['mood', 'work'] }],
      }),
      problems: [
        { field: 'needs[1].id', message: 'repeats the need id "mood"' },
        { field: 'services[0].needIds[1]', message: 'names no need of this plan ("work")' },
      ],
    },
    {
      name: "an application that is not the person's, and a line not in the application",
      plan: content({
        services: [
          { ...cmhtService, applicationId: 'app_bbbbbbbbbbbbbbbbbbbb' },
          { ...housingService, lineId: 'line-9' },
        ],
      }),
      problems: [
        { field: 'services[0].applicationId', message: "is not an application of this person's" },
        { field: 'services[1].lineId', message: 'is not a service line of app_aaaaaaaaaaaaaaaaaaaa' },
      ],
    },
  ])('$name', ({ plan, problems }) => {
    expect(planProblems(plan, context())).toStrictEqual(problems);
  });
});

describe('nextPlanVersion', () => {
  const by = { userId: 'u1', org: 'E10000034' };
  const first = nextPlanVersion([], { id: 'v1', episodeId: 'e', content: content(), at: '2025-03-11T09:00:00.000Z', by });

  it('the first version is 1, with who recorded it and when', () => {
    expect(first).toStrictEqual({
      kind: 'new',
      plan: { ...content(), id: 'v1', episodeId: 'e', version: 1, recordedAt: '2025-03-11T09:00:00.000Z', recordedBy: by },
    });
  });

  it('a new id is appended as the next number; the earlier version is untouched', () => {
    if (first.kind !== 'new') throw new Error('expected a new version');
    const second = nextPlanVersion([first.plan], {
      id: 'v2',
      episodeId: 'e',
      content: content({ nextReview: '2025-05-01' }),
      at: 't2',
      by,
    });
    expect(second.kind === 'new' && second.plan.version).toBe(2);
    expect(first.plan.nextReview).toBe('2025-06-05');
  });

  it('the same id with the same content is a retry: the same version', () => {
    if (first.kind !== 'new') throw new Error('expected a new version');
    expect(nextPlanVersion([first.plan], { id: 'v1', episodeId: 'e', content: content(), at: 't2', by })).toStrictEqual({
      kind: 'same',
      plan: first.plan,
    });
  });

  it('the same id with other content is refused', () => {
    if (first.kind !== 'new') throw new Error('expected a new version');
    expect(
      nextPlanVersion([first.plan], { id: 'v1', episodeId: 'e', content: content({ nextReview: '2025-05-01' }), at: 't2', by }),
    ).toStrictEqual({ kind: 'id-reused', existing: first.plan });
  });

  it('the current plan is the highest version', () => {
    const v = (version: number) =>
      ({ ...content(), id: `v${version}`, episodeId: 'e', version, recordedAt: 't', recordedBy: by }) as AftercarePlan;
    expect(currentPlan([v(2), v(3), v(1)])?.version).toBe(3);
    expect(currentPlan([])).toBeUndefined();
  });
});

describe('who gets a copy of the plan', () => {
  const supporter = (over: Partial<Supporter>): Supporter => ({
    id: 's1',
    kind: 'carer',
    name: 'Jo',
    relationship: 'mother',
    consentToShare: true,
    sendLetters: true,
    appropriatePerson: true,
    contact: { email: 'jo@example.org' },
    ...over,
  });

  it('the person, the GP, each provider mailbox once, and carers the person agreed may be sent letters', () => {
    const plan = content({
      services: [
        ...content().services,
        { ...cmhtService, description: 'Another', provider: { name: 'CMHT', mailbox: 'CMHT@example.org' } },
      ],
    });
    expect(
      planRecipients(plan, {
        supporters: [
          supporter({}),
          supporter({ id: 's2', consentToShare: false }),
          supporter({ id: 's3', sendLetters: false }),
          supporter({ id: 's4', kind: 'imca', appropriatePerson: false, sendLetters: false, organisation: 'Advocacy' }),
        ],
      }),
    ).toStrictEqual([
      { role: 'person' },
      { role: 'gp', name: 'Anytown Surgery', to: 'surgery@example.org' },
      { role: 'provider', name: 'CMHT', to: 'cmht@example.org' },
      { role: 'provider', name: 'Housing Co', to: 'housing@example.org' },
      { role: 'carer', supporterId: 's1', name: 'Jo', relationship: 'mother', to: 'jo@example.org' },
    ]);
  });

  it('no letters without consent, even if asked for', () => {
    expect(letterAddressOf(supporter({ consentToShare: false }))).toBeUndefined();
    expect(letterAddressOf(supporter({}))).toBe('jo@example.org');
  });
});
