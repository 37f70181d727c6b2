/**
 * OAuth2 client-credentials tokens: opaque random strings held in memory
 * (not persisted with `--data`: after a restart clients fetch a new token, as
 * they must after expiry anyway).
 */
import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAtMs: number;
}

export interface TokenStore {
  issue(clientId: string, scopes: string[], nowMs: number): { accessToken: string; expiresIn: number };
  /** The live token, or undefined when unknown or expired. */
  lookup(accessToken: string, nowMs: number): IssuedToken | undefined;
}

export function createTokenStore(ttlSeconds: number): TokenStore {
  const tokens = new Map<string, IssuedToken>();
  return {
    issue(clientId, scopes, nowMs) {
      // Expired tokens are dropped here so the map stays bounded by live tokens.
      for (const [token, issued] of tokens) if (issued.expiresAtMs <= nowMs) tokens.delete(token);
      const accessToken = randomBytes(24).toString('base64url');
      tokens.set(accessToken, { clientId, scopes: new Set(scopes), expiresAtMs: nowMs + ttlSeconds * 1000 });
      return { accessToken, expiresIn: ttlSeconds };
    },
    lookup(accessToken, nowMs) {
      const issued = tokens.get(accessToken);
      return issued && issued.expiresAtMs > nowMs ? issued : undefined;
    },
  };
}
