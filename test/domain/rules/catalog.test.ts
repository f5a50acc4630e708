/** The rule book as data: every id has a citation; an unknown id is a programming error; errors name themselves. */
import { describe, expect, it } from 'vitest';
import { citationsFor, RULES } from '#domain/rules/catalog.ts';
import { ApplicationNotFoundError, ConcurrentUpdateError, ConfigurationError, WORKFLOW_ERROR_NAMES } from '#domain/errors.ts';

describe('rule catalogue', () => {
  it('gives each citation once, in order, and refuses an unknown id', () => {
    expect(citationsFor(['R-END-8', 'R-END-8', 'R-CHILD-4'])).toEqual([
      'R-END-8: Code of Practice 2015 para 33.24',
      `R-CHILD-4: ${RULES.get('R-CHILD-4')?.citation ?? ''}`,
    ]);
    expect(() => citationsFor(['R-NOT-A-RULE'])).toThrow('Unknown rule id R-NOT-A-RULE');
  });

  it('every rule id cited by section 8 of the rule book is catalogued (R-HUMAN-2)', () => {
    for (const id of [
      'R-WP-117-9',
      'R-WP-117-10',
      'R-WP-117-11',
      'R-WP-117-12',
      'R-WP-NHSE-1',
      'R-WP-NHSE-2',
      'R-CTO-3',
      'R-CTO-4',
      'R-LEAVE-2',
      'R-ELIG-7',
      'R-OR-6',
      'R-CHILD-5',
      'R-XB-3',
      'R-END-8',
      'R-XB-1',
    ])
      expect(RULES.get(id)?.namedBy).toBe('rule-book');
    expect(RULES.get('R-WP-SET-A')).toMatchObject({ namedBy: 'engine', inForceUntil: '2013-03-31' });
  });
});

describe('domain errors', () => {
  it.each([
    [new ConcurrentUpdateError(), 'ConcurrentUpdateError', 'The record changed since it was read'],
    [new ApplicationNotFoundError('A-1'), 'ApplicationNotFoundError', 'Application A-1 not found'],
    [new ConfigurationError('bad'), 'ConfigurationError', 'bad'],
  ] as const)('%s sets its name for ErrorEquals', (error, name, message) => {
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.message]).toEqual([name, message]);
    expect(WORKFLOW_ERROR_NAMES).toContain(name);
  });
});
