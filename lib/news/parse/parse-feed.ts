import { createHash } from 'node:crypto';
import Parser from 'rss-parser';
import type { FeedArticle } from '../types';
import { canonicalUrl, feedDate } from './normalize';
import { leadingText, SUMMARY_SOURCE_CHARS } from './plain-text';

export interface ParseContext {
  source: string;
  scope: 'symbol' | 'market';
}

export type ParseOutcome = { ok: true; articles: FeedArticle[]; feedTitle?: string } | { ok: false; error: string };

type RawItem = Record<string, unknown>;

/**
 * Elements renamed before rss-parser sees them, and read here instead:
 * - Atom `published`/`updated`: rss-parser turns them into a Date and calls toISOString() on it
 *   unguarded, so one garbage date would throw away the whole feed; feedDate() reads them safely.
 * - RSS `description`, Atom `content` and `content:encoded`: rss-parser strips each into a
 *   `contentSnippet` we never use, with regexes quadratic in the text (40,000 `<p` took 10 s of
 *   blocked event loop); leadingText() reads their start in linear time.
 */
const RENAMED = new Map([
  ['published', 'atom-published'],
  ['updated', 'atom-updated'],
  ['description', 'raw-description'],
  ['content', 'raw-content'],
  ['content:encoded', 'raw-content-encoded'],
]);

/** A headline is far shorter; a feed that puts its article's text in <title> gets it cut, with an ellipsis. */
const MAX_TITLE_CHARS = 300;
/**
 * Longer guids (or links standing in for one) become a hash of themselves: ids are keys in every
 * instance's maps and in Redis, and ride in every event, so a feed must not choose their size. A
 * hash keeps the id the same on every poll, so the article is still recognised.
 */
const MAX_ID_CHARS = 256;

/** Characters xml2js parses between two turns of the event loop (about 10 ms of work each). */
const PARSE_CHUNK_CHARS = 32 * 1024;
/** Items turned into articles between two turns of the event loop. */
const ITEMS_PER_SLICE = 100;

const ITEM_FIELDS = [...RENAMED.values(), 'metadata:sponsored', 'metadata:type', 'id', 'category'];

/**
 * Entity declarations are how billion-laughs and XXE work; no news feed needs them, so documents
 * that declare any (or carry an internal DTD subset) are refused before an XML parser sees them.
 */
