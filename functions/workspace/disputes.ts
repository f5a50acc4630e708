/**
 * The disputes page (issue 16, item 2, s117 leads): the organisation's running disputes and their clocks: kind,
 * stage, dispute date and age, the stage's deadline and the referral date, the lead body meeting the cost meanwhile.
 * It reads them through the API's own use cases (`listApplications` for the applications in dispute, `getDispute`),
 * and draws them by age as a chart (chart.ts) with its table (issue 16, item 3).
 */
import { daysBetween } from '#domain/dates.ts';
import { DEFAULT_MATURITY_THRESHOLDS } from '#domain/register/maturity.ts';
import { ageBands, ageInDays } from '#domain/register/trends.ts';
import { listApplications } from '../api/read-application.use-case.ts';
import { getDispute, getReferralPack, type DisputeView } from '../disputes/api.ts';
import { referralPackPdf, referralPackTitle } from '../disputes/referral-pack-document.ts';
import { toProblemResponse } from '../shared/http-errors.ts';
import { barChartSvg } from './chart.ts';
import { escapeHtml, renderTemplate } from './html.ts';
import { html, type WorkspacePage } from './pages.ts';
import { disputesPageRoute, referralPackPageRoute } from './routes.ts';

const KIND_TEXT: Readonly<Record<string, string>> = {
  'icb-icb': 'Between ICBs',
  'la-la': 'Between councils',
  'icb-la': 'Between an ICB and a council',
};

/** "in 5 days", "today", "3 days overdue"; "-" without a date. */
export function clock(deadline: string | null, today: string): string {
  if (deadline === null) return '-';
  const days = daysBetween(today, deadline.slice(0, 10));
  if (days === 0) return `${deadline.slice(0, 10)} (today)`;
  return days > 0 ? `${deadline.slice(0, 10)} (in ${days} days)` : `${deadline.slice(0, 10)} (${-days} days overdue)`;
}

const disputesPage: WorkspacePage = {
  route: disputesPageRoute,
  async handle({ caller, deps, request }) {
    const list = await listApplications(deps.api, caller, { status: 'in-dispute', limit: 100 });
    const today = deps.disputes.clock.today();
    const views = await Promise.all(
      list.items.map(async (item): Promise<DisputeView | null> => {
        try {
          return await getDispute(deps.disputes, caller, item.id);
        } catch (error) {
          // An application in dispute whose dispute is not opened yet (its workflow is on the way) is left out.
          if (toProblemResponse(error, request.path).statusCode === 404) return null;
          throw error;
        }
      }),
    );
    const running = views.filter((v): v is DisputeView => v !== null).sort((a, b) => (a.disputeDate < b.disputeDate ? -1 : 1));
    const bands = ageBands(
      running.map((d) => ageInDays(d.disputeDate.slice(0, 10), today)),
      DEFAULT_MATURITY_THRESHOLDS.disputes,
    );
    const rows = running.map((d) => [
      { html: `<a href="/app/applications/${encodeURIComponent(d.applicationId)}">${escapeHtml(d.applicationId)}</a>` },
      { text: KIND_TEXT[d.kind] ?? d.kind },
      { text: d.stage.replaceAll('-', ' ') },
      { text: d.disputeDate },
      { text: String(Math.max(0, daysBetween(d.disputeDate.slice(0, 10), today))), format: 'numeric' },
      { text: clock(d.deadlines.stage, today) },
      { text: clock(d.deadlines.referralDue, today) },
      { text: d.lead },
    ]);
    const body = renderTemplate('table.njk', {
      caption: `Running disputes your organisation (${caller.org}) is a party to, oldest first`,
      head: [
        { text: 'Application' },
        { text: 'Kind' },
        { text: 'Stage' },
        { text: 'Dispute date' },
        { text: 'Age in days', format: 'numeric' },
        { text: "Stage's deadline" },
        { text: 'Referral due' },
        { text: 'Lead meanwhile' },
      ],
      rows,
      empty: 'Your organisation is party to no running dispute.',
    });
    const chart = renderTemplate('sections.njk', {
      sections: [
        {
          id: 'ages',
          heading: 'Dispute ages',
          chart: barChartSvg({
            id: 'dispute-ages',
            title: 'Running disputes by age',
            description: `How many running disputes have been open how long, in bands at the maturity matrix's thresholds (mature within ${DEFAULT_MATURITY_THRESHOLDS.disputes.mature} days).`,
            bars: bands.map((b) => ({ label: b.label, value: b.count, display: String(b.count) })),
          }),
          head: [{ text: 'Age' }, { text: 'Disputes', format: 'numeric' }],
          rows: bands.map((b) => [{ text: b.label }, { text: String(b.count), format: 'numeric' }]),
          caption: 'The figures behind the chart: running disputes by age',
          empty: '',
        },
      ],
    });
    return html('Disputes', body + chart);
  },
};

/**
 * The referral pack (issue 16, item 5) on the design system: each section's heading, paragraphs and lists, and the
 * chronology and correspondence as NHS.UK tables; `?format=pdf` downloads the same pack as the PDF.
 */
const referralPackPage: WorkspacePage = {
  route: referralPackPageRoute,
  async handle({ caller, deps, params, query }) {
    const id = params['id'] ?? '';
    const pack = await getReferralPack(deps.disputes, caller, id);
    if (query.get('format') === 'pdf')
      return { kind: 'file', contentType: 'application/pdf', fileName: `referral-pack-${pack.id}.pdf`, body: await referralPackPdf(pack) };
    const body = renderTemplate('referral-pack.njk', {
      pdf: `/app/disputes/${encodeURIComponent(id)}/referral-pack?format=pdf`,
      sections: pack.sections.map((s) => ({
        ...s,
        ...(s.table === undefined
          ? {}
          : {
              table: {
                ...s.table,
                head: s.table.head.map((text) => ({ text })),
                rows: s.table.rows.map((r) => r.map((text) => ({ text }))),
              },
            }),
      })),
    });
    return html(referralPackTitle(pack), body);
  },
};

export const DISPUTE_PAGES: readonly WorkspacePage[] = [disputesPage, referralPackPage];
