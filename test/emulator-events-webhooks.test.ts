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
  it('lists events ascending with limit and page_cursor, and gets one by id', async () => {
    let tick = 0;
    const emulator = await start({ now: () => new Date(Date.UTC(2024, 0, 1, 0, 0, tick++)) });
    for (const nickname of ['a', 'b', 'c', 'd', 'e']) await emulator.request('POST', '/v2/profiles', { nickname });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await emulator.request('GET', `/v2/events?limit=2${cursor ? `&page_cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      seen.push(...response.body.events.map((event: { object: { nickname: string } }) => event.object.nickname));
      cursor = response.body.next_page_cursor;
      pages++;
    } while (cursor);
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

  it('filters by type (repeatable or comma separated) and rejects a bad limit or cursor', async () => {
    const emulator = await start();
    await emulator.request('POST', '/v2/profiles', { nickname: 'a' });
    await emulator.request('PUT', '/v2/identity/identities/i-1/sandbox-status', {});
    const approved = await emulator.request('GET', '/v2/events?type=identity.approved');
    expect(approved.body.events).toMatchObject([{ type: 'identity.approved', object_type: 'identity_summary_status_change', object: { identity_id: 'i-1' } }]);
    expect((await emulator.request('GET', '/v2/events?type=identity.approved,profile.created')).body.events).toHaveLength(2);
    expect((await emulator.request('GET', '/v2/events?type=identity.denied&type=profile.created')).body.events).toHaveLength(1);
    expect((await emulator.request('GET', '/v2/events?limit=0')).body).toMatchObject({ status: 400, meta: { field: 'limit' } });
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
