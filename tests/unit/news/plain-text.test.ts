import { describe, expect, it } from 'vitest';
import { plainText, leadingText, truncate } from '@/lib/news/parse/plain-text';

describe('plainText', () => {
  it('strips tags, decodes entities after stripping, collapses whitespace', () => {
    expect(plainText('<p>Stocks <b>rose</b>&nbsp;2%</p><p>Bonds&#8217; fell</p>')).toBe('Stocks rose 2% Bonds\u2019 fell');
    expect(plainText('  a\n\n\tb  ')).toBe('a b');
    expect(plainText('<![CDATA[<i>x</i>]]>')).toBe('x');
  });

  it('collapses every run of whitespace, of any kind and length, to one space', () => {
    const kinds = [' ', '\t', '\n', '\r', '\u00a0', '\u2003'];
    for (let n = 0; n < 500; n++) {
      const run = Array.from({ length: 1 + (n % 4) }, (_, i) => kinds[(n * 7 + i * 3) % kinds.length]).join('');
      expect(plainText(`a${run}b${run}c`)).toBe('a b c');
    }
  });

  it('block tags separate words; inline tags do not', () => {
    expect(plainText('one<br/>two<div>three</div>fo<b>ur</b>')).toBe('one two three four');
  });

  it('drops script, style and comments with their content', () => {
    expect(plainText('a<script>alert("x")</script>b<style>p{}</style>c<!-- hidden -->d')).toBe('a b c d');
  });

  it('escaped markup in a headline stays visible text, never becomes markup that is stripped', () => {
    expect(plainText('Why &lt;b&gt; tags matter')).toBe('Why <b> tags matter');
  });

  it('keeps comparisons that only look like tags', () => {
    expect(plainText('S&amp;P 500 < 5000 and yields > 4%')).toBe('S&P 500 < 5000 and yields > 4%');
  });
});

describe('truncate (summary at most 300 characters)', () => {
  it('leaves short text alone', () => {
    expect(truncate('short')).toBe('short');
    expect(truncate('x'.repeat(300))).toBe('x'.repeat(300));
  });

  it('cuts at a word boundary with an ellipsis, never over 300', () => {
    const text = 'word '.repeat(100).trim();
    const out = truncate(text);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.endsWith('word…')).toBe(true);
  });

  it('cuts a text without spaces mid-word', () => {
    const out = truncate('x'.repeat(1000));
    expect(out).toBe(`${'x'.repeat(299)}…`);
  });

  it('never leaves half a surrogate pair', () => {
    const out = truncate('\u{1F4C8}'.repeat(400));
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('respects the limit for every length around it', () => {
    for (let n = 290; n <= 320; n++) {
      const text = Array.from({ length: n }, (_, i) => (i % 7 === 6 ? ' ' : 'a')).join('');
      expect(truncate(text).length).toBeLessThanOrEqual(300);
    }
  });
});

describe('plainText on hostile text (linear time)', () => {
  // Sized so that the lazy regexes this replaced take 10–70 s on each (measured: 80 KB of `<p` took
  // 2.8 s, quadratic), which fails the test's timeout, while a linear scan takes milliseconds.
  it.each([
    ['block tag openers', '<p'.repeat(200_000)],
    ['inline tag openers', '<a'.repeat(200_000)],
    ['closing tag openers', '</div'.repeat(80_000)],
    ['an attribute never closed', `<p title="${'<b'.repeat(200_000)}`],
    ['comment openers', '<!--'.repeat(160_000)],
    ['script openers', '<script>'.repeat(125_000)],
    ['CDATA openers', '<![CDATA['.repeat(110_000)],
  ])('%s', (_, html) => {
    const out = plainText(html);
    expect(out.length).toBeLessThanOrEqual(html.length);
  });

  it('a span left open runs to the end, as in an HTML parser', () => {
    expect(plainText('kept<!-- never closed <b>x</b>')).toBe('kept');
    expect(plainText('kept<script>alert(1)')).toBe('kept');
    expect(plainText('kept <![CDATA[and <i>this</i>')).toBe('kept and this');
  });

  it('reads comments and invisible elements inside CDATA too', () => {
    expect(plainText('<![CDATA[a<!-- x -->b<style>p{}</style>c]]>')).toBe('a b c');
  });

  it('closes spans of different kinds one after another', () => {
    expect(plainText('a<style>p{}</style>b<!-- x -->c')).toBe('a b c');
  });
});

describe('leadingText', () => {
  it('is the truncated plain text', () => {
    expect(leadingText('<p>Stocks <b>rose</b></p>')).toBe('Stocks rose');
    const long = `<p>${'Shares moved after the results. '.repeat(1000)}</p>`;
    expect(leadingText(long)).toBe(truncate(plainText(long)));
    expect(leadingText(long).length).toBeLessThanOrEqual(300);
  });

  it('reads only the start of a long text, leaving no half tag, entity or surrogate where it cut', () => {
    const words = 'word '.repeat(40);
    expect(leadingText(`${words}<span class="${'x'.repeat(9000)}">tail`)).toBe(words.trim());
    expect(leadingText(`${words}${' '.repeat(8192 - words.length - 3)}&amp;tail`)).toBe(words.trim());
    expect(leadingText(`${words}${' '.repeat(8192 - words.length - 1)}\u{1F4C8}tail`)).toBe(words.trim());
  });
});
