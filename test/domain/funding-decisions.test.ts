import { describe, expect, it } from 'vitest';
import {
  agreedArrangement,
  interimArrangement,
  recordResponse,
  routeAfterDetermination,
  routeAfterResponses,
} from '#domain/funding/funding-decisions.ts';
import { determine } from '#domain/responsibility/determine.ts';
import { application, partnership } from '../support/application-builder.ts';
import { detained, facts, gp, home, settledInA } from '../support/case-builder.ts';

const AT = '2024-06-02T10:00:00.000Z';
const icbUser = { userId: 'u-icb', org: 'ICB-A' };
const laUser = { userId: 'u-la', org: 'LA-A' };
const KINDS: Record<string, 'icb' | 'la' | 'nhs-england'> = {
  'ICB-A': 'icb',
  'ICB-B': 'icb',
  'LA-A': 'la',
  'LA-B': 'la',
  'ICB-OUT': 'icb',
  NHSE: 'nhs-england',
};
/** The directory's answer for a proposed body, as the use-case looks it up: the test partnership's members. */
const dir = (code?: string, members: readonly string[] = partnership.members) => {
  const kind = code === undefined ? undefined : KINDS[code];
  return { proposed: code === undefined || kind === undefined ? null : { code, kind }, members };
};

describe('routing after the determination', () => {
  it('asks both bodies when the engine is sure', () => {
    const { determination } = application();
    if (determination === null) throw new Error('expected a determination');
    expect(routeAfterDetermination(determination).route).toBe('await-responses');
  });
  it('goes straight to interim funding when a person must decide', () => {
    const d = determine(facts('2024-06-01', [home('2020-01-01', 'LA-A', 'ICB-A'), detained('2024-01-10')]));
    expect(d.needsHumanReview.map((r) => r.code)).toEqual(['GP-REGISTRATION-MISSING']);
    expect(routeAfterDetermination(d).route).toBe('interim-now');
  });
  it('stops when no duty is owed', () => {
    expect(routeAfterDetermination(determine(facts('2024-06-01', [settledInA, detained('2024-01-10', '2')]))).route).toBe('not-eligible');
  });
});

