/**
 * The person reference: a keyed hash of the NHS number within a partnership, so one person's records join up
 * across a partnership's applications, register, chronology and exports without the NHS number leaving the
 * application item. Each partnership knows the person by its own reference: one partnership's records can
 * neither reveal nor collide with another's (no existence oracle, issue 12 item 5).
 */
import { createHmac } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

export class InvalidNhsNumberError extends Error {
  constructor() {
    super('An NHS number is ten digits');
    this.name = 'InvalidNhsNumberError';
  }
}

/**
 * `p_` + the first 26 base32 characters (130 bits) of HMAC-SHA256(key, `<the ten digits>@<partnershipId>`)
 * (the digits have a fixed length, so the message is unambiguous). Spaces and hyphens are ignored; anything else
 * that is not ten digits throws InvalidNhsNumberError (whose message holds no digits).
 */
export function personRef(nhsNumber: string, key: string | Uint8Array, partnershipId: string): string {
  const digits = nhsNumber.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) throw new InvalidNhsNumberError();
  if (key.length === 0) throw new Error('The person reference key is empty');
  if (partnershipId.length === 0) throw new Error('The person reference needs a partnership');
  return `p_${base32(createHmac('sha256', key).update(`${digits}@${partnershipId}`, 'utf8').digest()).slice(0, 26)}`;
}
