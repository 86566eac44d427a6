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

export interface ConnectedEvent extends EventBase {
  type: 'connected';
  streamId: string;
  symbol: string;
  endsAt: string;
  /** True when this is a continuation of an earlier stream (resume). */
  resumed: boolean;
  demo: boolean;
}

export interface NewsEvent extends EventBase {
  type: 'news';
  symbol: string;
  articles: Article[];
  warnings: FeedWarning[];
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
