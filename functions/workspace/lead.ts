/**
 * The s117 lead's pages (issue 16, items 2 and 3; the admin role is the s117 lead): reviews due and overdue, people
 * ready for discharge and waiting, and the maturity matrix with its charts. Each runs the API's own use case and
 * query schema: the register's `listEpisodes` and `readEpisode` (GET /v1/register/episodes and /{id}), the delays
 * report (GET /v1/reports/delays) and the maturity matrix (GET /v1/reports/maturity), so a page shows what the API
 * answers and refuses what it refuses.
 */
import type { DelayReasonCode } from '#domain/applications/application.ts';
import { formatLongDate, type LocalDate } from '#domain/dates.ts';
import { formatPounds } from '#domain/money.ts';
import { maturityReport, thresholdText, type MaturityLevel } from '#domain/register/maturity.ts';
import { interimExposureOn, monthEnds, reviewsInDateOn } from '#domain/register/trends.ts';
import { delaysQuerySchema, type DelaysQuery } from '../api/discharge.schema.ts';
import { buildDelaysReport } from '../register/delays.use-case.ts';
import { maturityInput } from '../register/maturity.use-case.ts';
import { listEpisodes, readEpisode } from '../register/people.use-case.ts';
import { maturitySchemas } from '../register/schemas.ts';
import { validateRequest } from '../shared/middy.ts';
import { barChartSvg } from './chart.ts';
import { escapeHtml, renderTemplate } from './html.ts';
import { html, type WorkspacePage } from './pages.ts';
import { delaysPageRoute, maturityWorkspaceRoute, reviewsPageRoute } from './routes.ts';

/** The most review-due episodes a page reads one by one (each is one register read). */
export const MAX_REVIEW_ROWS = 200;
/** The months the maturity page's charts cover. */
export const TREND_MONTHS = 12;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const monthLabel = (d: LocalDate): string => `${MONTHS[Number(d.slice(5, 7)) - 1] ?? '?'} ${d.slice(0, 4)}`;

const REVIEW_KIND_TEXT: Readonly<Record<string, string>> = {
  eligibility: 'Eligibility',
  'care-plan': 'Care plan',
  annual: 'Annual',
  move: 'After a move',
};

const REASON_TEXT: Readonly<Record<DelayReasonCode, string>> = {
  'funding-decision': 'a funding decision',
  'care-not-available': 'care to be available',
  housing: 'housing',
  other: 'something else',
};

const LEVEL_TAG: Readonly<Record<MaturityLevel, { text: string; colour: string }>> = {
  mature: { text: 'Mature', colour: 'green' },
  developing: { text: 'Developing', colour: 'yellow' },
  underdeveloped: { text: 'Underdeveloped', colour: 'red' },
  'no-data': { text: 'No data yet', colour: 'grey' },
};

const appLink = (id: string): string => `<a href="/app/applications/${encodeURIComponent(id)}">${escapeHtml(id)}</a>`;
const tag = (text: string, colour: string): string => `<strong class="nhsuk-tag nhsuk-tag--${colour}">${escapeHtml(text)}</strong>`;

/** The `partnershipId` a page was asked for, through the report's own query schema (400 as the API answers). */
function partnershipQuery(query: URLSearchParams): { partnershipId?: string } {
  const id = query.get('partnershipId');
  const parsed = validateRequest(maturitySchemas, {
    path: undefined,
    headers: undefined,
    body: undefined,
    query: id === null || id === '' ? {} : { partnershipId: id },
  });
  return parsed['query'] as { partnershipId?: string };
}

interface EpisodeItem {
  id: string;
  personRef: string;
  icb: { body: string | null };
  localAuthority: { body: string | null };
  namedPractitioner: string | null;
}

interface NextReview {
  kind: string;
  due: string;
  overdue: boolean;
}

