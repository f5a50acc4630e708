/**
 * The finance workbook (XLSX, SpreadsheetML): a Rows sheet with the export columns, then one summary
 * sheet per payer. Written as a stream by a small hand-made writer rather than a library, so memory
 * stays flat and the bytes are reproducible: inline strings (no shared-string table to hold), no
 * document properties (no dates), and the fixed timestamps of ./zip.ts (docs/decisions.md, issue 16).
 *
 * What a finance team needs to work with it (issue 16, item 4):
 * - amounts are numbers (pounds with two decimals) in a pound format, negative amounts red;
 * - dates are Excel dates (serial days since 1899-12-30, the 1900 date system) in a dd/mm/yyyy format, and
 *   `generated_at` a date and time (UTC, as the CSV's instant);
 * - every sheet has column widths, a frozen header row, and print setup: A4 landscape, fitted to one page wide
 *   (as many pages tall as it takes), the header row repeated on every page, page numbers in the footer;
 * - the Rows sheet has an autofilter over its header and rows;
 * - each payer's summary sheet sums its rows by booked period with SUMPRODUCT formulas over the Rows sheet
 *   (exact comparisons, not SUMIFS criteria a spreadsheet might read as dates), each formula carrying its result
 *   computed here in whole pence, so the figures reconcile to the rows whether or not the reader recalculates.
 * Text is always an inline string, so text that looks like a formula is never one, and cells starting with a
 * formula character carry Excel's quotePrefix so editing them keeps them text.
 */
import { EXPORT_COLUMNS, type ExportColumn, type ExportRow } from '#domain/exports/rows.ts';
import { formatPence } from './csv.ts';
import { zip, type ZipEntry } from './zip.ts';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** Style indexes into styles.xml's cellXfs. */
export const STYLE = { plain: 0, money: 1, header: 2, quoted: 3, date: 4, dateTime: 5, moneyTotal: 6, decimal: 7 } as const;

/** Number formats (custom ids start at 164): pounds with pence, negatives red; UK dates; date and time. */
export const NUMBER_FORMATS = {
  money: '"£"#,##0.00;[Red]-"£"#,##0.00',
  date: 'dd/mm/yyyy',
  dateTime: 'dd/mm/yyyy hh:mm:ss',
} as const;

const styles = (): string =>
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  `<numFmts count="3"><numFmt numFmtId="164" formatCode="${escapeXml(NUMBER_FORMATS.money)}"/>` +
  `<numFmt numFmtId="165" formatCode="${NUMBER_FORMATS.date}"/><numFmt numFmtId="166" formatCode="${NUMBER_FORMATS.dateTime}"/></numFmts>` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>' +
  '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
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

const MS_PER_DAY = 86_400_000;
/** Days from Excel's day 0 (1899-12-30, the 1900 date system) to the Unix epoch. */
const EPOCH_SERIAL = 25_569;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** A calendar date as an Excel serial day ("2024-04-15" → 45397); null for text that is not one. */
export function excelDate(date: string): number | null {
  const m = LOCAL_DATE.exec(date);
  if (m === null) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  return back === date ? ms / MS_PER_DAY + EPOCH_SERIAL : null;
}

/** A UTC instant as an Excel serial date and time (its fraction the time of day); null for text that is not one. */
export function excelDateTime(instant: string): number | null {
  if (!INSTANT.test(instant)) return null;
  const ms = Date.parse(instant);
  return Number.isFinite(ms) && excelDate(instant.slice(0, 10)) !== null ? ms / MS_PER_DAY + EPOCH_SERIAL : null;
}

function dateCell(ref: string, text: string, kind: 'date' | 'instant'): string {
  const serial = kind === 'date' ? excelDate(text) : excelDateTime(text);
  return serial === null ? textCell(ref, text) : numberCell(ref, String(serial), kind === 'date' ? STYLE.date : STYLE.dateTime);
}

