import { describe, expect, it } from 'vitest';
import { ownHostnames } from '@/lib/guard/own-hosts';

describe('the host names the app answers to as itself (own origin, /api/mcp)', () => {
  it('always includes localhost forms, which only a local client can send', () => {
    expect(ownHostnames([], [])).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '[::1]']));
  });

  it('adds the Vercel deployment hosts and the hosts of ALLOWED_ORIGINS', () => {
    const hosts = ownHostnames(
      ['market-pulse-abc123.vercel.app', 'News.Example.com', ''],
      ['https://dash.example.org:8443', 'http://agent.example.test'],
    );
    expect(hosts).toEqual(expect.arrayContaining(['market-pulse-abc123.vercel.app', 'news.example.com', 'dash.example.org', 'agent.example.test']));
    expect(hosts).not.toContain('');
  });

  it('ignores values that are not host names', () => {
    const hosts = ownHostnames(['not a host name'], ['::::']);
    expect(hosts.sort()).toEqual(ownHostnames([], []).sort());
  });
});
