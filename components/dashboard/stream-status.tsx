'use client';

import type { StreamState } from '@/lib/dashboard/stream-state';
import { formatDuration, formatRemaining, remainingMs } from '@/lib/dashboard/time';
import { useNow } from '@/lib/dashboard/use-clock';

function TimeRemaining({ endsAt, skewMs }: { endsAt: string; skewMs: number }) {
  const now = useNow(1_000);
  if (now === 0) return null;
  const left = remainingMs(endsAt, now, skewMs);
  return (
    <span data-testid="time-remaining" aria-label={`${formatDuration(left / 1000)} remaining`}>
      {formatRemaining(left)} left
    </span>
  );
}

function StatusLabel({ state }: { state: StreamState }) {
  switch (state.status) {
    case 'idle':
      return <span className="text-slate-600 dark:text-slate-400">Not streaming</span>;
    case 'connecting':
      return <span className="text-slate-700 dark:text-slate-300">Connecting…</span>;
    case 'live':
      return (
        <span className="font-semibold text-red-700 dark:text-red-400">
          <span aria-hidden="true" className="motion-safe:animate-pulse">
            ●
          </span>{' '}
          Live
        </span>
      );
    case 'reconnecting':
      return (
        <span className="font-semibold text-amber-800 dark:text-amber-300">
          Connection lost, reconnecting… the stream will resume where it left off
        </span>
      );
    case 'complete':
      return <span className="font-semibold text-green-800 dark:text-green-400">Stream complete{state.message ? `: ${state.message}` : ''}</span>;
    case 'stopped':
      return <span className="text-slate-700 dark:text-slate-300">Stream stopped</span>;
    case 'error':
      return <span className="font-semibold text-red-800 dark:text-red-300">Stream error: {state.message}</span>;
  }
}

/** Connection state, progress and counts of the live stream. */
export function StreamStatus({ state, newCount }: { state: StreamState; newCount: number }) {
  const percent = Math.round(state.progress * 100);
  const running = state.status === 'live' || state.status === 'reconnecting' || state.status === 'connecting';
  return (
    <div className="flex flex-col gap-2">
      <p role="status" data-testid="stream-status" data-status={state.status} className="text-sm">
        {/* A refusal's message already says how long to wait (Retry-After), in words. */}
        <StatusLabel state={state} />
      </p>
      {state.status !== 'idle' && (
        <>
          <div
            role="progressbar"
            aria-label="Stream progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            data-progress={state.progress}
            className="h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
          >
            <div
              className="h-full rounded-full bg-blue-700 transition-[width] duration-500 motion-reduce:transition-none dark:bg-blue-400"
              style={{ width: `${percent}%` }}
            />
          </div>
          <p className="flex flex-wrap gap-x-4 text-sm text-slate-700 dark:text-slate-300">
            <span>{percent}%</span>
            {running && state.endsAt && <TimeRemaining endsAt={state.endsAt} skewMs={state.skewMs} />}
            <span data-testid="new-count">
              {newCount} new article{newCount === 1 ? '' : 's'}
            </span>
            {state.reconnects > 0 && (
              <span>
                resumed after {state.reconnects} drop{state.reconnects === 1 ? '' : 's'}
              </span>
            )}
          </p>
        </>
      )}
    </div>
  );
}
