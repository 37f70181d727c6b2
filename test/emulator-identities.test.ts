/**
 * Identities over HTTP: creation rules (400 naming the field), uniqueness
 * (409 with meta.existing.id), reads, updates, institution members and the
 * status machine with its events. Every response is also checked against the
 * Paxos spec by the test emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveIdentity, corporationBody, createPerson, personBody, unique } from './support/emulator-builders.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ rateLimits: 'off' });
});
afterAll(async () => {
  await emulator.close();
});

const post = (body: unknown) => emulator.request('POST', '/v2/identity/identities', body);
const fields = (response: { body: any }) => (response.body.meta?.violations ?? []).map((violation: { field: string }) => violation.field);

async function createCorporation(overrides: Parameters<typeof corporationBody>[1] = {}): Promise<{ id: string; body: any }> {
  const owner = await createPerson(emulator);
  const response = await post(corporationBody([{ identity_id: owner, roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] }], overrides));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { id: response.body.id, body: response.body };
}

describe('creating a person', () => {
  it('answers the identity PENDING with every sub-status PENDING', async () => {
    const response = await post(personBody());
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ type: 'PERSON', summary_status: 'PENDING' });
    expect(response.body.person_details).toMatchObject({ id_verification_status: 'PENDING', sanctions_verification_status: 'PENDING', first_name: 'Alice' });
  });

  it('shows details on a read only with include_details', async () => {
    const id = await createPerson(emulator);
    const plain = await emulator.request('GET', `/v2/identity/identities/${id}`);
    expect(plain.body.id).toBe(id);
    expect(plain.body.person_details).toBeUndefined();
    const detailed = await emulator.request('GET', `/v2/identity/identities/${id}?include_details=true`);
    expect(detailed.body.person_details.last_name).toBe('Smith');
  });

  it('refuses a used ref_id with 409 naming the existing identity', async () => {
    const refId = `dup-${unique()}`;
    const id = await createPerson(emulator, { ref_id: refId });
    const again = await post(personBody({ ref_id: refId }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ title: 'Already Exists', detail: 'duplicate ref_id provided', meta: { existing: { id } } });
  });

  it('refuses a used (cip_id, cip_id_type, cip_id_country) with 409 naming the existing identity', async () => {
    const first = personBody();
    const id = await createPerson(emulator, { person_details: first.person_details });
    const again = await post(personBody({ person_details: { cip_id: first.person_details.cip_id } }));
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('duplicate (cip_id, cip_id_type, cip_id_country) provided');
    expect(again.body.meta.existing.id).toBe(id);
  });

  it('names every missing required detail, address field and due-diligence field at once', async () => {
    const body = personBody();
    const { first_name: _first, ...details } = body.person_details;
    const { zip_code: _zip, ...address } = details.address;
    const { employment_status: _status, ...dueDiligence } = body.customer_due_diligence;
    const response = await post({ ...body, person_details: { ...details, address }, customer_due_diligence: dueDiligence });
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(['person_details.first_name', 'person_details.address.zip_code', 'customer_due_diligence.employment_status']);
    expect(response.body.detail).toContain('person_details.first_name: is required');
  });

  it('requires SSN or ITIN of US residents', async () => {
    const response = await post(personBody({ person_details: { cip_id_type: 'PASSPORT' } }));
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(['person_details.cip_id_type']);
  });

  it('takes id verification from an APPROVED passthrough, and stays PENDING for sanctions', async () => {
    const passthrough = { verifier_type: 'PASSTHROUGH', passthrough_verifier_type: 'JUMIO', passthrough_verified_at: '2024-01-01T00:00:00Z', passthrough_verification_status: 'APPROVED' };
    const response = await post(personBody({ person_details: passthrough }));
    expect(response.body.summary_status).toBe('PENDING');
    expect(response.body.person_details).toMatchObject({ id_verification_status: 'APPROVED', sanctions_verification_status: 'PENDING' });
    const incomplete = await post(personBody({ person_details: { verifier_type: 'PASSTHROUGH' } }));
    expect(fields(incomplete)).toEqual(['person_details.passthrough_verifier_type', 'person_details.passthrough_verified_at', 'person_details.passthrough_verification_status']);
  });

  it('needs person_details or institution_details', async () => {
    const response = await post({ ref_id: `empty-${unique()}` });
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(['person_details']);
  });
});

describe('creating an institution', () => {
  it('answers it PENDING with its members, each with an id', async () => {
    const { body } = await createCorporation();
    expect(body).toMatchObject({ type: 'INSTITUTION', summary_status: 'PENDING' });
    expect(body.institution_details).toMatchObject({ sanctions_verification_status: 'PENDING', document_verification_status: 'PENDING' });
    expect(body.institution_members).toHaveLength(1);
    expect(body.institution_members[0]).toMatchObject({ roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'], name: 'Alice Smith', summary_status: 'PENDING' });
    expect(body.institution_members[0].id).toEqual(expect.any(String));
  });

  it('requires the company details and due diligence of a CORPORATION', async () => {
    const owner = await createPerson(emulator);
    const body = corporationBody([{ identity_id: owner, roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] }], { institution_details: { business_description: '' }, customer_due_diligence: { source_of_funds: undefined } });
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(['institution_details.business_description', 'customer_due_diligence.source_of_funds']);
  });

  it('requires the fields of the regulation status × trading type table', async () => {
    const owner = await createPerson(emulator);
    const members = [{ identity_id: owner, roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] }];
    const usPublic = await post(corporationBody(members, { institution_details: { regulation_status: 'US_REGULATED', trading_type: 'PUBLIC', regulator_name: 'SEC' } }));
    expect(fields(usPublic)).toEqual(['institution_details.listed_exchange', 'institution_details.ticker_symbol', 'institution_details.regulator_jurisdiction', 'institution_details.regulator_register_number']);
    const nonRegulatedSubsidiary = await post(corporationBody(members, { institution_details: { trading_type: 'PUBLICLY_TRADED_SUBSIDIARY' } }));
    expect(nonRegulatedSubsidiary.status).toBe(400);
    expect(nonRegulatedSubsidiary.body.detail).toContain('institution_details.trading_type: PUBLICLY_TRADED_SUBSIDIARY is not allowed with regulation_status NON_REGULATED');
  });

  it('refuses prohibited sub-types', async () => {
    const owner = await createPerson(emulator);
    const response = await post(corporationBody([{ identity_id: owner, roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] }], { institution_details: { institution_sub_type: 'WEAPONS' } }));
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain('WEAPONS is a prohibited institution sub-type');
  });

  it('holds a TRUST to sub-type INVESTMENT, trust roles and at least one of GRANTOR/TRUSTEE/BENEFICIARY', async () => {
    const owner = await createPerson(emulator);
    const response = await post(corporationBody([{ identity_id: owner, roles: ['BENEFICIAL_OWNER'] }], { institution_details: { institution_type: 'TRUST', institution_sub_type: 'HEDGE_FUND' } }));
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(['institution_details.institution_sub_type', 'institution_members[0].roles', 'institution_members']);
    expect(response.body.detail).toContain('a TRUST needs at least one member with role TRUSTEE or GRANTOR or BENEFICIARY');
    const trust = await post(corporationBody([{ identity_id: owner, roles: ['TRUSTEE'] }], { institution_details: { institution_type: 'TRUST', institution_sub_type: 'INVESTMENT' } }));
    expect(trust.status).toBe(200);
  });

  it('requires a BENEFICIAL_OWNER and a MANAGEMENT_CONTROL_PERSON of a company, and trust roles are not allowed', async () => {
    const owner = await createPerson(emulator);
    const response = await post(corporationBody([{ identity_id: owner, roles: ['BENEFICIAL_OWNER', 'TRUSTEE'] }]));
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain('TRUSTEE is not allowed for a CORPORATION');
    expect(response.body.detail).toContain('a CORPORATION needs at least one member with role MANAGEMENT_CONTROL_PERSON');
  });

  it('refuses members that are not existing identities', async () => {
    const response = await post(corporationBody([{ identity_id: 'no-such-identity', roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] }]));
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(['institution_members[0].identity_id']);
  });
});

describe('listing identities', () => {
  it('filters by summary_status and identity_type and pages with a cursor', async () => {
    const local = await startTestEmulator({ rateLimits: 'off' });
    try {
      const ids: string[] = [];
      for (let index = 0; index < 3; index++) {
        const response = await local.request('POST', '/v2/identity/identities', personBody());
        ids.push(response.body.id);
      }
      await approveIdentity(local, ids[1] as string);
      const approved = await local.request('GET', '/v2/identity/identities?summary_status=APPROVED');
      expect(approved.body.items.map((item: { id: string }) => item.id)).toEqual([ids[1]]);
      const institutions = await local.request('GET', '/v2/identity/identities?identity_type=INSTITUTION');
      expect(institutions.body.items).toEqual([]);

      const first = await local.request('GET', '/v2/identity/identities?limit=2&order=ASC');
      expect(first.body.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 2));
      const second = await local.request('GET', `/v2/identity/identities?limit=2&page_cursor=${first.body.next_page_cursor}`);
      expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2]]);
      expect(second.body.next_page_cursor).toBeUndefined();
      const newestFirst = await local.request('GET', '/v2/identity/identities');
      expect(newestFirst.body.items[0].id).toBe(ids[2]);
      const bad = await local.request('GET', '/v2/identity/identities?summary_status=MAYBE');
      expect(bad.status).toBe(400);
    } finally {
      await local.close();
    }
  });
});

describe('updating an identity', () => {
  it('merges the details given and keeps the rest', async () => {
    const id = await createPerson(emulator);
    const response = await emulator.request('PUT', `/v2/identity/identities/${id}`, { person_details: { last_name: 'Jones' }, metadata: { team: 'ops' } });
    expect(response.status).toBe(200);
    expect(response.body.person_details).toMatchObject({ first_name: 'Alice', last_name: 'Jones' });
    expect(response.body.metadata).toEqual({ team: 'ops' });
  });

  it('refuses a ref_id or cip fields that belong to another identity', async () => {
    const taken = personBody();
    const other = await createPerson(emulator, taken);
    const id = await createPerson(emulator);
    const refClash = await emulator.request('PUT', `/v2/identity/identities/${id}`, { ref_id: taken.ref_id });
    expect(refClash.status).toBe(409);
    expect(refClash.body.meta.existing.id).toBe(other);
    const cipClash = await emulator.request('PUT', `/v2/identity/identities/${id}`, { person_details: { cip_id: taken.person_details.cip_id } });
    expect(cipClash.status).toBe(409);
    expect(cipClash.body.meta.existing.id).toBe(other);
  });

  it('cannot turn a person into an institution', async () => {
    const id = await createPerson(emulator);
    const response = await emulator.request('PUT', `/v2/identity/identities/${id}`, { institution_details: { name: 'Acme' } });
    expect(response.status).toBe(400);
    expect(response.body.meta.field).toBe('institution_details');
  });

  it('disables the identity with set_user_disabled and answers 404 for unknown ids', async () => {
    const id = await createPerson(emulator);
    const response = await emulator.request('PUT', `/v2/identity/identities/${id}`, { set_user_disabled: true });
    expect(response.body).toMatchObject({ summary_status: 'DISABLED', user_disabled: true });
    expect((await emulator.request('PUT', '/v2/identity/identities/nope', { metadata: {} })).status).toBe(404);
  });
});

describe('institution members', () => {
  it('adds members beside the existing ones and deletes one by its member id', async () => {
    const { id } = await createCorporation();
    const user = await createPerson(emulator);
    const added = await emulator.request('POST', '/v2/identity/institution-members', { institution_id: id, members: [{ identity_id: user, roles: ['AUTHORIZED_USER'] }] });
    expect(added.status).toBe(200);
    expect(added.body.institution_id).toBe(id);
    const memberId = added.body.members[0].id;
    const withMembers = await emulator.request('GET', `/v2/identity/identities/${id}?include_institution_members=true`);
    expect(withMembers.body.institution_members).toHaveLength(2);
    expect((await emulator.request('DELETE', `/v2/identity/institution-members/${memberId}`)).status).toBe(200);
    const after = await emulator.request('GET', `/v2/identity/identities/${id}?include_institution_members=true`);
    expect(after.body.institution_members.map((member: { identity_id: string }) => member.identity_id)).not.toContain(user);
    expect((await emulator.request('DELETE', `/v2/identity/institution-members/${memberId}`)).status).toBe(404);
  });

  it('refuses roles not allowed for the type and members of a person', async () => {
    const { id } = await createCorporation();
    const user = await createPerson(emulator);
    const wrongRole = await emulator.request('POST', '/v2/identity/institution-members', { institution_id: id, members: [{ identity_id: user, roles: ['GRANTOR'] }] });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body.meta.field).toBe('members[0].roles');
    const ofPerson = await emulator.request('POST', '/v2/identity/institution-members', { institution_id: user, members: [{ identity_id: id, roles: ['AUTHORIZED_USER'] }] });
    expect(ofPerson.status).toBe(400);
  });
});

describe('the status machine', () => {
  const events = async (identityId: string) => {
    const response = await emulator.request('GET', '/v2/events');
    return response.body.events.filter((event: any) => event.object.identity_id === identityId);
  };

  it('approves a person once id verification and sanctions are APPROVED, and records identity.approved', async () => {
    const id = await createPerson(emulator);
    await emulator.request('PUT', `/v2/identity/identities/${id}/sandbox-status`, { id_verification_status: 'APPROVED' });
    expect((await emulator.request('GET', `/v2/identity/identities/${id}`)).body.summary_status).toBe('PENDING');
    const response = await emulator.request('PUT', `/v2/identity/identities/${id}/sandbox-status`, { sanctions_verification_status: 'APPROVED' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({});
    expect((await emulator.request('GET', `/v2/identity/identities/${id}`)).body.summary_status).toBe('APPROVED');
    const [event, ...rest] = await events(id);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'identity.approved', object_type: 'identity_summary_status_change', object: { identity_id: id, old_summary_status: 'PENDING', new_summary_status: 'APPROVED' } });
    expect(event.object.id).toEqual(expect.any(String));
  });

  it('approves an institution once sanctions are APPROVED; documents DENIED deny it', async () => {
    const { id } = await createCorporation();
    await emulator.request('PUT', `/v2/identity/identities/${id}/sandbox-status`, { sanctions_verification_status: 'APPROVED' });
    expect((await emulator.request('GET', `/v2/identity/identities/${id}`)).body.summary_status).toBe('APPROVED');
    await emulator.request('PUT', `/v2/identity/identities/${id}/sandbox-status`, { document_verification_status: 'DENIED' });
    expect((await emulator.request('GET', `/v2/identity/identities/${id}`)).body.summary_status).toBe('DENIED');
    expect((await events(id)).map((event: { type: string }) => event.type)).toEqual(['identity.approved', 'identity.denied']);
  });

  it('denies on any DENIED sub-status and disables with admin_disabled, each with its event', async () => {
    const id = await createPerson(emulator);
    await emulator.request('PUT', `/v2/identity/identities/${id}/sandbox-status`, { sanctions_verification_status: 'DENIED' });
    expect((await emulator.request('GET', `/v2/identity/identities/${id}`)).body.summary_status).toBe('DENIED');
    await emulator.request('PUT', `/v2/identity/identities/${id}/sandbox-status`, { admin_disabled: { disabled: true } });
    const disabled = await emulator.request('GET', `/v2/identity/identities/${id}`);
    expect(disabled.body).toMatchObject({ summary_status: 'DISABLED', admin_disabled: true });
    expect((await events(id)).map((event: { type: string }) => event.type)).toEqual(['identity.denied', 'identity.disabled']);
    expect((await emulator.request('PUT', '/v2/identity/identities/nope/sandbox-status', {})).status).toBe(404);
  });
});

describe('approval modes', () => {
  it('auto approves new identities at once', async () => {
    const local = await startTestEmulator({ rateLimits: 'off', approve: 'auto' });
    try {
      const response = await local.request('POST', '/v2/identity/identities', personBody());
      expect(response.body.summary_status).toBe('APPROVED');
      expect(response.body.person_details).toMatchObject({ id_verification_status: 'APPROVED', sanctions_verification_status: 'APPROVED' });
    } finally {
      await local.close();
    }
  });

  it('after:<duration> approves once the emulator clock has passed the delay', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const local = await startTestEmulator({ rateLimits: 'off', approve: 'after:2s', now: () => new Date(now), tickIntervalMs: 3_600_000 });
    try {
      const id = (await local.request('POST', '/v2/identity/identities', personBody())).body.id;
      now += 1_999;
      expect((await local.request('GET', `/v2/identity/identities/${id}`)).body.summary_status).toBe('PENDING');
      now += 1;
      expect((await local.request('GET', `/v2/identity/identities/${id}`)).body.summary_status).toBe('APPROVED');
      const events = (await local.request('GET', '/v2/events?type=identity.approved')).body.events;
      expect(events.map((event: any) => event.object.identity_id)).toEqual([id]);
    } finally {
      await local.close();
    }
  });

  it('manual (the default) leaves identities PENDING', async () => {
    const id = await createPerson(emulator);
    expect((await emulator.request('GET', `/v2/identity/identities/${id}`)).body.summary_status).toBe('PENDING');
  });
});
