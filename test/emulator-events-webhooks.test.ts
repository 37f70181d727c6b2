import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSchemaValidator } from '../src/emulator/spec/openapi-schemas.js';
import type { Route } from '../src/emulator/framework.js';
import { eventRoutes } from '../src/emulator/routes/events.js';
import { createProfileRoutes } from './support/platform-routes.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

/** Emits `identity.approved` like the domain's sandbox-status does, so the webhook carries a spec event type. */
const approveRoute: Route = {
  method: 'PUT',
  path: '/v2/identity/identities/:id/sandbox-status',
  operationId: 'SandboxSetIdentityStatus',
  handler: (context) => {
    const identityId = context.params.id ?? '';
    context.emitEvent('identity.approved', { id: context.newId(), identity_id: identityId, old_summary_status: 'PENDING', new_summary_status: 'APPROVED' });
    return { body: {} };
  },
};

const webhooksSpecPath = new URL('../spec/paxos-webhooks-openapi.json', import.meta.url);

let running: Array<{ close(): Promise<void> }> = [];
async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const emulator = await startTestEmulator({ routes: [...createProfileRoutes(), ...eventRoutes, approveRoute], ...options });
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  const all = running;
  running = [];
  for (const item of all) await item.close();
});

describe('events feed', () => {
  it('lists events ascending, paged by limit and created_at.gt as the spec documents (no cursor), and gets one by id', async () => {
    let tick = 0;
    const emulator = await start({ now: () => new Date(Date.UTC(2024, 0, 1, 0, 0, tick++)) });
    for (const nickname of ['a', 'b', 'c', 'd', 'e']) await emulator.request('POST', '/v2/profiles', { nickname });
    const seen: string[] = [];
    let since: string | undefined;
    let pages = 0;
    for (;;) {
      const response = await emulator.request('GET', `/v2/events?limit=2${since ? `&created_at.gt=${encodeURIComponent(since)}` : ''}`);
      expect(response.status).toBe(200);
      expect(response.body).not.toHaveProperty('next_page_cursor');
      const events = response.body.events as Array<{ created_at: string; object: { nickname: string } }>;
      seen.push(...events.map((event) => event.object.nickname));
      pages++;
      if (events.length < 2) break;
      since = events.at(-1)?.created_at;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);

    const all = (await emulator.request('GET', '/v2/events')).body.events;
    const third = all[2];
    const after = await emulator.request('GET', `/v2/events?created_at.gt=${encodeURIComponent(third.created_at)}`);
    expect(after.body.events.map((event: { id: string }) => event.id)).toEqual([all[3].id, all[4].id]);
    const one = await emulator.request('GET', `/v2/events/${third.id}`);
    expect(one.body).toEqual({ ...third, undelivered_webhooks: 0 });
    expect((await emulator.request('GET', '/v2/events/no-such-event')).status).toBe(404);
  });

  it('filters by one type, refuses a repeated type and a bad limit', async () => {
    const emulator = await start();
    await emulator.request('POST', '/v2/profiles', { nickname: 'a' });
    await emulator.request('PUT', '/v2/identity/identities/i-1/sandbox-status', {});
    const approved = await emulator.request('GET', '/v2/events?type=identity.approved');
    expect(approved.body.events).toMatchObject([{ type: 'identity.approved', object_type: 'identity_summary_status_change', object: { identity_id: 'i-1' } }]);
    // `type` is one string in the spec: a comma is part of the name, a second `type` is refused.
    expect((await emulator.request('GET', '/v2/events?type=identity.approved,profile.created')).body.events).toEqual([]);
    expect((await emulator.request('GET', '/v2/events?type=identity.denied&type=profile.created')).body).toMatchObject({ status: 400, meta: { field: 'type' } });
    expect((await emulator.request('GET', '/v2/events?limit=0')).body).toMatchObject({ status: 400, meta: { field: 'limit' } });
  });

  it('with event-cursors and repeated-query-params, pages by cursor and reads type as a list (the old kindness)', async () => {
    let tick = 0;
    const emulator = await start({ lenient: ['event-cursors', 'repeated-query-params'], now: () => new Date(Date.UTC(2024, 0, 1, 0, 0, tick++)) });
    for (const nickname of ['a', 'b', 'c']) await emulator.request('POST', '/v2/profiles', { nickname });
    await emulator.request('PUT', '/v2/identity/identities/i-1/sandbox-status', {});
    const first = await emulator.request('GET', '/v2/events?limit=2');
    expect(first.body.next_page_cursor).toEqual(expect.any(String));
    const rest = await emulator.request('GET', `/v2/events?limit=2&page_cursor=${first.body.next_page_cursor}`);
    expect(rest.body.events.map((event: { type: string }) => event.type)).toEqual(['profile.created', 'identity.approved']);
    expect(rest.body.next_page_cursor).toBeUndefined();
    expect((await emulator.request('GET', '/v2/events?type=identity.approved,profile.created')).body.events).toHaveLength(4);
    expect((await emulator.request('GET', '/v2/events?type=identity.denied&type=identity.approved')).body.events).toHaveLength(1);
    expect((await emulator.request('GET', '/v2/events?page_cursor=garbage')).body).toMatchObject({ status: 400, meta: { field: 'page_cursor' } });
  });
});

