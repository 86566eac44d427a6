import { settings } from '@/lib/config/settings';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { reportRefusal } from '@/lib/observability/guard-events';
import { requestIdOf } from '@/lib/observability/request-id';
import { matchKey, presentedKey } from './api-keys';

/**
 * For operator endpoints (/api/health?detail=1, /api/metrics): when MCP_API_KEYS is set, a valid
 * key is required, whatever the origin. The middleware already demands it; the routes check again
 * so a request that reached them some other way (a middleware bypass) still meets the rule.
 * Returns the 401 to send, or undefined to proceed.
 */
export function requireApiKey(request: Request, keys: readonly string[] = settings().apiKeys): Response | undefined {
  if (keys.length === 0) return undefined;
  const presented = presentedKey(request.headers);
  if (presented.kind === 'value' && matchKey(presented.value, keys)) return undefined;
  const missing = presented.kind === 'none';
  reportRefusal({ requestId: requestIdOf(request), endpoint: 'ops', reason: 'api-key', status: 401 });
  return jsonRpcErrorResponse(
    401,
    JsonRpcCode.unauthorized,
    missing ? 'API key required: send it as X-API-Key or Authorization: Bearer' : 'API key not accepted: check X-API-Key / Authorization: Bearer',
    undefined,
    { 'WWW-Authenticate': 'Bearer' },
  );
}
