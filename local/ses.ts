/** SES v1/v2 on one machine: aws-ses-v2-local on loopback, with its inbox page (`/`) and `/store`. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sesLocal from 'aws-ses-v2-local';

export interface LocalSes {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;

export async function startSes(options: { port?: number } = {}): Promise<LocalSes> {
  const module = sesLocal as unknown as { default?: StartSes | { default?: StartSes } };
  const candidate = module.default;
  const start = typeof candidate === 'function' ? candidate : candidate?.default;
  if (typeof start !== 'function') throw new Error('aws-ses-v2-local did not export its server function');
  const server = await start({ host: '127.0.0.1', port: options.port ?? 0 });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
