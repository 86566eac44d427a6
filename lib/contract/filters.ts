import { z } from 'zod';

/*
 * Contract §6.3 and §6.4: the `q` filter, the `forms` filter and the whole-word ticker mentions that
 * tag market-wide articles. Pure TypeScript shared by the server (filtering, tagging) and the
 * dashboard (validating input before sending, hiding listed articles a new filter excludes), so the
 * two can never disagree about what an article matches.
 *
 * Words: a word is a maximal run of Unicode letters, digits and combining marks; everything else
 * separates words. Text and query terms are both cut into words the same way, compared after NFKC
 * normalisation and lower-casing. So "earnings" matches "Earnings," and "earnings'" but not
 * "earningsbeat"; a term such as "10-Q" or "S&P" is the word sequence 10 q (s p) and matches where
 * those words stand next to each other ("10-Q", "10 Q", "10/Q"), exactly like the phrase "10 Q".
 */

export const Q_MAX_CHARS = 200;
export const FORM_MAX_CHARS = 12;

/** A term is one word; a phrase, several. Each entry is a sequence of lower-case words. */
export interface ParsedQuery {
  include: string[][];
  exclude: string[][];
}

export type QueryParse = { ok: true; query: ParsedQuery } | { ok: false; message: string };
export type FormsParse = { ok: true; forms: string[] } | { ok: false; message: string };

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The words of `text`, normalised for comparison. Never throws, whatever the input. */
export function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
}

/** Code points, not UTF-16 units: an emoji is one character to the person typing it. */
const charCount = (s: string) => Array.from(s).length;

/**
 * Parses `q`: whitespace-separated terms; `"a phrase"` in double quotes; a leading `-` excludes
 * (`-term`, `-"a phrase"`). A double quote always opens or closes a phrase, wherever it stands
 * (`ab"cd ef"` is the term ab and the phrase "cd ef"). A term or phrase must contain a letter or a
 * digit: `$$$`, `-` or `""` alone would match nothing and is refused rather than silently ignored.
 */
export function parseQuery(q: string): QueryParse {
  const length = charCount(q);
  if (length < 1 || length > Q_MAX_CHARS) return { ok: false, message: `q must be 1 to ${Q_MAX_CHARS} characters` };
  const include: string[][] = [];
  const exclude: string[][] = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/u.test(q[i]!)) {
      i += 1;
      continue;
    }
    const negated = q[i] === '-';
    if (negated) i += 1;
    let raw: string;
    const quoted = q[i] === '"';
    if (quoted) {
      const close = q.indexOf('"', i + 1);
      if (close < 0) return { ok: false, message: 'q has an unbalanced double quote' };
      raw = q.slice(i + 1, close);
      i = close + 1;
    } else {
      const start = i;
      while (i < q.length && q[i] !== '"' && !/\s/u.test(q[i]!)) i += 1;
      raw = q.slice(start, i);
    }
    const sequence = words(raw);
    if (sequence.length === 0) {
      const shown = `${negated ? '-' : ''}${quoted ? `"${raw}"` : raw}`;
      return { ok: false, message: `q term ${JSON.stringify(shown)} has no letters or digits` };
    }
    (negated ? exclude : include).push(sequence);
  }
  if (include.length === 0 && exclude.length === 0) return { ok: false, message: 'q has no terms' };
  return { ok: true, query: { include, exclude } };
}

/** Whether `sequence` occurs as consecutive words of `haystack`. */
function containsSequence(haystack: readonly string[], sequence: readonly string[]): boolean {
  const last = haystack.length - sequence.length;
  for (let start = 0; start <= last; start += 1) {
    let k = 0;
    while (k < sequence.length && haystack[start + k] === sequence[k]) k += 1;
    if (k === sequence.length) return true;
  }
  return false;
}

/**
 * True when any plain term or phrase occurs in `text` as whole words (or there are none: a filter
 * of exclusions only passes everything without them) and no excluded one does.
 */
export function matchesQuery(query: ParsedQuery, text: string | readonly string[]): boolean {
  // Fields are cut separately so a phrase never spans the end of a title and the start of a summary.
  const fields = (typeof text === 'string' ? [text] : text).map(words);
  const occurs = (sequence: readonly string[]) => fields.some((field) => containsSequence(field, sequence));
  if (query.exclude.some(occurs)) return false;
  return query.include.length === 0 || query.include.some(occurs);
}

