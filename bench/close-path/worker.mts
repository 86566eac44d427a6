/**
 * One process of the close-path benchmark (bench/close-path/run.mjs): opens N streams of one kind,
 * then closes them all as Next does when their sockets close (the request's signal aborts, then the
 * body's pipe to the response) and reports the time and CPU until the last is gone. Several rounds
 * per process; one JSON line per round on stdout.
 *
 * - `app`: the real handler of GET /api/mcp/stream-news (lib/api/stream-news.ts) with the guard on
 *   (TRUST_PROXY, one client each, default limits) over the demo feeds: session, guard slot, hub
 *   subscription, stream, observer, SSE body.
 * - `minimal`: what the minimal Next route's stream holds (bench/servers/sse-schedule.mjs): a body
 *   with a timer, cancelled.
 *
 * Outside Next on purpose: in a mass drop of the real server our close is one part of each socket's
 * close, among Next's own work and GC, and one drop varies by up to a third from the next. Here the
 * same close runs 10,000 times with nothing else in the process, so a change to it shows.
 */
process.env.NEWS_FEEDS = 'demo';
process.env.TRUST_PROXY = 'true';
process.env.MCP_API_KEYS = 'close-path-bench-operator-key-0123456789';
process.env.LOG_LEVEL = 'warn';

const kind = process.env.CLOSE_PATH_KIND === 'minimal' ? 'minimal' : 'app';
const n = Number(process.env.CLOSE_PATH_N ?? 10_000);
const rounds = Number(process.env.CLOSE_PATH_ROUNDS ?? 3);

const { streamNews } = await import('@/lib/api/stream-news');
const { activeStreamCount } = await import('@/lib/observability/active-streams');

interface Held {
  /** Next's controller of the request's signal (aborted when the socket closes). */
  abort: AbortController;
  /** Next's controller of the body's pipe to the response, aborted by the same close, after the request's. */
  pipe: AbortController;
  /** Kept so the request's signal keeps following `abort`, as it does while Next holds the request. */
  request: Request;
}

const SYMBOLS = ['TSLA', 'AAPL', 'MSFT', 'NVDA'];
const encoder = new TextEncoder();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function requestFor(i: number, abort: AbortController): Request {
  const query = `symbol=${SYMBOLS[i % SYMBOLS.length]}&interval=20000&duration=300000&limit=10`;
  const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return new Request(`http://localhost:3000/api/mcp/stream-news?${query}`, {
    headers: { 'x-forwarded-for': address, 'sec-fetch-site': 'same-origin', host: 'localhost:3000' },
    signal: abort.signal,
  });
}

async function bodyOf(i: number, request: Request): Promise<ReadableStream<Uint8Array>> {
  if (kind === 'app') {
    const response = await streamNews(request);
    if (response.status !== 200) throw new Error(`stream ${i}: status ${response.status} ${await response.text()}`);
    return response.body!;
  }
  let timer: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('data: {}\n\n'));
      timer = setTimeout(() => {}, 300_000);
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}

/**
 * Pipes the body as Next's pipeToNodeResponse does: `pipeTo` a writable, under a signal of its own
 * that the socket's close aborts. The writable stands in for the response and does nothing.
 */
function pipe(body: ReadableStream<Uint8Array>): AbortController {
  const controller = new AbortController();
  const response = new WritableStream<Uint8Array>({ write() {} });
  void body.pipeTo(response, { signal: controller.signal }).catch(() => undefined);
  return controller;
}

async function open(i: number): Promise<Held> {
  const abort = new AbortController();
  const request = requestFor(i, abort);
  return { abort, pipe: pipe(await bodyOf(i, request)), request };
}

const open$ = () => (kind === 'app' ? activeStreamCount() : 0);

for (let round = 0; round < rounds; round++) {
  const held: Held[] = [];
  for (let i = 0; i < n; i++) held.push(await open(round * n + i));
  // Every stream past its first events, then a clean heap, so the close is all that is timed.
  await pause(3000);
  globalThis.gc?.();
  await pause(1000);
  const cpu = process.cpuUsage();
  const started = performance.now();
  // One socket's close, as Next sees it: the request's signal first (its listener is older), then the pipe's.
  for (const stream of held) {
    stream.abort.abort();
    stream.pipe.abort();
  }
  while (open$() > 0) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ kind, round, n, ms: Math.round(ms * 10) / 10, cpuMs: Math.round((used.user + used.system) / 1000), usPerStream: Math.round((ms * 10_000) / n) / 10 }));
}
process.exit(0);
