/**
 * Conformance of the S3 stand-in (local/s3.ts) with S3, through the real `@aws-sdk/client-s3` and, where it is on
 * PATH, the AWS CLI. What S3 does that the stand-in knowingly does not copy (signatures, versioning, ACLs and
 * policies, CopyObject, ListParts, checksums returned on GET, consistency under concurrency from other machines)
 * is listed in local/README.md, "What the stand-ins do not copy".
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_PART_BYTES, parseRange, startS3, type LocalS3 } from '#local/s3.ts';

let s3: LocalS3;
let client: S3Client;
const Bucket = 'conformance';
const body = Buffer.from('0123456789abcdefghij'); // 20 bytes

beforeAll(async () => {
  s3 = await startS3({ buckets: [Bucket] });
  client = new S3Client({
    endpoint: s3.url,
    region: 'eu-west-2',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new PutObjectCommand({ Bucket, Key: 'digits', Body: body, ContentType: 'text/plain' }));
});

afterAll(async () => {
  client.destroy();
  await s3.close();
});

const bytes = async (b: unknown): Promise<Buffer> =>
  Buffer.from(await (b as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
const status = async (promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> => {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the request to be refused');
};
const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

describe('Range GETs', () => {
  it.each([
    ['bytes=0-4', '01234', 'bytes 0-4/20'],
    ['bytes=15-', 'fghij', 'bytes 15-19/20'],
    ['bytes=-3', 'hij', 'bytes 17-19/20'],
    ['bytes=18-400', 'ij', 'bytes 18-19/20'],
  ])('%s answers 206 with that slice and its Content-Range', async (Range, slice, contentRange) => {
    const got = await client.send(new GetObjectCommand({ Bucket, Key: 'digits', Range }));
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.ContentRange).toBe(contentRange);
    expect(got.ContentLength).toBe(slice.length);
    expect((await bytes(got.Body)).toString()).toBe(slice);
  });

  it('answers 416 InvalidRange for a range that starts past the end, on GET and HEAD', async () => {
    expect(await status(client.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=20-' })))).toStrictEqual({
      name: 'InvalidRange',
      status: 416,
    });
    expect((await status(client.send(new HeadObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=-0' })))).status).toBe(416);
  });

  it('serves the whole object for a header that is not one byte range, as S3 does', async () => {
    const got = await client.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=0-1,4-5' }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.AcceptRanges).toBe('bytes');
    expect((await bytes(got.Body)).equals(body)).toBe(true);
  });

  it('reads ranges as RFC 9110 does', () => {
    expect(parseRange(undefined, 10)).toBeUndefined();
    expect(parseRange('bytes=5-2', 10)).toBeUndefined();
    expect(parseRange('items=0-1', 10)).toBeUndefined();
    expect(parseRange('bytes=-20', 10)).toStrictEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
  });

  it('HEAD with a Range reports the slice length', async () => {
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=2-5' }));
    expect(head.ContentLength).toBe(4);
    expect(head.ContentRange).toBe('bytes 2-5/20');
  });
});

describe('conditional GET and HEAD', () => {
  const etag = `"${md5(body)}"`;
  const past = new Date('2000-01-01T00:00:00Z');
  const future = new Date(Date.now() + 86_400_000);

  it('If-None-Match with the current ETag answers 304; another ETag gets the object', async () => {
    expect((await status(client.send(new GetObjectCommand({ Bucket, Key: 'digits', IfNoneMatch: etag })))).status).toBe(304);
    expect((await status(client.send(new HeadObjectCommand({ Bucket, Key: 'digits', IfNoneMatch: etag })))).status).toBe(304);
    const got = await client.send(new GetObjectCommand({ Bucket, Key: 'digits', IfNoneMatch: '"other"' }));
    expect((await bytes(got.Body)).equals(body)).toBe(true);
  });

  it('If-Match with another ETag answers 412 PreconditionFailed; the current one (or *) gets the object', async () => {
    expect(await status(client.send(new GetObjectCommand({ Bucket, Key: 'digits', IfMatch: '"other"' })))).toStrictEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect((await status(client.send(new HeadObjectCommand({ Bucket, Key: 'digits', IfMatch: '"other"' })))).status).toBe(412);
    expect((await client.send(new GetObjectCommand({ Bucket, Key: 'digits', IfMatch: etag }))).ETag).toBe(etag);
    expect((await client.send(new HeadObjectCommand({ Bucket, Key: 'digits', IfMatch: '*' }))).ETag).toBe(etag);
  });

  it('If-Modified-Since after the last change answers 304; If-Unmodified-Since before it answers 412', async () => {
    expect((await status(client.send(new GetObjectCommand({ Bucket, Key: 'digits', IfModifiedSince: future })))).status).toBe(304);
    expect((await client.send(new GetObjectCommand({ Bucket, Key: 'digits', IfModifiedSince: past }))).ContentLength).toBe(20);
    expect((await status(client.send(new GetObjectCommand({ Bucket, Key: 'digits', IfUnmodifiedSince: past })))).status).toBe(412);
    expect((await client.send(new HeadObjectCommand({ Bucket, Key: 'digits', IfUnmodifiedSince: future }))).ContentLength).toBe(20);
  });

  it('follows S3 precedence: If-Match true wins over If-Unmodified-Since false; If-None-Match over If-Modified-Since', async () => {
    const got = await client.send(new GetObjectCommand({ Bucket, Key: 'digits', IfMatch: etag, IfUnmodifiedSince: past }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    const both = client.send(new GetObjectCommand({ Bucket, Key: 'digits', IfNoneMatch: etag, IfModifiedSince: past }));
    expect((await status(both)).status).toBe(304);
  });
});

describe('conditional PUT', () => {
  it('If-None-Match: * writes a new key and answers 412 when the key exists, leaving it unchanged', async () => {
    const Key = `create-only-${randomBytes(4).toString('hex')}`;
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'first', IfNoneMatch: '*' }));
    expect(await status(client.send(new PutObjectCommand({ Bucket, Key, Body: 'second', IfNoneMatch: '*' })))).toStrictEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect((await bytes((await client.send(new GetObjectCommand({ Bucket, Key }))).Body)).toString()).toBe('first');
  });

  it('only one of many concurrent If-None-Match: * writes of one key wins', async () => {
    const Key = `race-${randomBytes(4).toString('hex')}`;
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => client.send(new PutObjectCommand({ Bucket, Key, Body: `writer ${i}`, IfNoneMatch: '*' }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('If-Match writes only over the ETag given (412 otherwise, 404 NoSuchKey when there is no object)', async () => {
    const Key = `swap-${randomBytes(4).toString('hex')}`;
    const first = await client.send(new PutObjectCommand({ Bucket, Key, Body: 'v1' }));
    expect((await status(client.send(new PutObjectCommand({ Bucket, Key, Body: 'v2', IfMatch: '"nope"' })))).status).toBe(412);
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'v2', IfMatch: first.ETag }));
    expect((await bytes((await client.send(new GetObjectCommand({ Bucket, Key }))).Body)).toString()).toBe('v2');
    expect((await status(client.send(new PutObjectCommand({ Bucket, Key: `${Key}-absent`, Body: 'x', IfMatch: first.ETag })))).name).toBe(
      'NoSuchKey',
    );
  });

  it('refuses an If-None-Match other than * with 501 NotImplemented', async () => {
    expect((await status(client.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'x', IfNoneMatch: '"abc"' })))).status).toBe(501);
  });
});

describe('stored headers', () => {
  it('keeps user metadata and Cache-Control / Content-Language / Content-Encoding, and returns them on GET and HEAD', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket,
        Key: 'with-meta',
        Body: 'x',
        Metadata: { purpose: 'export' },
        CacheControl: 'no-store',
        ContentLanguage: 'en-GB',
        ContentEncoding: 'identity',
      }),
    );
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: 'with-meta' }));
    expect([head.Metadata, head.CacheControl, head.ContentLanguage, head.ContentEncoding]).toStrictEqual([
      { purpose: 'export' },
      'no-store',
      'en-GB',
      'identity',
    ]);
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'multi-meta', Metadata: { a: 'b' } }));
    const part = await client.send(new UploadPartCommand({ Bucket, Key: 'multi-meta', UploadId, PartNumber: 1, Body: 'y' }));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'multi-meta',
        UploadId,
        MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] },
      }),
    );
    expect((await client.send(new GetObjectCommand({ Bucket, Key: 'multi-meta' }))).Metadata).toStrictEqual({ a: 'b' });
  });
});

describe('object tagging', () => {
  it('puts, gets and deletes tags without touching the body', async () => {
    const Key = 'tagged';
    await client.send(new PutObjectCommand({ Bucket, Key, Body: body, Tagging: 'team=finance&year=2026' }));
    const tagged = await client.send(new GetObjectTaggingCommand({ Bucket, Key }));
    expect(tagged.TagSet).toStrictEqual([
      { Key: 'team', Value: 'finance' },
      { Key: 'year', Value: '2026' },
    ]);
    await client.send(new PutObjectTaggingCommand({ Bucket, Key, Tagging: { TagSet: [{ Key: 'a&b', Value: '<x>' }] } }));
    expect((await client.send(new GetObjectTaggingCommand({ Bucket, Key }))).TagSet).toStrictEqual([{ Key: 'a&b', Value: '<x>' }]);
    const got = await client.send(new GetObjectCommand({ Bucket, Key }));
    expect(got.TagCount).toBe(1);
    expect(got.ETag).toBe(`"${md5(body)}"`);
    expect((await bytes(got.Body)).equals(body)).toBe(true);

    await client.send(new DeleteObjectTaggingCommand({ Bucket, Key }));
    expect((await client.send(new GetObjectTaggingCommand({ Bucket, Key }))).TagSet).toStrictEqual([]);
    expect((await bytes((await client.send(new GetObjectCommand({ Bucket, Key }))).Body)).equals(body)).toBe(true);
  });

  it('refuses more than 10 tags, duplicate keys, and tagging a missing object', async () => {
    const TagSet = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await status(client.send(new PutObjectTaggingCommand({ Bucket, Key: 'digits', Tagging: { TagSet } })))).name).toBe(
      'BadRequest',
    );
    const dup = {
      TagSet: [
        { Key: 'k', Value: '1' },
        { Key: 'k', Value: '2' },
      ],
    };
    expect((await status(client.send(new PutObjectTaggingCommand({ Bucket, Key: 'digits', Tagging: dup })))).name).toBe('InvalidTag');
    expect((await status(client.send(new GetObjectTaggingCommand({ Bucket, Key: 'missing' })))).name).toBe('NoSuchKey');
  });

  it('answers 501 for a subresource it does not implement (?acl), and leaves the object alone', async () => {
    expect(await status(client.send(new PutObjectAclCommand({ Bucket, Key: 'digits', ACL: 'private' })))).toStrictEqual({
      name: 'NotImplemented',
      status: 501,
    });
    expect((await bytes((await client.send(new GetObjectCommand({ Bucket, Key: 'digits' }))).Body)).equals(body)).toBe(true);
  });
});

describe('multipart uploads', () => {
  const partOne = Buffer.alloc(MIN_PART_BYTES, 1);
  const partTwo = Buffer.from('tail');

  const upload = async (Key: string, parts: Buffer[]): Promise<{ UploadId: string; etags: string[] }> => {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'application/octet-stream' }));
    const etags: string[] = [];
    for (const [i, Body] of parts.entries()) {
      etags.push((await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }))).ETag ?? '');
    }
    return { UploadId: UploadId ?? '', etags };
  };
  const complete = (Key: string, UploadId: string, etags: string[], extra: { IfNoneMatch?: string } = {}) =>
    client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
        ...extra,
      }),
    );

  it('creates, uploads parts, completes with S3’s multipart ETag, and reads back the concatenation', async () => {
    const { UploadId, etags } = await upload('multi', [partOne, partTwo]);
    expect(etags).toStrictEqual([`"${md5(partOne)}"`, `"${md5(partTwo)}"`]);
    const done = await complete('multi', UploadId, etags);
    const expected = `"${createHash('md5')
      .update(Buffer.concat([createHash('md5').update(partOne).digest(), createHash('md5').update(partTwo).digest()]))
      .digest('hex')}-2"`;
    expect(done.ETag).toBe(expected);
    const got = await client.send(new GetObjectCommand({ Bucket, Key: 'multi', Range: `bytes=${MIN_PART_BYTES - 2}-` }));
    expect((await bytes(got.Body)).toString('hex')).toBe(Buffer.concat([Buffer.from([1, 1]), partTwo]).toString('hex'));
    expect((await client.send(new HeadObjectCommand({ Bucket, Key: 'multi' }))).ETag).toBe(expected);
  });

  it('refuses a part under 5 MiB that is not the last (EntityTooSmall) and a wrong part ETag (InvalidPart)', async () => {
    const small = await upload('too-small', [partTwo, partTwo]);
    expect((await status(complete('too-small', small.UploadId, small.etags))).name).toBe('EntityTooSmall');
    const wrong = await upload('wrong-etag', [partTwo]);
    expect((await status(complete('wrong-etag', wrong.UploadId, ['"0123"']))).name).toBe('InvalidPart');
  });

  it('honours If-None-Match: * on completion', async () => {
    const { UploadId, etags } = await upload('digits', [partTwo]);
    expect((await status(complete('digits', UploadId, etags, { IfNoneMatch: '*' }))).status).toBe(412);
  });

  it('aborts: the upload is gone (NoSuchUpload) and no object is made', async () => {
    const { UploadId } = await upload('aborted', [partTwo]);
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key: 'aborted', UploadId }));
    expect((await status(client.send(new UploadPartCommand({ Bucket, Key: 'aborted', UploadId, PartNumber: 2, Body: 'x' })))).name).toBe(
      'NoSuchUpload',
    );
    expect((await status(client.send(new HeadObjectCommand({ Bucket, Key: 'aborted' })))).status).toBe(404);
  });
});

describe('ListObjectsV2, ListBuckets, DeleteObjects', () => {
  const keys = ['tree/a.txt', 'tree/b/1.txt', 'tree/b/2.txt', 'tree/c/1.txt', 'tree/d.txt', 'tree/e/x/y.txt'];
  beforeAll(async () => {
    for (const Key of keys) await client.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
  });

  it('rolls keys up to CommonPrefixes at the delimiter, after the prefix', async () => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket, Prefix: 'tree/', Delimiter: '/' }));
    expect(listed.Contents?.map((o) => o.Key)).toStrictEqual(['tree/a.txt', 'tree/d.txt']);
    expect(listed.CommonPrefixes?.map((p) => p.Prefix)).toStrictEqual(['tree/b/', 'tree/c/', 'tree/e/']);
    expect(listed.KeyCount).toBe(5);
    expect(listed.Delimiter).toBe('/');
    const deeper = await client.send(new ListObjectsV2Command({ Bucket, Prefix: 'tree/e/', Delimiter: '/' }));
    expect(deeper.Contents).toBeUndefined();
    expect(deeper.CommonPrefixes?.map((p) => p.Prefix)).toStrictEqual(['tree/e/x/']);
  });

  it('pages through keys and prefixes alike with continuation tokens, each entry once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({ Bucket, Prefix: 'tree/', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }),
      );
      pages += 1;
      seen.push(...(page.Contents ?? []).map((o) => o.Key ?? ''), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''));
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    expect(pages).toBe(3);
    expect(seen.sort()).toStrictEqual(['tree/a.txt', 'tree/b/', 'tree/c/', 'tree/d.txt', 'tree/e/']);
  });

  it('honours StartAfter and refuses a continuation token it did not issue', async () => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket, Prefix: 'tree/', StartAfter: 'tree/c/1.txt' }));
    expect(listed.Contents?.map((o) => o.Key)).toStrictEqual(['tree/d.txt', 'tree/e/x/y.txt']);
    expect((await status(client.send(new ListObjectsV2Command({ Bucket, ContinuationToken: 'bogus' })))).name).toBe('InvalidArgument');
  });

  it('lists buckets and deletes several objects at once', async () => {
    expect((await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(Bucket);
    const deleted = await client.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'tree/a.txt' }, { Key: 'tree/d.txt' }] } }),
    );
    expect(deleted.Deleted?.map((d) => d.Key)).toStrictEqual(['tree/a.txt', 'tree/d.txt']);
    const left = await client.send(new ListObjectsV2Command({ Bucket, Prefix: 'tree/' }));
    expect(left.Contents?.map((o) => o.Key)).toStrictEqual(['tree/b/1.txt', 'tree/b/2.txt', 'tree/c/1.txt', 'tree/e/x/y.txt']);
  });
});

const run = promisify(execFile);
const awsCli = await run('aws', ['--version']).then(
  () => true,
  () => false,
);
if (!awsCli) console.log('Skipping the AWS CLI round trip: `aws` is not on PATH.');

describe.skipIf(!awsCli)('the AWS CLI against the stand-in', () => {
  it('aws s3 cp of a 20 MiB object round-trips byte for byte; tagging leaves it intact; ls rolls up prefixes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's117-s3-cli-'));
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'eu-west-2',
      AWS_CONFIG_FILE: join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    };
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', s3.url, ...args], { env, maxBuffer: 1 << 20 });
    try {
      const original = randomBytes(20 * 1024 * 1024);
      writeFileSync(join(dir, 'up.bin'), original);
      await aws('s3', 'cp', join(dir, 'up.bin'), `s3://${Bucket}/cli/big.bin`);
      await aws('s3api', 'put-object-tagging', '--bucket', Bucket, '--key', 'cli/big.bin', '--tagging', 'TagSet=[{Key=k,Value=v}]');
      await aws('s3', 'cp', `s3://${Bucket}/cli/big.bin`, join(dir, 'down.bin'));
      const back = readFileSync(join(dir, 'down.bin'));
      expect(back.length).toBe(original.length);
      expect(md5(back)).toBe(md5(original));
      const tags = JSON.parse((await aws('s3api', 'get-object-tagging', '--bucket', Bucket, '--key', 'cli/big.bin')).stdout) as unknown;
      expect(tags).toMatchObject({ TagSet: [{ Key: 'k', Value: 'v' }] });
      const ls = (await aws('s3', 'ls', `s3://${Bucket}/tree/`)).stdout;
      expect(ls).toMatch(/PRE b\//);
      expect(ls).toMatch(/PRE e\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
