/**
 * Rule set E in detail (rules.md 1.2A): R-WP-117-9 to R-WP-117-12, R-WP-NHSE-1/2 and R-CHILD-4, with the NHS rule
 * set boundaries. Expected answers are read from the rule book; each boundary date has a row on each side.
 */
import { describe, expect, it } from 'vitest';
import { determine } from '#domain/responsibility/determine.ts';
import type { AftercareServiceEvent, CaseEvent, CaseFacts, ChildStatusEvent, ResidenceEvent } from '#domain/facts.ts';
import { detained, discharged, facts, gp, home } from '../../support/case-builder.ts';

type Events = (CaseEvent | CaseEvent[])[];
const run = (evaluation: string, events: Events, person?: CaseFacts['person']) => determine(facts(evaluation, events, person));
const codes = (d: ReturnType<typeof run>) => d.needsHumanReview.map((r) => r.code);
const wales = (from: string, extra: Partial<ResidenceEvent> = {}): ResidenceEvent => ({
  type: 'residence',
  from,
  area: { country: 'wales', la: 'LA-W', icb: 'LHB-W' },
  setting: 'own-home',
  basis: 'own-choice',
  ...extra,
});
const welshGp = (from: string): CaseEvent => ({ type: 'gp-registration', from, icb: 'LHB-W', country: 'wales' });
const service = (kind: AftercareServiceEvent['kind'], extra: Partial<AftercareServiceEvent> = {}): AftercareServiceEvent => ({
  type: 'aftercare-service',
  from: '2024-05-01',
  kind,
  ...extra,
});
/** Home in ICB-A's area, registered with an ICB-G practice: reg 7(2) (ICB-G) and s117(3)(a) (ICB-A) differ. */
const splitHome: CaseEvent[] = [home('2000-01-01', 'LA-A', 'ICB-A'), gp('2000-01-01', 'ICB-G')];
const inA: CaseEvent[] = [home('2000-01-01', 'LA-A', 'ICB-A'), gp('2000-01-01', 'ICB-A')];

describe('R-WP-117-9: reg 7 needs the person to be usually resident in England, tested where they live now', () => {
  const movedToWales = [splitHome, detained('2023-01-10'), ...discharged('2023-06-01'), wales('2024-06-01'), welshGp('2024-06-01')];

  it.each([
    { evaluation: '2024-05-31', body: 'ICB-G', asked: [] as string[], provisional: undefined },
    { evaluation: '2024-06-01', body: 'ICB-A', asked: ['NOT-USUALLY-RESIDENT-IN-ENGLAND'], provisional: true },
  ])('evaluated $evaluation (moved to Wales on 1 June 2024): $body', ({ evaluation, body, asked, provisional }) => {
    const d = run(evaluation, movedToWales);
    expect(d.icb).toMatchObject({ body, kind: 'english-icb' });
    expect(d.icb.provisional).toBe(provisional);
    expect(codes(d)).toEqual(asked);
    expect(d.localAuthority).toMatchObject({ body: 'LA-A', kind: 'english-la' });
  });

  it('the question names both readings with their rules, and never the Welsh Local Health Board', () => {
    const d = run('2025-01-01', movedToWales);
    const item = d.needsHumanReview.find((r) => r.code === 'NOT-USUALLY-RESIDENT-IN-ENGLAND');
    expect(item?.ruleIds).toEqual(['R-WP-117-9']);
    expect(item?.candidates?.map((c) => [c.body, c.kind])).toEqual([
      ['ICB-A', 'english-icb'],
      ['ICB-G', 'english-icb'],
    ]);
    expect(d.icb.candidates?.map((c) => c.body)).toEqual(['ICB-A', 'ICB-G']);
    expect(JSON.stringify(d.icb)).not.toContain('LHB-W');
  });

  it('where both readings name the same ICB there is nothing to ask', () => {
    const d = run('2025-01-01', [inA, detained('2023-01-10'), ...discharged('2023-06-01'), wales('2024-06-01'), welshGp('2024-06-01')]);
    expect(d.icb).toMatchObject({ body: 'ICB-A', kind: 'english-icb' });
    expect(d.icb.ruleIds).toEqual(expect.arrayContaining(['R-WP-117-9', 'R-WP-117-6']));
    expect(codes(d)).toEqual([]);
  });

  it('a temporary stay in Wales is not where the person usually lives', () => {
    const d = run('2025-01-01', [
      splitHome,
      detained('2023-01-10'),
      ...discharged('2023-06-01'),
      wales('2024-06-01', { nature: 'temporary', homeKeptElsewhere: true }),
    ]);
    expect(d.icb.body).toBe('ICB-G');
    expect(codes(d)).toEqual([]);
  });
});

