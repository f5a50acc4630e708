/**
 * Finance's page (issue 16, item 2): pick a partnership, a period and a format and download the apportionment export,
 * and see the partnership's earlier batches of the twelve months to the period shown with their adjustment rows, totals per payer
 * and download links. The download runs the export API's own use case (`exportApportionment`) and query schema, so
 * it refuses what `GET /v1/exports/apportionment` refuses, in the same words, as an NHS.UK error summary.
 */
import { addMonths, type LocalDate } from '#domain/dates.ts';
import { isSanePeriodKey, periodsBetween, type PeriodKey } from '#domain/apportionment/periods.ts';
import { formatPounds } from '#domain/money.ts';
import { apportionmentQuerySchema } from '../exports/export-api.ts';
import { exportApportionment } from '../exports/export-api.ts';
import { batchFileName, downloadLink } from '../exports/export-steps.ts';
import { toProblemResponse, type Problem } from '../shared/http-errors.ts';
import { validateRequest } from '../shared/middy.ts';
import { escapeHtml, renderTemplate, type FieldError } from './html.ts';
import { html, type PageContext, type PageResult, type WorkspacePage } from './pages.ts';
import { exportDownloadRoute, exportsPageRoute } from './routes.ts';

const FIELD_LABELS: Readonly<Record<string, string>> = { partnership: 'Partnership', period: 'Period', format: 'Format' };

/** The twelve periods up to and including `period` (YYYY-MM) when it is one, else today's. */
function twelveTo(period: string | undefined, today: LocalDate): PeriodKey[] {
  const last = period !== undefined && isSanePeriodKey(period) ? `${period}-01` : today;
  return periodsBetween(addMonths(last, -11).slice(0, 7), last.slice(0, 7));
}

async function renderExports(
  context: PageContext,
  values: Record<string, string>,
  errors: Record<string, string> = {},
  summary: readonly FieldError[] = [],
  statusCode = 200,
): Promise<PageResult> {
  const { caller, deps } = context;
  const memberOf = await deps.exports.directory.partnershipsOf(caller.org);
  const chosen = values['partnership'] !== undefined && memberOf.includes(values['partnership']) ? values['partnership'] : memberOf[0];
  const today = deps.exports.clock.today();
  const batches = chosen === undefined ? [] : await deps.exports.register.batches(chosen, twelveTo(values['period'], today));
  const rows = await Promise.all(
    [...batches]
      .sort((a, b) => (a.generatedAt < b.generatedAt ? 1 : -1))
      .map(async (b) => {
        const links: string[] = [];
        for (const format of ['csv', 'xlsx'] as const) {
          const link = await downloadLink(deps.exports, b, format, deps.exports.linkExpirySeconds);
          if (link !== null)
            links.push(
              `<a href="${escapeHtml(link.url)}">${format.toUpperCase()}<span class="nhsuk-u-visually-hidden"> of ${escapeHtml(b.batchId)}</span></a>`,
            );
        }
        return [
          { text: b.batchId },
          { text: b.period },
          { text: b.generatedAt.replace('T', ' ').slice(0, 16) },
          { text: String(b.rows), format: 'numeric' },
          { text: String(b.adjustments), format: 'numeric' },
          {
            text: Object.entries(b.totals)
              .map(([payer, pence]) => `${payer} ${formatPounds(pence)}`)
              .join(', '),
          },
          { html: links.join(' ') },
        ];
      }),
  );
  const body = renderTemplate('exports.njk', {
    partnerships: memberOf.map((p) => ({ value: p, text: p, selected: p === chosen })),
    period: values['period'] ?? today.slice(0, 7),
    format: values['format'] ?? 'csv',
    errors,
    caption: chosen === undefined ? '' : `Batches of ${chosen} in the twelve months to the period, newest first`,
    head: [
      { text: 'Batch' },
      { text: 'Period' },
      { text: 'Made' },
      { text: 'Rows', format: 'numeric' },
      { text: 'Adjustment rows', format: 'numeric' },
      { text: 'Totals by payer' },
      { text: 'Download' },
    ],
    rows,
    empty: chosen === undefined ? 'Your organisation belongs to no partnership.' : 'No batches in the twelve months to the period.',
  });
  return html('Finance exports', body, { statusCode, errors: summary });
}

const exportsPage: WorkspacePage = {
  route: exportsPageRoute,
  handle: (context) => renderExports(context, Object.fromEntries(context.query)),
};

const downloadPage: WorkspacePage = {
  route: exportDownloadRoute,
  async handle(context) {
    const raw: Record<string, string> = {};
    for (const name of ['partnership', 'period', 'format']) {
      const value = (context.query.get(name) ?? '').trim();
      if (value !== '') raw[name] = value;
    }
    try {
      const { query } = validateRequest(
        { query: apportionmentQuerySchema },
        { path: undefined, query: raw, headers: undefined, body: undefined },
      );
      const parsed = query as ReturnType<typeof apportionmentQuerySchema.parse>;
      const result = await exportApportionment(context.deps.exports, context.caller, parsed, undefined);
      if (result.statusCode === 303) return { kind: 'redirect', location: result.headers?.['location'] ?? '/app/exports' };
      if (result.statusCode === 202)
        return html(
          'Your export is being prepared',
          `<p>The register is large, so the export runs in the background. <a href="/app/exports?partnership=${encodeURIComponent(parsed.partnership ?? '')}">Go back to finance exports</a> in a minute: the batch appears in the list with its download links.</p>`,
          { statusCode: 202 },
        );
      const batchId = result.headers?.['x-s117-export-batch'] ?? 'export';
      const data = parsed.format === 'xlsx' ? Buffer.from(result.rawBody ?? '', 'base64') : Buffer.from(result.rawBody ?? '', 'utf8');
      return {
        kind: 'file',
        contentType: result.headers?.['content-type'] ?? 'application/octet-stream',
        fileName: batchFileName(batchId, parsed.format),
        body: data,
      };
    } catch (error) {
      const problem = JSON.parse(toProblemResponse(error, context.request.path).body) as Problem;
      if (problem.status >= 500) throw error;
      const errors: Record<string, string> = {};
      const summary: FieldError[] = [];
      for (const e of problem.errors ?? []) {
        const field = e.field.replace(/^query\.?/, '');
        const label = FIELD_LABELS[field];
        if (label === undefined) continue;
        errors[field] = `${label} ${e.message}`;
        summary.push({ text: `${label} ${e.message}`, href: `#${field}` });
      }
      if (summary.length === 0) summary.push({ text: problem.detail, href: '#period' });
      return renderExports(context, raw, errors, summary, problem.status);
    }
  },
};

export const FINANCE_PAGES: readonly WorkspacePage[] = [exportsPage, downloadPage];
