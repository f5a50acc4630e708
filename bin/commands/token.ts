import { defaultAuthKeyFile, loadOrCreateAuthKey, ROLES, signToken, type TokenSubject } from '#local/auth.ts';
import { defaultSeedFile, loadSeedFile, SeedFileError, type Seed } from '#local/seed-schema.ts';
import { usageError, beginCommand, one, orgAndRole } from './args.ts';
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type Command } from './types.ts';

const OPTIONS = {
  org: { type: 'string' },
  role: { type: 'string' },
  user: { type: 'string' },
  name: { type: 'string' },
  email: { type: 'string' },
  ttl: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const UNITS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_TTL_SECONDS = 30 * 86_400;

/** `8h`, `30m`, `45s`, `2d` or plain seconds; undefined if not a duration from 1 second to 30 days. */
export function parseTtl(text: string): number | undefined {
  const match = /^([1-9]\d{0,7})([smhd]?)$/.exec(text.trim());
  if (match?.[1] === undefined) return undefined;
  const seconds = Number(match[1]) * (UNITS[match[2] ?? ''] ?? 1);
  return seconds <= MAX_TTL_SECONDS ? seconds : undefined;
}

export const tokenCommand: Command = {
  name: 'token',
  summary: 'A bearer token for the local API, signed with the local key',
  usage: `s117 token --org CODE --role ROLE [--user ID] [--name NAME] [--email EMAIL] [--ttl 8h]

Prints one signed JWT (and a newline) that the local API (npm start) accepts as
"Authorization: Bearer <token>". CODE is an organisation of the seed file (see "s117 orgs");
ROLE is ${ROLES.join(', ')}. The user id defaults to <code>-<role> in lower case; a user of the
seed file with that id lends the token its name and email. --ttl is a lifetime: 45s, 30m, 8h (the
default), 2d; at most 30d.

The key is the one npm start uses: S117_LOCAL_AUTH_KEY_FILE, else <DATA_DIR>/local-auth-key.json
(DATA_DIR defaults to .data); it is created if absent, so token and npm start may run in either order.
The seed file is SEED_FILE, else local/seed/demo-partnership.json.`,
  async run(args, ctx) {
    const { io } = ctx;
    const parsed = beginCommand(io, this, args, OPTIONS);
    if ('exit' in parsed) return parsed.exit;
    const who = orgAndRole(io, this, parsed.values);
    if (who === undefined) return EXIT_INVALID;
    const { org, role } = who;
    const ttlText = one(parsed.values['ttl']) ?? '8h';
    const ttlSeconds = parseTtl(ttlText);
    if (ttlSeconds === undefined) {
      usageError(io, this, `--ttl ${JSON.stringify(ttlText)} is not a lifetime such as 45s, 30m, 8h or 2d (at most 30d)`);
      return EXIT_INVALID;
    }

    const seedFile = defaultSeedFile();
    let seed: Seed;
    try {
      seed = await loadSeedFile(seedFile);
    } catch (error) {
      if (!(error instanceof SeedFileError)) throw error;
      io.stderr.write(`s117 token: ${error.message}\n`);
      return EXIT_INVALID;
    }
    if (!seed.organisations.some((o) => o.code === org)) {
      io.stderr.write(
        `s117 token: unknown organisation ${JSON.stringify(org)}; the organisations in ${seedFile} are ${seed.organisations.map((o) => o.code).join(', ')} (see "s117 orgs").\n`,
      );
      return EXIT_INVALID;
    }
    const userId = one(parsed.values['user']) ?? `${org}-${role}`.toLowerCase();
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/.test(userId)) {
      usageError(io, this, '--user must be 1 to 128 letters, digits, dots, underscores, @ or hyphens');
      return EXIT_INVALID;
    }
    const seeded = seed.users.find((u) => u.id === userId);
    if (seeded !== undefined && (seeded.org !== org || seeded.role !== role)) {
      io.stderr.write(`s117 token: user ${userId} is ${seeded.role} at ${seeded.org} in the seed file, not ${role} at ${org}.\n`);
      return EXIT_INVALID;
    }
    const name = one(parsed.values['name']) ?? seeded?.name;
    const email = one(parsed.values['email']) ?? seeded?.email;
    const subject: TokenSubject = {
      sub: userId,
      org,
      role,
      ...(name === undefined ? {} : { name }),
      ...(email === undefined ? {} : { email }),
    };

    const keyFile = defaultAuthKeyFile();
    let token: string;
    try {
      token = signToken(await loadOrCreateAuthKey(keyFile), subject, { ttlSeconds });
    } catch (error) {
      io.stderr.write(`s117 token: ${error instanceof Error ? error.message : `cannot use the key file ${keyFile}`}\n`);
      return EXIT_INTERNAL;
    }
    io.stdout.write(`${token}\n`);
    return EXIT_OK;
  },
};
