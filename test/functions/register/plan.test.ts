/**
 * Issue 17 items 1-3 through the use cases on the memory ports: the aftercare plan recorded, versioned and mailed to
 * the person, the GP, the providers and a consenting carer, each recorded as sent (letters record and chronology);
 * the person's contacts with consent; a best-interests move refused without an IMCA or appropriate person; the
 * entitlement letter sent when the duty arises; letters read back as JSON, HTML and PDF.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '#domain/facts.ts';
import type { SentLetter } from '#domain/register/letters.ts';
import type { AftercarePlan } from '#domain/register/plan.ts';
import { readLetter } from '#functions/register/letter-read.use-case.ts';
import { createPerson, readEpisode, recordContacts, recordEvent } from '#functions/register/people.use-case.ts';
import { listPlanVersions, readCurrentPlan, recordPlan } from '#functions/register/plan.use-case.ts';
import { planNextReview, sendReminder } from '#functions/register/review-steps.ts';
import { ProblemError } from '#functions/shared/http-errors.ts';
import { application } from '../../support/application-builder.ts';
import { cmhtService, planContent } from '../../support/plan-builder.ts';
import { caller, registerTestDeps, settledInWorcestershire, type TestRegisterDeps } from './support.ts';

const worcestershire = caller('E10000034');
const qgh = caller('QGH');
const elsewhere = caller('QXU');
const APP = 'app_aaaaaaaaaaaaaaaaaaaa';
const detention: CaseEvent = { type: 'detention', from: '2025-01-10', section: '3' };
const discharge: CaseEvent[] = [
  { type: 'detention-ended', date: '2025-03-10', outcome: 'discharged' },
  { type: 'left-hospital', date: '2025-03-10' },
];
const PERSONAL = /Alex Example|9434765919|943 476 5919|1 High Street|jo@example\.org/;

const carer = {
  id: 'carer-1',
  kind: 'carer' as const,
  name: 'Jo Example',
  relationship: 'mother',
  consentToShare: true,
  sendLetters: true,
  appropriatePerson: true,
  contact: { email: 'jo@example.org' },
};

async function person(deps: TestRegisterDeps, events: CaseEvent[]): Promise<{ ref: string; episodeId: string }> {
  const created = await createPerson(deps, worcestershire, { nhsNumber: '943 476 5919', name: 'Alex Example', events });
  const ref = String((created.body as { personRef: string }).personRef);
  return { ref, episodeId: `${ref}-e1` };
}

/** A person discharged, with an application holding two service lines, and letters by email with a carer copied. */
async function planned(deps: TestRegisterDeps) {
  const { ref, episodeId } = await person(deps, [...settledInWorcestershire, detention, ...discharge]);
  const line = (id: string) => ({
    id,
    description: id,
    provider: 'p',
    category: 'social-care' as const,
    s117: true,
    weeklyCostPence: 10_000 as never,
    startDate: '2025-03-10',
  });
  await deps.applications.create(
    application({ id: APP, personRef: ref, partnershipId: 'west', carePlan: { serviceLines: [line('line-1'), line('line-2')] } }),
  );
  await recordContacts(deps, worcestershire, ref, {
    person: { email: 'alex@example.org', letterFormat: 'large-print' },
    supporters: [carer],
  });
  deps.mailer.sent.length = 0;
  return { ref, episodeId };
}

async function problem(p: Promise<unknown>): Promise<{ status: number; detail: string; errors: { field: string; message: string }[] }> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProblemError) return { status: error.status, detail: error.message, errors: error.errors ?? [] };
    throw error;
  }
  throw new Error('expected a problem');
}

