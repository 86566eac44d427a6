import { randomUUID } from 'node:crypto';
import { securityProblems, settings } from '@/lib/config/settings';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import type { Endpoint } from '@/lib/observability/active-streams';
import { reportRefusal } from '@/lib/observability/guard-events';
import { log } from '@/lib/observability/logger';
import { requestIdOf } from '@/lib/observability/request-id';
import type { GuardStore, SlotRef } from '@/lib/state/guard-store';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { guardStore, withStore } from '@/lib/state/store';
import { clientId } from './client-identity';
import { LeaseKeeper } from './lease-keeper';

/** The stream a request starts or continues, as the stream layer planned it (ids verified there). */
export interface StreamTicket {
  streamId: string;
  endsAt: number;
  /** True for a reconnect with a verified Last-Event-ID of this stream. */
  resumed: boolean;
}

export type Admission =
  | {
      ok: true;
      /** Frees the stream's concurrency slot; idempotent. Resolves once the store has it. */
      release(): Promise<void>;
      /** RateLimit-* headers for the response. */
      headers: Record<string, string>;
    }
  | Refusal;

export interface Refusal {
  ok: false;
  status: 429 | 503;
  message: string;
  retryAfterSeconds: number;
  headers: Record<string, string>;
}

const WINDOW_MS = 60_000;
/** A slot's lease in a shared store; renewed every third of it while the stream is open (lease-keeper.ts), so a crashed instance frees it within this. */
export const SLOT_LEASE_MS = 30_000;
/** Reconnects to one stream that are not charged as stream starts (EventSource reconnects every few seconds at worst). */
export const FREE_RESUMES = 10;
/** Retry hint when the concurrency cap refuses: streams end at unknown times, so ask for a short wait. */
const CAP_RETRY_SECONDS = 5;

/** Who a request counts against (API key, else IP), as every limit sees it. */
export function clientOf(request: Request): string {
  return clientId(request.headers, settings());
}

/**
 * Decides whether a client may open one more stream (contract §5, §6.1, §6.5): at most
 * MAX_STREAMS_PER_CLIENT open at once, checked first so a refusal for concurrency costs nothing,
 * then RATE_LIMIT_PER_MINUTE starts per minute (sliding window), both counted across instances in
 * the shared store. A reconnect is free only for a stream this client started (recorded at its
 * start, for its remaining life) and for at most FREE_RESUMES reconnects; it takes a slot like
 * any connection, never the slot of one still open. A store that is down or slow admits.
 */
export async function admitStream(request: Request, endpoint: Endpoint, ticket: StreamTicket): Promise<Admission> {
  // Invalid security settings: the middleware refuses every request before it gets here.
  if (securityProblems().length > 0) return open();
  const { ratePerMinute, maxStreamsPerClient } = settings();
  // Both limits off: nothing is counted, so nothing need be remembered per stream.
  if (ratePerMinute <= 0 && maxStreamsPerClient <= 0) return open();
  const client = clientOf(request);
  const store = guardStore();
  const now = Date.now();
  const remainingMs = Math.max(1, ticket.endsAt - now);
  // Every connect passes here: build the line (redact runs a regex) only when someone reads it.
  if (log.enabled('debug')) log.debug('guard.admit', { endpoint, client: redact(client), resume: ticket.resumed });

  let free = false;
  if (ticket.resumed) {
    const count = await withStore(store, 'count-resume', () => store.countResume(client, ticket.streamId));
    free = !count.ok || (count.value >= 2 && count.value <= FREE_RESUMES + 1);
  }

  // Tells this connection's slot from another connection to the same stream (a resume); randomUUID is buffered, randomBytes a system call.
  const member = `${ticket.streamId}|${randomUUID().slice(0, 8)}`;
  const holdsSlot = maxStreamsPerClient > 0;
  const renews = renewsLeases(store);
  if (holdsSlot) {
    const leaseMs = renews ? SLOT_LEASE_MS : remainingMs + SLOT_LEASE_MS;
    const slot = await withStore(store, 'acquire-slot', () => store.acquireSlot({ client, member, cap: maxStreamsPerClient, leaseMs }));
    if (slot.ok && !slot.value.ok) {
      return refuse(request, endpoint, client, {}, {
        reason: 'concurrency',
        retryAfterSeconds: CAP_RETRY_SECONDS,
        limit: `${maxStreamsPerClient} open streams`,
        message: `Too many open streams: at most ${maxStreamsPerClient} at once per client; close one or retry after ${CAP_RETRY_SECONDS} s`,
      });
    }
  }
  const admitted = holdConnection(store, { client, member }, holdsSlot, renews);

  const headers: Record<string, string> = {};
  if (!free && ratePerMinute > 0) {
    const decision = await withStore(store, 'rate-limit', () => store.limit(client, ratePerMinute, WINDOW_MS));
    if (decision.ok) {
      const resetSeconds = Math.max(1, Math.ceil((decision.value.reset - now) / 1000));
      Object.assign(headers, {
        'RateLimit-Limit': String(decision.value.limit),
        'RateLimit-Remaining': String(decision.value.remaining),
        'RateLimit-Reset': String(resetSeconds),
        'RateLimit-Policy': `${ratePerMinute};w=60`,
      });
      if (!decision.value.success) {
        await admitted.release();
        return refuse(request, endpoint, client, headers, {
          reason: 'rate-limit',
          retryAfterSeconds: resetSeconds,
          limit: `${ratePerMinute} per minute`,
          message: `Too many stream starts: at most ${ratePerMinute} per minute per client; retry after ${resetSeconds} s`,
        });
      }
    }
  }
  // A charged start: this client's reconnects to the stream are free from now on, for its remaining life.
  if (!free) void withStore(store, 'record-start', () => store.recordStart(client, ticket.streamId, remainingMs));
  return { ok: true, headers, release: admitted.release };
}