describe('R-WP-117-12 and R-XB-1: Welsh bodies are never English ICBs', () => {
  it('ordinarily resident in Wales: the Welsh Local Health Board and council, even with an English GP', () => {
    const d = run('2025-01-01', [wales('2000-01-01'), gp('2000-01-01', 'ICB-G'), detained('2024-01-10'), ...discharged('2024-04-01')]);
    expect(d.icb).toMatchObject({ body: 'LHB-W', kind: 'welsh-health-board' });
    expect(d.localAuthority).toMatchObject({ body: 'LA-W', kind: 'welsh-la' });
  });

  it('ordinarily resident in England with a Welsh GP: an English ICB, never the Welsh board', () => {
    const d = run('2025-01-01', [
      home('2000-01-01', 'LA-A', 'ICB-A'),
      welshGp('2000-01-01'),
      detained('2024-01-10'),
      ...discharged('2024-04-01'),
    ]);
    expect(d.icb).toMatchObject({ body: 'ICB-A', kind: 'english-icb' });
  });

  it('no originating ICB when the first detention was of a Welsh resident: a later detention in England is allocated afresh', () => {
    const d = run('2025-06-01', [
      wales('2000-01-01'),
      welshGp('2000-01-01'),
      detained('2023-01-10'),
      ...discharged('2023-04-01'),
      home('2023-06-01', 'LA-B', 'ICB-B'),
      gp('2023-06-01', 'ICB-B'),
      detained('2024-01-10'),
      ...discharged('2024-04-01'),
    ]);
    expect(d.icb).toMatchObject({ body: 'ICB-B', kind: 'english-icb' });
    expect(d.icb.ruleIds).toContain('R-WP-117-12');
    expect(d.localAuthority).toMatchObject({ body: 'LA-B', kind: 'english-la' });
  });

  it('a Welsh board with no code recorded is a missing fact, not a guess', () => {
    const noBoard: ResidenceEvent = { ...wales('2000-01-01'), area: { country: 'wales', la: 'LA-W' } };
    const d = run('2025-01-01', [noBoard, detained('2024-01-10'), ...discharged('2024-04-01')]);
    expect(d.icb).toMatchObject({ body: null, kind: 'undetermined' });
    expect(codes(d)).toContain('HEALTH-BODY-MISSING');
  });
});

describe('R-WP-117-10: Part 3 detentions and the exclusion period', () => {
  it.each([
    {
      name: 'GP changed before the s37: a person decides; the originating ICB is provisional',
      change: true,
      body: 'ICB-A',
      asked: ['PART3-IN-EXCLUSION-PERIOD'],
    },
    { name: 'same GP throughout: every reading names the same ICB, nothing to ask', change: false, body: 'ICB-A', asked: [] },
  ])('(a) a s37 inside a Part 2 exclusion period — $name', ({ change, body, asked }) => {
    const d = run('2025-01-01', [
      inA,
      detained('2023-01-10'),
      ...discharged('2023-04-01'),
      ...(change ? [gp('2023-06-01', 'ICB-B')] : []),
      detained('2024-01-10', '37'),
      ...discharged('2024-06-01'),
    ]);
    expect(d.icb.body).toBe(body);
    expect(codes(d)).toEqual(asked);
    if (change) {
      expect(d.icb.provisional).toBe(true);
      expect(d.icb.candidates?.map((c) => c.body)).toEqual(['ICB-A', 'ICB-B']);
      expect(d.needsHumanReview[0]?.ruleIds).toEqual(['R-WP-117-10']);
    }
  });

  it.each([
    { change: true, body: 'ICB-B', asked: ['PART2-AFTER-PART3'] },
    { change: false, body: 'ICB-A', asked: [] },
  ])('(b) a s3 application inside a period a s37 opened (GP changed: $change) → $body', ({ change, body, asked }) => {
    const d = run('2025-01-01', [
      inA,
      detained('2023-01-10', '37'),
      ...discharged('2023-04-01'),
      ...(change ? [gp('2023-06-01', 'ICB-B')] : []),
      detained('2024-01-10', '3'),
      ...discharged('2024-06-01'),
    ]);
    expect(d.icb.body).toBe(body);
    expect(codes(d)).toEqual(asked);
  });

  it('a s2 converted to s3 is one period: the ICB with core responsibility when the s2 application was made', () => {
    const d = run('2025-01-01', [
      inA,
      detained('2023-01-10', '2'),
      gp('2023-01-20', 'ICB-B'),
      detained('2023-01-25', '3'),
      ...discharged('2023-06-01'),
    ]);
    expect(d.icb.body).toBe('ICB-A');
    expect(codes(d)).toEqual([]);
  });

  it('(d) a s47 transfer from prison: the ICB is provisional and a person is asked, never from the prison address', () => {
    const d = run('2025-01-01', [
      inA,
      home('2023-01-01', 'LA-P', 'ICB-P', { setting: 'prison' }),
      detained('2024-01-10', '47'),
      ...discharged('2024-06-01'),
    ]);
    expect(d.icb.body).toBe('ICB-A');
    const item = d.needsHumanReview.find((r) => r.code === 'PRISONER-TRANSFER-ICB');
    expect(item?.ruleIds).toEqual(['R-WP-117-10', 'R-OR-5', 'R-WP-GEN-7']);
    expect(d.localAuthority.body).toBe('LA-A');
  });
});

