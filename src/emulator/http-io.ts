/**
 * Reading request bodies and writing JSON answers on `node:http`. Every
 * problem leaves the server through `sendProblem`, as RFC 7807 JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemError, problems } from './framework.js';

/** Bodies above this are refused with 413 rather than buffered. */
const maxBodyBytes = 5 * 1024 * 1024;

/** The raw body as text; empty string when there is none. */
export async function readBodyText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      throw new ProblemError({ status: 413, title: 'Payload Too Large', detail: `request body exceeds ${maxBodyBytes} bytes` });
    }
    chunks.push(chunk);
  }
  return chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8');
}

/** The JSON body, or `undefined` when empty; malformed JSON is a 400 problem saying where. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw problems.badRequest(`malformed JSON body: ${(error as Error).message}`);
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}

export function sendProblem(response: ServerResponse, problem: ProblemError): void {
  sendJson(response, problem.status, problem.toJSON(), 'application/problem+json');
}

/** Any error as a problem: `ProblemError`s as thrown, anything else as a 500 naming the cause. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProblemError({ status: 500, title: 'Internal Server Error', detail: `emulator error: ${message}` });
}
