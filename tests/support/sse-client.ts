/** One parsed Server-Sent Event, or a comment line such as `: keep-alive`. */
export interface SseEvent {
  id?: string;
  data?: string;
  retry?: number;
  comments: string[];
  receivedAt: number;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** Events received so far (grows while the stream is open). */
  events: SseEvent[];
  /** Resolves when the server ends the response (or the client aborts). */
  done: Promise<void>;
  /** Waits until `predicate` holds for the received events, or rejects after `timeoutMs`. */
  waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * A minimal SSE reader over fetch, written for tests because EventSource hides status codes and
 * reconnects on its own; the tests need to see both. Parses per the WHATWG event-stream rules.
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());

  const done = (async () => {
    if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) return;
    const decoder = new TextDecoder();
    let buffer = '';
    let current: SseEvent = { comments: [], receivedAt: 0 };
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.data !== undefined || current.comments.length || current.id !== undefined) {
              current.receivedAt = Date.now();
              events.push(current);
              notify();
            }
            current = { comments: [], receivedAt: 0 };
          } else if (line.startsWith(':')) {
            current.comments.push(line.slice(1).trim());
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') current.id = value;
            else if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
            else if (field === 'retry') current.retry = Number(value);
          }
        }
      }
    } catch {
      // aborted by close()
    } finally {
      notify();
    }
  })();
  let ended = false;
  void done.then(() => {
    ended = true;
    notify();
  });

  return {
    status: res.status,
    headers: res.headers,
    events,
    done,
    close: () => controller.abort(),
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(events)) {
            cleanup();
            resolve();
          } else if (ended) {
            cleanup();
            reject(new Error(`stream ended before the condition held; got ${events.length} events`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`condition not met within ${timeoutMs} ms; got ${events.length} events`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** The JSON-RPC message of an event. */
export function message(event: SseEvent): Record<string, unknown> {
  return JSON.parse(event.data ?? 'null') as Record<string, unknown>;
}

/** The decoded `params.message` of a progress notification, or undefined for the final result. */
export function progressBody(event: SseEvent): Record<string, unknown> | undefined {
  const msg = message(event) as { params?: { message?: string } };
  return msg.params?.message ? (JSON.parse(msg.params.message) as Record<string, unknown>) : undefined;
}

export function isFinal(event: SseEvent): boolean {
  return event.data !== undefined && 'result' in message(event);
}
