'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { combineLists, type ListedArticle } from '@/lib/dashboard/articles';
import { isStreaming } from '@/lib/dashboard/stream-state';
import { streamUrl, type StreamOptions } from '@/lib/dashboard/stream-options';
import { useNewsSnapshot } from '@/lib/dashboard/use-news-snapshot';
import { useNewsStream } from '@/lib/dashboard/use-news-stream';
import { useRecentSymbols } from '@/lib/dashboard/use-recent-symbols';
import { FeedWarnings } from './feed-warnings';
import { LiveAnnouncer } from './live-announcer';
import { NewsList, NewsSkeleton } from './news-list';
import { StreamStatus } from './stream-status';
import { SymbolForm } from './symbol-form';

/** Articles in the snapshot and in the stream's first batch; the contract's default `limit`. */
const LIMIT = 10;
const EMPTY: ListedArticle[] = [];

const focusRing = 'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300';

/** Keeps `?symbol=` in the address bar current so the view can be shared; other parameters stay. */
function reflectSymbolInUrl(symbol: string): void {
  const url = new URL(window.location.href);
  url.searchParams.set('symbol', symbol);
  window.history.replaceState(window.history.state, '', url);
}

export function Dashboard({ initialSymbol, options }: { initialSymbol: string; options: StreamOptions }) {
  const [symbol, setSymbol] = useState(initialSymbol);
  const [recent, remember] = useRecentSymbols();
  const { state, start, stop } = useNewsStream();
  const streaming = isStreaming(state.status);
  const snapshot = useNewsSnapshot(symbol, LIMIT, streaming);

  // Every symbol viewed is remembered, one opened from a shared link included.
  useEffect(() => remember(symbol), [remember, symbol]);

  const startStream = useCallback((s: string) => start(s, streamUrl(s, options, LIMIT)), [options, start]);

  const choose = useCallback(
    (next: string) => {
      setSymbol(next);
      reflectSymbolInUrl(next);
      // A live view follows the symbol: the old stream closes and one for the new symbol opens.
      if (streaming && next !== state.symbol) startStream(next);
    },
    [startStream, state.symbol, streaming],
  );

  // The stream's articles belong to the view only while they are for the symbol shown.
  const streamArticles = state.symbol === symbol ? state.articles : EMPTY;
  const snapshotArticles = snapshot.data?.symbol === symbol ? snapshot.data.articles : EMPTY;
  // Snapshot rows win on duplicates, so headlines already on screen are not re-flagged as new.
  const articles = useMemo(() => combineLists(snapshotArticles, streamArticles), [snapshotArticles, streamArticles]);
  const newCount = useMemo(() => articles.filter((a) => a.arrivedAt !== undefined).length, [articles]);

  const streamShown = state.status !== 'idle' && state.symbol === symbol;
  const warnings = streamShown && state.status !== 'stopped' ? state.warnings : (snapshot.data?.warnings ?? []);
  const demo = (snapshot.data?.demo ?? false) || (streamShown && state.demo);
  const loading = snapshot.isLoading && articles.length === 0;

  return (
    <main className="mx-auto flex w-full max-w-5xl flex-col gap-6 px-4 py-6 sm:px-6 sm:py-10">
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold tracking-tight">
          <Link href="/" className={`rounded-sm ${focusRing}`}>
            Market Pulse
          </Link>
        </h1>
        {demo && (
          <span
            data-testid="demo-label"
            className="rounded-full border border-amber-600 bg-amber-50 px-2.5 py-0.5 text-sm font-semibold text-amber-900 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-200"
          >
            Demo data: not real news
          </span>
        )}
      </header>

      <section aria-label="Controls" className="flex flex-col gap-4 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
        <SymbolForm symbol={symbol} initialDraft={initialSymbol} recent={recent} onChoose={choose} />
        <div className="flex flex-wrap items-center gap-3">
          {/* One button whose label flips keeps keyboard focus in place across start and stop. */}
          <button
            type="button"
            data-testid="stream-toggle"
            onClick={() => (streaming ? stop() : startStream(symbol))}
            className={`rounded-md px-4 py-2 font-semibold ${focusRing} ${
              streaming
                ? 'border border-red-700 bg-white text-red-800 hover:bg-red-50 dark:border-red-400 dark:bg-slate-900 dark:text-red-300 dark:hover:bg-red-950'
                : 'bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-500 dark:text-slate-950 dark:hover:bg-blue-400'
            }`}
          >
            {streaming ? 'Stop Stream' : 'Start Live News Stream'}
          </button>
          <span className="text-sm text-slate-600 dark:text-slate-400">
            Updates every {Math.round(options.interval / 1000)} s for {Math.round(options.duration / 1000)} s
          </span>
        </div>
        <StreamStatus state={streamShown ? state : { ...state, status: 'idle' }} newCount={streamShown ? newCount : 0} />
      </section>

      <section aria-labelledby="headlines-heading" aria-busy={loading} className="flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="headlines-heading" className="text-xl font-semibold">
            Headlines for <span className="font-mono">{symbol}</span>
          </h2>
          <FeedWarnings warnings={warnings} />
        </div>
        {loading && <NewsSkeleton />}
        {snapshot.error && articles.length === 0 && !loading && (
          <div role="alert" data-testid="snapshot-error" className="flex flex-wrap items-center gap-3 rounded-md border border-red-300 p-3 text-sm dark:border-red-800">
            <span className="text-red-800 dark:text-red-300">
              Headlines could not be loaded. {snapshot.error instanceof Error ? snapshot.error.message : ''}
            </span>
            <button
              type="button"
              onClick={() => void snapshot.mutate()}
              className={`rounded-md border border-slate-400 px-3 py-1 font-semibold hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800 ${focusRing}`}
            >
              Try again
            </button>
          </div>
        )}
        {!loading && !snapshot.error && articles.length === 0 && (
          <p className="text-slate-600 dark:text-slate-400">No headlines for {symbol} yet.</p>
        )}
        {articles.length > 0 && <NewsList articles={articles} symbol={symbol} />}
      </section>

      <LiveAnnouncer newCount={streamShown ? newCount : 0} symbol={symbol} />
    </main>
  );
}
