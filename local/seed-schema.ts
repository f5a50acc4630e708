/**
 * The seed file `npm start` loads into the register (local/seed/demo-partnership.json, or `SEED_FILE`):
 * partnerships, organisations and users. Strict objects, so a misspelt field is an error rather than a
 * silently ignored setting; references are checked (members and users name known organisations, every
 * partnership has an ICB and a council), and each problem names its path in the file.
 * Later issues add optional sections (panel, disputes, apportionment, reviews) here.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { DEFAULT_FUNDING_SETTINGS, DEFAULT_RESPONSE_DEADLINE_DAYS, type Organisation, type Partnership } from '#domain/partnership.ts';
import { disputeSettingsSchema } from '#functions/disputes/settings.schema.ts';
import { maturityThresholdsSchema, reviewSettingsSchema } from '#functions/register/settings.schema.ts';
import { panelConfigProblems } from '#domain/panels/panel.ts';
import { panelSettingsSchema } from '#functions/panels/settings.schema.ts';
import { formatIssues, orgCodeSchema, type FieldIssue } from '#functions/shared/case-facts.schema.ts';
import { apportionmentSettingsSchema } from '#functions/exports/apportionment.schema.ts';
import { ruleConfigSchema } from '#functions/shared/rule-config.schema.ts';
import { ROLES } from './auth.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_SEED_FILE = fileURLToPath(new URL('./seed/demo-partnership.json', import.meta.url));

/** `SEED_FILE` (relative to the repository root) or the demo partnership. */
export function defaultSeedFile(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const named = env['SEED_FILE'];
  return named === undefined || named === '' ? DEFAULT_SEED_FILE : resolve(REPO_ROOT, named);
}

const basisPoints = z
  .number()
  .int({ error: 'must be a whole number of basis points' })
  .min(0, { error: 'must be between 0 and 10000 basis points' })
  .max(10_000, { error: 'must be between 0 and 10000 basis points' });
const text = z.string().trim().min(1, { error: 'must not be empty' }).max(200);
const email = z.email({ error: 'must be an email address' });

export const fundingSettingsSchema = z.strictObject({
  agreedIcbShare: basisPoints,
  interimIcbShare: basisPoints,
  interimLead: z.enum(['icb', 'la']),
  icbDisputeShare: basisPoints,
});

export const partnershipSeedSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be 1 to 64 lower-case letters, digits or hyphens' }),
  name: text,
  members: z.array(orgCodeSchema).min(2, { error: 'must name at least two organisations' }),
  ruleConfig: ruleConfigSchema,
  responseDeadlineDays: z.number().int({ error: 'must be a whole number of days' }).min(1).max(365).default(DEFAULT_RESPONSE_DEADLINE_DAYS),
  funding: fundingSettingsSchema.default({ ...DEFAULT_FUNDING_SETTINGS }),
  /** Effective-dated apportionment policies (issue 6); absent: a fixed split at funding.agreedIcbShare. */
  apportionment: apportionmentSettingsSchema.exactOptional(),
  /** Dispute clocks (issue 5): stage days and reminder cadence; absent parts take the defaults. */
  disputes: disputeSettingsSchema.exactOptional(),
  /** The joint funding panel (issue 5): members, quorum, timers, thresholds; absent: nothing needs a panel. */
  panel: panelSettingsSchema.exactOptional(),
  /** The register's review schedule (issue 8, R-REVIEW-1 [unverified]); absent parts take the defaults. */
  reviews: reviewSettingsSchema.exactOptional(),
  /** Maturity matrix thresholds by row (issue 8); absent rows take the defaults. */
  maturity: maturityThresholdsSchema.exactOptional(),
  /** Delays in leaving hospital (issue 13 item 5): days a wait for funding lasts before executive leads are told. */
  delays: z
    .strictObject({
      fundingEscalationDays: z.number().int({ error: 'must be a whole number of days' }).min(1).max(365).exactOptional(),
      /** Who is told for each member body when a wait for funding passes the limit; a body not named: its mailbox. */
      executiveLeads: z
        .array(z.strictObject({ organisation: orgCodeSchema, name: text, email }))
        .max(100)
        .exactOptional(),
    })
    .exactOptional(),
});

export const organisationSeedSchema = z.strictObject({
  code: orgCodeSchema,
  kind: z.enum(['icb', 'la', 'nhs-england']),
  name: text,
  email,
});

export const userSeedSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, { error: 'must be 1 to 128 lower-case letters, digits, dots, underscores or hyphens' }),
  name: text,
  email,
  org: orgCodeSchema,
  role: z.enum(ROLES),
});

