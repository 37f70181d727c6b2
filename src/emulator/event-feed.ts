/**
 * The events feed: `emitEvent` appends to `state.events` (ascending by
 * creation) and hands the event to the webhook sender; `renderEvent` gives the
 * spec's `Event` shape.
 */
import type { EmulatorState, EventRecord } from './state.js';

/** `object_type` by event type, as the spec's examples name them. */
const objectTypes: Array<[RegExp, string]> = [
  [/^identity\.(approved|denied|disabled)$/, 'identity_summary_status_change'],
  [/^identity\.documents_required$/, 'identity_required_documents'],
  [/^identity\.kyc_refresh\./, 'identity_kyc_refresh'],
  [/^orchestration\./, 'orchestration_status_change'],
  [/^transfer\./, 'transfer_status_change'],
];

export function objectTypeOf(type: string): string {
  return objectTypes.find(([pattern]) => pattern.test(type))?.[1] ?? type.replace(/\./g, '_');
}

export interface EventSink {
  (event: EventRecord): void;
}

/** Builds the `emitEvent` of route contexts: records the event and notifies `onEvent` (webhooks, persistence). */
export function createEventEmitter(
  state: () => EmulatorState,
  now: () => Date,
  newId: () => string,
  onEvent: EventSink,
): (type: string, object: Record<string, unknown>) => string {
  return (type, object) => {
    const event: EventRecord = { id: newId(), type, created_at: now().toISOString(), object };
    state().events.push(event);
    onEvent(event);
    return event.id;
  };
}

/** The spec's `Event`. */
export function renderEvent(event: EventRecord, undeliveredWebhooks: number): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    object_type: objectTypeOf(event.type),
    object: event.object,
    created_at: event.created_at,
    undelivered_webhooks: undeliveredWebhooks,
  };
}
