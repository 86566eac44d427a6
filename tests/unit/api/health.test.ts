import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetSettings } from '@/lib/config/settings';
import { GET as health } from '@/app/api/health/route';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import { parsePrometheusText } from '@/tests/integration/ops/prometheus-text';

const saved = process.env.MCP_API_KEYS;
beforeAll(() => {
  process.env.MCP_API_KEYS = 'route-test-key';
  resetSettings();
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterAll(() => {
  if (saved === undefined) delete process.env.MCP_API_KEYS;
  else process.env.MCP_API_KEYS = saved;
  resetSettings();
  vi.restoreAllMocks();
});

const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });

describe('GET /api/health', () => {
  it('answers exactly status, version, uptimeSeconds and activeStreams without a key', async () => {
    const res = health(get('/api/health'));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['activeStreams', 'status', 'uptimeSeconds', 'version']);
    expect(body.status).toBe('ok');
  });

  it('requires the key for detail, and adds streams, memory and feeds with it', async () => {
    expect(health(get('/api/health?detail=1')).status).toBe(401);
    expect(health(get('/api/health?detail=true', { 'X-API-Key': 'nope' })).status).toBe(401);
    const res = health(get('/api/health?detail=1', { 'X-API-Key': 'route-test-key' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', streams: { sse: 0, mcp: 0 }, feedSummary: { total: 0 }, feeds: [] });
    expect((body.memory as { rssBytes: number }).rssBytes).toBeGreaterThan(0);
  });

  it('treats detail=0 as plain and rejects other values with a 400 naming the field', async () => {
    expect(Object.keys((await health(get('/api/health?detail=0')).json()) as object)).toHaveLength(4);
    const bad = health(get('/api/health?detail=2'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/detail/);
  });
});

describe('GET /api/metrics', () => {
  it('requires the key and serves valid exposition with it', async () => {
    expect((await metricsRoute(get('/api/metrics'))).status).toBe(401);
    const res = await metricsRoute(get('/api/metrics', { Authorization: 'Bearer route-test-key' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parsePrometheusText(await res.text()).has('market_pulse_streams_open')).toBe(true);
  });
});
