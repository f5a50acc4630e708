/**
 * The caller, from the claims the API Gateway JWT authorizer verified (HTTP API puts them, as strings, at
 * `requestContext.authorizer.jwt.claims`). The gateway checks the signature; this module trusts only that
 * context, never a raw Authorization header.
 */
import * as z from 'zod';
import type { OrgCode } from '#domain/facts.ts';
import { orgCodeSchema } from './case-facts.schema.ts';
import { ProblemError } from './http-errors.ts';

export const ROLES = ['commissioner', 'panel', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call a route, by the people who use it (docs/api.md): anyone signed in reads what is theirs; commissioners
 * and admins of a party answer, record and change; finance reads the register and exports; panel members act only
 * through their approval links, so the register is not theirs to read or change.
 */
export const ANY_ROLE: readonly Role[] = ['commissioner', 'panel', 'finance', 'admin'];
export const COMMISSIONING_ROLES: readonly Role[] = ['commissioner', 'admin'];
export const FINANCE_ROLES: readonly Role[] = ['finance', 'admin'];
export const REGISTER_READER_ROLES: readonly Role[] = ['commissioner', 'finance', 'admin'];
/** Applications, their chronology and disputes: read by commissioners and admins of a party, and by finance, which books them. */
export const CASE_READER_ROLES: readonly Role[] = REGISTER_READER_ROLES;

export interface Caller {
  userId: string;
  org: OrgCode;
  role: Role;
  name?: string;
  /** The user's email address, lower-cased, only when the token says the provider verified it (`email_verified`). */
  email?: string;
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(256),
  'custom:org': orgCodeSchema.optional(),
  org: orgCodeSchema.optional(),
  'custom:role': z.enum(ROLES).optional(),
  role: z.enum(ROLES).optional(),
  name: z.string().min(1).max(200).optional(),
  email: z.string().min(3).max(320).optional(),
  // HTTP API passes every claim as a string; a JWT carries a boolean.
  email_verified: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
});

const authorizerSchema = z.object({ jwt: z.object({ claims: z.record(z.string(), z.unknown()) }) });

const UNAUTHENTICATED = (detail: string): ProblemError => new ProblemError(401, detail, { headers: { 'www-authenticate': 'Bearer' } });

/** The caller named by the authorizer context; 401 when it is absent or does not name a user, organisation and role. */
export function callerFrom(requestContext: object): Caller {
  const authorizer = authorizerSchema.safeParse('authorizer' in requestContext ? requestContext.authorizer : undefined);
  if (!authorizer.success) throw UNAUTHENTICATED('A bearer token is required.');
  const claims = claimsSchema.safeParse(authorizer.data.jwt.claims);
  if (!claims.success) throw UNAUTHENTICATED('The token does not name a user, an organisation and a role.');
  const org = claims.data['custom:org'] ?? claims.data.org;
  const role = claims.data['custom:role'] ?? claims.data.role;
  if (org === undefined || role === undefined) throw UNAUTHENTICATED('The token does not name a user, an organisation and a role.');
  const caller: Caller = { userId: claims.data.sub, org, role };
  if (claims.data.name !== undefined) caller.name = claims.data.name;
  const verified = claims.data.email_verified === true || claims.data.email_verified === 'true';
  if (verified && claims.data.email !== undefined) caller.email = claims.data.email.toLowerCase();
  return caller;
}

/** 403 unless the caller has one of `roles`. */
export function requireRole(caller: Caller, roles: readonly Role[]): void {
  if (!roles.includes(caller.role)) {
    throw new ProblemError(403, `This action needs the role ${roles.join(' or ')}; the caller is ${caller.role}.`);
  }
}
