import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '#domain/facts.ts';
import {
  applyDecision,
  endingEvent,
  engineJudgement,
  judgeRecommendation,
  type EndingRecommendation,
  type EndingRequest,
} from '#domain/register/ending.ts';
import { deriveEpisodes, parseEpisodeId, reconcile, registerDate } from '#domain/register/register.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { cto, detained, discharged, gp, home } from '../../support/case-builder.ts';

const REF = 'p_abcdefghijklmnopqrstuvwxyz';
const first: CaseEvent[] = [
  home('2018-01-01', 'E10000034', 'QGH'),
  gp('2018-01-01', 'QGH'),
  detained('2025-01-10'),
  ...discharged('2025-03-10'),
];
const movedAndRedetained: CaseEvent[] = [...first, home('2025-05-01', 'E06000030', 'QOX'), gp('2025-05-01', 'QOX'), detained('2025-07-01')];
const ctx = { personRef: REF, partnershipId: 'p1', at: '2025-07-02T10:00:00.000Z' };

describe('re-determination on a new fact (R-LA-5, R-END-2, R-WP-117-3)', () => {
  it("a fresh qualifying detention ends the council's episode and opens a new one with the new council; the ICB stays", () => {
    const before = reconcile({ ...ctx, at: '2025-04-01T10:00:00.000Z' }, [], deriveEpisodes(REF, first, '2025-04-01', DEFAULT_RULE_CONFIG));
    expect(before.episodes.map((e) => [e.id, e.icb.body, e.localAuthority.body, e.dutyArose, e.ended ?? null])).toStrictEqual([
      [`${REF}-e1`, 'QGH', 'E10000034', '2025-03-10', null],
    ]);

    const after = reconcile(ctx, before.episodes, deriveEpisodes(REF, movedAndRedetained, '2025-07-01', DEFAULT_RULE_CONFIG));

    expect(after.changes).toStrictEqual([
      { kind: 'episode-ended', episodeId: `${REF}-e1`, date: '2025-07-01', by: 're-detention' },
      { kind: 'episode-opened', episodeId: `${REF}-e2`, detentionFrom: '2025-07-01', section: '3' },
    ]);
    expect(
      after.episodes.map((e) => [e.id, e.icb.body, e.localAuthority.body, e.dutyArose ?? null, e.ended?.by ?? null, e.version]),
    ).toStrictEqual([
      [`${REF}-e1`, 'QGH', 'E10000034', '2025-03-10', 're-detention', 2],
      [`${REF}-e2`, 'QGH', 'E06000030', null, null, 1],
    ]);
    expect(after.episodes[1]?.localAuthority.ruleIds).toContain('R-LA-5');
    expect(after.episodes[1]?.icb.ruleIds).toContain('R-WP-117-3');
  });

  it("discharge again: the new episode's duty arises with the new council responsible from that day", () => {
    const opened = reconcile(ctx, [], deriveEpisodes(REF, movedAndRedetained, '2025-07-01', DEFAULT_RULE_CONFIG));
    const later = reconcile(
      { ...ctx, at: '2025-09-02T10:00:00.000Z' },
      opened.episodes,
      deriveEpisodes(REF, [...movedAndRedetained, ...discharged('2025-09-01')], '2025-09-01', DEFAULT_RULE_CONFIG),
    );
    expect(later.changes).toStrictEqual([{ kind: 'duty-arose', episodeId: `${REF}-e2`, date: '2025-09-01' }]);
    expect(later.writes.map((e) => e.id)).toStrictEqual([`${REF}-e2`]);
    expect(later.episodes[1]?.localAuthority).toMatchObject({
      body: 'E06000030',
      since: '2025-09-01',
      history: [{ body: 'E06000030', from: '2025-09-01' }],
    });
  });

  it('the same facts again change nothing and write nothing', () => {
    const once = reconcile(ctx, [], deriveEpisodes(REF, movedAndRedetained, '2025-07-01', DEFAULT_RULE_CONFIG));
    const twice = reconcile(ctx, once.episodes, deriveEpisodes(REF, movedAndRedetained, '2025-07-01', DEFAULT_RULE_CONFIG));
    expect([twice.changes, twice.writes]).toStrictEqual([[], []]);
  });

  it('an informal admission during aftercare ends nothing (R-LA-9)', () => {
    const before = reconcile(ctx, [], deriveEpisodes(REF, first, '2025-04-01', DEFAULT_RULE_CONFIG));
    const after = reconcile(
      ctx,
      before.episodes,
      deriveEpisodes(
        REF,
        [...first, { type: 'informal-admission', from: '2025-05-01', to: '2025-05-20' }],
        '2025-06-01',
        DEFAULT_RULE_CONFIG,
      ),
    );
    expect(after.changes).toStrictEqual([]);
  });

  it('reads facts as of today, or the latest fact if it is later', () => {
    expect(registerDate(first, '2025-01-01')).toBe('2025-03-10');
    expect(registerDate(first, '2026-01-01')).toBe('2026-01-01');
    expect(parseEpisodeId(`${REF}-e12`)).toStrictEqual({ personRef: REF, n: 12 });
    expect(parseEpisodeId(`${REF}-e0`)).toBe(null);
  });
});

