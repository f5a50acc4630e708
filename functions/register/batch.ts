/**
 * A CSV batch from a Mental Health Act office: one case-facts event per row. Parsing (RFC 4180: quoted fields,
 * doubled quotes, CRLF or LF, an optional UTF-8 BOM) and the mapping of each row to an event, with every problem
 * reported by row number (the header is row 1), column and message.
 *
 * Columns (header names, any order; only nhs_number, event_type and date are required in the header):
 *   nhs_number           ten digits with a valid check digit (spaces allowed)
 *   event_type           residence | gp-registration | detention | detention-ended | left-hospital |
 *                        informal-admission | cto | recall | s17-leave | imprisonment
 *   date                 YYYY-MM-DD: the event's date (its start, for spans)
 *   end_date             YYYY-MM-DD: end of a span (informal-admission, cto, s17-leave, imprisonment)
 *   section              detention: 2, 3, 4, 5(2), 5(4), 35, 36, 37, 37/41, 38, 45A, 47, 47/49, 48, 48/49, 135, 136
 *   outcome              detention-ended: discharged | community-treatment-order | conditional-discharge |
 *                        remained-informal | returned-to-prison | died
 *   country              residence / gp-registration: england (default for residence) | wales | scotland | northern-ireland | outside-uk
 *   la, icb              residence: the area's council and ICB codes; gp-registration: icb (empty: not registered)
 *   setting, basis       residence: as case facts v1 (own-home ..., own-choice ...)
 *   hospital_la, hospital_icb   detention / informal-admission: the hospital's area (England)
 *   bed_commissioned_by  detention: icb | nhs-england
 *   recall_from          recall: cto | conditional-discharge
 *   cto_revoked          recall: true | false
 *   leave_kind           s17-leave: escorted-day | unescorted-day | overnight | extended-community | trial-placement
 * An empty cell is an absent value. Aftercare endings are not accepted in a batch (they need both bodies' decisions).
 */
import { MHA_SECTIONS, type CaseEvent } from '#domain/facts.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '#domain/applications/nhs-number.ts';
import { registerEventSchema } from './schemas.ts';

export const BATCH_COLUMNS = [
  'nhs_number',
  'event_type',
  'date',
  'end_date',
  'section',
  'outcome',
  'country',
  'la',
  'icb',
  'setting',
  'basis',
  'hospital_la',
  'hospital_icb',
  'bed_commissioned_by',
  'recall_from',
  'cto_revoked',
  'leave_kind',
] as const;
export type BatchColumn = (typeof BATCH_COLUMNS)[number];
const REQUIRED: readonly BatchColumn[] = ['nhs_number', 'event_type', 'date'];
export const MAX_BATCH_ROWS = 5000;

export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

export interface BatchRow {
  row: number;
  nhsNumber: string;
  event: CaseEvent;
}

export type ParsedBatch =
  { ok: true; rows: BatchRow[]; rejected: RowProblem[]; total: number } | { ok: false; problems: { field: string; message: string }[] };

/** RFC 4180 records; a quote left open is reported at the record it began in. */
export function parseCsv(text: string): { records: string[][]; error?: { row: number; message: string } } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let startRow = 1;
  const push = () => {
    record.push(field);
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') push();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      push();
      records.push(record);
      record = [];
      startRow = records.length + 1;
    } else field += c;
  }
  if (quoted) return { records, error: { row: startRow, message: 'a quoted field is never closed' } };
  if (field !== '' || record.length > 0) {
    push();
    records.push(record);
  }
  return { records };
}

/** Which column a field of the event came from, for row problems. */
function columnOf(type: string, path: readonly PropertyKey[]): string {
  const [first, second] = path.map(String);
  if (first === 'type') return 'event_type';
  if (first === 'from') return type === 'recall' ? 'recall_from' : 'date';
  if (first === 'date') return 'date';
  if (first === 'to') return 'end_date';
  if (first === 'area') return second ?? 'la';
  if (first === 'hospitalArea') return second === 'icb' ? 'hospital_icb' : 'hospital_la';
  if (first === 'bedCommissionedBy') return 'bed_commissioned_by';
  if (first === 'ctoRevoked') return 'cto_revoked';
  if (first === 'kind') return 'leave_kind';
  return first ?? 'event_type';
}

