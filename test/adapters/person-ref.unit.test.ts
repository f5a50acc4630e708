import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32, InvalidNhsNumberError, personRef } from '#functions/shared/person-ref.ts';

describe('base32', () => {
  it.each([
    ['', ''],
    ['f', 'my'],
    ['fo', 'mzxq'],
    ['foo', 'mzxw6'],
    ['foob', 'mzxw6yq'],
    ['fooba', 'mzxw6ytb'],
    ['foobar', 'mzxw6ytboi'],
  ])('encodes %j as %j (RFC 4648 test vectors, lower case, unpadded)', (input, output) => {
    expect(base32(Buffer.from(input))).toBe(output);
  });
});

describe('personRef', () => {
  it('is p_ and the first 26 base32 characters of HMAC-SHA256 over the ten digits @ the partnership', () => {
    const digest = createHmac('sha256', 'local-key').update('9434765919@test').digest();
    expect(personRef('9434765919', 'local-key', 'test')).toBe(`p_${base32(digest).slice(0, 26)}`);
    expect(personRef('9434765919', 'local-key', 'test')).toBe('p_x4lwl7wo5iozdvpbfzbgnkeu3q'); // Python: base64.b32encode(hmac.new(key, b'9434765919@test', sha256).digest())
  });

  it("differs between partnerships, so one partnership's records reveal nothing of another's", () => {
    expect(personRef('9434765919', 'k', 'north')).not.toBe(personRef('9434765919', 'k', 'south'));
  });

  it('ignores spaces and hyphens, so written forms of one number meet', () => {
    expect(personRef('943 476 5919', 'k', 'test')).toBe(personRef('9434765919', 'k', 'test'));
    expect(personRef('943-476-5919', 'k', 'test')).toBe(personRef('9434765919', 'k', 'test'));
  });

  it('differs between keys and between numbers', () => {
    expect(personRef('9434765919', 'k1', 'test')).not.toBe(personRef('9434765919', 'k2', 'test'));
    expect(personRef('9434765919', 'k1', 'test')).not.toBe(personRef('9434765870', 'k1', 'test'));
  });

  it.each(['943476591', '94347659190', '94347659l9', ''])('refuses %j with InvalidNhsNumberError, naming no digits', (value) => {
    expect(() => personRef(value, 'k', 'test')).toThrow(InvalidNhsNumberError);
    expect(() => personRef(value, 'k', 'test')).toThrow('An NHS number is ten digits');
  });
});
