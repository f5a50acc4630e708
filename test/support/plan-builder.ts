/** A complete aftercare plan version's content (issue 17), for tests: two needs, two services on one application, a GP. */
import type { PlanContent, PlanService } from '#domain/register/plan.ts';

export const cmhtService: PlanService = {
  description: 'Weekly CMHT visits',
  needIds: ['mood'],
  applicationId: 'app_aaaaaaaaaaaaaaaaaaaa',
  lineId: 'line-1',
  provider: { name: 'CMHT', mailbox: 'cmht@example.org' },
};

export const housingService: PlanService = {
  description: 'Tenancy support',
  needIds: ['home'],
  applicationId: 'app_aaaaaaaaaaaaaaaaaaaa',
  lineId: 'line-2',
  provider: { name: 'Housing Co', mailbox: 'housing@example.org' },
};

export const planContent = (over: Partial<PlanContent> = {}): PlanContent => ({
  needs: [
    { id: 'mood', description: 'Keeping well' },
    { id: 'home', description: 'Managing a tenancy' },
  ],
  services: [cmhtService, housingService],
  careCoordinator: { name: 'Sam Coordinator', role: 'Care coordinator', email: 'sam@example.org' },
  meeting: {
    date: '2025-03-05',
    attendees: [{ name: 'Sam Coordinator', role: 'Care coordinator' }],
    personTookPart: true,
    carerTookPart: true,
    advocateTookPart: null,
  },
  crisis: { contacts: 'Crisis line 0800 000 0000.', contingency: 'Duty worker covers.' },
  accommodation: { description: 'Own flat', s117Funded: false },
  nextReview: '2025-06-05',
  gp: { practice: 'Anytown Surgery', mailbox: 'surgery@example.org' },
  ...over,
});
