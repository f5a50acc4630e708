/**
 * `GET /v1/reports/delays` (issue 13 item 5): the partnership's people clinically ready for discharge but still
 * in hospital on a date, longest wait first, with the days since ready and what they wait for. Personal data
 * stays out: people are named by personRef and application id, as the list routes name them.
 */
import {
  DEFAULT_FUNDING_ESCALATION_DAYS,
  compareDelays,
  delaysOn,
  fundingEscalationDue,
  type DelayedPerson,
} from '#domain/applications/discharge.ts';
import type { Partnership } from '#domain/partnership.ts';
import { DEFAULT_DELAYS_LIMIT, type DelaysQuery, type DelaysReport } from '../api/discharge.schema.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { RegisterDeps } from './deps.ts';
import { partnershipApplications } from './maturity.use-case.ts';
import { partnershipOf } from './register.use-case.ts';

export const fundingEscalationDays = (p: Partnership): number => p.delays?.fundingEscalationDays ?? DEFAULT_FUNDING_ESCALATION_DAYS;

/** Where a page ended: the report it belongs to and its last row's sort key. */
interface DelaysPosition {
  partnershipId: string;
  asOf: string;
  clinicallyReadyOn: string;
  applicationId: string;
}

export function encodeDelaysCursor(p: DelaysPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, p: p.partnershipId, d: p.asOf, r: p.clinicallyReadyOn, a: p.applicationId }), 'utf8').toString(
    'base64url',
  );
}

const badCursor = (): ProblemError =>
  new ProblemError(400, 'The cursor is not valid for this report.', {
    errors: [{ field: 'query.cursor', message: 'must be a cursor this report returned, with the same partnershipId and asOf' }],
  });

/** Reads a cursor back; 400 unless it is well formed and was issued for this partnership and date. */
export function decodeDelaysCursor(cursor: string, partnershipId: string, asOf: string): DelaysPosition {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw badCursor();
  const { v, p, d, r, a } = parsed as Record<string, unknown>;
  if (v !== 1 || p !== partnershipId || d !== asOf || typeof r !== 'string' || typeof a !== 'string') throw badCursor();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r) || !/^app_[a-z2-7]{20}$/.test(a)) throw badCursor();
  return { partnershipId, asOf, clinicallyReadyOn: r, applicationId: a };
}

/** One page of the delays and the cursor of the next, if any. */
export function pageOf(
  delays: readonly DelayedPerson[],
  limit: number,
  after: Pick<DelaysPosition, 'clinicallyReadyOn' | 'applicationId'> | null,
): { items: DelayedPerson[]; last: DelayedPerson | null } {
  const rest = after === null ? delays : delays.filter((d) => compareDelays(d, after) > 0);
  const items = rest.slice(0, limit);
  return { items, last: rest.length > limit ? (items.at(-1) ?? null) : null };
}

export async function buildDelaysReport(deps: RegisterDeps, caller: Caller, query: DelaysQuery): Promise<DelaysReport> {
  const partnership = await partnershipOf(deps, caller.org, query.partnershipId, 'query.partnershipId');
  const asOf = query.asOf ?? deps.clock.today();
  const after = query.cursor === undefined ? null : decodeDelaysCursor(query.cursor, partnership.id, asOf);
  const applications = await partnershipApplications(deps, partnership.id, partnership.members);
  // Only applications the caller's organisation is a party to: the report shows no more than the list routes do.
  const delays = delaysOn(
    applications.filter((a) => a.parties.includes(caller.org)),
    partnership.id,
    asOf,
  );
  const escalationDays = fundingEscalationDays(partnership);
  const { items, last } = pageOf(delays, query.limit ?? DEFAULT_DELAYS_LIMIT, after);
  const report: DelaysReport = {
    partnershipId: partnership.id,
    asOf,
    total: delays.length,
    waitingForFunding: delays.filter((d) => d.waitingFor.includes('funding-decision')).length,
    fundingEscalationDays: escalationDays,
    items: items.map((d) => ({ ...d, escalationDue: fundingEscalationDue(d, escalationDays) })),
  };
  if (last !== null)
    report.cursor = encodeDelaysCursor({
      partnershipId: partnership.id,
      asOf,
      clinicallyReadyOn: last.clinicallyReadyOn,
      applicationId: last.applicationId,
    });
  return report;
}