describe('the aftercare plan (issue 17 item 1)', () => {
  it('a first version is recorded, mailed to the person (large print), the carer, the GP and each provider, and recorded as sent', async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await planned(deps);

    const result = await recordPlan(deps, worcestershire, episodeId, { id: 'plan-1', ...planContent() });

    expect(result.statusCode).toBe(201);
    const { plan, copies } = result.body as { plan: AftercarePlan; copies: { recipient: string; channel: string; variant: string }[] };
    expect([plan.version, plan.episodeId, plan.recordedBy]).toStrictEqual([1, episodeId, { userId: 'e10000034-user', org: 'E10000034' }]);
    expect(copies.map((c) => [c.recipient, c.channel, c.variant])).toStrictEqual([
      ['person', 'email', 'large-print'],
      ['carer', 'email', 'carer'],
      ['gp', 'email', 'standard'],
      ['provider', 'email', 'standard'],
      ['provider', 'email', 'standard'],
    ]);
    expect(deps.mailer.sent.map((m) => [m.to[0], m.subject])).toStrictEqual([
      ['alex@example.org', 'Your aftercare plan (version 1)'],
      ['jo@example.org', 'Copy for you: Your aftercare plan (version 1)'],
      ['surgery@example.org', 'Copy of Your aftercare plan (version 1)'],
      ['cmht@example.org', 'Copy of Your aftercare plan (version 1)'],
      ['housing@example.org', 'Copy of Your aftercare plan (version 1)'],
    ]);
    expect(deps.mailer.sent[0]?.html).toContain('font-size:1.5em');
    expect(deps.mailer.sent[1]?.text).toContain('Dear Jo Example,');

    // (The entitlement letter went when the person left hospital, before their contacts were recorded.)
    const letters = (await deps.store.listLetters(ref)).filter((l) => l.kind === 'plan');
    expect(letters.map((l) => [l.kind, l.recipient, l.templateVersion, l.about]).sort()).toStrictEqual(
      [
        ['plan', 'carer', '2026-12.1', 'plan-v1'],
        ['plan', 'gp', '2026-12.1', 'plan-v1'],
        ['plan', 'person', '2026-12.1', 'plan-v1'],
        ['plan', 'provider', '2026-12.1', 'plan-v1'],
        ['plan', 'provider', '2026-12.1', 'plan-v1'],
      ].sort(),
    );
    const chronology = await deps.chronology.list(ref);
    const planEntry = chronology.find((e) => e.type === 'register-plan-version');
    expect(planEntry?.data).toStrictEqual({
      episodeId,
      planId: 'plan-1',
      version: 1,
      meetingDate: '2025-03-05',
      personTookPart: true,
      carerTookPart: true,
      advocateTookPart: null,
      needs: 2,
      serviceLines: [
        { applicationId: APP, lineId: 'line-1' },
        { applicationId: APP, lineId: 'line-2' },
      ],
      accommodationS117Funded: false,
      nextReview: '2025-06-05',
    });
    expect(chronology.filter((e) => e.type === 'register-letter-sent' && e.data['kind'] === 'plan')).toHaveLength(5);
    // The chronology and the letters record carry no name, NHS number, address or private mailbox.
    expect(JSON.stringify(chronology)).not.toMatch(PERSONAL);
    expect(JSON.stringify(await deps.store.listLetters(ref))).not.toMatch(PERSONAL);
    // The plan's care coordinator is now the episode's named practitioner (reminded of reviews).
    const view = (await readEpisode(deps, qgh, episodeId, '2025-03-11')).body as { namedPractitioner: unknown };
    expect(view.namedPractitioner).toStrictEqual({ name: 'Sam Coordinator', email: 'sam@example.org', role: 'Care coordinator' });
  });

  it('a retry is the same version and sends nothing again; a new version is appended and the first kept', async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await planned(deps);
    await recordPlan(deps, worcestershire, episodeId, { id: 'plan-1', ...planContent() });
    const sentOnce = deps.mailer.sent.length;

    const retry = await recordPlan(deps, worcestershire, episodeId, { id: 'plan-1', ...planContent() });
    const planLetters = async () => (await deps.store.listLetters(ref)).filter((l) => l.kind === 'plan').length;
    expect([retry.statusCode, deps.mailer.sent.length, await planLetters()]).toStrictEqual([200, sentOnce, 5]);

    const second = await recordPlan(deps, qgh, episodeId, { id: 'plan-2', ...planContent({ nextReview: '2025-05-01' }) });
    expect(second.statusCode).toBe(201);
    const versions = (await listPlanVersions(deps, qgh, episodeId)).body as { current: number; versions: AftercarePlan[] };
    expect([versions.current, versions.versions.map((p) => [p.version, p.id, p.nextReview])]).toStrictEqual([
      2,
      [
        [1, 'plan-1', '2025-06-05'],
        [2, 'plan-2', '2025-05-01'],
      ],
    ]);
    const current = (await readCurrentPlan(deps, worcestershire, episodeId)).body as { plan: AftercarePlan; sent: SentLetter[] };
    expect([current.plan.version, current.sent.length, current.sent.every((l) => l.about === 'plan-v2')]).toStrictEqual([2, 5, true]);
  });

  it('an id reused for other content is 409 naming body.id', async () => {
    const deps = registerTestDeps();
    const { episodeId } = await planned(deps);
    await recordPlan(deps, worcestershire, episodeId, { id: 'plan-1', ...planContent() });
    const refused = await problem(
      recordPlan(deps, worcestershire, episodeId, { id: 'plan-1', ...planContent({ nextReview: '2025-05-01' }) }),
    );
    expect([refused.status, refused.errors.map((e) => e.field)]).toStrictEqual([409, ['body.id']]);
  });

  it("a service line not in the person's application, and a review too late, are 422 naming the fields", async () => {
    const deps = registerTestDeps();
    const { episodeId } = await planned(deps);
    const base = planContent();
    const refused = await problem(
      recordPlan(deps, worcestershire, episodeId, {
        id: 'plan-1',
        ...base,
        services: [{ ...cmhtService, lineId: 'line-9' }],
        nextReview: '2026-03-06',
      }),
    );
    expect(refused.status).toBe(422);
    expect(refused.errors).toStrictEqual([
      { field: 'body.services[0].lineId', message: `is not a service line of ${APP}` },
      { field: 'body.nextReview', message: 'must be within 12 months of the planning meeting, by 2026-03-05 (R-REVIEW-1)' },
    ]);
    expect(deps.mailer.sent).toStrictEqual([]);
  });

  it("another partnership's body gets 404 for the plan, as for a missing episode", async () => {
    const deps = registerTestDeps();
    const { episodeId } = await planned(deps);
    await recordPlan(deps, worcestershire, episodeId, { id: 'plan-1', ...planContent() });
    for (const p of [
      readCurrentPlan(deps, elsewhere, episodeId),
      listPlanVersions(deps, elsewhere, episodeId),
      recordPlan(deps, elsewhere, episodeId, { id: 'plan-2', ...planContent() }),
    ])
      expect((await problem(p)).status).toBe(404);
  });

  it('a person with no email: the council is asked to print and post, by link, with no personal data in the mail', async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await planned(deps);
    await recordContacts(deps, worcestershire, ref, {
      person: { postalAddress: ['1 High Street', 'Anytown'], letterFormat: 'easy-read' },
      supporters: [],
    });
    await recordPlan(deps, worcestershire, episodeId, { id: 'plan-1', ...planContent() });
    const toCouncil = deps.mailer.sent.filter((m) => m.to[0] === 'e10000034@example.test');
    expect(toCouncil.map((m) => m.subject)).toStrictEqual([`s117: a letter to print and post (${episodeId})`]);
    expect(toCouncil[0]?.text).toContain(
      `https://s117.example.test/v1/register/episodes/${episodeId}/letters/plan?variant=easy-read&format=pdf&version=1`,
    );
    for (const m of toCouncil) expect(`${m.subject}${m.text}${m.html}`).not.toMatch(PERSONAL);
    expect((await deps.store.listLetters(ref)).find((l) => l.recipient === 'person')?.channel).toBe('post');
  });
});

