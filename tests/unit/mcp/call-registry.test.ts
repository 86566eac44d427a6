import { describe, expect, it } from 'vitest';
import { cancelCall, registerCall } from '@/lib/mcp/call-registry';

const request = (ip: string, agent = 'agent/1') => new Request('http://localhost/api/mcp', { method: 'POST', headers: { 'x-forwarded-for': ip, 'user-agent': agent } });

describe('cancelling a call from its own request', () => {
  it('aborts the call the same client started with that id, and only it', () => {
    const mine = new AbortController();
    const other = new AbortController();
    const done = [registerCall(request('10.0.0.1'), 3, mine), registerCall(request('10.0.0.2'), 3, other)];
    expect(cancelCall(request('10.0.0.1'), 3)).toBe('cancelled');
    expect(mine.signal.aborted).toBe(true);
    expect(other.signal.aborted).toBe(false);
    done.forEach((d) => d());
  });

  it('does not match another id, another user agent or a string id equal to a number', () => {
    const call = new AbortController();
    const done = registerCall(request('10.0.0.3'), 5, call);
    expect(cancelCall(request('10.0.0.3'), 6)).toBe('unknown');
    expect(cancelCall(request('10.0.0.3', 'other/2'), 5)).toBe('unknown');
    expect(cancelCall(request('10.0.0.3'), '5')).toBe('unknown');
    expect(call.signal.aborted).toBe(false);
    done();
    expect(cancelCall(request('10.0.0.3'), 5)).toBe('unknown');
  });

  it('cancels nothing when two calls share the client and id (cannot tell which)', () => {
    const a = new AbortController();
    const b = new AbortController();
    const done = [registerCall(request('10.0.0.4'), 1, a), registerCall(request('10.0.0.4'), 1, b)];
    expect(cancelCall(request('10.0.0.4'), 1)).toBe('ambiguous');
    expect(a.signal.aborted || b.signal.aborted).toBe(false);
    done[0]!();
    expect(cancelCall(request('10.0.0.4'), 1)).toBe('cancelled');
    expect(b.signal.aborted).toBe(true);
    done[1]!();
  });
});

describe('with API keys configured', () => {
  it('a call is cancelled only with the key that started it, even from the same address and client software', async () => {
    const { resetSettings } = await import('@/lib/config/settings');
    process.env.MCP_API_KEYS = 'key-one-000001,key-two-000002';
    resetSettings();
    try {
      const keyed = (key: string) =>
        new Request('http://localhost/api/mcp', { method: 'POST', headers: { 'x-forwarded-for': '10.0.0.9', 'user-agent': 'agent/1', 'x-api-key': key } });
      const one = new AbortController();
      const two = new AbortController();
      const done = [registerCall(keyed('key-one-000001'), 1, one), registerCall(keyed('key-two-000002'), 2, two)];
      expect(cancelCall(keyed('key-one-000001'), 2)).toBe('unknown');
      expect(cancelCall(request('10.0.0.9'), 2)).toBe('unknown'); // no key: not the same client
      expect(two.signal.aborted).toBe(false);
      expect(cancelCall(keyed('key-two-000002'), 2)).toBe('cancelled');
      expect(one.signal.aborted).toBe(false);
      done.forEach((d) => d());
    } finally {
      delete process.env.MCP_API_KEYS;
      resetSettings();
    }
  });
});
