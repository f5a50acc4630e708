/**
 * The register's contract: one suite, run against the in-memory twins (memory.contract.test.ts) and the
 * DynamoDB adapters on dynalite (dynamodb.contract.test.ts). A twin that passes it behaves like the table.
 */
import { ItemTooLargeError, MAX_ITEM_BYTES } from '#functions/adapters/item-size.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import type {
  ApplicationStore,
  ApplicationSummary,
  Chronology,
  Directory,
  HandOffOutbox,
  IdempotencyStore,
  NewChronologyEntry,
  Page,
  TaskTokenStore,
} from '#domain/ports.ts';
import type { DirectoryOrganisation, DirectoryUser, DirectoryWriter, MailLog } from '#domain/ports.ts';
import { IdempotencyRecordNotFoundError, InvalidCursorError } from '#functions/adapters/types.ts';
import { application, partnership } from '../support/application-builder.ts';

export interface RegisterAdapters {
  applications: ApplicationStore;
  chronology: Chronology;
  idempotency: IdempotencyStore;
  directory: Directory & DirectoryWriter & { user(id: string): Promise<DirectoryUser | null> };
  tokens: TaskTokenStore;
  handOffs: HandOffOutbox;
  mailLog: MailLog;
}

const at = (minute: number): string => new Date(Date.UTC(2024, 5, 1, 9, minute)).toISOString();

/** Applications created a minute apart, all with LA-A as a party. */
function numbered(n: number, overrides: Partial<Application> = {}): Application {
  return application({ id: `app_${n}`, createdAt: at(n), updatedAt: at(n), personRef: `p_${n}`, ...overrides });
}

/** A cursor of the right shape for LA-A's list with some of its keys replaced. */
function forgedCursor(keys: Record<string, string>): string {
  const genuine = { v: 1, i: 'ByOrganisation', p: 'ORG#LA-A', s: '2024-06-01T09:00:00.000Z#app_1', pk: 'APP#app_1', sk: 'PARTY#LA-A' };
  return Buffer.from(JSON.stringify({ ...genuine, ...keys })).toString('base64url');
}

/** The page's cursor; fails the test when the page has none. */
function cursorOf(page: Page<ApplicationSummary>): string {
  if (page.cursor === undefined) throw new Error('expected a cursor');
  return page.cursor;
}

const summaryOf = (app: Application) => ({
  id: app.id,
  status: app.status,
  personRef: app.personRef,
  requestedStartDate: app.requestedStartDate,
  createdAt: app.createdAt,
  updatedAt: app.updatedAt,
});

function chronologyEntry(key: string, overrides: Partial<NewChronologyEntry> = {}): NewChronologyEntry {
  return {
    key,
    at: at(0),
    type: 'ApplicationSubmitted',
    actor: { userId: 'u-la', org: 'LA-A' },
    applicationId: 'app_1',
    data: { key },
    ...overrides,
  };
}

