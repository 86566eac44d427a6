import { describe, expect, it } from 'vitest';
import { parseSettings } from '@/lib/config/settings';

describe('parseSettings', () => {
  it('has the contract defaults', () => {
    const { settings, problems } = parseSettings({});
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      apiKeys: [],
      allowedOrigins: [],
      ratePerMinute: 10,
      maxStreamsPerClient: 5,
      trustProxy: false,
      onVercel: false,
      state: { kind: 'memory' },
      newsFetchTimeoutMs: 5000,
      newsMinPollMs: 5000,
      streamMaxDurationMs: 300_000,
      streamHeartbeatMs: 15_000,
      logLevel: 'info',
    });
  });

  it('trusts the proxy on Vercel by default and picks the store', () => {
    const r = parseSettings({ VERCEL: '1', KV_REST_API_URL: 'https://kv.example', KV_REST_API_TOKEN: 't', REDIS_URL: 'redis://r:6379' });
    expect(r.settings.trustProxy).toBe(true);
    expect(r.settings.state).toEqual({ kind: 'upstash', url: 'https://kv.example', token: 't' });
    expect(parseSettings({ REDIS_URL: 'redis://r:6379' }).settings.state).toEqual({ kind: 'redis', url: 'redis://r:6379' });
  });

  it('treats an empty or blank value as unset', () => {
    const r = parseSettings({ RATE_LIMIT_PER_MINUTE: '', TRUST_PROXY: '  ', NEWS_FETCH_TIMEOUT_MS: ' ' });
    expect(r.problems).toEqual([]);
    expect(r.settings).toMatchObject({ ratePerMinute: 10, trustProxy: false, newsFetchTimeoutMs: 5000 });
  });

  it.each([
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ MAX_STREAMS_PER_CLIENT: 'lots' }, 'MAX_STREAMS_PER_CLIENT'],
    [{ ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path' }, 'ALLOWED_ORIGINS'],
    [{ ALLOWED_ORIGINS: 'null' }, 'ALLOWED_ORIGINS'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ REDIS_URL: 'http://r' }, 'REDIS_URL'],
    [{ UPSTASH_REDIS_REST_URL: 'https://u.example' }, 'UPSTASH_REDIS_REST_TOKEN'],
  ])('fails closed on %j, naming the variable and never its value', (raw, name) => {
    const { problems } = parseSettings(raw);
    expect(problems.map((p) => p.rule)).toEqual(['fail-closed']);
    const text = problems.map((p) => `${p.variable}: ${p.message}`).join(' ');
    expect(text).toContain(name);
    expect(text).not.toContain('bad.example/path');
  });

  it('falls back to the default, and says so, for an invalid setting that is not about security', () => {
    const { settings, problems } = parseSettings({ NEWS_FETCH_TIMEOUT_MS: 'soon', STREAM_HEARTBEAT_MS: '10', LOG_LEVEL: 'chatty' });
    expect(settings).toMatchObject({ newsFetchTimeoutMs: 5000, streamHeartbeatMs: 15_000, logLevel: 'info' });
    expect(problems.map((p) => [p.variable, p.rule])).toEqual([
      ['NEWS_FETCH_TIMEOUT_MS', 'default'],
      ['STREAM_HEARTBEAT_MS', 'default'],
      ['LOG_LEVEL', 'default'],
    ]);
    expect(problems[1]!.message).toBe('STREAM_HEARTBEAT_MS must be an integer from 1000 to 300000');
  });

  it('does not echo a secret in a problem', () => {
    expect(parseSettings({ MCP_API_KEYS: 'fine-key,has space-secret-123' }).problems).toEqual([]); // comma/space separated: two keys
    const bad = parseSettings({ MCP_API_KEYS: `secret-${'x'.repeat(300)}` });
    expect(bad.problems).toHaveLength(1);
    expect(JSON.stringify(bad.problems)).not.toContain('secret-');
  });
});

describe('the User-Agent sent to feeds', () => {
  it('is an honest product token, with the operator contact as a comment when NEWS_USER_AGENT is set', () => {
    expect(parseSettings({}).settings).toMatchObject({ newsUserAgent: expect.stringMatching(/^market-pulse\/\d+\.\d+\.\d+$/), newsContact: false });
    const { settings } = parseSettings({ NEWS_USER_AGENT: 'Acme Research (ops@acme.example)\r\nX-Evil: 1' });
    expect(settings.newsUserAgent).toMatch(/^market-pulse\/\d+\.\d+\.\d+ \(Acme Research ops@acme\.example X-Evil: 1\)$/);
    expect(settings.newsContact).toBe(true);
    expect(JSON.stringify(parseSettings({}).settings)).not.toMatch(/github|https?:/);
  });
});
