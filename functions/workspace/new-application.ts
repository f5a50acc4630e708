/**
 * The commissioner's application form (issue 16, item 2): one person, where they lived before detention, their GP,
 * the qualifying detention and one service line. The form is turned into the JSON body `POST /v1/applications` takes
 * and goes through that route's own schemas (`createApplicationRoute.schemas`, via `validateRequest`) and use case
 * (`createApplication`), so the page refuses exactly what the API refuses, in its words, as an NHS.UK error summary
 * linking to each field. The form carries the session's CSRF token and an idempotency key drawn when the form is
 * first shown, so pressing the button twice, or resubmitting after a timeout, makes one application.
 */
import { SERVICE_CATEGORIES } from '#domain/applications/application.ts';
import { MHA_SECTIONS } from '#domain/facts.ts';
import { createApplication } from '../api/create-application.use-case.ts';
import { createApplicationRoute } from '../api/routes.ts';
import type { CreateApplicationHeaders, CreateApplicationRequest } from '../api/create-application.schema.ts';
import { toProblemResponse, type Problem } from '../shared/http-errors.ts';
import { validateRequest } from '../shared/middy.ts';
import { renderTemplate, type FieldError } from './html.ts';
import { html, type PageContext, type PageResult, type WorkspacePage } from './pages.ts';
import { newApplicationPageRoute, submitApplicationRoute } from './routes.ts';
import { randomToken } from './session.ts';

/** The form's fields, in page order, with the label an error message starts with. */
export const APPLICATION_FIELDS = {
  nhsNumber: 'NHS number',
  name: 'Full name',
  partnershipId: 'Partnership',
  requestedStartDate: 'Date aftercare is needed from',
  residenceFrom: 'Lived there from',
  residenceCountry: 'Country',
  residenceLa: 'Council code',
  residenceIcb: 'ICB code',
  residenceSetting: 'Kind of home',
  residenceBasis: 'How they came to live there',
  gpIcb: "GP practice's ICB code",
  detentionFrom: 'Detained from',
  detentionSection: 'Section of the Mental Health Act',
  hospitalLa: "Hospital's council code",
  hospitalIcb: "Hospital's ICB code",
  serviceDescription: 'Service',
  serviceProvider: 'Provider',
  serviceCategory: 'Kind of service',
  weeklyCost: 'Weekly cost',
} as const;
export type ApplicationField = keyof typeof APPLICATION_FIELDS;
/** The fields offered as a list to choose from. */
const SELECTS: ReadonlySet<ApplicationField> = new Set([
  'partnershipId',
  'residenceCountry',
  'residenceSetting',
  'residenceBasis',
  'detentionSection',
  'serviceCategory',
]);
const FIELD_NAMES = Object.keys(APPLICATION_FIELDS) as ApplicationField[];

/** The longest value a field keeps (the API's own limits are lower; this only bounds what is echoed back). */
const MAX_FIELD_CHARS = 500;

const COUNTRIES = [
  ['england', 'England'],
  ['wales', 'Wales'],
  ['scotland', 'Scotland'],
  ['northern-ireland', 'Northern Ireland'],
  ['outside-uk', 'Outside the UK'],
] as const;

const SETTINGS = [
  ['own-home', 'Their own home'],
  ['family-home', "A family member's home"],
  ['care-home', 'A care home'],
  ['nursing-home', 'A nursing home'],
  ['supported-living', 'Supported living'],
  ['shared-lives', 'Shared lives'],
  ['hostel', 'A hostel'],
  ['hospital-informal', 'Hospital, as an informal patient'],
  ['prison', 'Prison'],
  ['no-fixed-abode', 'No fixed abode'],
  ['student-accommodation', 'Student accommodation'],
  ['other', 'Somewhere else'],
] as const;

const BASES = [
  ['own-choice', 'Their own choice'],
  ['best-interests-decision', 'A best interests decision'],
  ['condition-of-discharge', 'A condition of discharge'],
  ['secure-accommodation-order', 'A secure accommodation order'],
  ['court-order', 'A court order'],
  ['unknown', 'Not known'],
] as const;

const CATEGORY_TEXT: Readonly<Record<(typeof SERVICE_CATEGORIES)[number], string>> = {
  health: 'Health',
  'social-care': 'Social care',
  accommodation: 'Accommodation',
  employment: 'Employment',
  other: 'Other',
};

export type ApplicationFormValues = Partial<Record<ApplicationField, string>>;

