import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FeedBehaviour, FeedServer } from '../../tests/support/feed-server';

/**
 * Playwright runs tests in worker processes while the feed server lives in the global setup's
 * process, so tests change fixtures over this small local HTTP API.
 */
export async function startFeedControl(feeds: FeedServer): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.searchParams.get('path') ?? undefined;
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const reply = (status: number, value: unknown) =>
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'POST' && url.pathname === '/set' && path) {
        feeds.set(path, JSON.parse(body) as FeedBehaviour);
        return reply(200, { ok: true });
      }
      if (req.method === 'GET' && url.pathname === '/count') return reply(200, { count: feeds.count(path) });
      reply(404, { error: 'unknown control request' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The worker side of the control API. */
export const feedControl = {
  async set(path: string, behaviour: FeedBehaviour | string): Promise<void> {
    const value: FeedBehaviour = typeof behaviour === 'string' ? { kind: 'feed', body: behaviour } : behaviour;
    const res = await fetch(`${controlUrl()}/set?path=${encodeURIComponent(path)}`, { method: 'POST', body: JSON.stringify(value) });
    if (!res.ok) throw new Error(`feed control: set ${path} answered ${res.status}`);
  },
  async count(path?: string): Promise<number> {
    const query = path === undefined ? '' : `?path=${encodeURIComponent(path)}`;
    const res = await fetch(`${controlUrl()}/count${query}`);
    return ((await res.json()) as { count: number }).count;
  },
};

function controlUrl(): string {
  const url = process.env.E2E_FEED_CONTROL_URL;
  if (!url) throw new Error('E2E_FEED_CONTROL_URL is not set: run through playwright.config.ts (its globalSetup starts the feed server)');
  return url;
}
