const encoder = new TextEncoder();

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform: `next start` would otherwise gzip the stream, buffering it and tripling memory.
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
} as const;

/** Sent after a period of silence so proxies and clients see the connection is alive. */
export const SSE_HEARTBEAT = ': keep-alive\n\n';
/**
 * Encoded once and shared by every stream: nothing downstream writes to a chunk, and a fresh copy
 * per heartbeat was garbage from every held stream.
 */
const HEARTBEAT_BYTES = encoder.encode(SSE_HEARTBEAT);

/** One event: an `id:` line and one `data:` line (the payload is JSON, so it has no newline). */
export function sseFrame(id: string, data: string): string {
  return `id: ${id}\ndata: ${data}\n\n`;
}

interface SseOptions<T> {
  heartbeatMs: number;
  /**
   * One item's SSE text. Formatting as the body pulls, rather than in a generator wrapped around the
   * source, saves a generator and its promises per stream and per event.
   */
  format: (item: T) => string;
  /** The client went away: stop producing frames. */
  onCancel: () => void;
}

/**
 * Serves items as a streaming SSE response, each as `format` writes it, with a heartbeat comment
 * after every `heartbeatMs` of silence. Items are pulled as fast as they come; the body closes when they end.
 */
export function sseResponse<T>(items: AsyncIterable<T>, options: SseOptions<T>): Response {
  let heartbeat: NodeJS.Timeout | undefined;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(stream) {
      const write = (bytes: Uint8Array) => {
        stream.enqueue(bytes);
        heartbeat?.refresh();
      };
      heartbeat = setInterval(() => {
        if (!cancelled) write(HEARTBEAT_BYTES);
      }, options.heartbeatMs);
      void pump(items, (item) => write(encoder.encode(options.format(item))), () => cancelled).then(() => {
        clearInterval(heartbeat);
        if (cancelled) return;
        try {
          stream.close();
        } catch {
          // already cancelled by the client
        }
      });
    },
    cancel() {
      cancelled = true;
      clearInterval(heartbeat);
      options.onCancel();
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}

async function pump<T>(items: AsyncIterable<T>, write: (item: T) => void, cancelled: () => boolean): Promise<void> {
  try {
    for await (const item of items) {
      if (cancelled()) break;
      write(item);
    }
  } catch {
    // enqueue throws once the client has cancelled the body; the source is stopped by onCancel
  }
}
