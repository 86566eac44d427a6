import { describe, expect, it } from 'vitest';
import { formatSseEvent } from '@/lib/api/sse-events';
import { SSE_HEADERS, sseResponse, type PushSource } from '@/lib/http/sse-response';
import type { StreamEvent } from '@/lib/stream/events';
import { sleep } from '@/tests/support/wait';

const base = { cursor: 'v1.abcdefgh.1.2.1.abcd.0', timestamp: '2026-11-25T14:00:00.000Z' };
const connected: StreamEvent = { type: 'connected', streamId: 'tok', symbols: ['TSLA'], watchlist: false, endsAt: base.timestamp, resumed: false, demo: false, progress: 0, ...base };
const newsAt = (progress: number): StreamEvent => ({ type: 'news', symbols: ['TSLA'], watchlist: false, articles: [], warnings: [], progress, ...base });
const complete: StreamEvent = { type: 'complete', delivered: 0, progress: 1, ...base };

async function readAll(res: Response): Promise<string> {
  return new TextDecoder().decode(await res.arrayBuffer());
}

type Source = PushSource<StreamEvent>;

function start(source: Source, heartbeatMs = 10_000, controller = new AbortController()) {
  const res = sseResponse(source, { heartbeatMs, format: (event) => formatSseEvent(event, 'tok'), onCancel: () => controller.abort() });
  return { res, controller };
}

/** A source that pushes `events` one by one, `gapMs` apart (0: all in the same turn), then ends. */
function timed(events: StreamEvent[], gapMs = 0): Source {
  return (push, end) => {
    const next = (i: number) => {
      push(events[i]!);
      if (i === events.length - 1) end();
      else if (gapMs === 0) next(i + 1);
      else setTimeout(() => next(i + 1), gapMs);
    };
    next(0);
  };
}

describe('sseResponse', () => {
  it('200 with the contract headers (no buffering, no compression)', async () => {
    const { res } = start(timed([connected, complete]));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(SSE_HEADERS['Cache-Control']).toContain('no-transform');
    await readAll(res);
  });

  it('writes each event in wire format and closes after the final one', async () => {
    const events = [connected, newsAt(0.5), complete];
    const { res } = start(timed(events));
    expect(await readAll(res)).toBe(events.map((e) => formatSseEvent(e, 'tok')).join(''));
  });

  it('sends ": keep-alive" during silence, and none while events flow', async () => {
    const silent = start(timed([connected, complete], 450), 100);
    const text = await readAll(silent.res);
    expect(text.split(': keep-alive\n\n').length - 1).toBeGreaterThanOrEqual(2);
    expect(text.endsWith(formatSseEvent(complete, 'tok'))).toBe(true);

    const busy = start(timed([connected, ...Array.from({ length: 8 }, (_, i) => newsAt((i + 1) / 10)), complete], 40), 500); // events every ~40 ms: far inside the heartbeat period even on a loaded machine
    expect(await readAll(busy.res)).not.toContain('keep-alive');
  });

  it('a source that throws as it starts ends the response cleanly (no hang)', async () => {
    const { res } = start((push) => {
      push(connected);
      throw new Error('bug');
    });
    expect(await readAll(res)).toBe(formatSseEvent(connected, 'tok'));
  });

  it('a push after the end, or an end twice, writes nothing and throws nothing', async () => {
    const { res } = start((push, end) => {
      push(connected);
      end();
      push(complete);
      end();
    });
    expect(await readAll(res)).toBe(formatSseEvent(connected, 'tok'));
  });

  it('a client that goes away cancels: the source is told, and its late pushes and end are ignored', async () => {
    const controller = new AbortController();
    let late: (() => void) | undefined;
    const { res } = start(
      (push, end) => {
        push(connected);
        late = () => {
          push(complete);
          end();
        };
      },
      50,
      controller,
    );
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(controller.signal.aborted).toBe(true);
    expect(() => late!()).not.toThrow();
    await sleep(200); // several heartbeat periods: none may fire into the cancelled stream
  });

  // Regression: the heartbeat kept firing into the cancelled body until the event source noticed
  // the abort; with a slow source that threw ERR_INVALID_STATE from a timer (an uncaught exception).
  it('a heartbeat due after the client left never throws', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const { res } = start(timed([connected, complete], 400), 50);
      const reader = res.body!.getReader();
      await reader.read();
      await reader.cancel();
      await sleep(600);
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
  });
});
