import { z } from 'zod';
import type { Article, FeedWarning } from '@/lib/contract/article';
import { validArticles, validWarnings } from './articles';

/** GET /api/news, decoded (contract §2, §6.2, §6.3): `symbol` or `symbols`, and a `cursor` to continue from. */
export interface SnapshotBody {
  symbols: string[];
  fetchedAt: string;
  articles: Article[];
  warnings: FeedWarning[];
  demo: boolean;
  /** A `since` cursor continuing after this snapshot; absent from servers that predate §6.2. */
  cursor?: string;
  truncated: boolean;
}

const body = z.object({
  symbol: z.string().optional(),
  symbols: z.array(z.string()).optional(),
  fetchedAt: z.string(),
  articles: z.unknown(),
  warnings: z.unknown().optional(),
  demo: z.boolean().optional(),
  cursor: z.string().min(1).optional(),
  truncated: z.boolean().optional(),
});

export function parseSnapshotBody(json: unknown): SnapshotBody | null {
  const parsed = body.safeParse(json);
  if (!parsed.success) return null;
  const d = parsed.data;
  const symbols = d.symbols ?? (d.symbol === undefined ? [] : [d.symbol]);
  return {
    symbols,
    fetchedAt: d.fetchedAt,
    articles: validArticles(d.articles),
    warnings: validWarnings(d.warnings),
    demo: d.demo === true,
    ...(d.cursor === undefined ? {} : { cursor: d.cursor }),
    truncated: d.truncated === true,
  };
}
