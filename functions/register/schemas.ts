/** Edge schemas of the register routes: zod at the edge, tied to the domain types where they meet. */
import * as z from 'zod';
import { dischargeViewSchema } from '../api/discharge.schema.ts';
import { isValidNhsNumber } from '#domain/applications/nhs-number.ts';
import { isCalendarDate } from '#domain/dates.ts';
import { AFTERCARE_END_REASONS } from '#domain/facts.ts';
import { BUDGET_KINDS, MANAGEMENT_MODES } from '#domain/register/budgets.ts';
import { EDUCATION_SETTINGS } from '#domain/register/children.ts';
import { INVOLVEMENT_FORMS } from '#domain/register/ending.ts';
import { LETTER_KINDS, LETTER_VARIANTS } from '#domain/register/letters.ts';
import { SUPPORTER_KINDS } from '#domain/register/supporters.ts';
import { REGISTER_STATUSES } from '#domain/register/register.ts';
import { REVIEW_OUTCOMES } from '#domain/register/reviews.ts';
import { caseEventSchema, orgCodeSchema } from '../shared/case-facts.schema.ts';
import { calendarDateSchema } from '../shared/date.schema.ts';

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);
const partnershipIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be a partnership id' });

export const nhsNumberSchema = z
  .string()
  .refine((s) => isValidNhsNumber(s), { error: 'must be a valid NHS number (ten digits with a correct check digit)' });
export const personRefSchema = z.string().regex(/^p_[a-z2-7]{26}$/, { error: 'must be a person reference (p_ and 26 characters)' });
export const episodeIdSchema = z.string().regex(/^p_[a-z2-7]{26}-e[1-9]\d{0,3}$/, { error: 'must be an episode id (<personRef>-e<n>)' });

/** A case event whose dates are real calendar dates (the JSON Schema checks only their shape). */
export const registerEventSchema = caseEventSchema.superRefine((event, ctx) => {
  const dates: [string, string | undefined][] =
    event.type === 'recall' ||
    event.type === 'detention-ended' ||
    event.type === 'left-hospital' ||
    event.type === 'aftercare-ended' ||
    event.type === 'aftercare-reinstated'
      ? [['date', event.date]]
      : [
          ['from', event.from],
          ['to', 'to' in event ? event.to : undefined],
        ];
  for (const [field, value] of dates)
    if (value !== undefined && !isCalendarDate(value))
      ctx.addIssue({ code: 'custom', path: [field], message: 'is not a real calendar date' });
  if (event.type === 'aftercare-ended')
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message:
        "aftercare is ended only through an ending recommendation and both bodies' decisions (POST /v1/register/episodes/{id}/ending-recommendations)",
    });
});

export const createPersonSchemas = {
  body: z.strictObject({
    nhsNumber: nhsNumberSchema,
    name: text(200).exactOptional(),
    partnershipId: partnershipIdSchema.exactOptional(),
    events: z.array(registerEventSchema).max(200),
  }),
};

const asOfQuery = z.strictObject({ asOf: calendarDateSchema.exactOptional() });

export const personPathSchemas = { path: z.object({ personRef: personRefSchema }), query: asOfQuery };
/** `GET /v1/register/people/{personRef}/chronology`: a page of at most `limit` entries (1 to 200) after `cursor`. */
export const personChronologySchemas = {
  path: z.object({ personRef: personRefSchema }),
  query: z.strictObject({
    limit: z
      .string()
      .regex(/^\d{1,3}$/, { error: 'must be a whole number from 1 to 200' })
      .transform(Number)
      .pipe(z.int().min(1, { error: 'must be a whole number from 1 to 200' }).max(200, { error: 'must be a whole number from 1 to 200' }))
      .exactOptional(),
    cursor: z.string().min(1).max(2048).exactOptional(),
  }),
};
export const recordEventSchemas = { path: z.object({ personRef: personRefSchema }), body: registerEventSchema };