describe('recording a response', () => {
  it("records the determined ICB's acceptance", () => {
    const out = recordResponse(application(), icbUser, { decision: 'accept' }, AT, dir());
    expect(out.kind).toBe('recorded');
    expect(out.kind === 'recorded' && out.application.responses.icb).toStrictEqual({
      party: 'icb',
      body: 'ICB-A',
      decision: 'accept',
      at: AT,
      by: 'u-icb',
    });
  });
  it('refuses a body the determination does not name', () => {
    expect(recordResponse(application(), { userId: 'x', org: 'ICB-B' }, { decision: 'accept' }, AT, dir())).toMatchObject({
      kind: 'rejected',
      code: 'not-responsible-body',
    });
  });
  it('treats the same answer again as unchanged, and a different one as a conflict', () => {
    const first = recordResponse(application(), laUser, { decision: 'dispute', reason: 'not ours', proposedBody: 'LA-B' }, AT, dir('LA-B'));
    if (first.kind !== 'recorded') throw new Error('expected recorded');
    expect(
      recordResponse(first.application, laUser, { decision: 'dispute', reason: 'not ours', proposedBody: 'LA-B' }, AT, dir('LA-B')).kind,
    ).toBe('unchanged');
    expect(recordResponse(first.application, laUser, { decision: 'accept' }, AT, dir())).toMatchObject({
      kind: 'rejected',
      code: 'already-decided',
    });
    expect(first.application.parties).toEqual(['LA-A', 'ICB-A', 'LA-B']);
  });
  it.each([
    { name: 'a body the directory does not know', request: { proposedBody: 'ICB-ZZ' }, context: dir('ICB-ZZ') },
    { name: 'a known ICB outside the partnership', request: { proposedBody: 'ICB-OUT' }, context: dir('ICB-OUT') },
    {
      name: 'NHS England, which owes no s117 duty',
      request: { proposedBody: 'NHSE' },
      context: dir('NHSE', [...partnership.members, 'NHSE']),
    },
    { name: 'a council the determination does not name', request: { proposedBody: 'LA-B' }, context: dir('LA-B') },
    {
      name: 'any body in a dispute about the split',
      request: { proposedBody: 'ICB-B', about: 'apportionment' as const },
      context: dir('ICB-B'),
    },
  ])("refuses an ICB's dispute naming $name, with 422 on proposedBody, and adds no party", ({ request, context }) => {
    const out = recordResponse(application(), icbUser, { decision: 'dispute', reason: 'not ours', ...request }, AT, context);
    expect(out).toMatchObject({ kind: 'rejected', code: 'invalid-reference', field: 'proposedBody' });
  });

  it.each([
    { name: 'another ICB of the partnership (within the NHS)', user: icbUser, proposedBody: 'ICB-B', parties: ['LA-A', 'ICB-A', 'ICB-B'] },
    { name: 'the determined council (across the NHS/council line)', user: icbUser, proposedBody: 'LA-A', parties: ['LA-A', 'ICB-A'] },
    {
      name: 'another council of the partnership (between councils)',
      user: laUser,
      proposedBody: 'LA-B',
      parties: ['LA-A', 'ICB-A', 'LA-B'],
    },
    { name: 'the determined ICB (across the line)', user: laUser, proposedBody: 'ICB-A', parties: ['LA-A', 'ICB-A'] },
  ])('records a dispute naming $name; the named body becomes a party through it', ({ user, proposedBody, parties }) => {
    const out = recordResponse(application(), user, { decision: 'dispute', reason: 'not ours', proposedBody }, AT, dir(proposedBody));
    if (out.kind !== 'recorded') throw new Error(out.kind);
    expect([out.response.proposedBody, out.application.parties]).toStrictEqual([proposedBody, parties]);
  });

  it.each(['interim', 'in-dispute', 'settled'] as const)('refuses a late answer once the application is %s (closed, 409)', (status) => {
    const out = recordResponse(application({ status }), icbUser, { decision: 'accept' }, AT, dir());
    expect(out).toMatchObject({ kind: 'rejected', code: 'closed' });
  });

  it('a repeat of an answer already saved is still unchanged after the application moved on', () => {
    const first = recordResponse(application(), icbUser, { decision: 'accept' }, AT, dir());
    if (first.kind !== 'recorded') throw new Error(first.kind);
    const later = recordResponse({ ...first.application, status: 'interim' }, icbUser, { decision: 'accept' }, AT, dir());
    expect(later.kind).toBe('unchanged');
  });

  describe('the response deadline is the law of the answer (issue 12)', () => {
    const DEADLINE = '2024-06-11T10:00:00.000Z';
    const waiting = application({ status: 'awaiting-responses', responseDeadline: DEADLINE });

    it('records an answer a millisecond before the deadline', () => {
      expect(recordResponse(waiting, icbUser, { decision: 'accept' }, '2024-06-11T09:59:59.999Z', dir()).kind).toBe('recorded');
    });

    it.each(['2024-06-11T10:00:00.000Z', '2024-06-11T10:00:00.001Z', '2025-01-01T00:00:00.000Z'])(
      'refuses an answer at %s, while the status still says awaiting-responses, naming the deadline',
      (at) => {
        const out = recordResponse(waiting, icbUser, { decision: 'accept' }, at, dir());
        expect(out).toMatchObject({ kind: 'rejected', code: 'closed' });
        expect(out.kind === 'rejected' && out.reason).toContain(`The response deadline, ${DEADLINE}, has passed`);
      },
    );

    it('still treats a repeat of an answer saved in time as unchanged after the deadline', () => {
      const first = recordResponse(waiting, icbUser, { decision: 'accept' }, '2024-06-10T10:00:00.000Z', dir());
      if (first.kind !== 'recorded') throw new Error(first.kind);
      expect(recordResponse(first.application, icbUser, { decision: 'accept' }, '2024-06-12T10:00:00.000Z', dir()).kind).toBe('unchanged');
    });
  });

  it('refuses answers once the application is agreed', () => {
    expect(recordResponse(application({ status: 'agreed' }), icbUser, { decision: 'accept' }, AT, dir())).toMatchObject({
      kind: 'rejected',
      code: 'closed',
    });
  });
});

