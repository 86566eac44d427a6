import { z } from 'zod';
import { retryAfterMs } from '@/lib/http/retry-after';
import { formatDuration } from './time';

const errorBody = z.object({
  error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }),
});

/** Whole seconds a Retry-After header asks for, rounded up so the user never retries early. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  const ms = retryAfterMs(header, nowMs);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

export interface FailureDescription {
  status: number;
  /** A sentence for the user: what happened and what to do. */
  message: string;
  /**
   * What happened, without the advice to try again: for a page that retries on its own and shows
   * its own countdown (the server's "retry after 10 s" is already stale a second later).
   */
  reason: string;
  retryAfterSeconds?: number;
}

/** The server's own "; retry after N s" ending, which a live countdown replaces. */
const RETRY_CLAUSE = /;?\s*retry after \d+ s\.?$/i;

/** Turns an HTTP refusal (the contract's JSON-RPC error body) into words for the user. */
export function describeHttpFailure(
  status: number,
  body: unknown,
  retryAfterHeader: string | null,
  nowMs: number,
): FailureDescription {
  const parsed = errorBody.safeParse(body);
  const detail = parsed.success ? parsed.data.error.message : undefined;
  const retryAfterSeconds = parseRetryAfter(retryAfterHeader, nowMs);
  const why = detail ? ` ${detail.replace(/\.?$/, '.')}` : '';
  const wait = retryAfterSeconds !== undefined ? ` Try again in ${formatDuration(retryAfterSeconds)}.` : ' Try again shortly.';
  const bare = detail ? ` ${detail.replace(RETRY_CLAUSE, '').replace(/\.?$/, '.')}` : '';
  switch (status) {
    case 429:
      return { status, message: `Too many streams right now.${why}${wait}`, reason: bare.trim() || 'Too many streams right now.', retryAfterSeconds };
    case 503:
      // Contract §6.5: the server is at its limit of symbols polled; Retry-After says when to return.
      return { status, message: `The server is busy right now.${why}${wait}`, reason: `The server is busy right now.${bare}`, retryAfterSeconds };
  }
  const message = otherFailure(status, why);
  return { status, message, reason: message };
}

function otherFailure(status: number, why: string): string {
  switch (status) {
    case 400:
      return `The request was refused as invalid.${why}`;
    case 401:
      return `This server requires an API key.${why}`;
    case 403:
      return `This page's origin is not allowed to use the API.${why}`;
    case 204:
      return 'The stream had already ended.';
    default:
      return status >= 500 ? `The server failed (HTTP ${status}).${why} Try again shortly.` : `The server answered HTTP ${status}.${why}`;
  }
}
