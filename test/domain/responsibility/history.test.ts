/**
 * The life of the duty (rules.md 4, 4.1 to 4.4): R-ELIG-6/7, R-CTO-1 to R-CTO-4, R-LEAVE-1 to R-LEAVE-3, R-END-4 to
 * R-END-8 and R-LA-16's written notice. Expected answers are read from the rule book; boundary dates have a row on
 * each side.
 */
import { describe, expect, it } from 'vitest';
import { determine } from '#domain/responsibility/determine.ts';
import type { AftercareEndedEvent, CaseEvent, RecallEvent } from '#domain/facts.ts';
import { cto, detained, discharged, endAftercare, ended, facts, home, informal, left, settledInA } from '../../support/case-builder.ts';

type Events = (CaseEvent | CaseEvent[])[];
const run = (evaluation: string, events: Events, config?: Parameters<typeof determine>[1]) => determine(facts(evaluation, events), config);
const codes = (d: ReturnType<typeof run>) => d.needsHumanReview.map((r) => r.code);
const onCto = [settledInA, detained('2023-01-10'), ...discharged('2023-06-01', 'community-treatment-order'), cto('2023-06-01')];
const ending = (date: string, extra: Partial<AftercareEndedEvent> = {}): AftercareEndedEvent => ({
  ...(endAftercare(date, ['no-longer-needs-aftercare']) as AftercareEndedEvent),
  jointReviewHeld: true,
  ...extra,
});
const recall = (date: string, extra: Partial<RecallEvent> = {}): RecallEvent => ({ type: 'recall', date, from: 'cto', ...extra });

describe('R-ELIG-6: leaving hospital at any time after a qualifying detention ended', () => {
  it.each(['2', '5(2)', '4', '136'] as const)('a section %s during the informal stay does not cancel the entitlement', (section) => {
    const d = run('2024-06-01', [
      settledInA,
      detained('2023-01-10'),
      ended('2023-03-01', 'remained-informal'),
      detained('2023-05-01', section),
      ended('2023-05-20', 'remained-informal'),
      left('2023-07-01'),
    ]);
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-07-01', qualifyingSection: '3', detentionFrom: '2023-01-10' });
    expect(d.eligibility.ruleIds).toEqual(['R-ELIG-1', 'R-ELIG-2', 'R-ELIG-6']);
    expect(codes(d)).toEqual([]);
  });

  it('a holding power that ends with the person leaving straight away still gives rise to the duty on that day', () => {
    const d = run('2024-06-01', [
      settledInA,
      detained('2023-01-10'),
      ended('2023-03-01', 'remained-informal'),
      detained('2023-05-01', '5(2)'),
      ...discharged('2023-05-03'),
    ]);
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-05-03', qualifyingSection: '3' });
  });

  it('a fresh qualifying detention before leaving resets it: the aftercare relates to the new detention', () => {
    const d = run('2024-06-01', [
      settledInA,
      detained('2023-01-10'),
      ended('2023-03-01', 'remained-informal'),
      detained('2023-05-01', '37'),
      ...discharged('2023-09-01'),
    ]);
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-09-01', qualifyingSection: '37', detentionFrom: '2023-05-01' });
  });

  it.each([
    { evaluation: '2023-06-30', status: 'not-yet' },
    { evaluation: '2023-07-01', status: 'eligible' },
  ])('still an informal in-patient until leaving on 1 July 2023 (evaluated $evaluation): $status', ({ evaluation, status }) => {
    const d = run(evaluation, [settledInA, detained('2023-01-10'), ended('2023-03-01', 'remained-informal'), left('2023-07-01')]);
    expect(d.eligibility.status).toBe(status);
  });
});

