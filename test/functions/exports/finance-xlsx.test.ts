import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columnLetter, excelDate, excelDateTime, NUMBER_FORMATS, sheetName, streamFinanceXlsx } from '#functions/exports/xlsx.ts';
import { zip } from '#functions/exports/zip.ts';
import { scenario } from './finance-scenario.ts';

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of stream) parts.push(b);
  return Buffer.concat(parts);
}

/** Reads a zip through its central directory with node:zlib, checking each entry's CRC-32 and size. */
function unzip(file: Buffer): Map<string, string> {
  const eocd = file.length - 22;
  expect(file.readUInt32LE(eocd)).toBe(0x06054b50);
  const count = file.readUInt16LE(eocd + 10);
  let p = file.readUInt32LE(eocd + 16);
  const out = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    expect(file.readUInt32LE(p)).toBe(0x02014b50);
    const method = file.readUInt16LE(p + 10);
    const crc = file.readUInt32LE(p + 16);
    const compressed = file.readUInt32LE(p + 20);
    const size = file.readUInt32LE(p + 24);
    const nameLength = file.readUInt16LE(p + 28);
    const offset = file.readUInt32LE(p + 42);
    const name = file.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    expect(file.readUInt32LE(offset)).toBe(0x04034b50);
    const start = offset + 30 + file.readUInt16LE(offset + 26) + file.readUInt16LE(offset + 28);
    expect(method).toBe(8);
    const data = inflateRawSync(file.subarray(start, start + compressed));
    expect([name, data.length, crc32(data)]).toStrictEqual([name, size, crc]);
    out.set(name, data.toString('utf8'));
    p += 46 + nameLength;
  }
  return out;
}

/** A small well-formedness check: one root, tags nest and close, attributes quoted, only known entities. */
function assertWellFormed(name: string, xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'), name).toBe(true);
  const body = xml.slice(xml.indexOf('?>') + 2);
  const stack: string[] = [];
  let roots = 0;
  const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    const [, close, tag, , selfClose, text, stray] = m;
    if (stray !== undefined) throw new Error(`${name}: stray < at ${m.index}`);
    if (text !== undefined) {
      expect(/&(?!(amp|lt|gt|quot|apos);)/.test(text), `${name}: bare & in ${text.slice(0, 40)}`).toBe(false);
      if (stack.length === 0) expect(text.trim(), `${name}: text outside the root`).toBe('');
      continue;
    }
    if (close === '/') expect(stack.pop(), `${name}: </${tag}>`).toBe(tag);
    else if (selfClose !== '/') {
      if (stack.length === 0) roots += 1;
      stack.push(tag as string);
    } else if (stack.length === 0) roots += 1;
  }
  expect([name, stack, roots]).toStrictEqual([name, [], 1]);
}

const cells = (sheet: string, row: number): string[] => {
  const r = new RegExp(`<row r="${row}">(.*?)</row>`).exec(sheet)?.[1] ?? '';
  return [
    ...r.matchAll(/<c r="([A-Z]+)\d+"[^>]*>(?:<is><t xml:space="preserve">([^<]*)<\/t><\/is>|(?:<f>[^<]*<\/f>)?<v>([^<]*)<\/v>)<\/c>/g),
  ].map((m) => `${m[1]}=${m[2] ?? m[3]}`);
};

const s = await scenario();
const file = await collect(streamFinanceXlsx(s.june));