const DECLARES_ENTITIES = /<!ENTITY|<!DOCTYPE[^>]*\[/i;
const HTML_PAGE = /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(!DOCTYPE\s+html|html[\s>])/i;

/** Parses RSS 0.9x/1.0/2.0 or Atom text into contract Articles. Never throws and never rejects. */
export async function parseFeed(xml: string, ctx: ParseContext): Promise<ParseOutcome> {
  if (xml.trim() === '') return { ok: false, error: 'feed is empty' };
  if (DECLARES_ENTITIES.test(xml)) return { ok: false, error: 'feed declares XML entities; refused' };
  if (HTML_PAGE.test(xml)) return { ok: false, error: 'feed returned an HTML page instead of RSS or Atom' };

  let feed: { title?: unknown; items?: RawItem[] };
  try {
    feed = await parseXml(xml);
  } catch (error) {
    return { ok: false, error: `feed is not valid RSS or Atom (${reason(error)})` };
  }

  const now = Date.now();
  const seen = new Set<string>();
  const articles: FeedArticle[] = [];
  for (const [i, item] of (feed.items ?? []).entries()) {
    // A feed of thousands of items: let other streams' events out every so often.
    if (i > 0 && i % ITEMS_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const article = toArticle(item, ctx, now);
    if (!article || seen.has(article.id)) continue;
    seen.add(article.id);
    articles.push(article);
  }
  const feedTitle = leadingText(text(feed.title), MAX_TITLE_CHARS);
  return { ok: true, articles, ...(feedTitle ? { feedTitle } : {}) };
}

/**
 * A fresh parser per document: xml2js keeps per-parse listeners and state on the instance, so a
 * document that failed half-way must not share it with the next one.
 */
function parseXml(xml: string): Promise<{ title?: unknown; items?: RawItem[] }> {
  const parser = new Parser<Record<string, unknown>, RawItem>({
    defaultRSS: 2,
    customFields: { item: ITEM_FIELDS },
    // async: xml2js parses in chunks with a turn of the event loop between them, so a feed near
    // NEWS_MAX_FEED_BYTES does not stall every open stream while it is read.
    xml2js: { tagNameProcessors: [(name: string) => RENAMED.get(name) ?? name], async: true, chunkSize: PARSE_CHUNK_CHARS },
  });
  // The promise settles once even if xml2js calls back twice (error after end) or throws synchronously.
  return new Promise((resolve, reject) => {
    try {
      parser.parseString(xml).then(resolve, reject);
    } catch (error) {
      reject(error);
    }
  });
}

function toArticle(item: RawItem, ctx: ParseContext, now: number): FeedArticle | null {
  if (isSponsored(item)) return null;
  const guid = text(item.guid).trim() || text(item.id).trim();
  // RSS allows a permalink guid in place of <link>.
  const link = text(item.link) || (/^https?:\/\//i.test(guid) ? guid : '');
  const url = canonicalUrl(link);
  if (!url) return null;
  const title = leadingText(text(item.title), MAX_TITLE_CHARS);
  if (!title) return null;

  const rawSummary = [item.summary, item['raw-description'], item['raw-content'], item['raw-content-encoded']].map(text).find((value) => value.trim() !== '');
  // The feed's own text only: rss-parser's isoDate is `new Date(pubDate)`, which launders
  // non-dates ("Version 2", "0") into plausible ones before feedDate() could refuse them.
  const publishedAt = [item.pubDate, item.date, item['atom-published'], item['atom-updated']]
    .map((value) => feedDate(text(value), now))
    .find((value) => value !== undefined);

  return detached({
    id: boundedId(guid || url),
    title,
    url,
    source: ctx.source,
    ...(publishedAt ? { publishedAt } : {}),
    scope: ctx.scope,
    summary: leadingText(rawSummary ?? ''),
    ...formOf(item),
  });
}

/**
 * A copy whose strings share nothing with the document. The XML parser's text nodes are slices of
 * the document string, and V8 keeps a whole parent string alive for any slice of it: without this,
 * every feed kept its last full body in memory through its articles (measured: the heap of a
 * symbol with 20 short articles held its 10 KiB document). A JSON round trip is the one portable
 * way to get fresh flat strings; it runs once per parsed item.
 */
function detached(article: FeedArticle): FeedArticle {
  return JSON.parse(JSON.stringify(article)) as FeedArticle;
}

function boundedId(id: string): string {
  return id.length <= MAX_ID_CHARS ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/** An SEC filing: EDGAR's Atom gives its form type as `<category label="form type" term="10-Q"/>`. */
function formOf(item: RawItem): { form?: string } {
  const categories = Array.isArray(item.category) ? item.category : [item.category];
  for (const category of categories) {
    const attributes = (category as { $?: { term?: unknown; label?: unknown } } | undefined)?.$;
    const term = typeof attributes?.term === 'string' ? attributes.term.trim() : '';
    if (term && String(attributes?.label).toLowerCase() === 'form type') return { form: term.slice(0, 40) };
  }
  return {};
}

/** CNBC marks paid placements in its siteContentMetadata namespace. */
function isSponsored(item: RawItem): boolean {
  const sponsored = text(item['metadata:sponsored']).trim().toLowerCase();
  const type = text(item['metadata:type']).trim().toLowerCase();
  return sponsored === 'true' || sponsored === 'yes' || type === 'sponsored' || type === 'ad' || type === 'advertisement';
}

/**
 * xml2js yields a string, an object with the text under `_` (when the element had attributes), an
 * array, or for Atom's `type="xhtml"` an element tree.
 */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return text(value[0]);
  if (value && typeof value === 'object') return '_' in value ? text(value._) : treeText(value);
  return '';
}

/**
 * The text nodes of an element tree joined by spaces, as much as a summary reads (xml2js groups
 * children by name, so mixed content loses its order, as it did in rss-parser's rendering). A loop, not recursion: a feed can
 * nest elements deeper than the call stack.
 */
function treeText(root: object): string {
  const parts: string[] = [];
  let length = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0 && length < SUMMARY_SOURCE_CHARS) {
    const node = pending.pop();
    if (typeof node === 'string') {
      parts.push(node);
      length += node.length;
    } else if (node && typeof node === 'object') {
      const children = Array.isArray(node) ? node : Object.entries(node).flatMap(([key, child]) => (key === '$' ? [] : [child]));
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
    }
  }
  return parts.join(' ');
}

/** The first line of sax's message ("Unexpected close tag"), without line/column noise or internals. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 120).trim() || 'unreadable';
}
