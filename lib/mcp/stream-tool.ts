import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import type { Article, FeedWarning } from '@/lib/contract/article';
import { log } from '@/lib/observability/logger';
import type { StreamEvent } from '@/lib/stream/events';
import { scopeOf } from '@/lib/stream/cursor';
import { checkCursor } from '@/lib/stream/cursor-check';
import type { StartAfter } from '@/lib/stream/news-stream';
import { openStreamSession } from '@/lib/stream/session';
import { registerCall } from './call-registry';
import { articleCount, DEMO_NOTE, headlineList, shortTime, warningLine } from './result-text';
import type { StreamToolArgs, StreamToolOutput } from './tool-schemas';

type ProgressToken = string | number;

/**
 * stream_market_news: runs the news stream session for the call's lifetime, turning each event into
 * a `notifications/progress` for the client's progress token, and answers with every article
 * delivered. The session owns admission, counts and logs; this adapter only speaks MCP.
 */
export async function runStreamTool(args: StreamToolArgs, ctx: ServerContext, request: Request | undefined): Promise<CallToolResult> {
  const { since, ...params } = args;
  const after = await startAfter(since, params.symbol);
  if (!after.ok) return { isError: true, content: [{ type: 'text', text: `Error: ${after.message}` }] };
  // The SDK aborts ctx.mcpReq.signal on cancellation; the HTTP request's own signal (watched by the
  // session) stops the work even where the SDK does not relay a dropped connection.
  const started = await openStreamSession({ request, endpoint: 'mcp', params, after: after.value, signals: [ctx.mcpReq.signal] });
  if (!started.ok) return { isError: true, content: [{ type: 'text', text: `Error: ${started.refusal.message}` }] };
  const { session } = started;
  const unregister = request ? registerCall(request, ctx.mcpReq.id, session.controller) : () => {};
  const progress = new ProgressReporter(ctx, progressTokenOf(ctx), session.controller);
  const startedAt = new Date().toISOString();
  const delivered: Article[] = [];
  let warnings: FeedWarning[] = [];
  let cursor = since ?? '';
  let demo = false;
  let failure: string | undefined;
  try {
    for await (const event of session.events) {
      cursor = event.cursor;
      if (event.type === 'connected') demo = event.demo;
      else if (event.type === 'news') {
        delivered.push(...event.articles);
        warnings = event.warnings;
      } else if (event.type === 'error') failure = event.message;
      await progress.report(event, params.symbol, new Date(session.endsAt).toISOString());
    }
  } catch (error) {
    failure ??= error instanceof Error ? error.message : 'unexpected failure';
  } finally {
    unregister();
  }
  const cancelled = session.endReason() === 'client-gone';
  if (cancelled) log.debug('mcp.stream.cancelled', { streamId: session.streamId, symbol: params.symbol });
  if (failure) {
    return {
      isError: true,
      content: [
        {
          type: 'text',
          text: `Error: ${failure}. ${articleCount(delivered.length, params.symbol)} were delivered before it; call again with since="${cursor}" to continue without repeats.`,
        },
      ],
    };
  }
  const output: StreamToolOutput = { symbol: params.symbol, startedAt, endedAt: new Date().toISOString(), articles: delivered, cursor, demo, warnings };
  return { content: [{ type: 'text', text: resultText(output, cancelled) }], structuredContent: output };
}

/** `since` as the stream takes it: an ISO time, or a verified cursor of this symbol's streams. */
async function startAfter(since: string | undefined, symbol: string): Promise<{ ok: true; value?: StartAfter } | { ok: false; message: string }> {
  if (since === undefined) return { ok: true };
  if (!since.startsWith('v3.')) return { ok: true, value: { time: Date.parse(since) } };
  const check = await checkCursor(since, 'since', scopeOf([symbol]));
  return check.ok ? { ok: true, value: { cursor: check.cursor } } : { ok: false, message: check.message };
}

function resultText(output: StreamToolOutput, cancelled: boolean): string {
  const span = `from ${shortTime(output.startedAt)} to ${shortTime(output.endedAt)}`;
  const lines = [`${cancelled ? 'Stream cancelled. ' : ''}${articleCount(output.articles.length, output.symbol)} ${span}.`];
  if (output.articles.length) lines.push(headlineList(output.articles));
  const warning = warningLine(output.warnings);
  if (warning) lines.push(warning);
  if (output.demo) lines.push(DEMO_NOTE);
  lines.push(`To continue later without repeats, call stream_market_news again with since="${output.cursor}".`);
  return lines.join('\n');
}

/** The client's own progress token (never invented: without one, no progress is sent). */
function progressTokenOf(ctx: ServerContext): ProgressToken | undefined {
  const token = ctx.mcpReq._meta?.progressToken;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}

/**
 * Sends one `notifications/progress` per stream event. The first (connected) goes out at once:
 * it is what makes Next.js send the response headers, so without it a client sees nothing for a
 * whole interval. A notification that cannot be written means the client is gone: stop the work.
 */
class ProgressReporter {
  constructor(
    private readonly ctx: ServerContext,
    private readonly token: ProgressToken | undefined,
    private readonly controller: AbortController,
  ) {}

  async report(event: StreamEvent, symbol: string, endsAt: string): Promise<void> {
    if (this.token === undefined || this.controller.signal.aborted) return;
    const { message, meta } = describe(event, symbol, endsAt);
    try {
      await this.ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken: this.token, progress: event.progress, total: 1, message, _meta: { ...meta, cursor: event.cursor, timestamp: event.timestamp } },
      });
    } catch {
      this.controller.abort();
    }
  }
}

function describe(event: StreamEvent, symbol: string, endsAt: string): { message: string; meta: Record<string, unknown> } {
  switch (event.type) {
    case 'connected':
      return {
        message: `Connected: streaming ${symbol} news until ${shortTime(endsAt)}${event.demo ? ' (demo feed)' : ''}`,
        meta: { status: 'connected', symbol, endsAt, demo: event.demo },
      };
    case 'news': {
      const warning = warningLine(event.warnings);
      return {
        message: `${articleCount(event.articles.length, symbol, 'new ')}${warning ? ` (${warning})` : ''}`,
        meta: { symbol, articles: event.articles, ...(event.warnings.length ? { warnings: event.warnings } : {}) },
      };
    }
    case 'complete':
      return { message: `Stream complete: ${articleCount(event.delivered, symbol)} delivered`, meta: { status: 'complete', symbol } };
    case 'error':
      return { message: `Stream failed: ${event.message}`, meta: { status: 'error', symbol } };
  }
}
