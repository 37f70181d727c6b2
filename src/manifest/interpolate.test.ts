import { expect, it } from 'vitest';
import { interpolateSourceFile } from './interpolate.js';
import { parseSourceFile } from './source-file.js';

it('marks an interpolated value sensitive wherever a YAML alias repeats it', () => {
  const { file } = parseSourceFile(
    '/m/a.yaml',
    'a.yaml',
    ['persons:', '  alice:', '    address: &home', '      city: ${env:CITY}', '    cip_id: &id ${env:ID}', '  bob:', '    address: *home', '    cip_id: *id', ''].join('\n'),
  );
  expect(interpolateSourceFile(file, { env: { CITY: 'Springfield', ID: '123' } })).toEqual([]);
  expect(file.data).toEqual({
    persons: {
      alice: { address: { city: 'Springfield' }, cip_id: '123' },
      bob: { address: { city: 'Springfield' }, cip_id: '123' },
    },
  });
  expect([...file.sensitive].sort()).toEqual([
    '/persons/alice/address/city',
    '/persons/alice/cip_id',
    '/persons/bob/address/city',
    '/persons/bob/cip_id',
  ]);
});

it('reports an unset variable once, at the anchor, not again at each alias', () => {
  const { file } = parseSourceFile('/m/a.yaml', 'a.yaml', 'a: &x\n  b: ${env:NOPE}\nc: *x\n');
  const issues = interpolateSourceFile(file, { env: {} });
  expect(issues.map((issue) => [issue.code, issue.line, issue.col])).toEqual([['interpolation.env_unset', 2, 6]]);
});
