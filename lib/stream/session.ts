import type { StreamParams } from '@/lib/contract/query';
import { admitStream, type Admission } from '@/lib/guard/admit-stream';
import { trackStream, type Endpoint } from '@/lib/observability/active-streams';
import type { StreamEndReason } from '@/lib/observability/metrics';
import { requestIdOf } from '@/lib/observability/request-id';
import { observeStream } from '@/lib/observability/stream-observer';
import type { StreamCursor } from './cursor';
import type { StreamEvent } from './events';
import { planStream, streamMarketNews } from './news-stream';

export interface SessionInput {
  /** The HTTP request the stream answers: who is asking (limits), request id, and its abort signal. */
  request?: Request;
  endpoint: Endpoint;
  params: StreamParams;
  /** A verified cursor of the stream this request continues (Last-Event-ID). */
  resume?: StreamCursor;
  /** Start a new stream after what an earlier one delivered (a cursor or an ISO time). */
  since?: string;
  /** Further reasons to stop early, such as an MCP call's cancellation. */
  signals?: AbortSignal[];
}

export type Refusal = Extract<Admission, { ok: false }>;

export interface StreamSession {
  readonly streamId: string;
  readonly endsAt: number;
  /** RateLimit-* headers for the response. */
  readonly headers: Record<string, string>;
  /** Aborting it stops the stream within a tick; its events then end. */
  readonly controller: AbortController;
  /** The stream's events. When they end, however, the session is closed. */
  readonly events: AsyncGenerator<StreamEvent>;
  /** Closes the session (idempotent); for an adapter that gives up before iterating the events. */
  close(reason: StreamEndReason): void;
  /** Why the session ended; undefined while it runs. */
  endReason(): StreamEndReason | undefined;
}

/**
 * One stream's lifecycle, the same for both transports: admission (rate and concurrency limits),
 * abort wiring, the open-stream count, logs, metrics and span, and on the way out the concurrency
 * slot released, the count decremented and the end logged — exactly once, however it ends.
 */
export async function openStreamSession(input: SessionInput): Promise<{ ok: true; session: StreamSession } | { ok: false; refusal: Refusal }> {
  const { request, endpoint, params, resume } = input;
  const plan = planStream(params.duration, resume);
  const admission = request ? await admitStream(request, endpoint, resume && { streamId: resume.streamId, endsAt: resume.endsAt }) : undefined;
  if (admission && !admission.ok) return { ok: false, refusal: admission };
  // Lets the guard recognise this client's reconnects to the stream (not charged as new starts).
  if (!resume) admission?.bind(plan.streamId, plan.endsAt);

  const controller = new AbortController();
  const stop = () => controller.abort();
  const signals = [request?.signal, ...(input.signals ?? [])].filter((s): s is AbortSignal => s !== undefined);
  for (const signal of signals) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener('abort', stop, { once: true });
  }
  const untrack = trackStream(endpoint);
  const observer = observeStream({
    endpoint,
    streamId: plan.streamId,
    requestId: request ? requestIdOf(request) : 'unknown',
    symbol: params.symbol,
    resumed: Boolean(resume ?? input.since),
    interval: params.interval,
    duration: params.duration,
  });

  let ended: StreamEndReason | undefined;
  const close = (reason: StreamEndReason) => {
    if (ended) return;
    ended = reason;
    for (const signal of signals) signal.removeEventListener('abort', stop);
    controller.abort();
    untrack();
    if (admission?.ok) admission.release();
    observer.end(reason);
  };

  async function* events(): AsyncGenerator<StreamEvent> {
    let failed = false;
    try {
      for await (const event of streamMarketNews(params, plan, { signal: controller.signal, since: input.since })) {
        observer.sent(event);
        failed ||= event.type === 'error';
        yield event;
      }
    } finally {
      close(controller.signal.aborted ? 'client-gone' : failed ? 'error' : 'complete');
    }
  }

  return {
    ok: true,
    session: { streamId: plan.streamId, endsAt: plan.endsAt, headers: admission?.ok ? admission.headers : {}, controller, events: events(), close, endReason: () => ended },
  };
}
