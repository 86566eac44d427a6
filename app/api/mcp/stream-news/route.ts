import { env } from '@/lib/config/env';
import { admitStream, refusalResponse } from '@/lib/guard/admit-stream';
import { getOnlyHandlers, JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { queryObject } from '@/lib/http/query';
import { sseResponse } from '@/lib/http/sse-response';
import { streamMarketNews } from '@/lib/mcp/news-tool';
import { decodeCursor } from '@/lib/mcp/stream-cursor';
import { describeIssues, streamQuerySchema } from '@/lib/mcp/stream-params';
import { requestIdOf } from '@/lib/observability/request-id';
import { observeStream } from '@/lib/observability/stream-observer';
import { trackStream } from '@/lib/streams/active-streams';

// Streams are long-lived and read live state: Node runtime, never cached or prerendered.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const { POST, PUT, PATCH, DELETE } = getOnlyHandlers();
/** Seconds; STREAM_MAX_DURATION_MS defaults to 300 000 ms, so a stream fits in one invocation. */
export const maxDuration = 300;

/** GET /api/mcp/stream-news — live news as Server-Sent Events of JSON-RPC messages (contract §1). */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const parsed = streamQuerySchema().safeParse(queryObject(url, ['lastEventId']));
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error);
    return jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, message, { fields });
  }
  const params = parsed.data;

  const lastEventId = request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId');
  const resume = lastEventId ? decodeCursor(lastEventId) : undefined;
  if (lastEventId && (!resume || resume.endsAt - resume.startedAt > env().STREAM_MAX_DURATION_MS)) {
    return jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, 'Last-Event-ID is not an event id issued by this stream', {
      fields: { 'Last-Event-ID': 'must be the id of an event this API sent' },
    });
  }
  // An ended stream answers 204 so EventSource stops reconnecting.
  if (resume && Date.now() >= resume.endsAt) return new Response(null, { status: 204 });

  const admission = await admitStream(request, 'sse');
  if (!admission.ok) return refusalResponse(admission);

  const controller = new AbortController();
  request.signal.addEventListener('abort', () => controller.abort(), { once: true });
  const untrack = trackStream('sse');
  const events = streamMarketNews(params, { signal: controller.signal, resume: resume ?? undefined });
  const first = await events.next();
  const token = first.done || first.value.type !== 'connected' ? 'unknown' : first.value.streamId;
  // Lets the guard recognise this client's reconnects to the stream (not charged as new starts).
  if (!resume && !first.done && first.value.type === 'connected') admission.bind(first.value.streamId, Date.parse(first.value.endsAt));
  const observer = observeStream({
    endpoint: 'sse',
    streamId: token,
    requestId: requestIdOf(request),
    symbol: params.symbol,
    resumed: Boolean(resume),
    interval: params.interval,
    duration: params.duration,
  });

  const response = sseResponse(observer.observe(prepend(first, events)), token, {
    controller,
    heartbeatMs: env().STREAM_HEARTBEAT_MS,
    onEnd: (reason) => {
      untrack();
      admission.release();
      observer.end(reason);
    },
  });
  for (const [name, value] of Object.entries(admission.headers)) response.headers.set(name, value);
  return response;
}

/** Puts back the already-read first event so the token could be known before the response starts. */
async function* prepend<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}
