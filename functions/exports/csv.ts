/**
 * The finance CSV: the export columns in their fixed order, amounts as exact decimals of pence, ISO
 * dates, RFC 4180 quoting, and text cells defused against spreadsheet formula injection.
 *
 * Lines end in CRLF: RFC 4180 says so, Excel and the ledgers' bulk loaders (Oracle, ContrOCC
 * templates) expect it, and a fixed ending keeps the bytes identical whichever OS makes the file.
 */
import { EXPORT_COLUMNS, type ColumnKind, type ExportColumn, type ExportRow } from '#domain/exports/rows.ts';
import type { RechargeStatement } from '#domain/exports/recharges.ts';

export const CRLF = '\r\n';

/** Integer pence as an exact decimal of pounds: -1234 → "-12.34", 5 → "0.05". */
export function formatPence(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`pence must be a whole number, got ${pence}`);
  const abs = pence < 0 ? -pence : pence;
  const frac = abs % 100;
  return `${pence < 0 ? '-' : ''}${(abs - frac) / 100}.${frac < 10 ? '0' : ''}${frac}`;
}

/** Basis points as an exact percentage: 3333 → "33.33". */
export const formatBasisPoints = (bp: number): string => formatPence(bp);

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet will not run: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a
 * leading apostrophe (OWASP CSV injection). Only text columns pass through here: a negative amount
 * stays a number.
 */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled. */
export function quoteField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** One cell's text as the CSV writes it. */
export function formatCell(kind: ColumnKind, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  switch (kind) {
    case 'text':
      return quoteField(defuseFormula(String(value)));
    case 'pence':
    case 'basis-points':
      return formatPence(value as number);
    case 'int':
      return String(value as number);
    case 'flag':
      return value === true ? 'Y' : 'N';
    case 'decimal':
    case 'date':
    case 'instant':
      return quoteField(String(value));
  }
}

/** A text cell, defused and quoted, with the common case (nothing to do) checked by character code. */
function textCell(text: string): string {
  if (text.length === 0) return '';
  const c = text.charCodeAt(0);
  // = + - @ tab CR
  const safe = c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

type CellWriter = (row: ExportRow) => string;

function writerFor(c: ExportColumn): CellWriter {
  const key = c.key;
  switch (c.kind) {
    case 'text':
      return (row) => textCell(row[key] as string);
    case 'pence':
    case 'basis-points':
      return (row) => {
        const v = row[key] as number | null;
        return v === null ? '' : formatPence(v);
      };
    case 'int':
      return (row) => String(row[key] as number);
    case 'flag':
      return (row) => (row[key] === true ? 'Y' : 'N');
    case 'decimal':
    case 'date':
    case 'instant':
      return (row) => formatCell(c.kind, row[key]);
  }
}

/** Remembers the last value a column wrote: consecutive rows repeat most cells (batch, payer, line, refs). */
function memoised(write: CellWriter, key: keyof ExportRow): CellWriter {
  let last: unknown = Symbol('none');
  let text = '';
  return (row) => {
    const v = row[key];
    if (v !== last) {
      last = v;
      text = write(row);
    }
    return text;
  };
}

/** A function writing one CSV line (CRLF included) for the columns. */
export function lineWriter(columns: readonly ExportColumn[]): (row: ExportRow) => string {
  const writers = columns.map((c) => memoised(writerFor(c), c.key));
  const n = writers.length;
  return (row) => {
    let line = (writers[0] as CellWriter)(row);
    for (let i = 1; i < n; i += 1) line += `,${(writers[i] as CellWriter)(row)}`;
    return line + CRLF;
  };
}

export const csvHeader = (columns: readonly ExportColumn[] = EXPORT_COLUMNS): string => columns.map((c) => c.name).join(',') + CRLF;

/** The whole CSV as one string, for small exports and golden files. */
export function toFinanceCsv(rows: Iterable<ExportRow>, columns: readonly ExportColumn[] = EXPORT_COLUMNS): string {
  const line = lineWriter(columns);
  let out = csvHeader(columns);
  for (const row of rows) out += line(row);
  return out;
}

/** About 64 KiB per chunk: few enough writes to be fast, small enough to keep memory flat. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The CSV as a stream of chunks, reading rows as it goes: memory stays flat however many rows there
 * are. Byte-for-byte the same text as `toFinanceCsv`. A synchronous source is read without an await
 * per row.
 */
export async function* streamFinanceCsv(
  rows: AsyncIterable<ExportRow> | Iterable<ExportRow>,
  columns: readonly ExportColumn[] = EXPORT_COLUMNS,
): AsyncGenerator<string> {
  const line = lineWriter(columns);
  let chunk = csvHeader(columns);
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      chunk += line(row);
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
  } else {
    for await (const row of rows) {
      chunk += line(row);
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

export const RECHARGE_COLUMNS = [
  'body_a',
  'body_b',
  'service_period',
  'source',
  'from_org_code',
  'to_org_code',
  'amount',
  'entries',
] as const;

/**
 * Recharge statements as CSV: each pair's lines, then a NET line saying who owes whom (from the debtor
 * to the creditor, a positive amount; nothing when the pair is square).
 */
export function toRechargeCsv(statements: readonly RechargeStatement[]): string {
  let out = RECHARGE_COLUMNS.join(',') + CRLF;
  const text = (s: string): string => quoteField(defuseFormula(s));
  for (const s of statements) {
    for (const l of s.lines) {
      out +=
        [text(s.bodyA), text(s.bodyB), l.servicePeriod, l.source, text(l.from), text(l.to), formatPence(l.pence), String(l.entries)].join(
          ',',
        ) + CRLF;
    }
    const [from, to] = s.bOwesA >= 0 ? [s.bodyB, s.bodyA] : [s.bodyA, s.bodyB];
    out +=
      [
        text(s.bodyA),
        text(s.bodyB),
        '',
        'NET',
        s.bOwesA === 0 ? '' : text(from),
        s.bOwesA === 0 ? '' : text(to),
        formatPence(Math.abs(s.bOwesA)),
        String(s.lines.reduce((n, l) => n + l.entries, 0)),
      ].join(',') + CRLF;
  }
  return out;
}
