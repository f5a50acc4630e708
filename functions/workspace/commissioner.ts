/**
 * Commissioners' pages (issue 16, item 2): their organisation's applications, one application, and the answer
 * form. They call the API's own use cases (functions/api/*.use-case.ts) and its request schema, through the same
 * validation and problem details (functions/shared/middy.ts, http-errors.ts), so a page refuses exactly what the
 * API refuses, with the same words, shown as an NHS.UK error summary.
 */
import type { Application, ApplicationStatus, FundingArrangement, PartyResponse } from '#domain/applications/application.ts';
import { daysBetween, formatLongDate, type LocalDate } from '#domain/dates.ts';
import { percentage } from '#domain/money.ts';
import { getChronology, listApplications, loadForParty } from '../api/read-application.use-case.ts';
import { recordApplicationResponse } from '../api/record-response.use-case.ts';
import { recordResponseRequestSchema } from '../api/record-response.schema.ts';
import { toProblemResponse, type Problem } from '../shared/http-errors.ts';
import { validateRequest } from '../shared/middy.ts';
import type { RecordResponseRequest } from '../api/record-response.schema.ts';
import { escapeHtml, renderTemplate, type FieldError } from './html.ts';
import { html, type PageContext, type PageResult, type WorkspacePage } from './pages.ts';
import { answerApplicationRoute, applicationPageRoute, applicationsPageRoute } from './routes.ts';

/** Statuses after which nobody waits. */
const CLOSED: readonly ApplicationStatus[] = ['agreed', 'settled', 'not-eligible', 'withdrawn'];

const STATUS_TEXT: Readonly<Record<ApplicationStatus, string>> = {
  submitted: 'Submitted',
  'awaiting-responses': 'Awaiting answers',
  agreed: 'Agreed',
  interim: 'Interim funding',
  'in-dispute': 'In dispute',
  settled: 'Settled',
  'not-eligible': 'Not eligible',
  withdrawn: 'Withdrawn',
};

const PARTY_TEXT = { icb: 'ICB', la: 'council' } as const;

/** Who the application is waiting on, in a sentence. */
export function waitingOn(app: Application): string {
  if (CLOSED.includes(app.status)) return 'Nobody';
  if (app.status === 'submitted' || app.determination === null) return 'The determination';
  if (app.status === 'in-dispute') return 'The dispute process';
  const d = app.determination;
  const missing = (
    [
      ['icb', d.icb.body],
      ['la', d.localAuthority.body],
    ] as const
  ).flatMap(([party, body]) => (body !== null && app.responses[party] === undefined ? [`${body} (${PARTY_TEXT[party]}) to answer`] : []));
  return missing.length === 0 ? 'The funding decision' : missing.join('; ');
}

/** Days from the requested start (ready for discharge) to today while the application is open; null once closed or not yet reached. */
export function daysWaiting(app: Pick<Application, 'status' | 'requestedStartDate'>, today: LocalDate): number | null {
  if (CLOSED.includes(app.status)) return null;
  const days = daysBetween(app.requestedStartDate, today);
  return days < 0 ? null : days;
}

const link = (href: string, text: string): string => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
const applicationHref = (id: string): string => `/app/applications/${encodeURIComponent(id)}`;

const applicationsPage: WorkspacePage = {
  route: applicationsPageRoute,
  async handle({ caller, query, deps }) {
    const cursor = query.get('cursor');
    const list = await listApplications(deps.api, caller, cursor === null || cursor === '' ? { limit: 25 } : { limit: 25, cursor });
    const today = deps.api.clock.today();
    const apps = await Promise.all(list.items.map((item) => deps.api.applications.get(item.id)));
    const rows = apps.flatMap((app) => {
      if (app === null) return [];
      const days = daysWaiting(app, today);
      return [
        [
          { html: link(applicationHref(app.id), app.id) },
          { text: app.person.name ?? app.personRef },
          { text: STATUS_TEXT[app.status] },
          { text: waitingOn(app) },
          { text: formatLongDate(app.requestedStartDate) },
          { text: days === null ? '-' : String(days), format: 'numeric' },
        ],
      ];
    });
    const body = renderTemplate('table.njk', {
      action: { href: '/app/new-application', text: 'Submit an application' },
      caption: `Applications your organisation (${caller.org}) is a party to`,
      head: [
        { text: 'Application' },
        { text: 'Person' },
        { text: 'Status' },
        { text: 'Waiting on' },
        { text: 'Requested start' },
        { text: 'Days waiting', format: 'numeric' },
      ],
      rows,
      empty: 'Your organisation is not a party to any application.',
      next: list.cursor === undefined ? undefined : `/app/applications?cursor=${encodeURIComponent(list.cursor)}`,
    });
    return html('Applications', body);
  },
};

