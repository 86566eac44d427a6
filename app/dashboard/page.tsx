import type { Metadata } from 'next';
import { Dashboard } from '@/components/dashboard/dashboard';
import { streamOptionsFromQuery } from '@/lib/dashboard/stream-options';
import { symbolFromQuery } from '@/lib/dashboard/symbol';

export const metadata: Metadata = {
  title: 'Dashboard',
  description: 'Latest headlines and a live news stream for a stock symbol.',
};

type SearchParams = Record<string, string | string[] | undefined>;

/** `?symbol=NVDA` makes a view shareable; `interval`/`duration` (ms) tune the stream within the contract. */
export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  return <Dashboard initialSymbol={symbolFromQuery(query.symbol)} options={streamOptionsFromQuery(query)} />;
}
