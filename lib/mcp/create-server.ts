import { McpServer, type McpRequestContext } from '@modelcontextprotocol/server';
import { appName, appVersion } from '@/lib/config/settings';
import { log } from '@/lib/observability/logger';
import { requestIdOf } from '@/lib/observability/request-id';
import { cancelCall } from './call-registry';
import { runSnapshotTool } from './snapshot-tool';
import { runStreamTool } from './stream-tool';
import { snapshotToolInputSchema, snapshotToolOutputSchema, streamToolInputSchema, streamToolOutputSchema } from './tool-schemas';

const INSTRUCTIONS =
  'Market news for stock, index, crypto and currency symbols (one, or a watchlist of up to 25) from public financial ' +
  'news feeds. Use get_market_news for the latest headlines right now; use stream_market_news to watch for a while ' +
  '(it reports each batch of new articles as progress and returns everything delivered at the end, with a cursor: ' +
  'pass it as `since` to the next call to keep following without repeats).';

/**
 * One server instance per HTTP request (createMcpHandler calls this for every exchange, modern or
 * legacy): the tools and their schemas are defined once here and serve every protocol era.
 */
export function createNewsServer(context: Pick<McpRequestContext, 'requestInfo'> = {}): McpServer {
  const server = new McpServer(
    { name: appName, title: 'Market Pulse', version: appVersion },
    { capabilities: { tools: { listChanged: false }, logging: {} }, instructions: INSTRUCTIONS },
  );

  server.registerTool(
    'stream_market_news',
    {
      title: 'Stream live market news',
      description:
        'Watch live news for one ticker (`symbol`) or a watchlist of up to 25 (`symbols`) for a period of time ' +
        '(default 60 s), optionally filtered by words (`query`) or SEC form types (`forms`). Sends a progress update at ' +
        'once, then one every `interval` with the articles that are new since the last update, and returns every article ' +
        'delivered plus a `cursor`. Use it to follow breaking news as it happens; for a one-off look at the latest ' +
        'headlines use get_market_news instead. To keep following, call again with `since` set to the returned cursor: ' +
        'the next call starts with what arrived in between, without repeats.',
      inputSchema: streamToolInputSchema(),
      outputSchema: streamToolOutputSchema,
      annotations: { title: 'Stream live market news', readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (args, ctx) => runStreamTool(args, ctx, context.requestInfo ?? ctx.http?.req),
  );

  server.registerTool(
    'get_market_news',
    {
      title: 'Get latest market news',
      description:
        'The latest news headlines for one ticker (`symbol`: stocks such as TSLA or AAPL, indices such as ^GSPC, crypto such ' +
        'as BTC-USD, currencies such as EURUSD=X) or a watchlist (`symbols`), newest first, returned at once with source, ' +
        'time, link, summary and the symbols each concerns; optionally filtered (`query`, `forms`), or only what arrived ' +
        'after an earlier `cursor` (`since`).',
      inputSchema: snapshotToolInputSchema(),
      outputSchema: snapshotToolOutputSchema,
      annotations: { title: 'Get latest market news', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    (args, ctx) => runSnapshotTool(args, ctx, context.requestInfo ?? ctx.http?.req),
  );

  // A 2025-era cancellation arrives on its own request (see call-registry.ts); relay it to the call.
  server.server.setNotificationHandler('notifications/cancelled', (notification) => {
    const requestId = notification.params?.requestId;
    const request = context.requestInfo;
    if (request && requestId !== undefined) {
      const outcome = cancelCall(request, requestId);
      log.info('mcp.cancel', { requestId: requestIdOf(request), outcome });
    }
  });

  return server;
}
