import { describe, expect, it } from 'vitest';
import type { Address, Model, Resource } from '../manifest/model.js';
import { defaultOptions, type ManifestOptions } from '../manifest/options.js';
import { identityDigest } from '../resources/identity-fields.js';
import type { RemoteObject, RemoteWorld } from '../resources/resource-handler.js';
import { buildPlan, type PlanMeta } from './build-plan.js';
import { manifestDigest } from './manifest-digest.js';

/** A resource as the normaliser would make it, from inline data. */
function resource(address: Address, fields: Record<string, unknown>, dependsOn: Address[] = []): Resource {
  const [kind, key] = address.split('.') as [Resource['kind'], string];
  const remoteField = kind === 'profile' ? 'nickname' : 'ref_id';
  const remote = kind === 'deposit' ? undefined : `t-${kind}-${key}`;
  const references = Object.entries(fields)
    .filter(([, value]) => typeof value === 'string' && dependsOn.includes(value as Address))
    .map(([field, value]) => ({ path: `/${field}`, address: value as Address }));
  return {
    address,
    kind,
    key,
    source: { file: '/m.yaml', line: 1, col: 1 },
    fields: { ...fields, ...(remote ? { [remoteField]: remote } : {}) },
    ...(remote ? { remoteKey: { field: remoteField, value: remote } } : {}),
    references,
    dependsOn,
    sensitivePaths: [],
  } as unknown as Resource;
}

const alice = { first_name: 'Alice', cip_id: '111-11-1127', cip_id_type: 'SSN', cip_id_country: 'USA', date_of_birth: '1980-01-01' };

function modelOf(resources: Resource[], environment: Model['environment'] = 'sandbox', options: Partial<ManifestOptions> = {}): Model {
  return { environment, options: { ...defaultOptions, ...options }, resources: new Map(resources.map((item) => [item.address, item])), files: ['/m.yaml'] };
}

function meta(environment: Model['environment'] = 'sandbox'): PlanMeta {
  return {
    createdAt: '2024-01-01T00:00:00.000Z',
    target: { kind: environment === 'local' ? 'local' : 'sandbox', environment, apiUrl: 'http://127.0.0.1/v2' },
    files: ['m.yaml'],
    remoteFingerprint: 'sha256:0',
    refresh: { calls: 0, callsByKind: {} },
    manifestDigest: 'sha256:manifest',
  };
}

const emptyWorld = (): RemoteWorld => ({ byAddress: new Map(), cipOwners: new Map() });

/** An identity as the listing shows it, carrying the digest of `of` when given (converged). */
function listedIdentity(id: string, status: string, of?: { resource: Resource; model: Model }): RemoteObject {
  const metadata = of ? { paxos_onboard_digest: identityDigest(of.resource as never, of.model) } : {};
  return { id, record: { id, type: 'PERSON', summary_status: status, metadata }, ids: { identity_id: id }, status, matchedBy: 'remote-key' };
}