export function registerContract(name: string, create: () => Promise<RegisterAdapters>): void {
  describe(`register contract: ${name}`, () => {
    let adapters: RegisterAdapters;
    beforeEach(async () => {
      adapters = await create();
    });

    describe('applications', () => {
      it('creates an application and reads it back unchanged', async () => {
        const app = application();
        expect(await adapters.applications.create(app)).toBe('created');
        expect(await adapters.applications.get(app.id)).toStrictEqual(app);
      });

      it('answers exists for a second create and keeps the first', async () => {
        await adapters.applications.create(application());
        expect(await adapters.applications.create(application({ status: 'agreed', version: 7 }))).toBe('exists');
        expect(await adapters.applications.get('app_1')).toStrictEqual(application());
      });

      it('drops undefined properties and list elements, as the document client does', async () => {
        const loose = { ...application(), meetingNeedsNow: undefined, parties: ['LA-A', undefined, 'ICB-A'] } as unknown as Application;
        await adapters.applications.create(loose);
        expect(await adapters.applications.get('app_1')).toStrictEqual(application());
      });

      it('refuses an application over the 400 KB item limit with ItemTooLargeError, before writing anything', async () => {
        const huge = application({ person: { nhsNumber: '9434765919', name: 'x'.repeat(MAX_ITEM_BYTES) } });
        await expect(adapters.applications.create(huge)).rejects.toThrow(ItemTooLargeError);
        expect(await adapters.applications.get(huge.id)).toBeNull();
        await adapters.applications.create(application());
        await expect(adapters.applications.save({ ...huge, version: 2 }, application())).rejects.toThrow(ItemTooLargeError);
        expect(await adapters.applications.get(huge.id)).toStrictEqual(application());
      });

      it('returns null for an unknown id', async () => {
        expect(await adapters.applications.get('app_missing')).toBeNull();
      });

      it('saves the next version', async () => {
        await adapters.applications.create(application());
        const next = application({ version: 2, status: 'agreed', updatedAt: at(30) });
        await adapters.applications.save(next);
        expect(await adapters.applications.get('app_1')).toStrictEqual(next);
      });

      it('refuses a save from a stale version with ConcurrentUpdateError and keeps the stored one', async () => {
        await adapters.applications.create(application());
        await adapters.applications.save(application({ version: 2, status: 'interim' }));
        await expect(adapters.applications.save(application({ version: 2, status: 'agreed' }))).rejects.toThrow(ConcurrentUpdateError);
        expect(await adapters.applications.get('app_1')).toStrictEqual(application({ version: 2, status: 'interim' }));
      });

      describe("an answer's save, conditional on the stored response deadline (issue 12)", () => {
        const deadline = at(30);
        it('saves when the answer is before the stored deadline', async () => {
          await adapters.applications.create(application({ responseDeadline: deadline }));
          const next = application({ version: 2, responseDeadline: deadline, updatedAt: at(29) });
          await adapters.applications.save(next, undefined, { answeredAt: at(29) });
          expect(await adapters.applications.get('app_1')).toStrictEqual(next);
        });

        it.each([
          ['at', 30],
          ['after', 31],
        ])('refuses with ConcurrentUpdateError an answer %s the stored deadline, even from a copy that lacks it', async (_, minute) => {
          await adapters.applications.create(application({ responseDeadline: deadline }));
          const withoutDeadline = application({ version: 2, updatedAt: at(minute) });
          await expect(adapters.applications.save(withoutDeadline, undefined, { answeredAt: at(minute) })).rejects.toThrow(
            ConcurrentUpdateError,
          );
          expect(await adapters.applications.get('app_1')).toStrictEqual(application({ responseDeadline: deadline }));
        });

        it('saves when the stored application has no deadline (asked before deadlines were kept)', async () => {
          await adapters.applications.create(application());
          await adapters.applications.save(application({ version: 2 }), undefined, { answeredAt: at(59) });
          expect((await adapters.applications.get('app_1'))?.version).toBe(2);
        });
      });

      it('refuses to save an application that was never created', async () => {
        await expect(adapters.applications.save(application({ version: 2 }))).rejects.toThrow(ConcurrentUpdateError);
        expect(await adapters.applications.get('app_1')).toBeNull();
      });

      it("lists an organisation's applications newest first, a page at a time", async () => {
        for (const n of [3, 1, 5, 2, 4]) await adapters.applications.create(numbered(n));
        const first = await adapters.applications.listForOrganisation('LA-A', { limit: 2 });
        expect(first.items).toStrictEqual([summaryOf(numbered(5)), summaryOf(numbered(4))]);
        const second = await adapters.applications.listForOrganisation('LA-A', { limit: 2, cursor: cursorOf(first) });
        expect(second.items).toStrictEqual([summaryOf(numbered(3)), summaryOf(numbered(2))]);
        const third = await adapters.applications.listForOrganisation('LA-A', { limit: 2, cursor: cursorOf(second) });
        expect(third).toStrictEqual({ items: [summaryOf(numbered(1))] });
      });

      it('gives no cursor when the page holds the last application exactly', async () => {
        for (const n of [1, 2]) await adapters.applications.create(numbered(n));
        expect(await adapters.applications.listForOrganisation('LA-A', { limit: 2 })).toStrictEqual({
          items: [summaryOf(numbered(2)), summaryOf(numbered(1))],
        });
      });

      it('lists only applications the organisation is party to', async () => {
        await adapters.applications.create(numbered(1));
        await adapters.applications.create(numbered(2, { parties: ['LA-B', 'ICB-B'] }));
        expect((await adapters.applications.listForOrganisation('ICB-A', { limit: 10 })).items).toStrictEqual([summaryOf(numbered(1))]);
        expect((await adapters.applications.listForOrganisation('LA-B', { limit: 10 })).items).toStrictEqual([
          summaryOf(numbered(2, { parties: ['LA-B', 'ICB-B'] })),
        ]);
        expect(await adapters.applications.listForOrganisation('ICB-Z', { limit: 10 })).toStrictEqual({ items: [] });
      });

      it('lists by status, newest first, with pagination', async () => {
        await adapters.applications.create(numbered(1, { status: 'interim' }));
        await adapters.applications.create(numbered(2, { status: 'awaiting-responses' }));
        await adapters.applications.create(numbered(3, { status: 'interim' }));
        await adapters.applications.create(numbered(4, { status: 'interim' }));
        const first = await adapters.applications.listForOrganisation('ICB-A', { status: 'interim', limit: 2 });
        expect(first.items.map((s) => s.id)).toStrictEqual(['app_4', 'app_3']);
        const second = await adapters.applications.listForOrganisation('ICB-A', { status: 'interim', limit: 2, cursor: cursorOf(first) });
        expect(second).toStrictEqual({ items: [summaryOf(numbered(1, { status: 'interim' }))] });
      });

      it('moves an application between status lists when its status changes', async () => {
        await adapters.applications.create(numbered(1));
        const agreed = numbered(1, { version: 2, status: 'agreed', updatedAt: at(40) });
        await adapters.applications.save(agreed);
        expect(await adapters.applications.listForOrganisation('LA-A', { status: 'awaiting-responses', limit: 10 })).toStrictEqual({
          items: [],
        });
        expect(await adapters.applications.listForOrganisation('LA-A', { status: 'agreed', limit: 10 })).toStrictEqual({
          items: [summaryOf(agreed)],
        });
        expect(await adapters.applications.listForOrganisation('ICB-A', { limit: 10 })).toStrictEqual({ items: [summaryOf(agreed)] });
      });

      it('keeps the newest summary when a retried create repeats an older body', async () => {
        await adapters.applications.create(numbered(1));
        const interim = numbered(1, { version: 2, status: 'interim' });
        await adapters.applications.save(interim);
        expect(await adapters.applications.create(numbered(1))).toBe('exists');
        expect(await adapters.applications.listForOrganisation('LA-A', { limit: 10 })).toStrictEqual({ items: [summaryOf(interim)] });
      });

      it('lists a party added by a later save', async () => {
        await adapters.applications.create(numbered(1));
        const widened = numbered(1, { version: 2, parties: ['LA-A', 'ICB-A', 'LA-B'] });
        await adapters.applications.save(widened);
        expect(await adapters.applications.listForOrganisation('LA-B', { limit: 10 })).toStrictEqual({ items: [summaryOf(widened)] });
      });

      it.each([
        ['not base64url', '%%%'],
        ['not JSON', Buffer.from('nonsense').toString('base64url')],
        ['JSON of the wrong shape', Buffer.from(JSON.stringify({ v: 1 })).toString('base64url')],
        ['forged with an empty sort key', forgedCursor({ s: '' })],
        ['forged with a sort key past the key size limit', forgedCursor({ s: `2024-06-01T09:00:00.000Z#${'a'.repeat(1100)}` })],
        ["forged with an application id that is not the sort key's", forgedCursor({ pk: 'APP#app_2' })],
        ['forged with an empty application id', forgedCursor({ s: '2024-06-01T09:00:00.000Z#', pk: 'APP#' })],
        ["forged with another organisation's membership", forgedCursor({ sk: 'PARTY#LA-B' })],
      ])('rejects a cursor that is %s with InvalidCursorError', async (_why, cursor) => {
        await adapters.applications.create(numbered(1));
        await expect(adapters.applications.listForOrganisation('LA-A', { limit: 2, cursor })).rejects.toThrow(InvalidCursorError);
      });

      it('rejects a cursor issued for another organisation or another list', async () => {
        for (const n of [1, 2, 3]) await adapters.applications.create(numbered(n));
        const cursor = cursorOf(await adapters.applications.listForOrganisation('LA-A', { limit: 1 }));
        await expect(adapters.applications.listForOrganisation('ICB-A', { limit: 1, cursor })).rejects.toThrow(InvalidCursorError);
        await expect(adapters.applications.listForOrganisation('LA-A', { status: 'awaiting-responses', limit: 1, cursor })).rejects.toThrow(
          InvalidCursorError,
        );
      });
    });

    describe('chronology', () => {
      it('appends entries with sequences from 1 and lists them in order', async () => {
        const first = await adapters.chronology.append('p_1', chronologyEntry('k1'));
        const second = await adapters.chronology.append(
          'p_1',
          chronologyEntry('k2', { type: 'Determined', actor: { system: 'DetermineResponsibility' } }),
        );
        expect(first).toStrictEqual({
          sequence: 1,
          at: at(0),
          type: 'ApplicationSubmitted',
          actor: { userId: 'u-la', org: 'LA-A' },
          applicationId: 'app_1',
          data: { key: 'k1' },
        });
        expect(second).toStrictEqual({
          sequence: 2,
          at: at(0),
          type: 'Determined',
          actor: { system: 'DetermineResponsibility' },
          applicationId: 'app_1',
          data: { key: 'k2' },
        });
        expect(await adapters.chronology.list('p_1')).toStrictEqual([first, second]);
      });

      it('appends once for a repeated key and returns the first entry', async () => {
        const first = await adapters.chronology.append('p_1', chronologyEntry('k1'));
        const again = await adapters.chronology.append('p_1', chronologyEntry('k1', { data: { different: true } }));
        expect(again).toStrictEqual(first);
        expect(await adapters.chronology.list('p_1')).toStrictEqual([first]);
      });

      it('keeps an entry without an application id without one', async () => {
        const personal = chronologyEntry('k1');
        delete personal.applicationId;
        const entry = await adapters.chronology.append('p_1', personal);
        expect(entry).toStrictEqual({
          sequence: 1,
          at: at(0),
          type: 'ApplicationSubmitted',
          actor: { userId: 'u-la', org: 'LA-A' },
          data: { key: 'k1' },
        });
        expect(await adapters.chronology.list('p_1')).toStrictEqual([entry]);
      });

      it("filters a person's chronology to one application", async () => {
        await adapters.chronology.append('p_1', chronologyEntry('a1', { applicationId: 'app_1' }));
        const b = await adapters.chronology.append('p_1', chronologyEntry('b1', { applicationId: 'app_2' }));
        await adapters.chronology.append('p_1', chronologyEntry('a2', { applicationId: 'app_1' }));
        const b2 = await adapters.chronology.append('p_1', chronologyEntry('b2', { applicationId: 'app_2' }));
        expect(await adapters.chronology.list('p_1', { applicationId: 'app_2' })).toStrictEqual([b, b2]);
        expect((await adapters.chronology.list('p_1', { applicationId: 'app_1' })).map((e) => e.sequence)).toStrictEqual([1, 3]);
      });

      it("numbers each person's chronology separately and keys are per person", async () => {
        await adapters.chronology.append('p_1', chronologyEntry('k1'));
        await adapters.chronology.append('p_1', chronologyEntry('k2'));
        const other = await adapters.chronology.append('p_2', chronologyEntry('k1'));
        expect(other.sequence).toBe(1);
        expect(await adapters.chronology.list('p_2')).toStrictEqual([other]);
        expect(await adapters.chronology.list('p_3')).toStrictEqual([]);
      });

      it('gives 20 concurrent appends the sequences 1 to 20, no gaps, no repeats', async () => {
        const appended = await Promise.all(
          Array.from({ length: 20 }, (_, i) => adapters.chronology.append('p_1', chronologyEntry(`k${i}`))),
        );
        expect(appended.map((e) => e.sequence).sort((a, b) => a - b)).toStrictEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        const listed = await adapters.chronology.list('p_1');
        expect(listed.map((e) => e.sequence)).toStrictEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(new Set(listed.map((e) => e.data['key'])).size).toBe(20);
      });

      it('appends once when the same key is appended concurrently', async () => {
        const results = await Promise.all(Array.from({ length: 5 }, () => adapters.chronology.append('p_1', chronologyEntry('same'))));
        const listed = await adapters.chronology.list('p_1');
        expect(listed).toHaveLength(1);
        for (const result of results) expect(result).toStrictEqual(listed[0]);
      });
    });

    describe('idempotency', () => {
      const T = '2024-06-01T09:00:00.000Z';

      it('claims a new key, then reports the claim to a second caller', async () => {
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T)).toStrictEqual({ claimed: true });
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-2', '2024-06-01T09:00:01.000Z')).toStrictEqual({
          claimed: false,
          record: { requestHash: 'hash-1', status: 'in-progress', startedAt: T },
        });
      });

      it('keeps the stored response once completed', async () => {
        await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T);
        await adapters.idempotency.complete('LA-A', 'key-1', { statusCode: 201, resourceId: 'app_1' });
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T)).toStrictEqual({
          claimed: false,
          record: {
            requestHash: 'hash-1',
            status: 'completed',
            startedAt: T,
            response: { statusCode: 201, resourceId: 'app_1' },
          },
        });
      });

      it('keeps scopes apart', async () => {
        await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T);
        expect(await adapters.idempotency.claim('LA-B', 'key-1', 'hash-1', T)).toStrictEqual({ claimed: true });
      });

      it('reclaims an in-progress claim only from the start time the caller saw', async () => {
        await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T);
        const later = '2024-06-01T09:05:00.000Z';
        expect(await adapters.idempotency.reclaim('LA-A', 'key-1', T, later)).toBe(true);
        expect(await adapters.idempotency.reclaim('LA-A', 'key-1', T, '2024-06-01T09:06:00.000Z')).toBe(false);
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', later)).toStrictEqual({
          claimed: false,
          record: { requestHash: 'hash-1', status: 'in-progress', startedAt: later },
        });
      });

      it('does not reclaim a completed claim or a missing one', async () => {
        await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T);
        await adapters.idempotency.complete('LA-A', 'key-1', { statusCode: 201, resourceId: 'app_1' });
        expect(await adapters.idempotency.reclaim('LA-A', 'key-1', T, '2024-06-01T09:05:00.000Z')).toBe(false);
        expect(await adapters.idempotency.reclaim('LA-A', 'key-2', T, '2024-06-01T09:05:00.000Z')).toBe(false);
      });

      it('keeps a completed record past 24 hours, so a reused key is still compared', async () => {
        await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T);
        await adapters.idempotency.complete('LA-A', 'key-1', { statusCode: 201, resourceId: 'app_1' });
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-2', '2025-06-01T09:00:00.000Z')).toStrictEqual({
          claimed: false,
          record: { requestHash: 'hash-1', status: 'completed', startedAt: T, response: { statusCode: 201, resourceId: 'app_1' } },
        });
      });

      it('treats an in-progress claim older than 24 hours as absent', async () => {
        await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T);
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-2', '2024-06-02T08:59:59.000Z')).toStrictEqual({
          claimed: false,
          record: { requestHash: 'hash-1', status: 'in-progress', startedAt: T },
        });
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-2', '2024-06-02T09:00:00.000Z')).toStrictEqual({ claimed: true });
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-3', '2024-06-02T09:00:01.000Z')).toStrictEqual({
          claimed: false,
          record: { requestHash: 'hash-2', status: 'in-progress', startedAt: '2024-06-02T09:00:00.000Z' },
        });
      });

      it('releases an in-progress claim only from the start time the caller holds, so the key can be claimed again', async () => {
        await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T);
        await adapters.idempotency.release('LA-A', 'key-1', '2024-06-01T09:00:01.000Z');
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T)).toStrictEqual({
          claimed: false,
          record: { requestHash: 'hash-1', status: 'in-progress', startedAt: T },
        });
        await adapters.idempotency.release('LA-A', 'key-1', T);
        await adapters.idempotency.release('LA-A', 'key-2', T);
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-2', T)).toStrictEqual({ claimed: true });
      });

      it('does not release a completed claim', async () => {
        await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T);
        await adapters.idempotency.complete('LA-A', 'key-1', { statusCode: 201, resourceId: 'app_1' });
        await adapters.idempotency.release('LA-A', 'key-1', T);
        expect(await adapters.idempotency.claim('LA-A', 'key-1', 'hash-1', T)).toMatchObject({
          claimed: false,
          record: { status: 'completed' },
        });
      });

      it('refuses to complete a key nobody claimed', async () => {
        await expect(adapters.idempotency.complete('LA-A', 'key-9', { statusCode: 201, resourceId: 'app_1' })).rejects.toThrow(
          IdempotencyRecordNotFoundError,
        );
      });
    });

    describe('directory', () => {
      const worcs: DirectoryOrganisation = {
        code: 'LA-B',
        kind: 'la',
        name: 'Worcestershire County Council',
        email: 's117@worcs.example',
        partnerships: ['test'],
      };
      const icb: DirectoryOrganisation = {
        code: 'ICB-A',
        kind: 'icb',
        name: 'NHS Example ICB',
        email: 's117@icb.example',
        partnerships: ['test', 'other'],
      };
      const user: DirectoryUser = { id: 'u-la', name: 'Sam Commissioner', email: 'sam@worcs.example', org: 'LA-B', role: 'commissioner' };

      it('reads back organisations, partnerships and users that were put', async () => {
        await adapters.directory.putOrganisation(worcs);
        await adapters.directory.putOrganisation(icb);
        await adapters.directory.putPartnership(partnership);
        await adapters.directory.putUser(user);
        expect(await adapters.directory.organisation('LA-B')).toStrictEqual({
          code: 'LA-B',
          kind: 'la',
          name: 'Worcestershire County Council',
          email: 's117@worcs.example',
        });
        expect(await adapters.directory.organisations()).toStrictEqual([
          { code: 'ICB-A', kind: 'icb', name: 'NHS Example ICB', email: 's117@icb.example' },
          { code: 'LA-B', kind: 'la', name: 'Worcestershire County Council', email: 's117@worcs.example' },
        ]);
        expect(await adapters.directory.partnershipsOf('ICB-A')).toStrictEqual(['test', 'other']);
        expect(await adapters.directory.partnership('test')).toStrictEqual(partnership);
        expect(await adapters.directory.user('u-la')).toStrictEqual(user);
      });

      it('answers null or nothing for unknown records', async () => {
        expect(await adapters.directory.organisation('LA-Z')).toBeNull();
        expect(await adapters.directory.organisations()).toStrictEqual([]);
        expect(await adapters.directory.partnershipsOf('LA-Z')).toStrictEqual([]);
        expect(await adapters.directory.partnership('none')).toBeNull();
        expect(await adapters.directory.user('u-none')).toBeNull();
      });

      it('replaces a record put again with the same key (seeding is idempotent)', async () => {
        await adapters.directory.putOrganisation(worcs);
        await adapters.directory.putOrganisation(worcs);
        await adapters.directory.putOrganisation({ ...worcs, email: 'aftercare@worcs.example' });
        await adapters.directory.putPartnership(partnership);
        await adapters.directory.putPartnership({ ...partnership, responseDeadlineDays: 14 });
        expect(await adapters.directory.organisations()).toStrictEqual([
          { code: 'LA-B', kind: 'la', name: 'Worcestershire County Council', email: 'aftercare@worcs.example' },
        ]);
        expect(await adapters.directory.partnership('test')).toStrictEqual({ ...partnership, responseDeadlineDays: 14 });
      });
    });

    describe('task tokens and the mail log', () => {
      const ref = { applicationId: 'app_1', purpose: 'response-icb' };

      it('stores, replaces and removes a task token', async () => {
        expect(await adapters.tokens.get(ref)).toBeNull();
        await adapters.tokens.put(ref, 'token-1', at(0));
        await adapters.tokens.put({ ...ref, purpose: 'response-la' }, 'token-la', at(0));
        expect(await adapters.tokens.get(ref)).toBe('token-1');
        await adapters.tokens.put(ref, 'token-2', at(1));
        expect(await adapters.tokens.get(ref)).toBe('token-2');
        await adapters.tokens.remove(ref);
        expect(await adapters.tokens.get(ref)).toBeNull();
        expect(await adapters.tokens.get({ ...ref, purpose: 'response-la' })).toBe('token-la');
      });

      it('remembers which notifications were sent, per purpose and recipient', async () => {
        expect(await adapters.mailLog.wasSent('app_1', 'request-response', 's117@icb.example')).toBe(false);
        await adapters.mailLog.markSent('app_1', 'request-response', 's117@icb.example', at(0));
        expect(await adapters.mailLog.wasSent('app_1', 'request-response', 's117@icb.example')).toBe(true);
        expect(await adapters.mailLog.wasSent('app_1', 'request-response', 's117@worcs.example')).toBe(false);
        expect(await adapters.mailLog.wasSent('app_1', 'interim-funding', 's117@icb.example')).toBe(false);
        expect(await adapters.mailLog.wasSent('app_2', 'request-response', 's117@icb.example')).toBe(false);
      });

      it('keeps pending hand-offs in key order, bounded by the limit, until each is removed', async () => {
        await adapters.handOffs.put({ applicationId: 'app_2', purpose: 'response-la', at: at(2) });
        await adapters.handOffs.put({ applicationId: 'app_1', purpose: 'response-la', at: at(1) });
        await adapters.handOffs.put({ applicationId: 'app_1', purpose: 'response-icb', at: at(0) });
        await adapters.handOffs.put({ applicationId: 'app_1', purpose: 'response-icb', at: at(3) });

        expect(await adapters.handOffs.list(2)).toStrictEqual([
          { applicationId: 'app_1', purpose: 'response-icb', at: at(3) },
          { applicationId: 'app_1', purpose: 'response-la', at: at(1) },
        ]);
        await adapters.handOffs.remove({ applicationId: 'app_1', purpose: 'response-icb' });
        expect((await adapters.handOffs.list(10)).map((h) => `${h.applicationId}#${h.purpose}`)).toStrictEqual([
          'app_1#response-la',
          'app_2#response-la',
        ]);
      });
    });
  });
}
