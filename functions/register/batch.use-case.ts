/**
 * `POST /v1/register/batches`: a CSV of events from a Mental Health Act office. Bad rows are rejected row by
 * row with reasons; good rows land once, even when the batch is sent again: each row's fact carries the key
 * `batch:<batchId>:<hash of the row's NHS number and event>`, and a fact already recorded is not recorded twice.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../api/canonical-json.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { base32, personRef as toPersonRef } from '../shared/person-ref.ts';
import { parseBatch, type RowProblem } from './batch.ts';
import type { RegisterDeps } from './deps.ts';
import { ensurePerson, partnershipOf, recordFacts, type FactOutcome } from './register.use-case.ts';

export const MAX_BATCH_BYTES = 2_000_000;

export const batchIdFor = (org: string, key: string): string =>
  `batch_${base32(createHash('sha256').update(`${org}|${key}`, 'utf8').digest()).slice(0, 20)}`;

export async function recordBatch(
  deps: RegisterDeps,
  input: { caller: Caller; idempotencyKey: string; partnershipId?: string; text: string | undefined },
): Promise<HttpResult> {
  const { caller, text } = input;
  if (text === undefined || text.trim() === '')
    throw new ProblemError(400, 'The batch is empty.', { errors: [{ field: 'body', message: 'must be a CSV with a header row' }] });
  if (Buffer.byteLength(text) > MAX_BATCH_BYTES)
    throw new ProblemError(413, `The batch is larger than ${MAX_BATCH_BYTES} bytes; split it.`);
  const partnership = await partnershipOf(deps, caller.org, input.partnershipId, 'query.partnershipId');
  const parsed = parseBatch(text);
  if (!parsed.ok) throw new ProblemError(400, 'The CSV cannot be read as a batch; see errors.', { errors: parsed.problems });

  const batchId = batchIdFor(caller.org, input.idempotencyKey);
  const rejected: RowProblem[] = [...parsed.rejected];
  const accepted: { row: number; personRef: string; outcome: FactOutcome }[] = [];
  const byPerson = new Map<string, typeof parsed.rows>();
  for (const row of parsed.rows) byPerson.set(row.nhsNumber, [...(byPerson.get(row.nhsNumber) ?? []), row]);

  for (const [nhsNumber, rows] of byPerson) {
    // The partnership's own reference: a person on another partnership's register is unknown here.
    const ref = toPersonRef(nhsNumber, await deps.personRefKey(), partnership.id);
    if ((await deps.store.getPerson(ref)) === null) await ensurePerson(deps, { personRef: ref, nhsNumber, partnershipId: partnership.id });
    const facts = rows.map((r) => ({
      key: `batch:${batchId}:${sha256Hex(canonicalJson({ nhsNumber, event: r.event })).slice(0, 24)}`,
      event: r.event,
      source: 'batch' as const,
      batch: { id: batchId, row: r.row },
    }));
    const { outcomes } = await recordFacts(deps, ref, facts, { userId: caller.userId, org: caller.org });
    rows.forEach((r, i) => accepted.push({ row: r.row, personRef: ref, outcome: outcomes[i] ?? 'already-recorded' }));
  }
  accepted.sort((a, b) => a.row - b.row);
  rejected.sort((a, b) => a.row - b.row || (a.field < b.field ? -1 : 1));
  return {
    statusCode: 200,
    body: {
      batchId,
      partnershipId: partnership.id,
      rows: parsed.total,
      recorded: accepted.filter((a) => a.outcome === 'recorded').length,
      alreadyRecorded: accepted.filter((a) => a.outcome === 'already-recorded').length,
      rejectedRows: new Set(rejected.map((r) => r.row)).size,
      accepted,
      rejected,
    },
  };
}
