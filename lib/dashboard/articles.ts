import { z } from 'zod';
import { articleSchema, feedWarningSchema, sortTimeOf, type Article, type FeedWarning } from '@/lib/contract/article';

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
  /** Client time the article arrived over the live stream (or a catch-up); absent for the snapshot. */
  arrivedAt?: number;
  /**
   * Listed from a snapshot read while a live session ran (a reload, a new filter): the stream may
   * not have delivered it yet, and when it does, it arrived then. Without this the snapshot, when
   * it answered first, listed the stream's arrivals unmarked and the stream's copy was dropped.
   */
  provisional?: true;
}

/** An article with the client time it arrived over the live stream. */
export type Arrival = Article & { arrivedAt: number };

/** Bounds memory for a page left open all day; the oldest fall off (well above the 200 the page must keep). */
export const MAX_LISTED = 1_000;

/** `symbols` of a listed article widened by a later copy's tags (a watchlist change re-tags market items). */
function widenTags(listed: ListedArticle, again: Article): ListedArticle {
  const extra = again.symbols.filter((s) => !listed.symbols.includes(s));
  return extra.length === 0 ? listed : { ...listed, symbols: [...listed.symbols, ...extra] };
}

/**
 * Merges a batch into a newest-first list. An article already listed (same id, or same URL from
 * another feed) is never shown twice: a resumed, chained, caught-up or switched stream may resend
 * it. A resent copy only adds tags the listed one lacks; it is never flagged new again, except
 * that a provisional entry (`provisional`: a snapshot read while live) arrives when the stream
 * brings it. `added` holds what arrived or was newly listed.
 */
export function mergeArticles(
  list: readonly ListedArticle[],
  batch: readonly Article[],
  arrivedAt?: number,
  provisional = false,
): { list: ListedArticle[]; added: ListedArticle[] } {
  const byId = new Map<string, number>();
  const byUrl = new Map<string, number>();
  list.forEach((a, i) => {
    byId.set(a.id, i);
    byUrl.set(a.url, i);
  });
  let current: ListedArticle[] | null = null;
  const fresh: ListedArticle[] = [];
  const arrived: ListedArticle[] = [];
  const seen = new Set<string>();
  for (const a of batch) {
    const at = byId.get(a.id) ?? byUrl.get(a.url);
    if (at !== undefined) {
      const base: readonly ListedArticle[] = current ?? list;
      let next = widenTags(base[at]!, a);
      if (next.provisional && arrivedAt !== undefined) {
        next = { ...next, arrivedAt };
        delete next.provisional;
        arrived.push(next);
      }
      if (next !== base[at]) (current ??= [...list])[at] = next;
      continue;
    }
    if (seen.has(a.id) || seen.has(a.url)) continue;
    seen.add(a.id);
    seen.add(a.url);
    fresh.push({ ...a, sortTime: sortTimeOf(a), ...(arrivedAt === undefined ? {} : { arrivedAt }), ...(provisional && arrivedAt === undefined ? { provisional: true as const } : {}) });
  }
  const base = current ?? (list as ListedArticle[]);
  const added = [...arrived, ...fresh];
  if (fresh.length === 0) return { list: base, added };
  const merged = [...fresh, ...base].sort((x, y) => y.sortTime - x.sortTime).slice(0, MAX_LISTED);
  return { list: merged, added };
}

/**
 * Lists the arrivals a page kept across a reload, each with its own arrival time, so their New
 * marks and counts go on; a copy already listed (a snapshot that answered first) gives way.
 */
export function restoreArrivals(list: readonly ListedArticle[], arrivals: readonly Arrival[]): ListedArticle[] {
  if (arrivals.length === 0) return list as ListedArticle[];
  const seen = new Set<string>();
  const restored: ListedArticle[] = [];
  for (const a of arrivals) {
    if (seen.has(a.id) || seen.has(a.url)) continue;
    seen.add(a.id);
    seen.add(a.url);
    restored.push({ ...a, sortTime: sortTimeOf(a) });
  }
  const rest = list.filter((a) => !seen.has(a.id) && !seen.has(a.url));
  return [...restored, ...rest].sort((x, y) => y.sortTime - x.sortTime).slice(0, MAX_LISTED);
}
