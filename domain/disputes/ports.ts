/**
 * The ports disputes need besides domain/ports.ts: the dispute record, the referral pack and the recharge
 * entries of a settlement (docs/data-model.md: `APP#<id>` / `DISPUTE#<n>`, `REFERRAL#<packId>`,
 * `RECHARGE#<settlementId>#<n>`). Implemented over DynamoDB and in memory in functions/adapters/dynamodb/disputes.ts and functions/adapters/memory/disputes.ts.
 */
import type { Instant } from '../applications/application.ts';
import type { RechargeEntry } from '../apportionment/settlement.ts';
import type { Dispute } from './dispute.ts';
import type { ReferralPack } from './referral-pack.ts';

/** A recharge entry as stored: the settlement's entry plus where it belongs. */
export interface StoredRechargeEntry extends RechargeEntry {
  applicationId: string;
  partnershipId: string;
  createdAt: Instant;
}

export interface DisputeStore {
  /** The application's dispute, if one was opened. */
  get(applicationId: string): Promise<Dispute | null>;
  /** Creates the dispute unless one exists for the application ('exists': a retry). */
  create(dispute: Dispute): Promise<'created' | 'exists'>;
  /** Writes `dispute` if the stored version is `dispute.version - 1`; otherwise throws ConcurrentUpdateError. */
  save(dispute: Dispute): Promise<void>;
  /** Stores a referral pack once ('exists' when the id is taken). */
  putReferralPack(pack: ReferralPack): Promise<'created' | 'exists'>;
  getReferralPack(applicationId: string, packId: string): Promise<ReferralPack | null>;
  /** Adds each entry once (`attribute_not_exists`): a retried settlement adds nothing twice. */
  putRecharges(entries: readonly StoredRechargeEntry[]): Promise<void>;
  listRecharges(applicationId: string): Promise<StoredRechargeEntry[]>;
}
