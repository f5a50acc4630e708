import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '#domain/exports/ports.ts';
import { MemoryObjectStore } from '#functions/adapters/memory/objects.ts';
import { S3ObjectStore, PART_BYTES, readText } from '#functions/adapters/s3/object-store.ts';
import { decodeAwsChunked, startS3, type LocalS3 } from '#local/s3.ts';
import { notOwnerOnly } from '../support/modes.ts';

let dataDir: string;
let s3: LocalS3;
let client: S3Client;
let clock = Date.parse('2025-06-01T09:00:00Z');

const clientFor = (endpoint: string): S3Client =>
  new S3Client({
    endpoint,
    region: 'eu-west-2',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's117-s3-test-'));
  s3 = await startS3({ dataDir, buckets: ['exports'], now: () => clock });
  client = clientFor(s3.url);
});

afterAll(async () => {
  client.destroy();
  await s3.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const text = async (body: unknown): Promise<string> => (body as { transformToString(): Promise<string> }).transformToString();

describe('the S3 stand-in through the AWS SDK', () => {
  it('keeps what it stores owner-only (folders 0700, files 0600) under a umask that allows more', async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'owner-only' }));
    await client.send(new PutObjectCommand({ Bucket: 'owner-only', Key: 'private/finance.csv', Body: 'x\r\n' }));
    const store = new S3ObjectStore(client, 'owner-only');
    await store.put('private/large.bin', Buffer.alloc(PART_BYTES + 1, 7), { contentType: 'application/octet-stream' });

    expect(process.umask() & 0o077).not.toBe(0o077);
    expect(notOwnerOnly(join(dataDir, 's3'))).toStrictEqual([]);
  });

  it('puts, heads, gets, lists (with a prefix and pages) and deletes objects', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'exports', Key: 'a/one.csv', Body: 'x,y\r\n1,2\r\n', ContentType: 'text/csv' }));
    await client.send(new PutObjectCommand({ Bucket: 'exports', Key: 'a/two.csv', Body: 'two' }));
    await client.send(new PutObjectCommand({ Bucket: 'exports', Key: 'b/three', Body: Buffer.from([0, 255, 1]) }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'exports', Key: 'a/one.csv' }));
    expect(got.ContentType).toBe('text/csv');
    expect(got.ETag).toBe(`"${createHash('md5').update('x,y\r\n1,2\r\n').digest('hex')}"`);
    expect(await text(got.Body)).toBe('x,y\r\n1,2\r\n');
    expect((await client.send(new HeadObjectCommand({ Bucket: 'exports', Key: 'b/three' }))).ContentLength).toBe(3);

    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'exports', Prefix: 'a/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toStrictEqual([
      ['a/one.csv', 10],
      ['a/two.csv', 3],
    ]);
    const page1 = await client.send(new ListObjectsV2Command({ Bucket: 'exports', MaxKeys: 2 }));
    expect(page1.Contents?.map((o) => o.Key)).toStrictEqual(['a/one.csv', 'a/two.csv']);
    expect(page1.IsTruncated).toBe(true);
    const page2 = await client.send(
      new ListObjectsV2Command({ Bucket: 'exports', MaxKeys: 2, ContinuationToken: page1.NextContinuationToken }),
    );
    expect(page2.Contents?.map((o) => o.Key)).toStrictEqual(['b/three']);
    expect(page2.IsTruncated).toBe(false);

    await client.send(new DeleteObjectCommand({ Bucket: 'exports', Key: 'a/two.csv' }));
    await expect(client.send(new GetObjectCommand({ Bucket: 'exports', Key: 'a/two.csv' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(client.send(new GetObjectCommand({ Bucket: 'nope', Key: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('serves a presigned GET until it expires, then answers 403 AccessDenied', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'exports', Key: 'links/file.csv', Body: 'a,b\r\n', ContentType: 'text/csv' }));
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: 'exports', Key: 'links/file.csv', ResponseContentDisposition: 'attachment; filename="file.csv"' }),
      { expiresIn: 60, signingDate: new Date(clock) },
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exports\/links\/file\.csv\?.*X-Amz-Signature=/);
    const fresh = await fetch(url);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('content-disposition')).toBe('attachment; filename="file.csv"');
    expect(await fresh.text()).toBe('a,b\r\n');

    clock += 61_000;
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
  });

  it('refuses anonymous requests (the bucket is private)', async () => {
    const anonymous = await fetch(`${s3.url}/exports/links/file.csv`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('keeps objects in the data folder across a restart, and creates buckets', async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'other-bucket' }));
    await client.send(new PutObjectCommand({ Bucket: 'other-bucket', Key: 'k', Body: 'kept' }));
    const again = await startS3({ dataDir });
    const other = clientFor(again.url);
    try {
      expect(await text((await other.send(new GetObjectCommand({ Bucket: 'other-bucket', Key: 'k' }))).Body)).toBe('kept');
    } finally {
      other.destroy();
      await again.close();
    }
  });

  it('decodes aws-chunked bodies', () => {
    expect(
      decodeAwsChunked(Buffer.from('5;chunk-signature=ab\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n')).toString(),
    ).toBe('hello world');
  });
});

describe.each([
  ['S3ObjectStore on the stand-in', (): ObjectStore => new S3ObjectStore(client, 'exports')],
  ['MemoryObjectStore', (): ObjectStore => new MemoryObjectStore()],
])('%s', (_, make) => {
  it('streams a large body up in parts and reads it back whole', async () => {
    const store = make();
    const line = `${'x'.repeat(1023)}\n`;
    const count = Math.ceil((PART_BYTES * 2 + 12_345) / line.length);
    const stored = await store.put(
      'big/file.txt',
      (function* () {
        for (let i = 0; i < count; i += 1) yield line;
      })(),
      { contentType: 'text/plain' },
    );
    expect(stored.bytes).toBe(count * 1024);
    expect(await store.head('big/file.txt')).toBe(count * 1024);
    const back = await readText(store, 'big/file.txt');
    expect(back?.length).toBe(count * 1024);
    expect(back?.slice(-3)).toBe('xx\n');
    expect(await store.list('big/')).toStrictEqual(['big/file.txt']);
    await store.delete('big/file.txt');
    expect(await store.head('big/file.txt')).toBeNull();
    expect(await store.stream('big/file.txt')).toBeNull();
  });
});
