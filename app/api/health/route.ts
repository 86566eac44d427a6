import { z } from 'zod';
import { appVersion } from '@/lib/config/env';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { requireApiKey } from '@/lib/observability/api-key';
import { healthDetail } from '@/lib/observability/health-detail';
import { activeStreamCount } from '@/lib/streams/active-streams';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const detailSchema = z.enum(['0', '1', 'true', 'false']).optional();

/**
 * GET /api/health — liveness for load balancers and operators; nothing sensitive (contract §4).
 * `?detail=1` adds per-feed health, streams by endpoint and memory, behind the API key when
 * MCP_API_KEYS is set.
 */
export function GET(request: Request): Response {
  const detail = detailSchema.safeParse(new URL(request.url).searchParams.get('detail') ?? undefined);
  if (!detail.success) {
    return jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, 'detail must be 1 or 0 (or true/false)', {
      fields: { detail: 'must be 1 or 0' },
    });
  }
  const wantsDetail = detail.data === '1' || detail.data === 'true';
  if (wantsDetail) {
    const refused = requireApiKey(request);
    if (refused) return refused;
  }
  const plain = {
    status: 'ok',
    version: appVersion,
    uptimeSeconds: Math.round(process.uptime()),
    activeStreams: activeStreamCount(),
  };
  return Response.json(wantsDetail ? { ...plain, ...healthDetail() } : plain, { headers: { 'Cache-Control': 'no-store' } });
}
