import { describe, expect, it } from 'vitest';
import { rateClassOf } from './rate-classes.js';

describe('rateClassOf', () => {
  it.each([
    ['POST', '/oauth2/token', 'token', 1],
    ['GET', '/v2/identity/identities/1f2e', 'ten-per-second', 10],
    ['PUT', '/v2/identity/identities/1f2e', 'ten-per-second', 10],
    ['PUT', '/v2/identity/identities/1f2e/sandbox-status', 'ten-per-second', 10],
    ['GET', '/v2/identity/identities', 'default', 50],
    ['POST', '/v2/identity/identities/', 'default', 50],
    ['GET', '/v2/markets/BTCUSD/order-book', 'ten-per-second', 10],
    ['POST', '/v2/profiles/p1/quote-executions', 'ten-per-second', 10],
    ['POST', '/v2/transfer/internal', 'transfer-send', 20],
    ['POST', '/v2/transfer/crypto-withdrawals', 'transfer-send', 20],
    ['GET', '/v2/transfer/transfers', 'default', 50],
    ['POST', '/v2/profiles/p1/orders', 'default', 50],
  ])('%s %s → %s (%d/s)', (method, path, name, perSecond) => {
    expect(rateClassOf(method, path)).toEqual({ name, perSecond });
  });
});
