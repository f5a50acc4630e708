/**
 * S3 on one machine: a small S3-compatible server on 127.0.0.1, path-style (`/<bucket>/<key>`), enough for the
 * exports: CreateBucket, HeadBucket, PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2 and multipart
 * uploads (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload). Objects persist
 * under `<dataDir>/s3/<bucket>/` (one `.data` file and one `.meta` JSON per object, the key URI-encoded into the
 * file name), or under a temporary folder removed at close when there is no data folder.
 *
 * Authentication: a request must carry SigV4 credentials, in an `Authorization` header or as a presigned URL's
 * `X-Amz-*` query parameters; anonymous requests get 403 (the bucket is private, as in AWS). Signatures are not
 * verified (there is one local key pair), but a presigned URL's expiry is: `X-Amz-Date` + `X-Amz-Expires` in the
 * past answers 403 AccessDenied "Request has expired", as S3 does. `aws-chunked` request bodies (the SDK's
 * streaming uploads with trailing checksums) are decoded.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-fs.ts';

export interface LocalS3Options {
  port?: number;
  /** Objects live under `<dataDir>/s3`; in a temporary folder (removed at close) when absent. */
  dataDir?: string;
  /** Buckets created at start (idempotent). */
  buckets?: readonly string[];
  /** The wall clock presigned URLs are checked against (epoch ms). */
  now?: () => number;
}

export interface LocalS3 {
  server: Server;
  port: number;
  url: string;
  root: string;
  close(): Promise<void>;
}

interface ObjectMeta {
  etag: string;
  size: number;
  contentType: string;
  contentDisposition?: string;
  lastModified: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const xmlEscape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** `20250301T090000Z` → epoch ms; NaN when malformed. */
function amzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (m === null) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** Decodes an `aws-chunked` body: `<hex size>[;ext]\r\n<data>\r\n` … `0\r\n<trailers>\r\n\r\n`. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) throw new S3Error(400, 'IncompleteBody', 'The aws-chunked body ended early.');
    const size = Number.parseInt(body.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0) throw new S3Error(400, 'InvalidRequest', 'A chunk size is malformed.');
    at = eol + 2;
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(at, at + size));
    at += size + 2;
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const sha = String(request.headers['x-amz-content-sha256'] ?? '');
  const encoding = String(request.headers['content-encoding'] ?? '');
  return sha.startsWith('STREAMING-') ||
    encoding
      .split(',')
      .map((e) => e.trim())
      .includes('aws-chunked')
    ? decodeAwsChunked(raw)
    : raw;
}

