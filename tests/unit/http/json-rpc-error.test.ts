import { describe, expect, it } from 'vitest';
import { getOnlyHandlers } from '@/lib/http/allowed-methods';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { queryObject } from '@/lib/http/query';

describe('jsonRpcErrorResponse (contract: errors before the stream are JSON, never HTML)', () => {
  it('has the JSON-RPC error shape, the status, no caching', async () => {
    const res = jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, 'interval must be an integer from 1000 to 300000', { fields: { interval: 'x' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32602, message: 'interval must be an integer from 1000 to 300000', data: { fields: { interval: 'x' } } },
      id: null,
    });
  });

  it('omits data when there is none and carries extra headers (Retry-After)', async () => {
    const res = jsonRpcErrorResponse(429, JsonRpcCode.rateLimited, 'too many streams', undefined, { 'Retry-After': '7' });
    expect(res.headers.get('retry-after')).toBe('7');
    const body = await res.json();
    expect(body.error).not.toHaveProperty('data');
    expect(body.id).toBeNull();
  });

  it('GET-only routes answer other methods 405 in JSON with Allow', async () => {
    const handlers = getOnlyHandlers();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = handlers[method]();
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toContain('GET');
      expect((await res.json()).error.message).toMatch(/GET/);
    }
  });
});

describe('queryObject', () => {
  it('single values as strings, repeats as arrays (so the schema refuses them), ignored names dropped', () => {
    const url = new URL('http://x/api?symbol=tsla&interval=1000&interval=2000&lastEventId=abc&empty=');
    expect(queryObject(url, ['lastEventId'])).toEqual({ symbol: 'tsla', interval: ['1000', '2000'], empty: '' });
  });

  it('decodes percent-escapes and plus signs like a browser form', () => {
    expect(queryObject(new URL('http://x/?symbol=%5EGSPC&q=a+b'))).toEqual({ symbol: '^GSPC', q: 'a b' });
  });
});