export const batchSchemas = {
  headers: z.object({
    'idempotency-key': z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, { error: 'must be 8 to 128 letters, digits or . _ : -' }),
    'content-type': z.string().regex(/^text\/csv\s*(;.*)?$/i, { error: 'must be text/csv' }),
  }),
  query: z.strictObject({ partnershipId: partnershipIdSchema.exactOptional() }),
};

export const listEpisodesSchemas = {
  query: z.strictObject({
    status: z.enum(REGISTER_STATUSES).exactOptional(),
    asOf: calendarDateSchema.exactOptional(),
    partnershipId: partnershipIdSchema.exactOptional(),
  }),
};

export const episodePathSchemas = { path: z.object({ id: episodeIdSchema }), query: asOfQuery };

export const practitionerSchemas = {
  path: z.object({ id: episodeIdSchema }),
  body: z.strictObject({ name: text(200), email: z.email({ error: 'must be an email address' }), role: text(100).exactOptional() }),
};

export const reviewSchemas = {
  path: z.object({ id: episodeIdSchema }),
  body: z.strictObject({
    /** Optional client id of the review: recording it twice records it once. */
    reviewId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{4,64}$/)
      .exactOptional(),
    date: calendarDateSchema,
    outcome: z.enum(REVIEW_OUTCOMES),
    personTookPart: z.boolean(),
    participants: z.array(z.strictObject({ name: text(200), role: text(100) })).max(30),
    notes: text(4000).exactOptional(),
  }),
};

const confirmation = z.strictObject({ name: text(200), confirmed: z.boolean(), date: calendarDateSchema });

export const endingRecommendationSchemas = {
  path: z.object({ id: episodeIdSchema }),
  body: z.strictObject({
    proposedEndDate: calendarDateSchema,
    reasons: z.array(z.enum(AFTERCARE_END_REASONS)).min(1, { error: 'must give at least one reason' }),
    report: z.strictObject({
      personViews: z.string().max(8000),
      personInvolved: z.boolean(),
      needsNoLongerArise: z.string().max(8000),
      readmissionRiskReasoning: z.string().max(8000),
      responsibleClinician: confirmation,
      socialCareManager: confirmation.extend({ council: orgCodeSchema }),
      /** The register review at which both bodies considered ending (R-END-6); absent: the latest 'recommend-ending' review. */
      jointReviewId: z
        .string()
        .regex(/^[A-Za-z0-9_-]{4,64}$/)
        .exactOptional(),
      /** When and how the person took part (R-END-5); absent: refused as a 422 naming R-END-5. */
      involvement: z
        .strictObject({
          date: calendarDateSchema,
          form: z.enum(INVOLVEMENT_FORMS),
          supportedBy: z
            .array(z.enum(['carer', 'advocate', 'representative']))
            .max(3)
            .exactOptional(),
        })
        .exactOptional(),
      /** The move out of s117-funded accommodation (R-END-7), where the person lived in it during the episode. */
      accommodationMove: z.strictObject({ movedOn: calendarDateSchema, to: text(200) }).exactOptional(),
      /** The date the person was sent the letter about the proposed ending (R-END-5, R-CHG-6). */
      personLetterSentOn: calendarDateSchema.exactOptional(),
    }),
  }),
};

export const endingDecisionSchemas = {
  path: z.object({ id: episodeIdSchema }),
  body: z.strictObject({
    recommendationId: z.string().regex(/^end_[a-z2-7]{20}$/, { error: 'must be a recommendation id' }),
    agree: z.boolean(),
    reason: text(2000).exactOptional(),
  }),
};

export const reinstatementSchemas = {
  path: z.object({ id: episodeIdSchema }),
  body: z.strictObject({ reason: text(2000) }),
};

/** A letter read back as JSON (its parts), an accessible HTML page, or a PDF. */
export const LETTER_FORMATS = ['json', 'html', 'pdf'] as const;
export type LetterFormat = (typeof LETTER_FORMATS)[number];

