/**
 * Carers, advocates and representatives (issue 17 item 2): contact details held only where they must be, and a move
 * of accommodation decided for a person who lacks capacity refused without an IMCA or an appropriate person
 * (R-LA-7, R-LA-14; Mental Capacity Act 2005 ss 37-40).
 */
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '#domain/facts.ts';
import { accommodationMoveCheck, contactProblems, type Supporter } from '#domain/register/supporters.ts';

const supporter = (over: Partial<Supporter>): Supporter => ({
  id: 's1',
  kind: 'carer',
  name: 'Jo',
  relationship: 'mother',
  consentToShare: true,
  sendLetters: false,
  appropriatePerson: true,
  ...over,
});

describe('contactProblems', () => {
  it('a carer with consent and a mailbox for letters, and an IMCA through their service, are fine', () => {
    expect(
      contactProblems({ email: 'alex@example.org', letterFormat: 'easy-read' }, [
        supporter({ sendLetters: true, contact: { email: 'jo@example.org' } }),
        supporter({
          id: 's2',
          kind: 'imca',
          appropriatePerson: false,
          consentToShare: false,
          organisation: 'Advocacy',
          contact: { email: 'imca@example.org' },
        }),
      ]),
    ).toStrictEqual([]);
  });

  it.each([
    {
      name: 'an email and a postal address: the address is held only for post',
      person: { email: 'a@example.org', postalAddress: ['1 High St'], letterFormat: 'standard' as const },
      supporters: [],
      problems: [{ field: 'person.postalAddress', message: 'is held only when letters go by post; give an email or an address, not both' }],
    },
    {
      name: 'letters to a carer without consent, and without a mailbox',
      person: { letterFormat: 'standard' as const },
      supporters: [supporter({ consentToShare: false, sendLetters: true })],
      problems: [
        { field: 'supporters[0].sendLetters', message: 'needs consentToShare: letters go to a supporter only with the person’s agreement' },
        { field: 'supporters[0].contact', message: 'is required to send letters: a mailbox' },
      ],
    },
    {
      name: 'a carer’s mailbox held though no letters go to them',
      person: { letterFormat: 'standard' as const },
      supporters: [supporter({ contact: { email: 'jo@example.org' } })],
      problems: [
        {
          field: 'supporters[0].contact',
          message: 'is held only where letters go to this supporter (sendLetters) or they are an advocate',
        },
      ],
    },
    {
      name: 'an advocate without a service, counted as an appropriate person; a repeated id',
      person: { letterFormat: 'standard' as const },
      supporters: [supporter({}), supporter({ kind: 'imha' })],
      problems: [
        { field: 'supporters[1].id', message: 'repeats the supporter id "s1"' },
        { field: 'supporters[1].organisation', message: 'is required for an advocate: the advocacy service' },
        {
          field: 'supporters[1].appropriatePerson',
          message: 'cannot be true for an advocate: an appropriate person is unpaid family, a friend or a carer',
        },
      ],
    },
  ])('$name', ({ person, supporters, problems }) => {
    expect(contactProblems(person, supporters)).toStrictEqual(problems);
  });
});

describe('accommodationMoveCheck (R-LA-7, R-LA-14)', () => {
  const move = (basis: 'best-interests-decision' | 'own-choice', from = '2025-04-01'): CaseEvent => ({
    type: 'residence',
    from,
    area: { country: 'england', la: 'E06000030', icb: 'QOX' },
    setting: 'care-home',
    basis,
  });
  const starts = ['2025-01-10'];

  it('refuses a best-interests move with neither an IMCA nor an appropriate person, naming the rules', () => {
    const check = accommodationMoveCheck(move('best-interests-decision'), {
      supporters: [
        supporter({ appropriatePerson: false }),
        supporter({ id: 's2', kind: 'imha', appropriatePerson: false, organisation: 'A' }),
      ],
      detentionStarts: starts,
    });
    expect(check.kind).toBe('blocked');
    expect(check.kind === 'blocked' && check.ruleIds).toStrictEqual(['R-LA-14', 'R-LA-7']);
    expect(check.kind === 'blocked' && check.explanation).toContain('Independent Mental Capacity Advocate (IMCA)');
  });

  it.each([
    {
      name: 'an IMCA',
      supporters: [supporter({ kind: 'imca', appropriatePerson: false, organisation: 'Anyshire Advocacy' })],
      who: 'an IMCA (Anyshire Advocacy)',
    },
    { name: 'an appropriate person', supporters: [supporter({})], who: 'an appropriate person (mother)' },
  ])('allows it with $name involved', ({ supporters, who }) => {
    expect(accommodationMoveCheck(move('best-interests-decision'), { supporters, detentionStarts: starts })).toStrictEqual({
      kind: 'allowed',
      ruleIds: ['R-LA-14', 'R-LA-7'],
      explanation: `The move was decided in the person's best interests because they lack capacity to decide where to live (R-LA-7, R-LA-14); the record names ${who} to be involved in that decision.`,
    });
  });

  it.each([
    { name: 'the person’s own choice', event: move('own-choice') },
    { name: 'a move before any detention on the register (history)', event: move('best-interests-decision', '2025-01-09') },
    { name: 'not a move at all', event: { type: 'gp-registration', from: '2025-04-01', icb: 'QOX' } as CaseEvent },
  ])('does not apply to $name', ({ event }) => {
    expect(accommodationMoveCheck(event, { supporters: [], detentionStarts: starts })).toStrictEqual({ kind: 'not-applicable' });
  });

  it('applies from the day the detention began (discharge planning)', () => {
    expect(accommodationMoveCheck(move('best-interests-decision', '2025-01-10'), { supporters: [], detentionStarts: starts }).kind).toBe(
      'blocked',
    );
  });
});
