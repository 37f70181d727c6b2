/**
 * A buffering HTTP proxy on 127.0.0.1 port 0 for end-to-end tests: each
 * request is read whole, offered to `onRequest` (which may answer it itself),
 * forwarded to `upstream`, and the whole answer offered to `onResponse` (which
 * may rewrite it) before it is sent back. The spec-validating and the hostile
 * proxies are hooks on this one.
 *
 * A connection the upstream resets (the emulator's reset-after-commit fault)
 * is reset towards the client too, so a lost answer stays lost.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request as undiciRequest } from 'undici';

export interface ProxiedRequest {
  method: string;
  /** Path and query string, as the client sent them. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw body; empty when none. */
  body: Buffer;
}

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export interface ProxyHooks {
  /** Return an answer to send instead of forwarding the request. */
  onRequest?(request: ProxiedRequest): ProxiedResponse | undefined;
  /** Return the answer to send (the same object, changed, is fine). */
  onResponse?(request: ProxiedRequest, response: ProxiedResponse): ProxiedResponse;
}

export interface RunningProxy {
  url: string;
  close(): Promise<void>;
}

// Hop-by-hop headers are the proxy's own business, and the length changes when a hook rewrites a body.
const notForwarded = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'upgrade']);

export async function startHttpProxy(upstream: string, hooks: ProxyHooks): Promise<RunningProxy> {
  const agent = new Agent({ keepAliveTimeout: 1000 });
  const base = upstream.replace(/\/$/, '');

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: ProxiedRequest = { method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers, body: Buffer.concat(chunks) };
    let response = hooks.onRequest?.(request);
    if (!response) {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !notForwarded.has(name)) headers[name] = value;
      let answer;
      try {
        answer = await undiciRequest(`${base}${request.url}`, {
          method: request.method as 'GET',
          headers,
          dispatcher: agent,
          ...(request.body.length > 0 ? { body: request.body } : {}),
        });
      } catch {
        incoming.socket.destroy();
        return;
      }
      let body: Buffer;
      try {
        body = Buffer.from(await answer.body.arrayBuffer());
      } catch {
        incoming.socket.destroy();
        return;
      }
      const answerHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !notForwarded.has(name)) answerHeaders[name] = value;
      response = { status: answer.statusCode, headers: answerHeaders, body };
    }
    const sent = hooks.onResponse ? hooks.onResponse(request, response) : response;
    outgoing.writeHead(sent.status, { ...sent.headers, 'content-length': String(sent.body.length) });
    outgoing.end(sent.body);
  };

  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch(() => incoming.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}

/** Parses a JSON body, or `undefined` when it is empty or not JSON. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** An RFC 7807 answer, as Paxos renders problems. */
export function problemResponse(status: number, title: string, detail: string, meta?: Record<string, unknown>): ProxiedResponse {
  const body = { type: 'about:blank', title, status, detail, ...(meta ? { meta } : {}) };
  return { status, headers: { 'content-type': 'application/problem+json' }, body: Buffer.from(JSON.stringify(body)) };
}
