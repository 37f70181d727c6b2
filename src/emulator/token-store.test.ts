import { describe, expect, it } from 'vitest';
import { createTokenStore } from './token-store.js';

describe('createTokenStore', () => {
  it('finds a live token with its client and scopes, and forgets it once expired', () => {
    const store = createTokenStore(60);
    const { accessToken, expiresIn } = store.issue('acme', ['events:read_event'], 0);
    expect(expiresIn).toBe(60);
    expect(store.lookup(accessToken, 59_999)).toMatchObject({ clientId: 'acme', expiresAtMs: 60_000 });
    expect([...(store.lookup(accessToken, 0)?.scopes ?? [])]).toEqual(['events:read_event']);
    expect(store.lookup(accessToken, 60_000)).toBeUndefined();
    expect(store.lookup('not-a-token', 0)).toBeUndefined();
  });

  it('drops expired tokens when issuing, keeping the live ones', () => {
    const store = createTokenStore(10);
    const old = Array.from({ length: 5 }, () => store.issue('a', [], 0).accessToken);
    const live = store.issue('b', [], 5_000).accessToken;
    const fresh = store.issue('c', [], 10_000).accessToken;
    expect(store.size()).toBe(2);
    for (const token of old) expect(store.lookup(token, 10_000)).toBeUndefined();
    expect(store.lookup(live, 10_000)?.clientId).toBe('b');
    expect(store.lookup(fresh, 10_000)?.clientId).toBe('c');
  });

  it('issues 20,000 tokens without scanning the live ones each time', () => {
    const store = createTokenStore(3599);
    const started = performance.now();
    const issued = Array.from({ length: 20_000 }, (_, index) => store.issue(`client-${index}`, ['a', 'b'], index).accessToken);
    const elapsedMs = performance.now() - started;
    expect(store.size()).toBe(20_000);
    expect(store.lookup(issued[12_345] ?? '', 20_000)?.clientId).toBe('client-12345');
    // A scan of every live token per issue took seconds here (issue 11); linear work takes well under one.
    expect(elapsedMs).toBeLessThan(1500);
  });
});
