/**
 * S3 on one machine: a small S3-compatible server on 127.0.0.1, path-style (`/<bucket>/<key>`). Operations:
 * ListBuckets, CreateBucket, HeadBucket, DeleteBucket (empty), GetBucketLocation, PutObject, GetObject,
 * HeadObject, DeleteObject, DeleteObjects, ListObjectsV2 (prefix, delimiter with CommonPrefixes, start-after,
 * continuation tokens, `encoding-type=url`), Put/Get/DeleteObjectTagging (and `x-amz-tagging` on uploads) and
 * multipart uploads (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload).
 * GET and HEAD honour a single `Range` (206 + Content-Range, 416 InvalidRange) and the conditional headers
 * (If-Match / If-Unmodified-Since → 412, If-None-Match / If-Modified-Since → 304); PUT and
 * CompleteMultipartUpload honour `If-None-Match: *` and `If-Match` (412 PreconditionFailed). Any other
 * subresource or operation (`?acl`, `?versioning`, CopyObject, ...) answers 501 NotImplemented instead of being
 * mistaken for a plain PUT or GET. Conformance: test/local/conformance/s3.test.ts.
 *
 * Objects persist under `<dataDir>/s3/<bucket>/` (one `.data` file and one `.meta` JSON per object, the key
 * URI-encoded into the file name), or under a temporary folder removed at close when there is no data folder.
 * Writes to one key are serialised in process, so a conditional write cannot race another write of the key.
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

type Tags = [string, string][];

interface ObjectMeta {
  etag: string;
  size: number;
  contentType: string;
  contentDisposition?: string;
  lastModified: string;
  tags?: Tags;
  /** User metadata (`x-amz-meta-*`) and the stored HTTP headers S3 returns with the object. */
  headers?: Record<string, string>;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** S3's minimum size of every part but the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_TAGS = 10;

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const xmlEscape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

const xmlUnescape = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return named[e.toLowerCase()] ?? '';
  });

/** The text of every `<name>…</name>` in `xml`, unescaped. */
const elements = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1] ?? '');

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

/**
 * One `Range` header against an object of `size` bytes, as S3 reads it: `bytes=a-b`, `bytes=a-` or `bytes=-n`.
 * Returns the inclusive byte span, `'unsatisfiable'` (416), or undefined when the header is absent or is not a
 * single well-formed byte range (S3 then serves the whole object, as it does for multiple ranges).
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  return { start, end: Math.min(end, size - 1) };
}

/** Whether an `If-Match`/`If-None-Match` value (`*` or a list of entity tags) matches `etag`. */
const etagMatches = (header: string, etag: string): boolean =>
  header.trim() === '*' ||
  header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || `"${t}"` === etag);

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const httpDate = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
};

const preconditionFailed = (condition: string): S3Error =>
  new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });

/** Validates a tag set as S3 does (at most 10, unique keys of 1-128 characters, values of at most 256). */
function checkTags(tags: Tags): Tags {
  if (tags.length > MAX_TAGS) throw new S3Error(400, 'BadRequest', 'Object tags cannot be greater than 10');
  const seen = new Set<string>();
  for (const [key, value] of tags) {
    if (key.length === 0 || [...key].length > 128) throw new S3Error(400, 'InvalidTag', 'The TagKey you have provided is invalid');
    if ([...value].length > 256) throw new S3Error(400, 'InvalidTag', 'The TagValue you have provided is invalid');
    if (seen.has(key)) throw new S3Error(400, 'InvalidTag', 'Cannot provide multiple Tags with the same key');
    seen.add(key);
  }
  return tags;
}

/** The `x-amz-tagging` header of PutObject/CreateMultipartUpload: a URL query string. */
const tagsFromHeader = (value: string | undefined): Tags | undefined =>
  value === undefined ? undefined : checkTags([...new URLSearchParams(value).entries()]);

function tagsFromXml(xml: string): Tags {
  if (!/<Tagging[\s>]/.test(xml) || !xml.includes('</Tagging>'))
    throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  return checkTags(
    elements(xml, 'Tag').map((tag) => {
      const key = elements(tag, 'Key')[0];
      if (key === undefined) throw new S3Error(400, 'MalformedXML', 'Every Tag needs a Key');
      return [xmlUnescape(key), xmlUnescape(elements(tag, 'Value')[0] ?? '')];
    }),
  );
}