const reviewsPage: WorkspacePage = {
  route: reviewsPageRoute,
  async handle({ caller, query, deps }) {
    const chosen = partnershipQuery(query);
    const listed = (await listEpisodes(deps.register, caller, { ...chosen, status: 'review-due' })).body as {
      asOf: string;
      items: EpisodeItem[];
    };
    const asOf = listed.asOf;
    const items = listed.items.slice(0, MAX_REVIEW_ROWS);
    const reviews = await Promise.all(
      items.map(async (item) => {
        const episode = (await readEpisode(deps.register, caller, item.id, asOf)).body as { nextReview: NextReview | null };
        return { item, next: episode.nextReview };
      }),
    );
    const row = ({ item, next }: { item: EpisodeItem; next: NextReview | null }) => [
      { text: item.id },
      { text: item.personRef },
      { text: next === null ? '-' : (REVIEW_KIND_TEXT[next.kind] ?? next.kind) },
      { text: next === null ? '-' : formatLongDate(next.due) },
      { html: next?.overdue === true ? tag('Overdue', 'red') : tag('Due soon', 'yellow') },
      { text: item.icb.body ?? '-' },
      { text: item.localAuthority.body ?? '-' },
      { text: item.namedPractitioner ?? 'None named' },
    ];
    const byDue = (a: { next: NextReview | null }, b: { next: NextReview | null }) => ((a.next?.due ?? '') < (b.next?.due ?? '') ? -1 : 1);
    const overdue = reviews.filter((r) => r.next?.overdue === true).sort(byDue);
    const due = reviews.filter((r) => r.next?.overdue !== true).sort(byDue);
    const head = [
      { text: 'Episode' },
      { text: 'Person' },
      { text: 'Review' },
      { text: 'Due' },
      { text: 'State' },
      { text: 'ICB' },
      { text: 'Council' },
      { text: 'Named practitioner' },
    ];
    const body = renderTemplate('sections.njk', {
      intro: `Reviews on ${formatLongDate(asOf)}, from the register: ${overdue.length} overdue, ${due.length} due soon.${
        listed.items.length > MAX_REVIEW_ROWS ? ` The first ${MAX_REVIEW_ROWS} of ${listed.items.length} are shown.` : ''
      }`,
      sections: [
        {
          id: 'overdue',
          heading: 'Overdue',
          head,
          rows: overdue.map(row),
          caption: 'Reviews past their due date, longest overdue first',
          empty: 'No review is overdue.',
        },
        {
          id: 'due',
          heading: 'Due soon',
          head,
          rows: due.map(row),
          caption: 'Reviews coming due, soonest first',
          empty: 'No review is coming due.',
        },
      ],
    });
    return html('Reviews due and overdue', body);
  },
};

const delaysPage: WorkspacePage = {
  route: delaysPageRoute,
  async handle({ caller, query, deps }) {
    const raw: Record<string, string> = {};
    for (const name of ['partnershipId', 'cursor']) {
      const value = query.get(name);
      if (value !== null && value !== '') raw[name] = value;
    }
    const parsed = validateRequest({ query: delaysQuerySchema }, { path: undefined, headers: undefined, body: undefined, query: raw });
    const report = await buildDelaysReport(deps.register, caller, parsed['query'] as DelaysQuery);
    const body = renderTemplate('sections.njk', {
      summary: [
        { key: { text: 'Ready for discharge and still in hospital' }, value: { text: String(report.total) } },
        { key: { text: 'Of them, waiting for a funding decision' }, value: { text: String(report.waitingForFunding) } },
        { key: { text: 'Funding escalated after' }, value: { text: `${report.fundingEscalationDays} days` } },
        { key: { text: 'As of' }, value: { text: formatLongDate(report.asOf) } },
      ],
      sections: [
        {
          id: 'waiting',
          heading: 'Who is waiting',
          head: [
            { text: 'Application' },
            { text: 'Person' },
            { text: 'Clinically ready' },
            { text: 'Expected discharge' },
            { text: 'Days since ready', format: 'numeric' },
            { text: 'Waiting for' },
            { text: 'Funding' },
            { text: 'Escalate' },
          ],
          rows: report.items.map((d) => [
            { html: appLink(d.applicationId) },
            { text: d.personRef },
            { text: formatLongDate(d.clinicallyReadyOn) },
            { text: d.expectedDischargeOn === null ? '-' : formatLongDate(d.expectedDischargeOn) },
            { text: String(d.daysSinceReady), format: 'numeric' },
            { text: d.waitingFor.length === 0 ? '-' : d.waitingFor.map((r) => REASON_TEXT[r]).join(', ') },
            { text: d.fundingState === 'none' ? 'None yet' : d.fundingState === 'interim' ? 'Interim' : 'Agreed' },
            { html: d.escalationDue ? tag('Escalate', 'red') : '-' },
          ]),
          caption: 'People clinically ready for discharge but still in hospital, longest wait first',
          empty: 'Nobody is waiting: everyone ready for discharge has left hospital.',
          next:
            report.cursor === undefined
              ? undefined
              : `/app/delays?${new URLSearchParams({ ...(raw['partnershipId'] === undefined ? {} : { partnershipId: raw['partnershipId'] }), cursor: report.cursor }).toString()}`,
        },
      ],
    });
    return html('Ready for discharge and waiting', body);
  },
};

