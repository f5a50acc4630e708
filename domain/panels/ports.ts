/** What the panel functions need from storage (DynamoDB in functions/panels, an in-memory twin for tests). */
import type { Instant } from '../applications/application.ts';
import type { Approval, PanelRequest } from './request.ts';

export interface PanelStore {
  /** Creates the request unless one with its id exists ('exists' makes a retried request idempotent). */
  createRequest(request: PanelRequest): Promise<'created' | 'exists'>;
  getRequest(applicationId: string, id: string): Promise<PanelRequest | null>;
  /** Writes `request` if the stored version is still `request.version - 1`; false if another write came first. */
  saveRequest(request: PanelRequest): Promise<boolean>;
  /** Creates an approval; ids are random, so an existing one is a bug and throws. */
  createApproval(approval: Approval): Promise<void>;
  getApproval(id: string): Promise<Approval | null>;
  /**
   * Writes `approval` only if the stored one is still pending at version `approval.version - 1`: the one
   * conditional write that makes a decision single-use. false if anything changed it first.
   */
  saveApproval(approval: Approval): Promise<boolean>;
  /**
   * Claims a seat of a request for one approval with one conditional write on the seat (not the member):
   * a member and their deputy voting at the same moment cannot both fill it. Answers the approval holding
   * the seat afterwards: `approvalId` when the claim is (or already was) this approval's, another id when
   * someone else's vote holds it.
   */
  claimSeat(seat: SeatRef, approvalId: string, expiresAt: Instant): Promise<string>;
  /** Gives up this approval's claim (its vote could not be saved); a claim held by another approval stays. */
  releaseSeat(seat: SeatRef, approvalId: string): Promise<void>;
}

/** A seat of a panel request: the request's filing id, the request and the seat's member id. */
export interface SeatRef {
  applicationId: string;
  panelRequestId: string;
  seat: string;
}

/** A register episode as the panel needs it (subject 'ending'): whose it is and which partnership's panel decides. */
export interface PanelEpisode {
  episodeId: string;
  personRef: string;
  partnershipId: string;
}

/** Looks up register episodes for the panel (the register's store, read only). */
export interface PanelEpisodes {
  get(episodeId: string): Promise<PanelEpisode | null>;
}