export const seedSchema = z
  .strictObject({
    partnerships: z.array(partnershipSeedSchema).min(1, { error: 'must hold at least one partnership' }),
    organisations: z.array(organisationSeedSchema).min(1, { error: 'must hold at least one organisation' }),
    users: z.array(userSeedSchema),
  })
  .superRefine((seed, ctx) => {
    const orgs = new Map<string, Organisation>();
    seed.organisations.forEach((org, i) => {
      if (orgs.has(org.code)) ctx.addIssue({ code: 'custom', path: ['organisations', i, 'code'], message: `${org.code} is listed twice` });
      orgs.set(org.code, org);
    });
    const partnershipIds = new Set<string>();
    seed.partnerships.forEach((partnership, i) => {
      if (partnershipIds.has(partnership.id))
        ctx.addIssue({ code: 'custom', path: ['partnerships', i, 'id'], message: `${partnership.id} is listed twice` });
      partnershipIds.add(partnership.id);
      const seen = new Set<string>();
      partnership.members.forEach((code, j) => {
        if (!orgs.has(code))
          ctx.addIssue({ code: 'custom', path: ['partnerships', i, 'members', j], message: `${code} is not one of the organisations` });
        if (seen.has(code)) ctx.addIssue({ code: 'custom', path: ['partnerships', i, 'members', j], message: `${code} is listed twice` });
        seen.add(code);
      });
      const kinds = new Set(partnership.members.map((code) => orgs.get(code)?.kind));
      if (!kinds.has('icb'))
        ctx.addIssue({ code: 'custom', path: ['partnerships', i, 'members'], message: 'must include at least one ICB' });
      if (!kinds.has('la'))
        ctx.addIssue({ code: 'custom', path: ['partnerships', i, 'members'], message: 'must include at least one local authority' });
      partnership.delays?.executiveLeads?.forEach((lead, j) => {
        if (!partnership.members.includes(lead.organisation))
          ctx.addIssue({
            code: 'custom',
            path: ['partnerships', i, 'delays', 'executiveLeads', j, 'organisation'],
            message: `${lead.organisation} is not a member of the partnership`,
          });
      });
      for (const [at, message] of partnership.panel === undefined ? [] : panelConfigProblems(partnership.panel, partnership.members)) {
        ctx.addIssue({
          code: 'custom',
          path: [
            'partnerships',
            i,
            'panel',
            ...at
              .split(/[.[\]]+/)
              .filter((p) => p !== '')
              .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
          ],
          message,
        });
      }
    });
    const userIds = new Set<string>();
    seed.users.forEach((user, i) => {
      if (userIds.has(user.id)) ctx.addIssue({ code: 'custom', path: ['users', i, 'id'], message: `${user.id} is listed twice` });
      userIds.add(user.id);
      if (!orgs.has(user.org))
        ctx.addIssue({ code: 'custom', path: ['users', i, 'org'], message: `${user.org} is not one of the organisations` });
    });
  });

export type Seed = z.output<typeof seedSchema>;
export type SeedUser = Seed['users'][number];

// A seed partnership is a domain Partnership, and a seed organisation a domain Organisation: a change to the
// domain types that the schema does not follow fails to compile here.
export const asPartnership = (p: Seed['partnerships'][number]): Partnership => p;
export const asOrganisation = (o: Seed['organisations'][number]): Organisation => o;

export type SeedParseResult = { ok: true; seed: Seed } | { ok: false; issues: FieldIssue[] };

export function parseSeed(input: unknown): SeedParseResult {
  const parsed = seedSchema.safeParse(input);
  return parsed.success ? { ok: true, seed: parsed.data } : { ok: false, issues: formatIssues(parsed.error.issues, 'a seed file') };
}

export class SeedFileError extends Error {
  readonly file: string;
  readonly issues: readonly FieldIssue[];

  constructor(file: string, heading: string, issues: readonly FieldIssue[] = []) {
    super([`The seed file ${file} ${heading}`, ...issues.map((issue) => `  ${issue.path}: ${issue.message}`)].join('\n'));
    this.name = 'SeedFileError';
    this.file = file;
    this.issues = issues;
  }
}

/** Reads and checks a seed file; a SeedFileError names the file and every problem's path. */
export async function loadSeedFile(file: string = defaultSeedFile()): Promise<Seed> {
  let textContent: string;
  try {
    textContent = await readFile(file, 'utf8');
  } catch (error) {
    throw new SeedFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(textContent);
  } catch (error) {
    throw new SeedFileError(file, `is not JSON: ${error instanceof Error ? error.message : 'parse error'}`);
  }
  const parsed = parseSeed(json);
  if (!parsed.ok) throw new SeedFileError(file, 'is not valid:', parsed.issues);
  return parsed.seed;
}
