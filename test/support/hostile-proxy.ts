/**
 * A proxy that makes an emulator as unkind as Paxos may be where the docs
 * leave room (issue 10): it
 * - refuses a repeated single-valued query parameter with a 400 problem (what
 *   a gRPC-gateway server may do);
 * - removes `Retry-After` from every answer (Paxos documents none on 429);
 * - hides from `GET /v2/transfer/transfers` the transfers created less than
 *   `hideTransfersYoungerThanMs` ago (fiat deposits "can take a minute" to be
 *   listed);
 * - removes `next_page_cursor` from answers whose spec schema declares none
 *   (the events list), so no client pages by an invented cursor.
 */
import { loadSpecModel } from './conformance.js';
import { parseJson, problemResponse, startHttpProxy, type RunningProxy } from './http-proxy.js';
import { operationOf } from './spec-proxy.js';

export interface HostileProxyOptions {
  /** Default 10 000 ms. */
  hideTransfersYoungerThanMs?: number;
  now?: () => number;
}

export interface HostileProxy extends RunningProxy {
  /** What the proxy did, by kind, so a test can show the hostility was exercised. */
  counts(): { refusedRepeated: number; removedRetryAfter: number; hiddenTransfers: number; removedCursors: number };
}

export async function startHostileProxy(upstream: string, options: HostileProxyOptions = {}): Promise<HostileProxy> {
  const model = await loadSpecModel();
  const hideMs = options.hideTransfersYoungerThanMs ?? 10_000;
  const now = options.now ?? Date.now;
  const counts = { refusedRepeated: 0, removedRetryAfter: 0, hiddenTransfers: 0, removedCursors: 0 };

  const proxy = await startHttpProxy(upstream, {
    onRequest(request) {
      const operation = operationOf(model, request.method, request.url);
      if (!operation) return undefined;
      const queryStart = request.url.indexOf('?');
      const query = new URLSearchParams(queryStart === -1 ? '' : request.url.slice(queryStart + 1));
      const declared = model.queryParameters(operation);
      for (const name of new Set(query.keys())) {
        const parameter = declared.get(name);
        const given = query.getAll(name).length;
        if (parameter && parameter.type !== 'array' && given > 1) {
          counts.refusedRepeated++;
          return problemResponse(400, 'Bad Request', `invalid value for query parameter ${name}: given ${given} times, expected one ${parameter.type}`);
        }
      }
      return undefined;
    },
    onResponse(request, response) {
      if (response.headers['retry-after'] !== undefined) {
        delete response.headers['retry-after'];
        counts.removedRetryAfter++;
      }
      const operation = operationOf(model, request.method, request.url);
      if (!operation || response.status >= 300) return response;
      const body = parseJson(response.body);
      if (!body || typeof body !== 'object' || Array.isArray(body)) return response;
      const record = body as Record<string, unknown>;
      let changed = false;
      if (operation.operationId === 'ListTransfers' && Array.isArray(record.items)) {
        const cutoff = now() - hideMs;
        const shown = record.items.filter((item) => {
          const created = Date.parse(String((item as { created_at?: unknown }).created_at));
          return Number.isNaN(created) || created <= cutoff;
        });
        counts.hiddenTransfers += record.items.length - shown.length;
        changed ||= shown.length !== record.items.length;
        record.items = shown;
      }
      const schema = operation.responses[String(response.status)];
      if ('next_page_cursor' in record && schema && !model.declaresProperty(schema, 'next_page_cursor')) {
        delete record.next_page_cursor;
        counts.removedCursors++;
        changed = true;
      }
      if (changed) response.body = Buffer.from(JSON.stringify(record));
      return response;
    },
  });
  return { ...proxy, counts: () => ({ ...counts }) };
}
