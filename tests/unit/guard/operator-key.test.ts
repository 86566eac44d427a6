import { afterEach, describe, expect, it, vi } from 'vitest';
import { matchKey, presentedKey } from '@/lib/guard/api-keys';
import { requireApiKey } from '@/lib/guard/operator-key';

const req = (headers: Record<string, string> = {}) => new Request('http://localhost/api/metrics', { headers });
const keys = ['alpha-key-1', 'beta-key-2'];

afterEach(() => vi.restoreAllMocks());

describe('requireApiKey', () => {
  it('lets everything through when no keys are configured', () => {
    expect(requireApiKey(req(), [])).toBeUndefined();
  });

  it('accepts any configured key as X-API-Key or Bearer token', () => {
    expect(requireApiKey(req({ 'X-API-Key': 'alpha-key-1' }), keys)).toBeUndefined();
    expect(requireApiKey(req({ Authorization: 'Bearer beta-key-2' }), keys)).toBeUndefined();
    expect(requireApiKey(req({ Authorization: 'bearer   beta-key-2 ' }), keys)).toBeUndefined();
  });

  it('refuses a missing, wrong, prefix or differently-cased key with a JSON 401, logging no key', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    for (const headers of [{}, { 'X-API-Key': 'wrong' }, { 'X-API-Key': 'alpha-key' }, { 'X-API-Key': 'ALPHA-KEY-1' }, { Authorization: 'Basic alpha-key-1' }] as Array<Record<string, string>>) {
      const res = requireApiKey(req(headers), keys);
      expect(res?.status, JSON.stringify(headers)).toBe(401);
      const body = (await res!.json()) as { jsonrpc: string; error: { code: number; message: string } };
      expect(body.jsonrpc).toBe('2.0');
      expect(body.error.message).toMatch(/API key/);
      expect(res!.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed.event).toBe('guard.refused');
      expect(parsed.reason).toBe('api-key');
      expect(line).not.toMatch(/alpha-key|wrong/i);
    }
  });

  it('compares keys of any length without throwing', () => {
    expect(matchKey('x'.repeat(10_000), keys)).toBeNull();
    expect(matchKey('', keys)).toBeNull();
    expect(matchKey('beta-key-2', keys)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('prefers X-API-Key over Authorization', () => {
    expect(presentedKey(req({ 'X-API-Key': 'a', Authorization: 'Bearer b' }).headers)).toEqual({ kind: 'value', value: 'a' });
    expect(presentedKey(req({ Authorization: 'Bearer' }).headers)).toEqual({ kind: 'malformed' });
  });
});
