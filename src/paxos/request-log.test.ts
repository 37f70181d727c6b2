import { describe, expect, it } from 'vitest';
import { encodeQuery, redactQuery } from './query-string.js';
import { formatRequestLogLine } from './request-log.js';

describe('encodeQuery', () => {
  it('repeats the key for each array item (form, explode: true), leaves out undefined, and encodes the rest', () => {
    expect(encodeQuery({ ids: ['a', 'b,c'], limit: 1000, nickname: 'Ann & Bob', include_details: true, page_cursor: undefined })).toBe(
      '?ids=a&ids=b%2Cc&limit=1000&nickname=Ann%20%26%20Bob&include_details=true',
    );
    // The transfers `type` filter, as its description in the spec writes it.
    expect(encodeQuery({ profile_ids: ['p1', 'p2'], type: ['CRYPTO_DEPOSIT', 'WIRE_DEPOSIT'] })).toBe('?profile_ids=p1&profile_ids=p2&type=CRYPTO_DEPOSIT&type=WIRE_DEPOSIT');
    expect(encodeQuery({ ids: [], limit: 5 })).toBe('?limit=5');
    expect(encodeQuery({ page_cursor: undefined })).toBe('');
    expect(encodeQuery(undefined)).toBe('');
  });
});

describe('redactQuery', () => {
  it('keeps ids, paging and enumerated filters, and hides every other value', () => {
    expect(redactQuery('?limit=1000&page_cursor=abc&profile_ids=p1,p2&ids=x&summary_status=PENDING&type=DEPOSIT')).toBe(
      '?limit=1000&page_cursor=abc&profile_ids=p1,p2&ids=x&summary_status=PENDING&type=DEPOSIT',
    );
    expect(redactQuery('?nickname=alice-smith&ref_ids=acme-person-alice&ref_id=x&cip_id=123-45-6789&email=a%40b.c&limit=5')).toBe(
      '?nickname=***&ref_ids=***&ref_id=***&cip_id=***&email=***&limit=5',
    );
    expect(redactQuery('')).toBe('');
  });

  it('hides every repeat of a repeated PII-bearing key, and keeps repeated ids and types', () => {
    const query = encodeQuery({ ref_ids: ['acme-person-alice', 'acme-person-bob'], nickname: ['Alice Smith', 'Bob Jones'], profile_ids: ['p1', 'p2'], type: ['CRYPTO_DEPOSIT', 'WIRE_DEPOSIT'] });
    expect(redactQuery(query)).toBe(
      '?ref_ids=***&ref_ids=***&nickname=***&nickname=***&profile_ids=p1&profile_ids=p2&type=CRYPTO_DEPOSIT&type=WIRE_DEPOSIT',
    );
    // A key spelled percent-encoded is judged by what it decodes to.
    expect(redactQuery('?ref%5Fids=alice&ref_ids=bob')).toBe('?ref%5Fids=***&ref_ids=***');
  });
});

describe('formatRequestLogLine', () => {
  it('prints method, path, status and duration, then the attempt and the note', () => {
    expect(formatRequestLogLine({ method: 'GET', path: '/v2/identity/identities?limit=1000', status: 200, durationMs: 12.4, attempt: 1, rateClass: 'default' })).toBe(
      'GET /v2/identity/identities?limit=1000 200 12ms',
    );
    expect(
      formatRequestLogLine({ method: 'POST', path: '/v2/profiles', status: 'error', durationMs: 3, attempt: 2, rateClass: 'default', note: 'UND_ERR_SOCKET; retrying in 250ms' }),
    ).toBe('POST /v2/profiles error 3ms (attempt 2) - UND_ERR_SOCKET; retrying in 250ms');
  });

  it('redacts a query that reached it unredacted', () => {
    expect(formatRequestLogLine({ method: 'GET', path: '/v2/profiles?nickname=alice', status: 200, durationMs: 1, attempt: 1, rateClass: 'default' })).toBe(
      'GET /v2/profiles?nickname=*** 200 1ms',
    );
  });
});
