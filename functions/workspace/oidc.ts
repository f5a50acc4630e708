/**
 * The workspace as an OpenID Connect relying party (openid-client): authorization code with PKCE against the
 * Cognito user pool's hosted sign-in in AWS, and against the local stand-in (local/oidc.ts) on one machine.
 * Only the ID token is used: its `sub`, `custom:org`, `custom:role` and `name` claims, the same the API reads.
 */
import * as client from 'openid-client';
import * as z from 'zod';
import { ROLES, type Role } from '../shared/auth.ts';
import { orgCodeSchema } from '../shared/case-facts.schema.ts';

export interface SignedInUser {
  userId: string;
  org: string;
  role: Role;
  name?: string;
}

/** What the workspace needs from an identity provider. */
export interface IdentityProvider {
  /** Where to send the browser; `loginHint` is passed on (the local stand-in's one-time links use it). */
  authorizationUrl(input: { state: string; nonce: string; codeChallenge: string; loginHint?: string }): Promise<URL>;
  /** Exchanges the code in the callback URL (checking state, nonce and PKCE) for the signed-in user. */
  callback(currentUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<SignedInUser>;
}

const idClaimsSchema = z.object({
  sub: z.string().min(1).max(256),
  'custom:org': orgCodeSchema,
  'custom:role': z.enum(ROLES),
  name: z.string().min(1).max(200).optional(),
});

export class SignInRejected extends Error {}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** Plain http is allowed only for a loopback issuer (the local stand-in). */
}

export const pkceChallenge = (verifier: string): Promise<string> => client.calculatePKCECodeChallenge(verifier);
export const pkceVerifier = (): string => client.randomPKCECodeVerifier();

export function openIdProvider(settings: OidcSettings): IdentityProvider {
  let configuration: Promise<client.Configuration> | undefined;
  const config = (): Promise<client.Configuration> => {
    if (configuration === undefined) {
      const issuer = new URL(settings.issuer);
      const loopback = issuer.protocol === 'http:' && (issuer.hostname === '127.0.0.1' || issuer.hostname === 'localhost');
      configuration = client
        .discovery(issuer, settings.clientId, undefined, client.None(), loopback ? { execute: [client.allowInsecureRequests] } : {})
        .catch((error: unknown) => {
          configuration = undefined;
          throw error;
        });
    }
    return configuration;
  };
  return {
    async authorizationUrl({ state, nonce, codeChallenge, loginHint }) {
      const params: Record<string, string> = {
        redirect_uri: settings.redirectUri,
        response_type: 'code',
        scope: 'openid profile',
        state,
        nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      };
      if (loginHint !== undefined) params['login_hint'] = loginHint;
      return client.buildAuthorizationUrl(await config(), params);
    },
    async callback(currentUrl, checks) {
      let tokens;
      try {
        tokens = await client.authorizationCodeGrant(await config(), currentUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw new SignInRejected(error instanceof Error ? error.message : 'The sign-in could not be completed');
      }
      const claims = idClaimsSchema.safeParse(tokens.claims());
      if (!claims.success) throw new SignInRejected('The ID token does not name a user, an organisation and a role');
      const user: SignedInUser = { userId: claims.data.sub, org: claims.data['custom:org'], role: claims.data['custom:role'] };
      if (claims.data.name !== undefined) user.name = claims.data.name;
      return user;
    },
  };
}
