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

/** Starts a source that pushes items as they happen and calls `end` after the last. */
export type PushSource<T> = (push: (item: T) => void, end: () => void) => void;

interface SseOptions<T> {
  heartbeatMs: number;
  /** One item's SSE text, written as it is pushed. */
  format: (item: T) => string;
  /** The client went away: stop producing frames. */
  onCancel: () => void;
}

/**
 * Serves pushed items as a streaming SSE response, each as `format` writes it, with a heartbeat
 * comment after every `heartbeatMs` of silence. The body closes when the source ends.
 *
 * Pushed, not pulled: a `for await` over the source cost a promise turn per event and per stream,
 * and with thousands of streams held those promises outlived a scavenge (docs/benchmarks.md).
 */
export function sseResponse<T>(source: PushSource<T>, options: SseOptions<T>): Response {
  let heartbeat: NodeJS.Timeout | undefined;
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(stream) {
      const write = (bytes: Uint8Array) => {
        if (!open) return;
        try {
          stream.enqueue(bytes);
          heartbeat?.refresh();
        } catch {
          // the client cancelled in the same turn; cancel() stops the source
        }
      };
      heartbeat = setInterval(() => write(HEARTBEAT_BYTES), options.heartbeatMs);
      const end = () => {
        clearInterval(heartbeat);
        if (!open) return;
        open = false;
        stream.close();
      };
      try {
        source((item) => write(encoder.encode(options.format(item))), end);
      } catch {
        end();
      }
    },
    cancel() {
      open = false;
      clearInterval(heartbeat);
      options.onCancel();
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
