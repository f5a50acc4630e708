/**
 * Keys of the Register table (docs/data-model.md) and the list cursor, shared by the DynamoDB adapters and
 * their in-memory twins so both order, page and reject cursors the same way.
 */
import type { ApplicationStatus } from '#domain/applications/application.ts';
import type { OrgCode } from '#domain/facts.ts';
import { InvalidCursorError } from './types.ts';

export const SEQUENCE_DIGITS = 10;

export const keys = {
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'APPLICATION' }),
  party: (id: string, org: OrgCode) => ({ pk: `APP#${id}`, sk: `PARTY#${org}` }),
  token: (id: string, purpose: string) => ({ pk: `APP#${id}`, sk: `TOKEN#${purpose}` }),
  mail: (id: string, purpose: string, recipient: string) => ({ pk: `APP#${id}`, sk: `MAIL#${purpose}#${recipient}` }),
  person: (personRef: string) => `PERSON#${personRef}`,
  chronologyEntry: (personRef: string, sequence: number) => ({
    pk: `PERSON#${personRef}`,
    sk: `CHRON#${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`,
  }),
  chronologyKey: (personRef: string, key: string) => ({ pk: `PERSON#${personRef}`, sk: `CHRONKEY#${key}` }),
  /** The last claimed sequence and the claim not yet written (outside `CHRON#`, so lists never see it). */
  chronologyCounter: (personRef: string) => ({ pk: `PERSON#${personRef}`, sk: 'CHRONCOUNTER' }),
  /** The outbox of hand-offs (domain/ports.ts HandOffOutbox): one partition, read by the reconciler with a Query. */
  handOffs: 'OUTBOX#HANDOFF',
  handOff: (id: string, purpose: string) => ({ pk: 'OUTBOX#HANDOFF', sk: `${id}#${purpose}` }),
  idempotency: (scope: string, key: string) => ({ pk: `IDEM#${scope}#${key}`, sk: 'IDEM' }),
  directory: 'DIRECTORY',
  organisation: (code: OrgCode) => ({ pk: 'DIRECTORY', sk: `ORG#${code}` }),
  user: (id: string) => ({ pk: 'DIRECTORY', sk: `USER#${id}` }),
  partnership: (id: string) => ({ pk: `PARTNERSHIP#${id}`, sk: 'CONFIG' }),
  byOrganisation: (org: OrgCode) => `ORG#${org}`,
  byOrganisationStatus: (org: OrgCode, status: ApplicationStatus) => `ORG#${org}#STATUS#${status}`,
} as const;

export const INDEX = { byOrganisation: 'ByOrganisation', byOrganisationStatus: 'ByOrganisationStatus' } as const;
export type IndexName = (typeof INDEX)[keyof typeof INDEX];

/** Where a list page ended: the last item's index and table keys. */
export interface ListPosition {
  index: IndexName;
  /** The index partition key (`ORG#...`): a cursor is only valid for the list it came from. */
  partition: string;
  sort: string;
  pk: string;
  sk: string;
}

export function encodeCursor(position: ListPosition): string {
  const { index, partition, sort, pk, sk } = position;
  return Buffer.from(JSON.stringify({ v: 1, i: index, p: partition, s: sort, pk, sk }), 'utf8').toString('base64url');
}

/** A list sort key, `<createdAt>#<application id>` (listSortKey); the id is captured. */
const CURSOR_SORT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z#([A-Za-z0-9_-]{1,64})$/;

/** Reads a cursor back; throws InvalidCursorError unless it is well formed and was issued for this index and partition. */
export function decodeCursor(cursor: string, index: IndexName, partition: string): ListPosition {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const { v, i, p, s, pk, sk } = parsed as Record<string, unknown>;
  if (v !== 1 || i !== index || p !== partition || typeof s !== 'string' || typeof pk !== 'string' || typeof sk !== 'string') {
    throw new InvalidCursorError();
  }
  // Every key must be one this list could have issued: a forged one would reach DynamoDB as an invalid
  // ExclusiveStartKey (empty or oversized key attributes) and fail there.
  const sort = CURSOR_SORT.exec(s);
  const org = /^ORG#([A-Z0-9][A-Z0-9-]{1,15})(?:#|$)/.exec(partition)?.[1];
  if (sort === null || org === undefined || pk !== `APP#${sort[1] ?? ''}` || sk !== `PARTY#${org}`) throw new InvalidCursorError();
  return { index, partition, sort: s, pk, sk };
}

/** A page size the table accepts: a whole number from 1 to 1,000. */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError('limit must be a whole number from 1 to 1000');
}

/** One dispute per application: the first (and so far only) one. */
const DISPUTE_NUMBER = 1;

export const disputeKeys = {
  dispute: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: `DISPUTE#${DISPUTE_NUMBER}` }),
  referralPack: (applicationId: string, packId: string) => ({ pk: `APP#${applicationId}`, sk: `REFERRAL#${packId}` }),
  /** `n` is zero-padded so entries list in order. */
  recharge: (applicationId: string, settlementId: string, n: number) => ({
    pk: `APP#${applicationId}`,
    sk: `RECHARGE#${settlementId}#${String(n).padStart(6, '0')}`,
  }),
} as const;
