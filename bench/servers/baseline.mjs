/**
 * The practical upper bound for Node on this machine: the same SSE event schedule as the app,
 * served by bare node:http with no framework. Serves GET /api/mcp/stream-news and
 * GET /api/health ({activeStreams}) on 127.0.0.1:$PORT.
 */
import { createServer } from 'node:http';
import { parseParams, runSchedule, SSE_HEADERS } from './sse-schedule.mjs';

let activeStreams = 0;
const startedAt = Date.now();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/api/health') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), activeStreams }));
    return;
  }
  if (url.pathname !== '/api/mcp/stream-news') {
    res.writeHead(404).end();
    return;
  }
  activeStreams += 1;
  res.writeHead(200, SSE_HEADERS);
  const stop = runSchedule(parseParams(url.searchParams), (text) => res.write(text), () => res.end());
  res.on('close', () => {
    stop();
    activeStreams -= 1;
  });
});

const port = Number(process.env.PORT ?? 0);
server.listen(port, '127.0.0.1', 1024, () => {
  console.log(`baseline listening on ${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