describe('buildPlan', () => {
  const person = resource('person.alice', alice);
  const account = resource('account.main', { identity: 'person.alice', profile: true }, ['person.alice']);
  const deposit = resource('deposit.usd', { profile: 'account.main', asset: 'USD', amount: '100' }, ['account.main']);
  const book = resource('profile.book', {});

  it('orders steps dependencies first, whatever the model order, with every action counted', () => {
    const model = modelOf([deposit, account, book, person]);
    const plan = buildPlan(model, emptyWorld(), meta());
    expect(plan.steps.map((step) => [step.address, step.action])).toEqual([
      ['profile.book', 'create'],
      ['person.alice', 'create'],
      ['account.main', 'create'],
      ['deposit.usd', 'create'],
    ]);
    expect(plan.steps[1]).toEqual({ address: 'person.alice', kind: 'person', action: 'create', then: ['approve'], remoteKey: 'ref_id=t-person-alice', dependsOn: [] });
    expect(plan.summary).toEqual({ byAction: { create: 4, adopt: 0, update: 0, approve: 0, wait: 0, noop: 0, blocked: 0 }, skipped: 0, then: { approve: 1, wait: 1 }, orphan: 0, hasChanges: true });
    expect(plan).toMatchObject({ formatVersion: 1, manifest: { environment: 'sandbox', files: ['m.yaml'], digest: 'sha256:manifest' } });
  });

  it('blocks every dependent of a blocked step, naming the root of the chain (its reason the dependency between), and leaves the rest alone', () => {
    const model = modelOf([person, account, deposit, book]);
    const world = emptyWorld();
    world.cipOwners.set('person.alice', { id: 'other-id', record: { id: 'other-id', ref_id: 'elsewhere' }, ids: { identity_id: 'other-id' }, matchedBy: 'cip' });
    const plan = buildPlan(model, world, meta());
    expect(plan.steps.map((step) => [step.address, step.action, step.blockedBy])).toEqual([
      ['person.alice', 'blocked', undefined],
      ['account.main', 'blocked', 'person.alice'],
      ['deposit.usd', 'blocked', 'person.alice'],
      ['profile.book', 'create', undefined],
    ]);
    expect(plan.steps[2]?.reason).toBe('depends on account.main, which is blocked: depends on person.alice, which is blocked');
    expect(plan.steps[0]?.reason).toContain('identity other-id (ref_id elsewhere)');
    expect(plan.steps[0]?.reason).toContain('***-**-1127');
    expect(JSON.stringify(plan)).not.toContain('111-11-1127');
  });

  it('plans noop for a converged world, with no changes to report', () => {
    const model = modelOf([person]);
    const world = emptyWorld();
    world.byAddress.set('person.alice', listedIdentity('id-1', 'APPROVED', { resource: person, model }));
    const plan = buildPlan(model, world, meta());
    expect(plan.steps).toEqual([{ address: 'person.alice', kind: 'person', action: 'noop', remoteId: 'id-1', remoteStatus: 'APPROVED', remoteKey: 'ref_id=t-person-alice', dependsOn: [] }]);
    expect(plan.summary.hasChanges).toBe(false);
  });

  it('waits instead of approving against production, and refuses sandbox-only kinds there', () => {
    const model = modelOf([person, account, deposit], 'production');
    const world = emptyWorld();
    world.byAddress.set('person.alice', listedIdentity('id-1', 'PENDING', { resource: person, model }));
    const plan = buildPlan(model, world, meta('production'));
    expect(plan.steps[0]).toMatchObject({ action: 'wait', warnings: [expect.stringContaining('cannot approve in production')] });
    expect(plan.steps[2]).toMatchObject({ address: 'deposit.usd', action: 'blocked', reason: 'deposit is sandbox-only (test funding) and is refused against production' });

    const created = buildPlan(modelOf([person], 'production'), emptyWorld(), meta('production'));
    expect(created.steps[0]).toMatchObject({ action: 'create', then: ['wait'] });
  });

  it('is pure: the same inputs give the same plan, byte for byte', () => {
    const model = modelOf([person, account, deposit, book]);
    expect(JSON.stringify(buildPlan(model, emptyWorld(), meta()))).toBe(JSON.stringify(buildPlan(model, emptyWorld(), meta())));
  });
});

describe('manifestDigest', () => {
  it('is stable, ignores file layout, and changes with any value, sensitive ones included, without holding them', () => {
    const base = modelOf([resource('person.alice', alice)]);
    const digest = manifestDigest(base);
    expect(manifestDigest({ ...base, files: ['/elsewhere.yaml'] })).toBe(digest);
    expect(manifestDigest(modelOf([resource('person.alice', { ...alice, cip_id: '111-11-1128' })]))).not.toBe(digest);
    expect(manifestDigest(modelOf([resource('person.alice', { ...alice, first_name: 'Alicia' })]))).not.toBe(digest);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