/** The form's values as typed (trimmed, each at most MAX_FIELD_CHARS). */
export function formValues(form: URLSearchParams | null): ApplicationFormValues {
  const out: ApplicationFormValues = {};
  for (const name of FIELD_NAMES) {
    const value = (form?.get(name) ?? '').trim().slice(0, MAX_FIELD_CHARS);
    if (value !== '') out[name] = value;
  }
  return out;
}

/** "1,850.5" or "£1850.50" → 185050; anything else is passed on as typed, for the API's schema to refuse. */
export function poundsToPence(value: string): number | string {
  const match = /^£?\s*(\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(\d{1,2}))?$/.exec(value);
  if (match === null) return value;
  return Number((match[1] ?? '0').replaceAll(',', '')) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/**
 * The JSON body `POST /v1/applications` takes, built from the form: blank fields are left out, as a client would
 * leave them out, so the API's schema names what is missing. `fieldOf` maps each problem's field back to the form.
 */
export function applicationRequest(
  values: ApplicationFormValues,
  today: string,
  key: string,
): { body: Record<string, unknown>; fieldOf: (problemField: string) => ApplicationField | undefined } {
  const area = (country: string | undefined, la: string | undefined, icb: string | undefined): Record<string, string> => ({
    ...(country === undefined ? {} : { country }),
    ...(la === undefined ? {} : { la }),
    ...(icb === undefined ? {} : { icb }),
  });
  const opt = <K extends string>(name: K, value: string | undefined): Record<K, string> | Record<string, never> =>
    value === undefined ? {} : ({ [name]: value } as Record<K, string>);
  const events: Record<string, unknown>[] = [];
  const eventFields: Record<string, ApplicationField>[] = [];
  events.push({
    type: 'residence',
    ...opt('from', values.residenceFrom),
    area: area(values.residenceCountry ?? 'england', values.residenceLa, values.residenceIcb),
    ...opt('setting', values.residenceSetting),
    ...opt('basis', values.residenceBasis),
  });
  eventFields.push({
    from: 'residenceFrom',
    'area.country': 'residenceCountry',
    'area.la': 'residenceLa',
    'area.icb': 'residenceIcb',
    area: 'residenceLa',
    setting: 'residenceSetting',
    basis: 'residenceBasis',
  });
  if (values.gpIcb !== undefined) {
    events.push({ type: 'gp-registration', ...opt('from', values.residenceFrom), icb: values.gpIcb });
    eventFields.push({ from: 'residenceFrom', icb: 'gpIcb' });
  }
  const hospital = values.hospitalLa !== undefined || values.hospitalIcb !== undefined;
  events.push({
    type: 'detention',
    ...opt('from', values.detentionFrom),
    ...opt('section', values.detentionSection),
    ...(hospital ? { hospitalArea: area('england', values.hospitalLa, values.hospitalIcb) } : {}),
  });
  eventFields.push({
    from: 'detentionFrom',
    section: 'detentionSection',
    'hospitalArea.la': 'hospitalLa',
    'hospitalArea.icb': 'hospitalIcb',
    hospitalArea: 'hospitalLa',
  });
  const body: Record<string, unknown> = {
    person: { ...opt('nhsNumber', values.nhsNumber), ...opt('name', values.name) },
    facts: { id: key, evaluationDate: today, events },
    carePlan: {
      serviceLines: [
        {
          ...opt('description', values.serviceDescription),
          ...opt('provider', values.serviceProvider),
          ...opt('category', values.serviceCategory),
          s117: true,
          ...(values.weeklyCost === undefined ? {} : { weeklyCostPence: poundsToPence(values.weeklyCost) }),
          ...opt('startDate', values.requestedStartDate),
        },
      ],
    },
    ...opt('requestedStartDate', values.requestedStartDate),
    ...opt('partnershipId', values.partnershipId),
  };
  const direct: Readonly<Record<string, ApplicationField>> = {
    'body.person.nhsNumber': 'nhsNumber',
    'body.person.name': 'name',
    'body.partnershipId': 'partnershipId',
    'body.requestedStartDate': 'requestedStartDate',
    'body.carePlan.serviceLines[0].description': 'serviceDescription',
    'body.carePlan.serviceLines[0].provider': 'serviceProvider',
    'body.carePlan.serviceLines[0].category': 'serviceCategory',
    'body.carePlan.serviceLines[0].weeklyCostPence': 'weeklyCost',
    'body.carePlan.serviceLines[0].startDate': 'requestedStartDate',
    'body.facts.evaluationDate': 'requestedStartDate',
  };
  const fieldOf = (problemField: string): ApplicationField | undefined => {
    const hit = direct[problemField];
    if (hit !== undefined) return hit;
    const event = /^body\.facts\.events\[(\d+)\](?:\.(.+))?$/.exec(problemField);
    if (event === null) return undefined;
    const fields = eventFields[Number(event[1])];
    if (fields === undefined) return undefined;
    return fields[event[2] ?? 'from'] ?? Object.values(fields)[0];
  };
  return { body, fieldOf };
}

const options = (pairs: readonly (readonly [string, string])[], selected: string | undefined, blank: string) => [
  { value: '', text: blank, selected: selected === undefined },
  ...pairs.map(([value, text]) => ({ value, text, selected: value === selected })),
];

async function renderForm(
  { deps, caller, session }: PageContext,
  values: ApplicationFormValues,
  key: string,
  errors: Partial<Record<ApplicationField, string>> = {},
  summary: readonly FieldError[] = [],
  statusCode = 200,
): Promise<PageResult> {
  const partnerships = await deps.api.directory.partnershipsOf(caller.org);
  const named = await Promise.all(partnerships.map(async (id) => [id, (await deps.api.directory.partnership(id))?.name ?? id] as const));
  const body = renderTemplate('new-application.njk', {
    csrf: session.csrf,
    key,
    values,
    errors,
    partnerships: options(named, values.partnershipId ?? (named.length === 1 ? named[0]?.[0] : undefined), 'Choose a partnership'),
    countries: options(COUNTRIES, values.residenceCountry ?? 'england', 'Choose a country'),
    settings: options(SETTINGS, values.residenceSetting, 'Choose the kind of home'),
    bases: options(BASES, values.residenceBasis, 'Choose how'),
    sections: options(
      MHA_SECTIONS.map((s) => [s, `Section ${s}`] as const),
      values.detentionSection,
      'Choose a section',
    ),
    categories: options(
      SERVICE_CATEGORIES.map((c) => [c, CATEGORY_TEXT[c]] as const),
      values.serviceCategory,
      'Choose the kind of service',
    ),
  });
  return html('Submit an application', body, { statusCode, errors: summary });
}

const newApplicationPage: WorkspacePage = {
  route: newApplicationPageRoute,
  handle: (context) => renderForm(context, {}, `form-${randomToken()}`.slice(0, 64)),
};

/** The idempotency key the form carries: only what the API's header schema allows, else a fresh one. */
const KEY_PATTERN = /^form-[A-Za-z0-9_-]{10,59}$/;

const submitApplicationPage: WorkspacePage = {
  route: submitApplicationRoute,
  async handle(context) {
    const values = formValues(context.request.form);
    const typedKey = context.request.form?.get('key') ?? '';
    const key = KEY_PATTERN.test(typedKey) ? typedKey : `form-${randomToken()}`.slice(0, 64);
    const { body: raw, fieldOf } = applicationRequest(values, context.deps.api.clock.today(), key);
    try {
      const parsed = validateRequest(createApplicationRoute.schemas, {
        path: undefined,
        query: undefined,
        headers: { 'idempotency-key': key },
        body: raw,
      });
      const result = await createApplication(context.deps.api, {
        caller: context.caller,
        idempotencyKey: (parsed['headers'] as CreateApplicationHeaders)['idempotency-key'],
        body: parsed['body'] as CreateApplicationRequest,
      });
      const id = (result.body as { id: string }).id;
      return { kind: 'redirect', location: `/app/applications/${encodeURIComponent(id)}?submitted=1` };
    } catch (error) {
      const problem = JSON.parse(toProblemResponse(error, context.request.path).body) as Problem;
      if (problem.status >= 500) throw error;
      const errors: Partial<Record<ApplicationField, string>> = {};
      const summary: FieldError[] = [];
      for (const e of problem.errors ?? []) {
        const field = fieldOf(e.field);
        if (field === undefined || errors[field] !== undefined) continue;
        // The API's words, except where they name the JSON rather than the form: a list a select already offers, pence.
        const message =
          field === 'weeklyCost' && typeof poundsToPence(values.weeklyCost ?? '') === 'string'
            ? 'must be an amount in pounds, for example 1850.00'
            : SELECTS.has(field) && values[field] === undefined
              ? 'is required: choose one'
              : e.message;
        errors[field] = `${APPLICATION_FIELDS[field]} ${message}`;
      }
      // The summary follows the page's order, each entry linking to its field.
      for (const field of FIELD_NAMES) {
        const text = errors[field];
        if (text !== undefined) summary.push({ text, href: `#${field}` });
      }
      if (summary.length === 0) summary.push({ text: problem.detail, href: '#nhsNumber' });
      return renderForm(context, values, key, errors, summary, problem.status);
    }
  },
};

export const NEW_APPLICATION_PAGES: readonly WorkspacePage[] = [newApplicationPage, submitApplicationPage];
