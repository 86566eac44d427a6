import { decodeHTML } from 'entities';

/**
 * Feed text to plain text, in time linear in its length. Feed text is untrusted: the lazy regexes
 * this replaced (`/<!--[\s\S]*?-->/`, `<[^>]*>`) rescan the rest of the text from every opener that
 * has no closer, and 80 KB of `<p` took 2.8 s; a 5 MiB feed of it would have held the event loop,
 * and with it every stream, for hours. Every pattern here stops at the next `<`, and the spans are
 * found by a scan that never goes back.
 */

const BLOCK_TAGS = /<\/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|table|blockquote|section|article)\b[^<>]*>/gi;
const TAGS = /<\/?[a-zA-Z][^<>]*>/g;
/** Runs of whitespace other than a single space: the result of /\s+/ → ' ' in a quarter of the time on prose. */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

/** What opens a span that is not markup to strip tag by tag: CDATA (its text kept), a comment or an invisible element (dropped). */
const SPAN_OPENER = /<!\[CDATA\[|<!--|<(script|style|template|noscript)\b[^<>]*>/gi;
/** Inside CDATA, which cannot nest. */
const INNER_SPAN_OPENER = /<!--|<(script|style|template|noscript)\b[^<>]*>/gi;
const CLOSERS: Record<string, RegExp> = {
  cdata: /\]\]>/g,
  comment: /-->/g,
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
  template: /<\/template\s*>/gi,
  noscript: /<\/noscript\s*>/gi,
};

/**
 * Feed text as plain text: tags removed, HTML entities decoded (feeds often escape twice, so the
 * XML parser leaves `&amp;` or `&#39;` behind), whitespace collapsed. Decoding happens after the
 * tags are gone so an escaped `&lt;b&gt;` in a headline stays visible text, never markup.
 */
export function plainText(html: string): string {
  const withoutTags = withoutSpans(html).replace(BLOCK_TAGS, ' ').replace(TAGS, '');
  return decodeHTML(withoutTags).replace(WHITESPACE_TO_COLLAPSE, ' ').trim();
}


/** Raw characters a title or summary is made from; either keeps at most 300. */
export const SUMMARY_SOURCE_CHARS = 8 * 1024;
/** What a cut can leave half-read at the end: a tag, an entity or a surrogate pair. */
const CUT_TAIL = /(?:<[^<>]*|&#?\w*|[\uD800-\uDBFF])$/;

/**
 * A feed's title, summary or full text as plain text of at most `max` characters. Only its start is
 * read: a full-text entry of 25 KiB took 0.2 ms to strip whole, for the 300 characters kept
 * (measured: a 5 MiB feed of such entries held the event loop for 45 ms at a time).
 */
export function leadingText(html: string, max = 300): string {
  const head = html.length > SUMMARY_SOURCE_CHARS ? html.slice(0, SUMMARY_SOURCE_CHARS).replace(CUT_TAIL, '') : html;
  return truncate(plainText(head), max);
}

/** The contract's limit: at most `max` characters, cut at a word boundary, marked with an ellipsis. */
export function truncate(text: string, max = 300): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max); // the ellipsis replaces at least the last character
  const lastSpace = room.lastIndexOf(' ', max - 1);
  // A text without a usable space (a URL, CJK) is cut mid-word rather than losing half the summary.
  const cut = lastSpace > max * 0.6 ? room.slice(0, lastSpace) : room.slice(0, max - 1);
  return `${cut.replace(/[\uD800-\uDBFF]$/, '').replace(/[\s,;:.\-–—]+$/, '')}…`;
}

/**
 * The text with CDATA unwrapped and comments and invisible elements replaced by a space, read left
 * to right. A span left open runs to the end of the text, as in an HTML parser; the scan then
 * stops, so no part of the text is read twice.
 */
function withoutSpans(html: string, openers = SPAN_OPENER): string {
  const opener = new RegExp(openers);
  let out = '';
  let at = 0;
  for (let open = opener.exec(html); open; open = opener.exec(html)) {
    out += html.slice(at, open.index);
    const kind = open[1]?.toLowerCase() ?? (open[0] === '<!--' ? 'comment' : 'cdata');
    const start = open.index + open[0].length;
    const closer = new RegExp(CLOSERS[kind]!);
    closer.lastIndex = start;
    const close = closer.exec(html);
    const end = close ? close.index : html.length;
    // CDATA cannot nest: its text is read once more, for comments and invisible elements only.
    out += kind === 'cdata' ? withoutSpans(html.slice(start, end), INNER_SPAN_OPENER) : ' ';
    if (!close) return out;
    at = close.index + close[0].length;
    opener.lastIndex = at;
  }
  return out + html.slice(at);
}
