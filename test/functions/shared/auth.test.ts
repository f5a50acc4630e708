/** The caller from a Cognito ID token's claims, as the HTTP API JWT authorizer passes them (every value a string). */
import { describe, expect, it } from 'vitest';
import { callerFrom } from '#functions/shared/auth.ts';

const SUB = '0b6c2f1e-7d4a-4c1e-9f3a-2d5e8b7c6a10';
/** The claims of a Cognito user pool ID token for a commissioner of QGH, stringified as API Gateway does. */
const cognitoClaims = (overrides: Record<string, unknown> = {}) => ({
  sub: SUB,
  iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123',
  'cognito:username': SUB,
  aud: '3n4b5urk1ft4fl3mg5e62d9ado',
  token_use: 'id',
  auth_time: '1765000000',
  exp: '1765003600',
  iat: '1765000000',
  email: 'Tom.Beddoes@QGH.example.nhs.uk',
  email_verified: 'true',
  'custom:org': 'QGH',
  'custom:role': 'commissioner',
  ...overrides,
});
const context = (claims: Record<string, unknown>) => ({ authorizer: { jwt: { claims, scopes: null } } });

describe('callerFrom with Cognito-shaped tokens', () => {
  it('takes the user id from sub (a UUID), organisation and role from the custom claims, and the verified email lower-cased', () => {
    expect(callerFrom(context(cognitoClaims()))).toStrictEqual({
      userId: SUB,
      org: 'QGH',
      role: 'commissioner',
      email: 'tom.beddoes@qgh.example.nhs.uk',
    });
  });

  it.each([
    { name: 'unverified', claims: { email_verified: 'false' } },
    { name: 'without email_verified', claims: { email_verified: undefined } },
  ])('ignores an email address the provider has not verified ($name)', ({ claims }) => {
    expect(callerFrom(context(cognitoClaims(claims)))).toStrictEqual({ userId: SUB, org: 'QGH', role: 'commissioner' });
  });

  it('accepts email_verified as the boolean a JWT carries', () => {
    expect(callerFrom(context(cognitoClaims({ email_verified: true }))).email).toBe('tom.beddoes@qgh.example.nhs.uk');
  });
});
