import { describe, expect, it } from 'vitest';
import { diffWrittenFields, sameValue } from './field-diff.js';

describe('diffWrittenFields', () => {
  it('compares only what the manifest writes, descending into objects', () => {
    const desired = { address: { city: 'Boston', zip_code: '02108' }, email: 'a@example.com' };
    const remote = { address: { city: 'New York', zip_code: '02108', country: 'USA' }, email: 'a@example.com', phone_number: '+1 212' };
    expect(diffWrittenFields(desired, remote)).toEqual([{ path: '/address/city', before: 'New York', after: 'Boston' }]);
  });

  it('reports a field the remote lacks without a before, and a list as one change', () => {
    expect(diffWrittenFields({ middle_name: 'Ann', roles: ['A', 'B'] }, { roles: ['A'] })).toEqual([
      { path: '/middle_name', after: 'Ann' },
      { path: '/roles', before: ['A'], after: ['A', 'B'] },
    ]);
  });

  it('compares list entries on the keys the manifest writes, so a status Paxos adds is not drift', () => {
    const desired = { tax_details: [{ tax_payer_id: '1', tax_payer_country: 'USA' }] };
    const remote = { tax_details: [{ tax_payer_id: '1', tax_payer_country: 'USA', tin_verification_status: 'PENDING' }] };
    expect(diffWrittenFields(desired, remote)).toEqual([]);
    expect(diffWrittenFields(desired, { tax_details: [{ tax_payer_id: '2', tax_payer_country: 'USA', tin_verification_status: 'PENDING' }] })).toEqual([
      { path: '/tax_details', before: [{ tax_payer_id: '2', tax_payer_country: 'USA' }], after: desired.tax_details },
    ]);
  });
});

describe('sameValue', () => {
  it.each([
    ['60', '60.0', true],
    ['1814.80', '1814.8', true],
    ['02108', '2108', false],
    ['2015-03-01', '2015-03-01T00:00:00Z', true],
    ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z', true],
    [['B', 'A'], ['A', 'B'], true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(sameValue(a, b)).toBe(equal);
  });
});
