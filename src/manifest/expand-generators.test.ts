import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateManifest } from './validate-manifest.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Validates the files (name → lines) in a fresh folder. */
async function check(files: Record<string, string[]>, options: { keepExpanded?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-generators-'));
  for (const [name, lines] of Object.entries(files)) await writeFile(join(dir, name), `${lines.join('\n')}\n`);
  return validateManifest([dir], { env: options.env ?? {}, cwd: dir, ...(options.keepExpanded ? { keepExpanded: true } : {}) });
}

const head = ['version: 1', 'environment: sandbox'];
const person = (extra: string[] = []) => [
  '    first_name: { fake: first_name }',
  '    last_name: { fake: last_name }',
  '    date_of_birth: { fake: date_of_birth }',
  '    nationality: USA',
  '    cip_id: { fake: ssn }',
  '    cip_id_type: SSN',
  '    cip_id_country: USA',
  '    address: { fake: address }',
  '    tax_details_not_required: true',
  '    verification: { verifier_type: PASSTHROUGH, passthrough_verifier_type: JUMIO, passthrough_verified_at: "2024-01-01T00:00:00Z", passthrough_verification_status: APPROVED }',
  '    customer_due_diligence: { estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_0_TO_25K, source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: INFORMATION }',
  ...extra,
];

describe('generators', () => {
  it('count makes one resource per index, keyed by the template, with references between generated resources', async () => {
    const result = await check({
      'm.yaml': [...head, 'persons:', '  trader:', '    count: 3', '    key: "trader-${index}"', ...person(), 'accounts:', '  main:', '    count: 3', '    key: "trader-${index}-main"', '    identity: "person.trader-${index}"', '    description: "Account ${index} of ${index}"'],
    });
    expect(result.issues).toEqual([]);
    expect([...(result.model?.resources.keys() ?? [])].sort()).toEqual(
      ['account.trader-1-main', 'account.trader-2-main', 'account.trader-3-main', 'person.trader-1', 'person.trader-2', 'person.trader-3'].sort(),
    );
    expect(result.model?.resources.get('account.trader-2-main')?.dependsOn).toEqual(['person.trader-2']);
  });

  it('for_each takes ${each} and ${each.field}; a placeholder alone keeps the value’s type', async () => {
    const result = await check(
      {
        'm.yaml': [...head, 'deposits:', '  d:', '    for_each: [{ asset: USD, amount: "10" }, { asset: BTC, amount: "1" }]', '    key: "${each.asset}-dep"', '    profile: profile.book', '    asset: ${each.asset}', '    amount: ${each.amount}', 'profiles:', '  book: { nickname: book }'],
      },
      { keepExpanded: true },
    );
    expect(result.issues).toEqual([]);
    const deposits = (result.expanded?.[0] as { deposits: unknown }).deposits;
    expect(deposits).toEqual({ 'USD-dep': { profile: 'profile.book', asset: 'USD', amount: '10' }, 'BTC-dep': { profile: 'profile.book', asset: 'BTC', amount: '1' } });
  });

  it('a problem in a generated resource points at the generator’s line and names the instance, once for all instances', async () => {
    const result = await check({ 'm.yaml': [...head, 'persons:', '  trader:', '    count: 50', '    key: "trader-${index}"', ...person(['    nationality_typo: USA'])] });
    const unknown = result.issues.filter((issue) => issue.line === 18);
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ file: join(dir ?? '', 'm.yaml'), line: 18, col: 5, instance: 'trader-1' });
    expect(unknown[0]?.message).toContain('trader-1');
  });

  it('a reference that differs per instance but fails in each is one issue, naming the first instance and counting the rest', async () => {
    const result = await check({ 'm.yaml': [...head, 'accounts:', '  a:', '    count: 3', '    identity: "person.nobody-${index}"', '    profile: true'] });
    expect(result.issues.map((issue) => [issue.code, issue.line, issue.instance])).toEqual([['ref.unresolved', 6, 'a-1']]);
    expect(result.issues[0]?.message).toContain('person.nobody-1');
    expect(result.issues[0]?.message).toContain('and 2 more instances of the same generator');
  });

  it('a key without a placeholder, a bad count and an unknown fake kind are issues at their lines', async () => {
    const result = await check({
      'm.yaml': [...head, 'profiles:', '  a: { count: 2, nickname: same, key: same }', '  b: { count: -1, nickname: x }', '  c: { count: 1, nickname: { fake: frist_name } }'],
    });
    expect(result.issues.map((issue) => [issue.code, issue.line])).toEqual([
      ['generator.key_constant', 4],
      ['generator.count', 5],
      ['generator.fake_unknown', 6],
    ]);
    expect(result.issues[2]?.hint).toContain('first_name');
  });

  it('many generators share one budget: a hostile manifest cannot multiply its way past it, even across files', async () => {
    const result = await check({
      'a.yaml': [...head, 'profiles:', '  a: { count: 60000, key: "a-${index}" }'],
      'b.yaml': [...head, 'profiles:', '  b: { count: 60000, key: "b-${index}" }'],
    });
    expect(result.issues.map((issue) => issue.code)).toEqual(['generator.too_many']);
    expect(result.issues[0]?.message).toContain('120000');
  });

  it('the same manifest expands to the same values; the seed is the address, so a larger count keeps the first instances', async () => {
    const lines = (count: number) => [...head, 'persons:', '  p:', `    count: ${count}`, ...person()];
    const small = await check({ 'm.yaml': lines(2) }, { keepExpanded: true });
    const smallAgain = await check({ 'm.yaml': lines(2) }, { keepExpanded: true });
    const large = await check({ 'm.yaml': lines(5) }, { keepExpanded: true });
    const persons = (result: typeof small) => (result.expanded?.[0] as { persons: Record<string, unknown> }).persons;
    expect(persons(smallAgain)).toEqual(persons(small));
    expect(persons(large)['p-1']).toEqual(persons(small)['p-1']);
    expect(persons(large)['p-2']).toEqual(persons(small)['p-2']);
    expect(persons(small)['p-1']).not.toEqual(persons(small)['p-2']);
  });

  it('${index} outside a generator says where it works', async () => {
    const result = await check({ 'm.yaml': [...head, 'profiles:', '  a: { nickname: book }', 'accounts:', '  b: { identity: profile.a, description: "account ${index}" }'] });
    const unknown = result.issues.filter((issue) => issue.code.startsWith('interpolation.'));
    expect(unknown.map((issue) => [issue.code, issue.line])).toEqual([['interpolation.unknown', 6]]);
    expect(unknown[0]?.hint).toContain('only inside a generator');
  });

  it('an instance key that another entry already has is an issue', async () => {
    const result = await check({ 'm.yaml': [...head, 'profiles:', '  book-1: { nickname: one }', '  book: { count: 2, nickname: "n-${index}" }'] });
    expect(result.issues.map((issue) => [issue.code, issue.line])).toEqual([['generator.duplicate_key', 5]]);
  });
});

