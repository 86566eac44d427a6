import { createHash, timingSafeEqual } from 'node:crypto';
import { env } from '@/lib/config/env';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { log } from './logger';
import { countRefusal } from './metrics';
import { requestIdOf } from './request-id';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The key a request carries: `X-API-Key: k` or `Authorization: Bearer k` (contract §5). */
export function presentedKey(request: Request): string | undefined {
  const header = request.headers.get('x-api-key')?.trim();
  if (header) return header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return match?.[1];
}

/**
 * Whether `candidate` is one of `keys`. Hashing first gives equal-length buffers for
 * timingSafeEqual, and every key is compared so timing does not reveal which one matched.
 */
export function isValidKey(candidate: string, keys: readonly string[]): boolean {
  const presented = digest(candidate);
  let ok = false;
  for (const key of keys) ok = timingSafeEqual(presented, digest(key)) || ok;
  return ok;
}

/**
 * For operator endpoints (/api/health?detail=1, /api/metrics): when MCP_API_KEYS is set, a valid
 * key is required, whatever the origin. Returns the 401 to send, or undefined to proceed.
 */
export function requireApiKey(request: Request, keys: readonly string[] = env().MCP_API_KEYS): Response | undefined {
  if (keys.length === 0) return undefined;
  const candidate = presentedKey(request);
  if (candidate !== undefined && isValidKey(candidate, keys)) return undefined;
  const reason = candidate === undefined ? 'missing' : 'invalid';
  countRefusal('ops', 'api-key');
  log.info('guard.refused', { requestId: requestIdOf(request), path: new URL(request.url).pathname, reason: 'api-key', detail: `${reason} API key` });
  return jsonRpcErrorResponse(
    401,
    JsonRpcCode.unauthorized,
    candidate === undefined
      ? 'API key required: send it as X-API-Key or Authorization: Bearer'
      : 'API key not accepted: check X-API-Key / Authorization: Bearer',
    undefined,
    { 'WWW-Authenticate': 'Bearer' },
  );
}
