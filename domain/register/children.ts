/**
 * Children and young people on the register (issue 17 item 5): the child's legal status from the case facts
 * (child-status events), the involvement of the parents or of the council that looks after the child, education,
 * and transition planning from 14 with the handover to adult services at 18. Turning 18 changes no body: the same
 * ICB and council stay responsible, and the handover is within them, from children's to adult commissioners.
 * Pure: dates in, dates out.
 * @see rules.md R-CHILD-1 to R-CHILD-6
 */
import type { Instant } from '../applications/application.ts';
import { addMonths, type LocalDate } from '../dates.ts';
import type { CaseEvent, ChildLegalStatus, ChildStatusEvent, OrgCode } from '../facts.ts';

export const EDUCATION_SETTINGS = [
  'school',
  'special-school',
  'residential-school',
  'college',
  'hospital-education',
  'home-educated',
  'not-in-education',
] as const;
export type EducationSetting = (typeof EDUCATION_SETTINGS)[number];

/** What the register keeps about a child or young person, besides their facts. */
export interface ChildRecord {
  dateOfBirth: LocalDate;
  /** The parents (or others) with parental responsibility: whether they are involved in planning, and how. */
  parents?: { involved: boolean; note?: string };
  /** The council that looks after the child, or the leaving-care authority: whether it is involved, and its role. */
  responsibleCouncil?: { council: OrgCode; involved: boolean; role: 'looked-after' | 'leaving-care' | 'children-services' };
  education?: { setting: EducationSetting; ehcPlan: boolean; provider?: string };
  /** Transition planning (from 14): when it started, the adult services lead, and notes. */
  transitionPlan?: { startedOn: LocalDate; adultServicesLead?: string; notes?: string };
  /** The handover to adult services at 18, recorded by the review schedule on the register's clock. */
  handover?: { on: LocalDate; recordedAt: Instant };
  updatedAt: Instant;
}

export const TRANSITION_PLANNING_AGE = 14;
export const TRANSITION_REMINDER_AGE = 17;
export const ADULTHOOD = 18;

export const birthday = (dateOfBirth: LocalDate, age: number): LocalDate => addMonths(dateOfBirth, age * 12);

/** Whole years of age on a date. */
export function ageOn(dateOfBirth: LocalDate, date: LocalDate): number {
  let age = Number(date.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  if (birthday(dateOfBirth, age) > date) age -= 1;
  return age;
}

/** A transition milestone the review schedule reminds and acts on, like a review. */
export interface TransitionMilestone {
  /** Stable within the episode: `transition-18`. */
  key: string;
  /** The day the reminder goes (the 17th birthday). */
  remindOn: LocalDate;
  /** The day of the handover (the 18th birthday). */
  dueOn: LocalDate;
  /** The handover already recorded. */
  met: boolean;
  ruleIds: string[];
}

/** The handover to adult services at 18, reminded at 17 (R-CHILD-6); none for someone 18 or over when the duty arose. */
export function transitionMilestones(child: ChildRecord | undefined, arose: LocalDate | undefined): TransitionMilestone[] {
  if (child === undefined || arose === undefined) return [];
  const dueOn = birthday(child.dateOfBirth, ADULTHOOD);
  if (dueOn <= arose) return [];
  return [
    {
      key: 'transition-18',
      remindOn: birthday(child.dateOfBirth, TRANSITION_REMINDER_AGE),
      dueOn,
      met: child.handover !== undefined,
      ruleIds: ['R-CHILD-6'],
    },
  ];
}

const STATUS_WORDS: Record<ChildLegalStatus, { words: string; ruleIds: string[]; askPerson: boolean }> = {
  'living-with-parents': {
    words: 'lives with their parents; their ordinary residence is normally that of the parents with parental responsibility',
    ruleIds: ['R-CHILD-2'],
    askPerson: false,
  },
  'parents-living-apart': {
    words: 'divides time between parents living apart; where they were ordinarily resident is for a person to decide',
    ruleIds: ['R-CHILD-2'],
    askPerson: true,
  },
  'informal-arrangement': {
    words: 'lives with neither parent under informal arrangements; where they were ordinarily resident is for a person to decide',
    ruleIds: ['R-CHILD-2'],
    askPerson: true,
  },
  'care-order': {
    words:
      'is looked after under a care order; Children Act s105(6) does not apply to s117, and where a placed child is ordinarily resident is unsettled, so a person decides',
    ruleIds: ['R-CHILD-3', 'R-CHILD-4'],
    askPerson: true,
  },
  's20-accommodated': {
    words:
      'is accommodated by a council under s20 (the parents keep parental responsibility); where a placed child is ordinarily resident is unsettled, so a person decides',
    ruleIds: ['R-CHILD-3', 'R-CHILD-4'],
    askPerson: true,
  },
  'care-leaver': {
    words:
      'is a care leaver; the leaving-care authority keeps its duties, which does not make it the s117 council, and the personal adviser should be involved in planning',
    ruleIds: ['R-CHILD-5'],
    askPerson: false,
  },
  none: { words: 'has no recorded children’s legal status', ruleIds: [], askPerson: false },
};

export interface ChildView {
  dateOfBirth: LocalDate;
  age: number;
  isChild: boolean;
  legalStatus: {
    status: ChildLegalStatus;
    from: LocalDate | null;
    authority: OrgCode | null;
    explanation: string;
    ruleIds: string[];
    needsPerson: boolean;
  };
  transition: {
    planningFrom: LocalDate;
    reminderOn: LocalDate;
    handoverOn: LocalDate;
    /** 14 or over, under 18, and no transition plan recorded. */
    planningOverdue: boolean;
    handedOver: LocalDate | null;
    explanation: string;
    ruleIds: string[];
  };
  record: ChildRecord;
}

/** The child's legal status on a date: the latest child-status fact from on or before it. */
export function legalStatusOn(events: readonly CaseEvent[], date: LocalDate): ChildStatusEvent | null {
  const statuses = events.filter((e): e is ChildStatusEvent => e.type === 'child-status' && e.from <= date);
  return statuses.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)).at(-1) ?? null;
}