describe("the person's contacts and the accommodation check (issue 17 item 2)", () => {
  it('contacts held only where they must be: a carer mailbox without consent to send letters is 422', async () => {
    const deps = registerTestDeps();
    const { ref } = await person(deps, [...settledInWorcestershire, detention]);
    const refused = await problem(
      recordContacts(deps, worcestershire, ref, {
        person: { letterFormat: 'standard' },
        supporters: [{ ...carer, consentToShare: false }],
      }),
    );
    expect([refused.status, refused.errors.map((e) => e.field)]).toStrictEqual([422, ['body.supporters[0].sendLetters']]);
  });

  it('a best-interests move is refused with the rule ids until an IMCA is recorded, then recorded', async () => {
    const deps = registerTestDeps();
    const { ref } = await person(deps, [...settledInWorcestershire, detention]);
    const move: CaseEvent = {
      type: 'residence',
      from: '2025-03-10',
      area: { country: 'england', la: 'E10000034', icb: 'QGH' },
      setting: 'care-home',
      basis: 'best-interests-decision',
    };
    const refused = await problem(recordEvent(deps, worcestershire, ref, move));
    expect([refused.status, refused.detail, refused.errors.map((e) => e.field)]).toStrictEqual([
      422,
      'A move of accommodation decided for a person who lacks capacity needs an IMCA or an appropriate person involved (R-LA-14, R-LA-7).',
      ['body.basis'],
    ]);
    expect((await deps.store.getPerson(ref))?.events.some((e) => e.event.type === 'residence' && e.event.from === '2025-03-10')).toBe(
      false,
    );

    await recordContacts(deps, worcestershire, ref, {
      person: { letterFormat: 'standard' },
      supporters: [
        {
          id: 'imca-1',
          kind: 'imca',
          name: 'Pat Advocate',
          relationship: 'IMCA',
          consentToShare: false,
          sendLetters: false,
          appropriatePerson: false,
          organisation: 'Anyshire Advocacy',
          contact: { email: 'imca@example.org' },
        },
      ],
    });
    expect((await recordEvent(deps, worcestershire, ref, move)).statusCode).toBe(201);
  });
});