const maturityPage: WorkspacePage = {
  route: maturityWorkspaceRoute,
  async handle({ caller, query, deps }) {
    const { input, partnership } = await maturityInput(deps.register, caller, partnershipQuery(query));
    const report = maturityReport(input);
    const dates = monthEnds(report.asOf, TREND_MONTHS);
    const exposure = dates.map((d) => interimExposureOn(input.applications, input.partnershipId, d));
    const reviews = reviewsInDateOn(input, dates);
    const exposureChart = barChartSvg({
      id: 'interim-exposure',
      title: 'Interim exposure at the end of each month',
      description: `The weekly cost of s117 aftercare met under interim, without-prejudice funding, in the ${TREND_MONTHS} months to ${formatLongDate(report.asOf)}.`,
      bars: exposure.map((e) => ({ label: monthLabel(e.date), value: e.weeklyPence, display: formatPounds(e.weeklyPence) })),
    });
    const reviewsChart = barChartSvg({
      id: 'reviews-in-date',
      title: 'Reviews in date at the end of each month',
      description: 'The share of people with aftercare in force who had no review overdue.',
      bars: reviews.map((r) => ({
        label: monthLabel(r.date),
        value: r.percent ?? 0,
        display: r.percent === null ? 'nobody' : `${r.percent}%`,
      })),
    });
    const body = renderTemplate('sections.njk', {
      intro: `${partnership.name}, as of ${formatLongDate(report.asOf)}: ${report.people} ${report.people === 1 ? 'person' : 'people'} on the register.`,
      sections: [
        {
          id: 'matrix',
          heading: 'Where the partnership sits',
          head: [{ text: 'Measure' }, { text: 'Figure' }, { text: 'Level' }, { text: 'Thresholds' }],
          rows: report.rows.map((r) => {
            const level = LEVEL_TAG[r.level];
            return [{ text: r.title }, { text: r.display }, { html: tag(level.text, level.colour) }, { text: thresholdText(r) }];
          }),
          caption: 'The s117 maturity matrix',
          empty: 'There is nothing to measure yet.',
        },
        {
          id: 'statuses',
          heading: 'The register by status',
          head: [{ text: 'Status' }, { text: 'Episodes', format: 'numeric' }],
          rows: Object.entries(report.statuses).map(([s, n]) => [{ text: s.replaceAll('-', ' ') }, { text: String(n), format: 'numeric' }]),
          caption: `Episodes on ${formatLongDate(report.asOf)}`,
          empty: 'Nobody is on the register.',
        },
        {
          id: 'exposure',
          heading: 'Interim exposure over time',
          chart: exposureChart,
          head: [{ text: 'Month end' }, { text: 'Interim arrangements', format: 'numeric' }, { text: 'Weekly cost', format: 'numeric' }],
          rows: exposure.map((e) => [
            { text: formatLongDate(e.date) },
            { text: String(e.arrangements), format: 'numeric' },
            { text: formatPounds(e.weeklyPence), format: 'numeric' },
          ]),
          caption: 'The figures behind the chart: interim exposure at each month end',
          empty: '',
        },
        {
          id: 'reviews',
          heading: 'Reviews in date by month',
          chart: reviewsChart,
          head: [
            { text: 'Month end' },
            { text: 'Aftercare in force', format: 'numeric' },
            { text: 'No review overdue', format: 'numeric' },
            { text: 'In date', format: 'numeric' },
          ],
          rows: reviews.map((r) => [
            { text: formatLongDate(r.date) },
            { text: String(r.inForce), format: 'numeric' },
            { text: String(r.inDate), format: 'numeric' },
            { text: r.percent === null ? '-' : `${r.percent}%`, format: 'numeric' },
          ]),
          caption: 'The figures behind the chart: reviews in date at each month end',
          empty: '',
        },
      ],
    });
    return html('s117 maturity matrix', body);
  },
};

export const LEAD_PAGES: readonly WorkspacePage[] = [reviewsPage, delaysPage, maturityPage];
