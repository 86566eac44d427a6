import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formsFilterSchema,
  matchesArticle,
  matchesForms,
  matchesQuery,
  mentionedSymbols,
  parseForms,
  parseQuery,
  queryFilterSchema,
  words,
  type ParsedQuery,
} from '@/lib/contract/filters';

function query(q: string): ParsedQuery {
  const parsed = parseQuery(q);
  if (!parsed.ok) throw new Error(`expected ${q} to parse: ${parsed.message}`);
  return parsed.query;
}

describe('words', () => {
  it('cuts on anything that is not a letter, digit or mark, lower-cased', () => {
    expect(words('Tesla’s Q3: 10-Q filed (early)!')).toEqual(['tesla', 's', 'q3', '10', 'q', 'filed', 'early']);
    expect(words('Ünïcode straße ÉLAN 東京 2024')).toEqual(['ünïcode', 'straße', 'élan', '東京', '2024']);
    expect(words('')).toEqual([]);
    expect(words(' -- $$ ')).toEqual([]);
  });

  it('treats compatibility forms as their plain letters (NFKC)', () => {
    expect(words('ｅａｒｎｉｎｇｓ')).toEqual(['earnings']);
    expect(words('ﬁnance')).toEqual(['finance']);
  });
});

describe('parseQuery', () => {
  it.each([
    ['earnings', { include: [['earnings']], exclude: [] }],
    ['Earnings  GUIDANCE', { include: [['earnings'], ['guidance']], exclude: [] }],
    ['"record quarter" recall', { include: [['record', 'quarter'], ['recall']], exclude: [] }],
    ['-rumor', { include: [], exclude: [['rumor']] }],
    ['-"price target" upgrade', { include: [['upgrade']], exclude: [['price', 'target']] }],
    ['10-Q', { include: [['10', 'q']], exclude: [] }],
    ['--term', { include: [], exclude: [['term']] }],
    ['ab"cd ef"', { include: [['ab'], ['cd', 'ef']], exclude: [] }],
    ['\u00a0tabs\tand\nnewlines\u2003', { include: [['tabs'], ['and'], ['newlines']], exclude: [] }],
    ['"  spaced   phrase  "', { include: [['spaced', 'phrase']], exclude: [] }],
  ])('parses %j', (q, expected) => {
    expect(parseQuery(q)).toEqual({ ok: true, query: expected });
  });

  it.each([
    ['', 'q must be 1 to 200 characters'],
    ['x'.repeat(201), 'q must be 1 to 200 characters'],
    ['"open', 'q has an unbalanced double quote'],
    ['a "b c" "d', 'q has an unbalanced double quote'],
    ['   ', 'q has no terms'],
    ['$$$', 'q term "$$$" has no letters or digits'],
    ['tesla -', 'q term "-" has no letters or digits'],
    ['""', 'q term "\\"\\"" has no letters or digits'],
  ])('refuses %j naming q and the rule', (q, message) => {
    expect(parseQuery(q)).toEqual({ ok: false, message });
  });

  it('counts characters, not UTF-16 units, against the 200 limit', () => {
    expect(parseQuery('a'.repeat(200)).ok).toBe(true);
    // 200 code points (399 UTF-16 units) is within the limit; the term's only word is "a".
    expect(parseQuery('📈'.repeat(199) + 'a')).toEqual({ ok: true, query: { include: [['a']], exclude: [] } });
    expect(parseQuery(`a ${'📈'.repeat(198)}`)).toEqual({ ok: false, message: expect.stringContaining('no letters or digits') });
    expect(parseQuery(`a ${'📈'.repeat(199)}`)).toEqual({ ok: false, message: 'q must be 1 to 200 characters' });
  });
});

describe('matchesQuery', () => {
  const cases: Array<[q: string, pass: string[], fail: string[]]> = [
    ['earnings', ['Earnings beat', 'Q3 EARNINGS.', "earnings' surprise", 'pre-earnings call'], ['earningsbeat', 'Learnings', 'earning season']],
    ['"record quarter"', ['A record quarter for Tesla', 'Record   quarter', 'record-quarter'], ['record first quarter', 'quarter record']],
    ['tesla -recall', ['Tesla ships', 'Tesla: demand up'], ['Tesla recall widens', 'recall', 'unrelated']],
    ['-rumor', ['Anything at all', ''], ['Merger rumor denied', 'RUMOR mill']],
    ['-rumor -"short seller"', ['Guidance raised'], ['Short seller report', 'rumor']],
    ['10-Q', ['Files 10-Q', 'Form 10 Q', '10/Q'], ['10-K filed', '110-Q', 'Q10']],
    ['apple nvidia', ['Apple rises', 'Nvidia falls'], ['Microsoft flat']],
    ['élan', ['ÉLAN returns'], ['elan returns']],
    ['"b c"', ['a b c d'], ['a b', 'c d']],
  ];
  for (const [q, pass, fail] of cases) {
    it(`${q}: passes and fails the right texts`, () => {
      const parsed = query(q);
      for (const text of pass) expect(matchesQuery(parsed, text), `${q} should pass ${JSON.stringify(text)}`).toBe(true);
      for (const text of fail) expect(matchesQuery(parsed, text), `${q} should not pass ${JSON.stringify(text)}`).toBe(false);
    });
  }

  it('matches an article on its title or its summary, never across the two', () => {
    const q = query('"record quarter" -recall');
    expect(matchesArticle(q, { title: 'Tesla posts record quarter', summary: '' })).toBe(true);
    expect(matchesArticle(q, { title: 'Tesla', summary: 'A record quarter, says the CEO' })).toBe(true);
    expect(matchesArticle(q, { title: 'A record', summary: 'quarter ahead' })).toBe(false);
    expect(matchesArticle(q, { title: 'Record quarter', summary: 'Despite a recall' })).toBe(false);
  });
});

