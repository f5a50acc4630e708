/**
 * The s117 lead's register page (issue 16, item 2): the partnership's people and episodes with their status on
 * today's date, filtered by status, so reviews due are one choice away. It runs the register API's own use case
 * (`listEpisodes`) and query schema, so it shows what `GET /v1/register/episodes` answers and refuses what it refuses.
 */
import { REGISTER_STATUSES } from '#domain/register/register.ts';
import { listEpisodes } from '../register/people.use-case.ts';
import { listEpisodesSchemas } from '../register/schemas.ts';
import { toProblemResponse, type Problem } from '../shared/http-errors.ts';
import { validateRequest } from '../shared/middy.ts';
import { renderTemplate, type FieldError } from './html.ts';
import { html, type WorkspacePage } from './pages.ts';
import { registerPageRoute } from './routes.ts';

const STATUS_TEXT: Readonly<Record<string, string>> = {
  eligible: 'Eligible (duty not yet arisen)',
  active: 'Receiving aftercare',
  'review-due': 'Review due',
  ended: 'Ended',
  'ended-by-redetention': 'Ended by a new detention',
};

interface EpisodeItem {
  id: string;
  personRef: string;
  status: string;
  qualifyingDetention: { from: string; section: string } | null;
  icb: { body: string | null };
  localAuthority: { body: string | null };
  namedPractitioner: string | null;
}

const registerPage: WorkspacePage = {
  route: registerPageRoute,
  async handle({ caller, query, deps, request }) {
    const raw: Record<string, string> = {};
    const status = (query.get('status') ?? '').trim();
    if (status !== '') raw['status'] = status;
    let items: EpisodeItem[] = [];
    let asOf = deps.register.clock.today();
    let errors: FieldError[] = [];
    let statusCode = 200;
    try {
      const { query: parsed } = validateRequest(listEpisodesSchemas, { path: undefined, query: raw, headers: undefined, body: undefined });
      const result = await listEpisodes(deps.register, caller, parsed as Parameters<typeof listEpisodes>[2]);
      const body = result.body as { asOf: string; items: EpisodeItem[] };
      items = body.items;
      asOf = body.asOf;
    } catch (error) {
      const problem = JSON.parse(toProblemResponse(error, request.path).body) as Problem;
      if (problem.status >= 500) throw error;
      statusCode = problem.status;
      errors = (problem.errors ?? []).map((e) => ({
        text: e.field === 'query.status' ? `Status ${e.message}` : problem.detail,
        href: '#status',
      }));
      if (errors.length === 0) errors = [{ text: problem.detail, href: '#status' }];
    }
    const body = renderTemplate('register.njk', {
      statuses: [
        { value: '', text: 'Everyone', selected: status === '' },
        ...REGISTER_STATUSES.map((s) => ({ value: s, text: STATUS_TEXT[s] ?? s, selected: s === status })),
      ],
      statusError: errors[0]?.text,
      caption: `The register on ${asOf}${status === '' ? '' : `: ${STATUS_TEXT[status] ?? status}`}`,
      head: [
        { text: 'Episode' },
        { text: 'Person' },
        { text: 'Status' },
        { text: 'Qualifying detention' },
        { text: 'ICB' },
        { text: 'Council' },
        { text: 'Named practitioner' },
      ],
      rows: items.map((e) => [
        { text: e.id },
        { text: e.personRef },
        { text: STATUS_TEXT[e.status] ?? e.status },
        { text: e.qualifyingDetention === null ? '-' : `s${e.qualifyingDetention.section} from ${e.qualifyingDetention.from}` },
        { text: e.icb.body ?? '-' },
        { text: e.localAuthority.body ?? '-' },
        { text: e.namedPractitioner ?? 'None named' },
      ]),
      empty: status === '' ? 'No one is on the register.' : 'No one on the register has this status.',
    });
    return html('The s117 register', body, { statusCode, errors });
  },
};

export const REGISTER_PAGES: readonly WorkspacePage[] = [registerPage];
