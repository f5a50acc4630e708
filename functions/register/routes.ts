/** The register routes (issue 8): people, episodes, CSV batches, reviews, endings, letters and the maturity report. */
import { COMMISSIONING_ROLES, REGISTER_READER_ROLES } from '../shared/auth.ts';
import { delaysQuerySchema, delaysReportSchema } from '../api/discharge.schema.ts';
import type { RouteSpec } from '../shared/route-spec.ts';
import {
  batchSchemas,
  budgetDecisionSchemas,
  budgetRequestSchemas,
  chargeSchemas,
  childRecordSchemas,
  contactsSchemas,
  createPersonSchemas,
  endingDecisionSchemas,
  endingRecommendationSchemas,
  episodePathSchemas,
  letterSchemas,
  listEpisodesSchemas,
  maturitySchemas,
  personChronologyPageSchema,
  personChronologySchemas,
  personPathSchemas,
  personRecordSchema,
  planPathSchemas,
  planSchemas,
  practitionerSchemas,
  recordEventSchemas,
  reinstatementSchemas,
  reviewSchemas,
} from './schemas.ts';

export const createPersonRoute = {
  method: 'POST',
  path: '/v1/register/people',
  function: 'create-person',
  kind: 'api',
  operationId: 'createPerson',
  summary: 'Add a person to the register with their events (idempotent by NHS number within the partnership).',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: createPersonSchemas,
  responses: {
    201: { description: 'The person, added.', schema: null },
    200: { description: 'The person was already on the register.', schema: null },
  },
  examples: {
    'detained-under-section-3': {
      nhsNumber: '9434765919',
      name: 'Alex Example',
      events: [
        {
          type: 'residence',
          from: '2000-01-01',
          area: {
            country: 'england',
            la: 'LA-A',
            icb: 'ICB-A',
          },
          setting: 'own-home',
          basis: 'own-choice',
        },
        {
          type: 'gp-registration',
          from: '2000-01-01',
          icb: 'ICB-A',
        },
        {
          type: 'detention',
          from: '2024-01-10',
          section: '3',
          hospitalArea: {
            country: 'england',
            la: 'LA-HOSP',
            icb: 'ICB-HOSP',
          },
        },
      ],
    },
  },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const getPersonRoute = {
  method: 'GET',
  path: '/v1/register/people/{personRef}',
  function: 'get-person',
  kind: 'api',
  operationId: 'getPerson',
  summary:
    "One person's record as on a date: register facts and episodes (reviews, endings), the applications the caller is party to with each funding timeline from the ledger, and disputes.",
  auth: 'required',
  roles: REGISTER_READER_ROLES,
  schemas: personPathSchemas,
  responses: { 200: { description: 'The person.', schema: personRecordSchema } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const getPersonChronologyRoute = {
  method: 'GET',
  path: '/v1/register/people/{personRef}/chronology',
  function: 'get-person-chronology',
  kind: 'api',
  operationId: 'getPersonChronology',
  summary:
    'Everything appended about the person, from every feature, in order, a page at a time (entries of applications the caller is not party to are left out).',
  auth: 'required',
  roles: REGISTER_READER_ROLES,
  schemas: personChronologySchemas,
  responses: { 200: { description: 'A page of the chronology.', schema: personChronologyPageSchema } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const recordEventRoute = {
  method: 'POST',
  path: '/v1/register/people/{personRef}/events',
  function: 'record-event',
  kind: 'api',
  operationId: 'recordEvent',
  summary: "Record one event in a person's history (detention, discharge, move, recall).",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: recordEventSchemas,
  responses: {
    201: { description: 'The event, recorded.', schema: null },
    200: { description: 'The same event was already recorded.', schema: null },
  },
  examples: {
    'left-hospital': {
      type: 'left-hospital',
      date: '2024-06-10',
    },
  },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const recordChildRoute = {
  method: 'PUT',
  path: '/v1/register/people/{personRef}/child',
  function: 'record-event',
  kind: 'api',
  operationId: 'recordChild',
  summary:
    "A child's or young person's record: date of birth, the parents' or responsible council's involvement, education and transition planning; with the legal status from the facts, and the transition reminder at 17 and handover to adult services at 18 on the register's clock.",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: childRecordSchemas,
  responses: { 200: { description: "The child's record as the register reads it today.", schema: null } },
  examples: {
    'looked-after-at-school': {
      dateOfBirth: '2009-04-02',
      parents: { involved: true },
      responsibleCouncil: { council: 'LA-A', involved: true, role: 'looked-after' },
      education: { setting: 'school', ehcPlan: true },
      transitionPlan: { startedOn: '2023-05-01', adultServicesLead: 'Adult community mental health team' },
    },
  },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const requestBudgetRoute = {
  method: 'POST',
  path: '/v1/register/people/{personRef}/budgets',
  function: 'record-charge',
  kind: 'api',
  operationId: 'requestBudget',
  summary:
    "Record the person's request for a personal health budget (decided by the ICB) or a direct payment (decided by the council), idempotently.",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: budgetRequestSchemas,
  responses: {
    201: { description: 'The request, recorded.', schema: null },
    200: { description: 'The same request was already recorded.', schema: null },
  },
  examples: {
    'phb-requested': { kind: 'personal-health-budget', requestedOn: '2025-04-01', requestedBy: 'person', informationGivenOn: '2025-03-20' },
  },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const decideBudgetRoute = {
  method: 'POST',
  path: '/v1/register/people/{personRef}/budgets/{budgetId}/decision',
  function: 'record-charge',
  kind: 'api',
  operationId: 'decideBudget',
  summary:
    "The entitled body's decision on a budget request, with reasons and date; an award adds an s117 service line, paid to the person or their nominee, to the person's application (the ledger and finance export show it).",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: budgetDecisionSchemas,
  responses: {
    201: { description: 'The decision, recorded.', schema: null },
    200: { description: 'The same decision was already recorded.', schema: null },
  },
  examples: {
    'awarded-to-nominee': {
      outcome: 'awarded',
      decidedOn: '2025-04-20',
      reasons: [],
      award: {
        weeklyAmountPence: 45000,
        covers: 'Support worker hours and a gym membership agreed in the care plan',
        mode: 'direct-payment',
        payee: { kind: 'nominee', relationship: 'sister', agreed: true },
        startDate: '2025-05-01',
        monitoringOn: '2025-08-01',
        reviewOn: '2026-04-30',
        applicationId: 'app_abcdefghijklmnopqrst',
      },
    },
  },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const recordChargeRoute = {
  method: 'POST',
  path: '/v1/register/people/{personRef}/charges',
  function: 'record-charge',
  kind: 'api',
  operationId: 'recordCharge',
  summary:
    "Record a charge line for a person (what the person or a third party pays), against one of the person's applications and a line of its care plan.",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: chargeSchemas,
  responses: { 201: { description: 'The charge, recorded.', schema: null } },
  examples: {
    'third-party-top-up': {
      chargeId: 'top-up-2024-06',
      applicationId: 'app_abcdefghijklmnopqrst',
      lineId: 'line-1',
      from: '2024-06-01',
      to: '2024-06-30',
      amountPence: 5000,
      payer: 'third-party',
    },
  },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const recordBatchRoute = {
  method: 'POST',
  path: '/v1/register/batches',
  function: 'record-batch',
  kind: 'api',
  operationId: 'recordBatch',
  summary: 'Load a CSV batch of people and events (idempotent by Idempotency-Key).',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: batchSchemas,
  requestContentType: 'text/csv',
  responses: { 200: { description: 'The batch result, row by row.', schema: null } },
  problems: [400, 401, 403, 404, 409, 413],
} as const satisfies RouteSpec;

export const listEpisodesRoute = {
  method: 'GET',
  path: '/v1/register/episodes',
  function: 'list-episodes',
  kind: 'api',
  operationId: 'listEpisodes',
  summary: "The partnership's episodes as on a date, optionally by status.",
  auth: 'required',
  roles: REGISTER_READER_ROLES,
  schemas: listEpisodesSchemas,
  responses: { 200: { description: 'The episodes.', schema: null } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const getEpisodeRoute = {
  method: 'GET',
  path: '/v1/register/episodes/{id}',
  function: 'get-episode',
  kind: 'api',
  operationId: 'getEpisode',
  summary: 'One episode as on a date: status, reviews, named practitioner, ending.',
  auth: 'required',
  roles: REGISTER_READER_ROLES,
  schemas: episodePathSchemas,
  responses: { 200: { description: 'The episode.', schema: null } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const setPractitionerRoute = {
  method: 'PUT',
  path: '/v1/register/episodes/{id}/practitioner',
  function: 'set-practitioner',
  kind: 'api',
  operationId: 'setPractitioner',
  summary: "Name the episode's practitioner.",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: practitionerSchemas,
  responses: { 200: { description: 'The named practitioner, set.', schema: null } },
  examples: {
    'care-coordinator': {
      name: 'Sam Carer',
      email: 'sam.carer@example.org',
      role: 'Care coordinator',
    },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

export const recordReviewRoute = {
  method: 'POST',
  path: '/v1/register/episodes/{id}/reviews',
  function: 'record-review',
  kind: 'api',
  operationId: 'recordReview',
  summary: 'Record an aftercare review (idempotent by reviewId).',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: reviewSchemas,
  responses: {
    201: { description: 'The review, recorded.', schema: null },
    200: { description: 'The same review was already recorded.', schema: null },
  },
  examples: {
    continue: {
      reviewId: 'rev-2024-12',
      date: '2024-12-10',
      outcome: 'continue',
      personTookPart: true,
      participants: [
        {
          name: 'Sam Carer',
          role: 'Care coordinator',
        },
      ],
    },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

export const recommendEndingRoute = {
  method: 'POST',
  path: '/v1/register/episodes/{id}/ending-recommendations',
  function: 'recommend-ending',
  kind: 'api',
  operationId: 'recommendEnding',
  summary: 'Recommend ending aftercare, with the report; the joint panel is asked.',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: endingRecommendationSchemas,
  responses: {
    201: { description: 'The recommendation, recorded.', schema: null },
    200: { description: 'The same recommendation was already recorded.', schema: null },
  },
  examples: {
    'no-longer-needed': {
      proposedEndDate: '2025-06-30',
      reasons: ['no-longer-needs-aftercare'],
      report: {
        personViews: 'Alex agrees that support is no longer needed.',
        personInvolved: true,
        needsNoLongerArise: 'Alex has lived independently for a year without aftercare services.',
        readmissionRiskReasoning: 'Low: stable for a year, with a relapse plan.',
        responsibleClinician: {
          name: 'Dr Rhea Clinician',
          confirmed: true,
          date: '2025-05-01',
        },
        socialCareManager: {
          name: 'Max Manager',
          confirmed: true,
          date: '2025-05-02',
          council: 'LA-A',
        },
        involvement: { date: '2025-05-01', form: 'review-meeting', supportedBy: ['advocate'] },
        personLetterSentOn: '2025-05-10',
      },
    },
  },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const recordEndingDecisionRoute = {
  method: 'POST',
  path: '/v1/register/episodes/{id}/ending-decisions',
  function: 'record-ending-decision',
  kind: 'api',
  operationId: 'recordEndingDecision',
  summary: "A body's decision on an ending recommendation.",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: endingDecisionSchemas,
  responses: {
    201: { description: 'The decision, recorded.', schema: null },
    200: { description: 'The same decision was already recorded.', schema: null },
  },
  examples: {
    agree: {
      recommendationId: 'end_abcdefghijklmnopqrst',
      agree: true,
    },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

export const reinstateRoute = {
  method: 'POST',
  path: '/v1/register/episodes/{id}/reinstatements',
  function: 'reinstate',
  kind: 'api',
  operationId: 'reinstate',
  summary: 'Reinstate aftercare that was ended.',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: reinstatementSchemas,
  responses: { 201: { description: 'The episode, reinstated.', schema: null } },
  examples: {
    'needs-returned': {
      reason: "Alex's needs have returned; aftercare is reinstated.",
    },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

export const getLetterRoute = {
  method: 'GET',
  path: '/v1/register/episodes/{id}/letters/{kind}',
  function: 'get-letter',
  kind: 'api',
  operationId: 'getLetter',
  summary:
    'A letter to the person about the episode (entitlement, plan, review due, review, ending proposed, ending) in a version (standard, large print, easy read, carer) and a format: JSON, an accessible HTML page, or a PDF.',
  auth: 'required',
  roles: REGISTER_READER_ROLES,
  schemas: letterSchemas,
  responses: {
    200: { description: 'The letter.', schema: null, contentTypes: ['application/json', 'text/html; charset=utf-8', 'application/pdf'] },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

/** The function that serves the episode's care team and plan, and the person's contacts (issue 17). */
export const EPISODE_CARE_FUNCTION = 'set-practitioner';

const planExample = {
  id: 'plan-2025-03',
  needs: [
    { id: 'mood', description: 'Support to keep well and notice early signs of relapse' },
    { id: 'home', description: 'Support to manage a tenancy' },
  ],
  services: [
    {
      description: 'Weekly visits from the community mental health team',
      needIds: ['mood'],
      applicationId: 'app_abcdefghijklmnopqrst',
      lineId: 'line-1',
      provider: { name: 'Anyshire Community Mental Health Team', mailbox: 'cmht@example.org' },
    },
  ],
  careCoordinator: { name: 'Sam Carer', role: 'Care coordinator', email: 'sam.carer@example.org' },
  meeting: {
    date: '2025-03-05',
    attendees: [
      { name: 'Sam Carer', role: 'Care coordinator' },
      { name: 'Dr Rhea Clinician', role: 'Responsible clinician' },
    ],
    personTookPart: true,
    carerTookPart: true,
    advocateTookPart: null,
  },
  crisis: {
    contacts: 'Call the crisis line on 0800 000 0000, day or night.',
    contingency: 'If Sam is away, the duty worker at the team covers.',
  },
  accommodation: { description: 'Own flat, with tenancy support', s117Funded: false },
  nextReview: '2025-06-05',
  gp: { practice: 'Anytown Surgery', mailbox: 'anytown.surgery@example.org' },
};

export const recordPlanRoute = {
  method: 'POST',
  path: '/v1/register/episodes/{id}/plans',
  function: EPISODE_CARE_FUNCTION,
  kind: 'api',
  operationId: 'recordAftercarePlan',
  summary:
    "Record a version of the episode's aftercare plan (appended, never rewritten; idempotent by id); copies go to the person, the GP, the providers and consenting carers, each recorded as sent.",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: planSchemas,
  responses: {
    201: { description: 'The plan version, recorded, and the copies sent.', schema: null },
    200: { description: 'The same version was already recorded.', schema: null },
  },
  examples: { 'first-plan': planExample },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const getPlanRoute = {
  method: 'GET',
  path: '/v1/register/episodes/{id}/plan',
  function: EPISODE_CARE_FUNCTION,
  kind: 'api',
  operationId: 'getAftercarePlan',
  summary: "The episode's current aftercare plan and the copies of it recorded as sent.",
  auth: 'required',
  roles: REGISTER_READER_ROLES,
  schemas: planPathSchemas,
  responses: { 200: { description: 'The current plan.', schema: null } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const listPlansRoute = {
  method: 'GET',
  path: '/v1/register/episodes/{id}/plans',
  function: EPISODE_CARE_FUNCTION,
  kind: 'api',
  operationId: 'listAftercarePlans',
  summary: "Every version of the episode's aftercare plan, oldest first.",
  auth: 'required',
  roles: REGISTER_READER_ROLES,
  schemas: planPathSchemas,
  responses: { 200: { description: 'The versions.', schema: null } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const recordContactsRoute = {
  method: 'PUT',
  path: '/v1/register/people/{personRef}/contacts',
  function: EPISODE_CARE_FUNCTION,
  kind: 'api',
  operationId: 'recordContacts',
  summary:
    'How the person is written to (email, or a postal address only when by post; standard, large print or easy read) and their carers, family, representatives and advocates (IMHA, IMCA), with consent.',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: contactsSchemas,
  responses: { 200: { description: 'The contacts, recorded.', schema: null } },
  examples: {
    'carer-with-consent': {
      person: { letterFormat: 'large-print', postalAddress: ['1 High Street', 'Anytown', 'AN1 1AA'] },
      supporters: [
        {
          id: 'carer-1',
          kind: 'carer',
          name: 'Jo Example',
          relationship: 'mother',
          consentToShare: true,
          sendLetters: true,
          appropriatePerson: true,
          contact: { email: 'jo@example.org' },
        },
      ],
    },
  },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const maturityReportRoute = {
  method: 'GET',
  path: '/v1/reports/maturity',
  function: 'maturity-report',
  kind: 'api',
  operationId: 'getMaturityReport',
  summary: "The partnership's maturity matrix as on a date.",
  auth: 'required',
  roles: REGISTER_READER_ROLES,
  schemas: maturitySchemas,
  responses: { 200: { description: 'The report.', schema: null } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const delaysReportRoute = {
  method: 'GET',
  path: '/v1/reports/delays',
  function: 'delays-report',
  kind: 'api',
  operationId: 'getDelaysReport',
  summary:
    "The partnership's people clinically ready for discharge but still in hospital on a date: days since ready and what they wait for, longest wait first.",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: { query: delaysQuerySchema },
  responses: { 200: { description: 'A page of the report.', schema: delaysReportSchema } },
  problems: [400, 401, 403, 404, 422],
} as const satisfies RouteSpec;

export const maturityPageRoute = {
  method: 'GET',
  path: '/reports/maturity',
  function: 'maturity-page',
  kind: 'page',
  operationId: 'getMaturityPage',
  summary: "The partnership's maturity matrix as an HTML page.",
  auth: 'required',
  roles: REGISTER_READER_ROLES,
  schemas: maturitySchemas,
  responses: { 200: { description: 'The page.', schema: null, contentTypes: ['text/html; charset=utf-8'] } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const REGISTER_ROUTES: readonly RouteSpec[] = [
  createPersonRoute,
  getPersonRoute,
  getPersonChronologyRoute,
  recordEventRoute,
  recordChildRoute,
  recordChargeRoute,
  requestBudgetRoute,
  decideBudgetRoute,
  recordBatchRoute,
  listEpisodesRoute,
  getEpisodeRoute,
  setPractitionerRoute,
  recordReviewRoute,
  recommendEndingRoute,
  recordEndingDecisionRoute,
  reinstateRoute,
  getLetterRoute,
  recordPlanRoute,
  getPlanRoute,
  listPlansRoute,
  recordContactsRoute,
  maturityReportRoute,
  maturityPageRoute,
  delaysReportRoute,
];