/**
 * What the register shows about a child on a date: age, legal status from the facts with the rule that governs it
 * (and whether a person must decide), and transition dates, with planning flagged when it is due and not recorded.
 * @see rules.md R-CHILD-1 to R-CHILD-6
 */
export function childView(child: ChildRecord, events: readonly CaseEvent[], asOf: LocalDate): ChildView {
  const age = ageOn(child.dateOfBirth, asOf);
  const status = legalStatusOn(events, asOf);
  const s = STATUS_WORDS[status?.status ?? 'none'];
  const planningFrom = birthday(child.dateOfBirth, TRANSITION_PLANNING_AGE);
  const handoverOn = birthday(child.dateOfBirth, ADULTHOOD);
  const planningOverdue = age >= TRANSITION_PLANNING_AGE && age < ADULTHOOD && child.transitionPlan === undefined;
  const transitionWords =
    child.handover !== undefined
      ? `Handed over to adult services on ${child.handover.on}; the same ICB and council remain responsible.`
      : age >= ADULTHOOD
        ? 'Turned 18: s117 continues with the same ICB and council; the handover to adult services is owed.'
        : planningOverdue
          ? `Transition planning is due from 14 (${planningFrom}) and none is recorded.`
          : `Transition planning from ${planningFrom}; a reminder on ${birthday(child.dateOfBirth, TRANSITION_REMINDER_AGE)}; the handover to adult services on ${handoverOn}.`;
  return {
    dateOfBirth: child.dateOfBirth,
    age,
    isChild: age < ADULTHOOD,
    legalStatus: {
      status: status?.status ?? 'none',
      from: status?.from ?? null,
      authority: status?.authority ?? null,
      explanation: `s117 applies at any age (R-CHILD-1). The young person ${s.words}.`,
      ruleIds: ['R-CHILD-1', ...s.ruleIds],
      needsPerson: s.askPerson,
    },
    transition: {
      planningFrom,
      reminderOn: birthday(child.dateOfBirth, TRANSITION_REMINDER_AGE),
      handoverOn,
      planningOverdue,
      handedOver: child.handover?.on ?? null,
      explanation: `${transitionWords} Turning 18 does not end, suspend or move the duty (R-CHILD-6).`,
      ruleIds: ['R-CHILD-6'],
    },
    record: child,
  };
}
