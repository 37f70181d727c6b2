import { describe, expect, it } from 'vitest';
import type { ApplyOutputs, ResourceOutput } from '../apply-types.js';
import { renderOutputsTable } from './outputs-table.js';

function resource(kind: ResourceOutput['kind'], outcome: ResourceOutput['outcome'], more: Partial<ResourceOutput> = {}): ResourceOutput {
  return { kind, ids: {}, outcome, created: outcome === 'created', adopted: outcome === 'adopted', ...more };
}

function outputsOf(resources: ApplyOutputs['resources']): ApplyOutputs {
  return {
    kind: 'paxos-onboard-outputs',
    formatVersion: 1,
    appliedAt: '2024-05-01T14:03:12Z',
    target: { kind: 'local', environment: 'local', apiUrl: 'http://127.0.0.1:4010/v2' },
    resources,
  };
}

const outputs = outputsOf({
  'person.alice': resource('person', 'created', { id: '34bc4c77-c502-4b6d-bb7a-82c355c5a475', ids: { identity_id: '34bc4c77-c502-4b6d-bb7a-82c355c5a475' }, status: 'APPROVED' }),
  'person.bob': resource('person', 'failed', { error: { code: 'identity.cip_conflict', message: 'cip_id ***-**-1127 belongs to identity 9f1c…' } }),
  'institution.acme': resource('institution', 'blocked', { id: 'id-acme', ids: { identity_id: 'id-acme' }, status: 'APPROVED', error: { code: 'plan.immutable', message: '/cip_id cannot be changed' } }),
  'account.acme-brokerage': resource('account', 'adopted', {
    id: 'acc-7',
    ids: { account_id: 'acc-7', profile_id: 'prof-7' },
    warnings: ['adopted account found by its ref_id after a lost answer'],
  }),
  'account.bob': resource('account', 'skipped', { error: { code: 'apply.dependency_failed', message: 'depends on a resource that failed' }, blockedBy: 'person.bob' }),
  'deposit.acme-usd': resource('deposit', 'unchanged', { id: 'tr-1', ids: { transfer_id: 'tr-1' }, status: 'COMPLETED' }),
  'order.acme-buy-eth': resource('order', 'created', { id: 'ord-1', ids: { order_id: 'ord-1' }, status: 'FILLED' }),
});

describe('renderOutputsTable', () => {
  it('prints one aligned row per resource in the given order, with its main id in full and why under those that did not go through', () => {
    expect(renderOutputsTable(outputs, { color: false })).toMatchInlineSnapshot(`
      "ADDRESS                 OUTCOME    STATUS     ID
      person.alice            created    APPROVED   34bc4c77-c502-4b6d-bb7a-82c355c5a475
      person.bob              failed     -          -
          identity.cip_conflict: cip_id ***-**-1127 belongs to identity 9f1c…
      institution.acme        blocked    APPROVED   id-acme
          blocked: /cip_id cannot be changed
      account.acme-brokerage  adopted    -          acc-7
          profile_id  prof-7
          warning: adopted account found by its ref_id after a lost answer
      account.bob             skipped    -          -
          skipped: depends on a resource that failed (blocked by person.bob)
      deposit.acme-usd        unchanged  COMPLETED  tr-1
      order.acme-buy-eth      created    FILLED     ord-1
      "
    `);
  });

  it('colours only the outcome and the reasons, keeping the columns aligned', () => {
    const coloured = renderOutputsTable(outputs, { color: true });
    expect(coloured).toContain('\u001b[31mfailed   \u001b[0m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderOutputsTable(outputs, { color: false }));
  });

  it('shows a dash for a resource that has no Paxos object', () => {
    const text = renderOutputsTable(outputsOf({ 'profile.x': resource('profile', 'created', { id: 'n-1', ids: { profile_id: 'n-1' } }), 'order.y': resource('order', 'blocked') }), { color: false });
    expect(text).toMatchInlineSnapshot(`
      "ADDRESS    OUTCOME  STATUS  ID
      profile.x  created  -       n-1
      order.y    blocked  -       -
      "
    `);
  });

  it('becomes a list on a terminal too narrow for the table, every id whole on a line of its own', () => {
    const text = renderOutputsTable(outputs, { color: false, width: 60 });
    expect(text).toContain('person.alice  created  APPROVED\n    id          34bc4c77-c502-4b6d-bb7a-82c355c5a475\n');
    expect(text).toContain('account.acme-brokerage  adopted\n    id          acc-7\n    profile_id  prof-7\n');
    expect(text).not.toContain('ADDRESS');
    for (const line of text.split('\n')) if (/[0-9a-f]{8}-/.test(line)) expect(line.length).toBeLessThanOrEqual(60);
    // Wide enough: the table, as in a pipe.
    expect(renderOutputsTable(outputs, { color: false, width: 200 })).toBe(renderOutputsTable(outputs, { color: false }));
  });

  it('never says a resource is blocked by itself', () => {
    const text = renderOutputsTable(
      outputsOf({ 'deposit.d1': resource('deposit', 'skipped', { error: { code: 'apply.not_approved', message: 'identity person.a is not APPROVED' }, blockedBy: 'deposit.d1' }) }),
      { color: false },
    );
    expect(text).toContain('skipped: identity person.a is not APPROVED\n');
    expect(text).not.toContain('blocked by deposit.d1');
  });

  it('says so when there is nothing to show', () => {
    expect(renderOutputsTable(outputsOf({}), { color: false })).toBe('No resources.\n');
  });
});