const STORED_HEADERS = new Set(['cache-control', 'content-language', 'expires']);

/** The request headers S3 stores with an object and returns on GET/HEAD (Content-Encoding without `aws-chunked`). */
function storedHeaders(request: IncomingMessage): Record<string, string> | undefined {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    if (name.startsWith('x-amz-meta-') || STORED_HEADERS.has(name)) kept[name] = text;
  }
  const encoding = (header(request, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked');
  if (encoding.length > 0) kept['content-encoding'] = encoding.join(', ');
  if (Object.values(kept).reduce((n, v) => n + v.length, 0) > 2048)
    throw new S3Error(400, 'MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.');
  return Object.keys(kept).length === 0 ? undefined : kept;
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

/** Query parameters that never select an operation: signing, response overrides, the SDK's `x-id`. */
const ignoredParameter = (name: string): boolean => /^x-amz-/i.test(name) || name.startsWith('response-') || name === 'x-id';

const LIST_PARAMETERS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
]);

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
    if (!(await bucketExists(bucket)))
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
  };
  const readMeta = async (bucket: string, key: string): Promise<ObjectMeta | null> => {
    try {
      return JSON.parse(await readFile(`${objectPath(bucket, key)}.meta`, 'utf8')) as ObjectMeta;
    } catch {
      return null;
    }
  };
  const requireMeta = async (bucket: string, key: string): Promise<ObjectMeta> => {
    const meta = await readMeta(bucket, key);
    if (meta === null) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    return meta;
  };
  const writeMeta = async (path: string, meta: ObjectMeta): Promise<void> => {
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmpm`;
    await writeFile(tmp, JSON.stringify(meta), { mode: PRIVATE_FILE_MODE });
    await rename(tmp, `${path}.meta`);
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
    await writeMeta(path, full);
    return full;
  };

  /** One writer per key at a time, so a conditional write sees the state it then replaces. */
  const locks = new Map<string, Promise<unknown>>();
  const withKeyLock = async <T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> => {
    const id = `${bucket}/${key}`;
    const previous = locks.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    locks.set(id, settled);
    try {
      return await run;
    } finally {
      if (locks.get(id) === settled) locks.delete(id);
    }
  };

  /** `If-None-Match: *` and `If-Match` on PutObject / CompleteMultipartUpload (S3's conditional writes). */
  const checkWriteConditions = async (request: IncomingMessage, bucket: string, key: string): Promise<void> => {
    const noneMatch = header(request, 'if-none-match');
    const match = header(request, 'if-match');
    if (noneMatch === undefined && match === undefined) return;
    if (noneMatch !== undefined && noneMatch.trim() !== '*')
      throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', {
        Header: 'If-None-Match',
      });
    const meta = await readMeta(bucket, key);
    if (noneMatch !== undefined && meta !== null) throw preconditionFailed('If-None-Match');
    if (match !== undefined) {
      if (meta === null) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
      if (!etagMatches(match, meta.etag)) throw preconditionFailed('If-Match');
    }
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

  const notImplemented = (what: string): S3Error =>
    new S3Error(501, 'NotImplemented', `A header or query you provided implies functionality that is not implemented (${what})`);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const query = url.searchParams;
    const method = request.method ?? 'GET';
    const [bucketPart = '', ...keyParts] = url.pathname.slice(1).split('/');
    const bucket = decodeURIComponent(bucketPart);
    const key = keyParts.map((p) => decodeURIComponent(p)).join('/');
    authorise(request, query);
    const params = [...new Set(query.keys())].filter((name) => !ignoredParameter(name)).sort();
    const only = (...names: string[]): boolean => params.every((p) => names.includes(p)) && names.every((n) => params.includes(n));

    if (bucket === '') {
      if (method === 'GET' && params.length === 0) {
        await listBuckets(response);
        return;
      }
      throw new S3Error(400, 'InvalidRequest', 'This server serves path-style requests: /<bucket>/<key>');
    }

    if (key === '') {
      if (method === 'PUT' && only()) {
        if (!BUCKET_NAME.test(bucket))
          throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
        await mkdir(bucketDir(bucket), { recursive: true, mode: PRIVATE_DIR_MODE });
        response.writeHead(200, { location: `/${bucket}` }).end();
        return;
      }
      await requireBucket(bucket);
      if (method === 'HEAD' && only()) {
        response.writeHead(200, { 'x-amz-bucket-region': 'eu-west-2' }).end();
        return;
      }
      if (method === 'GET' && query.get('list-type') === '2' && params.every((p) => LIST_PARAMETERS.has(p))) {
        await listObjects(bucket, query, response);
        return;
      }
      if (method === 'GET' && only('location')) {
        sendXml(response, 200, `<LocationConstraint xmlns="${S3_NS}">eu-west-2</LocationConstraint>`);
        return;
      }
      if (method === 'POST' && only('delete')) {
        await deleteObjects(bucket, (await readBody(request)).toString('utf8'), response);
        return;
      }
      if (method === 'DELETE' && only()) {
        const names = await readdir(bucketDir(bucket));
        if (names.some((n) => n.endsWith('.meta')))
          throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: bucket });
        await rm(bucketDir(bucket), { recursive: true, force: true });
        response.writeHead(204).end();
        return;
      }
      throw notImplemented(`${method} /${bucket}${params.length === 0 ? '' : `?${params.join('&')}`}`);
    }

    await requireBucket(bucket);
    if (method === 'POST' && only('uploads')) {
      const uploadId = randomBytes(16).toString('hex');
      const tags = tagsFromHeader(header(request, 'x-amz-tagging'));
      await mkdir(join(uploads, uploadId), { recursive: true, mode: PRIVATE_DIR_MODE });
      await writeFile(
        join(uploads, uploadId, 'upload.json'),
        JSON.stringify({
          bucket,
          key,
          contentType: request.headers['content-type'] ?? 'application/octet-stream',
          contentDisposition: request.headers['content-disposition'],
          ...(tags === undefined ? {} : { tags }),
          headers: storedHeaders(request),
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
    if (uploadId !== null && (only('uploadId') || only('partNumber', 'uploadId'))) {
      if (!/^[0-9a-f]{32}$/.test(uploadId) || (await stat(join(uploads, uploadId)).catch(() => null)) === null) {
        throw new S3Error(404, 'NoSuchUpload', 'The specified multipart upload does not exist.', { UploadId: uploadId });
      }
      if (method === 'PUT' && query.has('partNumber')) {
        if (request.headers['x-amz-copy-source'] !== undefined) throw notImplemented('UploadPartCopy');
        const part = Number(query.get('partNumber'));
        if (!Number.isInteger(part) || part < 1 || part > 10_000)
          throw new S3Error(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', {
            ArgumentName: 'partNumber',
          });
        const data = await readBody(request);
        await writeFile(join(uploads, uploadId, `part-${String(part).padStart(5, '0')}`), data, { mode: PRIVATE_FILE_MODE });
        response.writeHead(200, { etag: `"${createHash('md5').update(data).digest('hex')}"` }).end();
        return;
      }
      if (method === 'POST' && only('uploadId')) {
        const body = (await readBody(request)).toString('utf8');
        await withKeyLock(bucket, key, async () => {
          await checkWriteConditions(request, bucket, key);
          await completeUpload(uploadId, bucket, key, body, response);
        });
        return;
      }
      if (method === 'DELETE' && only('uploadId')) {
        await rm(join(uploads, uploadId), { recursive: true, force: true });
        response.writeHead(204).end();
        return;
      }
      throw notImplemented(`${method} with uploadId (ListParts)`);
    }

    if (only('tagging')) {
      if (method === 'GET') {
        const meta = await requireMeta(bucket, key);
        const tags = (meta.tags ?? []).map(([k, v]) => `<Tag><Key>${xmlEscape(k)}</Key><Value>${xmlEscape(v)}</Value></Tag>`).join('');
        sendXml(response, 200, `<Tagging xmlns="${S3_NS}"><TagSet>${tags}</TagSet></Tagging>`);
        return;
      }
      if (method === 'PUT' || method === 'DELETE') {
        const tags = method === 'PUT' ? tagsFromXml((await readBody(request)).toString('utf8')) : [];
        await withKeyLock(bucket, key, async () => {
          const meta = await requireMeta(bucket, key);
          await writeMeta(objectPath(bucket, key), { ...meta, tags });
        });
        response.writeHead(method === 'PUT' ? 200 : 204).end();
        return;
      }
    }

    if (params.length > 0) throw notImplemented(`${method} ?${params.join('&')}`);

    if (method === 'PUT') {
      if (request.headers['x-amz-copy-source'] !== undefined) throw notImplemented('CopyObject');
      const data = await readBody(request);
      const disposition = request.headers['content-disposition'];
      const tags = tagsFromHeader(header(request, 'x-amz-tagging'));
      const kept = storedHeaders(request);
      const meta = await withKeyLock(bucket, key, async () => {
        await checkWriteConditions(request, bucket, key);
        return writeObject(bucket, key, data, {
          etag: `"${createHash('md5').update(data).digest('hex')}"`,
          contentType: String(request.headers['content-type'] ?? 'application/octet-stream'),
          ...(disposition === undefined ? {} : { contentDisposition: String(disposition) }),
          ...(tags === undefined ? {} : { tags }),
          ...(kept === undefined ? {} : { headers: kept }),
        });
      });
      response.writeHead(200, { etag: meta.etag }).end();
      return;
    }
    if (method === 'DELETE') {
      await withKeyLock(bucket, key, () => deleteObject(bucket, key));
      response.writeHead(204).end();
      return;
    }
    if (method === 'GET' || method === 'HEAD') {
      await getObject(request, response, method, bucket, key, query);
      return;
    }
    throw notImplemented(method);
  }

  async function deleteObject(bucket: string, key: string): Promise<void> {
    await rm(`${objectPath(bucket, key)}.meta`, { force: true });
    await rm(`${objectPath(bucket, key)}.data`, { force: true });
  }

  async function getObject(
    request: IncomingMessage,
    response: ServerResponse,
    method: 'GET' | 'HEAD',
    bucket: string,
    key: string,
    query: URLSearchParams,
  ): Promise<void> {
    const meta = await requireMeta(bucket, key);
    const modified = Date.parse(meta.lastModified);
    // RFC 9110 order, as S3 documents it: If-Match, else If-Unmodified-Since (412); If-None-Match, else If-Modified-Since (304).
    const match = header(request, 'if-match');
    if (match !== undefined) {
      if (!etagMatches(match, meta.etag)) throw preconditionFailed('If-Match');
    } else {
      const since = httpDate(header(request, 'if-unmodified-since'));
      if (since !== undefined && modified > since) throw preconditionFailed('If-Unmodified-Since');
    }
    const noneMatch = header(request, 'if-none-match');
    const notModified =
      noneMatch !== undefined
        ? etagMatches(noneMatch, meta.etag)
        : (() => {
            const since = httpDate(header(request, 'if-modified-since'));
            return since !== undefined && modified <= since;
          })();
    if (notModified) {
      response.writeHead(304, { etag: meta.etag, 'last-modified': meta.lastModified }).end();
      return;
    }
    const range = parseRange(header(request, 'range'), meta.size);
    if (range === 'unsatisfiable') {
      throw new S3Error(
        416,
        'InvalidRange',
        'The requested range is not satisfiable',
        { RangeRequested: header(request, 'range') ?? '', ActualObjectSize: String(meta.size) },
        { 'content-range': `bytes */${meta.size}` },
      );
    }
    const disposition = query.get('response-content-disposition') ?? meta.contentDisposition;
    const headers: Record<string, string> = {
      ...meta.headers,
      'content-type': query.get('response-content-type') ?? meta.contentType,
      'content-length': String(range === undefined ? meta.size : range.end - range.start + 1),
      etag: meta.etag,
      'last-modified': meta.lastModified,
      'accept-ranges': 'bytes',
      ...(range === undefined ? {} : { 'content-range': `bytes ${range.start}-${range.end}/${meta.size}` }),
      ...(disposition === undefined ? {} : { 'content-disposition': disposition }),
      ...((meta.tags ?? []).length === 0 ? {} : { 'x-amz-tagging-count': String(meta.tags?.length) }),
    };
    response.writeHead(range === undefined ? 200 : 206, headers);
    if (method === 'HEAD' || meta.size === 0) {
      response.end();
      return;
    }
    const stream = createReadStream(`${objectPath(bucket, key)}.data`, range ?? {});
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  }

  async function listBuckets(response: ServerResponse): Promise<void> {
    const names = (await readdir(root)).filter((n) => BUCKET_NAME.test(n)).sort();
    let buckets = '';
    for (const name of names) {
      const info = await stat(bucketDir(name)).catch(() => null);
      if (info?.isDirectory() !== true) continue;
      buckets += `<Bucket><Name>${xmlEscape(name)}</Name><CreationDate>${info.birthtime.toISOString()}</CreationDate></Bucket>`;
    }
    sendXml(
      response,
      200,
      `<ListAllMyBucketsResult xmlns="${S3_NS}"><Owner><ID>local</ID><DisplayName>local</DisplayName></Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
    );
  }

  async function deleteObjects(bucket: string, body: string, response: ServerResponse): Promise<void> {
    if (!body.includes('<Delete'))
      throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    const keys = elements(body, 'Object').map((o) => xmlUnescape(elements(o, 'Key')[0] ?? ''));
    if (keys.length === 0 || keys.length > 1000 || keys.includes(''))
      throw new S3Error(400, 'MalformedXML', 'Delete needs 1 to 1000 Objects, each with a Key');
    const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(body);
    let deleted = '';
    for (const key of keys) {
      await withKeyLock(bucket, key, () => deleteObject(bucket, key));
      if (!quiet) deleted += `<Deleted><Key>${xmlEscape(key)}</Key></Deleted>`;
    }
    sendXml(response, 200, `<DeleteResult xmlns="${S3_NS}">${deleted}</DeleteResult>`);
  }

  async function listObjects(bucket: string, query: URLSearchParams, response: ServerResponse): Promise<void> {
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const maxText = query.get('max-keys');
    const maxKeys = maxText === null ? 1000 : Number(maxText);
    if (!/^\d+$/.test(maxText ?? '0') || !Number.isSafeInteger(maxKeys))
      throw new S3Error(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys' });
    const limit = Math.min(1000, maxKeys);
    const encodeUrl = query.get('encoding-type') === 'url';
    const encodingType = query.get('encoding-type');
    if (encodingType !== null && encodingType !== 'url')
      throw new S3Error(400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type' });
    const token = query.get('continuation-token');
    let after = query.get('start-after') ?? '';
    if (token !== null) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (token === '' || !decoded.startsWith('k:'))
        throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
      after = decoded.slice(2);
    }
    const names = await readdir(bucketDir(bucket));
    const keys = names
      .filter((n) => n.endsWith('.meta'))
      .map((n) => decodeURIComponent(n.slice(0, -5)))
      .filter((k) => k.startsWith(prefix) && k > after)
      .sort();
    // Each key is itself, or rolled up into the common prefix up to the first delimiter after `prefix`.
    const entries: { key?: string; commonPrefix?: string }[] = [];
    let truncated = false;
    for (const k of keys) {
      const cut = delimiter === '' ? -1 : k.indexOf(delimiter, prefix.length);
      const common = cut < 0 ? undefined : k.slice(0, cut + delimiter.length);
      if (common !== undefined && (common <= after || entries.at(-1)?.commonPrefix === common)) continue;
      if (entries.length === limit) {
        truncated = true;
        break;
      }
      entries.push(common === undefined ? { key: k } : { commonPrefix: common });
    }
    const enc = (s: string): string => xmlEscape(encodeUrl ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
    let contents = '';
    let prefixes = '';
    for (const entry of entries) {
      if (entry.commonPrefix !== undefined) {
        prefixes += `<CommonPrefixes><Prefix>${enc(entry.commonPrefix)}</Prefix></CommonPrefixes>`;
        continue;
      }
      const meta = await readMeta(bucket, entry.key as string);
      if (meta === null) continue;
      contents += `<Contents><Key>${enc(entry.key as string)}</Key><LastModified>${new Date(meta.lastModified).toISOString()}</LastModified><ETag>${xmlEscape(meta.etag)}</ETag><Size>${meta.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    }
    // The token resumes after the last key or common prefix returned (a prefix sorts before every key it rolls up, so
    // resume after the prefix's own text: keys below it are skipped by the `common <= after` test above).
    const lastEntry = entries.at(-1);
    const resumeAfter = lastEntry?.commonPrefix ?? lastEntry?.key ?? '';
    const next = truncated
      ? `<NextContinuationToken>${Buffer.from(`k:${resumeAfter}`, 'utf8').toString('base64url')}</NextContinuationToken>`
      : '';
    const echo = [
      token === null ? '' : `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>`,
      query.has('start-after') ? `<StartAfter>${enc(query.get('start-after') ?? '')}</StartAfter>` : '',
      delimiter === '' ? '' : `<Delimiter>${enc(delimiter)}</Delimiter>`,
      encodeUrl ? '<EncodingType>url</EncodingType>' : '',
    ].join('');
    sendXml(
      response,
      200,
      `<ListBucketResult xmlns="${S3_NS}"><Name>${xmlEscape(bucket)}</Name><Prefix>${enc(prefix)}</Prefix>${echo}<KeyCount>${entries.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${prefixes}${next}</ListBucketResult>`,
    );
  }

  async function completeUpload(uploadId: string, bucket: string, key: string, body: string, response: ServerResponse): Promise<void> {
    const dir = join(uploads, uploadId);
    const upload = JSON.parse(await readFile(join(dir, 'upload.json'), 'utf8')) as {
      bucket: string;
      key: string;
      contentType: string;
      contentDisposition?: string;
      tags?: Tags;
      headers?: Record<string, string>;
    };
    if (upload.bucket !== bucket || upload.key !== key) throw new S3Error(400, 'InvalidRequest', 'The upload is for another object.');
    const listed = elements(body, 'Part').map((part) => ({
      number: Number(elements(part, 'PartNumber')[0]?.trim()),
      etag: xmlUnescape(elements(part, 'ETag')[0]?.trim() ?? ''),
    }));
    if (listed.length === 0 || listed.some((p) => !Number.isInteger(p.number)))
      throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    const parts: Buffer[] = [];
    const md5s: Buffer[] = [];
    for (const [i, { number, etag }] of listed.entries()) {
      if (i > 0 && number <= (listed[i - 1]?.number as number))
        throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
      const data = await readFile(join(dir, `part-${String(number).padStart(5, '0')}`)).catch(() => null);
      const md5 = data === null ? undefined : createHash('md5').update(data).digest();
      if (data === null || md5 === undefined || (etag !== '' && etag.replace(/"/g, '') !== md5.toString('hex')))
        throw new S3Error(
          400,
          'InvalidPart',
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          { PartNumber: String(number) },
        );
      if (i < listed.length - 1 && data.length < MIN_PART_BYTES)
        throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
          PartNumber: String(number),
          ProposedSize: String(data.length),
          MinSizeAllowed: String(MIN_PART_BYTES),
        });
      parts.push(data);
      md5s.push(md5);
    }
    const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${parts.length}"`;
    await writeObject(bucket, key, Buffer.concat(parts), {
      etag,
      contentType: upload.contentType,
      ...(upload.contentDisposition === undefined ? {} : { contentDisposition: upload.contentDisposition }),
      ...(upload.tags === undefined ? {} : { tags: upload.tags }),
      ...(upload.headers === undefined ? {} : { headers: upload.headers }),
    });
    await rm(dir, { recursive: true, force: true });
    sendXml(
      response,
      200,
      `<CompleteMultipartUploadResult xmlns="${S3_NS}"><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
    );
  }

  function sendXml(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    const data = Buffer.from(XML_HEAD + body, 'utf8');
    response.writeHead(status, { ...headers, 'content-type': 'application/xml', 'content-length': String(data.length) }).end(data);
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
      if (request.method === 'HEAD') {
        response.writeHead(e.status, e.headers).end();
        return;
      }
      const extra = Object.entries(e.extra)
        .map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`)
        .join('');
      sendXml(
        response,
        e.status,
        `<Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message>${extra}<RequestId>${randomBytes(8).toString('hex')}</RequestId></Error>`,
        e.headers,
      );
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
