import { defaultAuthKeyFile, isRole, loadOrCreateAuthKey, ROLES } from '#local/auth.ts';
import { signInTicket, SIGN_IN_TICKET_TTL_SECONDS } from '#local/oidc-tickets.ts';
import { defaultSeedFile, loadSeedFile, SeedFileError, type Seed } from '#local/seed-schema.ts';
import { parseCommandArgs, stringValues, usageError } from './args.ts';
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type Command } from './types.ts';

const OPTIONS = {
  org: { type: 'string' },
  role: { type: 'string' },
  user: { type: 'string' },
  'base-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const one = (value: Parameters<typeof stringValues>[0]): string | undefined => stringValues(value).at(-1);

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
    const parsed = parseCommandArgs(args, OPTIONS);
    if (!parsed.ok) {
      usageError(io, this, parsed.message);
      return EXIT_INVALID;
    }
    if (parsed.values['help'] === true) {
      io.stdout.write(`${this.usage}\n`);
      return EXIT_OK;
    }
    if (parsed.positionals.length > 0) {
      usageError(io, this, `unexpected ${parsed.positionals.map((p) => JSON.stringify(p)).join(' ')}`);
      return EXIT_INVALID;
    }
    const org = one(parsed.values['org']);
    const role = one(parsed.values['role']);
    if (org === undefined || org === '') {
      usageError(io, this, '--org CODE is required (see "s117 orgs")');
      return EXIT_INVALID;
    }
    if (role === undefined || !isRole(role)) {
      usageError(io, this, `--role is required: ${ROLES.join(', ')}`);
      return EXIT_INVALID;
    }
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
