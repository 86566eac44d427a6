import { randomBytes } from 'node:crypto';
import { securityProblems, settings } from '@/lib/config/settings';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import type { Endpoint } from '@/lib/observability/active-streams';
import { reportRefusal } from '@/lib/observability/guard-events';
import { log } from '@/lib/observability/logger';
import { requestIdOf } from '@/lib/observability/request-id';
import { guardStore, withStore } from '@/lib/state/store';
import { clientId } from './client-identity';

/** A stream the request continues (a verified Last-Event-ID), as the stream layer decoded it. */
export interface ResumedStream {
  streamId: string;
  endsAt: number;
}

export type Admission =
  | {
      ok: true;
      /** Frees the stream's concurrency slot; call once when the stream ends for any reason (idempotent). */
      release(): void;
      /**
       * Tells the guard which stream this is once its id is known, so the client's reconnects to it
       * (Last-Event-ID) are not charged as new stream starts. Optional to call.
       */
      bind(streamId: string, endsAt: number): void;
      /** RateLimit-* headers for the response. */
      headers: Record<string, string>;
    }
  | { ok: false; status: 429; message: string; retryAfterSeconds: number; headers: Record<string, string> };

const WINDOW_MS = 60_000;
/** A slot's lease; renewed every third of it while the stream is open, so a crashed instance frees it within this. */
export const SLOT_LEASE_MS = 30_000;
/** Reconnects to one stream that are not charged as stream starts (EventSource reconnects every few seconds at worst). */
export const FREE_RESUMES = 10;
/** Retry hint when the concurrency cap refuses: streams end at unknown times, so ask for a short wait. */
const CAP_RETRY_SECONDS = 5;

/**
 * Decides whether a client may start one more stream: RATE_LIMIT_PER_MINUTE stream starts per
 * minute (sliding window) and MAX_STREAMS_PER_CLIENT open streams, both counted across instances in
 * the shared store. It runs in the route (not the middleware) because only the route knows whether
 * a request really starts a stream (a tools/call of stream_market_news, a valid resume) and when
 * the stream ends. A store that is down or slow admits (docs/security.md).
 */
export async function admitStream(request: Request, endpoint: Endpoint, resumed?: ResumedStream): Promise<Admission> {
  // Invalid security settings: the middleware refuses every request before it gets here.
  if (securityProblems().length > 0) return open();
  const config = settings();
  const { ratePerMinute, maxStreamsPerClient } = config;
  // Both limits off: nothing is counted, so nothing need be remembered per stream (bind() would
  // otherwise keep an entry per stream started that no sweep ever runs to expire).
  if (ratePerMinute <= 0 && maxStreamsPerClient <= 0) return open();
  const client = clientId(request.headers, config);
  const store = guardStore();
  const now = Date.now();
  const resume = resumed && resumed.endsAt > now ? resumed : null;
  const headers: Record<string, string> = {};
  log.debug('guard.admit', { endpoint, client: redact(client), resume: Boolean(resume) });

  let takeoverPrefix: string | undefined;
  let charge = ratePerMinute > 0;
  if (resume) {
    const count = await withStore(store, 'count-resume', () => store.countResume(client, resume.streamId, resume.endsAt - now + WINDOW_MS));
    // A reconnect to a stream this client started (count ≥ 2: bind counted 1) is not a new start.
    if (!count.ok || (count.value >= 2 && count.value <= FREE_RESUMES + 1)) {
      charge = false;
      takeoverPrefix = `${resume.streamId}|`;
    }
  }

  if (charge) {
    const decision = await withStore(store, 'rate-limit', () => store.limit(client, ratePerMinute, WINDOW_MS));
    if (decision.ok) {
      const resetSeconds = Math.max(1, Math.ceil((decision.value.reset - now) / 1000));
      headers['RateLimit-Limit'] = String(decision.value.limit);
      headers['RateLimit-Remaining'] = String(decision.value.remaining);
      headers['RateLimit-Reset'] = String(resetSeconds);
      headers['RateLimit-Policy'] = `${ratePerMinute};w=60`;
      if (!decision.value.success) {
        return refuse(request, endpoint, client, headers, {
          reason: 'rate-limit',
          retryAfterSeconds: resetSeconds,
          limit: `${ratePerMinute} per minute`,
          message: `Too many stream starts: at most ${ratePerMinute} per minute per client; retry after ${resetSeconds} s`,
        });
      }
    }
  }

  let member = `${resume?.streamId ?? '-'}|${randomBytes(6).toString('hex')}`;
  if (maxStreamsPerClient <= 0) return admitted(() => member, (m) => (member = m), client, headers, false);
  const slot = await withStore(store, 'acquire-slot', () =>
    store.acquireSlot({ client, member, cap: maxStreamsPerClient, leaseMs: SLOT_LEASE_MS, takeoverPrefix }),
  );
  if (slot.ok && !slot.value.ok) {
    return refuse(request, endpoint, client, headers, {
      reason: 'concurrency',
      retryAfterSeconds: CAP_RETRY_SECONDS,
      limit: `${maxStreamsPerClient} open streams`,
      message: `Too many open streams: at most ${maxStreamsPerClient} at once per client; close one or retry after ${CAP_RETRY_SECONDS} s`,
    });
  }
  return admitted(() => member, (m) => (member = m), client, headers, true);
}