/** The answer form's values as typed, and its errors by field. */
interface AnswerForm {
  values: Record<string, string>;
  errors: Record<string, string>;
}

const FIELD_LABELS: Readonly<Record<string, string>> = {
  decision: 'Your answer',
  about: 'What you dispute',
  reason: 'Reasons',
  proposedBody: 'The body you say is responsible',
};

function responseRow(response: PartyResponse): { text: string }[] {
  return [
    { text: `${response.body} (${PARTY_TEXT[response.party]})` },
    {
      text:
        response.decision === 'accept'
          ? 'Accepted'
          : `Disputed ${response.about === 'apportionment' ? 'the sharing of cost' : 'responsibility'}`,
    },
    { text: response.reason ?? '-' },
    { text: response.proposedBody ?? '-' },
    { text: response.at.slice(0, 10) },
  ];
}

function fundingRow(a: FundingArrangement): { text: string }[] {
  return [
    { text: formatLongDate(a.startDate) },
    { text: a.state === 'agreed' ? 'Agreed' : `Interim${a.cause === undefined ? '' : ` (${a.cause})`}` },
    { text: a.lead },
    { text: a.shares.map((s) => `${s.body} ${percentage(s.basisPoints)}%`).join(', ') },
    { text: a.withoutPrejudice ? 'Yes' : 'No' },
    { text: a.basis },
  ];
}

async function renderApplication(
  context: PageContext,
  app: Application,
  form: AnswerForm,
  errors: readonly FieldError[] = [],
  statusCode = 200,
): Promise<PageResult> {
  const { caller, deps, session, query } = context;
  const chronology = await getChronology(deps.api, caller, app.id);
  const d = app.determination;
  const body =
    d === null ? null : d.icb.body === caller.org ? d.icb.body : d.localAuthority.body === caller.org ? d.localAuthority.body : null;
  const party = d === null ? null : d.icb.body === caller.org ? 'icb' : d.localAuthority.body === caller.org ? 'la' : null;
  const answered = party === null ? undefined : app.responses[party];
  const open = !CLOSED.includes(app.status) && app.status !== 'submitted';
  const noForm =
    body === null
      ? 'Your organisation is not a body named in the determination, so it does not answer.'
      : answered !== undefined
        ? `${body} answered on ${answered.at.slice(0, 10)}.`
        : `The application is ${STATUS_TEXT[app.status].toLowerCase()}; it no longer takes answers.`;
  const days = daysWaiting(app, deps.api.clock.today());
  const inForce = app.arrangements.at(-1);
  const page = renderTemplate('application.njk', {
    csrf: session.csrf,
    submitted:
      query.get('submitted') === '1'
        ? inForce === undefined
          ? 'Application submitted. No funding could be arranged yet: see the determination below.'
          : `Application submitted. ${inForce.state === 'interim' ? 'Interim funding is in place' : 'Funding is agreed'} from ${formatLongDate(inForce.startDate)}, led by ${inForce.lead}${inForce.withoutPrejudice ? ', without prejudice' : ''}.`
        : null,
    summary: [
      { key: { text: 'Status' }, value: { text: STATUS_TEXT[app.status] } },
      { key: { text: 'Waiting on' }, value: { text: waitingOn(app) } },
      { key: { text: 'Person' }, value: { text: `${app.person.name ?? 'Name not given'}, NHS number ${app.person.nhsNumber}` } },
      { key: { text: 'Requested start' }, value: { text: formatLongDate(app.requestedStartDate) } },
      { key: { text: 'Days waiting' }, value: { text: days === null ? '-' : String(days) } },
      { key: { text: 'Partnership' }, value: { text: app.partnershipId } },
      { key: { text: 'Submitted by' }, value: { text: app.submittedBy.org } },
    ],
    determination:
      d === null
        ? null
        : {
            rows: [
              { key: { text: 'Eligibility' }, value: { text: d.eligibility.status } },
              { key: { text: 'ICB' }, value: { text: `${d.icb.body ?? 'None named'} (${d.icb.kind})` } },
              { key: { text: 'Council' }, value: { text: `${d.localAuthority.body ?? 'None named'} (${d.localAuthority.kind})` } },
              { key: { text: 'Rules' }, value: { text: d.ruleIds.join(', ') } },
            ],
            reasons: [...new Set([...d.eligibility.reasons, ...d.explanation])],
          },
    fundingHead: [
      { text: 'From' },
      { text: 'Kind' },
      { text: 'Lead' },
      { text: 'Shares' },
      { text: 'Without prejudice' },
      { text: 'Basis' },
    ],
    funding: app.arrangements.map(fundingRow),
    responsesHead: [{ text: 'Body' }, { text: 'Answer' }, { text: 'Reasons' }, { text: 'Proposed body' }, { text: 'On' }],
    responses: (['icb', 'la'] as const).flatMap((p) => {
      const r = app.responses[p];
      return r === undefined ? [] : [responseRow(r)];
    }),
    form:
      body !== null && answered === undefined && open
        ? { action: `${applicationHref(app.id)}/answer`, body, values: form.values, errors: form.errors }
        : null,
    noForm,
    chronologyHead: [{ text: 'When' }, { text: 'What' }, { text: 'By' }],
    chronology: chronology.entries.map((e) => [
      { text: e.at.replace('T', ' ').slice(0, 16) },
      { text: e.type.replaceAll('-', ' ') },
      { text: e.actor.org },
    ]),
  });
  return html(`Application ${app.id}`, page, { statusCode, errors });
}

