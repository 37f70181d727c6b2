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
  /** Tokens held (live, plus expired ones not yet swept). */
  size(): number;
}

export function createTokenStore(ttlSeconds: number): TokenStore {
  // A Map iterates in insertion order and every token lives `ttlSeconds`, so the
  // oldest tokens expire first: issuing sweeps from the front and stops at the
  // first live one, O(1) amortized instead of a scan of every live token. A
  // clock set back may leave an expired token behind a live one for a while;
  // lookup checks expiry itself, so that costs memory, never correctness.
  const tokens = new Map<string, IssuedToken>();
  return {
    issue(clientId, scopes, nowMs) {
      for (const [token, issued] of tokens) {
        if (issued.expiresAtMs > nowMs) break;
        tokens.delete(token);
      }
      const accessToken = randomBytes(24).toString('base64url');
      tokens.set(accessToken, { clientId, scopes: new Set(scopes), expiresAtMs: nowMs + ttlSeconds * 1000 });
      return { accessToken, expiresIn: ttlSeconds };
    },
    lookup(accessToken, nowMs) {
      const issued = tokens.get(accessToken);
      return issued && issued.expiresAtMs > nowMs ? issued : undefined;
    },
    size: () => tokens.size,
  };
}