function rowCells(columns: readonly ExportColumn[], letters: readonly string[], r: number, row: ExportRow): string {
  let xml = `<row r="${r}">`;
  for (let i = 0; i < columns.length; i += 1) {
    const c = columns[i] as ExportColumn;
    const v = row[c.key];
    if (v === null || v === '') continue;
    const ref = `${letters[i] as string}${r}`;
    switch (c.kind) {
      case 'pence':
        xml += numberCell(ref, formatPence(v as number), STYLE.money);
        break;
      case 'basis-points':
        xml += numberCell(ref, formatPence(v as number), STYLE.decimal);
        break;
      case 'int':
      case 'decimal':
        xml += numberCell(ref, String(v));
        break;
      case 'flag':
        xml += textCell(ref, v === true ? 'Y' : 'N');
        break;
      case 'date':
      case 'instant':
        xml += dateCell(ref, String(v), c.kind);
        break;
      case 'text':
        xml += textCell(ref, String(v));
        break;
    }
  }
  return `${xml}</row>`;
}

const headerRow = (names: readonly string[]): string =>
  `<row r="1">${names.map((n, i) => textCell(`${columnLetter(i)}1`, n, STYLE.header)).join('')}</row>`;

/** Column widths (characters): wide enough for the header and the values a column of its kind holds. */
export function columnWidth(column: Pick<ExportColumn, 'name' | 'kind'>): number {
  const least = { text: 10, int: 8, pence: 14, 'basis-points': 10, decimal: 10, date: 12, instant: 20, flag: 8 }[column.kind];
  return Math.max(least, Math.min(28, column.name.length + 2));
}

