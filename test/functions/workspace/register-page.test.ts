/**
 * The s117 lead's register page (issue 16, item 2): the partnership's episodes with their status today, filtered by
 * status through the register API's own use case and query schema; refused to a panel member.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CaseEvent } from '#domain/facts.ts';
import { createPerson } from '#functions/register/people.use-case.ts';
import { caller, registerTestDeps, settledInWorcestershire, type TestRegisterDeps } from '../register/support.ts';
import { pageHarness, type PageHarness } from './support.ts';

let h: PageHarness;
let register: TestRegisterDeps;

const events: CaseEvent[] = [
  ...settledInWorcestershire,
  { type: 'detention', from: '2025-01-10', section: '3' },
  { type: 'detention-ended', date: '2025-03-10', outcome: 'discharged' },
  { type: 'left-hospital', date: '2025-03-10' },
];

beforeEach(async () => {
  h = pageHarness();
  register = registerTestDeps();
  h.deps.register = register;
  await createPerson(register, caller('E10000034'), { nhsNumber: '943 476 5919', name: 'Alex <Example>', events });
});

describe('the register page', () => {
  it('lists the partnership’s episodes with their status, and filters by status', async () => {
    const { cookie } = await h.signIn('E10000034', 'admin');
    const all = await h.get('/app/register', cookie);

    expect(all.statusCode).toBe(200);
    expect(all.body).toMatch(/-e1\n/);
    expect(all.body).toContain('Receiving aftercare');
    expect(all.body).toContain('s3 from 2025-01-10');
    expect(all.body).not.toContain('Alex <Example>');

    const due = await h.get('/app/register?status=review-due', cookie);
    expect(due.body).toContain('No one on the register has this status.');
    expect(due.body).toMatch(/<option value="review-due" selected>/);
  });

  it('shows the API’s refusal of a bad status as an error summary', async () => {
    const { cookie } = await h.signIn('E10000034', 'admin');
    const bad = await h.get('/app/register?status=<lost>', cookie);

    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#status">');
    expect(bad.body).toContain('Status must be one of');
    expect(bad.body).not.toContain('<lost>');
  });

  it('refuses a panel member with a 403 page', async () => {
    const { cookie } = await h.signIn('E10000034', 'panel');
    expect((await h.get('/app/register', cookie)).statusCode).toBe(403);
  });
});
