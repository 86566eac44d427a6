/**
 * The event-loop stall of a server as its clients feel it: one small request every `everyMs`
 * (one at a time over one kept-alive socket, so connection set-up is not measured), each
 * request's latency recorded. A request that arrives while the server's event loop is blocked waits
 * for the block to end, so the latency tail is the stall. The probe's own event-loop delay is
 * reported beside it: a stall of the observer is not a stall of the server.
 */
import http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { summarize } from './stats.mjs';

const epochNow = () => performance.timeOrigin + performance.now();
/** Slow samples are kept with their times, to line them up with the big feed's fetches. */
const SLOW_MS = 20;

function get(url, agent, headers) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** The last poll's samples (send time, latency), kept for probeWindows. */
let lastSamples = [];

export async function pollLatency({ url, everyMs = 10, durationMs, headers = {} }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ownDelay = monitorEventLoopDelay({ resolution: 5 });
  ownDelay.enable();
  const latencies = [];
  const slow = [];
  lastSamples = [];
  let failures = 0;
  const startedAt = epochNow();
  while (epochNow() - startedAt < durationMs) {
    const sentAt = epochNow();
    const ok = await get(url, agent, headers);
    const latency = epochNow() - sentAt;
    if (!ok) failures += 1;
    else {
      latencies.push(latency);
      lastSamples.push([sentAt, latency]);
      if (latency >= SLOW_MS) slow.push([Math.round(sentAt), Math.round(latency * 10) / 10]);
    }
    const wait = everyMs - (epochNow() - sentAt);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  ownDelay.disable();
  agent.destroy();
  // The histogram's values include its 5 ms sampling interval; what exceeds it is the delay.
  const own = (ns) => Math.max(0, Math.round((ns / 1e6 - 5) * 100) / 100);
  return {
    startedAt,
    endedAt: epochNow(),
    requests: latencies.length + failures,
    failures,
    latencyMs: summarize(latencies),
    slow,
    probeEventLoopDelayMs: { p99: own(ownDelay.percentile(99)), max: own(ownDelay.max) },
  };
}

/**
 * The last poll's latencies split by time: requests sent inside any of `windows` ([from, to] epoch
 * ms, e.g. while a big feed is being fetched and parsed) and the rest.
 */
export function probeWindows({ windows }) {
  const inside = [];
  const outside = [];
  for (const [sentAt, latency] of lastSamples) {
    (windows.some(([from, to]) => sentAt >= from && sentAt <= to) ? inside : outside).push(latency);
  }
  return { windows: windows.length, insideMs: summarize(inside), outsideMs: summarize(outside) };
}
