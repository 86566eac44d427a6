import { describeIssues, streamQuerySchema } from '@/lib/contract/query';
import { settings } from '@/lib/config/settings';
import { refusalResponse } from '@/lib/guard/admit-stream';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { queryObject } from '@/lib/http/query';
import { sseResponse } from '@/lib/http/sse-response';
import { decodeCursor } from '@/lib/stream/cursor';
import type { StreamEvent } from '@/lib/stream/events';
import { openStreamSession } from '@/lib/stream/session';
import { formatSseEvent } from './sse-events';

/** GET /api/mcp/stream-news — live news as Server-Sent Events of JSON-RPC messages (contract §1). */
export async function streamNews(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const config = settings();
  const parsed = streamQuerySchema(config.streamMaxDurationMs).safeParse(queryObject(url, ['lastEventId']));
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error);
    return jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, message, { fields });
  }

  const lastEventId = request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId');
  const resume = lastEventId ? decodeCursor(lastEventId) : undefined;
  if (lastEventId && (!resume || resume.endsAt - resume.startedAt > config.streamMaxDurationMs)) {
    return jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, 'Last-Event-ID is not an event id issued by this stream', {
      fields: { 'Last-Event-ID': 'must be the id of an event this API sent' },
    });
  }
  // An ended stream answers 204 so EventSource stops reconnecting.
  if (resume && Date.now() >= resume.endsAt) return new Response(null, { status: 204 });

  const started = await openStreamSession({ request, endpoint: 'sse', params: parsed.data, resume: resume ?? undefined });
  if (!started.ok) return refusalResponse(started.refusal);
  const { session } = started;
  const response = sseResponse(frames(session.events, session.streamId), {
    heartbeatMs: config.streamHeartbeatMs,
    onCancel: () => session.controller.abort(),
  });
  for (const [name, value] of Object.entries(session.headers)) response.headers.set(name, value);
  return response;
}

async function* frames(events: AsyncGenerator<StreamEvent>, token: string): AsyncGenerator<string> {
  for await (const event of events) yield formatSseEvent(event, token);
}