describe('YAML merge keys, x- blocks and multi-document files', () => {
  it('merges <<: anchors from an x- block, which is itself ignored', async () => {
    const result = await check({ 'm.yaml': [...head, 'x-book: &book', '  nickname: shared', 'profiles:', '  a:', '    <<: *book', '    nickname: a', '  b: { <<: *book }'] });
    expect(result.issues).toEqual([]);
    expect(result.model?.resources.size).toBe(2);
  });

  it('the documents of one file merge like files; the same address in two is an error at the second', async () => {
    const result = await check({ 'm.yaml': [...head, 'profiles:', '  a: { nickname: a }', '---', ...head, 'profiles:', '  b: { nickname: b }', '---', ...head, 'profiles:', '  a: { nickname: again }', '---'] });
    expect(result.issues.map((issue) => [issue.code, issue.line])).toEqual([['address.duplicate', 14]]);
    const valid = await check({ 'm.yaml': [...head, 'profiles:', '  a: { nickname: a }', '---', ...head, 'profiles:', '  b: { nickname: b }'] });
    expect(valid.issues).toEqual([]);
    expect([...(valid.model?.resources.keys() ?? [])]).toEqual(['profile.a', 'profile.b']);
  });

  it('an error in the second document points at its line in the file', async () => {
    const result = await check({ 'm.yaml': [...head, 'profiles:', '  a: { nickname: a }', '---', ...head, 'profiles:', '  b: { nickname: b, colour: red }'] });
    expect(result.issues.map((issue) => [issue.code, issue.line])).toEqual([['schema.unknown_field', 9]]);
  });
});
