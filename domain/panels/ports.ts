/** What the panel functions need from storage (DynamoDB in functions/panels, an in-memory twin for tests). */
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