describe('parseForms', () => {
  it.each([
    ['8-K', ['8-K']],
    ['8-k,10-Q,4', ['8-K', '10-Q', '4']],
    [' 10-q , S-1/A ', ['10-Q', 'S-1/A']],
    ['4,4,4', ['4']],
    ['ABCDEFGHIJKL', ['ABCDEFGHIJKL']],
  ])('parses %j', (raw, forms) => {
    expect(parseForms(raw)).toEqual({ ok: true, forms });
  });

  it.each([
    ['', /^forms must list at least one form type/],
    [' , ', /^forms must list at least one form type/],
    ['8-K,,10-Q', /^forms has an empty entry/],
    ['8-K,', /^forms has an empty entry/],
    ['SC 13G', /^forms entry "SC 13G" must be 1 to 12 letters, digits, "-" or "\/"/],
    ['ABCDEFGHIJKLM', /^forms entry "ABCDEFGHIJKLM" must be/],
    ['8_K', /^forms entry "8_K"/],
    ['8-K;DROP', /^forms entry/],
  ])('refuses %j naming forms', (raw, message) => {
    const parsed = parseForms(raw);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  it('filters filings only: other articles (no form) are unaffected', () => {
    expect(matchesForms(['8-K'], '8-K')).toBe(true);
    expect(matchesForms(['8-K'], '8-k ')).toBe(true);
    expect(matchesForms(['8-K'], '10-Q')).toBe(false);
    expect(matchesForms(['8-K'], undefined)).toBe(true);
  });
});

describe('mentionedSymbols', () => {
  const watch = ['TSLA', 'AAPL', 'BRK.B', '^GSPC', 'BTC-USD', 'EURUSD=X', 'BTC', 'GSPC', 'F'];
  const cases: Array<[text: string, expected: string[]]> = [
    ['TSLA rallies', ['TSLA']],
    ['Buy $TSLA now', ['TSLA']],
    ["TSLA's margins", ['TSLA']],
    ['Tesla (TSLA) and Apple (AAPL)', ['TSLA', 'AAPL']],
    ['Up: TSLA.', ['TSLA']],
    ['TSLA, AAPL; BRK.B!', ['TSLA', 'AAPL', 'BRK.B']],
    ['TSLA-related selling', ['TSLA']],
    ['TSLAX fund', []],
    ['XTSLA', []],
    ['TSLA.X listing', []],
    ['tsla in lower case', []],
    ['Tsla', []],
    ['BRK.B hits high', ['BRK.B']],
    ["BRK.B's buyback", ['BRK.B']],
    ['BRK.BX', []],
    ['The ^GSPC closes up', ['^GSPC']],
    ['GSPC alone', ['GSPC']],
    ['BTC-USD slides', ['BTC-USD']],
    ['BTC slides', ['BTC']],
    ['EURUSD=X at 1.10', ['EURUSD=X']],
    ['EURUSD=XY', []],
    ['F shares; Ford', ['F']],
    ['FORD', []],
    ['', []],
  ];
  it.each(cases)('%j mentions %j', (text, expected) => {
    expect(mentionedSymbols(text, watch)).toEqual(expected.length ? watch.filter((s) => expected.includes(s)) : []);
  });

  it('keeps the order of the watchlist and never repeats', () => {
    expect(mentionedSymbols('AAPL TSLA AAPL TSLA', ['TSLA', 'AAPL', 'TSLA'])).toEqual(['TSLA', 'AAPL']);
  });

  it('finds a later whole-word occurrence after a partial one', () => {
    expect(mentionedSymbols('TSLAX and TSLA', ['TSLA'])).toEqual(['TSLA']);
  });
});

describe('zod field schemas', () => {
  it('parse or report the rule', () => {
    expect(queryFilterSchema.parse('a -b')).toEqual({ include: [['a']], exclude: [['b']] });
    expect(queryFilterSchema.safeParse('"x').error?.issues[0]?.message).toBe('q has an unbalanced double quote');
    expect(formsFilterSchema.parse('8-k')).toEqual(['8-K']);
    expect(formsFilterSchema.safeParse('').success).toBe(false);
  });
});

describe('properties', () => {
  it('never throw on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), (q, text) => {
        const parsed = parseQuery(q);
        if (parsed.ok) matchesQuery(parsed.query, text);
        parseForms(q);
        mentionedSymbols(text, [q, 'TSLA', '']);
      }),
    );
  });

  it('a text containing a plain term as a separate word always passes it', () => {
    const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    fc.assert(
      fc.property(word, fc.array(fc.string({ maxLength: 20 })), (term, noise) => {
        const text = [...noise, term.toUpperCase(), ...noise].join(' ');
        expect(matchesQuery(query(term), text)).toBe(true);
        expect(matchesQuery(query(`-${term}`), text)).toBe(false);
      }),
    );
  });

  it('a term never matches inside a longer word', () => {
    const word = fc.stringMatching(/^[a-z]{1,10}$/);
    fc.assert(
      fc.property(word, word, (term, suffix) => {
        expect(matchesQuery(query(term), `${term}${suffix}`)).toBe(false);
      }),
    );
  });

  it('a watched ticker surrounded by spaces or common punctuation is always found, and never with a letter attached', () => {
    const ticker = fc.stringMatching(/^[A-Z]{1,5}$/);
    const punct = fc.constantFrom(' ', '(', ')', '$', ',', ';', '"', "'s ", ': ');
    fc.assert(
      fc.property(ticker, punct, punct, (t, before, after) => {
        expect(mentionedSymbols(`x${before}${t}${after}y`, [t])).toEqual([t]);
        expect(mentionedSymbols(`${t}X`, [t])).toEqual([]);
      }),
    );
  });
});
