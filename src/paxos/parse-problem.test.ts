import { describe, expect, it } from 'vitest';
import { parseProblem, scrubSecrets } from './parse-problem.js';

describe('scrubSecrets', () => {
  it('hides the raw, form-encoded and percent-encoded secret, in either hex case, and leaves short strings alone', () => {
    const secret = 'a+b/c=d e';
    expect(scrubSecrets('a+b/c=d e | a%2Bb%2Fc%3Dd+e | a%2bb%2fc%3dd+e | a%2Bb%2Fc%3Dd%20e', [secret])).toBe('*** | *** | *** | ***');
    expect(scrubSecrets('abc', ['abc'])).toBe('abc');
  });
});

describe('parseProblem', () => {
  it('scrubs meta through objects and arrays, keeps its other values, and a __proto__ key stays a plain key', () => {
    const text = '{"status":400,"meta":{"__proto__":{"polluted":"s3cret!"},"list":["s3cret!",1,false,null],"existing":{"id":"x"}}}';
    const problem = parseProblem({ status: 400, headers: {}, text }, ['s3cret!']);
    expect(problem.meta).toEqual({ ['__proto__']: { polluted: '***' }, list: ['***', 1, false, null], existing: { id: 'x' } });
    expect(Object.getPrototypeOf(problem.meta)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stops walking meta nested past any sensible depth', () => {
    const deep = `${'['.repeat(10_000)}"s3cret!"${']'.repeat(10_000)}`;
    const problem = parseProblem({ status: 400, headers: {}, text: `{"meta":{"deep":${deep}}}` }, ['s3cret!']);
    expect(JSON.stringify(problem.meta)).not.toContain('s3cret!');
  });
});