describe('R-WP-117-11: two limbs of reg 7 name different ICBs', () => {
  it.each([
    { name: '(b) re-detained in an NHS England bed after a GP change', change: true, body: 'ICB-B', asked: ['REG7-LIMBS-DISAGREE'] },
    { name: '(b) re-detained in an NHS England bed, same GP', change: false, body: 'ICB-A', asked: [] },
  ])('$name → $body', ({ change, body, asked }) => {
    const d = run('2025-01-01', [
      inA,
      detained('2023-01-10'),
      ...discharged('2023-04-01'),
      ...(change ? [gp('2023-06-01', 'ICB-B')] : []),
      detained('2024-01-10', '3', { nhsEnglandBed: true }),
      ...discharged('2024-06-01'),
    ]);
    expect(d.icb.body).toBe(body);
    expect(codes(d)).toEqual(asked);
    if (change) {
      expect(d.icb.provisional).toBe(true);
      expect(d.icb.candidates?.map((c) => [c.body, c.ruleIds])).toEqual([
        ['ICB-B', ['R-WP-117-5', 'R-WP-117-11']],
        ['ICB-A', ['R-WP-117-3', 'R-WP-117-11']],
      ]);
    }
  });

  it('(c) on aftercare on 1 July 2022, re-detained in an NHS England bed after a GP change: a person decides', () => {
    const d = run('2025-01-01', [
      inA,
      detained('2021-01-10'),
      ...discharged('2021-06-01'),
      gp('2023-06-01', 'ICB-B'),
      detained('2024-01-10', '3', { nhsEnglandBed: true }),
      ...discharged('2024-06-01'),
    ]);
    expect(d.icb.body).toBe('ICB-B');
    expect(codes(d)).toEqual(['REG7-LIMBS-DISAGREE']);
  });

  // (a) An NHS England detention is under reg 7(4) only if it ends on or after 1 July 2022; otherwise reg 7(3).
  it.each([
    { end: '2022-06-30', rule: 'R-WP-117-4', not: 'R-WP-117-5' },
    { end: '2022-07-01', rule: 'R-WP-117-5', not: 'R-WP-117-3' },
  ])('(a) an NHS England detention from 1 June 2022 ending $end cites $rule', ({ end, rule, not }) => {
    const d = run('2023-01-01', [inA, detained('2022-06-01', '3', { nhsEnglandBed: true }), ...discharged(end)]);
    expect(d.icb.body).toBe('ICB-A');
    expect(d.icb.ruleIds).toContain(rule);
    expect(d.icb.ruleIds).not.toContain(not);
    expect(codes(d)).toEqual([]);
  });

  it('(a) spanning 1 July 2022 with a GP change before discharge: reg 7(4) is provisional and a person decides', () => {
    const d = run('2023-01-01', [
      inA,
      detained('2022-06-01', '3', { nhsEnglandBed: true }),
      gp('2022-07-15', 'ICB-C'),
      ...discharged('2022-08-01'),
    ]);
    expect(d.icb).toMatchObject({ body: 'ICB-C', provisional: true, since: '2022-08-01' });
    expect(d.icb.candidates?.map((c) => c.body)).toEqual(['ICB-C', 'ICB-A']);
    expect(codes(d)).toEqual(['REG7-LIMBS-DISAGREE']);
  });
});