export const letterSchemas = {
  path: z.object({ id: episodeIdSchema, kind: z.enum(LETTER_KINDS) }),
  query: z.strictObject({
    asOf: calendarDateSchema.exactOptional(),
    reviewId: z.string().max(64).exactOptional(),
    /** For a plan letter: the plan version (the current one when absent). */
    version: z
      .string()
      .regex(/^[1-9]\d{0,3}$/, { error: 'must be a plan version number' })
      .transform(Number)
      .exactOptional(),
    variant: z.enum(LETTER_VARIANTS).exactOptional(),
    format: z.enum(LETTER_FORMATS).exactOptional(),
  }),
};

const clientId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, _ or -' });
const mailbox = z.email({ error: 'must be an email address' }).max(254);

/** One version of an episode's aftercare plan (issue 17 item 1); every list and text bounded. */
export const planSchemas = {
  path: z.object({ id: episodeIdSchema }),
  body: z.strictObject({
    id: clientId,
    needs: z
      .array(z.strictObject({ id: clientId, description: text(1000) }))
      .min(1)
      .max(50),
    services: z
      .array(
        z.strictObject({
          description: text(500),
          needIds: z.array(clientId).min(1).max(50),
          applicationId: z.string().regex(/^app_[a-z2-7]{20}$/, { error: 'must be an application id' }),
          lineId: z.string().min(1).max(64),
          provider: z.strictObject({ name: text(200), mailbox: mailbox.exactOptional() }),
        }),
      )
      .max(50),
    careCoordinator: z.strictObject({ name: text(200), role: text(100), email: mailbox }),
    meeting: z.strictObject({
      date: calendarDateSchema,
      attendees: z
        .array(z.strictObject({ name: text(200), role: text(100) }))
        .min(1)
        .max(30),
      personTookPart: z.boolean(),
      carerTookPart: z.boolean().nullable(),
      advocateTookPart: z.boolean().nullable(),
    }),
    crisis: z.strictObject({ contacts: text(2000), contingency: text(2000) }),
    accommodation: z.strictObject({ description: text(1000), s117Funded: z.boolean() }),
    nextReview: calendarDateSchema,
    gp: z.strictObject({ practice: text(200), mailbox }).exactOptional(),
  }),
};

export const planPathSchemas = { path: z.object({ id: episodeIdSchema }) };

/** How the person is written to and the people around them (issue 17 item 2). */
export const contactsSchemas = {
  path: z.object({ personRef: personRefSchema }),
  body: z.strictObject({
    person: z.strictObject({
      email: mailbox.exactOptional(),
      postalAddress: z.array(text(100)).min(1).max(8).exactOptional(),
      letterFormat: z.enum(['standard', 'large-print', 'easy-read']),
    }),
    supporters: z
      .array(
        z.strictObject({
          id: clientId,
          kind: z.enum(SUPPORTER_KINDS),
          name: text(200),
          relationship: text(100),
          consentToShare: z.boolean(),
          sendLetters: z.boolean(),
          appropriatePerson: z.boolean(),
          organisation: text(200).exactOptional(),
          contact: z.strictObject({ email: mailbox }).exactOptional(),
        }),
      )
      .max(20),
  }),
};

export const chargeSchemas = {
  path: z.object({ personRef: personRefSchema }),
  body: z.strictObject({
    chargeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    applicationId: z.string().regex(/^app_[a-z2-7]{20}$/, { error: 'must be an application id' }),
    lineId: z.string().min(1).max(64),
    from: calendarDateSchema,
    to: calendarDateSchema,
    amountPence: z.number().int().min(1),
    payer: z.enum(['person', 'third-party']),
  }),
};

export const maturitySchemas = {
  query: z.strictObject({ partnershipId: partnershipIdSchema.exactOptional(), asOf: calendarDateSchema.exactOptional() }),
};

