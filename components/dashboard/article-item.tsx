'use client';

import { memo } from 'react';
import type { ListedArticle } from '@/lib/dashboard/articles';
import { useNow } from '@/lib/dashboard/use-clock';
import { shownSymbols } from '@/lib/dashboard/visible-articles';
import { RelativeTime } from './relative-time';

const FRESH_MS = 60_000;

function NewBadge({ arrivedAt }: { arrivedAt: number }) {
  const now = useNow(5_000);
  if (now !== 0 && now - arrivedAt > FRESH_MS) return null;
  return (
    <span className="rounded bg-amber-200 px-1.5 py-0.5 text-xs font-semibold text-amber-950 dark:bg-amber-400 dark:text-slate-950">
      New
    </span>
  );
}

/** One badge per watched ticker the article concerns; Market-wide when it names none (contract §6.6). */
function SymbolBadges({ symbols }: { symbols: readonly string[] }) {
  if (symbols.length === 0) {
    return (
      <span className="rounded border border-slate-300 px-1.5 py-0.5 text-xs text-slate-700 dark:border-slate-600 dark:text-slate-300">
        Market-wide
      </span>
    );
  }
  return symbols.map((s) => (
    <span
      key={s}
      data-badge={s}
      className="rounded border border-blue-300 bg-blue-50 px-1.5 py-0.5 font-mono text-xs font-medium text-blue-900 dark:border-blue-700 dark:bg-blue-950 dark:text-blue-200"
    >
      {s}
    </span>
  ));
}

/**
 * One headline. Memoised and lazily painted (content-visibility) so a list of 1,000 stays fast;
 * `arrived` marks it New (it came during the live session, and for a minute), `highlight` plays the
 * brief arrival animation. `watched` is the watchlist as a set, the same object until the list
 * changes, so rows re-render only when their article or the list changes.
 */
export const ArticleItem = memo(function ArticleItem({
  article,
  watched,
  arrived,
  highlight,
}: {
  article: ListedArticle;
  watched: ReadonlySet<string>;
  arrived: boolean;
  highlight: boolean;
}) {
  const when = article.publishedAt ?? article.firstSeenAt;
  return (
    <li
      data-article-id={article.id}
      data-new={arrived ? 'true' : undefined}
      className={`rounded-md px-3 py-3 [contain-intrinsic-size:auto_7rem] [content-visibility:auto] ${
        highlight ? 'motion-safe:animate-arrival' : ''
      }`}
    >
      <article aria-labelledby={`a-${article.id}`}>
        <h3 id={`a-${article.id}`} className="text-base leading-snug font-semibold">
          <a
            href={article.url}
            target="_blank"
            rel="noopener noreferrer"
            className="rounded-sm text-slate-900 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:text-slate-100 dark:focus-visible:outline-blue-300"
          >
            {article.title}
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        </h3>
        <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
          <span>{article.source}</span>
          <span aria-hidden="true">·</span>
          <RelativeTime iso={when} />
          {article.publishedAt === undefined && <span className="sr-only">(first seen)</span>}
          <SymbolBadges symbols={shownSymbols(article, watched)} />
          {article.form && (
            <span className="rounded border border-slate-400 px-1.5 py-0.5 font-mono text-xs text-slate-800 dark:border-slate-500 dark:text-slate-200">
              <span className="sr-only">SEC form </span>
              {article.form}
            </span>
          )}
          {arrived && article.arrivedAt !== undefined && <NewBadge arrivedAt={article.arrivedAt} />}
        </p>
        {article.summary && <p className="mt-1 line-clamp-3 text-sm text-slate-700 dark:text-slate-300">{article.summary}</p>}
      </article>
    </li>
  );
});
