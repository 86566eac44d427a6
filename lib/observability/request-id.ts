import { randomUUID } from 'node:crypto';

/** Ids set by the platform in front of us: Vercel's, then a conventional proxy header. */
const HEADERS = ['x-vercel-id', 'x-request-id'];
const SAFE_ID = /^[\w.:\-]{1,128}$/;

/**
 * The id that ties a request's log lines together: the platform's when present (so our lines
 * match Vercel's request log), else a fresh UUID. Header values are checked, not trusted, because
 * they end up in logs.
 */
export function requestIdOf(request: Request): string {
  for (const name of HEADERS) {
    const value = request.headers.get(name)?.trim();
    if (value && SAFE_ID.test(value)) return value;
  }
  return randomUUID();
}
