import type { FeedWarning } from '@/lib/contract/article';

/** Failing feeds are worth knowing about but never worth a banner: one quiet line, details on demand. */
export function FeedWarnings({ warnings }: { warnings: readonly FeedWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <details className="text-sm text-slate-600 dark:text-slate-400" data-testid="feed-warnings">
      <summary className="cursor-pointer rounded-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300">
        {warnings.length === 1 ? '1 feed is unavailable' : `${warnings.length} feeds are unavailable`}
      </summary>
      <ul className="mt-1 list-disc pl-5">
        {warnings.map((w) => (
          <li key={`${w.source}:${w.error}`}>
            {w.source}: {w.error}
          </li>
        ))}
      </ul>
    </details>
  );
}
