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
  retryAfterSeconds?: number;
}

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
  switch (status) {
    case 429:
      return { status, message: `Too many streams right now.${why}${wait}`, retryAfterSeconds };
    case 503:
      // Contract §6.5: the server is at its limit of symbols polled; Retry-After says when to return.
      return { status, message: `The server is busy right now.${why}${wait}`, retryAfterSeconds };
    case 400:
      return { status, message: `The request was refused as invalid.${why}` };
    case 401:
      return { status, message: `This server requires an API key.${why}` };
    case 403:
      return { status, message: `This page's origin is not allowed to use the API.${why}` };
    case 204:
      return { status, message: 'The stream had already ended.' };
    default:
      return {
        status,
        message: status >= 500 ? `The server failed (HTTP ${status}).${why} Try again shortly.` : `The server answered HTTP ${status}.${why}`,
      };
  }
}
