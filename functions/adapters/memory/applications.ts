/** In-memory twin of the DynamoDB application store: same versions, memberships, order and cursors. */
import type { Application, ApplicationStatus, Instant } from '#domain/applications/application.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import type { OrgCode } from '#domain/facts.ts';
import type { ApplicationStore, ApplicationSummary, Page } from '#domain/ports.ts';
import { applicationItem, checkItemSize } from '../item-size.ts';
import { checkLimit, decodeCursor, encodeCursor, INDEX, keys, type IndexName } from '../keys.ts';
import { asStored, listSortKey, summarise, listEntriesUnchanged } from '../types.ts';

interface Membership {
  pk: string;
  sk: string;
  gsi1pk: string;
  gsi2pk: string;
  sort: string;
  version: number;
  summary: ApplicationSummary;
}

export class MemoryApplicationStore implements ApplicationStore {
  readonly #applications = new Map<string, Application>();
  readonly #memberships = new Map<string, Membership>();

  async create(app: Application): Promise<'created' | 'exists'> {
    checkItemSize(applicationItem(app), 'application');
    const stored = this.#applications.get(app.id);
    if (stored !== undefined) {
      this.#putMemberships(stored);
      return 'exists';
    }
    this.#applications.set(app.id, asStored(app));
    this.#putMemberships(app);
    return 'created';
  }

  async get(id: string): Promise<Application | null> {
    const stored = this.#applications.get(id);
    return stored === undefined ? null : asStored(stored);
  }

  async save(app: Application, previous?: Application, condition?: { answeredAt: Instant }): Promise<void> {
    checkItemSize(applicationItem(app), 'application');
    const stored = this.#applications.get(app.id);
    if (stored?.version !== app.version - 1) throw new ConcurrentUpdateError();
    if (condition !== undefined && stored.responseDeadline !== undefined && !(stored.responseDeadline > condition.answeredAt))
      throw new ConcurrentUpdateError(`Application ${app.id}: the response deadline has passed`);
    this.#applications.set(app.id, asStored(app));
    if (listEntriesUnchanged(previous, app)) return;
    this.#putMemberships(app);
  }

  async listForOrganisation(
    org: OrgCode,
    options: { status?: ApplicationStatus; limit: number; cursor?: string },
  ): Promise<Page<ApplicationSummary>> {
    checkLimit(options.limit);
    const index: IndexName = options.status === undefined ? INDEX.byOrganisation : INDEX.byOrganisationStatus;
    const partition = options.status === undefined ? keys.byOrganisation(org) : keys.byOrganisationStatus(org, options.status);
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, index, partition);
    const matching = [...this.#memberships.values()]
      .filter((m) => (index === INDEX.byOrganisation ? m.gsi1pk : m.gsi2pk) === partition)
      .filter((m) => after === undefined || m.sort < after.sort)
      .sort((a, b) => (a.sort < b.sort ? 1 : a.sort > b.sort ? -1 : 0));
    const page = matching.slice(0, options.limit);
    const last = page.at(-1);
    const items = page.map((m) => asStored(m.summary));
    if (matching.length <= options.limit || last === undefined) return { items };
    return { items, cursor: encodeCursor({ index, partition, sort: last.sort, pk: last.pk, sk: last.sk }) };
  }

  #putMemberships(app: Application): void {
    for (const org of app.parties) {
      const { pk, sk } = keys.party(app.id, org);
      const existing = this.#memberships.get(`${pk}|${sk}`);
      if (existing !== undefined && existing.version > app.version) continue;
      this.#memberships.set(`${pk}|${sk}`, {
        pk,
        sk,
        gsi1pk: keys.byOrganisation(org),
        gsi2pk: keys.byOrganisationStatus(org, app.status),
        sort: listSortKey(app.createdAt, app.id),
        version: app.version,
        summary: summarise(app),
      });
    }
  }
}
