/**
 * The finance CSV: the export columns in their fixed order, amounts as exact decimals of pence, ISO
 * dates, RFC 4180 quoting, and text cells defused against spreadsheet formula injection.
 *
 * Lines end in CRLF: RFC 4180 says so, Excel and the ledgers' bulk loaders (Oracle, ContrOCC
 * templates) expect it, and a fixed ending keeps the bytes identical whichever OS makes the file.
 */
import { EXPORT_COLUMNS, type ColumnKind, type ExportColumn, type ExportRow } from '../../domain/exports/rows.ts';
import type { RechargeStatement } from '../../domain/exports/recharges.ts';

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
    case 'text': return quoteField(defuseFormula(String(value)));
    case 'pence':
    case 'basis-points': return formatPence(value as number);
    case 'int': return String(value as number);
    case 'flag': return value === true ? 'Y' : 'N';
    case 'decimal':
    case 'date':
    case 'instant': return quoteField(String(value));
  }
}

function lineOf(columns: readonly ExportColumn[], row: ExportRow): string {
  let line = '';
  for (let i = 0; i < columns.length; i += 1) {
    const c = columns[i] as ExportColumn;
    line += (i === 0 ? '' : ',') + formatCell(c.kind, row[c.key]);
  }
  return line + CRLF;
}

export const csvHeader = (columns: readonly ExportColumn[] = EXPORT_COLUMNS): string => columns.map((c) => c.name).join(',') + CRLF;

/** The whole CSV as one string, for small exports and golden files. */
export function toFinanceCsv(rows: Iterable<ExportRow>, columns: readonly ExportColumn[] = EXPORT_COLUMNS): string {
  let out = csvHeader(columns);
  for (const row of rows) out += lineOf(columns, row);
  return out;
}

/** About 64 KiB per chunk: few enough writes to be fast, small enough to keep memory flat. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The CSV as a stream of chunks, reading rows as it goes: memory stays flat however many rows there
 * are. Byte-for-byte the same text as `toFinanceCsv`.
 */
export async function* streamFinanceCsv(rows: AsyncIterable<ExportRow> | Iterable<ExportRow>, columns: readonly ExportColumn[] = EXPORT_COLUMNS): AsyncGenerator<string> {
  let chunk = csvHeader(columns);
  for await (const row of rows) {
    chunk += lineOf(columns, row);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

export const RECHARGE_COLUMNS = ['body_a', 'body_b', 'service_period', 'source', 'from_org_code', 'to_org_code', 'amount', 'entries'] as const;

/**
 * Recharge statements as CSV: each pair's lines, then a NET line saying who owes whom (from the debtor
 * to the creditor, a positive amount; nothing when the pair is square).
 */
export function toRechargeCsv(statements: readonly RechargeStatement[]): string {
  let out = RECHARGE_COLUMNS.join(',') + CRLF;
  const text = (s: string): string => quoteField(defuseFormula(s));
  for (const s of statements) {
    for (const l of s.lines) {
      out += [text(s.bodyA), text(s.bodyB), l.servicePeriod, l.source, text(l.from), text(l.to), formatPence(l.pence), String(l.entries)].join(',') + CRLF;
    }
    const [from, to] = s.bOwesA >= 0 ? [s.bodyB, s.bodyA] : [s.bodyA, s.bodyB];
    out += [text(s.bodyA), text(s.bodyB), '', 'NET', s.bOwesA === 0 ? '' : text(from), s.bOwesA === 0 ? '' : text(to), formatPence(Math.abs(s.bOwesA)), String(s.lines.reduce((n, l) => n + l.entries, 0))].join(',') + CRLF;
  }
  return out;
}
