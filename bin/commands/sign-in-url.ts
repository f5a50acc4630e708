import { defaultAuthKeyFile, loadOrCreateAuthKey, ROLES } from '#local/auth.ts';
import { signInTicket, SIGN_IN_TICKET_TTL_SECONDS } from '#local/oidc-tickets.ts';
import { defaultSeedFile, loadSeedFile, SeedFileError, type Seed } from '#local/seed-schema.ts';
import { usageError, beginCommand, one, orgAndRole } from './args.ts';
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type Command } from './types.ts';

const OPTIONS = {
  org: { type: 'string' },
  role: { type: 'string' },
  user: { type: 'string' },
  'base-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const signInUrlCommand: Command = {
  name: 'sign-in-url',
  summary: 'A one-time link that signs a seeded user in to the local workspace',
  usage: `s117 sign-in-url --org CODE --role ROLE [--user ID] [--base-url URL]

Prints a link to the workspace (npm start) that signs the seeded user with that organisation and role
in through the local OpenID Connect stand-in, once, within ${SIGN_IN_TICKET_TTL_SECONDS / 60} minutes. With several such users, --user
picks one. ROLE is ${ROLES.join(', ')}. The base URL defaults to http://127.0.0.1:$PORT (3000).

The link's ticket is signed with the key npm start uses (S117_LOCAL_AUTH_KEY_FILE, else
<DATA_DIR>/local-auth-key.json). The seed file is SEED_FILE, else local/seed/demo-partnership.json.`,
  async run(args, ctx) {
    const { io } = ctx;
    const parsed = beginCommand(io, this, args, OPTIONS);
    if ('exit' in parsed) return parsed.exit;
    const who = orgAndRole(io, this, parsed.values);
    if (who === undefined) return EXIT_INVALID;
    const { org, role } = who;
    const baseUrlText = one(parsed.values['base-url']) ?? `http://127.0.0.1:${process.env['PORT'] ?? '3000'}`;
    let baseUrl: URL;
    try {
      baseUrl = new URL(baseUrlText);
    } catch {
      usageError(io, this, `--base-url ${JSON.stringify(baseUrlText)} is not a URL`);
      return EXIT_INVALID;
    }
    const seedFile = defaultSeedFile();
    let seed: Seed;
    try {
      seed = await loadSeedFile(seedFile);
    } catch (error) {
      if (!(error instanceof SeedFileError)) throw error;
      io.stderr.write(`s117 sign-in-url: ${error.message}\n`);
      return EXIT_INVALID;
    }
    const userId = one(parsed.values['user']);
    const matches = seed.users.filter((u) => u.org === org && u.role === role && (userId === undefined || u.id === userId));
    if (matches.length !== 1 || matches[0] === undefined) {
      const what = userId === undefined ? `${role} at ${org}` : `${userId} (${role} at ${org})`;
      io.stderr.write(
        matches.length === 0
          ? `s117 sign-in-url: ${seedFile} has no user ${what}; its users are ${seed.users.map((u) => `${u.id} (${u.role}, ${u.org})`).join(', ')}.\n`
          : `s117 sign-in-url: ${seedFile} has ${matches.length} users ${what}; pick one with --user: ${matches.map((u) => u.id).join(', ')}.\n`,
      );
      return EXIT_INVALID;
    }
    const keyFile = defaultAuthKeyFile();
    let ticket: string;
    try {
      ticket = signInTicket(await loadOrCreateAuthKey(keyFile), matches[0].id);
    } catch (error) {
      io.stderr.write(`s117 sign-in-url: ${error instanceof Error ? error.message : `cannot use the key file ${keyFile}`}\n`);
      return EXIT_INTERNAL;
    }
    const link = new URL('/app/sign-in', baseUrl);
    link.searchParams.set('login_hint', ticket);
    io.stdout.write(`${link.href}\n`);
    return EXIT_OK;
  },
};
