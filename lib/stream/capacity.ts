import type { Refusal } from '@/lib/guard/admit-stream';
import { reportRefusal } from '@/lib/observability/guard-events';
import { requestIdOf } from '@/lib/observability/request-id';
import { newsHub } from './hub';

/** How long a client is asked to wait when every symbol place is in use: streams end within minutes. */
const BUSY_RETRY_SECONDS = 30;

/**
 * Places for the symbols a stream or snapshot is about to use (MAX_ACTIVE_SYMBOLS, contract §6.5),
 * or the 503 that says the server is at capacity. Checked before any limit is charged.
 */
export function claimSymbols(request: Request | undefined, endpoint: string, symbols: readonly string[]): { ok: true; release: () => void } | { ok: false; refusal: Refusal } {
  const release = newsHub().claim(symbols);
  if (release) return { ok: true, release };
  reportRefusal({ requestId: request ? requestIdOf(request) : 'unknown', endpoint, reason: 'capacity', status: 503, retryAfterSeconds: BUSY_RETRY_SECONDS });
  return {
    ok: false,
    refusal: {
      ok: false,
      status: 503,
      message: `Server busy: it is watching as many distinct symbols as it may; retry after ${BUSY_RETRY_SECONDS} s`,
      retryAfterSeconds: BUSY_RETRY_SECONDS,
      headers: {},
    },
  };
}
