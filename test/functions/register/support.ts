/** In-memory ports for the register's use-cases: a directory with one partnership, a settable clock, recorded mail and starts. */
import type { Instant } from '#domain/applications/application.ts';
import type { LocalDate } from '#domain/dates.ts';
import type { PanelConfig } from '#domain/panels/panel.ts';
import { DEFAULT_FUNDING_SETTINGS, type Partnership } from '#domain/partnership.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import {
  memoryPorts,
  type MemoryApplicationStore,
  type MemoryChronology,
  type MemoryMailer,
  type MemoryWorkflow,
} from '#functions/adapters/memory/index.ts';
import type { DirectoryOrganisation } from '#domain/ports.ts';
import type { RegisterDeps } from '#functions/register/deps.ts';
import type { MemoryRegisterStore } from '#functions/adapters/memory/register.ts';
import type { Caller } from '#functions/shared/auth.ts';

export const REVIEW_ARN = 'arn:aws:states:eu-west-2:000000000000:stateMachine:review-schedule';
export const ENDING_ARN = 'arn:aws:states:eu-west-2:000000000000:stateMachine:ending-recommendation';
export const BASE = 'https://s117.example.test';

const org = (code: string, kind: DirectoryOrganisation['kind'], partnerships: string[]): DirectoryOrganisation => ({
  code,
  kind,
  name: `${code} (test)`,
  email: `${code.toLowerCase()}@example.test`,
  partnerships,
});

export const PARTNERSHIP: Partnership = {
  id: 'west',
  name: 'West',
  members: ['QGH', 'QOX', 'E10000034', 'E06000030'],
  ruleConfig: DEFAULT_RULE_CONFIG,
  responseDeadlineDays: 10,
  funding: { ...DEFAULT_FUNDING_SETTINGS },
};
export const ELSEWHERE: Partnership = { ...PARTNERSHIP, id: 'south', name: 'South', members: ['QXU', 'E10000030'] };

export interface TestRegisterDeps extends RegisterDeps {
  store: MemoryRegisterStore;
  chronology: MemoryChronology;
  applications: MemoryApplicationStore;
  mailer: MemoryMailer;
  workflow: MemoryWorkflow;
  setNow(at: Instant): void;
}

/** `options.panel`: the partnership 'west' has a joint panel (endings go to it). */
export function registerTestDeps(start: Instant = '2025-03-11T09:00:00.000Z', options: { panel?: PanelConfig } = {}): TestRegisterDeps {
  let at = start;
  // The tests' composition root: every twin fresh, the directory seeded, the clock settable.
  const ports = memoryPorts(
    { now: () => at, today: () => at.slice(0, 10) },
    {
      organisations: [
        org('QGH', 'icb', ['west']),
        org('QOX', 'icb', ['west']),
        org('E10000034', 'la', ['west']),
        org('E06000030', 'la', ['west']),
        org('QXU', 'icb', ['south']),
        org('E10000030', 'la', ['south']),
      ],
      partnerships: [options.panel === undefined ? PARTNERSHIP : { ...PARTNERSHIP, panel: options.panel }, ELSEWHERE],
    },
  );
  return {
    store: ports.register,
    chronology: ports.chronology,
    directory: ports.directory,
    applications: ports.applications,
    disputes: ports.disputes,
    mailer: ports.mailer,
    workflow: ports.workflow,
    clock: ports.clock,
    reviewStateMachineArn: REVIEW_ARN,
    endingStateMachineArn: ENDING_ARN,
    personRefKey: async () => 'test-person-ref-key-0123456789abcdef',
    appBaseUrl: BASE,
    setNow: (next) => {
      at = next;
    },
  };
}

export const caller = (org: string): Caller => ({ userId: `${org.toLowerCase()}-user`, org, role: 'commissioner' });

export const settledInWorcestershire = [
  {
    type: 'residence' as const,
    from: '2018-01-01',
    area: { country: 'england' as const, la: 'E10000034', icb: 'QGH' },
    setting: 'own-home' as const,
    basis: 'own-choice' as const,
  },
  { type: 'gp-registration' as const, from: '2018-01-01', icb: 'QGH' },
];

/** Records the joint review at which both bodies considered ending the episode (R-END-6), as the register would. */
export async function jointReviewHeld(deps: RegisterDeps, personRef: string, n: number, date: LocalDate = '2025-10-01'): Promise<void> {
  await deps.store.putReview(personRef, n, {
    id: `rev_${date}`,
    date,
    outcome: 'recommend-ending',
    personTookPart: true,
    participants: [
      { name: 'Dr A', role: 'responsible clinician (ICB)' },
      { name: 'B Manager', role: 'social care manager (council)' },
    ],
    recordedAt: `${date}T12:00:00.000Z`,
    recordedBy: { userId: 'qgh-user', org: 'QGH' },
  });
}

/**
 * A complete report for a recommendation to end aftercare: the person's views and involvement (R-END-5), the
 * clinicians' confirmations, and the letter sent (R-END-7). Tests that need a gap delete from a copy.
 */
export const ENDING_REPORT = {
  personViews: 'I feel well and want to manage without services.',
  personInvolved: true,
  needsNoLongerArise: 'Stable for 18 months without specialist input.',
  readmissionRiskReasoning: 'Relapse plan with GP; no admissions since discharge.',
  responsibleClinician: { name: 'Dr A', confirmed: true, date: '2025-10-01' },
  socialCareManager: { name: 'B Manager', council: 'E10000034', confirmed: true, date: '2025-10-01' },
  involvement: { date: '2025-10-01', form: 'review-meeting' as const },
  personLetterSentOn: '2025-10-02',
};
