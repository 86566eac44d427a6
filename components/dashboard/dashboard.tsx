'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { ListedArticle } from '@/lib/dashboard/articles';
import { checkFilter } from '@/lib/dashboard/filter-input';
import type { NotifyArticle } from '@/lib/dashboard/notifications';
import { isActive } from '@/lib/dashboard/session-state';
import type { StreamOptions } from '@/lib/dashboard/stream-options';
import { useContinueAfterReload } from '@/lib/dashboard/use-continue-after-reload';
import { useLiveSession } from '@/lib/dashboard/use-live-session';
import { useNewsSnapshot } from '@/lib/dashboard/use-news-snapshot';
import { useNotifications } from '@/lib/dashboard/use-notifications';
import { useShortcuts } from '@/lib/dashboard/use-shortcuts';
import { useWatchView } from '@/lib/dashboard/use-watch-view';
import { newArticleCounts, shownSymbols, visibleArticles } from '@/lib/dashboard/visible-articles';
import { FeedWarnings } from './feed-warnings';
import { FilterForm } from './filter-form';
import { LiveAnnouncer } from './live-announcer';
import { NewsList, NewsSkeleton } from './news-list';
import { NotifyToggle } from './notify-toggle';
import { StreamStatus } from './stream-status';
import { focusRing } from './styles';
import { WatchlistForm } from './watchlist-form';

export interface DashboardProps {
  /** The link's watchlist and (valid) filter; symbols null when the link names none. */
  fromLink: { symbols: string[] | null; q: string };
  /** A `q` from the link that the API would refuse: shown in the Filter box with its explanation. */
  invalidFilter: string | null;
  options: StreamOptions;
  /** What the page did with parts of its link it could not use as written (tickers, interval, duration). */
  linkNotices: readonly string[];
}

function durationText(options: StreamOptions): string {
  const every = `Updates every ${Math.round(options.interval / 1000)} s`;
  return options.duration === null ? `${every} until you stop` : `${every} for ${Math.round(options.duration / 1000)} s`;
}

/**
 * The dashboard: a watchlist with a filter, its headlines, and a live session that stays live until
 * Stop. The logic lives in lib/dashboard; this component wires it to the page.
 */
export function Dashboard({ fromLink, invalidFilter, options, linkNotices }: DashboardProps) {
  const { view, ready, setView } = useWatchView(fromLink);
  const query = useMemo(() => {
    const check = checkFilter(view.q);
    return check.ok ? check.query : null;
  }, [view.q]);
  const settings = useMemo(() => ({ symbols: view.symbols, query, options }), [view.symbols, query, options]);
  const { session, state } = useLiveSession(settings);
  useContinueAfterReload(session, ready);
  const streaming = isActive(state.phase);
  const snapshot = useNewsSnapshot(ready ? view.symbols : null, view.q, streaming);

  // Snapshot headlines join the one list the page keeps (de-duplicated, not flagged new).
  useEffect(() => {
    if (snapshot.data) session.addSnapshot(snapshot.data.articles);
  }, [session, snapshot.data]);

  const watched = useMemo(() => new Set(view.symbols), [view.symbols]);
  const articles = useMemo(() => visibleArticles(state.articles, view.symbols, query), [state.articles, view.symbols, query]);
  const counts = useMemo(() => newArticleCounts(articles, view.symbols, state.startedAt), [articles, view.symbols, state.startedAt]);

  const describe = useCallback(
    (a: ListedArticle): NotifyArticle | null =>
      visibleArticles([a], view.symbols, query).length > 0 ? { title: a.title, source: a.source, symbols: shownSymbols(a, watched) } : null,
    [watched, query, view.symbols],
  );
  const notifications = useNotifications(session, describe);

  const addRef = useRef<HTMLInputElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  useShortcuts({
    'focus-filter': () => filterRef.current?.focus(),
    'focus-add': () => addRef.current?.focus(),
  });

  const label = view.symbols.join(', ');
  const warnings = streaming ? state.warnings : (snapshot.data?.warnings ?? []);
  const demo = (snapshot.data?.demo ?? false) || state.demo;
  const loading = (!ready || snapshot.isLoading) && articles.length === 0;

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
        <div className="grid gap-4 md:grid-cols-2">
          <WatchlistForm
            symbols={view.symbols}
            newBySymbol={state.startedAt === null ? null : counts.bySymbol}
            onChange={(symbols) => setView({ ...view, symbols })}
            inputRef={addRef}
          />
          <FilterForm applied={view.q} initialDraft={invalidFilter} onApply={(q) => setView({ ...view, q })} inputRef={filterRef} />
        </div>
        <div className="flex flex-wrap items-center gap-x-6 gap-y-3">
          {/* One button whose label flips keeps keyboard focus in place across start and stop. */}
          <button
            type="button"
            data-testid="stream-toggle"
            onClick={() => (streaming ? session.stop() : session.start())}
            className={`rounded-md px-4 py-2 font-semibold ${focusRing} ${
              streaming
                ? 'border border-red-700 bg-white text-red-800 hover:bg-red-50 dark:border-red-400 dark:bg-slate-900 dark:text-red-300 dark:hover:bg-red-950'
                : 'bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-500 dark:text-slate-950 dark:hover:bg-blue-400'
            }`}
          >
            {streaming ? 'Stop Stream' : 'Start Live News Stream'}
          </button>
          <span className="text-sm text-slate-600 dark:text-slate-400">{durationText(options)}</span>
          {linkNotices.map((notice) => (
            <p key={notice} data-testid="link-notice" className="text-sm text-amber-800 dark:text-amber-300">
              {notice}
            </p>
          ))}
          <NotifyToggle enabled={notifications.enabled} note={notifications.note} onToggle={(on) => void notifications.toggle(on)} />
        </div>
        <StreamStatus state={state} interval={options.interval} newCount={state.startedAt === null ? 0 : counts.total} />
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Shortcuts: <kbd className="font-mono">/</kbd> Filter, <kbd className="font-mono">a</kbd> Add symbol.
        </p>
      </section>

      <section aria-labelledby="headlines-heading" aria-busy={loading} className="flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="headlines-heading" className="text-xl font-semibold break-words">
            Headlines for <span className="font-mono">{label}</span>
          </h2>
          <FeedWarnings warnings={warnings} />
        </div>
        {view.q && (
          <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="filter-summary">
            Filtered by <span className="font-mono">{view.q}</span>
          </p>
        )}
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
          <p className="text-slate-600 dark:text-slate-400">
            No headlines for {label}
            {view.q ? ' match the filter' : ''} yet.
          </p>
        )}
        {articles.length > 0 && <NewsList articles={articles} watched={watched} label={label} since={state.startedAt} />}
      </section>

      <LiveAnnouncer newCount={state.startedAt === null ? 0 : counts.total} symbol={view.symbols.length === 1 ? (view.symbols[0] ?? null) : null} />
    </main>
  );
}