describe('R-ELIG-7: what is not leaving hospital', () => {
  it('a move to another hospital as an in-patient: not yet owed, and a person is asked', () => {
    const d = run('2024-06-01', [
      settledInA,
      detained('2023-01-10'),
      ended('2023-03-01', 'remained-informal'),
      { type: 'left-hospital', date: '2023-04-01', destination: 'another-hospital-as-inpatient' },
    ]);
    expect(d.eligibility.status).toBe('not-yet');
    expect(d.eligibility.ruleIds).toContain('R-ELIG-7');
    const item = d.needsHumanReview.find((r) => r.code === 'MOVED-BETWEEN-HOSPITALS');
    expect(item?.ruleIds).toEqual(['R-ELIG-7']);
    expect(item?.candidates?.map((c) => c.ruleIds)).toEqual([['R-ELIG-7'], ['R-ELIG-6']]);
  });

  it('death in hospital: no entitlement arises', () => {
    const d = run('2024-06-01', [settledInA, detained('2023-01-10'), ended('2023-03-01', 'died')]);
    expect(d.eligibility.status).toBe('not-eligible');
    expect(d.icb.kind).toBe('none');
  });

  it('events recorded after death are ignored and flagged', () => {
    const d = run('2024-06-01', [settledInA, detained('2023-01-10'), ended('2023-03-01', 'died'), home('2023-05-01', 'LA-C', 'ICB-C')]);
    expect(codes(d)).toEqual(['EVENT-AFTER-DEATH']);
  });

  it('discharge to prison is leaving hospital; whether the duty survives is for a person (R-LA-10)', () => {
    const d = run('2024-06-01', [settledInA, detained('2023-01-10', '47'), ended('2023-03-01', 'returned-to-prison')]);
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-03-01' });
    expect(codes(d)).toContain('RETURNED-TO-PRISON');
  });

  it('leaving while still detained does not start aftercare', () => {
    const d = run('2024-06-01', [settledInA, detained('2023-01-10'), left('2023-03-01')]);
    expect(d.eligibility.status).toBe('not-yet');
    expect(codes(d)).toContain('LEFT-WHILE-DETAINED');
  });
});

describe('R-CTO-2: recall without revocation changes nothing', () => {
  it('a recall released within 72 hours is coherent and raises no question', () => {
    const d = run('2024-06-01', [...onCto, recall('2024-01-10', { releasedOn: '2024-01-12' }), ended('2024-01-12')]);
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-06-01' });
    expect(d.eligibility.ruleIds).toEqual(expect.arrayContaining(['R-CTO-2', 'R-ELIG-4']));
    expect(d.localAuthority.body).toBe('LA-A');
    expect(codes(d)).toEqual([]);
  });

  it.each([
    { release: '2024-01-13', asked: [] as string[] },
    { release: '2024-01-14', asked: ['END-WITHOUT-DETENTION'] },
  ])('a release recorded only as the end of a detention on $release, recall on 10 January 2024', ({ release, asked }) => {
    const d = run('2024-06-01', [...onCto, recall('2024-01-10'), ended(release)]);
    expect(d.eligibility.status).toBe('eligible');
    expect(codes(d)).toEqual(asked);
  });

  it('the bodies stay the same even if the person moved before the recall', () => {
    const d = run('2024-06-01', [...onCto, home('2023-09-01', 'LA-C', 'ICB-C'), recall('2024-01-10')]);
    expect([d.localAuthority.body, d.icb.body]).toEqual(['LA-A', 'ICB-A']);
    expect(codes(d)).toEqual([]);
  });

  // s17F: held for at most 72 hours; an ending recorded meanwhile is refused for the recall, later for the CTO itself.
  it.each([
    { on: '2024-01-13', words: 'recalled from a community treatment order' },
    { on: '2024-01-14', words: 'while the person is on a community treatment order' },
  ])('an ending on $on after a recall on 10 January 2024 is refused', ({ on, words }) => {
    const d = run('2024-06-01', [...onCto, recall('2024-01-10'), ending(on)]);
    expect(d.eligibility.status).toBe('eligible');
    expect(d.eligibility.reasons.join(' ')).toContain(words);
    expect(d.eligibility.ruleIds).toEqual(expect.arrayContaining(['R-ELIG-4', 'R-END-4']));
  });
});

