import { describe, expect, it } from 'vitest';
import { cancelCall, registerCall } from '@/lib/mcp/call-registry';

/** What registerCall is given: a call's cancel, recording that it ran. */
function fakeCall() {
  const call = { cancelled: false, cancel: () => void (call.cancelled = true) };
  return call;
}

const request = (ip: string, agent = 'agent/1') => new Request('http://localhost/api/mcp', { method: 'POST', headers: { 'x-forwarded-for': ip, 'user-agent': agent } });

describe('cancelling a call from its own request', () => {
  it('cancels the call the same client started with that id, and only it', () => {
    const mine = fakeCall();
    const other = fakeCall();
    const done = [registerCall(request('10.0.0.1'), 3, mine.cancel), registerCall(request('10.0.0.2'), 3, other.cancel)];
    expect(cancelCall(request('10.0.0.1'), 3)).toBe('cancelled');
    expect(mine.cancelled).toBe(true);
    expect(other.cancelled).toBe(false);
    done.forEach((d) => d());
  });

  it('does not match another id, another user agent or a string id equal to a number', () => {
    const call = fakeCall();
    const done = registerCall(request('10.0.0.3'), 5, call.cancel);
    expect(cancelCall(request('10.0.0.3'), 6)).toBe('unknown');
    expect(cancelCall(request('10.0.0.3', 'other/2'), 5)).toBe('unknown');
    expect(cancelCall(request('10.0.0.3'), '5')).toBe('unknown');
    expect(call.cancelled).toBe(false);
    done();
    expect(cancelCall(request('10.0.0.3'), 5)).toBe('unknown');
  });

  it('cancels nothing when two calls share the client and id (cannot tell which)', () => {
    const a = fakeCall();
    const b = fakeCall();
    const done = [registerCall(request('10.0.0.4'), 1, a.cancel), registerCall(request('10.0.0.4'), 1, b.cancel)];
    expect(cancelCall(request('10.0.0.4'), 1)).toBe('ambiguous');
    expect(a.cancelled || b.cancelled).toBe(false);
    done[0]!();
    expect(cancelCall(request('10.0.0.4'), 1)).toBe('cancelled');
    expect(b.cancelled).toBe(true);
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
      const one = fakeCall();
      const two = fakeCall();
      const done = [registerCall(keyed('key-one-000001'), 1, one.cancel), registerCall(keyed('key-two-000002'), 2, two.cancel)];
      expect(cancelCall(keyed('key-one-000001'), 2)).toBe('unknown');
      expect(cancelCall(request('10.0.0.9'), 2)).toBe('unknown'); // no key: not the same client
      expect(two.cancelled).toBe(false);
      expect(cancelCall(keyed('key-two-000002'), 2)).toBe('cancelled');
      expect(one.cancelled).toBe(false);
      done.forEach((d) => d());
    } finally {
      delete process.env.MCP_API_KEYS;
      resetSettings();
    }
  });
});
