import type { FeedWarning } from '@/lib/contract/article';
import { mergeArticles, type ListedArticle } from './articles';
import { clampProgress } from './time';
import type { StreamMessage } from './stream-messages';

/**
 * What the user is told about the connection. `reconnecting` is the browser's own EventSource
 * retry after a drop (it resends Last-Event-ID, the server resumes without repeats).
 */
export type StreamStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'complete' | 'stopped' | 'error';

export interface StreamState {
  status: StreamStatus;
  symbol: string | null;
  progress: number;
  endsAt: string | null;
  /** Server clock minus client clock, from the connected message. */
  skewMs: number;
  /** Articles received over this stream, newest first, deduplicated. */
  articles: ListedArticle[];
  warnings: FeedWarning[];
  demo: boolean;
  /** How many times the connection dropped and came back during this stream. */
  reconnects: number;
  /** Human-readable reason for `error`, or a note for `complete`. */
  message: string | null;
  retryAfterSeconds: number | null;
}

export type StreamAction =
  | { type: 'start'; symbol: string }
  | { type: 'open' }
  | { type: 'message'; message: StreamMessage; receivedAt: number }
  | { type: 'drop' }
  | { type: 'failed'; message: string; retryAfterSeconds?: number }
  | { type: 'ended-while-away' }
  | { type: 'stop' };

export const initialStreamState: StreamState = {
  status: 'idle',
  symbol: null,
  progress: 0,
  endsAt: null,
  skewMs: 0,
  articles: [],
  warnings: [],
  demo: false,
  reconnects: 0,
  message: null,
  retryAfterSeconds: null,
};

const active = (s: StreamStatus) => s === 'connecting' || s === 'live' || s === 'reconnecting';

export function streamReducer(state: StreamState, action: StreamAction): StreamState {
  switch (action.type) {
    case 'start':
      return { ...initialStreamState, status: 'connecting', symbol: action.symbol };
    case 'open':
      return state.status === 'reconnecting' ? { ...state, status: 'live', reconnects: state.reconnects + 1 } : state;
    case 'drop':
      return active(state.status) ? { ...state, status: 'reconnecting' } : state;
    case 'stop':
      return active(state.status) ? { ...state, status: 'stopped' } : state;
    case 'failed':
      if (!active(state.status)) return state;
      return { ...state, status: 'error', message: action.message, retryAfterSeconds: action.retryAfterSeconds ?? null };
    case 'ended-while-away':
      if (!active(state.status)) return state;
      return { ...state, status: 'complete', progress: 1, message: 'The stream ended while the connection was down.' };
    case 'message':
      return applyMessage(state, action.message, action.receivedAt);
  }
}

function applyMessage(state: StreamState, message: StreamMessage, receivedAt: number): StreamState {
  if (!active(state.status)) return state;
  switch (message.kind) {
    case 'connected': {
      const serverNow = Date.parse(message.timestamp);
      return {
        ...state,
        status: 'live',
        endsAt: message.endsAt,
        skewMs: Number.isNaN(serverNow) ? 0 : serverNow - receivedAt,
        demo: state.demo || message.demo,
      };
    }
    case 'news': {
      const { list } = mergeArticles(state.articles, message.articles, receivedAt);
      return {
        ...state,
        status: 'live',
        // Progress only moves forward, even if a resumed stream replays an older value.
        progress: Math.max(state.progress, clampProgress(message.progress)),
        articles: list,
        warnings: message.warnings,
      };
    }
    case 'final':
      return message.isError
        ? { ...state, status: 'error', message: message.text.replace(/^Error:\s*/, '') || 'The stream failed.' }
        : { ...state, status: 'complete', progress: 1, message: null };
  }
}

export function isStreaming(status: StreamStatus): boolean {
  return active(status);
}
