/**
 * The exports' object store: S3 in AWS (the exports bucket), the local S3 stand-in under `npm start`
 * (AWS_ENDPOINT_URL_S3, path style), and an in-memory twin for unit tests. Writes stream: bodies are cut
 * into 8 MiB parts (one PutObject when the whole body is smaller), so memory stays flat however large the file.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Body, ObjectStore, StoredObject } from '#domain/exports/ports.ts';
import { presignerSdk, s3Sdk, type S3Client } from './sdk.ts';

export const PART_BYTES = 8 * 1024 * 1024;

/** The body as buffers, empty chunks dropped (the in-memory twin reads bodies the same way). */
export async function* buffers(body: Body): AsyncGenerator<Buffer> {
  if (typeof body === 'string') yield Buffer.from(body, 'utf8');
  else if (body instanceof Uint8Array) yield Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  else {
    for await (const chunk of body as AsyncIterable<string | Uint8Array>) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (b.length > 0) yield b;
    }
  }
}

/** Concatenates chunks into pieces of exactly `size` bytes (the last may be shorter). */
async function* pieces(body: Body, size: number, hash: { update(b: Buffer): void }): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const b of buffers(body)) {
    hash.update(b);
    held.push(b);
    heldBytes += b.length;
    while (heldBytes >= size) {
      const all = Buffer.concat(held);
      yield all.subarray(0, size);
      held = [all.subarray(size)];
      heldBytes = all.length - size;
    }
  }
  yield Buffer.concat(held);
}

const disposition = (filename: string): string => `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`;

export class S3ObjectStore implements ObjectStore {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async put(key: string, body: Body, options: { contentType: string; filename?: string }): Promise<StoredObject> {
    const hash = createHash('sha256');
    const meta = {
      Bucket: this.#bucket,
      Key: key,
      ContentType: options.contentType,
      ...(options.filename === undefined ? {} : { ContentDisposition: disposition(options.filename) }),
    };
    const source = pieces(body, PART_BYTES, hash)[Symbol.asyncIterator]();
    const first = await source.next();
    const firstPiece = first.done === true ? Buffer.alloc(0) : first.value;
    const second = firstPiece.length < PART_BYTES ? { done: true as const, value: undefined } : await source.next();
    if (second.done === true || second.value.length === 0) {
      await this.#s3.send(new (s3Sdk().PutObjectCommand)({ ...meta, Body: firstPiece }));
      return { bytes: firstPiece.length, sha256: hash.digest('hex') };
    }
    const created = await this.#s3.send(new (s3Sdk().CreateMultipartUploadCommand)(meta));
    const uploadId = created.UploadId;
    if (uploadId === undefined) throw new Error('S3 gave no upload id');
    try {
      const parts: { PartNumber: number; ETag: string }[] = [];
      let bytes = 0;
      const upload = async (data: Buffer): Promise<void> => {
        const n = parts.length + 1;
        const done = await this.#s3.send(
          new (s3Sdk().UploadPartCommand)({ Bucket: this.#bucket, Key: key, UploadId: uploadId, PartNumber: n, Body: data }),
        );
        parts.push({ PartNumber: n, ETag: done.ETag ?? '' });
        bytes += data.length;
      };
      await upload(firstPiece);
      await upload(second.value);
      for (let next = await source.next(); next.done !== true; next = await source.next()) {
        if (next.value.length > 0) await upload(next.value);
      }
      await this.#s3.send(
        new (s3Sdk().CompleteMultipartUploadCommand)({
          Bucket: this.#bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      return { bytes, sha256: hash.digest('hex') };
    } catch (error) {
      await this.#s3
        .send(new (s3Sdk().AbortMultipartUploadCommand)({ Bucket: this.#bucket, Key: key, UploadId: uploadId }))
        .catch(() => undefined);
      throw error;
    }
  }

  async stream(key: string): Promise<AsyncIterable<Buffer> | null> {
    try {
      const result = await this.#s3.send(new (s3Sdk().GetObjectCommand)({ Bucket: this.#bucket, Key: key }));
      return result.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async head(key: string): Promise<number | null> {
    try {
      return (await this.#s3.send(new (s3Sdk().HeadObjectCommand)({ Bucket: this.#bucket, Key: key }))).ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.#s3.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: this.#bucket, Key: key }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#s3.send(
        new (s3Sdk().ListObjectsV2Command)({
          Bucket: this.#bucket,
          Prefix: prefix,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys;
  }

  presignGet(key: string, options: { expiresInSeconds: number; filename: string }): Promise<string> {
    return presignerSdk().getSignedUrl(
      this.#s3,
      new (s3Sdk().GetObjectCommand)({ Bucket: this.#bucket, Key: key, ResponseContentDisposition: disposition(options.filename) }),
      { expiresIn: options.expiresInSeconds },
    );
  }
}

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}

/**
 * An S3 client for the exports: path-style addressing (the local stand-in serves `/<bucket>/<key>`; the real
 * service accepts it too), checksums only where S3 requires them. The endpoint comes from the SDK's own
 * configuration (AWS_ENDPOINT_URL_S3 locally).
 */
export function exportsS3Client(region?: string): S3Client {
  return new (s3Sdk().S3Client)({
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(region === undefined ? {} : { region }),
  });
}

/** An object's text, line by line (LF; a trailing CR is kept), without holding the whole object. */
export async function* lines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    rest += decoder.decode(chunk, { stream: true });
    let at = rest.indexOf('\n');
    let from = 0;
    while (at >= 0) {
      yield rest.slice(from, at);
      from = at + 1;
      at = rest.indexOf('\n', from);
    }
    rest = rest.slice(from);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest;
}

/** Reads a whole (small) object as text; null when absent. */
export async function readText(store: ObjectStore, key: string): Promise<string | null> {
  const s = await store.stream(key);
  if (s === null) return null;
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}
