import { describe, expect, it } from 'vitest';
import { S117Error, type RejectionCode } from '#domain/errors.ts';
import { ProblemError, rejectionProblem } from '#functions/shared/http-errors.ts';

describe('rejectionProblem', () => {
  it.each<{ code: RejectionCode; status: number }>([
    { code: 'not-responsible-body', status: 403 },
    { code: 'already-decided', status: 409 },
    { code: 'closed', status: 409 },
    { code: 'contradictory', status: 409 },
  ])('answers a $code rejection with $status and its reason as the detail', ({ code, status }) => {
    const problem = rejectionProblem({ kind: 'rejected', code, reason: 'Why not, in plain English.' });
    expect(problem).toBeInstanceOf(ProblemError);
    expect(problem).toBeInstanceOf(S117Error);
    expect([problem.status, problem.message, problem.name]).toStrictEqual([status, 'Why not, in plain English.', 'ProblemError']);
  });
});
