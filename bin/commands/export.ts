import { writeFile } from 'node:fs/promises';
import { isPeriodKey } from '#domain/apportionment/periods.ts';
import { defaultAuthKeyFile, loadOrCreateAuthKey, signToken } from '#local/auth.ts';
import { defaultSeedFile, loadSeedFile, SeedFileError, type Seed } from '#local/seed-schema.ts';
import { usageError, beginCommand, one } from './args.ts';
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type Command } from './types.ts';

const OPTIONS = {
  period: { type: 'string' },
  format: { type: 'string' },
  partnership: { type: 'string' },
  org: { type: 'string' },
  out: { type: 'string' },
  async: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const POLL_MS = 500;
const POLL_LIMIT_MS = 15 * 60 * 1000;

/** The local API: S117_API_URL, else 127.0.0.1 on PORT (3000), as npm start serves it. */
export function localApiUrl(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const named = env['S117_API_URL'];
  if (named !== undefined && named !== '') return named.replace(/\/+$/, '');
  return `http://127.0.0.1:${env['PORT'] === undefined || env['PORT'] === '' ? '3000' : env['PORT']}`;
}

/** A finance user's organisation in the partnership: one with a finance user in the seed, ICBs first. */
function financeOrg(seed: Seed, partnershipId: string): string | undefined {
  const members = seed.partnerships.find((p) => p.id === partnershipId)?.members ?? [];
  const kind = (code: string): string => seed.organisations.find((o) => o.code === code)?.kind ?? '';
  const ordered = [...members].sort((a, b) => Number(kind(b) === 'icb') - Number(kind(a) === 'icb'));
  return ordered.find((code) => seed.users.some((u) => u.org === code && u.role === 'finance')) ?? ordered[0];
}

interface Problem {
  detail?: string;
  errors?: { field: string; message: string }[];
}

async function problemText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const p = JSON.parse(text) as Problem;
    return [p.detail ?? `HTTP ${response.status}`, ...(p.errors ?? []).map((e) => `  ${e.field}: ${e.message}`)].join('\n');
  } catch {
    return `HTTP ${response.status}`;
  }
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'A finance export (apportionment CSV or XLSX) from the local register',
  usage: `s117 export --period YYYY-MM [--format csv|xlsx] [--partnership ID] [--org CODE] [--out FILE] [--async]

Exports one financial period of a partnership's register, as finance teams load it: one row per
person, service line, payer and period, with adjustment rows for changes to periods already
exported. It asks the running local API (npm start; S117_API_URL, else http://127.0.0.1:PORT,
PORT defaulting to 3000) as a finance user of --org (default: an organisation of the partnership
with a finance user in the seed file), with a token signed by the local key (as "s117 token").
The partnership defaults to the first of the seed file (SEED_FILE). The same period over the same
data gives the stored file, byte for byte; a later change appears as adjustments in a new batch.
--async runs the export workflow (Step Functions, over partitions of the register) and downloads
the file from its link; larger registers use it anyway. The file goes to --out, else stdout; the
batch id is printed on stderr.`,
  async run(args, ctx) {
    const { io } = ctx;
    const parsed = beginCommand(io, this, args, OPTIONS);
    if ('exit' in parsed) return parsed.exit;
    const { values } = parsed;
    const period = one(parsed.values['period']);
    if (period === undefined || !isPeriodKey(period)) {
      usageError(io, this, '--period YYYY-MM (a calendar month) is required');
      return EXIT_INVALID;
    }
    const format = one(parsed.values['format']) ?? 'csv';
    if (format !== 'csv' && format !== 'xlsx') {
      usageError(io, this, `--format is csv or xlsx, not ${JSON.stringify(format)}`);
      return EXIT_INVALID;
    }

    let seed: Seed;
    try {
      seed = await loadSeedFile(defaultSeedFile());
    } catch (error) {
      if (!(error instanceof SeedFileError)) throw error;
      io.stderr.write(`s117 export: ${error.message}\n`);
      return EXIT_INVALID;
    }
    const partnershipId = one(parsed.values['partnership']) ?? seed.partnerships[0]?.id ?? '';
    if (!seed.partnerships.some((p) => p.id === partnershipId)) {
      io.stderr.write(
        `s117 export: unknown partnership ${JSON.stringify(partnershipId)}; the seed file has ${seed.partnerships.map((p) => p.id).join(', ')}.\n`,
      );
      return EXIT_INVALID;
    }
    const org = one(parsed.values['org']) ?? financeOrg(seed, partnershipId);
    if (org === undefined || !seed.organisations.some((o) => o.code === org)) {
      io.stderr.write(`s117 export: unknown organisation ${JSON.stringify(org ?? '')} (see "s117 orgs").\n`);
      return EXIT_INVALID;
    }
    const token = signToken(
      await loadOrCreateAuthKey(defaultAuthKeyFile()),
      { sub: `${org}-finance`.toLowerCase(), org, role: 'finance' },
      { ttlSeconds: 3600 },
    );
    const api = localApiUrl();
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      ...(parsed.values['async'] === true ? { prefer: 'respond-async' } : {}),
    };
    const query = new URLSearchParams({ period, format, partnership: partnershipId });

    let response: Response;
    try {
      response = await fetch(`${api}/v1/exports/apportionment?${query.toString()}`, { headers, redirect: 'manual' });
      if (response.status === 202) {
        const location = response.headers.get('location') ?? '';
        await response.body?.cancel();
        const deadline = Date.now() + POLL_LIMIT_MS;
        let status: { status: string; batchId?: string; downloadUrl?: string; error?: string };
        for (;;) {
          const poll = await fetch(`${api}${location}`, { headers });
          if (!poll.ok) {
            io.stderr.write(`s117 export: ${await problemText(poll)}\n`);
            return EXIT_INTERNAL;
          }
          status = (await poll.json()) as typeof status;
          if (status.status !== 'running') break;
          if (Date.now() > deadline) {
            io.stderr.write(`s117 export: the export ${location} is still running; ask again later.\n`);
            return EXIT_INTERNAL;
          }
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
        if (status.status !== 'succeeded' || status.downloadUrl === undefined) {
          io.stderr.write(`s117 export: the export failed (${status.error ?? 'no file'}).\n`);
          return EXIT_INTERNAL;
        }
        const batch = status.batchId ?? '';
        response = await fetch(status.downloadUrl);
        return await deliver(response, batch);
      }
      if (response.status === 303) {
        const batch = response.headers.get('x-s117-export-batch') ?? '';
        await response.body?.cancel();
        return await deliver(await fetch(response.headers.get('location') ?? ''), batch);
      }
      return await deliver(response, response.headers.get('x-s117-export-batch') ?? '');
    } catch (error) {
      if (error instanceof TypeError) {
        io.stderr.write(`s117 export: cannot reach the local API at ${api} (is "npm start" running?).\n`);
        return EXIT_INTERNAL;
      }
      throw error;
    }

    async function deliver(file: Response, batch: string): Promise<number> {
      if (!file.ok) {
        io.stderr.write(`s117 export: ${await problemText(file)}\n`);
        return file.status >= 400 && file.status < 500 ? EXIT_INVALID : EXIT_INTERNAL;
      }
      const bytes = Buffer.from(await file.arrayBuffer());
      const out = one(values['out']);
      if (out === undefined || out === '-') {
        await new Promise<void>((resolve, reject) => io.stdout.write(bytes, (e) => (e ? reject(e) : resolve())));
        io.stderr.write(`s117 export: batch ${batch} (${bytes.length} bytes)\n`);
      } else {
        await writeFile(out, bytes);
        io.stderr.write(`s117 export: batch ${batch} written to ${out} (${bytes.length} bytes)\n`);
      }
      return EXIT_OK;
    }
  },
};