describe('arrangements', () => {
  const answered = (icb: 'accept' | 'dispute', la: 'accept' | 'dispute', extra: { icbProposes?: string; laProposes?: string } = {}) => {
    let app = application();
    for (const [user, decision, proposedBody] of [
      [icbUser, icb, extra.icbProposes],
      [laUser, la, extra.laProposes],
    ] as const) {
      const out = recordResponse(app, user, proposedBody ? { decision, proposedBody } : { decision }, AT, dir(proposedBody));
      if (out.kind !== 'recorded') throw new Error(out.kind);
      app = out.application;
    }
    return app;
  };

  it('agrees when both accept, at the partnership split, from the requested date', () => {
    const app = answered('accept', 'accept');
    expect(routeAfterResponses(app)).toBe('agree');
    expect(agreedArrangement(app, partnership, 'arr_1', AT)).toMatchObject({
      state: 'agreed',
      withoutPrejudice: false,
      startDate: '2024-06-10',
      lead: 'LA-A',
      shares: [
        { body: 'ICB-A', party: 'icb', basisPoints: 5000 },
        { body: 'LA-A', party: 'la', basisPoints: 5000 },
      ],
    });
  });

  it('between ICBs splits the NHS part 50:50 (R-WP-DISP-3)', () => {
    const app = answered('dispute', 'accept', { icbProposes: 'ICB-B' });
    expect(routeAfterResponses(app)).toBe('interim');
    const a = interimArrangement(app, partnership, 'dispute', 'arr_2', AT);
    expect(a).toMatchObject({ state: 'interim', withoutPrejudice: true, startDate: '2024-06-10', lead: 'LA-A' });
    expect(a.shares).toStrictEqual([
      { body: 'ICB-A', party: 'icb', basisPoints: 2500 },
      { body: 'ICB-B', party: 'icb', basisPoints: 2500 },
      { body: 'LA-A', party: 'la', basisPoints: 5000 },
    ]);
    expect(a.ruleIds).toContain('R-WP-DISP-3');
  });

  it('between councils the one meeting needs now keeps paying and leads (R-DISP-LA-2)', () => {
    const app = { ...answered('accept', 'dispute', { laProposes: 'LA-B' }), meetingNeedsNow: 'LA-A' };
    const a = interimArrangement(app, partnership, 'dispute', 'arr_3', AT);
    expect(a.lead).toBe('LA-A');
    expect(a.shares).toStrictEqual([
      { body: 'ICB-A', party: 'icb', basisPoints: 5000 },
      { body: 'LA-A', party: 'la', basisPoints: 5000 },
    ]);
    expect(a.ruleIds).toContain('R-DISP-LA-2');
  });

  it('with no council meeting needs, the council where the person lives leads', () => {
    const f = facts('2024-06-01', [settledInA, home('2023-01-01', 'LA-B', 'ICB-B'), gp('2023-01-01', 'ICB-A'), detained('2024-01-10')]);
    let app = application({ facts: f, determination: determine(f), parties: ['LA-A', 'ICB-A', 'LA-B'] });
    const out = recordResponse(app, { userId: 'u', org: 'LA-B' }, { decision: 'dispute', proposedBody: 'LA-A' }, AT, dir('LA-A'));
    if (out.kind !== 'recorded') throw new Error(out.kind);
    app = out.application;
    expect(interimArrangement(app, partnership, 'dispute', 'arr_4', AT).lead).toBe('LA-B');
  });

  it('silence past the deadline uses the partnership interim split', () => {
    const a = interimArrangement(
      application(),
      { ...partnership, funding: { ...partnership.funding, interimIcbShare: 6000, interimLead: 'icb' } },
      'deadline',
      'arr_5',
      AT,
    );
    expect(a).toMatchObject({
      lead: 'ICB-A',
      shares: [
        { body: 'ICB-A', party: 'icb', basisPoints: 6000 },
        { body: 'LA-A', party: 'la', basisPoints: 4000 },
      ],
    });
    expect(a.basis).toContain('did not both answer by the deadline');
  });

  it('with no determined council, the one where the person lives stands in', () => {
    const f = facts('2024-06-01', [gp('2000-01-01', 'ICB-A'), detained('2024-01-10')]);
    const app = application({ facts: { ...f, events: [...f.events, home('2024-02-01', 'LA-B', 'ICB-B')] }, determination: determine(f) });
    expect(app.determination?.localAuthority.body).toBeNull();
    const a = interimArrangement(app, partnership, 'human-review', 'arr_6', AT);
    expect(a.shares.map((s) => s.body)).toEqual(['ICB-A', 'LA-B']);
  });
});

