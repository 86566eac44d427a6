import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { settings } from '@/lib/config/settings';
import { MAX_BODY_BYTES } from '@/lib/guard/request-bounds';
import { MCP_METHODS, methodNotAllowedResponse } from '@/lib/http/allowed-methods';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { log } from '@/lib/observability/logger';
import { countRefusal } from '@/lib/observability/metrics';
import { requestIdOf } from '@/lib/observability/request-id';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { rebindingRejection } from './allowed-hosts';
import { createNewsServer } from './create-server';
import { isRefusedInput } from './sdk-errors';

/** One handler per process (route bundles may load this module more than once). */
function handler(): McpHttpHandler {
  return processSingleton('mcp-handler', () => createMcpHandler(({ requestInfo }) => createNewsServer({ requestInfo }), {
    // 2025-06-18 / 2025-11-25 clients are served statelessly by a fresh instance per request.
    legacy: 'stateless',
    // Always stream: progress must reach the client while the call runs, and the stream's
    // keep-alive comments hold idle connections open through proxies.
    responseMode: 'sse',
    keepAliveMs: settings().streamHeartbeatMs,
    // The guard's bound too, so both layers refuse at the same size.
    maxRequestBodySize: MAX_BODY_BYTES,
    onerror: (error) => (isRefusedInput(error) ? log.debug('mcp.refused', { error: error.message }) : log.warn('mcp.error', { error: error.message })),
  }));
}

/** Serves /api/mcp: method and DNS-rebinding checks, then the SDK; never an HTML error or a stack trace. */
export async function handleMcpRequest(request: Request): Promise<Response> {
  // Stateless: the SDK answers every method but POST with a 405 of its own (GET and DELETE are the
  // 2025 session operations), under another code and Allow. Refused here, as every other 405 is.
  if (request.method !== 'POST') return methodNotAllowed();
  const rejected = rebindingRejection(request);
  if (rejected) {
    countRefusal('mcp', rejected.reason);
    log.info('guard.refused', { requestId: requestIdOf(request), path: '/api/mcp', reason: rejected.reason, detail: `unexpected ${rejected.reason}` });
    return withStreamingHeaders(rejected.response);
  }
  try {
    return withStreamingHeaders(await handler().fetch(request));
  } catch (error) {
    log.error('mcp.failed', { requestId: requestIdOf(request), error: error instanceof Error ? error.message : String(error) });
    return jsonRpcErrorResponse(500, JsonRpcCode.internalError, 'Internal error');
  }
}

export function methodNotAllowed(): Response {
  return methodNotAllowedResponse(MCP_METHODS);
}

const OPENING_COMMENT = new TextEncoder().encode(': stream open\n\n');

/**
 * `next start` gzips responses unless told not to, which buffers an SSE stream until it ends;
 * `no-transform` and `X-Accel-Buffering: no` keep every progress notification flowing at once.
 * Next.js also holds the response headers until the first body chunk: an SSE comment (ignored by
 * every client) goes first so a call that sends no progress still gets its headers at once rather
 * than after the first keep-alive.
 */
function withStreamingHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  let body: ReadableStream<Uint8Array> | null = response.body;
  if (headers.get('content-type')?.startsWith('text/event-stream')) {
    headers.set('Cache-Control', 'no-cache, no-transform');
    headers.set('X-Accel-Buffering', 'no');
    // A client that goes away cancels the piped source too, so the SDK sees the disconnect.
    body = body?.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ start: (c) => c.enqueue(OPENING_COMMENT) })) ?? null;
  } else if (!headers.has('cache-control')) {
    headers.set('Cache-Control', 'no-store');
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
