import { z } from 'zod';
import { articleSchema, feedWarningSchema, type Article, type FeedWarning } from '@/lib/contract/article';

/*
 * Articles come from third-party feeds via the server; the browser re-checks their shape with the
 * contract's schema, which only admits http(s) links, so a hostile feed cannot plant a `javascript:` link.
 */

/** Keeps the valid articles of a batch; one malformed item must not discard its siblings. */
export function validArticles(items: unknown): Article[] {
  if (!Array.isArray(items)) return [];
  const out: Article[] = [];
  for (const item of items) {
    const parsed = articleSchema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

export function validWarnings(items: unknown): FeedWarning[] {
  const parsed = z.array(feedWarningSchema).safeParse(items ?? []);
  return parsed.success ? parsed.data : [];
}

export interface ListedArticle extends Article {
  /** publishedAt, else firstSeenAt, in ms (0 when neither parses): the newest-first key. */
  sortTime: number;
  /** Client time the article arrived over the live stream; absent for the snapshot. */
  arrivedAt?: number;
}

/** Bounds memory for a page left open all day; the oldest fall off. */
export const MAX_LISTED = 1_000;

function sortTimeOf(a: Article): number {
  const t = Date.parse(a.publishedAt ?? a.firstSeenAt ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Merges a batch into a newest-first list. An article already listed (same id, or same URL from
 * another feed) is never shown twice: a resumed or overlapping stream may resend it.
 */
export function mergeArticles(
  list: readonly ListedArticle[],
  batch: readonly Article[],
  arrivedAt?: number,
): { list: ListedArticle[]; added: ListedArticle[] } {
  const ids = new Set<string>();
  const urls = new Set<string>();
  for (const a of list) {
    ids.add(a.id);
    urls.add(a.url);
  }
  const added: ListedArticle[] = [];
  for (const a of batch) {
    if (ids.has(a.id) || urls.has(a.url)) continue;
    ids.add(a.id);
    urls.add(a.url);
    added.push({ ...a, sortTime: sortTimeOf(a), ...(arrivedAt === undefined ? {} : { arrivedAt }) });
  }
  if (added.length === 0) return { list: list as ListedArticle[], added };
  const merged = [...added, ...list].sort((x, y) => y.sortTime - x.sortTime).slice(0, MAX_LISTED);
  return { list: merged, added };
}

/**
 * Union of two newest-first lists, the first winning on duplicates. Objects are reused, so
 * memoised list rows only re-render when their own article changes.
 */
export function combineLists(first: readonly ListedArticle[], second: readonly ListedArticle[]): ListedArticle[] {
  if (second.length === 0) return first as ListedArticle[];
  const ids = new Set(first.map((a) => a.id));
  const urls = new Set(first.map((a) => a.url));
  const extra = second.filter((a) => !ids.has(a.id) && !urls.has(a.url));
  if (extra.length === 0) return first as ListedArticle[];
  return [...first, ...extra].sort((x, y) => y.sortTime - x.sortTime).slice(0, MAX_LISTED);
}

export function toListed(articles: readonly Article[]): ListedArticle[] {
  return mergeArticles([], articles).list;
}