describe('R-WP-NHSE-1/2: NHS England holds the duty for services it must arrange, service by service', () => {
  const base = [inA, detained('2024-01-10'), ...discharged('2024-04-01')];

  it('every NHS aftercare service is one NHS England must arrange: NHS England', () => {
    const d = run('2025-01-01', [...base, service('high-security', { nhsEnglandMustArrange: true }), service('social-care')]);
    expect(d.icb).toMatchObject({ body: 'NHSE', kind: 'nhs-england' });
    expect(d.icb.ruleIds).toContain('R-WP-NHSE-1');
  });

  it('one NHS England service among others: the ICB keeps the rest and the reasons say so', () => {
    const d = run('2025-01-01', [
      ...base,
      service('specialised-mental-health', { nhsEnglandMustArrange: true }),
      service('community-mental-health'),
    ]);
    expect(d.icb).toMatchObject({ body: 'ICB-A', kind: 'english-icb' });
    expect(d.icb.reasons.join(' ')).toContain('NHS England holds the NHS s117 duty for the specialised mental health service');
  });

  it('an unclassified secure or forensic service goes to a person; the ICB is never replaced by NHS England wholesale', () => {
    const d = run('2025-01-01', [...base, service('community-forensic')]);
    expect(d.icb.body).toBe('ICB-A');
    expect(d.needsHumanReview.find((r) => r.code === 'SERVICE-MAY-BE-NHS-ENGLAND')?.ruleIds).toEqual(['R-WP-NHSE-2']);
  });

  it.each([
    { to: '2024-12-31', body: 'ICB-A' },
    { to: '2025-01-01', body: 'NHSE' },
  ])('a service that ended $to (evaluated 1 January 2025) → $body', ({ to, body }) => {
    const d = run('2025-01-01', [...base, service('high-security', { nhsEnglandMustArrange: true, to })]);
    expect(d.icb.body).toBe(body);
  });

  it.each([
    { evaluation: '2013-03-31', body: 'ICB-A' },
    { evaluation: '2013-04-01', body: 'NHSE' },
  ])('Standing Rules reg 15 from 1 April 2013 (evaluated $evaluation) → $body', ({ evaluation, body }) => {
    const d = run(evaluation, [
      inA,
      detained('2012-01-10'),
      ...discharged('2012-06-01'),
      { ...service('high-security', { nhsEnglandMustArrange: true }), from: '2012-07-01' },
    ]);
    expect(d.icb.body).toBe(body);
  });

  it('a person in custody after discharge: a person classifies any aftercare delivered there', () => {
    const d = run('2025-01-01', [...base, { type: 'imprisonment', from: '2024-09-01' }]);
    expect(codes(d)).toEqual(expect.arrayContaining(['SERVICE-MAY-BE-NHS-ENGLAND', 'IMPRISONMENT-DURING-AFTERCARE']));
    expect(d.eligibility.status).toBe('eligible');
  });
});

describe('R-CHILD-4: the ICB for a placed child', () => {
  const status = (para4: string): ChildStatusEvent => ({
    type: 'child-status',
    from: '2020-01-01',
    status: 'care-order',
    authority: 'LA-B',
    schedulePara4Icb: para4,
  });
  const placed = [
    home('2020-01-01', 'LA-B', 'ICB-B', { setting: 'other', arrangedBy: { body: 'LA-B', under: 'children-act-1989' } }),
    gp('2020-01-01', 'ICB-B'),
  ];

  it('the Schedule para 4 ICB differs from the core ICB: a person decides; the core ICB is provisional', () => {
    const d = run('2025-01-01', [placed, status('ICB-P'), detained('2024-01-10'), ...discharged('2024-04-01')], {
      dateOfBirth: '2008-01-01',
    });
    expect(d.icb).toMatchObject({ body: 'ICB-B', kind: 'english-icb', provisional: true });
    const item = d.needsHumanReview.find((r) => r.code === 'CHILD-SCHEDULE-PARA4-ICB');
    expect(item?.ruleIds).toEqual(['R-CHILD-4']);
    expect(item?.candidates?.map((c) => c.body)).toEqual(['ICB-B', 'ICB-P']);
  });

  it('the two name the same ICB: nothing to ask', () => {
    const d = run('2025-01-01', [placed, status('ICB-B'), detained('2024-01-10'), ...discharged('2024-04-01')], {
      dateOfBirth: '2008-01-01',
    });
    expect(d.icb.body).toBe('ICB-B');
    expect(codes(d)).toEqual([]);
  });
});
