/**
 * Edge validation for case facts v1. `caseFactsSchema` accepts exactly what
 * contracts/case-facts.schema.json accepts (the repository's compatible extension of ../shared's) (test/functions/case-facts.schema.test.ts runs both
 * over the same documents), and is tied to the domain types so that drift is a compile error.
 *
 * The JSON Schema checks the shape of dates, not whether they exist, so neither does the zod schema;
 * `checkCaseFactsSemantics` holds the further checks the CLI and the API also refuse on.
 */
import * as z from 'zod';
import type {
  AftercareEndedEvent,
  AftercareReinstatedEvent,
  AftercareServiceEvent,
  Area,
  ChildStatusEvent,
  CaseEvent,
  CaseFacts,
  CtoEvent,
  DetentionEndedEvent,
  DetentionEvent,
  GpRegistrationEvent,
  ImprisonmentEvent,
  InformalAdmissionEvent,
  LeftHospitalEvent,
  RecallEvent,
  ResidenceEvent,
  S17LeaveEvent,
} from '#domain/facts.ts';
import { AFTERCARE_END_REASONS, MHA_SECTIONS } from '#domain/facts.ts';
import { isCalendarDate } from '#domain/dates.ts';
import { localDateSchema } from './date.schema.ts';

const ORG_CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,15}$/u;

/**
 * Length in Unicode code points, as JSON Schema's minLength/maxLength count (zod's `.max` counts UTF-16
 * code units, which would refuse a 64-character id written in, say, emoji that the JSON Schema accepts).
 */
function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i += 1) {
    const unit = s.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    n += 1;
  }
  return n;
}

export const orgCodeSchema = z.string().regex(ORG_CODE_PATTERN, {
  error: 'must be an organisation code: 2 to 16 capital letters, digits or hyphens, not starting with a hyphen',
});

export const caseIdSchema = z
  .string()
  .refine((s) => codePointLength(s) >= 1, { error: 'must not be empty' })
  .refine((s) => codePointLength(s) <= 64, { error: 'must be at most 64 characters long' });

export const areaSchema = z.strictObject({
  country: z.enum(['england', 'wales', 'scotland', 'northern-ireland', 'outside-uk']),
  la: orgCodeSchema.exactOptional(),
  icb: orgCodeSchema.exactOptional(),
});

export const residenceEventSchema = z.strictObject({
  type: z.literal('residence'),
  from: localDateSchema,
  area: areaSchema,
  setting: z.enum([
    'own-home',
    'family-home',
    'care-home',
    'nursing-home',
    'supported-living',
    'shared-lives',
    'hostel',
    'hospital-informal',
    'prison',
    'no-fixed-abode',
    'student-accommodation',
    'other',
  ]),
  basis: z.enum([
    'own-choice',
    'best-interests-decision',
    'condition-of-discharge',
    'secure-accommodation-order',
    'court-order',
    'unknown',
  ]),
  arrangedBy: z
    .strictObject({
      body: orgCodeSchema,
      under: z.enum([
        'mha-s117',
        'care-act-2014',
        'national-assistance-act-1948',
        'children-act-1989',
        'nhs-continuing-healthcare',
        'other',
      ]),
    })
    .exactOptional(),
  nature: z.enum(['settled', 'temporary', 'holiday-or-visit', 'respite', 'unknown']).exactOptional(),
  homeKeptElsewhere: z.boolean().exactOptional(),
  providedAs: z.enum(['homelessness-temporary-accommodation', 'immigration-bail-address', 'home-office-accommodation']).exactOptional(),
  sameDayAsDetention: z.enum(['moved-before-detention', 'moved-after-detention']).exactOptional(),
});

export const gpRegistrationEventSchema = z.strictObject({
  type: z.literal('gp-registration'),
  from: localDateSchema,
  icb: orgCodeSchema.nullable(),
  country: z.enum(['england', 'wales', 'scotland', 'northern-ireland']).exactOptional(),
});

export const detentionEventSchema = z.strictObject({
  type: z.literal('detention'),
  from: localDateSchema,
  section: z.enum(MHA_SECTIONS),
  hospitalArea: areaSchema.exactOptional(),
  bedCommissionedBy: z.enum(['icb', 'nhs-england']).exactOptional(),
});

export const detentionEndedEventSchema = z.strictObject({
  type: z.literal('detention-ended'),
  date: localDateSchema,
  outcome: z.enum(['discharged', 'community-treatment-order', 'conditional-discharge', 'remained-informal', 'returned-to-prison', 'died']),
});

export const leftHospitalEventSchema = z.strictObject({
  type: z.literal('left-hospital'),
  date: localDateSchema,
  destination: z.enum(['community', 'another-hospital-as-inpatient', 'prison']).exactOptional(),
});

export const informalAdmissionEventSchema = z.strictObject({
  type: z.literal('informal-admission'),
  from: localDateSchema,
  to: localDateSchema.exactOptional(),
  hospitalArea: areaSchema.exactOptional(),
});

export const ctoEventSchema = z.strictObject({
  type: z.literal('cto'),
  from: localDateSchema,
  to: localDateSchema.exactOptional(),
});

