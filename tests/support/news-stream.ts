import type { StreamParams } from '@/lib/contract/query';
import { pulled } from '@/lib/runtime/pulled';
import { createCursorCodec, scopeOf, type StreamCursor } from '@/lib/stream/cursor';
import type { StreamEvent } from '@/lib/stream/events';
import { readCursor, TEST_CURSOR_SECRET } from './cursors';

/** A single-symbol request as the query parser gives it. */
export type OneSymbol = Omit<StreamParams, 'symbols' | 'watchlist'> & { symbol: string };

/**
 * The stream layer driven directly, the way the session and the snapshot route drive it. The
 * modules are passed in because tests import them after setting the environment they read.
 */
export function streamDriver(tool: typeof import('@/lib/stream/news-stream'), snapshot: typeof import('@/lib/stream/snapshot')) {
  const codec = createCursorCodec(TEST_CURSOR_SECRET);
  return {
    /**
     * A stream planned (new, or resumed from a cursor), signed, then iterated as the MCP tool does:
     * it stops when `signal` aborts or when the iteration is left early (the client went away).
     */
    stream(request: OneSymbol, options: { signal: AbortSignal; resume?: StreamCursor; since?: string }) {
      const { symbol, ...rest } = request;
      const params: StreamParams = { ...rest, symbols: [symbol], watchlist: false };
      const { since, signal } = options;
      const after = since === undefined ? undefined : since.startsWith('v3.') ? { cursor: readCursor(since) } : { time: Date.parse(since) };
      const plan = tool.planStream(params.duration, options.resume);
      return pulled<StreamEvent>((push, end) => {
        const stream = tool.marketNewsStream(params, plan, { codec, scope: scopeOf(params.symbols), after }, { event: push, end });
        if (signal.aborted) stream.stop();
        else signal.addEventListener('abort', () => stream.stop(), { once: true });
        stream.start();
        return () => stream.stop();
      });
    },
    /** A snapshot as /api/news serves it (no request: no limits). */
    async latest(symbol: string, limit: number) {
      const outcome = await snapshot.marketNewsFor(undefined, 'news', { symbols: [symbol], watchlist: false, limit }, undefined, new AbortController().signal);
      if (!outcome.ok) throw new Error(outcome.refusal.message);
      return outcome.news;
    },
  };
}
