/**
 * MCP load for the load client: N concurrent `stream_market_news` calls to POST /api/mcp through
 * the official SDK clients, half `@modelcontextprotocol/client` (v2, pinned to protocol
 * 2026-07-28) and half `@modelcontextprotocol/sdk` (v1, a 2025-era client on the stateless
 * fallback), each call its own client as 500 separate agents would be. Each call is a probe with the
 * same fields as an SSE StreamProbe (connectedAt = first progress notification, news arrivals, ...)
 * so the load client opens, reports and drops both alike.
 *
 *   spec: {baseUrl, n, params {interval, duration, limit}, symbols, keys: [agent key per call],
 *          clients: {base} (X-Forwarded-For per call, as behind a proxy), connectConcurrency}
 */
import { performance } from 'node:perf_hooks';
import { Arrivals } from './due-events.mjs';
import { summarize } from './stats.mjs';
import { clientAddress } from './stream-requests.mjs';

const epochNow = () => performance.timeOrigin + performance.now();

/** Far beyond any hold: the bench ends calls by dropping them, never by the SDK's request timeout. */
const CALL_TIMEOUT_MS = 3_600_000;

/** The two client generations, loaded only when MCP load is asked for. */
async function sdks() {
  const [v2, v1, v1Transport] = await Promise.all([
    import('@modelcontextprotocol/client'),
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
  ]);
  return {
    v2: async (url, headers) => {
      const client = new v2.Client({ name: 'market-pulse-bench', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new v2.StreamableHTTPClientTransport(url, { requestInit: { headers } }));
      return {
        call: (args, options) => client.callTool({ name: 'stream_market_news', arguments: args }, options),
        close: () => client.close(),
      };
    },
    v1: async (url, headers) => {
      const client = new v1.Client({ name: 'market-pulse-bench', version: '1.0.0' });
      await client.connect(new v1Transport.StreamableHTTPClientTransport(url, { requestInit: { headers } }));
      return {
        call: (args, options) => client.callTool({ name: 'stream_market_news', arguments: args }, undefined, options),
        close: () => client.close(),
      };
    },
  };
}

/** One tool call, seen from the client: when it was made, when each progress notification came. */
class McpCall extends Arrivals {
  constructor(flavour, connect, args) {
    super(args.duration, args.interval); // heartbeats stay 0: the SDKs hide SSE comments
    this.flavour = flavour;
    this.connectClient = connect;
    this.args = args;
    this.controller = new AbortController();
    this.waiters = { connected: undefined, firstNews: undefined };
  }

  async connect() {
    try {
      this.client = await this.connectClient();
    } catch (error) {
      this.error = `connect: ${error?.message ?? error}`;
    }
  }

  /** Resolves on the first progress notification (the `connected` one) or a failure. */
  open() {
    if (!this.client) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.connected = resolve;
      this.requestedAt = epochNow();
      this.client
        .call(this.args, {
          signal: this.controller.signal,
          timeout: CALL_TIMEOUT_MS,
          resetTimeoutOnProgress: true,
          onprogress: (progress) => this.progress(progress),
        })
        .then(
          (result) => {
            if (result?.isError) this.fail(`tool error: ${result.content?.map((c) => c.text).join(' ').slice(0, 120)}`);
          },
          (error) => {
            if (!this.dropped) this.fail(error?.message?.slice(0, 120) ?? String(error));
          },
        );
    });
  }

  progress(progress) {
    const at = epochNow();
    const meta = progress._meta ?? {};
    if (this.connectedAt === 0) {
      this.connectedAt = at;
      // The connected update carries endsAt: the stream's schedule starts at endsAt − duration.
      this.startedAt = meta.endsAt ? Date.parse(meta.endsAt) - this.duration : at;
      this.settle('connected');
      return;
    }
    if (progress.progress >= 1 || meta.status === 'complete') {
      this.finals += 1;
      this.finalAt ||= at;
    } else if (this.firstNewsAt === 0) {
      this.firstNewsAt = at;
      this.settle('firstNews');
    } else {
      this.news.push(at);
    }
  }

  settle(name) {
    const resolve = this.waiters[name];
    this.waiters[name] = undefined;
    resolve?.();
  }

  fail(reason) {
    this.error ??= reason;
    this.settle('connected');
    this.settle('firstNews');
  }

  firstNews(timeoutMs) {
    if (this.firstNewsAt || this.error) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.firstNews = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  drop() {
    this.dropped = true;
    this.controller.abort();
    void this.client?.close().catch(() => {});
  }
}

/**
 * Creates and connects one client per call (at most `connectConcurrency` handshakes at once; not
 * part of the timed open), alternating v2 and v1 so each generation gets half of the calls.
 */
export async function openMcpCalls(spec) {
  const { baseUrl, n, params, symbols, keys, clients, connectConcurrency = 50 } = spec;
  const make = await sdks();
  const url = new URL(`${baseUrl}/api/mcp`);
  const calls = Array.from({ length: n }, (_, i) => {
    const flavour = i % 2 === 0 ? 'v2' : 'v1';
    const headers = { ...(keys ? { 'X-API-Key': keys[i % keys.length] } : {}), ...(clients ? { 'X-Forwarded-For': clientAddress(clients.base + i) } : {}) };
    const args = { symbol: symbols[i % symbols.length], interval: params.interval, duration: params.duration, limit: params.limit };
    return new McpCall(flavour, () => make[flavour](url, headers), args);
  });
  const startedAt = epochNow();
  let next = 0;
  const worker = async () => {
    while (next < calls.length) await calls[next++].connect();
  };
  await Promise.all(Array.from({ length: Math.min(connectConcurrency, n) }, worker));
  const byFlavour = (f) => calls.filter((c) => c.flavour === f).length;
  return {
    calls,
    connect: { ms: Math.round(epochNow() - startedAt), failed: calls.filter((c) => c.error).length, v2: byFlavour('v2'), v1: byFlavour('v1') },
  };
}

/** First progress and first news per client generation, to see whether one of them differs. */
export function byFlavour(calls) {
  const result = {};
  for (const flavour of ['v2', 'v1']) {
    const ok = calls.filter((c) => c.flavour === flavour && c.connectedAt && !c.error);
    result[flavour] = {
      calls: calls.filter((c) => c.flavour === flavour).length,
      connected: ok.length,
      firstProgressMs: summarize(ok.map((c) => c.connectedAt - c.requestedAt)),
      firstNewsMs: summarize(ok.filter((c) => c.firstNewsAt).map((c) => c.firstNewsAt - c.requestedAt)),
    };
  }
  return result;
}