describe('R-CTO-3: revocation and recall from conditional discharge', () => {
  it('revocation where the areas before revocation and before the original detention differ: a person decides, existing duty provisional', () => {
    const d = run('2024-06-01', [
      ...onCto,
      home('2023-09-01', 'LA-C', 'ICB-C'),
      recall('2024-01-10', { ctoRevoked: true }),
      ...discharged('2024-03-01'),
    ]);
    expect(d.localAuthority).toMatchObject({ body: 'LA-A', provisional: true });
    expect(d.localAuthority.candidates?.map((c) => [c.body, c.kind])).toEqual([
      ['LA-A', 'english-la'],
      ['LA-C', 'english-la'],
    ]);
    expect(codes(d)).toEqual(['RECALL-COUNCIL-CONTESTED']);
    // The ICB does not move: no new application (R-WP-117-3).
    expect(d.icb.body).toBe('ICB-A');
  });

  it('revocation where both readings name the same council: nothing to ask', () => {
    const d = run('2024-06-01', [...onCto, recall('2024-01-10', { ctoRevoked: true }), ...discharged('2024-03-01')]);
    expect(d.localAuthority.body).toBe('LA-A');
    expect(d.localAuthority.provisional).toBeUndefined();
    expect(d.localAuthority.ruleIds).toContain('R-CTO-3');
    expect(codes(d)).toEqual([]);
  });
});

describe('R-CTO-4: a CTO, recall or discharge with no detention record is missing data, never "not eligible"', () => {
  it.each([
    { name: 'a CTO', events: [settledInA, cto('2024-01-10')] },
    { name: 'a recall', events: [settledInA, recall('2024-01-10')] },
    { name: 'a discharge onto a CTO', events: [settledInA, ended('2024-01-10', 'community-treatment-order')] },
    { name: 'a discharge', events: [settledInA, ended('2024-01-10')] },
  ])('$name alone: eligible, qualifying detention missing, bodies undetermined', ({ events }) => {
    const d = run('2024-06-01', events);
    expect(d.eligibility.status).toBe('eligible');
    expect(d.eligibility.ruleIds).toEqual(['R-CTO-4', 'R-CTO-1']);
    expect([d.icb.kind, d.localAuthority.kind]).toEqual(['undetermined', 'undetermined']);
    const item = d.needsHumanReview.find((r) => r.code === 'QUALIFYING-DETENTION-MISSING');
    expect(item?.ruleIds).toEqual(['R-CTO-4']);
    expect(item?.factsNeeded?.length).toBe(5);
  });

  it('the end of a detention when none was in force, after an earlier one, is ignored and flagged', () => {
    const d = run('2024-06-01', [settledInA, detained('2023-01-10'), ...discharged('2023-03-01'), ended('2023-05-01')]);
    expect(d.eligibility.status).toBe('eligible');
    expect(codes(d)).toContain('END-WITHOUT-DETENTION');
  });
});

describe('R-LEAVE-2/3: leave in the community and staged discharge', () => {
  it('unescorted day leave that is a stage of discharge with services arranged: likely s117, a person confirms', () => {
    const d = run('2023-05-01', [
      settledInA,
      detained('2023-01-10'),
      { type: 's17-leave', from: '2023-03-01', kind: 'unescorted-day', stagedDischarge: true },
    ]);
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-03-01' });
    expect(d.eligibility.ruleIds).toContain('R-LEAVE-2');
    expect(codes(d)).toEqual(['S17-LEAVE-IN-COMMUNITY']);
  });

  it.each([
    { to: '2023-04-30', status: 'not-yet' },
    { to: '2023-05-01', status: 'eligible' },
  ])('overnight leave ending $to, evaluated 1 May 2023: $status', ({ to, status }) => {
    const d = run('2023-05-01', [settledInA, detained('2023-01-10'), { type: 's17-leave', from: '2023-03-01', to, kind: 'overnight' }]);
    expect(d.eligibility.status).toBe(status);
  });

  it('leave does not change the responsible bodies', () => {
    const d = run('2023-05-01', [
      settledInA,
      detained('2023-01-10'),
      { type: 's17-leave', from: '2023-03-01', kind: 'trial-placement' },
      home('2023-03-01', 'LA-C', 'ICB-C', { setting: 'care-home' }),
    ]);
    expect([d.localAuthority.body, d.icb.body]).toEqual(['LA-A', 'ICB-A']);
  });
});

