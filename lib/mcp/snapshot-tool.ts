import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import { marketNewsFor } from '@/lib/stream/snapshot';
import { articleCount, DEMO_NOTE, headlineList, shortTime, warningLine } from './result-text';
import type { SnapshotToolArgs, SnapshotToolOutput } from './tool-schemas';

/** get_market_news: the latest headlines at once, as readable text plus structuredContent. */
export async function runSnapshotTool(args: SnapshotToolArgs, ctx: ServerContext, request: Request | undefined): Promise<CallToolResult> {
  const outcome = await marketNewsFor(request, 'mcp', args, ctx.mcpReq.signal);
  if (!outcome.ok) return { isError: true, content: [{ type: 'text', text: `Error: ${outcome.refusal.message}` }] };
  const { news } = outcome;
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
