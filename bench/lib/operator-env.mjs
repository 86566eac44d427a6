/**
 * The app as an operator would run it in production (lib/config/settings.ts, lib/guard), for the
 * scale scenarios, and the operator's own reads of it (health detail, metrics) with the key.
 *
 * - TRUST_PROXY=true: the app sits behind a reverse proxy that appends the client's address to
 *   X-Forwarded-For; each simulated client sends its own address, so every limit is per client.
 * - Default limits: RATE_LIMIT_PER_MINUTE (10 starts a minute) and MAX_STREAMS_PER_CLIENT (5 open)
 *   are left unset, so the guard's per-stream bookkeeping (slot lease, rate window) runs.
 * - MCP_API_KEYS set ("set it before exposing /api/mcp", README): without it the app logs that the
 *   API is open to anyone. The stream endpoint then needs a key or a same-origin browser request;
 *   the simulated dashboard users send Sec-Fetch-Site: same-origin as their EventSource does, and
 *   no key. Agents (scenario 4) each present their own key, so each counts as its own client (one
 *   shared key would be one client, capped at 5 open calls).
 * - NEWS_HOST_MAX_RPS, NEWS_MIN_POLL_MS, STREAM_MAX_DURATION_MS, STREAM_HEARTBEAT_MS,
 *   MAX_ACTIVE_SYMBOLS: defaults (4/s, 5 s, 300 s, 15 s, 2000) unless a scenario says otherwise.
 * - LOG_LEVEL=warn as in the default bench (info writes a line per stream start and end).
 * - One instance keeps its state in memory; scenario 6 shares Redis (REDIS_URL).
 */
import { randomBytes } from 'node:crypto';

/** The operator's own key: health detail and metrics need one once MCP_API_KEYS is set. */
export const OPERATOR_KEY = `bench-operator-${randomBytes(12).toString('hex')}`;

/** One key per agent (printable ASCII, no commas: MCP_API_KEYS syntax). */
export function agentKeys(count) {
  return Array.from({ length: count }, (_, i) => `bench-agent-${i}-${randomBytes(8).toString('hex')}`);
}

export function operatorEnv({ newsFeeds, keys = [], extra = {} }) {
  return {
    NEWS_FEEDS: newsFeeds,
    TRUST_PROXY: 'true',
    MCP_API_KEYS: [OPERATOR_KEY, ...keys].join(','),
    LOG_LEVEL: 'warn',
    BENCH_ELD: '1',
    ...extra,
  };
}

/** What the results file says about the configuration, so a reader knows what was measured. */
export const OPERATOR_NOTES = [
  'TRUST_PROXY=true; every stream or call comes from its own client (its own X-Forwarded-For 10.x.y.z), so every per-client limit applies per stream',
  'default limits: RATE_LIMIT_PER_MINUTE (10) and MAX_STREAMS_PER_CLIENT (5) unset, so the guard counts every stream',
  'MCP_API_KEYS set (an operator key; in scenario 4 also one key per agent); SSE streams send Sec-Fetch-Site: same-origin and no key, as the dashboard\'s EventSource does',
  'NEWS_HOST_MAX_RPS, NEWS_MIN_POLL_MS, STREAM_HEARTBEAT_MS, STREAM_MAX_DURATION_MS, MAX_ACTIVE_SYMBOLS at their defaults (4/s, 5 s, 15 s, 300 s, 2000) unless a variant names another value',
  'LOG_LEVEL=warn (as in the default bench); state in memory (scenario 6: REDIS_URL)',
  'all feeds from the bench\'s feed server on 127.0.0.1 (one host, so one NEWS_HOST_MAX_RPS budget); scenario 5\'s big feed from 127.0.0.2',
];

const withKey = { 'X-API-Key': OPERATOR_KEY };

/** GET /api/health?detail=1 as the operator; null if it does not answer. */
export async function healthDetail(server, timeoutMs = 10_000) {
  try {
    const res = await fetch(`${server.url}/api/health?detail=1`, { headers: withKey, signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/** GET /api/metrics (Prometheus text) as the operator; null if it does not answer. */
export async function metricsText(server, timeoutMs = 10_000) {
  try {
    const res = await fetch(`${server.url}/api/metrics`, { headers: withKey, signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? await res.text() : null;
  } catch {
    return null;
  }
}
