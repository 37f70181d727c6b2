/**
 * `POST /oauth2/token`: the OAuth2 client-credentials grant. Answers
 * `{access_token, expires_in, scope, token_type: "bearer"}`; errors carry both
 * the RFC 7807 fields and RFC 6749's `error`/`error_description`, so either
 * kind of client can read them.
 */
import { timingSafeEqual } from 'node:crypto';
import { ProblemError } from './framework.js';
import { knownScopes } from './spec/spec-data.js';
import type { TokenStore } from './token-store.js';

export interface TokenEndpointConfig {
  tokens: TokenStore;
  /** When set, only these credentials are accepted. */
  credentials: { clientId: string; clientSecret: string } | undefined;
  /** The scopes the credential may ask for (`--client-scopes`); undefined: every scope the spec names. */
  allowedScopes?: ReadonlySet<string> | undefined;
}

/** A token-endpoint failure: a problem with the OAuth2 error code alongside. */
export class OAuthError extends ProblemError {
  readonly error: string;

  constructor(status: number, error: string, description: string) {
    super({ status, title: status === 401 ? 'Unauthorized' : 'Bad Request', detail: description });
    this.error = error;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), error: this.error, error_description: this.detail };
  }
}

/** The form (or JSON) fields of a token request, with HTTP Basic client credentials merged in. */
export function readTokenRequest(bodyText: string, contentType: string | undefined, authorization: string | undefined): Record<string, string> {
  let fields: Record<string, string> = {};
  if (contentType?.includes('application/json')) {
    try {
      const parsed = JSON.parse(bodyText || '{}') as Record<string, unknown>;
      for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') fields[key] = value;
    } catch {
      throw new OAuthError(400, 'invalid_request', 'malformed JSON body; send form fields (application/x-www-form-urlencoded)');
    }
  } else fields = Object.fromEntries(new URLSearchParams(bodyText));
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      fields.client_id ??= decodeURIComponent(decoded.slice(0, colon));
      fields.client_secret ??= decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  return fields;
}

export function issueToken(fields: Record<string, string>, config: TokenEndpointConfig, nowMs: number): Record<string, unknown> {
  if (fields.grant_type !== 'client_credentials') {
    throw new OAuthError(400, 'unsupported_grant_type', `grant_type must be client_credentials, got '${fields.grant_type ?? ''}'`);
  }
  const clientId = fields.client_id ?? '';
  const clientSecret = fields.client_secret ?? '';
  if (clientId === '' || clientSecret === '') {
    throw new OAuthError(401, 'invalid_client', 'client_id and client_secret are required');
  }
  if (config.credentials && !(equalSecrets(clientId, config.credentials.clientId) && equalSecrets(clientSecret, config.credentials.clientSecret))) {
    throw new OAuthError(401, 'invalid_client', 'client authentication failed: unknown client_id or wrong client_secret');
  }
  const scopes = (fields.scope ?? '').split(/\s+/).filter(Boolean);
  const unknown = scopes.filter((scope) => !knownScopes.has(scope));
  if (unknown.length > 0) {
    throw new OAuthError(400, 'invalid_scope', `unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(' ')}`);
  }
  // Paxos refuses the whole request when the credential lacks one scope asked for; it does not narrow the grant.
  const notAllowed = config.allowedScopes ? scopes.filter((scope) => !config.allowedScopes?.has(scope)) : [];
  if (notAllowed.length > 0) {
    throw new OAuthError(400, 'invalid_scope', `scope${notAllowed.length > 1 ? 's' : ''} not allowed for this client: ${notAllowed.join(' ')}`);
  }
  const { accessToken, expiresIn } = config.tokens.issue(clientId, scopes, nowMs);
  return { access_token: accessToken, expires_in: expiresIn, scope: scopes.join(' '), token_type: 'bearer' };
}

function equalSecrets(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
