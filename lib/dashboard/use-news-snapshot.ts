'use client';

import useSWR from 'swr';
import { describeHttpFailure } from './http-failure';
import { parseSnapshotBody, type SnapshotBody } from './snapshot-body';
import { snapshotUrl } from './stream-options';

/** An error whose message is already written for the user. */
export class SnapshotError extends Error {}

async function fetchSnapshot(url: string): Promise<SnapshotBody> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch {
    throw new SnapshotError('The server cannot be reached. Retrying…');
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new SnapshotError(describeHttpFailure(res.status, body, res.headers.get('Retry-After'), Date.now()).message);
  const parsed = parseSnapshotBody(body);
  if (!parsed) throw new SnapshotError('The server sent an unexpected answer.');
  return parsed;
}

/**
 * Latest headlines for the watchlist and filter from GET /api/news; refreshed every minute, on focus
 * and on reconnect while no stream runs (`paused` while one does). `symbols` null (the saved list
 * not restored yet) fetches nothing.
 */
export function useNewsSnapshot(symbols: readonly string[] | null, q: string, paused: boolean) {
  return useSWR(symbols ? snapshotUrl(symbols, q) : null, fetchSnapshot, {
    refreshInterval: paused ? 0 : 60_000,
    revalidateOnFocus: !paused,
    // While a stream runs it is the source of news: back online, its resume carries what was
    // missed and counts it as "while you were away". A snapshot refetched on reconnect raced it
    // and, when first, slipped the missed articles into the list uncounted.
    revalidateOnReconnect: !paused,
    keepPreviousData: false,
  });
}
