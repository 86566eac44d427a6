import { z } from 'zod';
import { appVersion } from '@/lib/config/settings';
import { requireApiKey } from '@/lib/guard/operator-key';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { isDemoMode } from '@/lib/news/feeds';
import { activeStreamCount } from '@/lib/observability/active-streams';
import { newsHub } from '@/lib/stream/hub';

const detailSchema = z.enum(['0', '1', 'true', 'false']).optional();

/** Per-symbol feeds make one entry per symbol watched: list the worst ones, count them all. */
const MAX_FEEDS_LISTED = 200;

/**
 * GET /api/health — liveness for load balancers and operators; nothing sensitive (contract §4).
 * `?detail=1` adds per-feed health, streams by endpoint and memory, behind the API key when
 * MCP_API_KEYS is set.
 */
export function health(request: Request): Response {
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

/** What ?detail=1 adds for operators: feed URLs appear only with credentials redacted, and only behind the key. */
function healthDetail() {
  const feeds = newsHub()
    .feedHealth()
    .sort((a, b) => b.consecutiveFailures - a.consecutiveFailures || a.feed.localeCompare(b.feed));
  const count = (state: string) => feeds.filter((f) => f.state === state).length;
  const memory = process.memoryUsage();
  return {
    streams: { sse: activeStreamCount('sse'), mcp: activeStreamCount('mcp') },
    memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, heapTotalBytes: memory.heapTotal, externalBytes: memory.external },
    demo: isDemoMode(),
    feedSummary: {
      total: feeds.length,
      healthy: count('healthy'),
      failing: count('failing'),
      backedOff: count('backed-off'),
      pending: count('pending'),
    },
    feeds: feeds.slice(0, MAX_FEEDS_LISTED),
    ...(feeds.length > MAX_FEEDS_LISTED ? { feedsOmitted: feeds.length - MAX_FEEDS_LISTED } : {}),
  };
}
