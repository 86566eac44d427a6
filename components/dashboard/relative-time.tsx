'use client';

import { useNow } from '@/lib/dashboard/use-clock';
import { formatExact, formatRelative } from '@/lib/dashboard/time';

/** "5 minutes ago", kept current by a shared 15 s clock; the exact time shows on hover. */
export function RelativeTime({ iso }: { iso: string | undefined }) {
  const now = useNow(15_000);
  return (
    <time dateTime={iso} title={formatExact(iso)}>
      {now === 0 ? '' : formatRelative(iso, now)}
    </time>
  );
}
