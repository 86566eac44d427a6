import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import { admitStream } from '@/lib/guard/admit-stream';
import { streamMarketNews } from '@/lib/mcp/news-tool';
import type { StreamEvent } from '@/lib/mcp/stream-events';
import type { Article, FeedWarning } from '@/lib/news/types';
import { log } from '@/lib/observability/logger';
import type { StreamEndReason } from '@/lib/observability/metrics';
import { requestIdOf } from '@/lib/observability/request-id';
import { observeStream } from '@/lib/observability/stream-observer';
import { trackStream } from '@/lib/streams/active-streams';
import { registerCall } from './call-registry';
import { articleCount, DEMO_NOTE, headlineList, shortTime, warningLine } from './result-text';
import type { StreamToolArgs, StreamToolOutput } from './tool-schemas';

type ProgressToken = string | number;

/**
 * stream_market_news: runs the shared news stream (`streamMarketNews`) for the call's lifetime,
 * turning each event into a `notifications/progress` for the client's progress token, and answers
 * with every article delivered. Admission (rate and concurrency limits) and the active-stream count
 * cover the call; both are released however it ends.
 */
export async function runStreamTool(args: StreamToolArgs, ctx: ServerContext, request: Request | undefined): Promise<CallToolResult> {
  const admission = request ? await admitStream(request, 'mcp') : undefined;
  if (admission && !admission.ok) {
    return { isError: true, content: [{ type: 'text', text: `Error: ${admission.message}` }] };
  }

  // The SDK aborts ctx.mcpReq.signal on cancellation; the HTTP request's own signal is watched too
  // so a dropped connection stops the work even where the SDK does not relay it.
  const controller = new AbortController();
  const stop = () => controller.abort();
  const signals = [ctx.mcpReq.signal, request?.signal].filter((s): s is AbortSignal => s !== undefined);
  for (const s of signals) {
    if (s.aborted) controller.abort();
    else s.addEventListener('abort', stop, { once: true });
  }

  const unregister = request ? registerCall(request, ctx.mcpReq.id, controller) : () => {};
  const untrack = trackStream('mcp');
  const token = progressTokenOf(ctx);
  const progress = new ProgressReporter(ctx, token, controller);
  const { since, ...params } = args;
  const delivered: Article[] = [];
  let warnings: FeedWarning[] = [];
  let cursor = since ?? '';
  let demo = false;
  let streamId = 'unknown';
  let endsAt = '';
  let failure: string | undefined;
  let reason: StreamEndReason = 'complete';
  const startedAt = new Date().toISOString();
  let observer: ReturnType<typeof observeStream> | undefined;

  try {
    for await (const event of streamMarketNews(params, { signal: controller.signal, since })) {
      cursor = event.cursor;
      if (event.type === 'connected') {
        streamId = event.streamId;
        endsAt = event.endsAt;
        demo = event.demo;
        if (admission?.ok) admission.bind(event.streamId, Date.parse(event.endsAt));
        observer = observeStream({
          endpoint: 'mcp',
          streamId,
          requestId: request ? requestIdOf(request) : 'unknown',
          symbol: params.symbol,
          resumed: Boolean(since),
          interval: params.interval,
          duration: params.duration,
        });
      } else if (event.type === 'news') {
        delivered.push(...event.articles);
        warnings = event.warnings;
      } else if (event.type === 'error') {
        failure = event.message;
      }
      observer?.sent(event);
      await progress.report(event, params.symbol, endsAt);
    }
    if (controller.signal.aborted) reason = 'client-gone';
    else if (failure) reason = 'error';
  } catch (error) {
    reason = controller.signal.aborted ? 'client-gone' : 'error';
    failure ??= error instanceof Error ? error.message : 'unexpected failure';
  } finally {
    for (const s of signals) s.removeEventListener('abort', stop);
    controller.abort();
    unregister();
    untrack();
    if (admission?.ok) admission.release();
    observer?.end(reason);
  }

  if (reason === 'client-gone') log.debug('mcp.stream.cancelled', { streamId, symbol: params.symbol });
  const output: StreamToolOutput = {
    symbol: params.symbol,
    startedAt,
    endedAt: new Date().toISOString(),
    articles: delivered,
    cursor,
    demo,
    warnings,
  };
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
  return { content: [{ type: 'text', text: resultText(output, reason === 'client-gone') }], structuredContent: output };
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
