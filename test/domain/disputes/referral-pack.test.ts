/**
 * The referral pack for a dispute between councils (SI 2014/2829 reg 4): R-DISP-LA-1, -2, -5, -6, -7. Dates come from
 * the regulations: referral due four months after the dispute arose, legal arguments 14 days after referral.
 */
import { describe, expect, it } from 'vitest';
import { buildReferralPack } from '#domain/disputes/referral-pack.ts';
import type { Dispute } from '#domain/disputes/dispute.ts';
import type { Application, FundingArrangement } from '#domain/applications/application.ts';
import type { CaseEvent } from '#domain/facts.ts';
import type { Pence } from '#domain/money.ts';
import { determine } from '#domain/responsibility/determine.ts';
import { application } from '../../support/application-builder.ts';
import { detained, discharged, facts, gp, home } from '../../support/case-builder.ts';

const events: CaseEvent[] = [
  home('2020-01-01', 'LA-A', 'ICB-A'),
  gp('2020-01-01', 'ICB-A'),
  home('2023-01-01', 'LA-B', 'ICB-B', {
    setting: 'care-home',
    basis: 'best-interests-decision',
    arrangedBy: { body: 'LA-A', under: 'mha-s117' },
  }),
  detained('2024-01-10'),
  ...discharged('2024-04-01'),
  { type: 'cto', from: '2024-04-01', to: '2024-10-01' },
  { type: 'informal-admission', from: '2024-05-01', to: '2024-05-10' },
  { type: 'informal-admission', from: '2024-05-20' },
  { type: 'recall', date: '2024-05-15', from: 'cto' },
  { type: 'recall', date: '2024-05-16', from: 'conditional-discharge' },
  { type: 's17-leave', from: '2024-02-01', to: '2024-02-02', kind: 'overnight' },
  { type: 's17-leave', from: '2024-02-05', kind: 'escorted-day' },
  { type: 'imprisonment', from: '2019-01-01', to: '2019-06-01' },
  { type: 'imprisonment', from: '2018-01-01' },
  { type: 'aftercare-ended', date: '2024-05-25', icbAgreed: true, laAgreed: false, reasons: ['no-longer-needs-aftercare'] },
  { type: 'aftercare-ended', date: '2024-05-26', icbAgreed: false, laAgreed: true, reasons: ['no-longer-needs-aftercare'] },
  { type: 'aftercare-reinstated', date: '2024-05-27', basis: 'withdrawn-prematurely' },
  { type: 'child-status', from: '2010-01-01', status: 'care-order', authority: 'LA-A' },
  { type: 'child-status', from: '2011-01-01', status: 'living-with-parents' },
  { type: 'aftercare-service', from: '2024-04-01', to: '2024-09-01', kind: 'high-security', nhsEnglandMustArrange: true },
  { type: 'aftercare-service', from: '2024-04-01', kind: 'social-care' },
  { type: 'gp-registration', from: '2015-01-01', icb: null },
  { type: 'detention', from: '2015-02-01', section: '2', hospitalArea: { country: 'england' } },
  { type: 'cto', from: '2016-01-01' },
];
const f = facts('2024-06-01', [events], { capacityToDecideResidence: false });
const interim: FundingArrangement = {
  id: 'arr-1',
  state: 'interim',
  withoutPrejudice: true,
  startDate: '2024-04-01',
  lead: 'LA-B',
  shares: [
    { body: 'LA-A', basisPoints: 5000 },
    { body: 'LA-B', basisPoints: 5000 },
  ],
  basis: 'Interim 50:50 pending resolution.',
  ruleIds: ['R-DISP-LA-3'],
  createdAt: '2024-04-01T00:00:00.000Z',
} as FundingArrangement;
const app: Application = application({
  facts: f,
  determination: determine(f),
  person: { nhsNumber: '9434765919' },
  carePlan: {
    serviceLines: [
      {
        id: 'l1',
        description: 'Care home placement',
        provider: 'Oak House',
        category: 'accommodation',
        s117: true,
        weeklyCostPence: 120000 as Pence,
        startDate: '2024-04-01',
      },
      {
        id: 'l2',
        description: 'Gardening',
        provider: 'Oak House',
        category: 'other',
        s117: false,
        weeklyCostPence: 1000 as Pence,
        startDate: '2024-04-01',
        endDate: '2024-12-31',
      },
    ],
  } as Application['carePlan'],
  responses: {
    la: {
      party: 'la',
      body: 'LA-B',
      decision: 'dispute',
      proposedBody: 'LA-A',
      reason: 'Placed here by LA-A',
      at: '2024-04-15T10:00:00.000Z',
      by: 'u-b',
    },
  },
  arrangements: [interim],
  meetingNeedsNow: 'LA-B',
});
const dispute = {
  id: 'disp-1',
  applicationId: app.id,
  version: 1,
  kind: 'la-la',
  status: 'active',
  stage: 'local-negotiation',
  disputeDate: '2024-04-15',
  raisedBy: 'LA-B',
  bodies: ['LA-B', 'LA-A'],
  lead: 'LA-B',
  interimArrangementId: 'arr-1',
  stages: [
    {
      stage: 'local-negotiation',
      startedAt: '2024-04-15T10:00:00.000Z',
      deadline: '2024-08-15',
      endedAt: '2024-08-15T00:00:00.000Z',
      endedBy: 'deadline',
    },
  ],
  referralDue: '2024-08-15',
  basis: 'LA-B disputes responsibility.',
  ruleIds: ['R-DISP-LA-1'],
  openedAt: '2024-04-15T10:00:00.000Z',
  updatedAt: '2024-04-15T10:00:00.000Z',
} as unknown as Dispute;