/** Contract §6.4: an article is matched on its title and its summary. */
export function matchesArticle(query: ParsedQuery, article: { title: string; summary: string }): boolean {
  return matchesQuery(query, [article.title, article.summary]);
}

const FORM = new RegExp(`^[A-Z0-9/-]{1,${FORM_MAX_CHARS}}$`);

/**
 * Parses `forms`: comma-separated SEC form types, each letters, digits, `-` or `/`, at most 12
 * characters. Spaces around an entry are ignored; the result is upper-cased, first occurrence
 * order, without repeats.
 */
export function parseForms(raw: string): FormsParse {
  const entries = raw.split(',').map((s) => s.trim());
  if (entries.every((e) => e === '')) return { ok: false, message: 'forms must list at least one form type, e.g. 8-K,10-Q' };
  const forms: string[] = [];
  for (const entry of entries) {
    if (entry === '') return { ok: false, message: 'forms has an empty entry: separate form types with single commas' };
    const form = entry.toUpperCase();
    if (!FORM.test(form)) {
      return {
        ok: false,
        message: `forms entry ${JSON.stringify(entry.slice(0, 40))} must be 1 to ${FORM_MAX_CHARS} letters, digits, "-" or "/"`,
      };
    }
    if (!forms.includes(form)) forms.push(form);
  }
  return { ok: true, forms };
}

/**
 * Whether an SEC filing's form type is one of `forms` (compared as parseForms normalises them).
 * Spaces inside a form type are ignored, so `SC13G/A` selects EDGAR's "SC 13G/A" (the contract's
 * form syntax has no spaces).
 */
export function matchesForms(forms: readonly string[], form: string | undefined): boolean {
  return form === undefined || forms.includes(form.replace(/\s+/g, '').toUpperCase());
}

/*
 * Ticker mentions are case-sensitive (tickers are upper case; "tsla" in prose is not a mention).
 * An occurrence counts when it is not part of a longer ticker-like token: the characters next to it
 * must not be letters or digits, and a joiner (`.`, `-`, `=`, `^`) next to it must not continue into
 * another upper-case letter or digit. So TSLA matches "$TSLA", "TSLA's", "(TSLA)", "TSLA." and
 * "TSLA-related", but not "TSLAX", "TSLA.X" or "XTSLA"; BTC does not match inside "BTC-USD", and
 * GSPC does not match "^GSPC" (a different instrument), while ^GSPC, BRK.B and EURUSD=X match themselves.
 */
const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;
const TICKER_CHAR = /[A-Z0-9]/;
const JOINER = /[.=^-]/;

function boundaryBefore(text: string, index: number): boolean {
  const prev = text[index - 1];
  if (prev === undefined) return true;
  if (LETTER_OR_DIGIT.test(prev)) return false;
  if (JOINER.test(prev)) {
    // "^" is only ever a prefix: "^GSPC" holds GSPC only as part of another ticker.
    if (prev === '^') return false;
    const before = text[index - 2];
    return before === undefined || !TICKER_CHAR.test(before);
  }
  return true;
}

function boundaryAfter(text: string, end: number): boolean {
  const next = text[end];
  if (next === undefined) return true;
  if (LETTER_OR_DIGIT.test(next)) return false;
  if (JOINER.test(next)) {
    const after = text[end + 1];
    return after === undefined || !TICKER_CHAR.test(after);
  }
  return true;
}

function mentions(text: string, symbol: string): boolean {
  if (symbol === '') return false;
  for (let at = text.indexOf(symbol); at >= 0; at = text.indexOf(symbol, at + 1)) {
    if (boundaryBefore(text, at) && boundaryAfter(text, at + symbol.length)) return true;
  }
  return false;
}

/** The watched tickers that `text` mentions as a whole word, in the order of `symbols`, without repeats. */
export function mentionedSymbols(text: string, symbols: readonly string[]): string[] {
  const found: string[] = [];
  for (const symbol of symbols) {
    if (!found.includes(symbol) && mentions(text, symbol)) found.push(symbol);
  }
  return found;
}

/** `q` as a query-string field for zod schemas: parsed, or a 400 message naming `q` and the rule. */
export const queryFilterSchema = z.string().transform((value, ctx) => {
  const parsed = parseQuery(value);
  if (parsed.ok) return parsed.query;
  ctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});

/** `forms` as a query-string field for zod schemas. */
export const formsFilterSchema = z.string().transform((value, ctx) => {
  const parsed = parseForms(value);
  if (parsed.ok) return parsed.forms;
  ctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});
