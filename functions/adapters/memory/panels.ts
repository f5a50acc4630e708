/** The in-memory twin of DynamoPanelStore, for use-case tests: the same conditions, the same copies. */
import type { PanelStore, SeatRef } from '#domain/panels/ports.ts';
import type { Approval, PanelRequest } from '#domain/panels/request.ts';
import { asStored } from '../types.ts';

export class MemoryPanelStore implements PanelStore {
  readonly requests = new Map<string, PanelRequest>();
  readonly approvals = new Map<string, Approval>();
  /** Seat claims: `<applicationId>|<panelRequestId>|<seat>` → the approval holding the seat. */
  readonly seats = new Map<string, string>();

  async createRequest(request: PanelRequest): Promise<'created' | 'exists'> {
    const key = `${request.applicationId}|${request.id}`;
    if (this.requests.has(key)) return 'exists';
    this.requests.set(key, asStored(request));
    return 'created';
  }

  async getRequest(applicationId: string, id: string): Promise<PanelRequest | null> {
    const found = this.requests.get(`${applicationId}|${id}`);
    return found === undefined ? null : asStored(found);
  }

  async saveRequest(request: PanelRequest): Promise<boolean> {
    const key = `${request.applicationId}|${request.id}`;
    if (this.requests.get(key)?.version !== request.version - 1) return false;
    this.requests.set(key, asStored(request));
    return true;
  }

  async createApproval(approval: Approval): Promise<void> {
    if (this.approvals.has(approval.id)) throw new Error('approval id collision');
    this.approvals.set(approval.id, asStored(approval));
  }

  async getApproval(id: string): Promise<Approval | null> {
    const found = this.approvals.get(id);
    return found === undefined ? null : asStored(found);
  }

  async saveApproval(approval: Approval): Promise<boolean> {
    const stored = this.approvals.get(approval.id);
    if (stored === undefined || stored.status !== 'pending' || stored.version !== approval.version - 1) return false;
    this.approvals.set(approval.id, asStored(approval));
    return true;
  }

  async claimSeat(seat: SeatRef, approvalId: string): Promise<string> {
    const key = `${seat.applicationId}|${seat.panelRequestId}|${seat.seat}`;
    const holder = this.seats.get(key);
    if (holder !== undefined) return holder;
    this.seats.set(key, approvalId);
    return approvalId;
  }

  async releaseSeat(seat: SeatRef, approvalId: string): Promise<void> {
    const key = `${seat.applicationId}|${seat.panelRequestId}|${seat.seat}`;
    if (this.seats.get(key) === approvalId) this.seats.delete(key);
  }
}