export const recallEventSchema = z.strictObject({
  type: z.literal('recall'),
  date: localDateSchema,
  from: z.enum(['cto', 'conditional-discharge']),
  ctoRevoked: z.boolean().exactOptional(),
  releasedOn: localDateSchema.exactOptional(),
});

export const s17LeaveEventSchema = z.strictObject({
  type: z.literal('s17-leave'),
  from: localDateSchema,
  to: localDateSchema.exactOptional(),
  kind: z.enum(['escorted-day', 'unescorted-day', 'overnight', 'extended-community', 'trial-placement']),
  stagedDischarge: z.boolean().exactOptional(),
});

export const imprisonmentEventSchema = z.strictObject({
  type: z.literal('imprisonment'),
  from: localDateSchema,
  to: localDateSchema.exactOptional(),
});

export const aftercareEndedEventSchema = z.strictObject({
  type: z.literal('aftercare-ended'),
  date: localDateSchema,
  icbAgreed: z.boolean(),
  laAgreed: z.boolean(),
  personInvolved: z.boolean().exactOptional(),
  reasons: z.array(z.enum(AFTERCARE_END_REASONS)).min(1, { error: 'must give at least one reason' }),
  jointReviewHeld: z.boolean().exactOptional(),
  writtenNoticeOn: localDateSchema.exactOptional(),
});

export const aftercareReinstatedEventSchema = z.strictObject({
  type: z.literal('aftercare-reinstated'),
  date: localDateSchema,
  basis: z.enum(['withdrawn-prematurely', 'new-need', 'unknown']),
});

export const childStatusEventSchema = z.strictObject({
  type: z.literal('child-status'),
  from: localDateSchema,
  status: z.enum([
    'living-with-parents',
    'parents-living-apart',
    'informal-arrangement',
    'care-order',
    's20-accommodated',
    'care-leaver',
    'none',
  ]),
  authority: orgCodeSchema.exactOptional(),
  parentalResponsibility: z.array(z.enum(['parents', 'local-authority', 'other'])).exactOptional(),
  schedulePara4Icb: orgCodeSchema.exactOptional(),
  chosenByYoungPerson: z.boolean().exactOptional(),
});

export const aftercareServiceEventSchema = z.strictObject({
  type: z.literal('aftercare-service'),
  from: localDateSchema,
  to: localDateSchema.exactOptional(),
  kind: z.enum([
    'specialised-mental-health',
    'high-security',
    'secure-forensic',
    'community-forensic',
    'health-care-in-custody',
    'specialist-accommodation',
    'community-mental-health',
    'social-care',
    'other',
  ]),
  nhsEnglandMustArrange: z.boolean().exactOptional(),
  s117FundedAccommodation: z.boolean().exactOptional(),
});

const EVENT_TYPES = [
  'residence',
  'gp-registration',
  'detention',
  'detention-ended',
  'left-hospital',
  'informal-admission',
  'cto',
  'recall',
  's17-leave',
  'imprisonment',
  'aftercare-ended',
  'aftercare-reinstated',
  'child-status',
  'aftercare-service',
] as const satisfies readonly CaseEvent['type'][];

const caseEventUnion = z.discriminatedUnion(
  'type',
  [
    residenceEventSchema,
    gpRegistrationEventSchema,
    detentionEventSchema,
    detentionEndedEventSchema,
    leftHospitalEventSchema,
    informalAdmissionEventSchema,
    ctoEventSchema,
    recallEventSchema,
    s17LeaveEventSchema,
    imprisonmentEventSchema,
    aftercareEndedEventSchema,
    aftercareReinstatedEventSchema,
    childStatusEventSchema,
    aftercareServiceEventSchema,
  ],
  {
    error: (issue) => {
      if (!isPlainObject(issue.input)) return undefined;
      const given = issue.input['type'];
      return given === undefined
        ? `is required: an event type, one of ${EVENT_TYPES.join(', ')}`
        : `${describeValue(given)} is not an event type; use one of ${EVENT_TYPES.join(', ')}`;
    },
  },
);

export const caseEventSchema: z.ZodType<CaseEvent> = caseEventUnion;

const personSchema = z.strictObject({
  dateOfBirth: localDateSchema.exactOptional(),
  capacityToDecideResidence: z.boolean().nullable().exactOptional(),
});

const caseFactsObjectSchema = z.strictObject({
  id: caseIdSchema,
  evaluationDate: localDateSchema,
  person: personSchema.exactOptional(),
  events: z.array(caseEventUnion),
});

/** Case facts v1, accepting exactly what case-facts.schema.json accepts. */
export const caseFactsSchema: z.ZodType<CaseFacts> = caseFactsObjectSchema;

