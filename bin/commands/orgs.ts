import { defaultSeedFile, loadSeedFile, SeedFileError } from '#local/seed-schema.ts';
import { writeJson, beginCommand } from './args.ts';
import { EXIT_INVALID, EXIT_OK, type Command } from './types.ts';

const OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

export const orgsCommand: Command = {
  name: 'orgs',
  summary: 'The organisations of the local seed file (code, kind, name), as JSON',
  usage: `s117 orgs

Prints the organisations the local runtime knows, from the seed file (SEED_FILE, default
local/seed/demo-partnership.json), as JSON: [{ "code", "kind": "icb" | "la" | "nhs-england", "name" }].
Any of these codes can be given to "s117 token --org CODE". Needs no running "npm start".`,
  async run(args, ctx) {
    const { io } = ctx;
    const parsed = beginCommand(io, this, args, OPTIONS);
    if ('exit' in parsed) return parsed.exit;
    try {
      const seed = await loadSeedFile(defaultSeedFile());
      writeJson(
        io,
        seed.organisations.map(({ code, kind, name }) => ({ code, kind, name })),
      );
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof SeedFileError)) throw error;
      io.stderr.write(`s117 orgs: ${error.message}\n`);
      return EXIT_INVALID;
    }
  },
};
