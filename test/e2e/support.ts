/** Drives the real local runtime (the app manifest on the stand-ins) as a client would: HTTP, tokens, polling. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import { appManifest } from '#lib/app-manifest.ts';
import type { TokenSubject } from '#local/auth.ts';
import { startRuntime, type RuntimeHandles, type RuntimeOptions } from '#local/runtime.ts';
import { loadSeedFile } from '#local/seed-schema.ts';
import { seedDirectory } from '#local/seed.ts';
import { eventually } from '../local/support.ts';

export interface App {
  runtime: RuntimeHandles;
  api: Api;
  stop(): Promise<void>;
}

/** The whole app on the local runtime, in a fresh data folder, seeded from the demo seed file. */
export async function startApp(name: string, options: Pick<RuntimeOptions, 'clock'> = {}): Promise<App> {
  const dataDir = mkdtempSync(join(tmpdir(), `s117-e2e-${name}-`));
  const runtime = await startRuntime({ manifest: appManifest, dataDir, ...options });
  await seedDirectory(documentClient(runtime.dynamodb.client), 'Register', await loadSeedFile());
  return {
    runtime,
    api: { url: runtime.api.url, token: (s) => runtime.auth.token(s) },
    stop: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A mail as the SES stand-in's store keeps it (the fields the tests read). */
export interface SentMail {
  destination: { to: string[] };
  subject: string;
}

/** Every mail the app has sent so far, from the SES stand-in's store, oldest first. */
export async function sentMails(runtime: RuntimeHandles): Promise<SentMail[]> {
  return ((await (await fetch(`${runtime.ses.url}/store`)).json()) as { emails: SentMail[] }).emails;
}

export interface Api {
  url: string;
  token(subject: TokenSubject): string;
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export async function call(
  api: Api,
  method: string,
  path: string,
  options: { as?: TokenSubject; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.as) headers['authorization'] = `Bearer ${api.token(options.as)}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: response.headers };
}

export const commissioner = (org: string): TokenSubject => ({ sub: `${org.toLowerCase()}-commissioner`, org, role: 'commissioner' });

/** Polls the application until `done` holds. */
export function applicationWhen(
  api: Api,
  id: string,
  as: TokenSubject,
  done: (app: Record<string, unknown>) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const reply = await call(api, 'GET', `/v1/applications/${id}`, { as });
      return reply.status === 200 && done(reply.body) ? reply.body : undefined;
    },
    what,
    timeoutMs,
  );
}

/** A realistic application: a person detained under s3 in Worcestershire, care wanted from 10 March 2025. */
export function applicationBody(overrides: { nhsNumber?: string; events?: unknown[]; factsId?: string } = {}): Record<string, unknown> {
  return {
    person: { nhsNumber: overrides.nhsNumber ?? '943 476 5919' },
    facts: {
      id: overrides.factsId ?? 'e2e-1',
      evaluationDate: '2025-03-01',
      events: overrides.events ?? [
        {
          type: 'residence',
          from: '2018-01-01',
          area: { country: 'england', la: 'E10000034', icb: 'QGH' },
          setting: 'own-home',
          basis: 'own-choice',
        },
        { type: 'gp-registration', from: '2018-01-01', icb: 'QGH' },
        { type: 'detention', from: '2025-01-10', section: '3', hospitalArea: { country: 'england', la: 'E06000030', icb: 'QOX' } },
      ],
    },
    carePlan: {
      serviceLines: [
        {
          description: 'Supported living',
          provider: 'Acme Care Ltd',
          category: 'accommodation',
          s117: true,
          weeklyCostPence: 125_000,
          startDate: '2025-03-10',
        },
        {
          description: 'Community psychiatric nursing',
          provider: 'Mental health trust',
          category: 'health',
          s117: true,
          weeklyCostPence: 30_000,
          startDate: '2025-03-10',
        },
      ],
    },
    requestedStartDate: '2025-03-10',
  };
}
