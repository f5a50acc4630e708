/**
 * The rule book as data: every rule id in ../shared/domain/rules.md with its source, the confidence
 * the rule book gives it, and the dates it is in force. Decisions cite these ids; letters and panels
 * quote the citations. Ids marked `namedBy: 'engine'` name the NHS rule sets of rules.md section 1.2,
 * which the rule book describes without ids.
 */
import type { LocalDate } from '../dates.ts';

export type Confidence = 'verified' | 'secondary' | 'unverified' | 'uncertain';

export interface RuleEntry {
  readonly id: string;
  readonly title: string;
  readonly citation: string;
  readonly confidence: Confidence;
  readonly inForceFrom?: LocalDate;
  readonly inForceUntil?: LocalDate;
  readonly namedBy?: 'rule-book' | 'engine';
}

const entries: RuleEntry[] = [
  // NHS general rules
  {
    id: 'R-WP-GEN-1',
    title: 'Core responsibility follows the registered GP practice',
    citation: 'NHS Act 2006 s14Z31; Who Pays? (NHS England, 2022/2024)',
    confidence: 'secondary',
  },
  {
    id: 'R-WP-GEN-2',
    title: 'Unregistered people: the ICB where the person is usually resident',
    citation: 'NHS Act 2006 s14Z31; Who Pays? (NHS England, 2022/2024)',
    confidence: 'secondary',
  },
  {
    id: 'R-WP-GEN-3',
    title: 'Emergency care: the ICB where the person is present',
    citation: 'SI 2022/635 Schedule para 2(a), reg 3(3)',
    confidence: 'verified',
  },
  {
    id: 'R-WP-GEN-4',
    title: 'Scotland, Wales and NI residents detained in England: the ICB where present (services)',
    citation: 'SI 2022/635 Schedule para 2(k)',
    confidence: 'verified',
  },
  {
    id: 'R-WP-GEN-5',
    title: 'No care is refused or delayed over which NHS commissioner pays',
    citation: 'Who Pays? 2020 para 1.4',
    confidence: 'secondary',
  },
  {
    id: 'R-WP-GEN-6',
    title: 'Placed persons: the placing ICB keeps continuing-care responsibility, not s117',
    citation: 'SI 2022/635 Schedule paras 2(b), 3',
    confidence: 'verified',
  },
  {
    id: 'R-WP-GEN-7',
    title: 'Prisoners: NHS England commissions health services',
    citation: 'NHS Act 2006 s3B(1)(c)',
    confidence: 'verified',
  },
  // NHS rule sets before the 2022 regulations (rules.md section 1.2)
  {
    id: 'R-WP-SET-A',
    title: 'Before 1 April 2013: the health body for the area where the person was resident immediately before detention',
    citation: 'MHA 1983 s117(3) (pre-2013 practice); Bevan Brittan, 12 Feb 2014',
    confidence: 'secondary',
    inForceUntil: '2013-03-31',
    namedBy: 'engine',
  },
  {
    id: 'R-WP-SET-B',
    title: '1 April 2013 to 31 March 2016: the CCG of the GP practice, or of usual residence if unregistered',
    citation: 'NHS Standing Rules Regulations 2012 (SI 2012/2996) reg 14(2)(a)',
    confidence: 'secondary',
    inForceFrom: '2013-04-01',
    inForceUntil: '2016-03-31',
    namedBy: 'engine',
  },
  {
    id: 'R-WP-SET-C',
    title: '1 April 2016 to 31 August 2020: the CCG for the area of ordinary residence immediately before detention',
    citation: 'MHA 1983 s117(3); SI 2016/293 repealing SI 2012/2996 reg 14(2)(a)',
    confidence: 'secondary',
    inForceFrom: '2016-04-01',
    inForceUntil: '2022-06-30',
    namedBy: 'engine',
  },
  {
    id: 'R-WP-SET-C-SAVING',
    title: 'A CCG holding the duty on 31 March 2016 keeps it until aftercare ends or the next qualifying detention',
    citation: 'SI 2016/293 reg 5 (transitional saving)',
    confidence: 'secondary',
    inForceFrom: '2016-04-01',
    inForceUntil: '2022-06-30',
    namedBy: 'engine',
  },
  {
    id: 'R-WP-SET-D',
    title:
      'Detentions from 1 September 2020: the originating CCG (GP registration, else usual residence, immediately before detention) pays; the CCG of ordinary residence commissions',
    citation: 'Who Pays? (NHS England, August 2020); MHA 1983 s117(3)',
    confidence: 'secondary',
    inForceFrom: '2020-09-01',
    inForceUntil: '2022-06-30',
    namedBy: 'engine',
  },
  // NHS rule set E: the ICB Regulations 2022
  {
    id: 'R-WP-117-1',
    title: 'Detention: the ICB with core responsibility when the relevant application was made',
    citation: 'SI 2022/635 reg 5',
    confidence: 'verified',
    inForceFrom: '2022-07-01',
  },
  {
    id: 'R-WP-117-2',
    title: 's117 ICB: the ICB responsible during the detention to which the aftercare relates (usually resident in England)',
    citation: 'SI 2022/635 reg 7(1)-(2)',
    confidence: 'verified',
    inForceFrom: '2022-07-01',
  },
  {
    id: 'R-WP-117-3',
    title: 'The originating ICB keeps responsibility across re-detentions until discharge from aftercare',
    citation: 'SI 2022/635 regs 2(2), 5(3), 7; NHS England note on the Worcestershire decision (2023)',
    confidence: 'verified',
    inForceFrom: '2022-07-01',
  },
  {
    id: 'R-WP-117-4',
    title: 'People already detained or on s117 on 1 July 2022: the ICB with core responsibility on 1 July 2022',
    citation: 'SI 2022/635 regs 6, 7(3)',
    confidence: 'verified',
    inForceFrom: '2022-07-01',
  },
  {
    id: 'R-WP-117-5',
    title:
      'NHS England-commissioned detentions: core responsibility on discharge (began before 1 July 2022) or on the first day (from 1 July 2022); reg 8 services to NHS England',
    citation: 'SI 2022/635 regs 7(4), 7(5), 8',
    confidence: 'verified',
    inForceFrom: '2022-07-01',
  },
  {
    id: 'R-WP-117-6',
    title: 'Not usually resident in England: the s117(3)(b) or (c) bodies',
    citation: 'SI 2022/635 reg 7(2); MHA 1983 s117(3)(b)-(c)',
    confidence: 'verified',
  },
  {
    id: 'R-WP-117-7',
    title: 'Part 3 patients in ICB-commissioned beds: general core responsibility (uncertain on GP change mid-detention)',
    citation: 'SI 2022/635 reg 5(2); mentalhealthlaw forum discussion',
    confidence: 'uncertain',
    inForceFrom: '2022-07-01',
  },
  {
    id: 'R-WP-117-8',
    title: 'A July 2025 Who Pays? version is reported but unverified',
    citation: 'third-party code repository only',
    confidence: 'unverified',
  },
  // NHS disputes
  { id: 'R-WP-DISP-1', title: 'Mandatory NHS dispute resolution process', citation: 'Who Pays? 2020 Appendix 1', confidence: 'secondary' },
  {
    id: 'R-WP-DISP-2',
    title: 'Disputing commissioners must agree who arranges care pending resolution',
    citation: 'Who Pays? 2020 para 7.4',
    confidence: 'secondary',
  },
  {
    id: 'R-WP-DISP-3',
    title: 'Interim without-prejudice funding split 50:50 between disputing commissioners',
    citation: 'Who Pays? 2020; DAC Beachcroft, 8 Sep 2020',
    confidence: 'secondary',
  },
  {
    id: 'R-WP-DISP-4',
    title: 'Local resolution, then NHS England regional, then national team',
    citation: 'Who Pays? 2020 Appendix 1',
    confidence: 'secondary',
  },
  { id: 'R-WP-DISP-5', title: 'Care continues throughout an NHS dispute', citation: 'Who Pays? 2020 para 1.4', confidence: 'secondary' },
  // Local authority
  {
    id: 'R-LA-1',
    title: 'The LA where the person was ordinarily resident immediately before detention; Wales; any other case',
    citation: 'MHA 1983 s117(3) as amended by Care Act 2014 s75',
    confidence: 'verified',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-LA-2',
    title: 'Ordinary residence disputes between English LAs go to the Secretary of State (Care Act s40)',
    citation: 'MHA 1983 s117(4); Care Act 2014 s40',
    confidence: 'verified',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-LA-3',
    title: 'Before 1 April 2015 the test was where the person was "resident"',
    citation: 'MHA 1983 s117(3) (original wording); R (Sunderland CC) v South Tyneside [2012] EWCA Civ 1232',
    confidence: 'verified',
    inForceUntil: '2015-03-31',
  },
  {
    id: 'R-LA-4',
    title: 'Care Act s39(4) deeming is for Care Act purposes only, not s117(3)',
    citation: 'Care Act 2014 s39(4); R (Worcestershire CC) v SSHSC [2023] UKSC 31',
    confidence: 'verified',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-LA-5',
    title: 'A fresh qualifying detention ends the LA duty; a new duty follows ordinary residence before the new detention',
    citation: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31',
    confidence: 'secondary',
  },
  {
    id: 'R-LA-6',
    title: 'Ordinary residence has its ordinary (Shah) meaning for s117',
    citation: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31; R v Barnet LBC ex p Shah [1983] 2 AC 309',
    confidence: 'secondary',
  },
  {
    id: 'R-LA-7',
    title: 'Lacking capacity: the voluntary element comes from whoever decides for the person (best interests)',
    citation: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31; R (Cornwall Council) v SSH [2015] UKSC 46',
    confidence: 'secondary',
  },
  {
    id: 'R-LA-8',
    title: 'An out-of-area s117 placement does not keep the person ordinarily resident in the placing area',
    citation: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31',
    confidence: 'secondary',
  },
  {
    id: 'R-LA-9',
    title: 'An informal or s2 readmission does not end the s117 duty',
    citation: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31; MHA Code of Practice para 33.22(d)',
    confidence: 'secondary',
  },
  {
    id: 'R-LA-10',
    title: 'Whether imprisonment ends the duty is contested: flag, do not close',
    citation: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31 para 49 (contested); MHA Code of Practice para 33.10',
    confidence: 'uncertain',
  },
  {
    id: 'R-LA-11',
    title: 'DHSC is deciding stayed ordinary residence determinations; guidance paras 19.62-19.68 stand',
    citation: 'DHSC position on OR disputes after Worcestershire (updated 27 Sep 2024)',
    confidence: 'verified',
  },
  {
    id: 'R-LA-12',
    title: 'Cornwall: ordinary residence of a person lacking capacity placed by an authority',
    citation: 'R (Cornwall Council) v SSH [2015] UKSC 46',
    confidence: 'secondary',
  },
  {
    id: 'R-LA-13',
    title: 'Cornwall placing-authority reasoning does not transfer to s117',
    citation: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31',
    confidence: 'secondary',
  },
  {
    id: 'R-LA-14',
    title: 'Capacity is decision-specific; where lacking, consider all the facts',
    citation: 'Care and Support Statutory Guidance paras 19.23-19.26',
    confidence: 'secondary',
  },
  {
    id: 'R-LA-15',
    title: 'Detention in hospital is never residence; a voluntary in-patient stay can be',
    citation: 'R (Hertfordshire CC) v Hammersmith & Fulham LBC [2011] EWCA Civ 77; R (Sunderland CC) v South Tyneside [2012] EWCA Civ 1232',
    confidence: 'secondary',
  },
  {
    id: 'R-LA-16',
    title: 'MHA 2025 s46: s117(3A) deeming and joint written notice to end aftercare, from commencement',
    citation: 'Mental Health Act 2025 s46 (not in force until commencement regulations)',
    confidence: 'verified',
  },
  // Local authority disputes
  {
    id: 'R-DISP-LA-1',
    title: 'A dispute arises on the first written assertion by one LA to another',
    citation: 'SI 2014/2829 reg 1(3)',
    confidence: 'verified',
  },
  {
    id: 'R-DISP-LA-2',
    title: 'Lead authority: the LA meeting needs on the dispute date',
    citation: 'SI 2014/2829 reg 1(2)',
    confidence: 'verified',
  },
  {
    id: 'R-DISP-LA-3',
    title: 'Needs are met throughout; the LA meeting them continues; else where the person is living or present',
    citation: 'SI 2014/2829 reg 2',
    confidence: 'verified',
  },
  {
    id: 'R-DISP-LA-4',
    title: 'Pre-referral steps: named contacts, information, cooperation',
    citation: 'SI 2014/2829 reg 3(1)-(6)',
    confidence: 'verified',
  },
  {
    id: 'R-DISP-LA-5',
    title: 'Referral to the Secretary of State within four months of the dispute date',
    citation: 'SI 2014/2829 reg 3(7)',
    confidence: 'verified',
  },
  {
    id: 'R-DISP-LA-6',
    title: 'Referral pack: letter, statement of facts signed by each LA, correspondence',
    citation: 'SI 2014/2829 reg 4(1)-(2)',
    confidence: 'verified',
  },
  { id: 'R-DISP-LA-7', title: 'Legal arguments within 14 days of referral', citation: 'SI 2014/2829 reg 4(3)-(5)', confidence: 'verified' },
  {
    id: 'R-DISP-LA-8',
    title: 'A review of a determination must begin within three months',
    citation: 'Care Act 2014 s40(2)-(3)',
    confidence: 'verified',
  },
  {
    id: 'R-DISP-LA-9',
    title: 'Repayment after a substituted determination',
    citation: 'SI 2014/2829 reg 7; Care Act 2014 s41',
    confidence: 'verified',
  },
  {
    id: 'R-DISP-LA-10',
    title: 'England-Scotland and NI disputes',
    citation: 'Care Act 2014 Sch 1; SI 2014/2843 reg 2(2)',
    confidence: 'verified',
  },
  // Eligibility, duration and ending
  { id: 'R-ELIG-1', title: 'Qualifying detentions: s3, 37, 45A, 47, 48', citation: 'MHA 1983 s117(1)', confidence: 'verified' },
  {
    id: 'R-ELIG-2',
    title: 'The duty arises when the person ceases to be detained and leaves hospital',
    citation: 'MHA 1983 s117(1)',
    confidence: 'verified',
  },
  {
    id: 'R-ELIG-3',
    title: 's17 leave: escorted leave does not start aftercare; a trial placement may',
    citation: 'R (CXF) v Central Bedfordshire [2018] EWCA Civ 2852; R v Richmond LBC ex p Watson',
    confidence: 'secondary',
  },
  {
    id: 'R-ELIG-4',
    title: 'Entitled throughout a CTO; aftercare cannot end while the person is a community patient',
    citation: 'MHA 1983 s117(2)',
    confidence: 'verified',
  },
  {
    id: 'R-ELIG-5',
    title: 'Conditional discharge: entitled; ending it then is rarely justified',
    citation: 'mentalhealthlaw forum (practitioner view)',
    confidence: 'secondary',
  },
  {
    id: 'R-DEF-1',
    title: 'Aftercare: services meeting a need from the mental disorder and reducing the risk of deterioration',
    citation: 'MHA 1983 s117(6)',
    confidence: 'verified',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-END-1',
    title: 'The duty lasts until both the ICB and the LA are satisfied it is no longer needed',
    citation: 'MHA 1983 s117(2)',
    confidence: 'verified',
  },
  {
    id: 'R-END-2',
    title: 'A fresh qualifying detention ends the LA duty; the ICB duty continues',
    citation: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31; SI 2022/635 regs 5, 7',
    confidence: 'verified',
  },
  {
    id: 'R-END-3',
    title: 'Aftercare is never ended solely for a Code of Practice 33.22 reason; refusal is not enough',
    citation: 'MHA Code of Practice (2015) paras 33.22-33.23',
    confidence: 'unverified',
  },
  {
    id: 'R-PLAN-1',
    title: 'Aftercare planning starts on admission',
    citation: 'MHA Code of Practice para 33.10; DHSC discharge guidance (2024) Principle 3',
    confidence: 'secondary',
  },
  {
    id: 'R-REVIEW-1',
    title: 'Reviews: within 6 weeks of discharge, then at least every 12 months (configurable)',
    citation: 'local policy practice; not verified in the Code',
    confidence: 'unverified',
  },
  // Money
  {
    id: 'R-CHG-1',
    title: 's117 services are free: there is no power to charge',
    citation: 'R v Manchester CC ex p Stennett [2002] UKHL 34',
    confidence: 'secondary',
  },
  {
    id: 'R-CHG-2',
    title: 'A damages award does not let the LA charge for s117 services',
    citation: 'Tinsley v Manchester CC [2017] EWCA Civ 1704',
    confidence: 'secondary',
  },
  {
    id: 'R-CHG-3',
    title: 'Preferred accommodation: only the excess over the usual cost, by written top-up agreement',
    citation: 'SI 2014/2670 regs 4-5; MHA 1983 s117A',
    confidence: 'verified',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-CHC-1',
    title: 'Needs met under s117 are not NHS Continuing Healthcare',
    citation: 'National Framework for NHS CHC (2022)',
    confidence: 'secondary',
  },
  {
    id: 'R-PHB-1',
    title: 'Right to have a personal health budget for s117 NHS aftercare',
    citation: 'NHS England guidance (Dec 2019); MHA 1983 s117(2C)',
    confidence: 'secondary',
    inForceFrom: '2019-12-02',
  },
  {
    id: 'R-APP-1',
    title: 'No statutory split: local apportionment agreements, never blocking care',
    citation: 'Landmark Chambers "Let\'s go halves"; HSC 2000/003 LAC(2000)3',
    confidence: 'secondary',
  },
  // Added December 2026 (rules.md: 1.2A, 2.5, 2.6, 2.8, 4.1 to 4.4, 8)
  {
    id: 'R-WP-117-9',
    title: 'Reg 7 needs the person to be usually resident in England, tested where they actually live',
    citation: 'SI 2022/635 reg 7(2)(b), 7(3)(c), 7(4)(f), 7(5)(e)',
    confidence: 'verified',
    inForceFrom: '2022-07-01',
  },
  {
    id: 'R-WP-117-10',
    title: 'Part 3 detentions are not applications: reg 5 and the exclusion period',
    citation: 'SI 2022/635 regs 5(2)-(3), 6(2), 6(5)(a), 7(2)',
    confidence: 'secondary',
    inForceFrom: '2022-07-01',
  },
  {
    id: 'R-WP-117-11',
    title: 'Two limbs of reg 7 naming different ICBs: a person decides',
    citation: 'SI 2022/635 regs 6, 7(1)-(5)',
    confidence: 'verified',
    inForceFrom: '2022-07-01',
  },
  {
    id: 'R-WP-117-12',
    title: 'Only English ICBs and NHS England hold the English NHS duty',
    citation: 'NHS Act 2006 s14Z31; SI 2022/635 regs 1(3), 5, 7; Care Act 2014 Sch 1 para 1(3)',
    confidence: 'verified',
  },
  {
    id: 'R-WP-NHSE-1',
    title: 'NHS England holds the s117 duty for services it must commission, service by service',
    citation: 'SI 2022/635 reg 8; NHS Act 2006 ss3B, 4; SI 2012/2996 regs 10, 15',
    confidence: 'verified',
    inForceFrom: '2013-04-01',
  },
  {
    id: 'R-WP-NHSE-2',
    title: 'Reg 8 needs the service classified; the engine asks rather than guess',
    citation: 'SI 2022/635 reg 8; NHS Act 2006 s3B',
    confidence: 'secondary',
    inForceFrom: '2013-04-01',
  },
  {
    id: 'R-OR-1',
    title: 'Ordinary residence: a settled, voluntary abode, with no minimum period',
    citation: 'R v Barnet LBC ex p Shah [1983] 2 AC 309; Care and Support Statutory Guidance 19.12-19.15',
    confidence: 'secondary',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-OR-2',
    title: 'Temporary stays, holidays and a kept home with the intention to return',
    citation: 'Fox v Stirk [1970] 2 QB 463; Shah; Cornwall [2015] UKSC 46 paras 40-42; Sunderland [2012] EWCA Civ 1232 para 35',
    confidence: 'secondary',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-OR-3',
    title: 'Housing-authority temporary accommodation and hostels',
    citation: 'Mohamed v Hammersmith and Fulham LBC [2001] UKHL 57; Cornwall para 42',
    confidence: 'secondary',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-OR-4',
    title: 'A move dated the day of detention, order unknown',
    citation: 'MHA 1983 s117(3) ("immediately before being detained")',
    confidence: 'secondary',
  },
  {
    id: 'R-OR-5',
    title: 'Residence that is not voluntary; custodial addresses',
    citation: 'Shah; Wiltshire v Hertfordshire; MHA 1983 s117(3)',
    confidence: 'secondary',
  },
  {
    id: 'R-OR-6',
    title: 'Contradictory records are flagged, never resolved by storage order',
    citation: 'MHA 1983 s117(3); Care Act 2014 s40 (finding of fact)',
    confidence: 'secondary',
  },
  {
    id: 'R-OR-7',
    title: 'More than one home, or none: a person decides; s117(3)(c) as a last resort',
    citation: 'Shah; Fox v Stirk; Sunderland para 46',
    confidence: 'secondary',
  },
  {
    id: 'R-CHILD-1',
    title: 's117 applies to children as to adults',
    citation: 'MHA 1983 s117(1); DHSC discharge guidance 2024 Annex B',
    confidence: 'verified',
  },
  {
    id: 'R-CHILD-2',
    title: "A child living with family: the parents' ordinary residence",
    citation: 'Shah; MHA 1983 s117(3)',
    confidence: 'secondary',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-CHILD-3',
    title: 'Looked-after children placed out of area: s105(6) does not apply; the area is for a person',
    citation: 'Children Act 1989 s105(6); Worcestershire [2023] UKSC 31; Cornwall [2015] UKSC 46',
    confidence: 'secondary',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-CHILD-4',
    title: 'The ICB for looked-after and placed children',
    citation: 'SI 2022/635 Schedule paras 2(c), 4; SI 2012/2996 reg 14(2)(b)',
    confidence: 'verified',
    inForceFrom: '2013-04-01',
  },
  {
    id: 'R-CHILD-5',
    title: 'Care leavers: the ordinary meaning, unless the authority chose the place',
    citation: 'Children Act 1989 ss23A-24B; MHA 1983 s117(3)',
    confidence: 'secondary',
  },
  {
    id: 'R-CHILD-6',
    title: 'Turning 18 changes no body',
    citation: 'MHA 1983 s117; DHSC discharge guidance 2024 Annex B',
    confidence: 'verified',
  },
  {
    id: 'R-ELIG-6',
    title: 'The duty arises on leaving hospital at any time after the qualifying detention ends',
    citation: 'MHA 1983 s117(1) ("whether or not immediately after so ceasing")',
    confidence: 'verified',
  },
  {
    id: 'R-ELIG-7',
    title: 'What is not leaving hospital: a move between hospitals; death',
    citation: 'R (CXF) v Central Bedfordshire Council [2018] EWCA Civ 2852',
    confidence: 'secondary',
  },
  {
    id: 'R-CTO-1',
    title: 'A CTO presupposes a detention for treatment',
    citation: 'MHA 1983 ss17A, 17D(2)',
    confidence: 'verified',
    inForceFrom: '2008-11-03',
  },
  {
    id: 'R-CTO-2',
    title: 'Recall without revocation is not a fresh detention',
    citation: 'MHA 1983 ss17D(2)(b), 17E, 17F',
    confidence: 'secondary',
    inForceFrom: '2008-11-03',
  },
  {
    id: 'R-CTO-3',
    title: 'Revocation, and recall from conditional discharge: the council is contested',
    citation: 'MHA 1983 ss17F, 17G, 42(3); Worcestershire [2023] UKSC 31',
    confidence: 'secondary',
    inForceFrom: '2008-11-03',
  },
  {
    id: 'R-CTO-4',
    title: 'A CTO with no detention record is missing data, never not eligible',
    citation: 'MHA 1983 ss17A, 117(2)',
    confidence: 'verified',
    inForceFrom: '2008-11-03',
  },
  {
    id: 'R-LEAVE-1',
    title: 'Escorted s17 day leave: no s117 yet',
    citation: 'R (CXF) v Central Bedfordshire Council [2018] EWCA Civ 2852',
    confidence: 'secondary',
  },
  {
    id: 'R-LEAVE-2',
    title: 'Overnight, extended or trial community leave: s117 likely, a person confirms',
    citation: 'DHSC discharge guidance 2024 Annex B; R v Richmond LBC ex p Watson; MHA 1983 s17(2A)-(2B)',
    confidence: 'verified',
  },
  {
    id: 'R-LEAVE-3',
    title: 'Short unescorted day leave: no s117 yet',
    citation: 'MHA 1983 s17; R (CXF) v Central Bedfordshire Council',
    confidence: 'secondary',
  },
  {
    id: 'R-END-4',
    title: 'No ending while the person is detained, recalled or readmitted',
    citation: 'MHA 1983 s117(2); Code of Practice 33.22(d)',
    confidence: 'secondary',
  },
  {
    id: 'R-END-5',
    title: 'The person must be involved in ending aftercare',
    citation: 'Code of Practice 33.7; DHSC discharge guidance 2024 Annex B',
    confidence: 'secondary',
  },
  {
    id: 'R-END-6',
    title: 'A joint review must precede an ending',
    citation: 'DHSC discharge guidance 2024 Annex B; Code of Practice 33.20-33.24',
    confidence: 'secondary',
  },
  {
    id: 'R-END-7',
    title: 'Move out of s117-funded specialist accommodation before ending',
    citation: 'Council s117 procedures (section 8); MHA 1983 s117(2)',
    confidence: 'secondary',
  },
  {
    id: 'R-END-8',
    title: 'Reinstatement after premature withdrawal',
    citation: 'Code of Practice 2015 para 33.24',
    confidence: 'secondary',
  },
  {
    id: 'R-XB-1',
    title: 'Ordinarily resident in Wales: Welsh LHB and council',
    citation: 'MHA 1983 s117(3)(b)',
    confidence: 'verified',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-XB-2',
    title: 'England–Wales disputes: Secretary of State or Welsh Ministers (councils); Statement of Values and Principles (NHS)',
    citation:
      'MHA 1983 s117(4)(c), (5); DH and Welsh Government, March 2015; England/Wales Statement of Values and Principles, November 2018',
    confidence: 'secondary',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-XB-3',
    title: 'Scotland and Northern Ireland: s117 duties fall only on English and Welsh bodies',
    citation: 'MHA 1983 s117(3)(c); SI 2022/635 Schedule para 2(k)',
    confidence: 'secondary',
    inForceFrom: '2015-04-01',
  },
  {
    id: 'R-HUMAN-1',
    title: 'Where the law or the facts leave it open, a person decides',
    citation: 'Rule book section 8',
    confidence: 'secondary',
  },
  {
    id: 'R-HUMAN-2',
    title: 'The known open points',
    citation: 'Rule book section 8',
    confidence: 'secondary',
  },
];

export const RULES: ReadonlyMap<string, RuleEntry> = new Map(
  entries.map((e) => [e.id, Object.freeze({ namedBy: 'rule-book' as const, ...e })]),
);

const CITATION_TEXT: ReadonlyMap<string, string> = new Map(entries.map((e) => [e.id, `${e.id}: ${e.citation}`]));

/** The citation for each rule id, in order, without repeats. Unknown ids are a programming error. */
export function citationsFor(ruleIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of ruleIds) {
    const text = CITATION_TEXT.get(id);
    if (text === undefined) throw new Error(`Unknown rule id ${id}`);
    if (!out.includes(text)) out.push(text);
  }
  return out;
}
