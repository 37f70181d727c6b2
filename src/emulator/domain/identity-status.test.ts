import { describe, expect, it } from 'vitest';
import { createEmptyState } from '../state.js';
import { applySandboxStatus, computeSummary, identityDecisionTicker, scheduleDecision, setInitialSubStatuses } from './identity-status.js';
import type { IdentityRecord } from './records.js';

function identity(type: IdentityRecord['type'], details: Record<string, unknown> = {}): IdentityRecord {
  const record: IdentityRecord = {
    seq: 1, id: 'id-1', type, summary_status: 'PENDING', user_disabled: false, admin_disabled: false, created_at: '', updated_at: '',
    ...(type === 'PERSON' ? { person_details: { ...details } } : { institution_details: { ...details } }),
  };
  setInitialSubStatuses(record);
  return record;
}

function clock(start = 0) {
  const events: Array<{ type: string; object: Record<string, unknown> }> = [];
  let ms = start;
  return {
    events,
    advance: (by: number) => (ms += by),
    now: () => new Date(ms),
    newId: () => `object-${events.length}`,
    emitEvent: (type: string, object: Record<string, unknown>) => (events.push({ type, object }), `event-${events.length}`),
  };
}

describe('the identity summary', () => {
  it('is DISABLED over everything else, then DENIED, then ERROR', () => {
    const person = identity('PERSON');
    Object.assign(person.person_details ?? {}, { id_verification_status: 'ERROR', sanctions_verification_status: 'DENIED' });
    expect(computeSummary(person)).toBe('DENIED');
    person.user_disabled = true;
    expect(computeSummary(person)).toBe('DISABLED');
  });

  it('ignores document verification for persons and additional screening for approval', () => {
    const state = createEmptyState();
    const person = identity('PERSON');
    const time = clock();
    applySandboxStatus(state, person, { id_verification_status: 'APPROVED', sanctions_verification_status: 'APPROVED', document_verification_status: 'DENIED' }, time);
    expect(person.summary_status).toBe('APPROVED');
    expect(time.events.map((event) => event.type)).toEqual(['identity.approved']);
  });

  it('emits nothing when the summary does not change', () => {
    const state = createEmptyState();
    const time = clock();
    applySandboxStatus(state, identity('INSTITUTION'), { document_verification_status: 'APPROVED' }, time);
    expect(time.events).toEqual([]);
  });
});

describe('delayed decisions', () => {
  it('approves in the tick after the delay, once', () => {
    const state = createEmptyState();
    const time = clock(Date.parse('2025-01-01T00:00:00Z'));
    const institution = identity('INSTITUTION');
    state.identities[institution.id] = institution;
    scheduleDecision(state, institution, { kind: 'after', delayMs: 1000 }, time);
    const context = { state, now: time.now, newId: time.newId, approval: { kind: 'manual' as const }, lenient: new Set<never>(), emitEvent: time.emitEvent };
    expect(identityDecisionTicker(context)).toBe(false);
    time.advance(1000);
    identityDecisionTicker(context);
    expect(institution.summary_status).toBe('APPROVED');
    expect(institution.institution_details).toMatchObject({ sanctions_verification_status: 'APPROVED', document_verification_status: 'APPROVED' });
    expect(state.identityDecideAt).toEqual({});
    identityDecisionTicker(context);
    expect(time.events).toHaveLength(1);
  });
});