describe('the person is told (issue 17 item 3)', () => {
  it('when the duty arises: the entitlement letter to the person and the carer, recorded with its template version', async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await person(deps, [...settledInWorcestershire, detention]);
    await recordContacts(deps, worcestershire, ref, {
      person: { email: 'alex@example.org', letterFormat: 'standard' },
      supporters: [carer],
    });
    for (const e of discharge) await recordEvent(deps, worcestershire, ref, e);

    const letters = deps.mailer.sent.filter((m) => m.to[0] === 'alex@example.org' || m.to[0] === 'jo@example.org');
    expect(letters.map((m) => [m.to[0], m.subject])).toStrictEqual([
      ['alex@example.org', 'Your right to free aftercare (section 117 of the Mental Health Act)'],
      ['jo@example.org', 'Copy for you: Your right to free aftercare (section 117 of the Mental Health Act)'],
    ]);
    expect(letters[0]?.text).toContain('Aftercare under section 117 is free.');
    expect(letters[0]?.text).toContain('Parliamentary and Health Service Ombudsman');
    expect((await deps.store.listLetters(ref)).map((l) => [l.episodeId, l.kind, l.recipient, l.variant, l.templateVersion])).toStrictEqual(
      expect.arrayContaining([
        [episodeId, 'entitlement', 'person', 'standard', '2026-12.2'],
        [episodeId, 'entitlement', 'carer', 'carer', '2026-12.2'],
      ]),
    );
  });

  it('before each review: the review-due letter to the person and the carer, once however often the step runs', async () => {
    const deps = registerTestDeps();
    const { ref, episodeId } = await planned(deps);
    const input = { personRef: ref, n: 1, generation: 1, seq: 0 };
    const plan = await planNextReview(deps, { ...input, startedAt: '2025-03-11T09:00:00Z', maxExecutionSeconds: 86_400 * 300 });
    expect([plan.obligation, plan.due]).toStrictEqual(['eligibility', '2025-04-21']);
    await sendReminder(deps, { ...input, plan });
    await sendReminder(deps, { ...input, plan });

    const toPerson = deps.mailer.sent.filter((m) => m.to[0] === 'alex@example.org' || m.to[0] === 'jo@example.org');
    expect(toPerson.map((m) => [m.to[0], m.subject])).toStrictEqual([
      ['alex@example.org', 'Your aftercare review is coming up'],
      ['jo@example.org', 'Copy for you: Your aftercare review is coming up'],
    ]);
    expect(toPerson[0]?.text).toContain('Your section 117 aftercare is due to be reviewed by 21 April 2025.');
    expect(
      (await deps.store.listLetters(ref)).filter((l) => l.kind === 'review-due').map((l) => [l.episodeId, l.recipient, l.about]),
    ).toStrictEqual(
      expect.arrayContaining([
        [episodeId, 'person', 'review-due-eligibility'],
        [episodeId, 'carer', 'review-due-eligibility'],
      ]),
    );
  });

  it('a letter reads back as an HTML page on the design system and as a PDF a reader can read', async () => {
    const deps = registerTestDeps();
    const { episodeId } = await planned(deps);
    await recordPlan(deps, worcestershire, episodeId, { id: 'plan-1', ...planContent() });

    const html = await readLetter(deps, qgh, episodeId, 'plan', { variant: 'large-print', format: 'html' });
    expect(html.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(html.rawBody).toContain('<link rel="stylesheet" href="/app/assets/nhsuk-frontend.min.css">');
    expect(html.rawBody).toContain('<h1>Your aftercare plan (version 1)</h1>');
    expect(html.rawBody).toContain('style="font-size:150%"');

    const pdf = await readLetter(deps, qgh, episodeId, 'plan', { version: 1, format: 'pdf' });
    expect([pdf.headers?.['content-type'], pdf.isBase64Encoded]).toStrictEqual(['application/pdf', true]);
    const fonts = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
    const doc = await getDocument({
      data: new Uint8Array(Buffer.from(pdf.rawBody ?? '', 'base64')),
      useSystemFonts: false,
      standardFontDataUrl: fonts,
    }).promise;
    let text = '';
    for (let page = 1; page <= doc.numPages; page++)
      text += (await (await doc.getPage(page)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
    expect(text.replace(/\s+/g, ' ')).toContain('Your care coordinator is Sam Coordinator');
    expect(text.replace(/\s+/g, ' ')).toContain('Local Government and Social Care Ombudsman');
  });
});
