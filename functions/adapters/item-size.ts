/**
 * DynamoDB's 400 KB item limit, checked before a write so an oversized record is refused as a 413 that names
 * the limit instead of failing in DynamoDB as a ValidationException (a 500). Sizes follow DynamoDB's rules:
 * attribute names and strings in UTF-8 bytes, numbers up to 21 bytes, lists and maps 3 bytes plus 1 a member.
 */
import type { Application } from '#domain/applications/application.ts';
import { keys } from './keys.ts';

/** DynamoDB's item size limit, in bytes. */
export const MAX_ITEM_BYTES = 400 * 1024;

export class ItemTooLargeError extends Error {
  constructor(
    readonly what: string,
    readonly bytes: number,
  ) {
    super(`The ${what} would be ${bytes} bytes, over DynamoDB's ${MAX_ITEM_BYTES}-byte item limit`);
    this.name = 'ItemTooLargeError';
  }
}

function numberSize(n: number): number {
  const digits = String(Math.abs(n)).replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.min(21, Math.ceil(Math.max(digits.length, 1) / 2) + 1);
}

/** The stored size of one attribute value. */
export function valueSize(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((sum: number, v: unknown) => sum + 1 + valueSize(v), 3);
  if (typeof value === 'object') {
    let size = 3;
    for (const [name, v] of Object.entries(value)) if (v !== undefined) size += 1 + Buffer.byteLength(name, 'utf8') + valueSize(v);
    return size;
  }
  return Buffer.byteLength(String(value), 'utf8');
}

/** The stored size of an item: its attribute names and values. */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) if (value !== undefined) size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return size;
}

/** Throws ItemTooLargeError when `item` would exceed the limit. */
export function checkItemSize(item: Record<string, unknown>, what: string): void {
  const bytes = itemSize(item);
  if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(what, bytes);
}

/** The application item exactly as the DynamoDB store writes it. */
export function applicationItem(app: Application): Record<string, unknown> {
  return {
    ...keys.application(app.id),
    version: app.version,
    // Beside the doc so an answer's save can be conditional on it (issue 12).
    ...(app.responseDeadline === undefined ? {} : { responseDeadline: app.responseDeadline }),
    doc: app,
  };
}