const applicationPage: WorkspacePage = {
  route: applicationPageRoute,
  async handle(context) {
    const app = await loadForParty(context.deps.api, context.caller, context.params['id'] ?? '');
    return renderApplication(context, app, { values: {}, errors: {} });
  },
};

/** The form as the API's JSON request: empty fields are left out, as a client would leave them out. */
function answerRequest(form: URLSearchParams | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['decision', 'about', 'reason', 'proposedBody']) {
    const value = (form?.get(name) ?? '').trim();
    if (value !== '') out[name] = value;
  }
  // "What you dispute" is preselected; it means nothing to an acceptance.
  if (out['decision'] !== 'dispute') delete out['about'];
  return out;
}

const answerPage: WorkspacePage = {
  route: answerApplicationRoute,
  async handle(context) {
    const id = context.params['id'] ?? '';
    const raw = answerRequest(context.request.form);
    try {
      const { body } = validateRequest(
        { body: recordResponseRequestSchema },
        { path: undefined, query: undefined, headers: undefined, body: raw },
      );
      await recordApplicationResponse(context.deps.api, { caller: context.caller, id, request: body as RecordResponseRequest });
      return { kind: 'redirect', location: `${applicationHref(id)}#answer` };
    } catch (error) {
      const problem = JSON.parse(toProblemResponse(error, context.request.path).body) as Problem;
      // A 404 (not a party) and anything unexpected are the workspace's to answer (workspace.ts).
      if (problem.status >= 500 || problem.status === 404) throw error;
      const fieldErrors: Record<string, string> = {};
      const summary: FieldError[] = [];
      for (const e of problem.errors ?? []) {
        const field = e.field.replace(/^body\.?/, '');
        const label = FIELD_LABELS[field];
        if (label === undefined) continue;
        fieldErrors[field] = `${label} ${e.message}`;
        summary.push({ text: `${label} ${e.message}`, href: `#${field}` });
      }
      if (summary.length === 0) summary.push({ text: problem.detail, href: '#answer' });
      const app = await loadForParty(context.deps.api, context.caller, id);
      return renderApplication(context, app, { values: raw, errors: fieldErrors }, summary, problem.status);
    }
  },
};

export const COMMISSIONER_PAGES: readonly WorkspacePage[] = [applicationsPage, applicationPage, answerPage];