describe('finance XLSX', () => {
  const parts = unzip(file);

  it('holds the workbook parts, a rows sheet and one summary sheet per payer, and no document properties', () => {
    expect([...parts.keys()].sort()).toStrictEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
      'xl/worksheets/sheet3.xml',
      'xl/worksheets/sheet4.xml',
    ]);
    expect([...(parts.get('xl/workbook.xml') ?? '').matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1])).toStrictEqual([
      'Rows',
      'Summary E10000030',
      'Summary QNQ',
      'Summary QXU',
    ]);
  });

  it('every part is well-formed XML', () => {
    for (const [name, xml] of parts) assertWellFormed(name, xml);
  });

  it('writes amounts as numbers and the formula-named provider as an inline string, never a formula', () => {
    const sheet = parts.get('xl/worksheets/sheet1.xml') ?? '';
    expect(sheet).not.toContain('<f>');
    expect(cells(sheet, 1).slice(0, 3)).toStrictEqual(['A=export_batch_id', 'B=generated_at', 'C=payer_org_code']);
    // Row 9 is the first adjustment: Surrey's April social-care line, corrected down by £80.
    expect(cells(sheet, 9)).toStrictEqual([
      `A=${s.juneBatch.id}`,
      'B=45463.45833333333',
      'C=E10000030',
      'E=2024/25',
      'F=3',
      'G=2024-06',
      'H=45397',
      'I=45412',
      'J=app_0001',
      'K=L2',
      'L==HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)',
      'M=social-care',
      'N=Y',
      'O=N',
      'P=week',
      'Q=2.2857',
      'R=315.00',
      'S=720.00',
      'T=BY_CATEGORY',
      'U=SURREY-S75-CAT@2',
      'V=100.00',
      'W=-80.00',
      'X=AGREED',
      'Y=ARR-0001-1',
      'AA=45379',
      'AB=Y',
      `AC=${s.april[0]?.exportBatchId}`,
      'AD=2024-04',
      'AE=COST_CHANGE',
      'AF=p_7f3a9c',
      'AG=0.00',
      'AJ=N',
    ]);
    expect(sheet).toContain(
      '<c r="L9" t="inlineStr" s="3"><is><t xml:space="preserve">=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)</t></is></c>',
    );
    expect(sheet).toContain('<c r="W9" s="1"><v>-80.00</v></c>');
    expect(sheet).toContain('<c r="H9" s="4"><v>45397</v></c>');
  });

  it('sums each payer by period on its summary sheet, adjustments apart', () => {
    const surrey = parts.get('xl/worksheets/sheet2.xml') ?? '';
    expect(cells(surrey, 2)).toStrictEqual(['A=E10000030', 'B=2024/25', 'C=3', 'D=2024-06', 'E=6', 'F=4757.14', 'G=-235.00', 'H=4522.14']);
    const heartlands = parts.get('xl/worksheets/sheet4.xml') ?? '';
    expect(cells(heartlands, 3)).toStrictEqual(['A=QXU', 'B=TOTAL', 'E=4', 'F=4178.57', 'G=-1080.00', 'H=3098.57']);
  });

  it('is byte-identical when written again from the same rows', async () => {
    expect((await collect(streamFinanceXlsx(s.june))).equals(file)).toBe(true);
  });

  it.skipIf(!hasUnzip())("passes Info-ZIP's integrity test", () => {
    const dir = mkdtempSync(join(tmpdir(), 's117-xlsx-'));
    try {
      writeFileSync(join(dir, 'batch.xlsx'), file);
      expect(execFileSync('unzip', ['-tq', join(dir, 'batch.xlsx')], { encoding: 'utf8' })).toContain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('finance XLSX read back by a spreadsheet library (exceljs): what a finance team sees', async () => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ExcelJS.Buffer);
  const rows = book.getWorksheet('Rows') as ExcelJS.Worksheet;
  const header = (rows.getRow(1).values as unknown[]).slice(1) as string[];
  const letter = (name: string): string => columnLetter(header.indexOf(name));
  const pence = (v: unknown): number => Math.round(Number(v) * 100);

  it('has dates as Excel dates in a UK date format, and generated_at as a date and time', () => {
    const from = rows.getCell(`${letter('service_from')}9`);
    expect([from.type, from.value, from.numFmt]).toStrictEqual([
      ExcelJS.ValueType.Date,
      new Date('2024-04-15T00:00:00.000Z'),
      'dd/mm/yyyy',
    ]);
    const decided = rows.getCell(`${letter('decision_date')}9`);
    expect([decided.value, decided.numFmt]).toStrictEqual([new Date('2024-03-28T00:00:00.000Z'), NUMBER_FORMATS.date]);
    const generated = rows.getCell(`${letter('generated_at')}9`);
    expect([generated.value, generated.numFmt]).toStrictEqual([new Date('2024-06-20T11:00:00.000Z'), 'dd/mm/yyyy hh:mm:ss']);
  });

  it('has money as numbers in a pound format (negatives red), and text that looks like a formula stays text', () => {
    const amount = rows.getCell(`${letter('payer_share_amount')}9`);
    expect([amount.type, amount.value, amount.numFmt]).toStrictEqual([ExcelJS.ValueType.Number, -80, '"£"#,##0.00;[Red]-"£"#,##0.00']);
    expect(rows.getCell(`${letter('gross_cost')}9`).numFmt).toBe(NUMBER_FORMATS.money);
    expect(rows.getCell(`${letter('unit_rate')}9`).value).toBe(315);
    const provider = rows.getCell(`${letter('provider')}9`);
    expect([provider.type, provider.value, provider.formula]).toStrictEqual([
      ExcelJS.ValueType.String,
      '=HYPERLINK("http://x","y")',
      undefined,
    ]);
  });

  it('sets column widths, freezes the header row and filters every column over every row', () => {
    expect(rows.getColumn(letter('generated_at')).width).toBe(20);
    expect(rows.getColumn(letter('service_from')).width).toBe(14);
    expect(rows.getColumn(letter('payer_share_amount')).width).toBe(20);
    expect(rows.views).toMatchObject([{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2' }]);
    expect(rows.autoFilter).toBe(`A1:${columnLetter(header.length - 1)}${rows.rowCount}`);
    expect(rows.rowCount).toBe(s.june.length + 1);
    expect(rows.getRow(1).font?.bold ?? rows.getCell('A1').font.bold).toBe(true);
  });

  it('prints every sheet landscape, one page wide, with the header row repeated on each page', () => {
    for (const sheet of book.worksheets) {
      expect(sheet.pageSetup, sheet.name).toMatchObject({
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        paperSize: 9,
        printTitlesRow: '1:1',
      });
      expect(sheet.views, sheet.name).toMatchObject([{ state: 'frozen', ySplit: 1 }]);
    }
  });

  it('has a summary sheet per payer whose formulas sum the Rows sheet and whose results reconcile to its pence', () => {
    const payers = [...new Set(s.june.map((r) => r.payerOrgCode))].sort();
    expect(book.worksheets.map((w) => w.name)).toStrictEqual(['Rows', ...payers.map((p) => `Summary ${p}`)]);
    const rowsRange = (name: string): string => `'Rows'!$${letter(name)}$2:$${letter(name)}$${rows.rowCount}`;
    for (const payer of payers) {
      const sheet = book.getWorksheet(`Summary ${payer}`) as ExcelJS.Worksheet;
      const mine = s.june.filter((r) => r.payerOrgCode === payer);
      const total = sheet.getRow(sheet.rowCount);
      expect(total.getCell(2).value).toBe('TOTAL');
      const result = (c: number): unknown => (total.getCell(c).value as ExcelJS.CellFormulaValue).result;
      // The totals are the rows' pence exactly, ordinary shares and adjustments apart.
      expect([result(5), pence(result(6)), pence(result(7)), pence(result(8))]).toStrictEqual([
        mine.length,
        mine.filter((r) => !r.isAdjustment).reduce((t, r) => t + r.payerShareAmount, 0),
        mine.filter((r) => r.isAdjustment).reduce((t, r) => t + r.payerShareAmount, 0),
        mine.reduce((t, r) => t + r.payerShareAmount, 0),
      ]);
      // And what Rows holds, read back, sums to the same: the sheet and the file agree.
      let fromSheet = 0;
      rows.eachRow((row, n) => {
        if (n > 1 && row.getCell(letter('payer_org_code')).value === payer)
          fromSheet += pence(row.getCell(letter('payer_share_amount')).value);
      });
      expect(pence(result(8))).toBe(fromSheet);
      const first = sheet.getRow(2);
      const match = `(${rowsRange('payer_org_code')}=$A2)*(${rowsRange('period_month')}=$D2)`;
      expect((first.getCell(6).value as ExcelJS.CellFormulaValue).formula).toBe(
        `SUMPRODUCT(${match}*(${rowsRange('is_adjustment')}="N")*${rowsRange('payer_share_amount')})`,
      );
      expect((total.getCell(8).value as ExcelJS.CellFormulaValue).formula).toBe(`SUM(H2:H${sheet.rowCount - 1})`);
      expect(total.getCell(8).numFmt).toBe(NUMBER_FORMATS.money);
    }
  });
});

describe('Excel serial dates', () => {
  it.each([
    ['1900-03-01', 61],
    ['2024-02-29', 45351],
    ['2024-04-15', 45397],
  ])('%s is day %i', (date, serial) => expect(excelDate(date)).toBe(serial));

  it('gives the time of day as the fraction, and refuses what is not a date', () => {
    expect(excelDateTime('2024-04-15T12:00:00.000Z')).toBe(45397.5);
    expect(excelDateTime('2024-04-15T18:00:00Z')).toBe(45397.75);
    expect([
      excelDate('2024-02-30'),
      excelDate('15/04/2024'),
      excelDateTime('2024-04-15T12:00:00+01:00'),
      excelDateTime('2024-13-01T00:00:00Z'),
    ]).toStrictEqual([null, null, null, null]);
  });
});

describe('zip writer', () => {
  it('stores fixed DOS timestamps, a data descriptor per entry and UTF-8 names', async () => {
    const archive = await collect(
      zip([
        { name: 'a.txt', content: () => ['hello ', 'world'] },
        { name: 'é.txt', content: () => [] },
      ]),
    );
    expect([archive.readUInt16LE(6), archive.readUInt16LE(10), archive.readUInt16LE(12)]).toStrictEqual([0x0808, 0, 0x21]);
    expect([...unzip(archive)]).toStrictEqual([
      ['a.txt', 'hello world'],
      ['é.txt', ''],
    ]);
  });
});

describe('sheet helpers', () => {
  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [31, 'AF'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('column %i is %s', (i, letters) => expect(columnLetter(i)).toBe(letters));

  it('makes sheet names Excel accepts, unique regardless of case', () => {
    const taken = new Set<string>();
    expect([sheetName('Summary A/B', taken), sheetName('summary a/b', taken), sheetName(`'${'x'.repeat(40)}`, taken)]).toStrictEqual([
      'Summary A_B',
      'summary a_b~2',
      'x'.repeat(31),
    ]);
  });
});

function hasUnzip(): boolean {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