describe('R-END-4 to R-END-7: an ending the law allows', () => {
  const base = [settledInA, detained('2022-09-01'), ...discharged('2023-01-05')];

  it('a lawful ending: both bodies, need-based, person involved, joint review', () => {
    const d = run('2024-09-01', [...base, ending('2024-05-01')]);
    expect(d.eligibility.status).toBe('ended');
    expect(d.icb.kind).toBe('none');
    expect(codes(d)).toEqual([]);
  });

  it('R-END-4(c): an ending recorded during an informal admission is not lawful; a person decides', () => {
    const d = run('2024-09-01', [...base, informal('2024-04-01', '2024-06-01'), ending('2024-05-01')]);
    expect(d.eligibility.status).toBe('eligible');
    expect(d.needsHumanReview.map((r) => [r.code, r.ruleIds])).toEqual([['ENDING-MAY-BE-UNLAWFUL', ['R-END-4']]]);
  });

  it('R-END-4(c): an ending recorded during a s2 detention is not lawful; a person decides', () => {
    const d = run('2024-09-01', [...base, detained('2024-04-01', '2'), ending('2024-04-15'), ...discharged('2024-04-28')]);
    expect(d.eligibility.status).toBe('eligible');
    expect(codes(d)).toEqual(['ENDING-MAY-BE-UNLAWFUL']);
  });

  it('R-END-4(b): during a fresh qualifying detention the council duty has ended; the decision is no ending', () => {
    const d = run('2024-09-01', [...base, detained('2024-04-01', '3'), ending('2024-05-01')]);
    expect(d.eligibility.status).toBe('not-yet');
    const item = d.needsHumanReview.find((r) => r.code === 'ENDING-DURING-DETENTION');
    expect(item?.ruleIds).toEqual(['R-END-4']);
  });

  it('R-END-6: no joint review before the ending; a person decides', () => {
    const d = run('2024-09-01', [...base, ending('2024-05-01', { jointReviewHeld: false })]);
    expect(d.eligibility.status).toBe('eligible');
    expect(d.needsHumanReview.map((r) => [r.code, r.ruleIds])).toEqual([['ENDING-MAY-BE-UNLAWFUL', ['R-END-6']]]);
  });

  it('R-END-7: the person still lives in s117-funded specialist accommodation; a person decides', () => {
    const placed = home('2023-01-05', 'LA-A', 'ICB-A', { setting: 'care-home', arrangedBy: { body: 'LA-A', under: 'mha-s117' } });
    const d = run('2024-09-01', [...base, placed, ending('2024-05-01')]);
    expect(d.eligibility.status).toBe('eligible');
    expect(d.needsHumanReview.map((r) => [r.code, r.ruleIds])).toEqual([['ENDING-MAY-BE-UNLAWFUL', ['R-END-7']]]);
  });

  it.each([
    { to: '2024-04-30', status: 'ended' },
    { to: '2024-05-01', status: 'eligible' },
  ])('R-END-7: s117-funded accommodation service ending $to, aftercare ended 1 May 2024 → $status', ({ to, status }) => {
    const svc: CaseEvent = {
      type: 'aftercare-service',
      from: '2023-01-05',
      to,
      kind: 'specialist-accommodation',
      s117FundedAccommodation: true,
    };
    expect(run('2024-09-01', [...base, svc, ending('2024-05-01')]).eligibility.status).toBe(status);
  });

  it('several reasons at once are all named, each with its rule', () => {
    const d = run('2024-09-01', [...base, ending('2024-05-01', { personInvolved: false, jointReviewHeld: false })]);
    expect(d.needsHumanReview[0]?.ruleIds).toEqual(['R-END-5', 'R-END-6']);
    expect(d.needsHumanReview[0]?.factsNeeded?.length).toBe(2);
  });

  it('an ending that does not record whether the person was involved is lawful but noted (R-END-5)', () => {
    const e = ending('2024-05-01');
    delete e.personInvolved;
    const d = run('2024-09-01', [...base, e]);
    expect(d.eligibility.status).toBe('ended');
    expect(d.explanation.join(' ')).toContain('does not record whether the person was involved');
  });
});

