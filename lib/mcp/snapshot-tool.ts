import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import { getMarketNews } from '@/lib/stream/snapshot';
import { articleCount, DEMO_NOTE, headlineList, shortTime, warningLine } from './result-text';
import type { SnapshotToolArgs, SnapshotToolOutput } from './tool-schemas';

/** get_market_news: the latest headlines at once, as readable text plus structuredContent. */
export async function runSnapshotTool(args: SnapshotToolArgs, ctx: ServerContext): Promise<CallToolResult> {
  const news = await getMarketNews(args, ctx.mcpReq.signal);
  const output: SnapshotToolOutput = {
    symbol: news.symbol,
    fetchedAt: news.fetchedAt,
    articles: news.articles,
    demo: news.demo,
    warnings: news.warnings,
  };
  const lines = [`${articleCount(output.articles.length, output.symbol, 'latest ')} (feeds checked ${shortTime(output.fetchedAt)}).`];
  if (output.articles.length) lines.push(headlineList(output.articles));
  const warning = warningLine(output.warnings);
  if (warning) lines.push(warning);
  if (output.demo) lines.push(DEMO_NOTE);
  return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: output };
}
