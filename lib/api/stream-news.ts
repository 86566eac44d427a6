import { describeIssues, streamQuerySchema, type StreamParams } from '@/lib/contract/query';
import { settings } from '@/lib/config/settings';
import { refusalResponse } from '@/lib/guard/admit-stream';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { queryObject } from '@/lib/http/query';
import { SSE_HEADERS, sseResponse } from '@/lib/http/sse-response';
import { scopeOf, type StreamCursor } from '@/lib/stream/cursor';
import { checkCursor } from '@/lib/stream/cursor-check';
import type { StreamEvent } from '@/lib/stream/events';
import { openStreamSession } from '@/lib/stream/session';
import { formatSseEvent } from './sse-events';

type Prepared = { ok: true; params: StreamParams; resume?: StreamCursor } | { ok: false; response: Response };

/** GET /api/mcp/stream-news — live news as Server-Sent Events of JSON-RPC messages (contract §1). */
export async function streamNews(request: Request): Promise<Response> {
  const prepared = await prepare(request);
  if (!prepared.ok) return prepared.response;
  const started = await openStreamSession({ request, endpoint: 'sse', params: prepared.params, resume: prepared.resume });
  if (!started.ok) return refusalResponse(started.refusal);
  const { session } = started;
  const response = sseResponse(frames(session.events, session.streamId), {
    heartbeatMs: settings().streamHeartbeatMs,
    onCancel: () => session.controller.abort(),
  });
  for (const [name, value] of Object.entries(session.headers)) response.headers.set(name, value);
  return response;
}

/**
 * HEAD (contract §6.5): the same validation and status as GET, headers only. Without this Next.js
 * would run GET and start a stream nobody reads; here nothing starts and nothing is charged.
 */
export async function streamNewsHead(request: Request): Promise<Response> {
  const prepared = await prepare(request);
  if (!prepared.ok) return new Response(null, { status: prepared.response.status, headers: prepared.response.headers });
  return new Response(null, { status: 200, headers: SSE_HEADERS });
}

/** Everything decided before a stream starts: parameters (400), the resumed stream (400), an ended one (204). */
async function prepare(request: Request): Promise<Prepared> {
  const url = new URL(request.url);
  const parsed = streamQuerySchema(settings().streamMaxDurationMs).safeParse(queryObject(url, ['lastEventId']));
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error);
    return { ok: false, response: jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, message, { fields }) };
  }
  const header = request.headers.get('last-event-id');
  const raw = header ?? url.searchParams.get('lastEventId');
  if (raw === null) return { ok: true, params: parsed.data };
  const check = await checkCursor(raw, header === null ? 'lastEventId' : 'Last-Event-ID', scopeOf([parsed.data.symbol]));
  if (!check.ok) {
    const response = jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, check.message, { fields: { [check.field]: check.message } });
    return { ok: false, response };
  }
  // An ended stream answers 204 so EventSource stops reconnecting.
  if (Date.now() >= check.cursor.endsAt) return { ok: false, response: new Response(null, { status: 204 }) };
  return { ok: true, params: parsed.data, resume: check.cursor };
}

async function* frames(events: AsyncGenerator<StreamEvent>, token: string): AsyncGenerator<string> {
  for await (const event of events) yield formatSseEvent(event, token);
}
