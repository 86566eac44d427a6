/**
 * The load generator: a separate process (started by run.mjs with an IPC channel) that opens SSE
 * streams over loopback with keep-alive off (one socket per stream), with at most `concurrency`
 * opens in flight, holds them, reports what each stream received, and drops them all at once on
 * command. It timestamps arrivals itself; the server is only observed from outside.
 *
 * Commands (process.send from the parent), each answered with {id, ok, result|error}:
 *   open {baseUrl, n, concurrency, params, symbols}  → open summary once every stream is connected
 *   single {baseUrl, count, params, symbols}         → latency of one stream at a time
 *   report {from, to}                                → lateness and completeness of scheduled news
 *   drop                                             → destroys every socket, returns when done
 *   exit
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { summarize } from './stats.mjs';

/** Milliseconds since the epoch with sub-ms resolution, comparable with the server's Date.now(). */
const epochNow = () => performance.timeOrigin + performance.now();

/** One open stream and everything it has received. */
class StreamProbe {
  constructor(url, duration, interval) {
    this.url = url;
    this.duration = duration;
    this.interval = interval;
    this.requestedAt = 0;
    this.connectedAt = 0;
    this.firstNewsAt = 0;
    /** The server's start of this stream (endsAt − duration): the origin of its news schedule. */
    this.startedAt = 0;
    /** Arrival times (epoch ms) of news events after the first. */
    this.news = [];
    this.finals = 0;
    this.error = undefined;
    this.req = undefined;
    this.buffer = '';
    this.onFirstNews = undefined;
  }

  /** Resolves when the first news event arrives, the stream fails, or `timeoutMs` passes. */
  firstNews(timeoutMs) {
    if (this.firstNewsAt || this.error) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.onFirstNews = () => {
        clearTimeout(timer);
        this.onFirstNews = undefined;
        resolve();
      };
    });
  }

  /** Resolves once the connected event arrives (or the stream fails). */
  open() {
    return new Promise((resolve) => {
      this.requestedAt = epochNow();
      const settle = () => {
        resolve();
        this.onConnected = undefined;
      };
      this.onConnected = settle;
      // Ask for compression as browsers' EventSource does: a server that then gzips the stream
      // (buffering it, tripling its memory) shows up here as failed streams, not as good figures.
      const headers = { accept: 'text/event-stream', 'accept-encoding': 'gzip, deflate, br' };
      const req = http.get(this.url, { agent: false, headers }, (res) => {
        if (res.statusCode !== 200) {
          this.fail(`status ${res.statusCode}`);
          res.resume();
          return;
        }
        if (res.headers['content-encoding']) {
          this.fail(`compressed (${res.headers['content-encoding']})`);
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk) => this.receive(chunk));
        res.on('end', () => {
          if (!this.dropped && this.finals === 0) this.fail('ended before the final event');
        });
        res.on('error', () => {});
      });
      req.on('error', (error) => {
        if (!this.dropped) this.fail(error.code ?? error.message);
      });
      this.req = req;
    });
  }

  fail(reason) {
    this.error ??= reason;
    this.onConnected?.();
    this.onFirstNews?.();
  }

  receive(chunk) {
    const at = epochNow();
    this.buffer += chunk;
    let end;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.event(block, at);
    }
  }

  event(block, at) {
    const dataLine = block.split('\n').find((line) => line.startsWith('data:'));
    if (!dataLine) return; // heartbeat comment
    // Classify without parsing every event: only `connected` carries a field we need (endsAt).
    if (this.connectedAt === 0) {
      this.connectedAt = at;
      try {
        const message = JSON.parse(JSON.parse(dataLine.slice(5)).params.message);
        this.startedAt = Date.parse(message.endsAt) - this.duration;
      } catch {
        this.fail('first event is not a parseable connected event');
      }
      this.onConnected?.();
      return;
    }
    if (dataLine.includes('"result"')) {
      this.finals += 1;
    } else if (this.firstNewsAt === 0) {
      this.firstNewsAt = at;
      this.onFirstNews?.();
    } else {
      this.news.push(at);
    }
  }

  drop() {
    this.dropped = true;
    this.req?.destroy();
  }

  /**
   * The news events this stream was due in [from, to]: ticks startedAt + k·interval after the first
   * news event (which answers "as soon as the first fetch completes"). Each later arrival belongs to
   * its nearest tick; a tick with no arrival is missing, a second arrival at one tick is an extra
   * event (the schedule promises one per interval). An event more than half an interval late lands
   * on the next tick and shows as missing, which at that lateness it effectively is.
   */
  scheduled(from, to) {
    const none = { due: 0, lateness: [], missing: 0, extra: 0 };
    if (!this.startedAt || !this.firstNewsAt) return none;
    const k0 = Math.floor((this.firstNewsAt - this.startedAt) / this.interval) + 1;
    const byTick = new Map();
    for (const arrived of this.news) {
      const k = Math.max(k0, Math.round((arrived - this.startedAt) / this.interval));
      const list = byTick.get(k);
      if (list) list.push(arrived);
      else byTick.set(k, [arrived]);
    }
    const result = { ...none, lateness: [] };
    for (let k = k0; ; k++) {
      const tick = this.startedAt + k * this.interval;
      if (tick > to || tick >= this.startedAt + this.duration) break;
      if (tick < from) continue;
      result.due += 1;
      const arrivals = byTick.get(k);
      if (!arrivals) result.missing += 1;
      else {
        result.lateness.push(arrivals[0] - tick);
        result.extra += arrivals.length - 1;
      }
    }
    return result;
  }
}