/** A 429: reported (log and metric, never the key) and answered the same way for either limit. */
function refuse(
  request: Request,
  endpoint: Endpoint,
  client: string,
  headers: Record<string, string>,
  refusal: { reason: 'rate-limit' | 'concurrency'; retryAfterSeconds: number; limit: string; message: string },
): Admission {
  const { reason, retryAfterSeconds, limit, message } = refusal;
  reportRefusal({ requestId: requestIdOf(request), endpoint, reason, status: 429, retryAfterSeconds, limit, clientKind: kindOf(client) });
  return { ok: false, status: 429, message, retryAfterSeconds, headers };
}

function admitted(
  getMember: () => string,
  setMember: (member: string) => void,
  client: string,
  headers: Record<string, string>,
  holdsSlot: boolean,
): Admission {
  const store = guardStore();
  let open = true;
  // Renews the lease while the stream lives; unref'd so it never keeps a process alive.
  const lease = holdsSlot
    ? setInterval(() => void withStore(store, 'refresh-slot', () => store.refreshSlot(client, getMember(), SLOT_LEASE_MS)), SLOT_LEASE_MS / 3)
    : undefined;
  lease?.unref();
  return {
    ok: true,
    headers,
    release() {
      if (!open) return;
      open = false;
      clearInterval(lease);
      if (holdsSlot) void withStore(store, 'release-slot', () => store.releaseSlot(client, getMember()));
    },
    bind(streamId, endsAt) {
      if (!open) return;
      const previous = getMember();
      const bound = `${streamId}|${previous.split('|')[1]}`;
      setMember(bound);
      const ttl = Math.max(1000, endsAt - Date.now() + WINDOW_MS);
      void withStore(store, 'bind-slot', () => store.bindSlot(client, previous, bound, streamId, ttl));
    },
  };
}

function open(): Admission {
  return { ok: true, headers: {}, release: () => {}, bind: () => {} };
}

const kindOf = (client: string): 'key' | 'ip' => (client.startsWith('key:') ? 'key' : 'ip');

/** Debug logs show which client was admitted, never a full IP or key id. */
function redact(client: string): string {
  return client.startsWith('key:') ? `key:${client.slice(4, 8)}…` : client.replace(/(\d+)\.(\d+)$/, 'x.x');
}

/** The contract's 429 JSON error for a refused admission, with Retry-After and RateLimit-* headers. */
export function refusalResponse(admission: Extract<Admission, { ok: false }>): Response {
  return jsonRpcErrorResponse(
    admission.status,
    JsonRpcCode.rateLimited,
    admission.message,
    { retryAfterSeconds: admission.retryAfterSeconds },
    { ...admission.headers, 'Retry-After': String(admission.retryAfterSeconds) },
  );
}