/** A sheet's opening: fit to one page wide on print, the header row frozen, the column widths. */
const sheetOpen = (widths: readonly number[]): string =>
  `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
  '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' +
  '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
  `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols><sheetData>`;

/**
 * A sheet's close: the autofilter (Rows only), then print setup: A4 (paperSize 9) landscape, one page wide and as
 * many tall as it takes, the sheet's name and page numbers in the footer. The repeated header row is the
 * workbook's Print_Titles name.
 */
const sheetClose = (autoFilter: string | null): string =>
  '</sheetData>' +
  (autoFilter === null ? '' : `<autoFilter ref="${autoFilter}"/>`) +
  '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
  '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>' +
  '<headerFooter><oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N</oddFooter></headerFooter></worksheet>';

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

/** Where the summary formulas find their inputs on the Rows sheet (absent when the columns are not exported). */
interface RowsRanges {
  payer: string;
  month: string;
  adjustment: string;
  amount: string;
}

function rowsRanges(columns: readonly ExportColumn[], rowsSheet: string, lastRow: number): RowsRanges | null {
  const range = (key: keyof ExportRow): string | null => {
    const i = columns.findIndex((c) => c.key === key);
    return i < 0 ? null : `${rowsSheet}!$${columnLetter(i)}$2:$${columnLetter(i)}$${Math.max(2, lastRow)}`;
  };
  const [payer, month, adjustment, amount] = [
    range('payerOrgCode'),
    range('periodMonth'),
    range('isAdjustment'),
    range('payerShareAmount'),
  ];
  return payer === null || month === null || adjustment === null || amount === null ? null : { payer, month, adjustment, amount };
}

const formulaCell = (ref: string, formula: string | null, value: string, style: number = STYLE.plain): string =>
  formula === null
    ? numberCell(ref, value, style)
    : `<c r="${ref}"${style === 0 ? '' : ` s="${style}"`}><f>${escapeXml(formula)}</f><v>${value}</v></c>`;

function summarySheet(s: PayerSummary, ranges: RowsRanges | null): string {
  let xml = sheetOpen([16, 14, 8, 12, 8, 16, 18, 16]) + headerRow(SUMMARY_COLUMNS);
  let r = 1;
  let share = 0;
  let adjustment = 0;
  let rows = 0;
  const match = (row: number): string => (ranges === null ? '' : `(${ranges.payer}=$A${row})*(${ranges.month}=$D${row})`);
  for (const [month, p] of [...s.periods].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    r += 1;
    share += p.sharePence;
    adjustment += p.adjustmentPence;
    rows += p.rows;
    const f = (expression: string): string | null => (ranges === null ? null : expression);
    xml +=
      `<row r="${r}">${textCell(`A${r}`, s.payer)}${textCell(`B${r}`, p.financialYear)}${numberCell(`C${r}`, String(p.period))}${textCell(`D${r}`, month)}` +
      formulaCell(`E${r}`, f(`SUMPRODUCT(${match(r)})`), String(p.rows)) +
      formulaCell(
        `F${r}`,
        f(`SUMPRODUCT(${match(r)}*(${ranges?.adjustment}="N")*${ranges?.amount})`),
        formatPence(p.sharePence),
        STYLE.money,
      ) +
      formulaCell(
        `G${r}`,
        f(`SUMPRODUCT(${match(r)}*(${ranges?.adjustment}="Y")*${ranges?.amount})`),
        formatPence(p.adjustmentPence),
        STYLE.money,
      ) +
      formulaCell(`H${r}`, f(`F${r}+G${r}`), formatPence(p.sharePence + p.adjustmentPence), STYLE.money) +
      '</row>';
  }
  const last = r;
  r += 1;
  const sum = (col: string): string | null => (ranges === null ? null : `SUM(${col}2:${col}${last})`);
  xml +=
    `<row r="${r}">${textCell(`A${r}`, s.payer, STYLE.header)}${textCell(`B${r}`, 'TOTAL', STYLE.header)}${formulaCell(`E${r}`, sum('E'), String(rows))}` +
    `${formulaCell(`F${r}`, sum('F'), formatPence(share), STYLE.moneyTotal)}${formulaCell(`G${r}`, sum('G'), formatPence(adjustment), STYLE.moneyTotal)}` +
    `${formulaCell(`H${r}`, sum('H'), formatPence(share + adjustment), STYLE.moneyTotal)}</row>`;
  return xml + sheetClose(null);
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

/** A sheet name as a formula or defined name refers to it: always quoted, apostrophes doubled. */
const sheetRef = (name: string): string => `'${name.replaceAll("'", "''")}'`;

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
  const lastColumn = columnLetter(Math.max(0, columns.length - 1));
  let lastRow = 1;
  async function* rowsSheet(): AsyncGenerator<string> {
    let chunk = sheetOpen(columns.map(columnWidth)) + headerRow(columns.map((c) => c.name));
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
    lastRow = r;
    yield chunk + sheetClose(`A1:${lastColumn}${r}`);
  }
  function* entries(): Generator<ZipEntry> {
    yield { name: 'xl/worksheets/sheet1.xml', content: rowsSheet };
    const payers = [...summaries.values()].sort((a, b) => (a.payer < b.payer ? -1 : a.payer > b.payer ? 1 : 0));
    const taken = new Set<string>();
    const names = [sheetName('Rows', taken), ...payers.map((s) => sheetName(`Summary ${s.payer}`, taken))];
    const ranges = rowsRanges(columns, sheetRef(names[0] as string), lastRow);
    for (const [i, s] of payers.entries()) yield { name: `xl/worksheets/sheet${i + 2}.xml`, content: () => [summarySheet(s, ranges)] };
    // Defined names: the Rows sheet's filter range, and every sheet's header row repeated on each printed page.
    const definedNames =
      `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${escapeXml(sheetRef(names[0] as string))}!$A$1:$${lastColumn}$${lastRow}</definedName>` +
      names
        .map((n, i) => `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${escapeXml(sheetRef(n))}!$1:$1</definedName>`)
        .join('');
    yield {
      name: 'xl/workbook.xml',
      content: () => [
        `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${names.map((n, i) => `<sheet name="${escapeXml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets>` +
          `<definedNames>${definedNames}</definedNames></workbook>`,
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
    yield { name: 'xl/styles.xml', content: () => [styles()] };
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
