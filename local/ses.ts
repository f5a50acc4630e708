/**
 * SES v1/v2 on one machine: aws-ses-v2-local on a private loopback port, its inbox page (`/`) and `/store`, behind a
 * front server on the SES port that makes every call the SDK can send answer or be refused at once:
 *
 * - v1 (Query protocol, `POST /` with `Action=`): SendEmail and SendRawEmail go to aws-ses-v2-local once their
 *   addresses pass SES's checks; a missing Action answers `MissingAction`, any other action `NotImplemented`
 *   (aws-ses-v2-local never answered them: the request hung until the client gave up).
 * - v2 (REST JSON, `/v2/email/...`): the routes aws-ses-v2-local serves (send, bulk send, templates) go to it,
 *   sends once their addresses pass; GetAccount answers here (sending enabled, no sandbox, no quota enforced); any
 *   other answers `NotImplemented` at once, as JSON.
 * - Addresses: a malformed sender or recipient is refused as SES refuses it (v1 `InvalidParameterValue`, v2
 *   `BadRequestException`, "Missing final '@domain'" / "Illegal address"); with `verifiedIdentities`, a sender
 *   outside them is refused with `MessageRejected` "Email address is not verified", as SES does for an unverified
 *   identity. Conformance: test/local/conformance/ses.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sesLocal from 'aws-ses-v2-local';

export interface LocalSes {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface LocalSesOptions {
  port?: number;
  /** Addresses or domains SES would have verified; when given, any other sender is refused with MessageRejected. */
  verifiedIdentities?: readonly string[];
}

type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;

/** SES's largest message (v2, 40 MB) with room for base64 and the form encoding. */
const MAX_BODY = 60 * 1024 * 1024;
const V1_NS = 'http://ses.amazonaws.com/doc/2010-12-01/';
const V1_PROXIED = new Set(['SendEmail', 'SendRawEmail']);
const V2_PROXIED: readonly [string, RegExp][] = [
  ['POST', /^\/v2\/email\/outbound-emails$/],
  ['POST', /^\/v2\/email\/outbound-bulk-emails$/],
  ['GET', /^\/v2\/email\/templates$/],
  ['POST', /^\/v2\/email\/templates$/],
  ['GET', /^\/v2\/email\/templates\/[^/]+$/],
  ['PUT', /^\/v2\/email\/templates\/[^/]+$/],
  ['DELETE', /^\/v2\/email\/templates\/[^/]+$/],
  ['POST', /^\/v2\/email\/templates\/[^/]+\/render$/],
];

class SesError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;

/** The address in `addr@x` or `Name <addr@x>`, or the reason SES gives for refusing it. */
export function checkAddress(text: string): { address: string } | { problem: string } {
  const angle = /<([^<>]*)>\s*$/.exec(text);
  const address = (angle === null ? text : (angle[1] ?? '')).trim();
  const at = address.lastIndexOf('@');
  if (at < 0) return { problem: "Missing final '@domain'" };
  if (!LOCAL_PART.test(address.slice(0, at)) || !DOMAIN.test(address.slice(at + 1))) return { problem: `Illegal address` };
  return { address };
}

