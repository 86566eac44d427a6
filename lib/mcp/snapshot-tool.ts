import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import { readSince } from '@/lib/stream/cursor-check';
import { marketNewsFor } from '@/lib/stream/snapshot';
import { articleCount, DEMO_NOTE, headlineList, shortTime, toolError, warningLine, watchedFields, watchLabel } from './result-text';
import { selectionOf, type SnapshotToolArgs, type SnapshotToolOutput } from './tool-schemas';

/** get_market_news: the latest headlines (or what arrived after `since`) at once, as readable text plus structuredContent. */
export async function runSnapshotTool(args: SnapshotToolArgs, ctx: ServerContext, request: Request | undefined): Promise<CallToolResult> {
  const params = { ...selectionOf(args), limit: args.limit };
  const since = await readSince(params.since, params.symbols, { allowTime: true });
  if (!since.ok) return toolError(since.message);
  const outcome = await marketNewsFor(request, 'mcp', params, since.after, ctx.mcpReq.signal);
  if (!outcome.ok) return toolError(outcome.refusal.message);
  const { symbols, watchlist, ...news } = outcome.news;
  const output: SnapshotToolOutput = { ...watchedFields(symbols, watchlist), ...news };
  const label = watchLabel(symbols);
  const what = since.after ? articleCount(output.articles.length, label, 'new ') : articleCount(output.articles.length, label, 'latest ');
  const lines = [`${what} (feeds checked ${shortTime(output.fetchedAt)}).`];
  if (output.articles.length) lines.push(headlineList(output.articles));
  if (output.truncated) lines.push('Older ones were left out (at most 50 are returned after `since`).');
  const warning = warningLine(output.warnings);
  if (warning) lines.push(warning);
  if (output.demo) lines.push(DEMO_NOTE);
  lines.push(`To get only what arrives after this, call again with since="${output.cursor}".`);
  return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: output };
}