function eventFrom(cells: Partial<Record<BatchColumn, string>>): Record<string, unknown> {
  const v = (c: BatchColumn): string | undefined => (cells[c] === undefined || cells[c] === '' ? undefined : cells[c]);
  const type = v('event_type');
  const out: Record<string, unknown> = { type };
  const put = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  const hospital =
    v('hospital_la') === undefined && v('hospital_icb') === undefined
      ? undefined
      : {
          country: 'england',
          ...(v('hospital_la') === undefined ? {} : { la: v('hospital_la') }),
          ...(v('hospital_icb') === undefined ? {} : { icb: v('hospital_icb') }),
        };
  const bool = (s: string | undefined): unknown => (s === undefined ? undefined : s === 'true' ? true : s === 'false' ? false : s);
  switch (type) {
    case 'residence':
      put('from', v('date'));
      out['area'] = {
        country: v('country') ?? 'england',
        ...(v('la') === undefined ? {} : { la: v('la') }),
        ...(v('icb') === undefined ? {} : { icb: v('icb') }),
      };
      put('setting', v('setting'));
      put('basis', v('basis'));
      break;
    case 'gp-registration':
      put('from', v('date'));
      out['icb'] = v('icb') ?? null;
      put('country', v('country'));
      break;
    case 'detention':
      put('from', v('date'));
      put('section', v('section'));
      put('hospitalArea', hospital);
      put('bedCommissionedBy', v('bed_commissioned_by'));
      break;
    case 'detention-ended':
      put('date', v('date'));
      put('outcome', v('outcome'));
      break;
    case 'left-hospital':
      put('date', v('date'));
      break;
    case 'informal-admission':
      put('from', v('date'));
      put('to', v('end_date'));
      put('hospitalArea', hospital);
      break;
    case 'recall':
      put('date', v('date'));
      put('from', v('recall_from'));
      put('ctoRevoked', bool(v('cto_revoked')));
      break;
    case 's17-leave':
      put('from', v('date'));
      put('to', v('end_date'));
      put('kind', v('leave_kind'));
      break;
    case 'cto':
    case 'imprisonment':
      put('from', v('date'));
      put('to', v('end_date'));
      break;
    default:
      put('from', v('date'));
  }
  return out;
}

/** Parses a batch: whole-file problems (no header, unknown or missing columns, too many rows) refuse it; row problems reject the row. */
export function parseBatch(text: string): ParsedBatch {
  const { records, error } = parseCsv(text);
  if (error !== undefined) return { ok: false, problems: [{ field: `row ${error.row}`, message: error.message }] };
  const [header, ...data] = records;
  if (header === undefined || header.every((h) => h.trim() === ''))
    return {
      ok: false,
      problems: [{ field: 'header', message: `is required: the first row names the columns (${REQUIRED.join(', ')} at least)` }],
    };
  const names = header.map((h) => h.trim().toLowerCase());
  const problems: { field: string; message: string }[] = [];
  names.forEach((n, i) => {
    if (!(BATCH_COLUMNS as readonly string[]).includes(n))
      problems.push({ field: `header column ${i + 1}`, message: `${JSON.stringify(n)} is not a column; use ${BATCH_COLUMNS.join(', ')}` });
    else if (names.indexOf(n) !== i) problems.push({ field: `header column ${i + 1}`, message: `${n} is named twice` });
  });
  for (const r of REQUIRED) if (!names.includes(r)) problems.push({ field: 'header', message: `must name the column ${r}` });
  const rows = data.map((cells, i) => ({ row: i + 2, cells })).filter((r) => !(r.cells.length === 1 && r.cells[0]?.trim() === ''));
  if (rows.length > MAX_BATCH_ROWS)
    problems.push({ field: 'body', message: `holds ${rows.length} rows; send at most ${MAX_BATCH_ROWS} a batch` });
  if (problems.length > 0) return { ok: false, problems };

  const good: BatchRow[] = [];
  const rejected: RowProblem[] = [];
  for (const { row, cells } of rows) {
    if (cells.length !== names.length) {
      rejected.push({ row, field: '(row)', message: `has ${cells.length} cells; the header has ${names.length}` });
      continue;
    }
    const byName: Partial<Record<BatchColumn, string>> = {};
    names.forEach((n, i) => {
      byName[n as BatchColumn] = (cells[i] ?? '').trim();
    });
    const rowProblems: RowProblem[] = [];
    const nhs = byName.nhs_number ?? '';
    if (nhs === '') rowProblems.push({ row, field: 'nhs_number', message: 'is required' });
    else if (!isValidNhsNumber(nhs))
      rowProblems.push({ row, field: 'nhs_number', message: 'is not a valid NHS number (ten digits with a correct check digit)' });
    const candidate = eventFrom(byName);
    const parsed = registerEventSchema.safeParse(candidate, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = columnOf(String(candidate['type'] ?? ''), issue.path);
        const given = 'input' in issue && issue.input !== undefined;
        const message =
          issue.code === 'invalid_value'
            ? `${given ? `${JSON.stringify(String(issue.input))} is not allowed; ` : 'is required: '}use ${(column === 'section' ? MHA_SECTIONS : issue.values.map(String)).join(', ')}`
            : issue.code === 'invalid_union' && column === 'event_type'
              ? candidate['type'] === undefined
                ? 'is required'
                : `${JSON.stringify(String(candidate['type']))} is not an event type`
              : issue.code === 'invalid_type' && !given
                ? 'is required'
                : issue.message;
        if (!rowProblems.some((p) => p.field === column && p.message === message)) rowProblems.push({ row, field: column, message });
      }
    }
    if (rowProblems.length > 0 || !parsed.success) {
      rejected.push(...rowProblems);
      continue;
    }
    good.push({ row, nhsNumber: normaliseNhsNumber(nhs), event: parsed.data });
  }
  return { ok: true, rows: good, rejected, total: rows.length };
}
