import { settings } from '@/lib/config/settings';
import { demoArticles } from './demo-source';
import type { FeedSpec } from './feeds';
import { fetchFeed, type Validators } from './fetch/fetch-feed';
import { parseFeed } from './parse/parse-feed';
import type { FeedArticle } from './types';

export type LoadOutcome =
  | { kind: 'articles'; articles: FeedArticle[]; validators: Validators }
  | { kind: 'unchanged'; validators: Validators }
  | { kind: 'error'; errorKind: string; message: string; retryAfterMs?: number };

/**
 * One round for one feed: conditional fetch, then parse. Never throws. `answered` is called as soon
 * as the host has answered: the per-host budget counts the request until then.
 */
export async function loadFeed(spec: FeedSpec, validators: Validators, signal: AbortSignal, answered?: () => void): Promise<LoadOutcome> {
  if (spec.url.startsWith('demo:')) return { kind: 'articles', articles: demoArticles(spec.url), validators: {} };
  const config = settings();
  const fetched = await fetchFeed(spec.url, {
    validators,
    timeoutMs: config.newsFetchTimeoutMs,
    maxBytes: config.newsMaxFeedBytes,
    userAgent: config.newsUserAgent,
    signal,
    answered,
  });
  if (fetched.kind === 'not-modified') return { kind: 'unchanged', validators: fetched.validators };
  if (fetched.kind === 'error') {
    return { kind: 'error', errorKind: fetched.errorKind, message: fetched.message, retryAfterMs: fetched.retryAfterMs };
  }
  const parsed = await parseFeed(fetched.text, { source: spec.source, scope: spec.scope });
  if (!parsed.ok) return { kind: 'error', errorKind: 'parse', message: parsed.error };
  return { kind: 'articles', articles: parsed.articles, validators: fetched.validators };
}
