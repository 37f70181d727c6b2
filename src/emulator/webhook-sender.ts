/**
 * Delivers webhook payloads (metadata only, the shape of the webhooks spec's
 * `WebhookEvent`) to the configured URL, retrying non-2xx answers and network
 * errors with exponential backoff and jitter, a bounded number of times.
 */
import { request } from 'undici';
import type { WebhookRetryOptions } from './emulator-options.js';
import type { EventRecord } from './state.js';

export interface WebhookPayload {
  id: string;
  type: string;
  source: 'com.paxos';
  time: string;
  object: 'event';
  /** Not in the webhooks spec's schema; the notes list it. False: these are the feed's real events (see `GET /v2/events?is_test`). */
  is_test: false;
}

export interface WebhookSender {
  enqueue(event: EventRecord): void;
  /** Deliveries of this event not yet acknowledged (the event's `undelivered_webhooks`). */
  undelivered(eventId: string): number;
  /** Stops retrying and aborts deliveries in flight. */
  close(): Promise<void>;
}

export const defaultWebhookRetry: WebhookRetryOptions = { attempts: 8, baseDelayMs: 1000, maxDelayMs: 60_000 };

export function createWebhookSender(url: string, retry: WebhookRetryOptions, random: () => number = Math.random): WebhookSender {
  const pending = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  let closed = false;

  const settle = (eventId: string) => {
    const left = (pending.get(eventId) ?? 1) - 1;
    if (left <= 0) pending.delete(eventId);
    else pending.set(eventId, left);
  };

  const attempt = (payload: WebhookPayload, attemptNumber: number): void => {
    if (closed) return;
    const delivery = deliver(url, payload, abort.signal).then((delivered) => {
      if (delivered) return settle(payload.id);
      if (closed) return;
      if (attemptNumber >= retry.attempts) return settle(payload.id);
      const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attemptNumber - 1));
      // Full jitter over the upper half: spreads retries without collapsing to zero.
      const delay = Math.round(exponential / 2 + (random() * exponential) / 2);
      const timer = setTimeout(() => {
        timers.delete(timer);
        attempt(payload, attemptNumber + 1);
      }, delay);
      timer.unref();
      timers.add(timer);
    });
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  };

  return {
    enqueue(event) {
      if (closed) return;
      pending.set(event.id, (pending.get(event.id) ?? 0) + 1);
      attempt({ id: event.id, type: event.type, source: 'com.paxos', time: event.created_at, object: 'event', is_test: false }, 1);
    },
    undelivered: (eventId) => pending.get(eventId) ?? 0,
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      abort.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}

async function deliver(url: string, payload: WebhookPayload, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'paxos-onboard-emulator' },
      body: JSON.stringify(payload),
      signal,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await response.body.dump();
    return response.statusCode >= 200 && response.statusCode < 300;
  } catch {
    return false;
  }
}
