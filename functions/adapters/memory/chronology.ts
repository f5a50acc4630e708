/** In-memory twin of the DynamoDB chronology: sequences from 1, idempotent by key. */
import { asStored } from '../types.ts';
import type { Chronology, ChronologyEntry, NewChronologyEntry } from '#domain/ports.ts';

export function toEntry(sequence: number, entry: NewChronologyEntry): ChronologyEntry {
  return {
    sequence,
    at: entry.at,
    type: entry.type,
    actor: asStored(entry.actor),
    ...(entry.applicationId === undefined ? {} : { applicationId: entry.applicationId }),
    data: asStored(entry.data),
  };
}

export class MemoryChronology implements Chronology {
  readonly #entries = new Map<string, ChronologyEntry[]>();
  readonly #byKey = new Map<string, ChronologyEntry>();

  async append(personRef: string, entry: NewChronologyEntry): Promise<ChronologyEntry> {
    const keyed = this.#byKey.get(`${personRef}|${entry.key}`);
    if (keyed !== undefined) return asStored(keyed);
    const entries = this.#entries.get(personRef) ?? [];
    const appended = toEntry(entries.length + 1, entry);
    entries.push(appended);
    this.#entries.set(personRef, entries);
    this.#byKey.set(`${personRef}|${entry.key}`, appended);
    return asStored(appended);
  }

  async list(personRef: string, options: { applicationId?: string } = {}): Promise<ChronologyEntry[]> {
    return (this.#entries.get(personRef) ?? [])
      .filter((e) => options.applicationId === undefined || e.applicationId === options.applicationId)
      .map((e) => asStored(e));
  }
}
