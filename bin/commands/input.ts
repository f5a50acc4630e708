import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parseCaseFacts, type FieldIssue } from '#functions/shared/case-facts.schema.ts';
import type { CaseFacts } from '#domain/facts.ts';

/** At most this many problem lines are printed; a register with thousands of bad rows should not flood a terminal. */
export const MAX_REPORTED_PROBLEMS = 50;

export type InputResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** A validated input: one document, or an array of them in the order given. */
export interface CaseFactsInput {
  shape: 'single' | 'array';
  documents: CaseFacts[];
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function describeFsError(err: unknown): string {
  const code = err !== null && typeof err === 'object' && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return code === '' ? 'unreadable' : code;
  }
}

/** The text of FILE, or of stdin when FILE is `-`. */
export async function readText(file: string, stdin: Readable): Promise<InputResult<string>> {
  if (file === '-') return { ok: true, value: await readAll(stdin) };
  try {
    return { ok: true, value: await readFile(file, 'utf8') };
  } catch (err) {
    return { ok: false, problems: [`cannot read ${file}: ${describeFsError(err)}`] };
  }
}

export function inputName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/** Parses JSON text, reporting the parser's complaint (it gives a position, never the content). */
export function parseJson(text: string, file: string): InputResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message : 'unreadable';
    return { ok: false, problems: [`${inputName(file)} is not valid JSON: ${reason}`] };
  }
}

/** How a document is named in messages: its index in the array (if any) and its id (if it has one). */
export function documentLabel(raw: unknown, index: number | undefined): string {
  const where = index === undefined ? 'document' : `document at index ${index}`;
  const id = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>)['id'] : undefined;
  if (typeof id !== 'string' || id === '') return where;
  return `${where} (id ${JSON.stringify(id.length > 64 ? `${id.slice(0, 64)}…` : id)})`;
}

export function problemLine(label: string, issue: FieldIssue): string {
  return issue.path === '(document)' ? `${label}: ${issue.message}` : `${label}, field ${issue.path}: ${issue.message}`;
}

/** Caps a problem list, saying how many were left out. */
export function capProblems(problems: string[]): string[] {
  if (problems.length <= MAX_REPORTED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_REPORTED_PROBLEMS), `… and ${problems.length - MAX_REPORTED_PROBLEMS} more problems`];
}

/** Validates every document (schema, then calendar) before any is used, so bad input yields no output at all. */
export function validateCaseFacts(value: unknown): InputResult<CaseFactsInput> {
  const shape = Array.isArray(value) ? 'array' : 'single';
  const raws: unknown[] = Array.isArray(value) ? value : [value];
  const documents: CaseFacts[] = [];
  const problems: string[] = [];
  raws.forEach((raw, i) => {
    const parsed = parseCaseFacts(raw);
    if (parsed.ok) documents.push(parsed.facts);
    else {
      const label = documentLabel(raw, shape === 'array' ? i : undefined);
      for (const issue of parsed.issues) problems.push(problemLine(label, issue));
    }
  });
  return problems.length === 0 ? { ok: true, value: { shape, documents } } : { ok: false, problems: capProblems(problems) };
}

/** Reads FILE (or stdin), parses the JSON and validates every case-facts document in it. */
export async function loadCaseFacts(file: string, stdin: Readable): Promise<InputResult<CaseFactsInput>> {
  const text = await readText(file, stdin);
  if (!text.ok) return text;
  const json = parseJson(text.value, file);
  if (!json.ok) return json;
  return validateCaseFacts(json.value);
}
