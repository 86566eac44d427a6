import { securityProblems, settings } from '@/lib/config/settings';
import { reportRefusal } from '@/lib/observability/guard-events';
import { requestIdOf } from '@/lib/observability/request-id';
import { guardStore, withStore } from '@/lib/state/store';
import { clientOf, type Refusal } from './admit-stream';

const WINDOW_MS = 60_000;

/**
 * SNAPSHOT_RATE_LIMIT_PER_MINUTE snapshots per client (contract §6.5): `/api/news` and
 * get_market_news, counted separately from stream starts. Every new symbol a snapshot names costs
 * upstream fetches, so without a limit one client could make the server crawl the feeds for it.
 */
export async function admitSnapshot(request: Request, endpoint: 'news' | 'mcp'): Promise<{ ok: true; headers: Record<string, string> } | Refusal> {
  const limit = settings().snapshotRatePerMinute;
  if (limit <= 0 || securityProblems().length > 0) return { ok: true, headers: {} };
  const client = clientOf(request);
  const store = guardStore();
  const decision = await withStore(store, 'snapshot-rate-limit', () => store.limit(`snapshot:${client}`, limit, WINDOW_MS));
  if (!decision.ok) return { ok: true, headers: {} };
  const retryAfterSeconds = Math.max(1, Math.ceil((decision.value.reset - Date.now()) / 1000));
  const headers = {
    'RateLimit-Limit': String(decision.value.limit),
    'RateLimit-Remaining': String(decision.value.remaining),
    'RateLimit-Reset': String(retryAfterSeconds),
    'RateLimit-Policy': `${limit};w=60`,
  };
  if (decision.value.success) return { ok: true, headers };
  reportRefusal({ requestId: requestIdOf(request), endpoint, reason: 'rate-limit', status: 429, retryAfterSeconds, limit: `${limit} snapshots per minute` });
  return {
    ok: false,
    status: 429,
    message: `Too many snapshot requests: at most ${limit} per minute per client; retry after ${retryAfterSeconds} s`,
    retryAfterSeconds,
    headers,
  };
}
