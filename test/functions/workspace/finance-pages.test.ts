/**
 * Finance's page (issue 16, item 2): the export form, the download through the export API's use case and query
 * schema (its refusals as an NHS.UK error summary), the earlier batches with their links, and role refusal.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { application } from '../../support/application-builder.ts';
import { arrangement, line } from '../../support/finance-builder.ts';
import { pageHarness, type PageHarness } from './support.ts';

let h: PageHarness;

beforeEach(async () => {
  h = pageHarness();
  await h.api.applications.create(
    application({
      status: 'agreed',
      carePlan: { serviceLines: [line({ id: 'L1', weeklyCostPence: 70_000, startDate: '2024-05-01' })] },
      arrangements: [
        arrangement(
          'ARR-1',
          'agreed',
          [
            ['ICB-A', 'icb', 5_000],
            ['LA-A', 'la', 5_000],
          ],
          { startDate: '2024-05-01', createdAt: '2024-04-28T10:00:00.000Z' },
        ),
      ],
    }),
  );
});

describe('the finance exports page', () => {
  it('offers the organisation’s partnerships, a period and a format, and no batches yet', async () => {
    const { cookie } = await h.signIn('LA-A', 'finance');
    const page = await h.get('/app/exports', cookie);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="get" action="/app/exports/download" novalidate>');
    expect(page.body).toMatch(/<option value="test" selected>/);
    expect(page.body).toContain('value="2024-06"');
    expect(page.body).toContain('No batches in the twelve months to the period.');
  });

  it('downloads the month’s CSV through the export use case, then lists the batch with its links', async () => {
    const { cookie } = await h.signIn('LA-A', 'finance');
    const file = await h.get('/app/exports/download?partnership=test&period=2024-05&format=csv', cookie);

    expect([file.statusCode, file.isBase64Encoded, file.headers['content-type']]).toStrictEqual([200, true, 'text/csv; charset=utf-8']);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="EXP-2024-05-[0-9a-f]+\.csv"$/);
    const csv = Buffer.from(file.body, 'base64').toString('utf8');
    expect(csv).toContain('app_1');

    const after = (await h.get('/app/exports?partnership=test', cookie)).body;
    expect(after).toMatch(/EXP-2024-05-[0-9a-f]+/);
    expect(after).toContain('CSV<span class="nhsuk-u-visually-hidden"> of EXP-2024-05-');
  });

  it('downloads the XLSX workbook as the same batch', async () => {
    const { cookie } = await h.signIn('LA-A', 'finance');
    const csv = await h.get('/app/exports/download?partnership=test&period=2024-05&format=csv', cookie);
    const xlsx = await h.get('/app/exports/download?partnership=test&period=2024-05&format=xlsx', cookie);

    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(Buffer.from(xlsx.body, 'base64').subarray(0, 2).toString('latin1')).toBe('PK');
    expect(xlsx.headers['content-disposition']?.replace('.xlsx', '')).toBe(csv.headers['content-disposition']?.replace('.csv', ''));
  });

  it('shows the API’s refusals as an error summary: a bad period, a partnership not theirs', async () => {
    const { cookie } = await h.signIn('LA-A', 'finance');
    const bad = await h.get('/app/exports/download?partnership=test&period=2024-13&format=csv', cookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#period">');
    expect(bad.body).toContain('Period must be a period YYYY-MM');
    expect(bad.body).toContain('value="2024-13"');

    const other = await h.get('/app/exports/download?partnership=north&period=2024-05&format=csv', cookie);
    expect(other.statusCode).toBe(404);
    expect(other.body).toContain('Partnership is not a partnership your organisation belongs to');
  });

  it('refuses a commissioner with a 403 page', async () => {
    const { cookie } = await h.signIn('LA-A', 'commissioner');
    for (const path of ['/app/exports', '/app/exports/download?partnership=test&period=2024-05&format=csv'])
      expect((await h.get(path, cookie)).statusCode).toBe(403);
  });
});
