import { describe, expect, it } from 'vitest';
import { personHandler } from '../resources/person.js';
import { isSensitivePath, maskSensitiveParts, maskValue } from './mask.js';

describe('maskValue', () => {
  it.each([
    ['111-11-1127', '/cip_id', '***-**-1127'],
    ['12-3456789', '/cip_id', '**-***6789'],
    ['123456789', '/cip_id', '*****6789'],
    ['1980-01-01', '/date_of_birth', '****-**-**'],
    ['1980-01-01', '/anything', '****-**-**'],
    ['111-11-1127', '/tax_details/0/tax_payer_id', '***-**-1127'],
    ['AB-1234', '/cip_id', '****'],
    ['2024-01-01T00:00:00Z', '/verification/passthrough_verified_at', '****-**-**T**:**:**Z'],
    // Only cip ids and tax ids keep a tail: the tail of a secret is part of the secret.
    ['jumio-acme-alice-0001', '/verification/passthrough_verification_id', '****'],
    ['S3cr3t-P@ss-9', '/password', '****'],
    ['2024-01-01-S3cr3t', '/note', '****'],
    ['abc', '/x', '****'],
    ['AB-1234', '/x', '****'],
    ['', '/x', '****'],
  ])('%s at %s → %s', (value, path, masked) => {
    expect(maskValue(value, path)).toBe(masked);
  });

  it('masks numbers and booleans entirely, lists and objects leaf by leaf, and leaves null alone', () => {
    expect(maskValue(42, '/n')).toBe('****');
    expect(maskValue(true, '/b')).toBe('****');
    expect(maskValue(null, '/x')).toBeNull();
    expect(maskValue({ tax_payer_id: '111-11-1127', born: { date_of_birth: '1980-01-01' } }, '/t')).toEqual({ tax_payer_id: '***-**-1127', born: { date_of_birth: '****-**-**' } });
    expect(maskValue(['111-11-1127'], '/t')).toEqual(['****']);
    expect(maskValue(['111-11-1127'], '/cip_id')).toEqual(['***-**-1127']);
  });
});

describe('isSensitivePath and maskSensitiveParts', () => {
  const resource = { sensitivePaths: ['/email', '/address'] };

  it('covers the kind’s PII patterns, the ${env:}/${file:} paths, and anything inside them', () => {
    expect(isSensitivePath(resource, personHandler, '/cip_id')).toBe(true);
    expect(isSensitivePath(resource, personHandler, '/date_of_birth')).toBe(true);
    expect(isSensitivePath(resource, personHandler, '/tax_details/0/tax_payer_id')).toBe(true);
    expect(isSensitivePath(resource, personHandler, '/tax_details/0/tax_payer_country')).toBe(false);
    expect(isSensitivePath(resource, personHandler, '/email')).toBe(true);
    expect(isSensitivePath(resource, personHandler, '/address/city')).toBe(true);
    expect(isSensitivePath(resource, personHandler, '/first_name')).toBe(false);
    expect(isSensitivePath({ sensitivePaths: [] }, personHandler, '/email')).toBe(false);
  });

  it('masks exactly the sensitive parts of a value', () => {
    const taxDetails = [{ tax_payer_id: '111-11-1127', tax_payer_country: 'USA' }];
    expect(maskSensitiveParts({ sensitivePaths: [] }, personHandler, '/tax_details', taxDetails)).toEqual([{ tax_payer_id: '***-**-1127', tax_payer_country: 'USA' }]);
    expect(maskSensitiveParts(resource, personHandler, '/address', { city: 'New York' })).toEqual({ city: '****' });
    expect(maskSensitiveParts({ sensitivePaths: [] }, personHandler, '/first_name', 'Alice')).toBe('Alice');
  });
});
