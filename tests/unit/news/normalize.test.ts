import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl, feedDate } from '@/lib/news/parse/normalize';

describe('canonicalUrl', () => {
  it.each([
    ['https://finance.yahoo.com/news/a-1.html?.tsrc=rss', 'https://finance.yahoo.com/news/a-1.html'],
    ['https://www.marketwatch.com/story/x-1?mod=mw_rss_topstories', 'https://www.marketwatch.com/story/x-1'],
    ['https://www.marketwatch.com/story/x-1?mod=hp_lead_pos1&page=2', 'https://www.marketwatch.com/story/x-1?page=2'],
    ['https://www.cnbc.com/a.html?__source=rss&utm_source=rss&utm_medium=feed#anchor', 'https://www.cnbc.com/a.html'],
    ['https://WWW.CNBC.COM:443/a.html', 'https://www.cnbc.com/a.html'],
    ['  https://example.com/a  ', 'https://example.com/a'],
    ['https://example.com/a?id=5&UTM_Campaign=x&fbclid=abc&gclid=1', 'https://example.com/a?id=5'],
  ])('%s → %s', (raw, expected) => {
    expect(canonicalUrl(raw)).toBe(expected);
  });

  it('keeps parameters that are real on some sites (mod, ref, src with non-tracking values)', () => {
    expect(canonicalUrl('https://example.com/search?mod=admin&ref=v2&src=img')).toBe('https://example.com/search?mod=admin&ref=v2&src=img');
  });

  it('refuses a link longer than 2,048 characters, before or after canonicalising', () => {
    const path = 'p'.repeat(2048 - 'https://a.example/'.length);
    expect(canonicalUrl(` https://a.example/${path} \n`)).toBe(`https://a.example/${path}`);
    expect(canonicalUrl(`https://a.example/${path}x`)).toBeNull();
    // Each space becomes %20: short enough as given, too long as the link it would be known by.
    expect(canonicalUrl(`https://a.example/${' '.repeat(1000)}${'p'.repeat(500)}`)).toBeNull();
  });

  it.each(['', 'not a url', '/relative/path', 'javascript:alert(1)', 'data:text/html,x', 'ftp://example.com/a', 'https://user:pw@example.com/a', 'mailto:a@b.c'])(
    'refuses %j',
    (raw) => {
      expect(canonicalUrl(raw)).toBeNull();
    },
  );

  it('keeps parameters named like Object properties (constructor, __proto__) instead of throwing', () => {
    expect(canonicalUrl('https://a.example/x?constructor=1&__proto__=2&mod=rss_x')).toBe('https://a.example/x?constructor=1&__proto__=2');
  });

  it('never throws, whatever the parameters (property)', () => {
    const name = fc.oneof(fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'mod', 'ref', 'src', 'utm_x', '%E0%A4%A'), fc.string());
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string())), (pairs) => {
        const query = pairs.map(([k, v]) => `${k.startsWith('%') ? k : encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const url = canonicalUrl(`https://a.example/p?${query}`);
        expect(url === null || url.startsWith('https://a.example/p')).toBe(true);
      }),
    );
  });

  it('is idempotent', () => {
    for (const raw of ['https://a.example/x?q=1&utm_source=y', 'https://a.example/x?q=a%20b', 'https://a.example/x?flag']) {
      const once = canonicalUrl(raw)!;
      expect(canonicalUrl(once)).toBe(once);
    }
  });

  // Regression: removing tracking parameters through url.searchParams re-serialised the query
  // ("%20" → "+", "flag" → "flag="), so cross-feed dedupe by canonical URL missed the same story.
  it('the same link with and without tracking parameters has one canonical form', () => {
    expect(canonicalUrl('https://a.example/x?q=a%20b&utm_source=rss')).toBe(canonicalUrl('https://a.example/x?q=a%20b'));
    expect(canonicalUrl('https://a.example/x?flag&utm_source=rss')).toBe(canonicalUrl('https://a.example/x?flag'));
  });
});

describe('feedDate', () => {
  const now = Date.UTC(2026, 10, 25, 14, 0, 0);

  it.each([
    ['Tue, 25 Nov 2025 13:30:12 +0000', '2025-11-25T13:30:12.000Z'],
    ['Tue, 25 Nov 2025 13:30:12 GMT', '2025-11-25T13:30:12.000Z'],
    ['Tue, 25 Nov 2025 08:30:12 EST', '2025-11-25T13:30:12.000Z'],
    ['2025-10-23T16:05:12-04:00', '2025-10-23T20:05:12.000Z'],
    ['  2025-10-23T20:05:12Z ', '2025-10-23T20:05:12.000Z'],
  ])('%j → %s', (raw, iso) => {
    expect(feedDate(raw, now)).toBe(iso);
  });

  it.each(['', 'TBA', 'Version 2', '0', '1', 'null', '2025-13-45T99:99:99Z', '1970-01-01T00:00:00Z', '2099-01-01T00:00:00Z'])(
    'gives nothing for %j',
    (raw) => {
      expect(feedDate(raw, now)).toBeUndefined();
    },
  );

  // RSS 2.0 dates are RFC 822, where "the year may be expressed with two characters or four
  // characters"; the RSS 2.0 spec's own example is "Sat, 07 Sep 2002 00:00:01 GMT" but two-digit
  // forms like "Sat, 07 Sep 02 00:00:01 GMT" are valid too and must not be dropped.
  it('accepts an RFC 822 date with a two-digit year (valid RSS 2.0)', () => {
    expect(feedDate('Tue, 25 Nov 25 13:30:12 GMT', now)).toBe('2025-11-25T13:30:12.000Z');
  });

  it('accepts up to a day of clock skew, not more', () => {
    expect(feedDate(new Date(now + 3_600_000).toUTCString(), now)).toBeDefined();
    expect(feedDate(new Date(now + 2 * 86_400_000).toUTCString(), now)).toBeUndefined();
  });

  it('ignores non-strings', () => {
    expect(feedDate(undefined, now)).toBeUndefined();
    expect(feedDate(1_700_000_000_000, now)).toBeUndefined();
  });
});
