import { parseParams, runSchedule, SSE_HEADERS } from '../../../../../servers/sse-schedule.mjs';
import { activeStreams } from '../../../active-streams.mjs';

export const dynamic = 'force-dynamic';

/** The baseline's schedule from a route handler doing nothing else: Next.js's own cost per stream. */
export function GET(request) {
  const params = parseParams(new URL(request.url).searchParams);
  const encoder = new TextEncoder();
  let stop = () => {};
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    stop();
    activeStreams.count -= 1;
  };
  const body = new ReadableStream({
    start(controller) {
      activeStreams.count += 1;
      stop = runSchedule(
        params,
        (text) => controller.enqueue(encoder.encode(text)),
        () => {
          close();
          controller.close();
        },
      );
      request.signal.addEventListener('abort', close, { once: true });
    },
    cancel: close,
  });
  return new Response(body, { headers: SSE_HEADERS });
}
