/**
 * The dispute store's contract, run against DynamoDB (dynalite) and the in-memory twin: one dispute per
 * application, saved only on its version; referral packs and recharge entries written once each.
 */
import { describe, expect, it } from 'vitest';
import { openDispute, type Dispute } from '#domain/disputes/dispute.ts';
import type { DisputeStore, StoredRechargeEntry } from '#domain/disputes/ports.ts';
import type { ReferralPack } from '#domain/disputes/referral-pack.ts';
import { DEFAULT_DISPUTE_SETTINGS } from '#domain/disputes/settings.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import { DynamoDisputeStore } from '#functions/adapters/dynamodb/disputes.ts';
import { MemoryDisputeStore } from '#functions/adapters/memory/disputes.ts';
import { application } from '../support/application-builder.ts';
import { useDynalite } from './dynalite.ts';

const AT = '2025-01-15T10:00:00.000Z';

const dispute = (applicationId = 'app_1'): Dispute =>
  openDispute({
    id: `dsp_${applicationId}_1`,
    app: application({ id: applicationId, status: 'in-dispute', parties: ['LA-A', 'ICB-A', 'LA-B'] }),
    classification: {
      kind: 'la-la',
      raisedBy: 'LA-A',
      bodies: ['LA-A', 'LA-B'],
      disputeDate: '2025-01-15',
      response: { party: 'la', body: 'LA-A', decision: 'dispute', reason: 'LA-B', proposedBody: 'LA-B', at: AT, by: 'u' },
      reason: 'LA-A names LA-B.',
      ruleIds: ['R-DISP-LA-1'],
    },
    lead: 'LA-A',
    interimArrangementId: 'arr_1',
    settings: DEFAULT_DISPUTE_SETTINGS,
    at: AT,
  });

const pack = (id: string, applicationId = 'app_1'): ReferralPack => ({
  id,
  applicationId,
  disputeId: `dsp_${applicationId}_1`,
  personRef: 'p_1',
  generatedAt: AT,
  referredOn: '2025-05-16',
  disputeDate: '2025-01-15',
  referralDue: '2025-05-15',
  legalArgumentsDue: '2025-05-30',
  ruleIds: ['R-DISP-LA-5'],
  sections: [{ heading: 'The person', paragraphs: ['Lived in LA-A.'], items: [] }],
  text: 'The referral',
  html: '<p>The referral</p>',
});

const entry = (n: number, overrides: Partial<StoredRechargeEntry> = {}): StoredRechargeEntry => ({
  settlementId: 'stl_1',
  n,
  lineId: 'L1',
  period: '2025-04',
  financialYear: '2025-26',
  periodNumber: 1,
  payer: 'LA-B',
  payee: 'LA-A',
  pence: 10_000 * n,
  reason: 'SETTLEMENT',
  applicationId: 'app_1',
  partnershipId: 'west',
  createdAt: AT,
  ...overrides,
});

function contract(name: string, make: () => Promise<DisputeStore>): void {
  describe(`dispute store: ${name}`, () => {
    it('creates one dispute per application and reads it back unchanged', async () => {
      const store = await make();
      const d = dispute();
      expect(await store.get('app_1')).toBe(null);
      expect(await store.create(d)).toBe('created');
      expect(await store.create({ ...d, id: 'dsp_other', lead: 'LA-B' })).toBe('exists');
      expect(await store.get('app_1')).toStrictEqual(d);
      expect(await store.get('app_2')).toBe(null);
    });

    it('saves only on the next version, else ConcurrentUpdateError', async () => {
      const store = await make();
      const d = dispute();
      await store.create(d);
      const decided: Dispute = { ...d, version: 2, status: 'decided', updatedAt: '2025-02-01T10:00:00.000Z' };
      await store.save(decided);
      await expect(store.save({ ...d, version: 2, status: 'unresolved' })).rejects.toThrow(ConcurrentUpdateError);
      await expect(store.save({ ...d, version: 4 })).rejects.toThrow(ConcurrentUpdateError);
      expect(await store.get('app_1')).toStrictEqual(decided);
      await expect(store.save({ ...dispute('app_2'), version: 2 })).rejects.toThrow(ConcurrentUpdateError);
      expect(await store.get('app_2')).toBe(null);
    });

    it('stores a referral pack once per id and application', async () => {
      const store = await make();
      expect(await store.putReferralPack(pack('ref_1'))).toBe('created');
      expect(await store.putReferralPack({ ...pack('ref_1'), text: 'Another' })).toBe('exists');
      expect(await store.putReferralPack(pack('ref_2'))).toBe('created');
      expect(await store.getReferralPack('app_1', 'ref_1')).toStrictEqual(pack('ref_1'));
      expect(await store.getReferralPack('app_1', 'ref_3')).toBe(null);
      expect(await store.getReferralPack('app_2', 'ref_1')).toBe(null);
    });

    it('adds each recharge entry once and lists an application’s in settlement and number order', async () => {
      const store = await make();
      await store.putRecharges([entry(10), entry(2), entry(1, { settlementId: 'stl_0' })]);
      // A retried settlement: the same keys with other amounts change nothing; a new number is added.
      await store.putRecharges([entry(2, { pence: 1 }), entry(3)]);
      await store.putRecharges([entry(1, { applicationId: 'app_2' })]);
      expect((await store.listRecharges('app_1')).map((e) => [e.settlementId, e.n, e.pence])).toStrictEqual([
        ['stl_0', 1, 10_000],
        ['stl_1', 2, 20_000],
        ['stl_1', 3, 30_000],
        ['stl_1', 10, 100_000],
      ]);
      expect(await store.listRecharges('app_2')).toStrictEqual([entry(1, { applicationId: 'app_2' })]);
      expect(await store.listRecharges('app_3')).toStrictEqual([]);
    });
  });
}

const freshTable = useDynalite();
contract('DynamoDB (dynalite)', async () => {
  const { db, tableName } = await freshTable();
  return new DynamoDisputeStore(db, tableName);
});
contract('in memory', async () => new MemoryDisputeStore());
