/**
 * Panel requests (`APP#<applicationId>`/`PANEL#<id>`) and approvals (`APPROVAL#<approvalId>`/`APPROVAL`) in the
 * register (docs/data-model.md). Every write is a single-item conditional write: requests on their version,
 * approvals on `status = pending` and their version, seats (`APP#<applicationId>`/`SEAT#<panelRequestId>#<seat>`) on
 * having no holder (or this approval as holder).
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { PanelStore, SeatRef } from '#domain/panels/ports.ts';
import type { Approval, PanelRequest } from '#domain/panels/request.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import { isConditionalCheckFailed } from './errors.ts';

export const panelKeys = {
  request: (applicationId: string, id: string) => ({ pk: `APP#${applicationId}`, sk: `PANEL#${id}` }),
  approval: (id: string) => ({ pk: `APPROVAL#${id}`, sk: 'APPROVAL' }),
  seat: (seat: SeatRef) => ({ pk: `APP#${seat.applicationId}`, sk: `SEAT#${seat.panelRequestId}#${seat.seat}` }),
} as const;

/** Epoch seconds for the table's TTL: an approval is kept 400 days after its link expires (the chronology keeps the votes forever). */
const ttl = (instant: string): number => Math.floor(Date.parse(instant) / 1000) + 400 * 86_400;

export class DynamoPanelStore implements PanelStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async createRequest(request: PanelRequest): Promise<'created' | 'exists'> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...panelKeys.request(request.applicationId, request.id), version: request.version, status: request.status, doc: request },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async getRequest(applicationId: string, id: string): Promise<PanelRequest | null> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: panelKeys.request(applicationId, id), ConsistentRead: true }),
    );
    return (result.Item?.['doc'] as PanelRequest | undefined) ?? null;
  }

  async saveRequest(request: PanelRequest): Promise<boolean> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...panelKeys.request(request.applicationId, request.id), version: request.version, status: request.status, doc: request },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': request.version - 1 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async createApproval(approval: Approval): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          ...panelKeys.approval(approval.id),
          version: approval.version,
          status: approval.status,
          expiresAt: ttl(approval.expiresAt),
          doc: approval,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getApproval(id: string): Promise<Approval | null> {
    const result = await this.#db.send(new GetCommand({ TableName: this.#table, Key: panelKeys.approval(id), ConsistentRead: true }));
    return (result.Item?.['doc'] as Approval | undefined) ?? null;
  }

  async saveApproval(approval: Approval): Promise<boolean> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...panelKeys.approval(approval.id),
            version: approval.version,
            status: approval.status,
            expiresAt: ttl(approval.expiresAt),
            doc: approval,
          },
          ConditionExpression: '#status = :pending AND version = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending', ':expected': approval.version - 1 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async claimSeat(seat: SeatRef, approvalId: string, expiresAt: string): Promise<string> {
    // A claim fails only while another approval holds the seat; it is released only after that one's save
    // failed, so a few rounds settle it.
    for (let round = 1; round <= 3; round += 1) {
      try {
        await this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: { ...panelKeys.seat(seat), holder: approvalId, expiresAt: ttl(expiresAt) },
            ConditionExpression: 'attribute_not_exists(holder) OR holder = :me',
            ExpressionAttributeValues: { ':me': approvalId },
          }),
        );
        return approvalId;
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
      const result = await this.#db.send(new GetCommand({ TableName: this.#table, Key: panelKeys.seat(seat), ConsistentRead: true }));
      const holder = result.Item?.['holder'];
      if (typeof holder === 'string') return holder;
    }
    throw new ConcurrentUpdateError();
  }

  async releaseSeat(seat: SeatRef, approvalId: string): Promise<void> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: panelKeys.seat(seat),
          UpdateExpression: 'REMOVE holder',
          ConditionExpression: 'holder = :me',
          ExpressionAttributeValues: { ':me': approvalId },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
