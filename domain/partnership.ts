/**
 * A partnership: the ICBs and councils that run s117 together, and the settings they agreed.
 * Every default here is the rule book's; each partnership may change them in its seed file.
 */
import type { OrgCode } from './facts.ts';
import type { BasisPoints } from './money.ts';
import type { PartialDisputeSettings } from './disputes/settings.ts';
import type { PanelConfig } from './panels/panel.ts';
import type { RuleConfig } from './rules/config.ts';
import type { ReviewSettings } from './register/reviews.ts';
import type { MaturityThresholds } from './register/maturity.ts';
import type { ApportionmentPolicy } from './apportionment/policy.ts';

export type OrganisationKind = 'icb' | 'la' | 'nhs-england';

export interface Organisation {
  code: OrgCode;
  kind: OrganisationKind;
  name: string;
  /** The mailbox that receives requests to respond on the organisation's behalf. */
  email: string;
}

export interface FundingSettings {
  /** ICB share of an agreed ICB/LA split until an apportionment policy says otherwise (R-APP-1). */
  agreedIcbShare: BasisPoints;
  /** ICB share of an interim ICB/LA split: silence, a person must decide, or a dispute about the split. */
  interimIcbShare: BasisPoints;
  /** Who leads (arranges the care) under interim funding between an ICB and a council. */
  interimLead: 'icb' | 'la';
  /** Between two ICBs, the determined ICB's part of the health share (R-WP-DISP-3: 50:50). */
  icbDisputeShare: BasisPoints;
}

export interface Partnership {
  id: string;
  name: string;
  members: OrgCode[];
  ruleConfig: RuleConfig;
  /** Days the determined bodies have to accept or dispute before interim funding starts. */
  responseDeadlineDays: number;
  funding: FundingSettings;
  /** The joint funding panel (issue 5): members, quorum, timers and thresholds. No panel: nothing needs one. */
  panel?: PanelConfig;
  /** Dispute clocks (issue 5); absent parts take the defaults of domain/disputes/settings.ts. */
  disputes?: PartialDisputeSettings;
  /** Effective-dated apportionment policies (issue 6); absent: a fixed split at `funding.agreedIcbShare`. */
  apportionment?: { policies: ApportionmentPolicy[] };
  /** Review schedule of the register (issue 8, R-REVIEW-1 [unverified]); absent parts take domain/register/reviews.ts defaults. */
  reviews?: Partial<ReviewSettings>;
  /** Maturity matrix thresholds (issue 8); absent rows take domain/register/maturity.ts defaults. */
  maturity?: Partial<MaturityThresholds>;
  /**
   * Delays in leaving hospital (issue 13 item 5); absent: a wait for funding is escalated after 14 days, to each
   * body's executive lead named here, or to the body's s117 mailbox when none is named.
   */
  delays?: { fundingEscalationDays?: number; executiveLeads?: ExecutiveLead[] };
}

/** The senior officer of a member body told when a person's discharge waits on funding (issue 13 item 5). */
export interface ExecutiveLead {
  organisation: OrgCode;
  name: string;
  email: string;
}

export const DEFAULT_FUNDING_SETTINGS: FundingSettings = Object.freeze({
  agreedIcbShare: 5_000,
  interimIcbShare: 5_000,
  interimLead: 'la',
  icbDisputeShare: 5_000,
});

export const DEFAULT_RESPONSE_DEADLINE_DAYS = 10;
