import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCursorCodec, scopeOf } from '@/lib/stream/cursor';
import { TEST_CURSOR_SECRET } from '@/tests/support/cursors';
import { snapshotToolInputSchema, streamToolInputSchema, streamToolOutputSchema } from '@/lib/mcp/tool-schemas';

const issues = (result: { success: boolean; error?: z.ZodError }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('stream_market_news arguments', () => {
  const schema = streamToolInputSchema();

  it('fills the contract defaults and normalises the symbol', () => {
    expect(schema.parse({ symbol: ' brk.b ' })).toEqual({ symbol: 'BRK.B', interval: 10_000, duration: 60_000, limit: 10 });
  });

  it.each([
    [{ symbol: 'TSLA', interval: 999 }, 'interval: must be an integer from 1000 to 300000 (milliseconds)'],
    [{ symbol: 'TSLA', interval: 300_001 }, 'interval: must be an integer from 1000 to 300000 (milliseconds)'],
    [{ symbol: 'TSLA', interval: '5000' }, 'interval: must be an integer from 1000 to 300000 (milliseconds)'],
    [{ symbol: 'TSLA', duration: 2.5 }, 'duration: must be an integer from 1000 to 300000 (milliseconds)'],
    [{ symbol: 'TSLA', limit: 51 }, 'limit: must be an integer from 1 to 50'],
    [{ symbol: 'TS LA' }, 'symbol: must be a ticker matching'],
    [{ symbol: 'X'.repeat(40) }, 'symbol: must be at most 12 characters'],
    [{ symbol: 7 }, 'symbol: must be a ticker string'],
    [{ symbol: 'TSLA', since: 'last tuesday' }, 'since: must be an ISO 8601 time'],
    [{ symbol: 'TSLA', since: '2026-13-45T99:00:00Z' }, 'since: must be an ISO 8601 time'],
    // Either tool's cursor and an SSE event id are accepted, and the message says so.
    [{ symbol: 'TSLA', since: 'garbage' }, "since: must be an ISO 8601 time (e.g. 2026-01-31T14:00:00Z) or a cursor this API returned: a result's or progress update's `cursor`, or an SSE event id"],
    [{ symbol: 'TSLA', forms: [] }, 'forms: must list 1 or more SEC form types of 1 to 12 letters, digits, "-" or "/"'],
    [{ symbol: 'TSLA', forms: '8-K' }, 'forms: must list 1 or more SEC form types'],
  ])('%j is refused naming the field and the allowed range', (args, message) => {
    const result = schema.safeParse(args);
    expect(result.success).toBe(false);
    expect(issues(result).join('; ')).toContain(message);
  });

  it('refuses unknown arguments by name (a misspelt one would otherwise be silently ignored)', () => {
    const result = schema.safeParse({ symbol: 'TSLA', intervall: 5000 });
    expect(result.success).toBe(false);
    expect(issues(result).join('; ')).toContain('unknown argument(s) intervall; the arguments are symbol, symbols, interval, duration, limit, since, query, forms');
  });

  it('accepts an ISO time or a cursor as since', () => {
    expect(schema.parse({ symbol: 'TSLA', since: '2026-01-31T14:00:00Z' }).since).toBe('2026-01-31T14:00:00Z');
    expect(schema.parse({ symbol: 'TSLA', since: '2026-01-31T14:00:00.123+01:00' }).since).toBeDefined();
    const cursor = createCursorCodec(TEST_CURSOR_SECRET).encode({
      streamId: 'abcdefgh12',
      startedAt: 1000,
      endsAt: 5000,
      at: 2000,
      epoch: 'abcd1234',
      seq: 7,
      scope: scopeOf(['TSLA']),
    });
    expect(schema.parse({ symbol: 'TSLA', since: cursor }).since).toBe(cursor);
    // Its signature is checked when the call runs; here only the shape counts.
    expect(schema.safeParse({ symbol: 'TSLA', since: 'v2.abc' }).success).toBe(false);
  });

  it('is listed as plain JSON Schema a model can read: integers with bounds, symbol or symbols', () => {
    const json = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, Record<string, unknown>>; required?: string[]; additionalProperties: boolean };
    expect(json.required ?? []).toEqual([]);
    expect(json.properties.symbols).toMatchObject({ type: 'array', minItems: 1, maxItems: 25 });
    // The bounds the server enforces, stated where a model reads them (contract §6.4).
    expect(json.properties.query).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    const formPattern = new RegExp((json.properties.forms!.items as { pattern: string }).pattern);
    expect(['8-K', '10-Q', ' 4 ', 'SC13G'].every((form) => formPattern.test(form))).toBe(true);
    expect(['SC 13G', 'TOOLONGFORMTYPE', '', '8-K;'].some((form) => formPattern.test(form))).toBe(false);
    expect(json.additionalProperties).toBe(false);
    expect(json.properties.interval).toMatchObject({ type: 'integer', minimum: 1000, maximum: 300_000, default: 10_000 });
    expect(json.properties.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 50 });
    for (const property of Object.values(json.properties)) expect(property.description).toBeTruthy();
  });
});

describe('get_market_news arguments', () => {
  it('takes symbol and limit only', () => {
    const schema = snapshotToolInputSchema();
    expect(schema.parse({ symbol: '^gspc' })).toEqual({ symbol: '^GSPC', limit: 10 });
    expect(schema.safeParse({ symbol: 'TSLA', interval: 1000 }).success).toBe(false);
  });
});

describe('stream_market_news output', () => {
  it('accepts articles without publishedAt (firstSeenAt instead) and refuses an unknown scope', () => {
    const base = { symbol: 'TSLA', startedAt: 'a', endedAt: 'b', cursor: 'c', demo: false, warnings: [] };
    const article = { id: '1', title: 't', url: 'https://x', source: 's', firstSeenAt: '2026-01-01T00:00:00Z', scope: 'symbol', summary: '', symbols: ['TSLA'] };
    expect(streamToolOutputSchema.safeParse({ ...base, articles: [article] }).success).toBe(true);
    expect(streamToolOutputSchema.safeParse({ ...base, articles: [{ ...article, scope: 'world' }] }).success).toBe(false);
  });
});
