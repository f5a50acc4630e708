/**
 * The dispute clocks a partnership may set (the `disputes` section of its configuration). The NHS and
 * ICB–council stage lengths are not published in any source we could verify, so they are configurable
 * defaults, flagged [unverified] as rules.md asks. The council clocks are statute (SI 2014/2829 reg 3(7),
 * reg 4(3); Care Act s40(2)) and are not configurable: a partnership cannot agree the law away.
 * @see rules.md R-WP-DISP-4, R-DISP-LA-5, R-DISP-LA-7, R-DISP-LA-8, R-APP-1
 */

export interface DisputeSettings {
  /** Between ICBs (Who Pays? 2020 Appendix 1), days per stage. [unverified] defaults. */
  nhs: { localResolutionDays: number; regionalDays: number; nationalDays: number };
  /** Between councils: days to wait for the Secretary of State's determination after referral before a person is told to chase it. */
  la: { determinationWaitDays: number };
  /** Between an ICB and a council (R-APP-1: local agreement), days per stage. [unverified] defaults. */
  icbLa: { jointPanelDays: number; executiveLeadsDays: number };
  /** Days between reminders while a stage waits for its outcome. */
  reminderDays: number;
}

/**
 * Defaults. NHS: local resolution 28 days, NHS England regional 28 days, national 42 days
 * [unverified: Who Pays? v3 Appendix 1 timescales could not be read, rules.md open question 1].
 * ICB–council: joint panel 28 days, executive leads 28 days [unverified: local policy].
 */
export const DEFAULT_DISPUTE_SETTINGS: DisputeSettings = Object.freeze({
  nhs: Object.freeze({ localResolutionDays: 28, regionalDays: 28, nationalDays: 42 }),
  la: Object.freeze({ determinationWaitDays: 180 }),
  icbLa: Object.freeze({ jointPanelDays: 28, executiveLeadsDays: 28 }),
  reminderDays: 7,
});

/** Statutory council clocks (SI 2014/2829, Care Act s40). [verified] */
export const LA_DISPUTE_LAW = Object.freeze({
  /** R-DISP-LA-5: the lead authority must refer within four months of the dispute date (reg 3(7)). */
  referralMonths: 4,
  /** R-DISP-LA-7: legal arguments within 14 days of referral (reg 4(3)). */
  legalArgumentsDays: 14,
  /** R-DISP-LA-8: a review must begin within 3 months of the determination (s40(2)). */
  reviewMonths: 3,
});

/** The partnership's settings over the defaults. */
export function disputeSettings(partial: PartialDisputeSettings | undefined): DisputeSettings {
  const d = DEFAULT_DISPUTE_SETTINGS;
  return {
    nhs: { ...d.nhs, ...partial?.nhs },
    la: { ...d.la, ...partial?.la },
    icbLa: { ...d.icbLa, ...partial?.icbLa },
    reminderDays: partial?.reminderDays ?? d.reminderDays,
  };
}

/** What a partnership's configuration may hold: any part, the rest defaulted. */
export interface PartialDisputeSettings {
  nhs?: Partial<DisputeSettings['nhs']>;
  la?: Partial<DisputeSettings['la']>;
  icbLa?: Partial<DisputeSettings['icbLa']>;
  reminderDays?: number;
}
