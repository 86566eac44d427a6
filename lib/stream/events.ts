import type { Article, FeedWarning } from '@/lib/contract/article';

/**
 * The news stream as typed events, independent of any wire format.
 * Route handlers (SSE at /api/mcp/stream-news, MCP progress at /api/mcp) only serialise these.
 */
export type StreamEvent = ConnectedEvent | NewsEvent | CompleteEvent | ErrorEvent;

interface EventBase {
  /** Opaque resume cursor: pass back as Last-Event-ID / `since` to continue without repeats. */
  cursor: string;
  /** ISO time the event was produced. */
  timestamp: string;
  /** 0 for connected, strictly increasing in (0, 1) for news, 1 for complete/error. */
  progress: number;
}

/** The symbols a stream watches, and whether they were asked for as a watchlist (`symbols=`). */
interface Watched {
  symbols: string[];
  watchlist: boolean;
}

export interface ConnectedEvent extends EventBase, Watched {
  type: 'connected';
  streamId: string;
  endsAt: string;
  /** True when this is a continuation of an earlier stream (resume). */
  resumed: boolean;
  demo: boolean;
}

export interface NewsEvent extends EventBase, Watched {
  type: 'news';
  articles: Article[];
  warnings: FeedWarning[];
  /** A `since` catch-up that left older missed articles out (contract §6.2). */
  truncated?: boolean;
}

export interface CompleteEvent extends EventBase {
  type: 'complete';
  /** Every article delivered over the stream's whole life on this connection. */
  delivered: number;
}

export interface ErrorEvent extends EventBase {
  type: 'error';
  message: string;
}
