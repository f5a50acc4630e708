/** DynamoDB item sizes by its published rules, and the 400 KB check both application stores make before writing. */
import { describe, expect, it } from 'vitest';
import { itemSize, ItemTooLargeError, MAX_ITEM_BYTES, valueSize } from '#functions/adapters/item-size.ts';
import { MemoryApplicationStore } from '#functions/adapters/memory/applications.ts';
import { application } from '../support/application-builder.ts';

describe('item size', () => {
  it.each([
    ['a string, in UTF-8 bytes', 'héllo', 6],
    ['a number, by significant digits', 123_456, 4],
    ['a number with trailing zeros', 1_000_000, 2],
    ['a boolean', true, 1],
    ['null', null, 1],
    ['a list: 3 bytes, 1 a member, and the members', ['ab', 1], 3 + 1 + 2 + 1 + 2],
    ['a map: 3 bytes, 1 a member, names and values', { ab: 'cd' }, 3 + 1 + 2 + 2],
  ])('sizes %s', (_what, value, bytes) => {
    expect(valueSize(value)).toBe(bytes);
  });

  it('adds attribute names to their values and skips undefined ones', () => {
    expect(itemSize({ pk: 'APP#1', sk: 'X', gone: undefined })).toBe(2 + 5 + 2 + 1);
  });
});

describe('application stores before writing', () => {
  it('refuse an application over 400 KB with ItemTooLargeError and store nothing', async () => {
    const store = new MemoryApplicationStore();
    const huge = application({ person: { nhsNumber: '9434765919', name: 'x'.repeat(MAX_ITEM_BYTES) } });

    await expect(store.create(huge)).rejects.toThrow(ItemTooLargeError);
    expect(await store.get(huge.id)).toBeNull();
  });

  it('accept one just under the limit', async () => {
    const store = new MemoryApplicationStore();
    const base = application();
    const room = MAX_ITEM_BYTES - itemSize({ pk: `APP#${base.id}`, sk: 'APPLICATION', version: base.version, doc: base });
    const fits = application({ person: { nhsNumber: '9434765919', name: 'x'.repeat(room - 10) } });

    expect(await store.create(fits)).toBe('created');
  });
});
