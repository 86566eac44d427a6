import type { StreamParams } from '@/lib/contract/query';
import { admitStream, clientOf, type Refusal } from '@/lib/guard/admit-stream';
import { trackStream, type Endpoint } from '@/lib/observability/active-streams';
import type { StreamEndReason } from '@/lib/observability/metrics';
import { requestIdOf } from '@/lib/observability/request-id';
import { observeStream } from '@/lib/observability/stream-observer';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { pulled } from '@/lib/runtime/pulled';
import { claimSymbols } from './capacity';
import { sinceRefusal, type SinceTooOld } from './coverage';
import { scopeOf, type StreamCursor } from './cursor';
import { cursorCodec } from './cursor-keys';
import type { StreamEvent } from './events';
import type { StartAfter } from './delivery';
import { marketNewsStream, planStream, type MarketNewsStream } from './news-stream';

/** Why a stream did not start: a limit or the server's capacity (429, 503), or a `since` the history no longer covers (400). */
export type StartRefusal = Refusal | SinceTooOld;

export interface SessionInput {
  /** The HTTP request the stream answers: who is asking (limits), request id, and its abort signal. */
  request?: Request;
  endpoint: Endpoint;
  params: StreamParams;
  /** A verified cursor of the stream this request continues (Last-Event-ID). */
  resume?: StreamCursor;
  /** A new stream that skips what an earlier one delivered (`since`). */
  after?: StartAfter;
  /** Further reasons to stop early, such as an MCP call's cancellation. */
  signals?: AbortSignal[];
}

export interface StreamSession {
  readonly streamId: string;
  readonly endsAt: number;
  /** RateLimit-* headers for the response. */
  readonly headers: Record<string, string>;
  /**
   * Runs the stream: each event is pushed as it happens, then `end` is called once after the last.
   * When they end, however, the session is closed. A session runs once: a second `run` (or
   * `events()`) throws.
   */
  readonly run: (push: (event: StreamEvent) => void, end: () => void) => void;
  /** The same events for a consumer that pulls (`for await`); leaving early closes the session as client-gone. */
  readonly events: () => AsyncGenerator<StreamEvent>;
  /**
   * Closes the session (idempotent): a running stream stops at once (no further events, then `end`),
   * and one not yet run will push nothing.
   */
  close(reason: StreamEndReason): void;
  /** Why the session ended; undefined while it runs. */
  endReason(): StreamEndReason | undefined;
}

/** Open connections of this process by client and stream, so a reconnect can end the one it replaces. */
const connections = processSingleton('stream-connections', () => new Map<string, { close(): Promise<void> }>());

/**
 * One stream's lifecycle, the same for both transports: admission (rate and concurrency limits),
 * abort wiring, the open-stream count, logs, metrics and span, and on the way out the concurrency
 * slot released, the count decremented and the end logged — exactly once, however it ends.
 */
export async function openStreamSession(input: SessionInput): Promise<{ ok: true; session: StreamSession } | { ok: false; refusal: StartRefusal }> {
  const { request, endpoint, params, resume } = input;
  const plan = planStream(params.duration, resume);
  const connectionKey = request ? `${clientOf(request)}|${plan.streamId}` : undefined;
  // A reconnect means the client has given up on its earlier connection to this stream, even if
  // this server has not noticed yet: end it first, so the reconnect never holds a second slot.
  if (resume && connectionKey) await connections.get(connectionKey)?.close();
  const claimed = claimSymbols(request, endpoint, params.symbols);
  if (!claimed.ok) return claimed;
  const admission = request ? await admitStream(request, endpoint, { streamId: plan.streamId, endsAt: plan.endsAt, resumed: Boolean(resume) }) : undefined;
  if (admission && !admission.ok) {
    claimed.release();
    return { ok: false, refusal: admission };
  }
  // After admission: checking the history may fetch feeds, which a client over its limits must not cause.
  const tooOld = await sinceRefusal(params.symbols, input.after, request?.signal ?? new AbortController().signal);
  if (tooOld) {
    claimed.release();
    if (admission?.ok) await admission.release();
    return { ok: false, refusal: tooOld };
  }
  const codec = await cursorCodec();

  const signals = [request?.signal, ...(input.signals ?? [])].filter((s): s is AbortSignal => s !== undefined);
  const untrack = trackStream(endpoint);
  const observer = observeStream({
    endpoint,
    streamId: plan.streamId,
    requestId: request ? requestIdOf(request) : 'unknown',
    symbol: params.symbols.join(','),
    resumed: Boolean(resume ?? input.after),
    interval: params.interval,
    duration: params.duration,
  });

  let ended: StreamEndReason | undefined;
  let released = Promise.resolve();
  let stream: MarketNewsStream | undefined;
  const close = (reason: StreamEndReason) => {
    if (ended) return;
    ended = reason;
    // An aborted signal has dropped its listeners already; removing them again is not free in a mass drop.
    for (const signal of signals) if (!signal.aborted) signal.removeEventListener('abort', stop);
    untrack();
    claimed.release();
    if (admission?.ok) released = admission.release();
    observer.end(reason);
    if (connectionKey && connections.get(connectionKey) === entry) connections.delete(connectionKey);
    stream?.stop();
  };
  const stop = () => close('client-gone');
  const entry = {
    close: () => {
      close('client-gone');
      return released;
    },
  };
  if (connectionKey) connections.set(connectionKey, entry);
  for (const signal of signals) if (!signal.aborted) signal.addEventListener('abort', stop, { once: true });
  if (signals.some((signal) => signal.aborted)) close('client-gone');

  const options = { codec, scope: scopeOf(params.symbols), after: input.after };
  let running = false;
  const run = (push: (event: StreamEvent) => void, end: () => void) => {
    // A second run would be a second stream on one slot, count and end log: an adapter's bug.
    if (running) throw new Error('a stream session runs once');
    running = true;
    stream = marketNewsStream(params, plan, options, {
      event: (event) => {
        observer.sent(event);
        push(event);
      },
      end: (outcome) => {
        close(outcome);
        end();
      },
    });
    if (ended) stream.stop();
    stream.start();
  };
  const events = () =>
    pulled<StreamEvent>((push, end) => {
      run(push, end);
      return () => close('client-gone');
    });

  return {
    ok: true,
    session: { streamId: plan.streamId, endsAt: plan.endsAt, headers: admission?.ok ? admission.headers : {}, run, events, close, endReason: () => ended },
  };
}
