/**
 * The panel store's contract, run against DynamoDB (dynalite) and the in-memory twin: requests are created once
 * and saved only on their version; an approval is created once and decided once (pending, on its version).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PANEL_THRESHOLDS, DEFAULT_PANEL_TIMING, DEFAULT_QUORUM_RULE, type PanelConfig } from '#domain/panels/panel.ts';
import type { PanelStore } from '#domain/panels/ports.ts';
import { castVote, newPanelRequest, withCsrf } from '#domain/panels/request.ts';
import { DynamoPanelStore } from '#functions/adapters/dynamodb/panels.ts';
import { MemoryPanelStore } from '#functions/adapters/memory/panels.ts';
import { useDynalite } from './dynalite.ts';

const AT = '2025-03-01T09:00:00.000Z';
const panel: PanelConfig = {
  members: [
    { id: 'icb-a', name: 'Tom Beddoes', email: 'tom@icb.example', organisation: 'ICB', role: 'icb', deputy: 'icb-d' },
    { id: 'icb-d', name: 'Claire Whitfield', email: 'claire@icb.example', organisation: 'ICB', role: 'icb' },
    { id: 'la-a', name: 'Mark Tolley', email: 'mark@la.example', organisation: 'LA', role: 'la' },
  ],
  quorum: DEFAULT_QUORUM_RULE,
  timing: DEFAULT_PANEL_TIMING,
  thresholds: DEFAULT_PANEL_THRESHOLDS,
};

const made = (id = 'pnl_1', applicationId = 'app_1') =>
  newPanelRequest({
    id,
    applicationId,
    partnershipId: 'west',
    personRef: 'p_1',
    subject: 'application',
    proposal: { summary: 'Fund the placement' },
    proposedBy: { userId: 'u-la', org: 'LA' },
    config: panel,
    at: AT,
    approvalIds: [`${id}-A1`, `${id}-A2`],
  });

function contract(name: string, make: () => Promise<PanelStore>): void {
  describe(`panel store: ${name}`, () => {
    it('creates a request once and reads it back unchanged; another id or application is absent', async () => {
      const store = await make();
      const { request } = made();
      expect(await store.createRequest(request)).toBe('created');
      expect(await store.createRequest({ ...request, proposal: { summary: 'Something else' } })).toBe('exists');
      expect(await store.getRequest('app_1', 'pnl_1')).toStrictEqual(request);
      expect(await store.getRequest('app_1', 'pnl_2')).toBe(null);
      expect(await store.getRequest('app_2', 'pnl_1')).toBe(null);
    });

    it('saves a request only on the next version', async () => {
      const store = await make();
      const { request } = made();
      await store.createRequest(request);
      const decided = { ...request, version: 2, status: 'decided' as const };
      expect(await store.saveRequest(decided)).toBe(true);
      expect(await store.saveRequest({ ...request, version: 2, escalatedAt: AT })).toBe(false);
      expect(await store.saveRequest({ ...request, version: 4 })).toBe(false);
      expect(await store.getRequest('app_1', 'pnl_1')).toStrictEqual(decided);
      expect(await store.saveRequest({ ...made('pnl_9').request, version: 2 })).toBe(false);
      expect(await store.getRequest('app_1', 'pnl_9')).toBe(null);
    });

    it('creates an approval once (a second create with its id throws) and reads it back unchanged', async () => {
      const store = await make();
      const [first] = made().approvals;
      if (first === undefined) throw new Error('no approval');
      await store.createApproval(first);
      await expect(store.createApproval({ ...first, name: 'Someone else' })).rejects.toThrow();
      expect(await store.getApproval(first.id)).toStrictEqual(first);
      expect(await store.getApproval('pnl_1-A9')).toBe(null);
    });

    it('keeps a pending approval changeable on its version, and decides it once', async () => {
      const store = await make();
      const [first] = made().approvals;
      if (first === undefined) throw new Error('no approval');
      await store.createApproval(first);
      const opened = { ...withCsrf(first, 'a'.repeat(64), AT), version: 2 };
      expect(await store.saveApproval(opened)).toBe(true);
      expect(await store.saveApproval({ ...withCsrf(first, 'b'.repeat(64), AT), version: 2 })).toBe(false);
      const voted = { ...castVote(opened, { decision: 'approve', reason: 'Meets the criteria', at: AT }), version: 3 };
      expect(await store.saveApproval(voted)).toBe(true);
      expect(await store.getApproval(first.id)).toStrictEqual(voted);
      // Decided: no later write lands, whatever its version.
      expect(await store.saveApproval({ ...castVote(opened, { decision: 'reject', at: AT }), version: 4 })).toBe(false);
      expect(await store.saveApproval({ ...voted, version: 4 })).toBe(false);
      expect((await store.getApproval(first.id))?.decision).toBe('approve');
      expect(await store.saveApproval({ ...first, id: 'never-created', version: 2 })).toBe(false);
    });
  });
}

const freshTable = useDynalite();
contract('DynamoDB (dynalite)', async () => {
  const { db, tableName } = await freshTable();
  return new DynamoPanelStore(db, tableName);
});
contract('in memory', async () => new MemoryPanelStore());
