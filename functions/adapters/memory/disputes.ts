/** The in-memory twin of the dispute store (functions/adapters/dynamodb/disputes.ts): the same semantics. */
import type { Dispute } from '#domain/disputes/dispute.ts';
import type { DisputeStore, StoredRechargeEntry } from '#domain/disputes/ports.ts';
import type { ReferralPack } from '#domain/disputes/referral-pack.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import { disputeKeys } from '../keys.ts';
import { asStored } from '../types.ts';

export class MemoryDisputeStore implements DisputeStore {
  readonly #disputes = new Map<string, Dispute>();
  readonly #packs = new Map<string, ReferralPack>();
  readonly #recharges = new Map<string, StoredRechargeEntry>();

  async get(applicationId: string): Promise<Dispute | null> {
    const d = this.#disputes.get(applicationId);
    return d === undefined ? null : asStored(d);
  }

  async create(dispute: Dispute): Promise<'created' | 'exists'> {
    if (this.#disputes.has(dispute.applicationId)) return 'exists';
    this.#disputes.set(dispute.applicationId, asStored(dispute));
    return 'created';
  }

  async save(dispute: Dispute): Promise<void> {
    const stored = this.#disputes.get(dispute.applicationId);
    if (stored?.version !== dispute.version - 1)
      throw new ConcurrentUpdateError(`Dispute ${dispute.id} changed since version ${dispute.version - 1}`);
    this.#disputes.set(dispute.applicationId, asStored(dispute));
  }

  async putReferralPack(pack: ReferralPack): Promise<'created' | 'exists'> {
    const key = `${pack.applicationId}|${pack.id}`;
    if (this.#packs.has(key)) return 'exists';
    this.#packs.set(key, asStored(pack));
    return 'created';
  }

  async getReferralPack(applicationId: string, packId: string): Promise<ReferralPack | null> {
    const pack = this.#packs.get(`${applicationId}|${packId}`);
    return pack === undefined ? null : asStored(pack);
  }

  async putRecharges(entries: readonly StoredRechargeEntry[]): Promise<void> {
    for (const e of entries) {
      const { sk } = disputeKeys.recharge(e.applicationId, e.settlementId, e.n);
      const key = `${e.applicationId}|${sk}`;
      if (!this.#recharges.has(key)) this.#recharges.set(key, asStored(e));
    }
  }

  async listRecharges(applicationId: string): Promise<StoredRechargeEntry[]> {
    return [...this.#recharges.entries()]
      .filter(([k]) => k.startsWith(`${applicationId}|`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, e]) => asStored(e));
  }
}