function headerFrom(raw: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const m = /^From:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head);
  return m?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim();
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new SesError(413, 'MessageRejected', 'Message length is more than 40 MB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startSes(options: LocalSesOptions = {}): Promise<LocalSes> {
  const module = sesLocal as unknown as { default?: StartSes | { default?: StartSes } };
  const candidate = module.default;
  const start = typeof candidate === 'function' ? candidate : candidate?.default;
  if (typeof start !== 'function') throw new Error('aws-ses-v2-local did not export its server function');
  const inner = await start({ host: '127.0.0.1', port: 0 });
  const innerPort = (inner.address() as AddressInfo).port;
  const verified = options.verifiedIdentities?.map((i) => i.toLowerCase());

  /** Checks a sender and its recipients; `v1` picks the protocol's error name for a malformed address. */
  const checkSend = (v1: boolean, from: string | undefined, recipients: readonly string[]): void => {
    const malformed = (text: string): SesError | undefined => {
      const checked = checkAddress(text);
      return 'problem' in checked ? new SesError(400, v1 ? 'InvalidParameterValue' : 'BadRequestException', checked.problem) : undefined;
    };
    if (from === undefined || from.trim() === '') {
      throw new SesError(400, v1 ? 'InvalidParameterValue' : 'BadRequestException', "Missing required header 'From'.");
    }
    const bad = malformed(from) ?? recipients.map(malformed).find((e) => e !== undefined);
    if (bad !== undefined) throw bad;
    const sender = (checkAddress(from) as { address: string }).address.toLowerCase();
    if (verified !== undefined && !verified.some((id) => id === sender || (!id.includes('@') && sender.endsWith(`@${id}`)))) {
      throw new SesError(
        400,
        'MessageRejected',
        `Email address is not verified. The following identities failed the check in region EU-WEST-2: ${sender}`,
      );
    }
  };

  const checkV1 = (form: URLSearchParams): void => {
    const action = form.get('Action') ?? '';
    const list = (prefix: string): string[] => [...form.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
    const recipients = [
      ...list('Destination.ToAddresses.member.'),
      ...list('Destination.CcAddresses.member.'),
      ...list('Destination.BccAddresses.member.'),
      ...list('Destinations.member.'),
      ...list('ReplyToAddresses.member.'),
    ];
    if (action === 'SendEmail') {
      checkSend(true, form.get('Source') ?? undefined, recipients);
    } else {
      const raw = Buffer.from(form.get('RawMessage.Data') ?? '', 'base64').toString('utf8');
      checkSend(true, form.get('Source') ?? headerFrom(raw), recipients);
    }
  };

  const checkV2 = (path: string, body: Buffer): void => {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      throw new SesError(400, 'BadRequestException', 'The request body is not valid JSON');
    }
    const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
    const destination = (d: unknown): string[] => {
      const o = (d ?? {}) as Record<string, unknown>;
      return [...strings(o['ToAddresses']), ...strings(o['CcAddresses']), ...strings(o['BccAddresses'])];
    };
    const from = typeof parsed['FromEmailAddress'] === 'string' ? parsed['FromEmailAddress'] : undefined;
    const replyTo = strings(parsed['ReplyToAddresses']);
    if (path.endsWith('/outbound-bulk-emails')) {
      const entries = Array.isArray(parsed['BulkEmailEntries']) ? (parsed['BulkEmailEntries'] as Record<string, unknown>[]) : [];
      checkSend(false, from, [...replyTo, ...entries.flatMap((e) => destination(e['Destination']))]);
      return;
    }
    const raw = ((parsed['Content'] as Record<string, unknown> | undefined)?.['Raw'] as Record<string, unknown> | undefined)?.['Data'];
    const rawFrom = typeof raw === 'string' ? headerFrom(Buffer.from(raw, 'base64').toString('utf8')) : undefined;
    checkSend(false, from ?? rawFrom, [...replyTo, ...destination(parsed['Destination'])]);
  };

  /**
   * Passes a request to aws-ses-v2-local. Its errors are `{message, detail}` JSON whatever the protocol, which the
   * SDK reads as an unnamed error; for v1 and v2 calls they are rewritten in the protocol's shape, named as SES
   * names them (400 InvalidParameterValue / BadRequestException, 404 NotFoundException), the detail as message.
   */
  const forward = (request: IncomingMessage, response: ServerResponse, body: Buffer, protocol?: 'v1' | 'v2'): Promise<void> =>
    new Promise((resolve, reject) => {
      const headers = { ...request.headers, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      const out = httpRequest({ host: '127.0.0.1', port: innerPort, method: request.method, path: request.url, headers }, (answer) => {
        const status = answer.statusCode ?? 502;
        if (protocol === undefined || status < 400) {
          response.writeHead(status, answer.headers);
          answer.pipe(response);
          answer.on('end', () => resolve());
          answer.on('error', reject);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () => {
          let parsed: { message?: unknown; detail?: unknown; type?: unknown } = {};
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof parsed;
          } catch {
            parsed = {};
          }
          const text = [parsed.detail, parsed.message].find((m): m is string => typeof m === 'string') ?? 'The request was refused';
          const message = text.replace(/^aws-ses-v2-local: /, '');
          const code =
            typeof parsed.type === 'string'
              ? parsed.type
              : status === 404
                ? 'NotFoundException'
                : protocol === 'v1'
                  ? 'InvalidParameterValue'
                  : 'BadRequestException';
          (protocol === 'v1' ? v1Error : v2Error)(response, new SesError(status, code, message));
          resolve();
        });
      });
      out.on('error', reject);
      out.end(body);
    });

  const v1Error = (response: ServerResponse, e: SesError): void => {
    const text = `<ErrorResponse xmlns="${V1_NS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${e.message.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] ?? c)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    response.writeHead(e.status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text) }).end(text);
  };
  const v2Error = (response: ServerResponse, e: SesError): void => {
    const text = JSON.stringify({ message: e.message });
    response
      .writeHead(e.status, { 'content-type': 'application/json', 'x-amzn-errortype': e.code, 'content-length': Buffer.byteLength(text) })
      .end(text);
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const method = request.method ?? 'GET';
    if (method === 'POST' && path === '/') {
      let body: Buffer;
      try {
        body = await readBody(request);
        const form = new URLSearchParams(body.toString('utf8'));
        const action = form.get('Action');
        if (request.headers.authorization === undefined)
          throw new SesError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
        if (action === null || action === '') throw new SesError(400, 'MissingAction', 'Missing Action');
        if (!V1_PROXIED.has(action)) {
          throw new SesError(
            501,
            'NotImplemented',
            `SES action '${action}' is not implemented by the local SES stand-in (local/README.md)`,
          );
        }
        checkV1(form);
      } catch (error) {
        if (!(error instanceof SesError)) throw error;
        request.resume();
        v1Error(response, error);
        return;
      }
      await forward(request, response, body, 'v1');
      return;
    }
    if (method === 'GET' && path === '/v2/email/account' && request.headers.authorization !== undefined) {
      // aws-ses-v2-local answers GetAccount only from an AWS_SES_ACCOUNT variable; the stand-in states what it does
      // instead: sending is on, no sandbox, and no quota is enforced (so none is reported).
      const text = JSON.stringify({
        DedicatedIpAutoWarmupEnabled: false,
        EnforcementStatus: 'HEALTHY',
        ProductionAccessEnabled: true,
        SendingEnabled: true,
      });
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
      return;
    }
    if (path.startsWith('/v2/')) {
      let body: Buffer;
      try {
        body = await readBody(request);
        if (!V2_PROXIED.some(([m, pattern]) => m === method && pattern.test(path))) {
          throw new SesError(501, 'NotImplemented', `${method} ${path} is not implemented by the local SES stand-in (local/README.md)`);
        }
        if (request.headers.authorization !== undefined && method === 'POST' && /\/outbound-(bulk-)?emails$/.test(path))
          checkV2(path, body);
      } catch (error) {
        if (!(error instanceof SesError)) throw error;
        request.resume();
        v2Error(response, error);
        return;
      }
      await forward(request, response, body, 'v2');
      return;
    }
    // The inbox page, /store, /clear-store and the rest of aws-ses-v2-local's own routes.
    await forward(request, response, await readBody(request));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (response.headersSent) response.destroy();
      else response.writeHead(502, { 'content-type': 'text/plain' }).end('The local SES stand-in failed to answer');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      inner.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => inner.close(() => resolve()));
    },
  };
}
