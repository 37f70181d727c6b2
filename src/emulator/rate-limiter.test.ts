import { describe, expect, it } from 'vitest';
import { rateClasses } from '../domain/rate-classes.js';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('allows perSecond × window requests per client and class, then locks the client out of every class', () => {
    const limiter = createRateLimiter({ windowMs: 2000, lockoutMs: 10_000 });
    for (let index = 0; index < 20; index++) expect(limiter.admit('a', rateClasses.tenPerSecond, 0).allowed).toBe(true);
    expect(limiter.admit('b', rateClasses.tenPerSecond, 0).allowed).toBe(true);
    expect(limiter.admit('a', rateClasses.tenPerSecond, 1)).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
    expect(limiter.admit('a', rateClasses.default, 9_001)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.admit('a', rateClasses.tenPerSecond, 10_001).allowed).toBe(true);
  });

  it('forgets requests older than the window', () => {
    const limiter = createRateLimiter({ windowMs: 1000, lockoutMs: 1000 });
    for (let second = 0; second < 5; second++) {
      for (let index = 0; index < 50; index++) expect(limiter.admit('a', rateClasses.default, second * 1000 + index).allowed).toBe(true);
    }
  });
});
