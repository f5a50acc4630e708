/** The in-memory twin of the S3 object store (functions/adapters/s3/object-store.ts). */
import { createHash } from 'node:crypto';
import type { Body, ObjectStore, StoredObject } from '#domain/exports/ports.ts';
import { buffers } from '../s3/object-store.ts';

/** The same semantics as S3, links of the form `memory://<key>?expires=<epoch s>`. */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, { data: Buffer; contentType: string }>();

  async put(key: string, body: Body, options: { contentType: string }): Promise<StoredObject> {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    for await (const b of buffers(body)) {
      hash.update(b);
      chunks.push(b);
    }
    const data = Buffer.concat(chunks);
    this.objects.set(key, { data, contentType: options.contentType });
    return { bytes: data.length, sha256: hash.digest('hex') };
  }

  async stream(key: string): Promise<AsyncIterable<Buffer> | null> {
    const o = this.objects.get(key);
    if (o === undefined) return null;
    const data = o.data;
    return (async function* () {
      for (let i = 0; i < data.length; i += 65_536) yield data.subarray(i, i + 65_536);
    })();
  }

  async head(key: string): Promise<number | null> {
    return this.objects.get(key)?.data.length ?? null;
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async presignGet(key: string, options: { expiresInSeconds: number }): Promise<string> {
    return `memory://${key}?expires=${Math.floor(Date.now() / 1000) + options.expiresInSeconds}`;
  }
}
