import { describeIssues, streamQuerySchema, type StreamParams } from '@/lib/contract/query';
import { settings } from '@/lib/config/settings';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { queryObject } from '@/lib/http/query';
import { SSE_HEADERS, sseResponse } from '@/lib/http/sse-response';
import type { StreamCursor } from '@/lib/stream/cursor';
import { checkCursor, readSince } from '@/lib/stream/cursor-check';
import type { StartAfter } from '@/lib/stream/delivery';
import { openStreamSession } from '@/lib/stream/session';
import { badCursorResponse, startRefusalResponse } from './refusals';
import { formatSseEvent } from './sse-events';

type Prepared = { ok: true; params: StreamParams; resume?: StreamCursor; after?: StartAfter } | { ok: false; response: Response };

/** GET /api/mcp/stream-news — live news as Server-Sent Events of JSON-RPC messages (contract §1, §6). */
export async function streamNews(request: Request): Promise<Response> {
  const prepared = await prepare(request);
  if (!prepared.ok) return prepared.response;
  const { params, resume, after } = prepared;
  const started = await openStreamSession({ request, endpoint: 'sse', params, resume, after });
  if (!started.ok) return startRefusalResponse(started.refusal);
  const { session } = started;
  const response = sseResponse(session.run, {
    heartbeatMs: settings().streamHeartbeatMs,
    format: (event) => formatSseEvent(event, session.streamId),
    onCancel: () => session.close('client-gone'),
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

/**
 * Everything decided before a stream starts: parameters (400), a resumed stream (400 for an id
 * that does not verify, 204 for one that has ended) and `since` (400). A resume wins over `since`:
 * a reconnecting EventSource repeats its URL, which may carry the `since` it was opened with.
 */
async function prepare(request: Request): Promise<Prepared> {
  const url = new URL(request.url);
  const parsed = streamQuerySchema(settings().streamMaxDurationMs).safeParse(queryObject(url, ['lastEventId']));
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error);
    return { ok: false, response: jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, message, { fields }) };
  }
  const params = parsed.data;
  const header = request.headers.get('last-event-id');
  const raw = header ?? url.searchParams.get('lastEventId');
  if (raw === null) {
    const since = await readSince(params.since, params.symbols);
    return since.ok ? { ok: true, params, after: since.after } : { ok: false, response: badCursorResponse(since.field, since.message) };
  }
  const check = await checkCursor(raw, header === null ? 'lastEventId' : 'Last-Event-ID', params.symbols);
  if (!check.ok) return { ok: false, response: badCursorResponse(check.field, check.message) };
  // An ended stream answers 204 so EventSource stops reconnecting.
  if (Date.now() >= check.cursor.endsAt) return { ok: false, response: new Response(null, { status: 204 }) };
  return { ok: true, params, resume: check.cursor };
}
