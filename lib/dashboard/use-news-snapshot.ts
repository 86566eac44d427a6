'use client';

import useSWR from 'swr';
import { z } from 'zod';
import type { FeedWarning } from '@/lib/contract/article';
import { toListed, validArticles, validWarnings, type ListedArticle } from './articles';
import { describeHttpFailure } from './http-failure';

export interface NewsSnapshotView {
  symbol: string;
  fetchedAt: string;
  articles: ListedArticle[];
  warnings: FeedWarning[];
  demo: boolean;
}

const snapshotBody = z.object({
  symbol: z.string(),
  fetchedAt: z.string(),
  articles: z.unknown(),
  warnings: z.unknown().optional(),
  demo: z.boolean().optional(),
});

/** An error whose message is already written for the user. */
export class SnapshotError extends Error {}

async function fetchSnapshot([, symbol, limit]: readonly [string, string, number]): Promise<NewsSnapshotView> {
  const params = new URLSearchParams({ symbol, limit: String(limit) });
  let res: Response;
  try {
    res = await fetch(`/api/news?${params}`, { headers: { Accept: 'application/json' } });
  } catch {
    throw new SnapshotError('The server cannot be reached. Retrying…');
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new SnapshotError(describeHttpFailure(res.status, body, res.headers.get('Retry-After'), Date.now()).message);
  const parsed = snapshotBody.safeParse(body);
  if (!parsed.success) throw new SnapshotError('The server sent an unexpected answer.');
  return {
    symbol: parsed.data.symbol,
    fetchedAt: parsed.data.fetchedAt,
    articles: toListed(validArticles(parsed.data.articles)),
    warnings: validWarnings(parsed.data.warnings),
    demo: parsed.data.demo === true,
  };
}

/** Latest headlines for `symbol` from GET /api/news; refreshed every minute while no stream runs. */
export function useNewsSnapshot(symbol: string, limit: number, paused: boolean) {
  return useSWR(['/api/news', symbol, limit] as const, fetchSnapshot, {
    refreshInterval: paused ? 0 : 60_000,
    revalidateOnFocus: !paused,
    keepPreviousData: false,
  });
}
