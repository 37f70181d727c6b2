/**
 * One HTTP attempt over undici, and the one question the retry logic needs
 * answered about a failure: could the request have reached the server?
 */
import { Agent, type Dispatcher } from 'undici';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text ('' when empty). */
  text: string;
}

/** No answer came. `sent: false` only when the connection was never made, so nothing can have been processed. */
export class TransportFailure extends Error {
  readonly sent: boolean;
  readonly errorCode: string;

  constructor(errorCode: string, sent: boolean, cause: unknown) {
    super(`${errorCode}${sent ? '' : ' (nothing was sent)'}`, { cause });
    this.name = 'TransportFailure';
    this.errorCode = errorCode;
    this.sent = sent;
  }
}

/** Failures to connect at all: the request never left, so repeating it is safe for every policy. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Keep-alive pooling per origin (the API and token hosts differ in the cloud).
 * Connections are not capped: the pacer already bounds how many requests
 * start per second, and a cap would queue paced requests inside undici and
 * let them leave in bunches the server would count together.
 */
export function createDispatcher(): Dispatcher {
  return new Agent({
    keepAliveTimeout: 10_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
    connect: { timeout: 10_000 },
  });
}

/** One request and its whole body; a failure without an answer is returned as a `TransportFailure`, never thrown. */
export async function sendAttempt(
  dispatcher: Dispatcher,
  init: { method: string; url: URL; headers: Record<string, string>; body?: string },
): Promise<HttpAnswer | TransportFailure> {
  try {
    const response = await dispatcher.request({
      origin: init.url.origin,
      path: `${init.url.pathname}${init.url.search}`,
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  } catch (error) {
    const code = errorCodeOf(error);
    return new TransportFailure(code, !notSentCodes.has(code), error);
  }
}

/** The most specific code on the error or its causes (Node wraps happy-eyeballs failures in an AggregateError). */
function errorCodeOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string' && record.code !== 'ERR_AGGREGATE') return record.code;
    current = Array.isArray(record.errors) && record.errors.length > 0 ? record.errors[0] : record.cause;
  }
  return error instanceof Error ? error.name : 'unknown error';
}

/** The first value of a header, lower-case name. */
export function headerValue(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
