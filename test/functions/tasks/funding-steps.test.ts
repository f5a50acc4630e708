import { beforeEach, describe, expect, it } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { memoryPorts, type MemoryPorts } from '#functions/adapters/memory/index.ts';
import {
  decideFundingRoute,
  determineResponsibility,
  recordAgreement,
  recordInterimFunding,
  recordNotEligible,
  requestResponse,
  validateApplication,
  type StepDeps,
} from '#functions/tasks/funding-steps.ts';
import { application, partnership } from '../../support/application-builder.ts';
import { detained, facts, settledInA } from '../../support/case-builder.ts';

const NOW = '2024-06-02T10:00:00.000Z';
let a: MemoryPorts;
let deps: StepDeps;

const orgs = [
  { code: 'ICB-A', kind: 'icb' as const, name: 'ICB A', email: 's117@icb-a.example.nhs.uk', partnerships: ['test'] },
  { code: 'LA-A', kind: 'la' as const, name: 'Council A', email: 's117@la-a.example.gov.uk', partnerships: ['test'] },
];

async function submitted(overrides: Partial<Application> = {}): Promise<Application> {
  const app = application({
    status: 'submitted',
    determination: null,
    parties: ['LA-A'],
    carePlan: {
      serviceLines: [
        {
          id: 'line-1',
          description: 'Supported living',
          provider: 'Acme Care',
          category: 'accommodation',
          s117: true,
          weeklyCostPence: 150_000,
          startDate: '2024-06-10',
        },
      ],
    },
    ...overrides,
  });
  await a.applications.create(app);
  return app;
}

beforeEach(() => {
  a = memoryPorts({ now: () => NOW, today: () => '2024-06-02' }, { organisations: orgs, partnerships: [partnership] });
  deps = { ...a, appBaseUrl: 'http://127.0.0.1:3000' };
});

describe('funding workflow steps', () => {
  it('determines once, names both bodies as parties and routes to their answers', async () => {
    const app = await submitted();
    const out = await determineResponsibility(deps, { applicationId: app.id });
    expect(out).toStrictEqual({
      route: 'await-responses',
      reason: 'Both bodies are asked to accept or dispute the determination.',
      responseTimeoutSeconds: 10 * 86_400,
    });
    const stored = await a.applications.get(app.id);
    // The deadline is stored with the question, ten days on, and the waits time out at it (issue 12).
    expect(stored).toMatchObject({
      status: 'awaiting-responses',
      parties: ['LA-A', 'ICB-A'],
      version: 2,
      responseDeadline: new Date(Date.parse(NOW) + 10 * 86_400_000).toISOString(),
    });
    expect(stored?.determination?.icb.body).toBe('ICB-A');
    await determineResponsibility(deps, { applicationId: app.id });
    expect((await a.applications.get(app.id))?.version).toBe(2);
    expect((await a.chronology.list(app.personRef)).map((e) => e.type)).toStrictEqual(['responsibility-determined']);
  });

  it('keeps the task token on the server, mails the body once, and resumes at once if it already answered', async () => {
    const app = await submitted();
    await determineResponsibility(deps, { applicationId: app.id });
    await requestResponse(deps, { applicationId: app.id, party: 'icb', taskToken: 'token-1' });
    await requestResponse(deps, { applicationId: app.id, party: 'icb', taskToken: 'token-1' });
    expect(await a.tokens.get({ applicationId: app.id, purpose: 'response-icb' })).toBe('token-1');
    expect(a.mailer.sent.map((m) => m.to)).toStrictEqual([['s117@icb-a.example.nhs.uk']]);
    expect(a.mailer.sent[0]?.text).not.toContain('9434765919');
    expect(a.mailer.sent[0]?.text).not.toContain('token-1');
    expect(a.workflow.succeeded).toStrictEqual([]);

    const current = await a.applications.get(app.id);
    if (!current) throw new Error('missing');
    await a.applications.save({
      ...current,
      version: current.version + 1,
      responses: { la: { party: 'la', body: 'LA-A', decision: 'accept', at: NOW, by: 'u' } },
    });
    await requestResponse(deps, { applicationId: app.id, party: 'la', taskToken: 'token-2' });
    expect(a.workflow.succeeded).toStrictEqual([{ token: 'token-2', output: { decision: 'accept', about: 'responsibility' } }]);
  });

  it('routes silence to interim funding with the deadline as the cause, and records who was silent', async () => {
    const app = await submitted();
    await determineResponsibility(deps, { applicationId: app.id });
    expect(await decideFundingRoute(deps, { applicationId: app.id })).toStrictEqual({ route: 'interim', cause: 'deadline' });
    expect((await a.chronology.list(app.personRef)).at(-1)).toMatchObject({
      type: 'response-deadline-passed',
      data: { silent: ['icb', 'la'] },
    });
  });

  it('records interim funding from the requested date once, however often it runs', async () => {
    const app = await submitted();
    await determineResponsibility(deps, { applicationId: app.id });
    const first = await recordInterimFunding(deps, { applicationId: app.id, cause: 'deadline' });
    const again = await recordInterimFunding(deps, { applicationId: app.id, cause: 'deadline' });
    expect(first).toStrictEqual({ arrangementId: `arr_${app.id.slice(4)}_1`, state: 'interim', created: true });
    expect(again).toStrictEqual({ ...first, created: false });
    const stored = await a.applications.get(app.id);
    expect(stored?.status).toBe('interim');
    expect(stored?.arrangements).toHaveLength(1);
    expect(stored?.arrangements[0]).toMatchObject({ startDate: '2024-06-10', withoutPrejudice: true });
    expect((await a.chronology.list(app.personRef)).filter((e) => e.type === 'interim-funding-started')).toHaveLength(1);
    expect(a.mailer.sent.map((m) => m.to[0]).sort()).toStrictEqual(['s117@icb-a.example.nhs.uk', 's117@la-a.example.gov.uk']);
  });

  it('records agreed funding after both accept', async () => {
    const app = await submitted();
    await determineResponsibility(deps, { applicationId: app.id });
    expect(await recordAgreement(deps, { applicationId: app.id })).toMatchObject({ state: 'agreed', created: true });
    expect((await a.applications.get(app.id))?.status).toBe('agreed');
  });

  it('records not-eligible and tells the submitter why', async () => {
    const f = facts('2024-06-01', [settledInA, detained('2024-01-10', '2')], undefined, 'APP-2');
    const app = await submitted({ facts: f });
    expect((await determineResponsibility(deps, { applicationId: app.id })).route).toBe('not-eligible');
    await recordNotEligible(deps, { applicationId: app.id });
    expect((await a.applications.get(app.id))?.status).toBe('not-eligible');
    expect(a.mailer.sent.map((m) => m.subject)).toStrictEqual([`s117 aftercare: no section 117 duty owed (${app.id})`]);
  });

  it('refuses an application whose stored facts no longer parse', async () => {
    const app = await submitted({ facts: { ...application().facts, evaluationDate: '2024-02-30' } });
    await expect(validateApplication(deps, { applicationId: app.id })).rejects.toThrow(/invalid facts: evaluationDate/);
  });
});
