/** In-memory outbox of hand-offs, ordered by key as the DynamoDB partition is. */
import type { HandOff, HandOffOutbox } from '#domain/ports.ts';

export class MemoryHandOffOutbox implements HandOffOutbox {
  readonly #entries = new Map<string, HandOff>();

  async put(handOff: HandOff): Promise<void> {
    this.#entries.set(`${handOff.applicationId}#${handOff.purpose}`, { ...handOff });
  }

  async list(limit: number): Promise<HandOff[]> {
    return [...this.#entries.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([, entry]) => ({ ...entry }));
  }

  async remove(ref: { applicationId: string; purpose: string }): Promise<void> {
    this.#entries.delete(`${ref.applicationId}#${ref.purpose}`);
  }
}
