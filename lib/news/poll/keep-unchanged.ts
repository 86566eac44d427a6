import type { SequencedArticle, SharedCopy } from '../types';

/**
 * A refetch that brings an article back unchanged gets the object it had, so what hangs off an
 * article's identity (its tagged copies, its JSON on the wire) stays valid and only one generation
 * of a feed's articles is alive. Without it every fetch made each article, its copies and their
 * encodings anew, and snapshots built before the fetch kept the old generation alive beside them.
 */
export function keepUnchanged(previous: readonly SequencedArticle[], fresh: SequencedArticle[]): SequencedArticle[] {
  if (previous.length === 0) return fresh;
  const byId = new Map(previous.map((item) => [item.article.id, item]));
  return fresh.map((item) => {
    const old = byId.get(item.article.id);
    return old && sameSequenced(old, item) ? old : item;
  });
}

function sameSequenced(a: SequencedArticle, b: SequencedArticle): boolean {
  return a.seq === b.seq && a.sortTime === b.sortTime && a.firstSeen === b.firstSeen && a.arrived === b.arrived && sameCopies(a.copies, b.copies) && sameFields(a.article, b.article);
}

function sameCopies(a: SharedCopy[] | undefined, b: SharedCopy[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((copy, i) => sameFields(copy, b[i]!));
}

/** Flat records of strings and numbers (articles, copies): equal when every own field is. */
function sameFields<T extends object>(a: T, b: T): boolean {
  const keys = Object.keys(a) as Array<keyof T>;
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