// Drift guard: each schema's output must be *identical* to its domain type, so a field added, removed or
// retyped on either side fails `tsc` here (plain assignability would let a new optional field slip by).
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Simplify<T> = T extends object ? { [K in keyof T]: Simplify<T[K]> } : T;
type Same<Schema extends z.ZodType, Domain> = Equals<Simplify<z.output<Schema>>, Simplify<Domain>>;
const driftGuard: [
  Same<typeof areaSchema, Area>,
  Same<typeof residenceEventSchema, ResidenceEvent>,
  Same<typeof gpRegistrationEventSchema, GpRegistrationEvent>,
  Same<typeof detentionEventSchema, DetentionEvent>,
  Same<typeof detentionEndedEventSchema, DetentionEndedEvent>,
  Same<typeof leftHospitalEventSchema, LeftHospitalEvent>,
  Same<typeof informalAdmissionEventSchema, InformalAdmissionEvent>,
  Same<typeof ctoEventSchema, CtoEvent>,
  Same<typeof recallEventSchema, RecallEvent>,
  Same<typeof s17LeaveEventSchema, S17LeaveEvent>,
  Same<typeof imprisonmentEventSchema, ImprisonmentEvent>,
  Same<typeof aftercareEndedEventSchema, AftercareEndedEvent>,
  Same<typeof aftercareReinstatedEventSchema, AftercareReinstatedEvent>,
  Same<typeof childStatusEventSchema, ChildStatusEvent>,
  Same<typeof aftercareServiceEventSchema, AftercareServiceEvent>,
  Same<typeof caseFactsObjectSchema, CaseFacts>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
void driftGuard;

/** One problem with an input document, located by a path such as `events[3].section`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Renders a zod issue path as `events[3].area.la`; the empty path (the document itself) is `(document)`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      out += /^[A-Za-z_$][\w$]*$/u.test(name) ? (out === '' ? name : `.${name}`) : `[${JSON.stringify(name)}]`;
    }
  }
  return out === '' ? '(document)' : out;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe rendering of an offending value: primitives quoted and cut short, containers by kind. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return describeType(value);
}

function article(kind: string): string {
  return /^[aeiou]/u.test(kind) ? `an ${kind}` : `a ${kind}`;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const present = 'input' in issue && issue.input !== undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (present) return `must be ${article(issue.expected)}, not ${describeType(issue.input)}`;
      return issue.message.endsWith('received undefined')
        ? `is required (${article(issue.expected)})`
        : `must be ${article(issue.expected)}`;
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      if (!present) return issue.values.length === 1 ? `is required and must be ${allowed}` : `is required: one of ${allowed}`;
      return issue.values.length === 1
        ? `must be ${allowed}, not ${describeValue(issue.input)}`
        : `must be one of ${allowed}, not ${describeValue(issue.input)}`;
    }
    default:
      return issue.message;
  }
}

/**
 * Turns zod issues into one line per problem, each naming the field: an unrecognised key is reported at
 * its own path (`events[2].colour`), not at its parent object. Parse with `{ reportInput: true }` (as
 * `parseCaseFacts` does) so that a wrong value can be told apart from a missing one.
 */
export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>, documentKind = 'case facts v1'): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), message: `is not a field ${documentKind} allows` });
    } else {
      out.push({ path: formatPath(issue.path), message: issueMessage(issue) });
    }
  }
  return out;
}

const DATE_FIELDS = ['from', 'to', 'date'] as const;

/**
 * Checks the JSON Schema cannot express and the CLI and API still refuse: dates that match `YYYY-MM-DD`
 * but do not exist (2023-02-30). Returns one issue per bad field; empty when the facts are sound.
 * Contradictions in the history (a `to` before its `from`, say) are not refused here: the engine reports
 * those as questions for a person.
 */
export function checkCaseFactsSemantics(facts: CaseFacts): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (value: string | undefined, path: PropertyKey[]): void => {
    if (value !== undefined && !isCalendarDate(value)) {
      issues.push({ path: formatPath(path), message: `${JSON.stringify(value)} is not a real calendar date` });
    }
  };
  check(facts.evaluationDate, ['evaluationDate']);
  check(facts.person?.dateOfBirth, ['person', 'dateOfBirth']);
  facts.events.forEach((event, i) => {
    // A recall's `from` says what the person was recalled from ('cto'), not when.
    const fields: Partial<Record<(typeof DATE_FIELDS)[number], unknown>> = event.type === 'recall' ? { date: event.date } : event;
    for (const field of DATE_FIELDS) {
      const value = fields[field];
      if (typeof value === 'string') check(value, ['events', i, field]);
    }
    if (event.type === 'recall') check(event.releasedOn, ['events', i, 'releasedOn']);
    if (event.type === 'aftercare-ended') check(event.writtenNoticeOn, ['events', i, 'writtenNoticeOn']);
  });
  return issues;
}

export type CaseFactsParseResult = { ok: true; facts: CaseFacts } | { ok: false; issues: FieldIssue[] };

/** Schema check, then semantic check: what every edge (CLI, API) runs before the engine sees a document. */
export function parseCaseFacts(input: unknown): CaseFactsParseResult {
  const parsed = caseFactsSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: formatIssues(parsed.error.issues) };
  const issues = checkCaseFactsSemantics(parsed.data);
  return issues.length === 0 ? { ok: true, facts: parsed.data } : { ok: false, issues };
}