/** Inputs of the review-schedule steps (statemachines/review-schedule.asl.json). */
export const scheduleInputSchema = z.object({
  personRef: personRefSchema,
  n: z.number().int().min(1),
  generation: z.number().int().min(1),
  seq: z.number().int().min(0),
});
/** PlanNextReview's input: the execution's start time and its bound (a definition substitution, so a string). */
export const planInputSchema = scheduleInputSchema.extend({
  startedAt: z.iso.datetime(),
  maxExecutionSeconds: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1)),
});
export const stepInputSchema = scheduleInputSchema.extend({
  plan: z.object({
    route: z.enum(['wait', 'stop']),
    obligation: z.string().exactOptional(),
    due: z.string().exactOptional(),
    remindAt: z.string().exactOptional(),
    escalateAt: z.string().exactOptional(),
    escalationRepeatSeconds: z.number().exactOptional(),
  }),
});

/**
 * RecordEndingPanelDecision's input (statemachines/ending-recommendation.asl.json): the panel's result as
 * request-panel-decision resumed the task with, or the machine's own no-decision when the wait timed out or the
 * panel could not be asked. A malformed input is a bug in the ASL, so it throws.
 */
export const endingPanelStepSchema = z.object({
  episodeId: z.string().regex(/^p_[a-z2-7]{26}-e[1-9]\d{0,3}$/),
  recommendationId: z.string().regex(/^end_[a-z2-7]{20}$/),
  panel: z.object({
    panelRequestId: z.string().min(1).max(100).optional(),
    outcome: z.enum(['approved', 'rejected', 'more-information', 'no-decision']),
    votes: z
      .array(
        z.object({
          memberId: z.string().min(1).max(256),
          name: z.string().max(500),
          organisation: z.string().max(20),
          side: z.enum(['icb', 'la']),
          decision: z.enum(['approve', 'reject', 'more-information']),
          reason: z.string().max(4000).optional(),
          at: z.string().min(1).max(40),
          onBehalfOf: z.string().max(500).optional(),
        }),
      )
      .max(100)
      .default([]),
    decidedAt: z.string().min(1).max(40).optional(),
    reasons: z.array(z.string().max(4000)).max(50).default([]),
    cause: z.enum(['timeout', 'panel-failed']).optional(),
  }),
});

