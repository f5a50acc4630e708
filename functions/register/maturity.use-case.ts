/**
 * The maturity matrix for the caller's partnership, measured from the register and the funding applications:
 * `GET /v1/reports/maturity` (JSON) and `GET /reports/maturity` (the same, server-rendered HTML behind the
 * same bearer token: no token in the URL, no script on the page).
 */
import type { Application } from '#domain/applications/application.ts';
import { wrongCharges, type PersonCharge } from '#domain/apportionment/charging.ts';
import { formatLongDate } from '#domain/dates.ts';
import {
  DEFAULT_MATURITY_THRESHOLDS,
  maturityReport,
  thresholdText,
  type MaturityInput,
  type MaturityReport,
  type PersonRegisterData,
} from '#domain/register/maturity.ts';
import type { Partnership } from '#domain/partnership.ts';
import { activeEvents, type Episode } from '#domain/register/register.ts';
import type { Caller } from '../shared/auth.ts';
import type { RegisterDeps } from './deps.ts';
import { partnershipOf, reviewSettingsOf } from './register.use-case.ts';

/** Every application of the partnership, by id (read through each member's list, as the exports do). */
export async function partnershipApplications(
  deps: Pick<RegisterDeps, 'applications'>,
  partnershipId: string,
  members: readonly string[],
): Promise<Application[]> {
  const ids = new Set<string>();
  for (const org of members) {
    let cursor: string | undefined;
    do {
      const page = await deps.applications.listForOrganisation(org, { limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
      for (const item of page.items) ids.add(item.id);
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
  const apps: Application[] = [];
  for (const id of [...ids].sort()) {
    const app = await deps.applications.get(id);
    if (app !== null && app.partnershipId === partnershipId) apps.push(app);
  }
  return apps;
}

/** What the matrix is measured from, for the caller's partnership: the register, its applications and charges. */
export async function maturityInput(
  deps: RegisterDeps,
  caller: Caller,
  query: { partnershipId?: string; asOf?: string },
): Promise<{ input: MaturityInput; partnership: Partnership }> {
  const partnership = await partnershipOf(deps, caller.org, query.partnershipId, 'query.partnershipId');
  const asOf = query.asOf ?? deps.clock.today();
  const byPerson = new Map<string, Episode[]>();
  for (const e of await deps.store.listPartnershipEpisodes(partnership.id))
    byPerson.set(e.personRef, [...(byPerson.get(e.personRef) ?? []), e]);
  const people: PersonRegisterData[] = [];
  const charges: { applicationId: string; charge: PersonCharge }[] = [];
  for (const [ref, episodes] of [...byPerson].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const person = await deps.store.getPerson(ref);
    if (person === null) continue;
    people.push({ events: activeEvents(person), episodes: episodes.sort((a, b) => a.n - b.n), reviews: await deps.store.listReviews(ref) });
    for (const c of person.charges)
      charges.push({
        applicationId: c.applicationId,
        charge: { id: c.id, lineId: c.lineId, from: c.from, to: c.to, amountPence: c.amountPence, payer: c.payer },
      });
  }
  const applications = await partnershipApplications(deps, partnership.id, partnership.members);
  const appsById = new Map(applications.map((a) => [a.id, a]));
  let count = 0;
  let excessPence = 0;
  for (const { applicationId, charge } of charges) {
    const app = appsById.get(applicationId) ?? (await deps.applications.get(applicationId));
    const wrong = wrongCharges(app?.carePlan ?? { serviceLines: [] }, [charge]);
    count += wrong.length;
    excessPence += wrong.reduce((sum, w) => sum + w.excessPence, 0);
  }
  return {
    partnership,
    input: {
      partnershipId: partnership.id,
      asOf,
      people,
      applications,
      wrongCharges: { count, excessPence },
      reviewSettings: reviewSettingsOf(partnership),
      thresholds: { ...DEFAULT_MATURITY_THRESHOLDS, ...(partnership.maturity ?? {}) },
    },
  };
}

export async function buildMaturityReport(
  deps: RegisterDeps,
  caller: Caller,
  query: { partnershipId?: string; asOf?: string },
): Promise<MaturityReport> {
  return maturityReport((await maturityInput(deps, caller, query)).input);
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** NHS palette, each at least 4.5:1 (WCAG AA): warm yellow is a background under NHS black, never a text colour. */
const LEVEL_STYLES: Record<string, string> = {
  mature: 'color:#007f3b',
  developing: 'color:#212b32;background:#ffb81c;padding:0 4px',
  underdeveloped: 'color:#d5281b',
  'no-data': 'color:#4c6272',
};

/** The report as a page: one row per measure, where the partnership sits, and the thresholds. */
export function maturityPage(report: MaturityReport, partnershipName: string): string {
  const rows = report.rows
    .map(
      (r) =>
        `<tr><th scope="row">${escapeHtml(r.title)}</th><td>${escapeHtml(r.display)}</td>` +
        `<td><strong style="${LEVEL_STYLES[r.level] ?? 'color:#212b32'}">${escapeHtml(r.level)}</strong></td>` +
        `<td>${escapeHtml(thresholdText(r))}</td></tr>`,
    )
    .join('');
  const statuses = Object.entries(report.statuses)
    .map(([s, n]) => `<li>${escapeHtml(s)}: ${n}</li>`)
    .join('');
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>s117 maturity matrix</title></head>' +
    '<body style="font-family:Arial,sans-serif;max-width:60em;margin:2em auto">' +
    `<h1>s117 maturity matrix: ${escapeHtml(partnershipName)}</h1><p>As of ${escapeHtml(formatLongDate(report.asOf))}. ${report.people} people on the register.</p>` +
    `<h2>Register by status</h2><ul>${statuses}</ul>` +
    `<h2>Where the partnership sits</h2><table border="1" cellpadding="6" style="border-collapse:collapse"><thead><tr><th>Measure</th><th>Figure</th><th>Level</th><th>Thresholds</th></tr></thead><tbody>${rows}</tbody></table>` +
    '</body></html>'
  );
}
