import { describe, expect, it } from 'vitest';
import { matchKey, presentedKey } from '@/lib/guard/api-keys';
import { clientId, clientIp, normaliseIp } from '@/lib/guard/client-identity';
import { isSameOrigin, judgeOrigin } from '@/lib/guard/origins';

const h = (init: Record<string, string>) => new Headers(init);

describe('presentedKey', () => {
  it.each([
    [{}, { kind: 'none' }],
    [{ 'x-api-key': 'k1' }, { kind: 'value', value: 'k1' }],
    [{ authorization: 'Bearer k1' }, { kind: 'value', value: 'k1' }],
    [{ authorization: 'bearer   k1 ' }, { kind: 'value', value: 'k1' }],
    [{ 'x-api-key': 'k1', authorization: 'Bearer other' }, { kind: 'value', value: 'k1' }],
    [{ 'x-api-key': '' }, { kind: 'malformed' }],
    [{ 'x-api-key': '   ' }, { kind: 'malformed' }],
    [{ authorization: 'Basic azE6' }, { kind: 'malformed' }],
    [{ authorization: 'Bearer a b' }, { kind: 'malformed' }],
    [{ 'x-api-key': 'x'.repeat(5000) }, { kind: 'malformed' }],
  ])('%j → %j', (headers, expected) => {
    expect(presentedKey(h(headers))).toEqual(expected);
  });
});

describe('matchKey', () => {
  const keys = ['alpha-key-1', 'beta-key-2'];
  it('accepts every configured key (rotation) and names it by a stable id, not the key', () => {
    const a = matchKey('alpha-key-1', keys);
    const b = matchKey('beta-key-2', keys);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toMatch(/^[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
    expect(matchKey('alpha-key-1', ['beta-key-2', 'alpha-key-1'])).toBe(a);
  });
  it.each(['', 'alpha-key', 'alpha-key-11', 'ALPHA-KEY-1', 'x'.repeat(10_000), 'älpha-key-1', 'alpha-key-1\u0000'])('refuses %j', (value) => {
    expect(matchKey(value, keys)).toBeNull();
  });
});

describe('judgeOrigin', () => {
  const base = { host: 'app.example:3000' };
  const rules = (allowedOrigins: string[], trustProxy = false, ownHosts = ['localhost', 'app.example', 'news.example']) => ({ allowedOrigins, trustProxy, ownHosts });
  it.each([
    [{}, 'none'],
    [{ origin: 'http://app.example:3000' }, 'self'],
    [{ origin: 'https://partner.example' }, 'allowed'],
    [{ origin: 'https://evil.example' }, 'denied'],
    [{ origin: 'null' }, 'denied'],
    [{ origin: 'https://partner.example/' }, 'denied'],
    [{ origin: 'https://partner.example.evil.example' }, 'denied'],
    [{ origin: 'file://' }, 'denied'],
    [{ origin: 'javascript:alert(1)' }, 'denied'],
    [{ origin: `https://${'a'.repeat(600)}.example` }, 'denied'],
    [{ origin: 'http://app.example:3000', 'x-forwarded-host': 'evil.example' }, 'self'],
    // Host and Origin agreeing on a name that is not the app's own: both are the client's to write.
    [{ host: 'evil.example', origin: 'http://evil.example' }, 'denied'],
    [{ host: 'evil.example:3000', origin: 'http://evil.example:3000' }, 'denied'],
  ])('%j → %s', (headers, kind) => {
    expect(judgeOrigin(h({ ...base, ...headers }), rules(['https://partner.example'])).kind).toBe(kind);
  });
  it('uses X-Forwarded-Host as the own host only behind a trusted proxy', () => {
    const headers = h({ host: 'internal:3000', 'x-forwarded-host': 'news.example', origin: 'https://news.example' });
    expect(judgeOrigin(headers, rules([], true)).kind).toBe('self');
    expect(judgeOrigin(headers, rules([], false)).kind).toBe('denied');
    expect(judgeOrigin(headers, rules([], true, ['localhost'])).kind).toBe('denied');
  });
  it('recognises the dashboard only with Sec-Fetch-Site: same-origin and no foreign Origin', () => {
    const self = h({ host: 'a:1', 'sec-fetch-site': 'same-origin' });
    expect(isSameOrigin(self, judgeOrigin(self, rules([])))).toBe(true);
    const cross = h({ host: 'a:1', 'sec-fetch-site': 'cross-site' });
    expect(isSameOrigin(cross, judgeOrigin(cross, rules([])))).toBe(false);
    const allowed = h({ host: 'a:1', 'sec-fetch-site': 'same-origin', origin: 'https://partner.example' });
    expect(isSameOrigin(allowed, judgeOrigin(allowed, rules(['https://partner.example'])))).toBe(false);
  });
});

describe('client identity', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['[2001:db8::1]', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not-an-ip', null],
    ['', null],
  ])('normaliseIp(%j) = %j', (raw, expected) => {
    expect(normaliseIp(raw)).toBe(expected);
  });
  it('reads the address the nearest hop appended, not what the client claims', () => {
    expect(clientIp(h({ 'x-forwarded-for': '1.1.1.1, 198.51.100.4' }), { onVercel: false })).toBe('198.51.100.4');
    expect(clientIp(h({ 'x-real-ip': '198.51.100.9', 'x-forwarded-for': '1.1.1.1' }), { onVercel: true })).toBe('198.51.100.9');
    expect(clientIp(h({}), { onVercel: false })).toBe('unknown');
  });
  it('is the key when a configured key is presented, else the IP (an unknown key is no identity)', () => {
    const settings = { apiKeys: ['k-1'], trustProxy: false, onVercel: false };
    const ip = { 'x-forwarded-for': '198.51.100.4' };
    expect(clientId(h({ ...ip, 'x-api-key': 'k-1' }), settings)).toMatch(/^key:[0-9a-f]{16}$/);
    expect(clientId(h({ ...ip, 'x-api-key': 'made-up' }), settings)).toBe('ip:198.51.100.4');
    expect(clientId(h({ ...ip, 'x-api-key': 'k-1' }), { ...settings, apiKeys: [] })).toBe('ip:198.51.100.4');
  });
});