/** What `GET /v1/register/people/{personRef}/chronology` answers (issue 13 item 6). */
export const personChronologyPageSchema = z.object({
  personRef: z.string(),
  entries: z.array(
    z.object({
      sequence: z.int(),
      at: z.string(),
      type: z.string(),
      actor: z.object({ userId: z.string().exactOptional(), org: z.string().exactOptional(), system: z.string().exactOptional() }),
      applicationId: z.string().exactOptional(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  cursor: z.string().exactOptional(),
});

/** What `GET /v1/register/people/{personRef}` answers: the register's view joined to applications, funding, endings, disputes. */
export const personRecordSchema = z.object({
  personRef: z.string(),
  partnershipId: z.string(),
  version: z.int(),
  asOf: z.string(),
  facts: z.array(
    z.object({
      key: z.string(),
      event: z.record(z.string(), z.unknown()),
      source: z.string(),
      recordedAt: z.string(),
      withdrawn: z.boolean(),
    }),
  ),
  episodes: z.array(z.record(z.string(), z.unknown())),
  endings: z.array(
    z.object({
      id: z.string(),
      episodeId: z.string(),
      state: z.string(),
      route: z.enum(['joint-decisions', 'panel']),
      proposedEndDate: z.string(),
      reasons: z.array(z.string()),
      recommendedAt: z.string(),
      recommendedBy: z.string(),
      bodies: z.object({ icb: z.string().nullable(), la: z.string().nullable() }),
      decisions: z.array(z.object({ party: z.enum(['icb', 'la']), body: z.string(), agree: z.boolean(), at: z.string() })),
      panelOutcome: z.unknown(),
      reinstatedAt: z.string().nullable(),
    }),
  ),
  applications: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      requestedStartDate: z.string(),
      parties: z.array(z.string()),
      createdAt: z.string(),
      discharge: dischargeViewSchema.nullable(),
      serviceLines: z.array(
        z.object({
          id: z.string(),
          description: z.string(),
          category: z.string(),
          s117: z.boolean(),
          weeklyCostPence: z.int(),
          startDate: z.string(),
          endDate: z.string().nullable(),
        }),
      ),
      funding: z.object({
        terms: z.array(
          z.object({
            from: z.string(),
            to: z.string().nullable(),
            arrangementId: z.string(),
            state: z.enum(['interim', 'agreed']),
            withoutPrejudice: z.boolean(),
            cause: z.string().nullable(),
            lead: z.string(),
            policyId: z.string(),
            policyVersion: z.int(),
          }),
        ),
        inForce: z.object({
          date: z.string(),
          arrangementId: z.string().nullable(),
          state: z.enum(['none', 'interim', 'agreed']),
          lead: z.string().nullable(),
          fundedWeeklyPence: z.int(),
          byBody: z.array(z.object({ body: z.string(), party: z.enum(['icb', 'la']), weeklyPence: z.int() })),
        }),
      }),
    }),
  ),
  disputes: z.array(
    z.object({
      id: z.string(),
      applicationId: z.string(),
      kind: z.string(),
      status: z.string(),
      stage: z.string(),
      disputeDate: z.string(),
      raisedBy: z.string(),
      bodies: z.array(z.string()),
      lead: z.string(),
      settlementId: z.string().nullable(),
    }),
  ),
});

/** PUT /v1/register/people/{personRef}/child: a child's or young person's record (issue 17 item 5, R-CHILD-1 to R-CHILD-6). */
export const childRecordSchemas = {
  path: z.object({ personRef: personRefSchema }),
  body: z.strictObject({
    dateOfBirth: calendarDateSchema,
    parents: z.strictObject({ involved: z.boolean(), note: text(1000).exactOptional() }).exactOptional(),
    responsibleCouncil: z
      .strictObject({
        council: orgCodeSchema,
        involved: z.boolean(),
        role: z.enum(['looked-after', 'leaving-care', 'children-services']),
      })
      .exactOptional(),
    education: z
      .strictObject({ setting: z.enum(EDUCATION_SETTINGS), ehcPlan: z.boolean(), provider: text(200).exactOptional() })
      .exactOptional(),
    transitionPlan: z
      .strictObject({ startedOn: calendarDateSchema, adultServicesLead: text(200).exactOptional(), notes: text(2000).exactOptional() })
      .exactOptional(),
  }),
};

/** POST /v1/register/people/{personRef}/budgets: a request for a PHB or a direct payment (issue 17 item 4, R-PHB-4). */
export const budgetRequestSchemas = {
  path: z.object({ personRef: personRefSchema }),
  body: z.strictObject({
    kind: z.enum(BUDGET_KINDS),
    requestedOn: calendarDateSchema,
    requestedBy: z.enum(['person', 'representative', 'authorised-person']),
    informationGivenOn: calendarDateSchema.exactOptional(),
  }),
};

/** POST /v1/register/people/{personRef}/budgets/{budgetId}/decision: the entitled body's decision (R-PHB-2, R-DP-1). */
export const budgetDecisionSchemas = {
  path: z.object({ personRef: personRefSchema, budgetId: z.string().regex(/^bud_[a-z2-7]{20}$/, { error: 'must be a budget id' }) }),
  body: z.strictObject({
    outcome: z.enum(['awarded', 'awarded-in-part', 'refused']),
    decidedOn: calendarDateSchema,
    reasons: z.array(text(2000)).max(20),
    award: z
      .strictObject({
        weeklyAmountPence: z.number().int().min(0).max(100_000_000),
        covers: text(500),
        mode: z.enum(MANAGEMENT_MODES),
        payee: z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('person') }),
          z.strictObject({ kind: z.literal('nominee'), relationship: text(100), agreed: z.boolean() }),
        ]),
        startDate: calendarDateSchema,
        monitoringOn: calendarDateSchema,
        reviewOn: calendarDateSchema,
        applicationId: z.string().regex(/^app_[a-z2-7]{20}$/, { error: 'must be an application id' }),
      })
      .exactOptional(),
  }),
};
