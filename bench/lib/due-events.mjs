/**
 * Which scheduled news events one stream (an SSE stream or an MCP call: anything with startedAt,
 * firstNewsAt, news[], interval and duration, all epoch ms) was due in [from, to], and how late each
 * arrived. Shared by both kinds of probe so SSE and MCP are judged alike.
 *
 * The ticks are startedAt + k·interval after the first news event (which answers "as soon as the
 * first fetch completes"). Each later arrival belongs to its nearest tick; a tick with no arrival
 * is missing, a second arrival at one tick is an extra event (the schedule promises one per
 * interval). An event more than half an interval late lands on the next tick and shows as missing,
 * which at that lateness it effectively is.
 */
export function dueEvents(stream, from, to) {
  const none = { due: 0, lateness: [], missing: 0, extra: 0 };
  if (!stream.startedAt || !stream.firstNewsAt) return none;
  const { startedAt, interval, duration } = stream;
  const k0 = Math.floor((stream.firstNewsAt - startedAt) / interval) + 1;
  const byTick = new Map();
  for (const arrived of stream.news) {
    const k = Math.max(k0, Math.round((arrived - startedAt) / interval));
    const list = byTick.get(k);
    if (list) list.push(arrived);
    else byTick.set(k, [arrived]);
  }
  const result = { ...none, lateness: [] };
  for (let k = k0; ; k++) {
    const tick = startedAt + k * interval;
    if (tick > to || tick >= startedAt + duration) break;
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

/**
 * What every probe (an SSE stream, an MCP call) records as it receives, all times epoch ms; the
 * load client opens, reports and drops both kinds alike through these fields.
 */
export class Arrivals {
  constructor(duration, interval) {
    this.duration = duration;
    this.interval = interval;
    this.requestedAt = 0;
    this.connectedAt = 0;
    this.firstNewsAt = 0;
    /** The server's start of this stream (endsAt − duration): the origin of its news schedule. */
    this.startedAt = 0;
    /** Arrival times of news events after the first. */
    this.news = [];
    this.finals = 0;
    this.finalAt = 0;
    /** `: keep-alive` comments received (the app's heartbeat after STREAM_HEARTBEAT_MS of silence). */
    this.heartbeats = 0;
    this.error = undefined;
  }

  /** The news events this stream was due in [from, to] and how late they came. */
  scheduled(from, to) {
    return dueEvents(this, from, to);
  }
}
