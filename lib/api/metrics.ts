import { requireApiKey } from '@/lib/guard/operator-key';
import { updateFeedGauge } from '@/lib/observability/feed-observer';
import { metrics } from '@/lib/observability/metrics';
import { newsHub } from '@/lib/stream/hub';

/**
 * GET /api/metrics — Prometheus text exposition of this instance (contract §4); API key required
 * when MCP_API_KEYS is set. On Vercel each instance answers for itself: scrape via a long-lived
 * deployment or rely on logs there (docs/operations.md).
 */
export async function metricsText(request: Request): Promise<Response> {
  const refused = requireApiKey(request);
  if (refused) return refused;
  const m = metrics();
  updateFeedGauge(newsHub().feedHealth());
  const body = await m.registry.metrics();
  return new Response(body, { headers: { 'Content-Type': m.registry.contentType, 'Cache-Control': 'no-store' } });
}

/** HEAD: the key check only; the registry is not collected for a response nobody reads. */
export function metricsHead(request: Request): Response {
  return requireApiKey(request) ?? new Response(null, { headers: { 'Content-Type': metrics().registry.contentType, 'Cache-Control': 'no-store' } });
}