describe('interim funding when facts are missing (R-WP-GEN-5, R-DISP-LA-3: care never waits)', () => {
  it('routes an ended duty to nothing to fund, and undetermined bodies to interim funding now', () => {
    const ended = determine(
      facts('2025-01-01', [
        settledInA,
        detained('2023-01-10'),
        { type: 'detention-ended', date: '2023-06-01', outcome: 'discharged' },
        {
          type: 'aftercare-ended',
          date: '2024-01-01',
          icbAgreed: true,
          laAgreed: true,
          personInvolved: true,
          jointReviewHeld: true,
          reasons: ['no-longer-needs-aftercare'],
        },
      ]),
    );
    expect(routeAfterDetermination(ended)).toMatchObject({ route: 'not-eligible', reason: expect.stringContaining('has ended') });
    const unknown = determine(facts('2024-06-01', [gp('2000-01-01', 'ICB-A'), detained('2024-01-10')]));
    expect(routeAfterDetermination(unknown)).toMatchObject({ route: 'interim-now', reason: expect.stringContaining('cannot name both') });
  });

  it('with no ICB determined, the ICB where the person lives stands in beside the council, and they share', () => {
    const f = facts('2024-06-01', [home('2000-01-01', 'LA-A', 'ICB-A'), detained('2024-01-10')]);
    const d = determine(f);
    const app = application({
      facts: { ...f, events: f.events.filter((e) => e.type !== 'gp-registration') },
      determination: { ...d, icb: { ...d.icb, body: null } },
    });
    const a = interimArrangement(app, partnership, 'failure', 'arr_7', AT);
    expect(a.shares).toEqual([
      { body: 'ICB-A', party: 'icb', basisPoints: 5000 },
      { body: 'LA-A', party: 'la', basisPoints: 5000 },
    ]);
    expect(a.basis).toContain('could not complete a step');
  });

  it('with no body determined, the submitting ICB stands in as the ICB and the council where the person is present as the council (R-DISP-LA-3)', () => {
    const f = facts('2024-06-01', [detained('2024-01-10')]);
    const d = determine(f);
    const app = application({ facts: f, determination: d, submittedBy: { userId: 'u', org: 'ICB-Z', orgKind: 'icb' } });
    const a = interimArrangement(app, partnership, 'panel', 'arr_8', AT);
    expect(a.shares).toEqual([
      { body: 'ICB-Z', party: 'icb', basisPoints: 5000 },
      { body: 'LA-HOSP', party: 'la', basisPoints: 5000 },
    ]);
    expect(a.basis).toContain('ICB-Z stands in as the ICB');
  });

  it('a dispute about the split, or naming the determined body itself, is not a dispute of responsibility', () => {
    const about = application({
      responses: {
        icb: { party: 'icb', body: 'ICB-A', decision: 'dispute', about: 'apportionment', proposedBody: 'ICB-B', at: AT, by: 'u' },
      },
    });
    const same = application({
      responses: { la: { party: 'la', body: 'LA-A', decision: 'dispute', proposedBody: 'LA-A', at: AT, by: 'u' } },
    });
    for (const app of [about, same]) {
      const a = interimArrangement(app, partnership, 'dispute', 'arr_9', AT);
      expect(a.ruleIds).toContain('R-APP-1');
      expect(a.shares.map((s) => s.body)).toEqual(['ICB-A', 'LA-A']);
    }
  });
});
