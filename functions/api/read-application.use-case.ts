/** Reading applications: one (parties only; anyone else gets 404), a list for the caller's organisation, a chronology. */
import type { Application, ApplicationStatus } from '#domain/applications/application.ts';
import { inForceOn, partnershipPolicies, type LedgerDay } from '#domain/funding/ledger.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { ApplicationList, ApplicationView, ChronologyView } from './application-view.schema.ts';
import { toApplicationView } from './application-view.ts';
import type { ApiDeps } from './deps.ts';
import { DEFAULT_LIST_LIMIT, type ListApplicationsQuery } from './list-applications.schema.ts';

/** 404, never 403: a caller who is not a party must not learn that the application exists. */
export const applicationNotFound = (): ProblemError => new ProblemError(404, 'No such application.');

/** The application if the caller's organisation is a party to it; otherwise 404. */
export async function loadForParty(deps: Pick<ApiDeps, 'applications'>, caller: Caller, id: string): Promise<Application> {
  const app = await deps.applications.get(id);
  if (app === null || !app.parties.includes(caller.org)) throw applicationNotFound();
  return app;
}

/** What the ledger says is in force for the application today, under its partnership's policies. */
export async function inForceToday(deps: Pick<ApiDeps, 'directory' | 'clock'>, app: Application): Promise<LedgerDay | undefined> {
  const partnership = await deps.directory.partnership(app.partnershipId);
  if (partnership === null) return undefined;
  return inForceOn(app, partnershipPolicies(partnership), deps.clock.today());
}

export async function getApplication(deps: ApiDeps, caller: Caller, id: string): Promise<ApplicationView> {
  const app = await loadForParty(deps, caller, id);
  return toApplicationView(app, await inForceToday(deps, app));
}

export async function listApplications(deps: ApiDeps, caller: Caller, query: ListApplicationsQuery): Promise<ApplicationList> {
  const options: { status?: ApplicationStatus; limit: number; cursor?: string } = { limit: query.limit ?? DEFAULT_LIST_LIMIT };
  if (query.status !== undefined) options.status = query.status;
  if (query.cursor !== undefined) options.cursor = query.cursor;
  const page = await deps.applications.listForOrganisation(caller.org, options);
  const list: ApplicationList = {
    items: page.items.map((s) => ({
      id: s.id,
      status: s.status,
      personRef: s.personRef,
      requestedStartDate: s.requestedStartDate,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
    })),
  };
  if (page.cursor !== undefined) list.cursor = page.cursor;
  return list;
}

export async function getChronology(deps: ApiDeps, caller: Caller, id: string): Promise<ChronologyView> {
  const app = await loadForParty(deps, caller, id);
  const entries = await deps.chronology.list(app.personRef, { applicationId: app.id });
  return { entries: entries.map((e) => ({ sequence: e.sequence, at: e.at, type: e.type, actor: e.actor, data: e.data })) };
}
