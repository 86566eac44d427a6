/**
 * Browser origins. The app's own origin is the one the request was addressed to (Host, or the
 * proxy's X-Forwarded-Host when TRUST_PROXY), provided that host is one of the app's own names
 * (own-hosts.ts): a client can write Host and Origin alike, so their agreement alone proves
 * nothing. ALLOWED_ORIGINS adds others. Any other Origin, including the opaque "null", is refused
 * with 403 and gets no CORS grant.
 */

export interface OriginRules {
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  /** Host names that are the app itself (ownHostnames()). */
  ownHosts: readonly string[];
}

export type OriginVerdict =
  | { kind: 'none' }
  | { kind: 'self'; origin: string }
  | { kind: 'allowed'; origin: string }
  | { kind: 'denied' };

const MAX_ORIGIN = 512;

export function requestHost(headers: Headers, trustProxy: boolean): string | null {
  const forwarded = trustProxy ? headers.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  const host = forwarded || headers.get('host');
  return host ? host.toLowerCase() : null;
}

export function judgeOrigin(headers: Headers, rules: OriginRules): OriginVerdict {
  const { allowedOrigins, trustProxy, ownHosts } = rules;
  const raw = headers.get('origin');
  if (raw === null) return { kind: 'none' };
  if (raw.length > MAX_ORIGIN) return { kind: 'denied' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { kind: 'denied' };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== raw) return { kind: 'denied' };
  if (url.host === requestHost(headers, trustProxy) && ownHosts.includes(url.hostname)) return { kind: 'self', origin: url.origin };
  if (allowedOrigins.includes(url.origin)) return { kind: 'allowed', origin: url.origin };
  return { kind: 'denied' };
}

/**
 * A request the dashboard itself made: the browser says so in Sec-Fetch-Site (a header scripts
 * cannot set) and any Origin it sent is this app's. Non-browser clients can claim this too; that
 * only gets them what the public dashboard gets, still under their IP's limits (docs/security.md).
 */
export function isSameOrigin(headers: Headers, verdict: OriginVerdict): boolean {
  return headers.get('sec-fetch-site') === 'same-origin' && (verdict.kind === 'none' || verdict.kind === 'self');
}

export const CORS_ALLOWED_HEADERS = [
  'Content-Type',
  'Accept',
  'X-API-Key',
  'Authorization',
  'Mcp-Protocol-Version',
  'Mcp-Session-Id',
  'Last-Event-ID',
].join(', ');

export const CORS_EXPOSED_HEADERS = [
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'WWW-Authenticate',
  'Mcp-Session-Id',
  'Mcp-Protocol-Version',
].join(', ');

/** Headers granting a cross-origin caller access to the response (never with credentials: keys travel in headers). */
export function corsHeaders(verdict: OriginVerdict): Record<string, string> {
  if (verdict.kind !== 'allowed' && verdict.kind !== 'self') return {};
  return { 'Access-Control-Allow-Origin': verdict.origin, 'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS };
}

/** A preflight's grant: `methods` is what the route serves (lib/http/allowed-methods.ts). */
export function preflightHeaders(verdict: OriginVerdict, methods: string): Record<string, string> {
  return {
    ...corsHeaders(verdict),
    'Access-Control-Allow-Methods': methods,
    'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  };
}
