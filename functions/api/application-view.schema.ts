/**
 * What the API answers: the application view, list summaries, responses, the chronology and a
 * determination v1. These schemas document the answers (OpenAPI); the views are built in application-view.ts.
 */
import * as z from 'zod';
import { dischargeViewSchema } from './discharge.schema.ts';
import { packageDecisionViewSchema } from './package-change.schema.ts';
import { APPLICATION_STATUSES, SERVICE_CATEGORIES } from '#domain/applications/application.ts';
import type { Determination } from '#domain/determination.ts';
import { caseFactsSchema } from '../shared/case-facts.schema.ts';

const responsibleBodySchema = z.object({
  body: z.string().nullable(),
  kind: z.enum([
    'english-icb',
    'nhs-england',
    'welsh-health-board',
    'english-la',
    'welsh-la',
    'outside-england-and-wales',
    'none',
    'undetermined',
  ]),
  ruleIds: z.array(z.string()),
  citations: z.array(z.string()),
  since: z.string().exactOptional(),
  reasons: z.array(z.string()),
  commissioner: z.object({ body: z.string().nullable(), ruleIds: z.array(z.string()) }).exactOptional(),
});

export const determinationSchema: z.ZodType<Determination> = z
  .object({
    caseId: z.string(),
    evaluationDate: z.string(),
    ruleSet: z.string(),
    eligibility: z.object({
      status: z.enum(['eligible', 'not-yet', 'not-eligible', 'ended']),
      since: z.string().exactOptional(),
      qualifyingSection: z.string().exactOptional(),
      detentionFrom: z.string().exactOptional(),
      ruleIds: z.array(z.string()),
      reasons: z.array(z.string()),
    }),
    icb: responsibleBodySchema,
    localAuthority: responsibleBodySchema,
    needsHumanReview: z.array(z.object({ code: z.string(), message: z.string(), ruleIds: z.array(z.string()) })),
    explanation: z.array(z.string()),
    ruleIds: z.array(z.string()),
  })
  .describe('Determination v1: eligibility and the responsible ICB and local authority, with reasons and rule ids.');

export const responseViewSchema = z.object({
  party: z.enum(['icb', 'la']),
  body: z.string(),
  decision: z.enum(['accept', 'dispute']),
  reason: z.string().exactOptional(),
  proposedBody: z.string().exactOptional(),
  about: z.enum(['responsibility', 'apportionment']).exactOptional(),
  at: z.string(),
  by: z.string(),
});
export type ResponseView = z.infer<typeof responseViewSchema>;

const shareViewSchema = z.object({
  body: z.string(),
  party: z.enum(['icb', 'la']),
  /** Percent of the cost, to two decimal places. */
  percentage: z.number(),
  basisPoints: z.int(),
});

export const fundingViewSchema = z.object({
  state: z.enum(['none', 'interim', 'agreed']),
  startDate: z.string().nullable(),
  lead: z.string().nullable(),
  shares: z.array(shareViewSchema),
  withoutPrejudice: z.boolean().nullable(),
  basis: z.string().nullable(),
  arrangementId: z.string().nullable(),
});
export type FundingView = z.infer<typeof fundingViewSchema>;

const arrangementViewSchema = z.object({
  id: z.string(),
  state: z.enum(['interim', 'agreed']),
  withoutPrejudice: z.boolean(),
  startDate: z.string(),
  lead: z.string(),
  shares: z.array(shareViewSchema),
  basis: z.string(),
  ruleIds: z.array(z.string()),
  createdAt: z.string(),
});

const serviceLineViewSchema = z.object({
  id: z.string(),
  description: z.string(),
  provider: z.string(),
  category: z.enum(SERVICE_CATEGORIES),
  s117: z.boolean(),
  weeklyCostPence: z.int(),
  startDate: z.string(),
  endDate: z.string().exactOptional(),
  uplifts: z.array(z.object({ from: z.string(), weeklyCostPence: z.int() })).exactOptional(),
  agreedSplit: z.object({ icbBasisPoints: z.int(), panelDecisionRef: z.string(), decisionDate: z.string() }).exactOptional(),
  topUp: z
    .object({
      id: z.string(),
      payer: z.object({ kind: z.enum(['person', 'third-party']), name: z.string().exactOptional() }),
      usualCostWeeklyPence: z.int(),
      weeklyPence: z.int(),
      from: z.string(),
      reviewDate: z.string(),
      signedOn: z.string(),
    })
    .exactOptional(),
});