export async function startS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const temporary = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 's117-s3-')) : undefined;
  const root = temporary ?? join(options.dataDir as string, 's3');
  const uploads = join(root, '.uploads');
  if (options.dataDir !== undefined) ensurePrivateDir(options.dataDir);
  ensurePrivateDir(root);
  await mkdir(uploads, { recursive: true, mode: PRIVATE_DIR_MODE });
  const now = options.now ?? Date.now;

  const bucketDir = (bucket: string): string => join(root, bucket);
  const objectPath = (bucket: string, key: string): string => join(bucketDir(bucket), encodeURIComponent(key));
  const bucketExists = async (bucket: string): Promise<boolean> =>
    BUCKET_NAME.test(bucket) && (await stat(bucketDir(bucket)).catch(() => null))?.isDirectory() === true;
  const requireBucket = async (bucket: string): Promise<void> => {
    if (!(await bucketExists(bucket))) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
  };
  const readMeta = async (bucket: string, key: string): Promise<ObjectMeta | null> => {
    try {
      return JSON.parse(await readFile(`${objectPath(bucket, key)}.meta`, 'utf8')) as ObjectMeta;
    } catch {
      return null;
    }
  };
  /** Data first, then the meta file, each by rename: a reader sees the old object or the new one, never half. */
  const writeObject = async (
    bucket: string,
    key: string,
    data: Buffer,
    meta: Omit<ObjectMeta, 'size' | 'lastModified'>,
  ): Promise<ObjectMeta> => {
    const path = objectPath(bucket, key);
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, data, { mode: PRIVATE_FILE_MODE });
    await rename(tmp, `${path}.data`);
    const full: ObjectMeta = { ...meta, size: data.length, lastModified: new Date(now()).toUTCString() };
    await writeFile(`${tmp}m`, JSON.stringify(full), { mode: PRIVATE_FILE_MODE });
    await rename(`${tmp}m`, `${path}.meta`);
    return full;
  };

  for (const bucket of options.buckets ?? []) await mkdir(bucketDir(bucket), { recursive: true, mode: PRIVATE_DIR_MODE });

  function authorise(request: IncomingMessage, query: URLSearchParams): void {
    if (query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) {
      if (!query.has('X-Amz-Signature') || !query.has('X-Amz-Credential') || query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
        throw new S3Error(403, 'AccessDenied', 'The presigned URL is incomplete');
      }
      const signedAt = amzDate(query.get('X-Amz-Date') ?? '');
      const expires = Number(query.get('X-Amz-Expires') ?? '');
      if (!Number.isFinite(signedAt) || !Number.isInteger(expires) || expires < 1 || expires > 604_800) {
        throw new S3Error(403, 'AuthorizationQueryParametersError', 'X-Amz-Date and X-Amz-Expires must be given');
      }
      if (now() > signedAt + expires * 1000) throw new S3Error(403, 'AccessDenied', 'Request has expired');
      return;
    }
    if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '))
      throw new S3Error(403, 'AccessDenied', 'Access Denied');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const query = url.searchParams;
    const method = request.method ?? 'GET';
    const [bucketPart = '', ...keyParts] = url.pathname.slice(1).split('/');
    const bucket = decodeURIComponent(bucketPart);
    const key = keyParts.map((p) => decodeURIComponent(p)).join('/');
    authorise(request, query);
    if (bucket === '') throw new S3Error(400, 'InvalidRequest', 'This server serves path-style requests: /<bucket>/<key>');

    if (key === '') {
      if (method === 'PUT') {
        if (!BUCKET_NAME.test(bucket)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.');
        await mkdir(bucketDir(bucket), { recursive: true, mode: PRIVATE_DIR_MODE });
        response.writeHead(200, { location: `/${bucket}` }).end();
        return;
      }
      await requireBucket(bucket);
      if (method === 'HEAD') {
        response.writeHead(200).end();
        return;
      }
      if (method === 'GET' && query.get('list-type') === '2') {
        await listObjects(bucket, query, response);
        return;
      }
      throw new S3Error(501, 'NotImplemented', `${method} on a bucket is not supported here`);
    }

    await requireBucket(bucket);
    if (method === 'POST' && query.has('uploads')) {
      const uploadId = randomBytes(16).toString('hex');
      await mkdir(join(uploads, uploadId), { recursive: true, mode: PRIVATE_DIR_MODE });
      await writeFile(
        join(uploads, uploadId, 'upload.json'),
        JSON.stringify({
          bucket,
          key,
          contentType: request.headers['content-type'] ?? 'application/octet-stream',
          contentDisposition: request.headers['content-disposition'],
        }),
        { mode: PRIVATE_FILE_MODE },
      );
      sendXml(
        response,
        200,
        `<InitiateMultipartUploadResult xmlns="${S3_NS}"><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
      );
      return;
    }
    const uploadId = query.get('uploadId');
    if (uploadId !== null) {
      if (!/^[0-9a-f]{32}$/.test(uploadId) || (await stat(join(uploads, uploadId)).catch(() => null)) === null) {
        throw new S3Error(404, 'NoSuchUpload', 'The specified multipart upload does not exist.');
      }
      if (method === 'PUT') {
        const part = Number(query.get('partNumber'));
        if (!Number.isInteger(part) || part < 1 || part > 10_000)
          throw new S3Error(400, 'InvalidArgument', 'partNumber must be 1 to 10000');
        const data = await readBody(request);
        await writeFile(join(uploads, uploadId, `part-${String(part).padStart(5, '0')}`), data, { mode: PRIVATE_FILE_MODE });
        response.writeHead(200, { etag: `"${createHash('md5').update(data).digest('hex')}"` }).end();
        return;
      }
      if (method === 'POST') {
        await completeUpload(uploadId, bucket, key, (await readBody(request)).toString('utf8'), response);
        return;
      }
      if (method === 'DELETE') {
        await rm(join(uploads, uploadId), { recursive: true, force: true });
        response.writeHead(204).end();
        return;
      }
    }

    if (method === 'PUT') {
      if (request.headers['x-amz-copy-source'] !== undefined) throw new S3Error(501, 'NotImplemented', 'CopyObject is not supported here');
      const data = await readBody(request);
      const disposition = request.headers['content-disposition'];
      const meta = await writeObject(bucket, key, data, {
        etag: `"${createHash('md5').update(data).digest('hex')}"`,
        contentType: String(request.headers['content-type'] ?? 'application/octet-stream'),
        ...(disposition === undefined ? {} : { contentDisposition: String(disposition) }),
      });
      response.writeHead(200, { etag: meta.etag }).end();
      return;
    }
    if (method === 'DELETE') {
      await rm(`${objectPath(bucket, key)}.meta`, { force: true });
      await rm(`${objectPath(bucket, key)}.data`, { force: true });
      response.writeHead(204).end();
      return;
    }
    if (method === 'GET' || method === 'HEAD') {
      const meta = await readMeta(bucket, key);
      if (meta === null) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      const disposition = query.get('response-content-disposition') ?? meta.contentDisposition;
      const headers: Record<string, string> = {
        'content-type': query.get('response-content-type') ?? meta.contentType,
        'content-length': String(meta.size),
        etag: meta.etag,
        'last-modified': meta.lastModified,
        'accept-ranges': 'none',
        ...(disposition === undefined ? {} : { 'content-disposition': disposition }),
      };
      response.writeHead(200, headers);
      if (method === 'HEAD') {
        response.end();
        return;
      }
      const stream = createReadStream(`${objectPath(bucket, key)}.data`);
      stream.on('error', () => response.destroy());
      stream.pipe(response);
      return;
    }
    throw new S3Error(501, 'NotImplemented', `${method} is not supported here`);
  }

  async function listObjects(bucket: string, query: URLSearchParams, response: ServerResponse): Promise<void> {
    const prefix = query.get('prefix') ?? '';
    const maxKeys = Math.min(1000, Math.max(0, Number(query.get('max-keys') ?? '1000') || 1000));
    const after =
      query.get('continuation-token') === null
        ? (query.get('start-after') ?? '')
        : Buffer.from(query.get('continuation-token') ?? '', 'base64url').toString('utf8');
    const names = await readdir(bucketDir(bucket));
    const keys = names
      .filter((n) => n.endsWith('.meta'))
      .map((n) => decodeURIComponent(n.slice(0, -5)))
      .filter((k) => k.startsWith(prefix) && k > after)
      .sort();
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    let contents = '';
    for (const k of page) {
      const meta = await readMeta(bucket, k);
      if (meta === null) continue;
      contents += `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${new Date(meta.lastModified).toISOString()}</LastModified><ETag>${xmlEscape(meta.etag)}</ETag><Size>${meta.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    }
    const next = truncated
      ? `<NextContinuationToken>${Buffer.from(page.at(-1) ?? '', 'utf8').toString('base64url')}</NextContinuationToken>`
      : '';
    sendXml(
      response,
      200,
      `<ListBucketResult xmlns="${S3_NS}"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
    );
  }

  async function completeUpload(uploadId: string, bucket: string, key: string, body: string, response: ServerResponse): Promise<void> {
    const dir = join(uploads, uploadId);
    const upload = JSON.parse(await readFile(join(dir, 'upload.json'), 'utf8')) as {
      bucket: string;
      key: string;
      contentType: string;
      contentDisposition?: string;
    };
    if (upload.bucket !== bucket || upload.key !== key) throw new S3Error(400, 'InvalidRequest', 'The upload is for another object.');
    const numbers = [...body.matchAll(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/g)].map((m) => Number(m[1]));
    if (numbers.length === 0) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed.');
    const parts: Buffer[] = [];
    const md5s: Buffer[] = [];
    for (const [i, n] of numbers.entries()) {
      if (i > 0 && n <= (numbers[i - 1] as number))
        throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
      const data = await readFile(join(dir, `part-${String(n).padStart(5, '0')}`)).catch(() => null);
      if (data === null) throw new S3Error(400, 'InvalidPart', `Part ${n} was not uploaded.`);
      parts.push(data);
      md5s.push(createHash('md5').update(data).digest());
    }
    const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${parts.length}"`;
    await writeObject(bucket, key, Buffer.concat(parts), {
      etag,
      contentType: upload.contentType,
      ...(upload.contentDisposition === undefined ? {} : { contentDisposition: upload.contentDisposition }),
    });
    await rm(dir, { recursive: true, force: true });
    sendXml(
      response,
      200,
      `<CompleteMultipartUploadResult xmlns="${S3_NS}"><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
    );
  }

  function sendXml(response: ServerResponse, status: number, body: string): void {
    const data = Buffer.from(XML_HEAD + body, 'utf8');
    response.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(data.length) }).end(data);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const e = error instanceof S3Error ? error : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // Drain what the client still sends, so it reads the answer rather than a reset.
      request.resume();
      const body =
        request.method === 'HEAD'
          ? ''
          : `<Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message><RequestId>${randomBytes(8).toString('hex')}</RequestId></Error>`;
      if (body === '') response.writeHead(e.status).end();
      else sendXml(response, e.status, body);
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
    root,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
    },
  };
}