const pack = buildReferralPack({
  id: 'pack-1',
  app,
  dispute,
  chronology: [
    {
      sequence: 1,
      at: '2024-04-15T10:00:00.000Z',
      type: 'dispute-opened',
      actor: { org: 'LA-B' },
      data: { bodies: ['LA-B', 'LA-A'], note: 'x', nested: { a: 1 } },
    },
    { sequence: 2, at: '2024-05-01T10:00:00.000Z', type: 'care-note', actor: { system: 'engine' }, data: {} },
  ] as never,
  names: { 'LA-A': 'Anyshire County Council', 'LA-B': 'Otherby Borough Council' },
  referredOn: '2024-08-15',
  generatedAt: '2024-08-15T12:00:00.000Z',
});

describe('referral pack (R-DISP-LA-6)', () => {
  it('carries the dates the regulations set: dispute date, four-month referral, 14-day legal arguments', () => {
    expect(pack).toMatchObject({ disputeDate: '2024-04-15', referralDue: '2024-08-15', legalArgumentsDue: '2024-08-29' });
    expect(pack.ruleIds).toEqual(['R-DISP-LA-1', 'R-DISP-LA-2', 'R-DISP-LA-5', 'R-DISP-LA-6', 'R-DISP-LA-7']);
  });

  it('has a section for every matter of reg 4(2), and a signature line for each authority', () => {
    expect(pack.sections.map((s) => s.heading.replace(/^(\d+|Appendix)\. /u, ''))).toEqual([
      'Referral',
      'Nature of the dispute',
      'Chronology, including the date the dispute arose',
      "The person's needs over the period",
      'Which authority has met the needs, how, and under which provisions',
      'Current and relevant former places of residence',
      'Capacity to decide where to live',
      'Steps taken to resolve the dispute',
      'The determination of the s117 engine, with its reasons and rules',
      'Statements of facts signed on behalf of each authority',
      'Correspondence between the authorities',
    ]);
    expect(pack.text).toContain('Signed on behalf of Anyshire County Council (LA-A)');
    expect(pack.text).toContain('Signed on behalf of Otherby Borough Council (LA-B)');
  });

  it('states the facts in words: residence, arrangements, capacity, needs, the interim funding and the lead', () => {
    expect(pack.text).toContain('care home (basis: best interests decision)');
    expect(pack.text).toContain('accommodation arranged by Anyshire County Council (LA-A) under Mental Health Act 1983 s117');
    expect(pack.text).toContain('recorded as lacking capacity to decide where to live');
    expect(pack.text).toContain('Care home placement (accommodation, s117 aftercare), Oak House, £1,200.00 a week from 1 April 2024.');
    expect(pack.text).toContain('Gardening (other, not s117)');
    expect(pack.text).toContain('Otherby Borough Council (LA-B) 50%');
    expect(pack.text).toContain(
      "was meeting the person's needs on the date the dispute arose, and so is the lead authority (reg 1(2), reg 2(2))",
    );
    expect(pack.text).toContain('Disputed responsibility, naming Anyshire County Council (LA-A) as responsible: "Placed here by LA-A".');
    expect(pack.text).toContain('Community treatment order until 1 October 2024');
    expect(pack.text).toContain('Informal admission until 10 May 2024');
    expect(pack.text).toContain('15 April 2024: Dispute opened by Otherby Borough Council (LA-B).');
    expect(pack.text).toContain('1 May 2024: Care note.');
    for (const line of [
      '15 May 2024: Recalled from a community treatment order.',
      '16 May 2024: Recalled from conditional discharge.',
      '1 February 2024: S17 leave (overnight) until 2 February 2024.',
      '5 February 2024: S17 leave (escorted day).',
      '1 January 2019: Imprisoned until 1 June 2019.',
      '1 January 2018: Imprisoned.',
      '25 May 2024: Aftercare recorded as ended (ICB agreed: yes, council agreed: no).',
      '26 May 2024: Aftercare recorded as ended (ICB agreed: no, council agreed: yes).',
      '27 May 2024: Aftercare reinstated (withdrawn prematurely).',
      "1 January 2010: Child's status: care order, authority Anyshire County Council (LA-A).",
      "1 January 2011: Child's status: living with parents.",
      '1 April 2024: Aftercare service (high security) until 1 September 2024, one NHS England must arrange.',
      '1 April 2024: Aftercare service (social care).',
      '1 January 2015: Registered with a GP practice in no ICB area (not registered).',
      '1 February 2015: Detained under MHA s2.',
      '20 May 2024: Informal admission.',
      '1 January 2016: Community treatment order.',
      '10 January 2024: Detained under MHA s3 in a hospital in LA-HOSP.',
      '1 April 2024: Left hospital.',
    ])
      expect(pack.text).toContain(line);
  });

  it('is sentences and tables: no object dumps, raw types or timestamps, and no entry printed twice (issue 16, item 5)', () => {
    for (const rendering of [pack.text, pack.html]) {
      expect(rendering).not.toContain('[object');
      expect(rendering).not.toContain('dispute-opened');
      expect(rendering).not.toContain('T10:00:00');
      expect(rendering).not.toMatch(/#\d+ /);
    }
    expect(pack.text.split('Dispute opened by').length - 1).toBe(1);
    const chronology = pack.sections.find((s) => s.heading.startsWith('2. '))?.table;
    expect(chronology?.head).toStrictEqual(['Date', 'What happened']);
    expect(chronology?.rows.slice(0, 2)).toStrictEqual([
      ['1 January 2010', "Child's status: care order, authority Anyshire County Council (LA-A)."],
      ['1 January 2011', "Child's status: living with parents."],
    ]);
    expect(chronology?.rows.at(-1)).toStrictEqual([
      '15 August 2024',
      'Referred to the Secretary of State by Otherby Borough Council (LA-B).',
    ]);
    const letters = pack.sections.at(-1)?.table;
    expect(letters?.rows).toStrictEqual([
      [
        '15 April 2024',
        'Otherby Borough Council (LA-B)',
        'Disputed responsibility, naming Anyshire County Council (LA-A) as responsible: "Placed here by LA-A".',
      ],
    ]);
    expect(pack.html).toContain('<th scope="col" class="nhsuk-table__header">What happened</th>');
  });

  it('never carries the NHS number, and escapes its HTML', () => {
    expect(pack.text).not.toContain('9434765919');
    expect(pack.html).not.toContain('9434765919');
    expect(pack.html).toContain('person&#39;s needs');
  });

  it('says what is missing rather than inventing it', () => {
    const bare = buildReferralPack({
      id: 'pack-2',
      app: application({ arrangements: [] }),
      dispute: { ...dispute, interimArrangementId: 'none' } as Dispute,
      chronology: [],
      names: {},
      referredOn: '2024-08-15',
      generatedAt: '2024-08-15T12:00:00.000Z',
    });
    expect(bare.text).toContain('Capacity to decide where to live is not recorded');
    expect(bare.text).toContain("LA-B is the lead authority and meets the person's needs while the dispute is resolved (reg 2(2)).");
    expect(bare.text).toContain('No authority was recorded as meeting the needs when the application was made.');
  });
});