describe('webhooks', () => {
  it('delivers the webhook payload, retrying with backoff until the receiver accepts', async () => {
    const received: Array<{ body: Record<string, unknown>; answered: number }> = [];
    let resolveAccepted: () => void = () => {};
    const accepted = new Promise<void>((resolve) => (resolveAccepted = resolve));
    const receiver: Server = createServer((request: IncomingMessage, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        const answered = received.length < 2 ? 500 : 200;
        received.push({ body: JSON.parse(text) as Record<string, unknown>, answered });
        response.writeHead(answered).end();
        if (answered === 200) resolveAccepted();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    running.push({ close: () => new Promise<void>((resolve) => { receiver.closeAllConnections(); receiver.close(() => resolve()); }) });
    const port = (receiver.address() as AddressInfo).port;
    const emulator = await start({ webhookUrl: `http://127.0.0.1:${port}/hooks`, webhookRetry: { baseDelayMs: 5, maxDelayMs: 20 } });

    await emulator.request('PUT', '/v2/identity/identities/i-9/sandbox-status', {});
    await accepted;
    expect(received.map((delivery) => delivery.answered)).toEqual([500, 500, 200]);
    const event = emulator.state.events[0];
    for (const { body } of received) {
      expect(body).toEqual({ id: event?.id, type: 'identity.approved', source: 'com.paxos', time: event?.created_at, object: 'event', is_test: false });
    }
    const spec = JSON.parse(readFileSync(webhooksSpecPath, 'utf8')) as { components: { schemas: Record<string, unknown> } };
    expect(createSchemaValidator(spec.components.schemas).validate('WebhookEvent', received[0]?.body)).toEqual([]);
    const fetched = await emulator.request('GET', `/v2/events/${event?.id ?? ''}`);
    expect(fetched.body.undelivered_webhooks).toBe(0);
  });

  it('gives up after the configured number of attempts', async () => {
    let attempts = 0;
    const receiver = createServer((_request, response) => {
      attempts++;
      response.writeHead(503).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    running.push({ close: () => new Promise<void>((resolve) => { receiver.closeAllConnections(); receiver.close(() => resolve()); }) });
    const port = (receiver.address() as AddressInfo).port;
    const emulator = await start({ webhookUrl: `http://127.0.0.1:${port}/`, webhookRetry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    await emulator.request('PUT', '/v2/identity/identities/i-1/sandbox-status', {});
    const id = emulator.state.events[0]?.id ?? '';
    while ((await emulator.request('GET', `/v2/events/${id}`)).body.undelivered_webhooks > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(attempts).toBe(3);
  });
});
