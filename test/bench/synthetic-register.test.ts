import { describe, expect, it } from 'vitest';
import { generateRegister, mulberry32 } from '../../bench/synthetic-register.ts';
import { eventDate, type CaseFacts } from '#domain/facts.ts';
import { parseCaseFacts } from '#functions/shared/case-facts.schema.ts';

const register = generateRegister(3000, 20250117);

describe('synthetic register', () => {
  it('mulberry32 is deterministic and spread over [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toStrictEqual(xs);
    expect([Math.min(...xs) >= 0, Math.max(...xs) < 1, Math.min(...xs) < 0.01, Math.max(...xs) > 0.99]).toStrictEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('gives the same register for the same seed, and a different one for another seed', () => {
    expect(generateRegister(50, 20250117)).toStrictEqual(register.slice(0, 50));
    expect(generateRegister(50, 7)).not.toStrictEqual(register.slice(0, 50));
  });

  it('every generated document passes the edge schema and the calendar check', () => {
    const refused = register.map((facts) => ({ id: facts.id, result: parseCaseFacts(facts) })).filter((r) => !r.result.ok);
    expect(refused).toStrictEqual([]);
  });

  it('every history has 5 to 40 events in date order, evaluated on or after the last, within 2008 to 2026', () => {
    const broken = register.filter((facts: CaseFacts) => {
      const dates = facts.events.map(eventDate);
      const sorted = [...dates].sort();
      const last = dates[dates.length - 1] ?? '';
      return (
        facts.events.length < 5 ||
        facts.events.length > 40 ||
        dates.join() !== sorted.join() ||
        facts.evaluationDate < last ||
        (dates[0] ?? '') < '2008-01-01' ||
        facts.evaluationDate > '2026-12-31'
      );
    });
    expect(broken.map((f) => f.id)).toStrictEqual([]);
  });

  it('covers the variety the engine must handle', () => {
    const events = register.flatMap((f) => f.events);
    const seen = new Set<string>();
    for (const e of events) {
      seen.add(e.type);
      if (e.type === 'detention') seen.add(`section ${e.section}`);
      if (e.type === 'detention-ended') seen.add(`outcome ${e.outcome}`);
      if (e.type === 'residence' && e.arrangedBy?.under === 'mha-s117') seen.add('placed under s117');
      if (e.type === 'residence' && e.basis === 'best-interests-decision') seen.add('best interests');
      if (e.type === 'residence') seen.add(`lives in ${e.area.country}`);
      if (e.type === 'gp-registration' && e.icb === null) seen.add('no GP');
      if (e.type === 'aftercare-ended') seen.add(e.icbAgreed && e.laAgreed ? 'ended by both' : 'ended by one');
      if (e.type === 's17-leave') seen.add(`leave ${e.kind}`);
      if (e.type === 'recall') seen.add(`recall from ${e.from}`);
    }
    for (const f of register) {
      if (f.person?.capacityToDecideResidence === false) seen.add('lacks capacity');
      seen.add(`evaluated in ${f.evaluationDate.slice(0, 4)}`);
    }
    const wanted = [
      'residence',
      'gp-registration',
      'detention',
      'detention-ended',
      'left-hospital',
      'informal-admission',
      'cto',
      'recall',
      's17-leave',
      'imprisonment',
      'aftercare-ended',
      'section 2',
      'section 3',
      'section 37',
      'section 37/41',
      'section 47',
      'section 48',
      'section 136',
      'section 5(2)',
      'outcome discharged',
      'outcome community-treatment-order',
      'outcome conditional-discharge',
      'outcome remained-informal',
      'outcome returned-to-prison',
      'outcome died',
      'placed under s117',
      'best interests',
      'lacks capacity',
      'no GP',
      'ended by both',
      'ended by one',
      'lives in england',
      'lives in wales',
      'lives in scotland',
      'leave escorted-day',
      'leave trial-placement',
      'recall from cto',
      'recall from conditional-discharge',
      'evaluated in 2010',
      'evaluated in 2026',
    ];
    expect(wanted.filter((w) => !seen.has(w))).toStrictEqual([]);
  });

  it('most histories have a qualifying detention that has ended', () => {
    const withDischarge = register.filter((f) => f.events.some((e) => e.type === 'left-hospital')).length;
    expect(withDischarge / register.length).toBeGreaterThan(0.7);
  });
});
