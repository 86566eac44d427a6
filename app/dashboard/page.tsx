import type { Metadata } from 'next';
import { Dashboard } from '@/components/dashboard/dashboard';
import { settings } from '@/lib/config/settings';
import { checkFilter } from '@/lib/dashboard/filter-input';
import { streamOptionNotices, streamOptionsFromQuery } from '@/lib/dashboard/stream-options';
import { watchlistFromParams, watchlistNotices } from '@/lib/dashboard/watchlist';

export const metadata: Metadata = {
  title: 'Dashboard',
  description: 'Latest headlines and a live news stream for a watchlist of stock symbols.',
};

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * `?symbols=TSLA,AAPL&q=earnings` makes a view shareable (`?symbol=TSLA` still works);
 * `interval`/`duration` (ms) tune the stream. The server's STREAM_MAX_DURATION_MS and
 * STREAM_HEARTBEAT_MS are rendered into the page: an open-ended session asks for the longest
 * stream allowed and never more, and knows how long a healthy stream can stay silent.
 */
export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { streamMaxDurationMs, streamHeartbeatMs } = settings();
  const rawQ = first(query.q);
  const filter = rawQ === undefined ? null : checkFilter(rawQ);
  return (
    <Dashboard
      fromLink={{
        symbols: watchlistFromParams(first(query.symbols), first(query.symbol)),
        q: filter?.ok ? filter.q : '',
      }}
      invalidFilter={filter && !filter.ok ? (rawQ ?? null) : null}
      options={streamOptionsFromQuery(query, { maxDuration: streamMaxDurationMs, heartbeat: streamHeartbeatMs })}
      linkNotices={[...watchlistNotices(first(query.symbols), first(query.symbol)), ...streamOptionNotices(query, { maxDuration: streamMaxDurationMs })]}
    />
  );
}
