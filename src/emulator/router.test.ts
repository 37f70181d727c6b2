import { describe, expect, it } from 'vitest';
import { ProblemError } from './framework.js';
import { createRouter } from './router.js';

const router = createRouter([
  { method: 'GET', path: '/v2/profiles/:profile_id', value: 'get' },
  { method: 'PUT', path: '/v2/profiles/:profile_id', value: 'put' },
  { method: 'GET', path: '/v2/profiles/:profile_id/balances/:asset', value: 'balance' },
  { method: 'GET', path: '/v2/orders', value: 'orders' },
]);

describe('createRouter', () => {
  it('matches and decodes parameters', () => {
    expect(router.match('GET', '/v2/profiles/a%20b/balances/BTC')).toEqual({ kind: 'found', value: 'balance', params: { profile_id: 'a b', asset: 'BTC' } });
    expect(router.match('GET', '/v2/orders/')).toMatchObject({ kind: 'found', value: 'orders' });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(router.match('DELETE', '/v2/profiles/p')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'PUT'] });
    expect(router.match('GET', '/v2/profiles')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/v2/profiles//balances/BTC')).toEqual({ kind: 'not-found' });
  });

  it('answers a malformed escape with a 400 problem', () => {
    expect(() => router.match('GET', '/v2/profiles/%E0%A4%A')).toThrow(ProblemError);
  });

  it('refuses a route declared twice', () => {
    expect(() => createRouter([{ method: 'GET', path: '/a/:x', value: 1 }, { method: 'GET', path: '/a/:y', value: 2 }])).toThrow(/declared twice/);
  });
});
