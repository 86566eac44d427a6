'use client';

import type { ReactNode } from 'react';
import type { AwayNotice, SessionState } from '@/lib/dashboard/session-state';
import { clampProgress, formatClock, formatDuration, formatRemaining, remainingMs } from '@/lib/dashboard/time';
import { useNow } from '@/lib/dashboard/use-clock';

function StatusLabel({ state }: { state: SessionState }) {
  switch (state.phase) {
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
          Live{state.liveSince !== null && ` since ${formatClock(state.liveSince)}`}
        </span>
      );
    case 'reconnecting':
      return (
        <span className="font-semibold text-amber-800 dark:text-amber-300">
          {state.message ?? 'Connection lost, reconnecting… the stream will resume where it left off'}
          {state.retryAt !== null && <RetryCountdown at={state.retryAt} />}
        </span>
      );
    case 'offline':
      return <span className="font-semibold text-amber-800 dark:text-amber-300">Offline: the news will catch up when the connection returns</span>;
    case 'complete':
      return <span className="font-semibold text-green-800 dark:text-green-400">Stream complete{state.message ? `: ${state.message}` : ''}</span>;
    case 'stopped':
      return <span className="text-slate-700 dark:text-slate-300">Stream stopped</span>;
    case 'error':
      return <span className="font-semibold text-red-800 dark:text-red-300">Stream error: {state.message}</span>;
  }
}

/**
 * After a refusal the page tries again on its own: when, counting down. The ticking part is hidden
 * from assistive technology, or the status region would announce every second; it hears one line.
 */
function RetryCountdown({ at }: { at: number }) {
  const now = useNow(1_000);
  const left = now === 0 ? null : Math.max(0, at - now);
  return (
    <>
      <span aria-hidden="true" data-testid="retry-countdown">
        {' '}
        {left === null || left < 1_000 ? 'Reconnecting now…' : `Reconnecting in ${formatRemaining(left)}…`}
      </span>
      <span className="sr-only"> Reconnecting automatically.</span>
    </>
  );
}

function ProgressBar({ label, value, valueText }: { label: string; value: number; valueText?: string }) {
  const percent = Math.round(clampProgress(value) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText}
      data-progress={value}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
    >
      <div
        className="h-full rounded-full bg-blue-700 transition-[width] duration-500 motion-reduce:transition-none dark:bg-blue-400"
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

/** The bar, then a line of facts (the counts passed as children come last). */
function ProgressBlock({ bar, children }: { bar: ReactNode; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-2">
      {bar}
      <p className="flex flex-wrap gap-x-4 text-sm text-slate-700 dark:text-slate-300">{children}</p>
    </div>
  );
}

/** A fixed-length stream: how far through it is, and the time left. */
function FixedProgress({ state, running, children }: { state: SessionState; running: boolean; children: ReactNode }) {
  const now = useNow(1_000);
  const left = state.endsAt !== null && now !== 0 ? remainingMs(state.endsAt, now) : null;
  return (
    <ProgressBlock bar={<ProgressBar label="Stream progress" value={state.progress} />}>
      <span>{Math.round(state.progress * 100)}%</span>
      {running && left !== null && (
        <span data-testid="time-remaining" aria-label={`${formatDuration(left / 1000)} remaining`}>
          {formatRemaining(left)} left
        </span>
      )}
      {children}
    </ProgressBlock>
  );
}

/**
 * An open-ended session has no end to show progress towards. The bar instead fills over one
 * `interval`, from the latest update to the next one expected, so it shows the page is alive and
 * when news can next arrive; seams between chained streams do not show at all.
 */
function NextUpdate({ state, running, interval, children }: { state: SessionState; running: boolean; interval: number; children: ReactNode }) {
  const now = useNow(1_000);
  const waiting = state.phase !== 'live' || state.lastNewsAt === null || now === 0;
  const elapsed = waiting ? 0 : Math.max(0, now - (state.lastNewsAt ?? now));
  const left = Math.max(0, interval - elapsed);
  const text = !running
    ? 'No updates until you start the stream again'
    : waiting
      ? 'Waiting for the next update'
      : left > 0
        ? `Next update in ${formatRemaining(left)}`
        : 'Next update due';
  return (
    <ProgressBlock bar={<ProgressBar label="Time to next update" value={elapsed / interval} valueText={text} />}>
      <span data-testid="next-update">{text}</span>
      {children}
    </ProgressBlock>
  );
}

function Progress({ state, running, interval, children }: { state: SessionState; running: boolean; interval: number; children: ReactNode }) {
  return state.openEnded ? (
    <NextUpdate state={state} running={running} interval={interval}>
      {children}
    </NextUpdate>
  ) : (
    <FixedProgress state={state} running={running}>
      {children}
    </FixedProgress>
  );
}

function AwayNoticeText({ notice }: { notice: AwayNotice | null }) {
  if (!notice) return null;
  const n = `${notice.count} new article${notice.count === 1 ? '' : 's'}`;
  if (notice.tooOld) {
    return (
      <>
        You were away longer than the server keeps news, so the latest headlines are shown instead ({n}). Articles from the
        gap may be missing.
      </>
    );
  }
  return (
    <>
      {n} while you were away{notice.truncated ? ' (more arrived than one catch-up holds: the oldest are not shown)' : ''}.
    </>
  );
}

/** Connection state, progress, counts, and what arrived during an absence. */
export function StreamStatus({ state, interval, newCount }: { state: SessionState; interval: number; newCount: number }) {
  const running = state.phase === 'live' || state.phase === 'reconnecting' || state.phase === 'connecting' || state.phase === 'offline';
  return (
    <div className="flex flex-col gap-2">
      <p role="status" data-testid="stream-status" data-status={state.phase} className="text-sm">
        {/* A refusal at Start says how long to wait in words; a refusal the page waits out counts down. */}
        <StatusLabel state={state} />
      </p>
      {state.phase !== 'idle' && (
        <Progress state={state} running={running} interval={interval}>
          <span data-testid="new-count">
            {newCount} new article{newCount === 1 ? '' : 's'}
          </span>
          {state.reconnects > 0 && (
            <span>
              resumed after {state.reconnects} drop{state.reconnects === 1 ? '' : 's'}
            </span>
          )}
        </Progress>
      )}
      <p role="status" data-testid="away-notice" className="text-sm font-medium text-slate-800 empty:hidden dark:text-slate-200">
        <AwayNoticeText notice={state.awayNotice} />
      </p>
    </div>
  );
}
