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
 *   mcpOpen {baseUrl, n, concurrency, ...}           → the same as open, as MCP tool calls (mcp-load.mjs)
 *   probe {url, everyMs, durationMs, headers}        → latency of a polled URL over time (latency-probe.mjs)
 *   probeWindows {windows}                           → the last probe's latencies inside / outside time windows
 *   exit
 * open and single also take what stream-requests.mjs describes (watchlists, one client per stream,
 * same-origin, headers), so the scale scenarios drive the same client.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Arrivals } from './due-events.mjs';
import { pollLatency, probeWindows } from './latency-probe.mjs';
import { byFlavour, openMcpCalls } from './mcp-load.mjs';
import { summarize } from './stats.mjs';
import { streamRequest } from './stream-requests.mjs';

/** Milliseconds since the epoch with sub-ms resolution, comparable with the server's Date.now(). */
const epochNow = () => performance.timeOrigin + performance.now();

/** One open stream and everything it has received. */
class StreamProbe extends Arrivals {
  constructor({ url, headers }, duration, interval) {
    super(duration, interval);
    this.url = url;
    this.headers = headers;
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
      // Headers from stream-requests.mjs, which asks for compression as EventSource does.
      const req = http.get(this.url, { agent: false, headers: this.headers }, (res) => {
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
    if (!dataLine) {
      if (block.includes(': keep-alive')) this.heartbeats += 1;
      return; // heartbeat or other comment
    }
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
      this.finalAt ||= at;
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
}

let streams = [];

async function openAll(spec) {
  const { n, params } = spec;
  streams = Array.from({ length: n }, (_, i) => new StreamProbe(streamRequest(spec, i), params.duration, params.interval));
  return openStreams(streams, spec.concurrency);
}

/** Opens every probe (SSE stream or MCP call) with at most `concurrency` opens in flight, and summarises. */
async function openStreams(list, concurrency) {
  const n = list.length;
  const startedAt = epochNow();
  let next = 0;
  const worker = async () => {
    while (next < list.length) await list[next++].open();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const openedAt = epochNow();
  const connected = list.filter((s) => s.connectedAt && !s.error);
  // First news may still be on its way for the last streams opened (the app waits for its feeds).
  await Promise.all(connected.map((s) => s.firstNews(10_000)));
  return {
    n,
    connected: connected.length,
    failures: countErrors(list),
    openMs: openedAt - startedAt,
    streamsPerSecond: connected.length / ((openedAt - startedAt) / 1000),
    firstEventMs: summarize(connected.map((s) => s.connectedAt - s.requestedAt)),
    firstNewsMs: summarize(connected.filter((s) => s.firstNewsAt).map((s) => s.firstNewsAt - s.requestedAt)),
    withoutFirstNews: connected.filter((s) => !s.firstNewsAt).length,
  };
}

/** One stream at a time: open, wait for the first news event, drop. */
async function single(spec) {
  const { count, params } = spec;
  const firstEvent = [];
  const firstNews = [];
  let failures = 0;
  for (let i = 0; i < count; i++) {
    const probe = new StreamProbe(streamRequest(spec, i), params.duration, params.interval);
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
  const finalLateness = [];
  let finalsDue = 0;
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
    // The final event is due at the stream's end (startedAt + duration) if that falls in the window.
    const endsAt = stream.startedAt + stream.duration;
    if (stream.startedAt && endsAt >= from && endsAt <= to) {
      finalsDue += 1;
      if (stream.finalAt) finalLateness.push(stream.finalAt - endsAt);
    }
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
    finalEvents: { due: finalsDue, received: finalLateness.length, latenessMs: summarize(finalLateness) },
    heartbeats: { total: streams.reduce((t, s) => t + (s.heartbeats ?? 0), 0), perStream: summarize(streams.map((s) => s.heartbeats ?? 0)) },
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

/** MCP tool calls held like streams: report and drop then work on them unchanged. */
async function mcpOpen(spec) {
  const { calls, connect } = await openMcpCalls(spec);
  streams = calls;
  const opened = await openStreams(calls, spec.concurrency);
  return { ...opened, connect, byFlavour: byFlavour(calls) };
}

const commands = { open: openAll, single, report, drop: dropAll, mcpOpen, probe: pollLatency, probeWindows };

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
