import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import type { Article, FeedWarning } from '@/lib/contract/article';
import { log } from '@/lib/observability/logger';
import { readSince } from '@/lib/stream/cursor-check';
import type { StreamEvent } from '@/lib/stream/events';
import { openStreamSession, type StreamSession } from '@/lib/stream/session';
import { registerCall } from './call-registry';
import { articleCount, DEMO_NOTE, headlineList, shortTime, toolError, warningLine, watchedFields, watchLabel } from './result-text';
import { selectionOf, type StreamToolArgs, type StreamToolOutput } from './tool-schemas';

type ProgressToken = string | number;

/**
 * stream_market_news: runs the news stream session for the call's lifetime, turning each event into
 * a `notifications/progress` for the client's progress token, and answers with every article
 * delivered. The session owns admission, counts and logs; this adapter only speaks MCP.
 */
export async function runStreamTool(args: StreamToolArgs, ctx: ServerContext, request: Request | undefined): Promise<CallToolResult> {
  const params = { ...selectionOf(args), interval: args.interval, duration: args.duration, limit: args.limit };
  const since = await readSince(params.since, params.symbols, { allowTime: true });
  if (!since.ok) return toolError(since.message);
  const label = watchLabel(params.symbols);
  // The SDK aborts ctx.mcpReq.signal on cancellation; the HTTP request's own signal (watched by the
  // session) stops the work even where the SDK does not relay a dropped connection.
  const started = await openStreamSession({ request, endpoint: 'mcp', params, after: since.after, signals: [ctx.mcpReq.signal] });
  if (!started.ok) return toolError(started.refusal.message);
  const { session } = started;
  const unregister = request ? registerCall(request, ctx.mcpReq.id, () => session.close('client-gone')) : () => {};
  const progress = new ProgressReporter(ctx, progressTokenOf(ctx), session, { label, fields: watchedFields(params.symbols, params.watchlist) });
  const startedAt = new Date().toISOString();
  const delivered: Article[] = [];
  let warnings: FeedWarning[] = [];
  let cursor = params.since ?? '';
  let demo = false;
  let truncated = false;
  let failure: string | undefined;
  try {
    for await (const event of session.events()) {
      cursor = event.cursor;
      if (event.type === 'connected') demo = event.demo;
      else if (event.type === 'news') {
        delivered.push(...event.articles);
        warnings = event.warnings;
        truncated ||= event.truncated === true;
      } else if (event.type === 'error') failure = event.message;
      await progress.report(event, new Date(session.endsAt).toISOString());
    }
  } catch (error) {
    failure ??= error instanceof Error ? error.message : 'unexpected failure';
  } finally {
    unregister();
  }
  const cancelled = session.endReason() === 'client-gone';
  if (cancelled) log.debug('mcp.stream.cancelled', { streamId: session.streamId, symbol: label });
  if (failure) {
    return {
      isError: true,
      content: [
        {
          type: 'text',
          text: `Error: ${failure}. ${articleCount(delivered.length, label)} were delivered before it; call again with since="${cursor}" to continue without repeats.`,
        },
      ],
    };
  }
  const output: StreamToolOutput = {
    ...watchedFields(params.symbols, params.watchlist),
    startedAt,
    endedAt: new Date().toISOString(),
    articles: delivered,
    cursor,
    demo,
    warnings,
    ...(truncated ? { truncated } : {}),
  };
  return { content: [{ type: 'text', text: resultText(output, label, cancelled) }], structuredContent: output };
}

function resultText(output: StreamToolOutput, label: string, cancelled: boolean): string {
  const span = `from ${shortTime(output.startedAt)} to ${shortTime(output.endedAt)}`;
  const lines = [`${cancelled ? 'Stream cancelled. ' : ''}${articleCount(output.articles.length, label)} ${span}.`];
  if (output.truncated) lines.push('The catch-up after `since` left older articles out (at most 50).');
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
    private readonly session: StreamSession,
    private readonly watched: Watched,
  ) {}

  /**
   * Events are pushed ahead of their reports, so the session may have ended while its final event
   * still waits here: only a client that went away is skipped.
   */
  async report(event: StreamEvent, endsAt: string): Promise<void> {
    if (this.token === undefined || this.session.endReason() === 'client-gone') return;
    const { message, meta } = describe(event, this.watched, endsAt);
    try {
      await this.ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken: this.token, progress: event.progress, total: 1, message, _meta: { ...meta, cursor: event.cursor, timestamp: event.timestamp } },
      });
    } catch {
      this.session.close('client-gone');
    }
  }
}

/** What the stream watches: a short label for messages, and `symbol`/`symbols` for `_meta`. */
interface Watched {
  label: string;
  fields: Record<string, unknown>;
}

function describe(event: StreamEvent, { label, fields }: Watched, endsAt: string): { message: string; meta: Record<string, unknown> } {
  switch (event.type) {
    case 'connected':
      return {
        message: `Connected: streaming ${label} news until ${shortTime(endsAt)}${event.demo ? ' (demo feed)' : ''}`,
        meta: { status: 'connected', ...fields, endsAt, demo: event.demo },
      };
    case 'news': {
      const warning = warningLine(event.warnings);
      const articles = { articles: event.articles, ...(event.truncated ? { truncated: true } : {}) };
      return {
        message: `${articleCount(event.articles.length, label, 'new ')}${warning ? ` (${warning})` : ''}`,
        meta: { ...fields, ...articles, ...(event.warnings.length ? { warnings: event.warnings } : {}) },
      };
    }
    case 'complete':
      return { message: `Stream complete: ${articleCount(event.delivered, label)} delivered`, meta: { status: 'complete', ...fields } };
    case 'error':
      return { message: `Stream failed: ${event.message}`, meta: { status: 'error', ...fields } };
  }
}