const report = {
  personViews: 'I feel well and want to manage on my own.',
  personInvolved: true,
  needsNoLongerArise: 'Her needs are now met by her GP.',
  readmissionRiskReasoning: 'Two years settled with no relapse.',
  responsibleClinician: { name: 'Dr A', confirmed: true, date: '2025-10-01' },
  socialCareManager: { name: 'B', council: 'E10000034', confirmed: true, date: '2025-10-01' },
  involvement: { date: '2025-10-01', form: 'review-meeting' as const },
  personLetterSentOn: '2025-10-02',
};
/** The joint review that considered ending (R-END-6), before the proposed end date. */
const REVIEWED = [{ id: 'rev_1', date: '2025-10-01', outcome: 'recommend-ending' as const }];
const request = (over: Partial<EndingRequest> = {}): EndingRequest => ({
  proposedEndDate: '2025-10-15',
  reasons: ['no-longer-needs-aftercare'],
  report,
  ...over,
});

describe("ending aftercare: the engine's rules refuse unlawful endings", () => {
  it('a complete, jointly agreed recommendation resting on no longer needing aftercare passes', () => {
    expect(judgeRecommendation(first, request(), DEFAULT_RULE_CONFIG, '2025-03-10', REVIEWED)).toStrictEqual([]);
  });

  it('refuses while the person is on a CTO (R-ELIG-4)', () => {
    expect(judgeRecommendation([...first, cto('2025-03-10')], request(), DEFAULT_RULE_CONFIG, '2025-03-10', REVIEWED)).toStrictEqual([
      {
        field: 'proposedEndDate',
        message: 'the engine refuses this ending: aftercare cannot end while the person is on a community treatment order',
        ruleIds: ['R-ELIG-4', 'R-END-4'],
      },
    ]);
  });

  it('refuses an ending resting only on a Code of Practice 33.22 reason (R-END-3)', () => {
    const problems = judgeRecommendation(
      first,
      request({ reasons: ['discharged-from-specialist-services', 'time-elapsed'] }),
      DEFAULT_RULE_CONFIG,
      '2025-03-10',
      REVIEWED,
    );
    expect(problems).toStrictEqual([
      {
        field: 'reasons',
        ruleIds: ['R-END-3'],
        message:
          'the engine refuses this ending: the reasons given (discharged-from-specialist-services, time-elapsed) cannot on their own end aftercare (Code of Practice 33.22)',
      },
    ]);
  });

  it('the engine refuses an ending by one body alone (R-END-1)', () => {
    expect(engineJudgement(first, endingEvent(request(), { icb: true, la: false }), DEFAULT_RULE_CONFIG)).toStrictEqual({
      lawful: false,
      ruleIds: ['R-END-1'],
      reason:
        'the duty lasts until both the ICB and the local authority are satisfied it is no longer needed, and the local authority did not agree',
    });
  });

  it('refuses an incomplete report, naming each field', () => {
    const bad = {
      ...report,
      personViews: ' ',
      responsibleClinician: { ...report.responsibleClinician, confirmed: false },
      socialCareManager: { ...report.socialCareManager, confirmed: false },
    };
    expect(
      judgeRecommendation(first, request({ report: bad }), DEFAULT_RULE_CONFIG, '2025-03-10', REVIEWED).map((p) => p.field),
    ).toStrictEqual(['report.personViews', 'report.responsibleClinician.confirmed', 'report.socialCareManager.confirmed']);
  });

  it('refuses before the duty has arisen', () => {
    expect(judgeRecommendation(first, request(), DEFAULT_RULE_CONFIG, undefined, REVIEWED).map((p) => [p.field, p.ruleIds])).toStrictEqual([
      ['proposedEndDate', ['R-ELIG-2']],
    ]);
  });
});

describe('joint decisions: the ending takes effect only when both bodies agree', () => {
  const rec: EndingRecommendation = {
    id: 'end_x',
    episodeId: `${REF}-e1`,
    version: 1,
    state: 'awaiting-panel',
    route: 'joint-decisions',
    request: request(),
    recommendedBy: { userId: 'u', org: 'QGH' },
    recommendedAt: '2025-10-01T00:00:00Z',
    bodies: { icb: 'QGH', la: 'E10000034' },
    decisions: {},
  };
  const decide = (r: EndingRecommendation, party: 'icb' | 'la', body: string, agree: boolean) =>
    applyDecision(r, { party, body, agree, at: '2025-10-02T00:00:00Z', by: 'u' });

  it('one agreement waits for the other; both agreeing takes effect', () => {
    const one = decide(rec, 'icb', 'QGH', true);
    if (one.kind !== 'recorded') throw new Error('rejected');
    expect([one.recommendation.state, one.takesEffect]).toStrictEqual(['awaiting-panel', false]);
    const both = decide(one.recommendation, 'la', 'E10000034', true);
    expect(both.kind === 'recorded' ? [both.recommendation.state, both.takesEffect, both.recommendation.version] : both).toStrictEqual([
      'agreed',
      true,
      3,
    ]);
  });

  it('a body that disagrees declines it; a decided recommendation takes no more decisions', () => {
    const no = decide(rec, 'la', 'E10000034', false);
    if (no.kind !== 'recorded') throw new Error('rejected');
    expect([no.recommendation.state, no.takesEffect]).toStrictEqual(['declined', false]);
    expect(decide(no.recommendation, 'icb', 'QGH', true)).toStrictEqual({
      kind: 'rejected',
      code: 'closed',
      reason: 'The recommendation is declined; it takes no more decisions.',
    });
  });

  it('only the responsible body decides for its side', () => {
    expect(decide(rec, 'la', 'E06000030', true)).toStrictEqual({
      kind: 'rejected',
      code: 'not-responsible-body',
      reason: 'Only E10000034 decides for the council.',
    });
  });
});
