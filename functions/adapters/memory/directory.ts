/** In-memory directory: organisations, partnerships and users, written by the same DirectoryWriter calls as the table. */
import type { OrgCode } from '#domain/facts.ts';
import type { Organisation, Partnership } from '#domain/partnership.ts';
import type { Directory } from '#domain/ports.ts';
import type { DirectoryOrganisation, DirectoryUser, DirectoryWriter } from '#domain/ports.ts';
import { asStored, toOrganisation } from '../types.ts';

export class MemoryDirectory implements Directory, DirectoryWriter {
  readonly #organisations = new Map<OrgCode, DirectoryOrganisation>();
  readonly #partnerships = new Map<string, Partnership>();
  readonly #users = new Map<string, DirectoryUser>();

  constructor(
    seed: {
      organisations?: readonly DirectoryOrganisation[];
      partnerships?: readonly Partnership[];
      users?: readonly DirectoryUser[];
    } = {},
  ) {
    for (const org of seed.organisations ?? [])
      this.#organisations.set(org.code, { ...toOrganisation(org), partnerships: [...org.partnerships] });
    for (const partnership of seed.partnerships ?? []) this.#partnerships.set(partnership.id, asStored(partnership));
    for (const user of seed.users ?? []) this.#users.set(user.id, { ...user });
  }

  async partnership(id: string): Promise<Partnership | null> {
    const found = this.#partnerships.get(id);
    return found === undefined ? null : asStored(found);
  }

  async organisation(code: OrgCode): Promise<Organisation | null> {
    const found = this.#organisations.get(code);
    return found === undefined ? null : toOrganisation(found);
  }

  /** Every organisation, ordered by code. */
  async organisations(): Promise<Organisation[]> {
    return [...this.#organisations.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map(toOrganisation);
  }

  async partnershipsOf(org: OrgCode): Promise<string[]> {
    return [...(this.#organisations.get(org)?.partnerships ?? [])];
  }

  async user(id: string): Promise<DirectoryUser | null> {
    const found = this.#users.get(id);
    return found === undefined ? null : { ...found };
  }

  async putOrganisation(org: DirectoryOrganisation): Promise<void> {
    this.#organisations.set(org.code, { ...toOrganisation(org), partnerships: [...org.partnerships] });
  }

  async putPartnership(partnership: Partnership): Promise<void> {
    this.#partnerships.set(partnership.id, asStored(partnership));
  }

  async putUser(user: DirectoryUser): Promise<void> {
    this.#users.set(user.id, { id: user.id, name: user.name, email: user.email, org: user.org, role: user.role });
  }
}