describe('R-LA-16: the joint written notice once MHA 2025 s46 commences', () => {
  const base = [settledInA, detained('2026-09-01'), ...discharged('2027-01-05')];
  const s46 = { name: 's46', mha2025S46CommencementDate: '2027-04-01' };
  it.each([
    { date: '2027-03-31', asked: [] as string[] },
    { date: '2027-04-01', asked: ['MHA2025-JOINT-WRITTEN-NOTICE'] },
  ])('an ending on $date without a written notice (s46 from 1 April 2027)', ({ date, asked }) => {
    expect(codes(run('2027-09-01', [...base, ending(date)], s46))).toEqual(asked);
  });

  it('an ending with the notice recorded raises nothing', () => {
    expect(codes(run('2027-09-01', [...base, ending('2027-05-01', { writtenNoticeOn: '2027-05-01' })], s46))).toEqual([]);
  });
});

describe('R-END-8: reinstatement after a premature ending', () => {
  const ended2024 = [settledInA, detained('2022-09-01'), ...discharged('2023-01-05'), ending('2024-05-01')];

  it('withdrawn as premature: the same duty continues with the same bodies, no new residence test', () => {
    const d = run('2024-09-01', [
      ...ended2024,
      home('2024-05-15', 'LA-C', 'ICB-C'),
      { type: 'aftercare-reinstated', date: '2024-06-01', basis: 'withdrawn-prematurely' },
    ]);
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-01-05' });
    expect(d.eligibility.ruleIds).toContain('R-END-8');
    expect([d.localAuthority.body, d.icb.body]).toEqual(['LA-A', 'ICB-A']);
    expect(codes(d)).toEqual([]);
  });

  it('a new need after a lawful ending is not s117 aftercare', () => {
    const d = run('2024-09-01', [...ended2024, { type: 'aftercare-reinstated', date: '2024-08-01', basis: 'new-need' }]);
    expect(d.eligibility.status).toBe('ended');
    expect(d.explanation.join(' ')).toContain('not s117 aftercare');
  });

  it('basis unknown: the ending stands until a person decides, naming both answers', () => {
    const d = run('2024-09-01', [...ended2024, { type: 'aftercare-reinstated', date: '2024-08-01', basis: 'unknown' }]);
    expect(d.eligibility.status).toBe('ended');
    const item = d.needsHumanReview.find((r) => r.code === 'SERVICES-RESUMED-AFTER-ENDING');
    expect(item?.candidates?.map((c) => c.ruleIds)).toEqual([['R-END-8'], ['R-END-8', 'R-END-1']]);
  });

  it('a reinstatement with no ended duty is only noted', () => {
    const d = run('2024-09-01', [
      settledInA,
      detained('2022-09-01'),
      ...discharged('2023-01-05'),
      { type: 'aftercare-reinstated', date: '2024-06-01', basis: 'withdrawn-prematurely' },
    ]);
    expect(d.eligibility.status).toBe('eligible');
    expect(d.explanation.join(' ')).toContain('no ended duty was found to reinstate');
  });
});
