'use client';

import { useMemo } from 'react';
import type { ListedArticle } from '@/lib/dashboard/articles';
import { arrivedSince } from '@/lib/dashboard/visible-articles';
import { ArticleItem } from './article-item';

/**
 * Rows that play the arrival animation at once. A background animation repaints every frame, and a
 * burst of hundreds of arrivals animating together froze the page for seconds in testing; past this
 * many, arrivals keep only their "New" badge.
 */
const MAX_ANIMATED = 25;

/** `since`: when the live session started (null before any); rows that arrived in it are marked New. */
export function NewsList({
  articles,
  watched,
  label,
  since,
}: {
  articles: readonly ListedArticle[];
  watched: ReadonlySet<string>;
  label: string;
  since: number | null;
}) {
  const animated = useMemo(
    () => new Set(articles.filter((a) => arrivedSince(a, since)).slice(0, MAX_ANIMATED).map((a) => a.id)),
    [articles, since],
  );
  return (
    <ol aria-label={`News for ${label}, newest first`} className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800">
      {articles.map((a) => (
        <ArticleItem key={a.id} article={a} watched={watched} arrived={arrivedSince(a, since)} highlight={animated.has(a.id)} />
      ))}
    </ol>
  );
}

export function NewsSkeleton() {
  return (
    <ul aria-hidden="true" className="flex flex-col gap-4" data-testid="news-skeleton">
      {Array.from({ length: 5 }, (_, i) => (
        <li key={i} className="flex flex-col gap-2 px-3 py-2 motion-safe:animate-pulse">
          <div className="h-4 w-3/4 rounded bg-slate-200 dark:bg-slate-800" />
          <div className="h-3 w-1/3 rounded bg-slate-200 dark:bg-slate-800" />
          <div className="h-3 w-full rounded bg-slate-100 dark:bg-slate-900" />
        </li>
      ))}
    </ul>
  );
}
