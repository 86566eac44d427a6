import type { StreamEvent } from '@/lib/mcp/stream-events';
import { SSE_HEARTBEAT, formatSseEvent } from './sse-format';

const encoder = new TextEncoder();

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform: `next start` would otherwise gzip the stream, buffering it and tripling memory.
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
} as const;

interface SseOptions {
  /** Aborting it stops the event source; it is aborted when the client goes away. */
  controller: AbortController;
  heartbeatMs: number;
  /** Called exactly once when the response ends, whatever the reason. */
  onEnd: (reason: 'complete' | 'client-gone' | 'error') => void;
}

/** Serialises a stream of events as Server-Sent Events, with heartbeats during silence. */
export function sseResponse(events: AsyncGenerator<StreamEvent>, token: string, options: SseOptions): Response {
  const { controller, heartbeatMs, onEnd } = options;
  let heartbeat: NodeJS.Timeout | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(stream) {
      const write = (text: string) => {
        stream.enqueue(encoder.encode(text));
        heartbeat?.refresh();
      };
      heartbeat = setInterval(() => {
        // The source may take a moment to notice an abort; the client is gone, so stay quiet.
        if (!controller.signal.aborted) write(SSE_HEARTBEAT);
      }, heartbeatMs);
      void pump(events, token, write, controller.signal).then((reason) => {
        clearInterval(heartbeat);
        if (reason !== 'client-gone') {
          try {
            stream.close();
          } catch {
            // already cancelled by the client
          }
        }
        onEnd(reason);
      });
    },
    cancel() {
      clearInterval(heartbeat);
      controller.abort();
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}

async function pump(
  events: AsyncGenerator<StreamEvent>,
  token: string,
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<'complete' | 'client-gone' | 'error'> {
  let last: StreamEvent['type'] | undefined;
  try {
    for await (const event of events) {
      if (signal.aborted) break;
      write(formatSseEvent(event, token));
      last = event.type;
    }
  } catch {
    // enqueue throws once the client has cancelled the body (which also aborted the signal)
    return signal.aborted ? 'client-gone' : 'error';
  }
  if (signal.aborted) return 'client-gone';
  return last === 'error' ? 'error' : 'complete';
}
