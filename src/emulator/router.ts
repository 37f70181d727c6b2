/**
 * Matches a method and URL path to a route pattern (`/v2/profiles/:profile_id`),
 * decoding path parameters. Distinguishes "no such path" (404) from "path
 * exists, not with this method" (405).
 */
import { problems } from './framework.js';

export interface RoutePattern<T> {
  method: string;
  path: string;
  value: T;
}

export type RouteMatch<T> =
  | { kind: 'found'; value: T; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

interface CompiledRoute<T> {
  method: string;
  segments: string[];
  value: T;
}

export interface Router<T> {
  match(method: string, path: string): RouteMatch<T>;
}

export function createRouter<T>(routes: readonly RoutePattern<T>[]): Router<T> {
  const bySegmentCount = new Map<number, CompiledRoute<T>[]>();
  for (const route of routes) {
    const segments = splitPath(route.path);
    const list = bySegmentCount.get(segments.length) ?? [];
    const shape = (parts: string[]) => parts.map((part) => (part.startsWith(':') ? ':' : part)).join('/');
    const duplicate = list.find((other) => other.method === route.method && shape(other.segments) === shape(segments));
    if (duplicate) throw new Error(`emulator route declared twice: ${route.method} ${route.path}`);
    list.push({ method: route.method, segments, value: route.value });
    bySegmentCount.set(segments.length, list);
  }
  // Literal segments win over parameters (`/orders/:id` vs `/orders/open`): try the most literal first.
  for (const list of bySegmentCount.values()) list.sort((a, b) => literalScore(b) - literalScore(a));

  return {
    match(method, path) {
      const segments = splitPath(path);
      const candidates = bySegmentCount.get(segments.length) ?? [];
      const allowed: string[] = [];
      for (const candidate of candidates) {
        const params = matchSegments(candidate.segments, segments);
        if (!params) continue;
        if (candidate.method === method) return { kind: 'found', value: candidate.value, params };
        if (!allowed.includes(candidate.method)) allowed.push(candidate.method);
      }
      return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
    },
  };
}

function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

function literalScore(route: CompiledRoute<unknown>): number {
  return route.segments.filter((segment) => !segment.startsWith(':')).length;
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index] as string;
    const segment = actual[index] as string;
    if (expected.startsWith(':')) {
      if (segment === '') return undefined;
      params[expected.slice(1)] = decodeSegment(segment);
    } else if (expected !== segment) return undefined;
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw problems.badRequest(`malformed percent-encoding in path segment '${segment}'`);
  }
}
