/**
 * A small streaming ZIP writer (PKWARE APPNOTE 6.3): each entry is deflated as it is read (raw deflate
 * from node:zlib), sizes and CRC-32 follow in a data descriptor, and the central directory closes the
 * file. Every timestamp is the fixed DOS date 1980-01-01 00:00 and nothing else varies, so the same
 * entries give a byte-identical file. No ZIP64: an archive over 4 GiB is refused.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';

export interface ZipEntry {
  /** The path inside the archive, forward slashes. */
  name: string;
  /** Read once, when the writer reaches the entry (so it may depend on entries written before it). */
  content: () => AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
}

/** 1980-01-01 00:00:00, the earliest DOS date: fixed so the bytes never depend on the clock. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** Bit 3: sizes and CRC in a data descriptor; bit 11: names are UTF-8. */
const FLAGS = 0x0008 | 0x0800;
const DEFLATE = 8;
const VERSION = 20;
const LIMIT = 0xffff_ffff;

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** The archive as a stream of buffers. */
export async function* zip(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>): AsyncGenerator<Buffer> {
  const written: Written[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const header = localHeader(name);
    yield header;
    const stats = { crc: 0, size: 0, compressed: 0 };
    for await (const chunk of deflated(entry.content(), stats)) yield chunk;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(stats.crc, 4);
    descriptor.writeUInt32LE(checked(stats.compressed), 8);
    descriptor.writeUInt32LE(checked(stats.size), 12);
    yield descriptor;
    written.push({ name, crc: stats.crc, compressed: stats.compressed, size: stats.size, offset });
    offset = checked(offset + header.length + stats.compressed + descriptor.length);
  }
  const directoryStart = offset;
  for (const w of written) {
    const h = centralHeader(w);
    offset += h.length;
    yield h;
  }
  yield endOfDirectory(written.length, checked(offset - directoryStart), directoryStart);
}

async function* deflated(
  content: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  stats: { crc: number; size: number; compressed: number },
): AsyncGenerator<Buffer> {
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const part of content) {
      const buf = typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
      if (buf.length === 0) continue;
      stats.crc = crc32(buf, stats.crc);
      stats.size += buf.length;
      yield buf;
    }
  }
  const deflate = createDeflateRaw({ level: 6 });
  const piping = pipeline(Readable.from(counted()), deflate);
  piping.catch(() => undefined);
  for await (const chunk of deflate as AsyncIterable<Buffer>) {
    stats.compressed += chunk.length;
    yield chunk;
  }
  await piping;
}

function localHeader(name: Buffer): Buffer {
  const b = Buffer.alloc(30 + name.length);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(VERSION, 4);
  b.writeUInt16LE(FLAGS, 6);
  b.writeUInt16LE(DEFLATE, 8);
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  // CRC-32 and sizes (14..25) stay zero: they follow in the data descriptor.
  b.writeUInt16LE(name.length, 26);
  b.writeUInt16LE(0, 28);
  name.copy(b, 30);
  return b;
}

function centralHeader(w: Written): Buffer {
  const b = Buffer.alloc(46 + w.name.length);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(VERSION, 4);
  b.writeUInt16LE(VERSION, 6);
  b.writeUInt16LE(FLAGS, 8);
  b.writeUInt16LE(DEFLATE, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(w.crc, 16);
  b.writeUInt32LE(w.compressed, 20);
  b.writeUInt32LE(w.size, 24);
  b.writeUInt16LE(w.name.length, 28);
  // Extra field, comment, disk number, internal and external attributes (30..41) stay zero.
  b.writeUInt32LE(w.offset, 42);
  w.name.copy(b, 46);
  return b;
}

function endOfDirectory(count: number, size: number, start: number): Buffer {
  if (count > 0xffff) throw new RangeError('a zip without ZIP64 holds at most 65,535 entries');
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(start, 16);
  return b;
}

function checked(n: number): number {
  if (n > LIMIT) throw new RangeError('the archive would exceed 4 GiB, which needs ZIP64');
  return n;
}
