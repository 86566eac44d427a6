import { NextResponse, type NextRequest } from 'next/server';
import { securityProblems, settings, type Problem, type Settings } from '@/lib/config/settings';
import { allowedMethods, isAllowedMethod, methodNotAllowedResponse } from '@/lib/http/allowed-methods';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { reportRefusal } from '@/lib/observability/guard-events';
import { log } from '@/lib/observability/logger';
import type { RefusalReason } from '@/lib/observability/metrics';
import { requestIdOf } from '@/lib/observability/request-id';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { matchKey, presentedKey } from './api-keys';
import { corsHeaders, isSameOrigin, judgeOrigin, preflightHeaders, type OriginVerdict } from './origins';
import { ownHostnames } from './own-hosts';
import { checkBody, checkUrl } from './request-bounds';

/**
 * The API guard, run by middleware.ts for every /api request, in this order:
 * configuration → size bounds → Origin (403) → CORS preflight → API key (401) → pass on.
 * Rate and concurrency limits are applied by the streaming routes through admitStream(), the only
 * place that knows a request really starts a stream and when it ends.
 */
export async function guardRequest(request: NextRequest): Promise<Response> {
  const problems = securityProblems();
  if (problems.length > 0) {
    refused(request, 'config', 500);
    return misconfigured(problems);
  }
  const env = settings();
  warnIfOpen(env);

  const url = request.nextUrl;
  const bounds = checkUrl(url);
  if (!bounds.ok) return jsonRpcErrorResponse(bounds.status, JsonRpcCode.invalidRequest, bounds.message, undefined, { Vary: 'Origin' });

  const origin = judgeOrigin(request.headers, { allowedOrigins: env.allowedOrigins, trustProxy: env.trustProxy, ownHosts: ownHosts() });
  if (origin.kind === 'denied') {
    refused(request, 'origin', 403);
    return jsonRpcErrorResponse(403, JsonRpcCode.forbidden, 'Origin not allowed: this API accepts browser calls from its own origin and ALLOWED_ORIGINS only', undefined, {
      Vary: 'Origin',
    });
  }
  const cors = corsHeaders(origin);

  if (request.method === 'OPTIONS') {
    const methods = allowedMethods(url.pathname);
    if (origin.kind === 'none') return new Response(null, { status: 204, headers: { Allow: methods, Vary: 'Origin' } });
    return new Response(null, { status: 204, headers: { ...preflightHeaders(origin, methods), Vary: 'Origin' } });
  }

  const body = await checkBody(request);
  if (!body.ok) return jsonRpcErrorResponse(body.status, JsonRpcCode.invalidRequest, body.message, undefined, { ...cors, Vary: 'Origin' });

  const auth = authorise(request, env, origin);
  if (auth) {
    refused(request, 'api-key', 401);
    return jsonRpcErrorResponse(401, JsonRpcCode.unauthorized, auth.message, undefined, {
      ...cors,
      Vary: 'Origin',
      'WWW-Authenticate': `Bearer realm="market-pulse"${auth.invalid ? ', error="invalid_token"' : ''}`,
    });
  }

  // Before any route: Next answers a method a route does not export with a bare 400 (PROPFIND,
  // QUERY…), and the contract's 405 names what is served. After the key check, as a route's was.
  if (!isAllowedMethod(url.pathname, request.method)) return withCors(methodNotAllowedResponse(allowedMethods(url.pathname)), cors);

  return withCors(NextResponse.next(env.trustProxy ? undefined : { request: { headers: withoutForwarding(request.headers) } }), cors);
}

/** This origin's CORS headers and `Vary: Origin` on a response made after the origin was judged. */
function withCors<T extends Response>(response: T, cors: Record<string, string>): T {
  for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
  response.headers.append('Vary', 'Origin');
  return response;
}

/**
 * Client-supplied forwarding headers are not evidence of anything without a trusted proxy: drop them
 * so `next start` records the socket address (see client-identity.ts). Only then are request headers
 * overridden: an override makes Next encode every header into the response and decode it again for
 * the route, a per-request cost that a deployment behind a proxy (Vercel) need not pay.
 */
function withoutForwarding(headers: Headers): Headers {
  const forwarded = new Headers(headers);
  forwarded.delete('x-forwarded-for');
  forwarded.delete('x-real-ip');
  return forwarded;
}

/** Which requests need a key (contract §5): always /api/mcp, /api/metrics and health detail; other routes unless same-origin. */
function keyRule(pathname: string, search: URLSearchParams): 'public' | 'key' | 'key-or-same-origin' {
  if (pathname === '/api/health' && !search.has('detail')) return 'public';
  if (pathname === '/api/mcp/stream-news') return 'key-or-same-origin';
  if (pathname === '/api/mcp' || pathname.startsWith('/api/mcp/') || pathname === '/api/metrics' || pathname === '/api/health') return 'key';
  return 'key-or-same-origin';
}

function authorise(request: NextRequest, env: Settings, origin: OriginVerdict): { message: string; invalid: boolean } | null {
  if (env.apiKeys.length === 0) return null;
  const presented = presentedKey(request.headers);
  // A key that is sent must be valid, even where none is needed: a wrong key is a client bug worth reporting.
  if (presented.kind === 'malformed') return { message: 'Malformed API key: send X-API-Key: <key> or Authorization: Bearer <key>', invalid: true };
  if (presented.kind === 'value') {
    return matchKey(presented.value, env.apiKeys) ? null : { message: 'Invalid API key', invalid: true };
  }
  const rule = keyRule(request.nextUrl.pathname, request.nextUrl.searchParams);
  if (rule === 'public' || (rule === 'key-or-same-origin' && isSameOrigin(request.headers, origin))) return null;
  return { message: 'API key required: send X-API-Key: <key> or Authorization: Bearer <key>', invalid: false };
}

/** Logged (one line per refusal) and counted in market_pulse_guard_refusals_total; never with the key. */
function refused(request: NextRequest, reason: RefusalReason, status: number): void {
  const path = request.nextUrl.pathname;
  // A fixed set of labels: a metric label taken from the URL would let clients grow it without bound.
  const route = path.replace(/^\/api\//, '').split('/')[0] ?? '';
  const endpoint = path === '/api/mcp/stream-news' ? 'sse' : ['mcp', 'news', 'health', 'metrics'].includes(route) ? route : 'other';
  reportRefusal({ requestId: requestIdOf(request), endpoint, reason, status });
}

const ownHosts = () => processSingleton('own-hosts', () => ownHostnames());

function warnIfOpen(env: Settings): void {
  if (env.apiKeys.length === 0) {
    log.once('guard.open', 'warn', 'guard.open', {
      message: 'MCP_API_KEYS is not set: the API, including /api/mcp, is open to anyone (rate and concurrency limits still apply)',
    });
  }
}

/** Called at server start (instrumentation.ts) so an open or broken guard is reported before the first request. */
export function reportGuardConfig(): void {
  const problems = securityProblems();
  if (problems.length === 0) warnIfOpen(settings());
  else logMisconfigured(problems);
}

function logMisconfigured(problems: Problem[]): void {
  log.once('guard.config_invalid', 'error', 'guard.config_invalid', {
    problems: problems.map((p) => `${p.variable}: ${p.message}`),
    action: 'refusing API requests until fixed',
  });
}

function misconfigured(problems: Problem[]): Response {
  logMisconfigured(problems);
  return jsonRpcErrorResponse(500, JsonRpcCode.internalError, 'Server misconfigured: the API guard settings are invalid (see server logs)');
}