function streamUrl(baseUrl, params, symbol) {
  const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), symbol });
  return `${baseUrl}/api/mcp/stream-news?${query}`;
}

let streams = [];

async function openAll({ baseUrl, n, concurrency, params, symbols }) {
  streams = Array.from({ length: n }, (_, i) => new StreamProbe(streamUrl(baseUrl, params, symbols[i % symbols.length]), params.duration, params.interval));
  const startedAt = epochNow();
  let next = 0;
  const worker = async () => {
    while (next < streams.length) await streams[next++].open();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const openedAt = epochNow();
  const connected = streams.filter((s) => s.connectedAt && !s.error);
  // First news may still be on its way for the last streams opened (the app waits for its feeds).
  await Promise.all(connected.map((s) => s.firstNews(10_000)));
  return {
    n,
    connected: connected.length,
    failures: countErrors(streams),
    openMs: openedAt - startedAt,
    streamsPerSecond: connected.length / ((openedAt - startedAt) / 1000),
    firstEventMs: summarize(connected.map((s) => s.connectedAt - s.requestedAt)),
    firstNewsMs: summarize(connected.filter((s) => s.firstNewsAt).map((s) => s.firstNewsAt - s.requestedAt)),
    withoutFirstNews: connected.filter((s) => !s.firstNewsAt).length,
  };
}

/** One stream at a time: open, wait for the first news event, drop. */
async function single({ baseUrl, count, params, symbols }) {
  const firstEvent = [];
  const firstNews = [];
  let failures = 0;
  for (let i = 0; i < count; i++) {
    const probe = new StreamProbe(streamUrl(baseUrl, params, symbols[i % symbols.length]), params.duration, params.interval);
    await probe.open();
    await probe.firstNews(10_000);
    probe.drop();
    if (probe.error || !probe.firstNewsAt) failures += 1;
    else {
      firstEvent.push(probe.connectedAt - probe.requestedAt);
      firstNews.push(probe.firstNewsAt - probe.requestedAt);
    }
  }
  return { count, failures, firstEventMs: summarize(firstEvent), firstNewsMs: summarize(firstNews) };
}

function report({ from, to }) {
  const lateness = [];
  let due = 0;
  let missing = 0;
  let streamsMissing = 0;
  let extra = 0;
  let streamsWithExtra = 0;
  for (const stream of streams) {
    const s = stream.scheduled(from, to);
    due += s.due;
    missing += s.missing;
    extra += s.extra;
    if (s.extra > 0) streamsWithExtra += 1;
    if (s.missing > 0) streamsMissing += 1;
    for (const value of s.lateness) lateness.push(value);
  }
  return {
    streams: streams.length,
    failures: countErrors(streams),
    eventsDue: due,
    eventsMissing: missing,
    streamsMissingEvents: streamsMissing,
    extraEvents: extra,
    streamsWithExtraEvents: streamsWithExtra,
    streamsWithNoLaterNews: streams.filter((s) => s.news.length === 0).length,
    latenessMs: summarize(lateness),
  };
}

function dropAll() {
  const startedAt = Date.now();
  for (const stream of streams) stream.drop();
  const doneAt = Date.now();
  const count = streams.length;
  streams = [];
  return { count, startedAt, doneAt };
}

function countErrors(list) {
  const byReason = {};
  for (const s of list) if (s.error) byReason[s.error] = (byReason[s.error] ?? 0) + 1;
  return byReason;
}

const commands = { open: openAll, single, report, drop: dropAll };

process.on('message', async (message) => {
  if (message.cmd === 'exit') {
    dropAll();
    process.exit(0);
  }
  try {
    const result = await commands[message.cmd](message.args ?? {});
    process.send({ id: message.id, ok: true, result });
  } catch (error) {
    process.send({ id: message.id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