/** A 429: reported (log and metric, never the key) and answered the same way for either limit. */
function refuse(
  request: Request,
  endpoint: Endpoint,
  client: string,
  headers: Record<string, string>,
  refusal: { reason: 'rate-limit' | 'concurrency'; retryAfterSeconds: number; limit: string; message: string },
): Refusal {
  const { reason, retryAfterSeconds, limit, message } = refusal;
  reportRefusal({ requestId: requestIdOf(request), endpoint, reason, status: 429, retryAfterSeconds, limit, clientKind: kindOf(client) });
  return { ok: false, status: 429, message, retryAfterSeconds, headers };
}

/**
 * A lease protects a shared store from an instance that crashes with streams open, so it is short
 * and renewed while the stream lives. This process's memory dies with the process: there the
 * slot is leased for the stream's whole life at once and never renewed (10,000 open streams
 * renewed 1,000 slots a second, for nothing).
 */
function renewsLeases(store: GuardStore): boolean {
  return store.kind !== 'memory';
}

/** The slot, released once; its lease renewed with every other slot of this process where `renews`. */
function holdConnection(store: GuardStore, slot: SlotRef, holdsSlot: boolean, renews: boolean): { release(): Promise<void> } {
  const unkeep = holdsSlot && renews ? leaseKeeper(store).keep(slot) : undefined;
  let released: Promise<void> | undefined;
  return {
    release() {
      unkeep?.();
      released ??= holdsSlot ? withStore(store, 'release-slot', () => store.releaseSlot(slot.client, slot.member)).then(() => {}) : Promise.resolve();
      return released;
    },
  };
}

const leaseKeeper = (store: GuardStore) => processSingleton('lease-keeper', () => new LeaseKeeper(store, SLOT_LEASE_MS));

function open(): Admission {
  return { ok: true, headers: {}, release: () => Promise.resolve() };
}

const kindOf = (client: string): 'key' | 'ip' => (client.startsWith('key:') ? 'key' : 'ip');

/** Debug logs show which client was admitted, never a full IP or key id. */
function redact(client: string): string {
  return client.startsWith('key:') ? `key:${client.slice(4, 8)}…` : client.replace(/(\d+)\.(\d+)$/, 'x.x');
}

/** The contract's JSON error for a refused admission (429, or 503 when the server is at capacity), with Retry-After. */
export function refusalResponse(refusal: Refusal): Response {
  return jsonRpcErrorResponse(
    refusal.status,
    refusal.status === 503 ? JsonRpcCode.serverBusy : JsonRpcCode.rateLimited,
    refusal.message,
    { retryAfterSeconds: refusal.retryAfterSeconds },
    { ...refusal.headers, 'Retry-After': String(refusal.retryAfterSeconds) },
  );
}
