import { describe, expect, it } from 'vitest';
import { allowedHostnames } from '@/lib/mcp/allowed-hosts';

describe('hosts /api/mcp answers to', () => {
  it('always includes localhost forms, which only a local client can send', () => {
    expect(allowedHostnames({}, [])).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '[::1]']));
  });

  it('adds the Vercel deployment hosts and the hosts of ALLOWED_ORIGINS', () => {
    const hosts = allowedHostnames(
      { VERCEL_URL: 'market-pulse-abc123.vercel.app', VERCEL_PROJECT_PRODUCTION_URL: 'News.Example.com', VERCEL_BRANCH_URL: '' },
      ['https://dash.example.org:8443', 'http://agent.example.test'],
    );
    expect(hosts).toEqual(expect.arrayContaining(['market-pulse-abc123.vercel.app', 'news.example.com', 'dash.example.org', 'agent.example.test']));
    expect(hosts).not.toContain('');
  });

  it('ignores values that are not host names', () => {
    const hosts = allowedHostnames({ VERCEL_URL: 'not a host name' }, ['::::']);
    expect(hosts.sort()).toEqual(allowedHostnames({}, []).sort());
  });
});
