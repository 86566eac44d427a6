'use client';

import { useCallback, useEffect, useReducer, useRef } from 'react';
import { describeHttpFailure } from './http-failure';
import { parseStreamMessage } from './stream-messages';
import { initialStreamState, streamReducer, type StreamState } from './stream-state';

export interface NewsStream {
  state: StreamState;
  /** Opens a stream at `url` for `symbol`, closing any stream already open. */
  start(symbol: string, url: string): void;
  stop(): void;
}

/**
 * EventSource hides the HTTP status of a refused connection (a 429 just reads as "error"), so after
 * a fatal failure the same URL is requested once with fetch to learn why. With the last event id it
 * is a resume, which a finished stream answers with 204 rather than starting a new one; a 200 means
 * the refusal has passed, and that probe is aborted at once.
 */
async function diagnose(url: string, lastEventId: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const controller = new AbortController();
  const probeUrl = lastEventId ? `${url}&lastEventId=${encodeURIComponent(lastEventId)}` : url;
  const res = await fetch(probeUrl, { headers: { Accept: 'text/event-stream' }, signal: controller.signal, cache: 'no-store' });
  if (res.status === 200) {
    controller.abort();
    return { status: 200, body: undefined, retryAfter: null };
  }
  const body: unknown = await res.json().catch(() => undefined);
  return { status: res.status, body, retryAfter: res.headers.get('Retry-After') };
}

export function useNewsStream(): NewsStream {
  const [state, dispatch] = useReducer(streamReducer, initialStreamState);
  const sourceRef = useRef<EventSource | null>(null);
  // Bumped on every start/stop so late callbacks of an old stream are ignored.
  const generationRef = useRef(0);

  /** Closes the open stream, if any, and retires its callbacks. */
  const close = useCallback(() => {
    generationRef.current += 1;
    sourceRef.current?.close();
    sourceRef.current = null;
  }, []);

  const stop = useCallback(() => {
    close();
    dispatch({ type: 'stop' });
  }, [close]);

  const start = useCallback(
    (symbol: string, url: string) => {
      close();
      const generation = generationRef.current;
      const current = () => generation === generationRef.current;
      const source = new EventSource(url);
      sourceRef.current = source;
      let lastEventId = '';
      dispatch({ type: 'start', symbol });

      source.onopen = () => {
        if (current()) dispatch({ type: 'open' });
      };
      source.onmessage = (event: MessageEvent<string>) => {
        if (!current()) return;
        if (event.lastEventId) lastEventId = event.lastEventId;
        const message = parseStreamMessage(event.data);
        if (!message) return;
        if (message.kind === 'final') {
          // Closed here, not by the server's end of response alone: otherwise EventSource reconnects.
          source.close();
        }
        dispatch({ type: 'message', message, receivedAt: Date.now() });
      };
      source.onerror = () => {
        if (!current()) return;
        if (source.readyState === EventSource.CONNECTING) {
          dispatch({ type: 'drop' });
          return;
        }
        source.close();
        diagnose(url, lastEventId)
          .then(({ status, body, retryAfter }) => {
            if (!current()) return;
            if (status === 204) return dispatch({ type: 'ended-while-away' });
            if (status === 200) return dispatch({ type: 'failed', message: 'The connection to the stream failed. Start it again to retry.' });
            const failure = describeHttpFailure(status, body, retryAfter, Date.now());
            dispatch({ type: 'failed', message: failure.message, retryAfterSeconds: failure.retryAfterSeconds });
          })
          .catch(() => {
            if (current()) {
              dispatch({ type: 'failed', message: 'The server cannot be reached. Check the connection and start the stream again.' });
            }
          });
      };
    },
    [close],
  );

  useEffect(() => close, [close]);

  return { state, start, stop };
}