const ledgerPayerViewSchema = z.object({ body: z.string(), party: z.enum(['icb', 'la']), basisPoints: z.int(), weeklyPence: z.int() });

/** What the ledger (domain/funding/ledger.ts) says is in force on a day: the same pence the exports book. */
export const ledgerDayViewSchema = z
  .object({
    date: z.string(),
    decision: z
      .object({
        arrangementId: z.string(),
        state: z.enum(['interim', 'agreed']),
        withoutPrejudice: z.boolean(),
        cause: z.string().exactOptional(),
        lead: z.string(),
        policyId: z.string(),
        policyVersion: z.int(),
        agreementRef: z.string(),
        ruleIds: z.array(z.string()),
      })
      .nullable(),
    lines: z.array(
      z.object({
        lineId: z.string(),
        description: z.string(),
        provider: z.string(),
        category: z.enum(SERVICE_CATEGORIES),
        s117: z.boolean(),
        chargeable: z.boolean(),
        weeklyCostPence: z.int(),
        topUpWeeklyPence: z.int(),
        fundedWeeklyPence: z.int(),
        basis: z.string(),
        panelDecisionRef: z.string().exactOptional(),
        payers: z.array(ledgerPayerViewSchema),
      }),
    ),
    fundedWeeklyPence: z.int(),
    byBody: z.array(z.object({ body: z.string(), party: z.enum(['icb', 'la']), weeklyPence: z.int() })),
  })
  .describe('What is in force on the day: each service line, its weekly cost, s117 or chargeable, and the pence each body pays a week.');
export type LedgerDayView = z.infer<typeof ledgerDayViewSchema>;

export const applicationViewSchema = z.object({
  id: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  partnershipId: z.string(),
  personRef: z.string(),
  person: z.object({ nhsNumber: z.string(), name: z.string().exactOptional() }),
  facts: caseFactsSchema,
  carePlan: z.object({ serviceLines: z.array(serviceLineViewSchema) }),
  requestedStartDate: z.string(),
  meetingNeedsNow: z.string().exactOptional(),
  submittedBy: z.object({ userId: z.string(), org: z.string() }),
  parties: z.array(z.string()),
  determination: determinationSchema.nullable(),
  responses: z.object({ icb: responseViewSchema.exactOptional(), la: responseViewSchema.exactOptional() }),
  funding: fundingViewSchema,
  arrangements: z.array(arrangementViewSchema),
  /** Issue 13 item 3: the changes to the package, each a decision, in the order made (absent: none). */
  packageDecisions: z.array(packageDecisionViewSchema).exactOptional(),
  /** Issue 13 item 2: the ledger on the day the application is read (absent only where no partnership is known). */
  inForce: ledgerDayViewSchema.exactOptional(),
  /** Issue 13 item 5: absent when nothing about leaving hospital was recorded. */
  discharge: dischargeViewSchema.exactOptional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.int(),
});
export type ApplicationView = z.infer<typeof applicationViewSchema>;

export const applicationSummarySchema = z.object({
  id: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  personRef: z.string(),
  requestedStartDate: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const applicationListSchema = z.object({
  items: z.array(applicationSummarySchema),
  cursor: z.string().exactOptional(),
});
export type ApplicationList = z.infer<typeof applicationListSchema>;

export const chronologyViewSchema = z.object({
  entries: z.array(
    z.object({
      sequence: z.int(),
      at: z.string(),
      type: z.string(),
      actor: z.object({ userId: z.string().exactOptional(), org: z.string().exactOptional(), system: z.string().exactOptional() }),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type ChronologyView = z.infer<typeof chronologyViewSchema>;
