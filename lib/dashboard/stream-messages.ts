import { z } from 'zod';
import type { Article, FeedWarning } from '@/lib/contract/article';
import { validArticles, validWarnings } from './articles';

/**
 * One SSE `data:` payload of GET /api/mcp/stream-news, decoded (API_CONTRACT.md §1, §6.2, §6.3).
 * Single-symbol messages carry `symbol`, watchlist messages `symbols`; both read as `symbols`.
 */
export type StreamMessage =
  | {
      kind: 'connected';
      token: string | number;
      symbols: string[];
      endsAt: string;
      timestamp: string;
      demo: boolean;
      resumed: boolean;
    }
  | {
      kind: 'news';
      token: string | number;
      progress: number;
      symbols: string[];
      timestamp: string;
      articles: Article[];
      warnings: FeedWarning[];
      /** A `since` catch-up held more than it could send (contract §6.2). */
      truncated: boolean;
    }
  | { kind: 'final'; token: string | number; isError: boolean; text: string };

const token = z.union([z.string(), z.number()]);

const progressEnvelope = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.literal('notifications/progress'),
  params: z.object({ progressToken: token, progress: z.number(), message: z.string() }),
});

const finalEnvelope = z.object({
  jsonrpc: z.literal('2.0'),
  id: token,
  result: z.object({
    content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
    isError: z.boolean().optional(),
  }),
});

/** `symbol: "TSLA"` or `symbols: ["TSLA", "AAPL"]`, read as one list. */
const symbolFields = {
  symbol: z.string().optional(),
  symbols: z.array(z.string()).optional(),
};
const symbolsOf = (m: { symbol?: string; symbols?: string[] }): string[] => m.symbols ?? (m.symbol === undefined ? [] : [m.symbol]);

const connectedBody = z.object({
  status: z.literal('connected'),
  timestamp: z.string(),
  ...symbolFields,
  endsAt: z.string(),
  demo: z.boolean().optional(),
  resumed: z.boolean().optional(),
});

const newsBody = z.object({
  timestamp: z.string(),
  ...symbolFields,
  news: z.object({ count: z.number(), articles: z.unknown(), truncated: z.boolean().optional() }),
  warnings: z.unknown().optional(),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Returns null for anything that is not one of the contract's messages, so a stray line cannot break the page. */
export function parseStreamMessage(data: string): StreamMessage | null {
  const json = parseJson(data);
  const final = finalEnvelope.safeParse(json);
  if (final.success) {
    const text = final.data.result.content.map((c) => c.text ?? '').join('\n');
    return { kind: 'final', token: final.data.id, isError: final.data.result.isError === true, text };
  }
  const envelope = progressEnvelope.safeParse(json);
  if (!envelope.success) return null;
  const { progressToken, progress, message } = envelope.data.params;
  const body = parseJson(message);
  const connected = connectedBody.safeParse(body);
  if (connected.success) {
    const c = connected.data;
    return {
      kind: 'connected',
      token: progressToken,
      symbols: symbolsOf(c),
      endsAt: c.endsAt,
      timestamp: c.timestamp,
      demo: c.demo === true,
      resumed: c.resumed === true,
    };
  }
  const news = newsBody.safeParse(body);
  if (!news.success) return null;
  const symbols = symbolsOf(news.data);
  return {
    kind: 'news',
    token: progressToken,
    progress,
    symbols,
    timestamp: news.data.timestamp,
    articles: validArticles(news.data.news.articles),
    warnings: validWarnings(news.data.warnings),
    truncated: news.data.news.truncated === true,
  };
}
