/** In-memory task token store. */
import type { Instant } from '#domain/applications/application.ts';
import type { TaskTokenStore } from '#domain/ports.ts';

type Ref = { applicationId: string; purpose: string };

export class MemoryTaskTokenStore implements TaskTokenStore {
  readonly #tokens = new Map<string, string>();

  async put(ref: Ref, token: string, _at: Instant): Promise<void> {
    this.#tokens.set(`${ref.applicationId}|${ref.purpose}`, token);
  }

  async get(ref: Ref): Promise<string | null> {
    return this.#tokens.get(`${ref.applicationId}|${ref.purpose}`) ?? null;
  }

  async remove(ref: Ref): Promise<void> {
    this.#tokens.delete(`${ref.applicationId}|${ref.purpose}`);
  }
}
