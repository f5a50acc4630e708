/**
 * The finance workbook (XLSX, SpreadsheetML): a Rows sheet with the export columns, then one summary
 * sheet per payer. Written as a stream by a small hand-made writer rather than a library, so memory
 * stays flat and the bytes are reproducible: inline strings (no shared-string table to hold), no
 * document properties (no dates), and the fixed timestamps of ./zip.ts.
 * Amounts are numbers (pounds with two decimals, number format #,##0.00); text is always an inline
 * string, so text that looks like a formula is never one, and cells starting with a formula character
 * carry Excel's quotePrefix so editing them keeps them text.
 */
import { EXPORT_COLUMNS, type ExportColumn, type ExportRow } from '#domain/exports/rows.ts';
import { formatPence } from './csv.ts';
import { zip, type ZipEntry } from './zip.ts';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** Style indexes into styles.xml's cellXfs. */
const STYLE = { plain: 0, money: 1, header: 2, quoted: 3 } as const;

const STYLES =
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

// XML 1.0 allows tab, LF, CR and U+0020 upwards (less surrogates handled by the encoder, U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const XML_SPECIAL = /[&<>"]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '\ufffd').replace(XML_SPECIAL, (c) => ENTITIES[c] ?? c);
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function textCell(ref: string, text: string, style: number = STYLE.plain): string {
  const s = style === STYLE.plain && FORMULA_START.test(text) ? STYLE.quoted : style;
  return `<c r="${ref}" t="inlineStr"${s === 0 ? '' : ` s="${s}"`}><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
}

const numberCell = (ref: string, value: string, style: number = STYLE.plain): string =>
  `<c r="${ref}"${style === 0 ? '' : ` s="${style}"`}><v>${value}</v></c>`;

function rowCells(columns: readonly ExportColumn[], letters: readonly string[], r: number, row: ExportRow): string {
  let xml = `<row r="${r}">`;
  for (let i = 0; i < columns.length; i += 1) {
    const c = columns[i] as ExportColumn;
    const v = row[c.key];
    if (v === null || v === '') continue;
    const ref = `${letters[i] as string}${r}`;
    switch (c.kind) {
      case 'pence':
      case 'basis-points':
        xml += numberCell(ref, formatPence(v as number), c.kind === 'pence' ? STYLE.money : STYLE.plain);
        break;
      case 'int':
      case 'decimal':
        xml += numberCell(ref, String(v));
        break;
      case 'flag':
        xml += textCell(ref, v === true ? 'Y' : 'N');
        break;
      case 'text':
      case 'date':
      case 'instant':
        xml += textCell(ref, String(v));
        break;
    }
  }
  return `${xml}</row>`;
}

const headerRow = (names: readonly string[]): string =>
  `<row r="1">${names.map((n, i) => textCell(`${columnLetter(i)}1`, n, STYLE.header)).join('')}</row>`;

const sheetOpen = (widths: readonly number[]): string =>
  `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
  '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
  `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols><sheetData>`;
const SHEET_CLOSE = '</sheetData></worksheet>';

/** Per payer, per booked period: ordinary shares and adjustments. */
export interface PayerSummary {
  payer: string;
  periods: Map<string, { financialYear: string; period: number; rows: number; sharePence: number; adjustmentPence: number }>;
}

export const SUMMARY_COLUMNS = [
  'payer_org_code',
  'financial_year',
  'period',
  'period_month',
  'rows',
  'share_amount',
  'adjustment_amount',
  'total_amount',
] as const;

function summarySheet(s: PayerSummary): string {
  let xml = sheetOpen([16, 14, 8, 12, 8, 16, 18, 16]) + headerRow(SUMMARY_COLUMNS);
  let r = 1;
  let share = 0;
  let adjustment = 0;
  let rows = 0;
  for (const [month, p] of [...s.periods].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    r += 1;
    share += p.sharePence;
    adjustment += p.adjustmentPence;
    rows += p.rows;
    xml +=
      `<row r="${r}">${textCell(`A${r}`, s.payer)}${textCell(`B${r}`, p.financialYear)}${numberCell(`C${r}`, String(p.period))}${textCell(`D${r}`, month)}` +
      `${numberCell(`E${r}`, String(p.rows))}${numberCell(`F${r}`, formatPence(p.sharePence), STYLE.money)}${numberCell(`G${r}`, formatPence(p.adjustmentPence), STYLE.money)}${numberCell(`H${r}`, formatPence(p.sharePence + p.adjustmentPence), STYLE.money)}</row>`;
  }
  r += 1;
  xml +=
    `<row r="${r}">${textCell(`A${r}`, s.payer, STYLE.header)}${textCell(`B${r}`, 'TOTAL', STYLE.header)}${numberCell(`E${r}`, String(rows))}` +
    `${numberCell(`F${r}`, formatPence(share), STYLE.money)}${numberCell(`G${r}`, formatPence(adjustment), STYLE.money)}${numberCell(`H${r}`, formatPence(share + adjustment), STYLE.money)}</row>`;
  return xml + SHEET_CLOSE;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ and no leading or trailing apostrophe. */
export function sheetName(text: string, taken: Set<string>): string {
  const base =
    text
      .replace(/[[\]:*?/\\]/g, '_')
      .replace(/^'+|'+$/g, '')
      .slice(0, 31) || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${base.slice(0, 31 - String(n).length - 1)}~${n}`;
  taken.add(name.toLowerCase());
  return name;
}

const ROWS_PER_CHUNK = 256;
const MAX_SHEET_ROWS = 1_048_576;

/**
 * The workbook as a stream of buffers. The rows sheet is written as the rows arrive while the
 * per-payer totals are gathered; the summary sheets, workbook and content types follow it in the
 * archive (a reader finds parts through the central directory, not their order).
 */
export function streamFinanceXlsx(
  rows: AsyncIterable<ExportRow> | Iterable<ExportRow>,
  columns: readonly ExportColumn[] = EXPORT_COLUMNS,
): AsyncGenerator<Buffer> {
  const summaries = new Map<string, PayerSummary>();
  const letters = columns.map((_, i) => columnLetter(i));
  async function* rowsSheet(): AsyncGenerator<string> {
    let chunk = sheetOpen(columns.map((c) => Math.max(10, Math.min(28, c.name.length + 2)))) + headerRow(columns.map((c) => c.name));
    let r = 1;
    for await (const row of rows) {
      r += 1;
      if (r > MAX_SHEET_ROWS) throw new RangeError('an XLSX sheet holds at most 1,048,576 rows; use the CSV');
      chunk += rowCells(columns, letters, r, row);
      let s = summaries.get(row.payerOrgCode);
      if (s === undefined) summaries.set(row.payerOrgCode, (s = { payer: row.payerOrgCode, periods: new Map() }));
      let p = s.periods.get(row.periodMonth);
      if (p === undefined)
        s.periods.set(
          row.periodMonth,
          (p = { financialYear: row.financialYear, period: row.period, rows: 0, sharePence: 0, adjustmentPence: 0 }),
        );
      p.rows += 1;
      if (row.isAdjustment) p.adjustmentPence += row.payerShareAmount;
      else p.sharePence += row.payerShareAmount;
      if (r % ROWS_PER_CHUNK === 0) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk + SHEET_CLOSE;
  }
  function* entries(): Generator<ZipEntry> {
    yield { name: 'xl/worksheets/sheet1.xml', content: rowsSheet };
    const payers = [...summaries.values()].sort((a, b) => (a.payer < b.payer ? -1 : a.payer > b.payer ? 1 : 0));
    for (const [i, s] of payers.entries()) yield { name: `xl/worksheets/sheet${i + 2}.xml`, content: () => [summarySheet(s)] };
    const taken = new Set<string>();
    const names = [sheetName('Rows', taken), ...payers.map((s) => sheetName(`Summary ${s.payer}`, taken))];
    yield {
      name: 'xl/workbook.xml',
      content: () => [
        `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${names.map((n, i) => `<sheet name="${escapeXml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
      ],
    };
    yield {
      name: 'xl/_rels/workbook.xml.rels',
      content: () => [
        `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          names
            .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
            .join('') +
          `<Relationship Id="rId${names.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
      ],
    };
    yield { name: 'xl/styles.xml', content: () => [STYLES] };
    yield {
      name: '_rels/.rels',
      content: () => [
        `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ],
    };
    yield {
      name: '[Content_Types].xml',
      content: () => [
        `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          names
            .map(
              (_, i) =>
                `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
            )
            .join('') +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
      ],
    };
  }
  return zip(entries());
}
