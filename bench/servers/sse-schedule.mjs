/**
 * The event schedule of GET /api/mcp/stream-news (API_CONTRACT.md §1), without feeds or framework,
 * shared by the node:http baseline and the minimal Next.js reference so both emit byte-for-byte
 * comparable streams: connected at once, first news at once with `limit` articles, then one news
 * event every `interval` carrying the two articles a two-feed hub would add per period, final at
 * `duration`.
 */

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

const NEW_ARTICLES_PER_PERIOD = 2;
/** The app's heartbeat comment (lib/http/sse-response.ts). */
const HEARTBEAT = ': keep-alive\n\n';
/**
 * Opt-in (BENCH_HEARTBEAT_MS): the app's heartbeat, a comment after each silence that long, so a
 * reported variant can compare like with like; the judged comparisons keep the route without it.
 */
const HEARTBEAT_MS = Number(process.env.BENCH_HEARTBEAT_MS ?? 0);

/** The contract's bounds (duration up to the bench's own maximum); out-of-range values just clamp. */
export function parseParams(searchParams) {
  const num = (name, fallback, min, max) => {
    const value = Number(searchParams.get(name) ?? fallback);
    return Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
  };
  return {
    symbol: (searchParams.get('symbol') ?? 'TSLA').trim().toUpperCase(),
    interval: num('interval', 10_000, 1_000, 300_000),
    // The bench raises the app's STREAM_MAX_DURATION_MS to match; streams end by disconnect.
    duration: num('duration', 60_000, 1_000, 3_600_000),
    limit: num('limit', 10, 1, 50),
  };
}

let streamSeq = 0;
let articleSeq = 0;

function article(symbol) {
  articleSeq += 1;
  const now = new Date().toISOString();
  return {
    id: `https://feeds.example/${symbol}/${articleSeq}`,
    title: `${symbol} article ${articleSeq}: a headline of typical length for a market news item`,
    url: `https://feeds.example/${symbol}/${articleSeq}`,
    source: 'Bench Feed',
    publishedAt: now,
    scope: 'symbol',
    summary: 'A summary of typical length. '.repeat(8).trim(),
  };
}

function frame(id, payload, retry) {
  return `${retry ? `retry: ${retry}\n` : ''}id: ${id}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/**
 * Runs one stream: `write(text)` sends a chunk, `end()` closes the response.
 * Returns `stop()`, which cancels every timer (call it when the client goes away).
 */
export function runSchedule(params, write, end) {
  streamSeq += 1;
  const token = `bench-${process.pid}-${streamSeq}`;
  const startedAt = Date.now();
  const endsAt = new Date(startedAt + params.duration).toISOString();
  let eventNo = 0;
  const progress = (payload) =>
    frame(`${token}.${eventNo++}`, {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: token, progress: payload.progress, total: 1, message: JSON.stringify(payload.message) },
    }, payload.retry);

  write(progress({ progress: 0, retry: 3000, message: { status: 'connected', timestamp: new Date().toISOString(), symbol: params.symbol, endsAt } }));

  let timer;
  let k = 0;
  const heartbeat = HEARTBEAT_MS > 0 ? setInterval(() => write(HEARTBEAT), HEARTBEAT_MS) : undefined;
  const send = (text) => {
    write(text);
    heartbeat?.refresh();
  };
  const tick = () => {
    const elapsed = Date.now() - startedAt;
    if (elapsed >= params.duration) {
      clearInterval(heartbeat);
      write(frame(`${token}.${eventNo++}`, { jsonrpc: '2.0', result: { content: [{ type: 'text', text: 'Stream complete' }], isError: false }, id: token }));
      end();
      return;
    }
    const count = k === 0 ? params.limit : NEW_ARTICLES_PER_PERIOD;
    const articles = Array.from({ length: count }, () => article(params.symbol));
    send(progress({
      // Strictly inside (0, 1) as the contract requires, even for the event sent at elapsed 0.
      progress: Math.max(elapsed, 1) / params.duration,
      message: { timestamp: new Date().toISOString(), symbol: params.symbol, news: { count, articles } },
    }));
    k += 1;
    // Scheduled from the start time, not from the last tick, so lateness never accumulates.
    const next = Math.min(startedAt + k * params.interval, startedAt + params.duration);
    timer = setTimeout(tick, Math.max(0, next - Date.now()));
  };
  timer = setTimeout(tick, 0);
  return () => {
    clearTimeout(timer);
    clearInterval(heartbeat);
  };
}
