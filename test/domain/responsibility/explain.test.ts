/**
 * The determination in plain English (issue 14 item 6; R-HUMAN-1): what is owed, by which kind of body, why, and for
 * each review entry what a person must decide, between which answers (with their rules) and on which facts.
 */
import { describe, expect, it } from 'vitest';
import { determine } from '#domain/responsibility/determine.ts';
import { explainInPlainEnglish } from '#domain/responsibility/explain.ts';
import type { CaseEvent, ResidenceEvent } from '#domain/facts.ts';
import { detained, discharged, facts, gp, home, settledInA } from '../../support/case-builder.ts';

type Events = (CaseEvent | CaseEvent[])[];
const explain = (evaluation: string, events: Events, person?: Parameters<typeof facts>[2]) =>
  explainInPlainEnglish(determine(facts(evaluation, events, person)));

describe('explain in plain English', () => {
  it('a settled case: owed, both bodies named with their kind and date, the reasons and the rules', () => {
    const text = explain('2025-01-01', [settledInA, detained('2024-01-10'), ...discharged('2024-04-01')]);
    expect(text).toContain('Case T-1, as the law stood on 1 January 2025');
    expect(text).toContain('Section 117 aftercare: owed since 1 April 2024 (section 3)');
    expect(text).toContain('Responsible NHS body: ICB-A (an English ICB), since 1 April 2024');
    expect(text).toContain('Responsible local authority: LA-A (an English council), since 1 April 2024');
    expect(text).toContain('R-WP-117-2: SI 2022/635 reg 7');
    expect(text).not.toContain('A person must decide');
  });

  it('a looked-after child placed out of area (R-CHILD-3): the question, the candidates with their rules, the facts', () => {
    const placed: ResidenceEvent = home('2020-01-01', 'LA-B', 'ICB-B', {
      setting: 'other',
      arrangedBy: { body: 'LA-A', under: 'children-act-1989' },
    });
    const text = explain(
      '2025-01-01',
      [
        gp('2008-06-15', 'ICB-B'),
        placed,
        { type: 'child-status', from: '2020-01-01', status: 'care-order', authority: 'LA-A' },
        detained('2024-01-10'),
        ...discharged('2024-04-01'),
      ],
      { dateOfBirth: '2008-06-15' },
    );
    expect(text).toContain('Responsible local authority: cannot be named from these facts (a person must decide between)');
    expect(text).toContain('A person must decide:');
    expect(text).toContain(
      'Where was the looked-after child ordinarily resident immediately before the detention? [LOOKED-AFTER-CHILD-PLACED-OUT-OF-AREA]',
    );
    expect(text).toContain('Why: The child was looked after by LA-A (under a care order) and placed in LA-B.');
    expect(text).toContain('Children Act s105(6) does not apply to s117 until the Mental Health Act 2025 s46 commences');
    expect(text).toMatch(/Possible answer: LA-B \(where the child was placed: .*Worcestershire\) \[R-CHILD-3, R-LA-8\]/u);
    expect(text).toMatch(/Possible answer: LA-A \(the authority that looked after the child: .*Cornwall\) \[R-CHILD-3, R-LA-13\]/u);
    expect(text).toContain('Facts that would settle it: who holds parental responsibility;');
    expect(text).toContain('R-CHILD-3:');
    // The finding is a candidate, not an answer: the reasons never state it as the ordinary residence.
    expect(text).toContain('the person was living in LA-B, in accommodation from 1 January 2020');
    expect(text).not.toContain('ordinarily resident in LA-B');
  });

  it('a provisional answer is labelled provisional, with the other candidates', () => {
    const bail = home('2024-01-01', 'LA-C', 'ICB-C', { providedAs: 'immigration-bail-address' });
    const text = explain('2025-01-01', [settledInA, bail, detained('2024-01-10'), ...discharged('2024-04-01')]);
    expect(text).toContain(
      'Responsible local authority: LA-C (an English council), since 1 April 2024, provisional until a person decides between:',
    );
    expect(text).toMatch(
      / {8}LA-C \(the address was the person's ordinary residence\) \[R-OR-1\]\n {6}or LA-A \(the last voluntarily adopted home\) \[R-OR-5\]/u,
    );
  });

  it('a Welsh body is called a Welsh body, never an ICB', () => {
    const wales: ResidenceEvent = {
      type: 'residence',
      from: '2000-01-01',
      area: { country: 'wales', la: 'LA-W', icb: 'LHB-W' },
      setting: 'own-home',
      basis: 'own-choice',
    };
    const text = explain('2025-01-01', [wales, detained('2024-01-10'), ...discharged('2024-04-01')]);
    expect(text).toContain('Responsible NHS body: LHB-W (a Welsh Local Health Board)');
    expect(text).toContain('Responsible local authority: LA-W (a Welsh council)');
  });

  it('not yet owed: the bodies that will be responsible', () => {
    const text = explain('2024-02-01', [settledInA, detained('2024-01-10')]);
    expect(text).toContain(
      'Section 117 aftercare: not yet owed (the person has not yet left hospital after a qualifying detention) (section 3)',
    );
    expect(text).toContain('NHS body that will be responsible: ICB-A (an English ICB)');
    expect(text).toContain('Local authority that will be responsible: LA-A (an English council)');
  });

  it('not owed: no section, no bodies', () => {
    const text = explain('2024-06-01', [settledInA, detained('2024-01-10', '2'), ...discharged('2024-02-01')]);
    expect(text).toContain('Section 117 aftercare: not owed (no qualifying detention)\n');
    expect(text).toContain('Responsible NHS body: none');
    expect(text).toContain('only sections 3, 37, 45A, 47 and 48 do');
  });

  it('Who Pays? 2020: names the commissioning CCG where another pays', () => {
    const text = explain('2021-06-01', [
      home('2000-01-01', 'LA-A', 'ICB-A'),
      gp('2000-01-01', 'ICB-G'),
      detained('2020-10-01'),
      ...discharged('2021-01-10'),
    ]);
    expect(text).toContain('Commissioning CCG: ICB-A');
  });

  it('outside England and Wales: says so instead of naming a body', () => {
    const scot: ResidenceEvent = {
      type: 'residence',
      from: '2000-01-01',
      area: { country: 'scotland', la: 'SC-1' },
      setting: 'own-home',
      basis: 'own-choice',
    };
    const back: ResidenceEvent = { ...scot, from: '2024-04-01' };
    const text = explain('2025-01-01', [scot, detained('2024-01-10'), ...discharged('2024-04-01'), back]);
    expect(text).toContain('cannot be named from these facts (outside England and Wales)');
    expect(text).toContain('[CROSS-BORDER-RESIDENCE]');
  });
});
