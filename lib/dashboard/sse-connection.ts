import { createParser } from 'eventsource-parser';

/*
 * Why fetch + eventsource-parser rather than EventSource: EventSource hides the HTTP status and body
 * of a refusal (a 429 or a 400 "since-too-old" both read as a bare "error", and a second request
 * was needed to learn why), cannot send Last-Event-ID on a connection it did not open itself,
 * reconnects on its own schedule (which would fight the page's own chaining and catch-up), and
 * does not surface `: keep-alive` comments, which the dead-socket deadline needs. With fetch the
 * page sees every status and error body directly, decides every reconnect itself, notices every
 * byte, and an AbortController ends a connection at once.
 */

export interface SseRefusal {
  status: number;
  /** The parsed JSON error body, when there was one. */
  body: unknown;
  retryAfter: string | null;
}

export interface SseHandlers {
  /** The server accepted: 200 with an event stream. */
  onOpen(): void;
  onEvent(event: { id?: string; data: string }): void;
  onComment(text: string): void;
  /** Any bytes at all, heartbeats included: the connection is alive. */
  onBytes(): void;
  /** A non-200 answer (204 for a resume of an ended stream, 4xx, 5xx). */
  onRefused(refusal: SseRefusal): void;
  /** The server ended the response normally. */
  onClosed(): void;
  /** The network failed before or during the response. */
  onNetworkError(): void;
}

export interface SseConnection {
  /** Ends the request; no handler is called after this. */
  abort(): void;
}

export function openSse(
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  handlers: SseHandlers,
): SseConnection {
  const controller = new AbortController();
  let aborted = false;
  const run = async () => {
    let res: Response;
    try {
      res = await fetchFn(url, {
        headers: { Accept: 'text/event-stream', ...headers },
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch {
      if (!aborted) handlers.onNetworkError();
      return;
    }
    if (aborted) return;
    if (res.status !== 200 || !res.body) {
      const body: unknown = await res.json().catch(() => undefined);
      if (!aborted) handlers.onRefused({ status: res.status, body, retryAfter: res.headers.get('Retry-After') });
      return;
    }
    handlers.onOpen();
    const parser = createParser({
      onEvent: (e) => {
        if (!aborted) handlers.onEvent({ ...(e.id === undefined ? {} : { id: e.id }), data: e.data });
      },
      onComment: (c) => {
        if (!aborted) handlers.onComment(c.trim());
      },
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (aborted) return;
        if (done) break;
        handlers.onBytes();
        parser.feed(value);
      }
    } catch {
      if (!aborted) handlers.onNetworkError();
      return;
    }
    if (!aborted) handlers.onClosed();
  };
  void run();
  return {
    abort() {
      if (aborted) return;
      aborted = true;
      controller.abort();
    },
  };
}
