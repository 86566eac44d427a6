import { settings } from '@/lib/config/settings';
import { log } from '@/lib/observability/logger';

/** One concrete feed to poll. `key` identifies it process-wide (and deployment-wide with Redis). */
export interface FeedSpec {
  key: string;
  url: string;
  source: string;
  scope: 'symbol' | 'market';
  /** The symbol a per-symbol feed is about. */
  symbol?: string;
}

interface FeedTemplate {
  url: string;
  source?: string;
  /** Built-in per-symbol feeds that only make sense for some symbols (e.g. SEC filings for equities). */
  appliesTo?: (symbol: string) => boolean;
}

const plainEquity = (symbol: string) => /^[A-Z]{1,5}(\.[A-Z])?$/.test(symbol);

/**
 * Real public feeds, chosen for reliability and for needing no API key:
 * - Yahoo Finance per-ticker headlines: the widest ticker coverage (equities, indices, crypto, FX).
 * - SEC EDGAR filings (Atom) per ticker: primary-source 8-K/10-Q events; equities only, and SEC
 *   asks for a contact in the User-Agent (NEWS_USER_AGENT).
 * - CNBC Top News and Investing sections: market-wide context, updated all day.
 * - MarketWatch top stories: a second market-wide source from a different newsroom.
 */
const builtInFeeds: FeedTemplate[] = [
  { url: 'https://feeds.finance.yahoo.com/rss/2.0/headline?s={symbol}&region=US&lang=en-US', source: 'Yahoo Finance' },
  {
    url: 'https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK={symbol}&type=&dateb=&owner=include&count=40&output=atom',
    source: 'SEC EDGAR',
    appliesTo: plainEquity,
  },
  { url: 'https://www.cnbc.com/id/100003114/device/rss/rss.html', source: 'CNBC Top News' },
  { url: 'https://www.cnbc.com/id/15839069/device/rss/rss.html', source: 'CNBC Investing' },
  { url: 'https://feeds.content.dowjones.io/public/rss/mw_topstories', source: 'MarketWatch' },
];

const knownSources: Array<[RegExp, string]> = [
  [/(^|\.)yahoo\.com$/, 'Yahoo Finance'],
  [/(^|\.)sec\.gov$/, 'SEC EDGAR'],
  [/(^|\.)cnbc\.com$/, 'CNBC'],
  [/(^|\.)(marketwatch\.com|dowjones\.io)$/, 'MarketWatch'],
];

function sourceName(url: string): string {
  const host = new URL(url.replace(/\{symbol\}/g, 'X')).hostname.toLowerCase();
  return knownSources.find(([re]) => re.test(host))?.[1] ?? host.replace(/^www\./, '');
}

export type FeedConfig = { mode: 'demo' } | { mode: 'feeds'; templates: FeedTemplate[] };

/** Parses NEWS_FEEDS: `demo`, or URLs separated by commas or whitespace. Invalid URLs are reported and skipped. */
export function parseFeedConfig(raw: string | undefined): { config: FeedConfig; invalid: string[] } {
  if (raw === undefined || raw.trim() === '') return { config: { mode: 'feeds', templates: builtInFeeds }, invalid: [] };
  if (raw.trim().toLowerCase() === 'demo') return { config: { mode: 'demo' }, invalid: [] };
  const invalid: string[] = [];
  const templates: FeedTemplate[] = [];
  for (const entry of raw.split(/[\s,]+/).filter(Boolean)) {
    try {
      const parsed = new URL(entry.replace(/\{symbol\}/g, 'X'));
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
      templates.push({ url: entry, source: sourceName(entry) });
    } catch {
      invalid.push(entry);
    }
  }
  return { config: { mode: 'feeds', templates }, invalid };
}

let cachedConfig: FeedConfig | undefined;

export function feedConfig(): FeedConfig {
  if (cachedConfig) return cachedConfig;
  const { config, invalid } = parseFeedConfig(settings().newsFeeds);
  // Query strings and user-info are left out of the log: a feed URL may carry a token or a password.
  for (const entry of invalid) {
    log.error('config.invalid_feed', { variable: 'NEWS_FEEDS', entry: entry.split('?')[0]!.replace(/^([^/]*\/\/)[^/@]*@/, '$1'), problem: 'not an http(s) URL; skipped' });
  }
  if (config.mode === 'feeds' && config.templates.length === 0) {
    log.error('config.no_feeds', { variable: 'NEWS_FEEDS', problem: 'no valid feed URL: streams will carry no news' });
  }
  cachedConfig = config;
  return cachedConfig;
}

export function isDemoMode(): boolean {
  return feedConfig().mode === 'demo';
}

/** The feeds to poll for one symbol: its per-symbol feeds, then the market-wide ones. */
export function feedsForSymbol(symbol: string, config: FeedConfig = feedConfig()): FeedSpec[] {
  if (config.mode === 'demo') {
    return [
      { key: `demo:symbol:${symbol}`, url: `demo:${symbol}`, source: 'Market Pulse Demo', scope: 'symbol', symbol },
      { key: 'demo:market', url: 'demo:market', source: 'Market Pulse Demo', scope: 'market' },
    ];
  }
  return config.templates
    .filter((t) => !t.url.includes('{symbol}') || !t.appliesTo || t.appliesTo(symbol))
    .map((t): FeedSpec => {
      const url = t.url.replace(/\{symbol\}/g, encodeURIComponent(symbol));
      const base = { key: url, url, source: t.source ?? sourceName(t.url) };
      return t.url.includes('{symbol}') ? { ...base, scope: 'symbol', symbol } : { ...base, scope: 'market' };
    });
}

/**
 * The feeds of a watchlist: each symbol's own feeds, then the market-wide ones once. Ordered by
 * symbol, whatever order they were asked in, so every instance lists a watchlist's feeds alike
 * (cursors name feeds by position).
 */
export function feedsForSymbols(symbols: readonly string[], config: FeedConfig = feedConfig()): FeedSpec[] {
  const byKey = new Map<string, FeedSpec>();
  const all = [...symbols].sort().flatMap((symbol) => feedsForSymbol(symbol, config));
  for (const spec of [...all.filter((f) => f.scope === 'symbol'), ...all.filter((f) => f.scope === 'market')]) {
    if (!byKey.has(spec.key)) byKey.set(spec.key, spec);
  }
  return [...byKey.values()];
}

/**
 * Query parameters whose values are credentials in common feed APIs, or may be. Over-matching only
 * hides a harmless value from an operator's view; under-matching shows a credential.
 */
const SECRET_PARAM = /key|token|secret|sig|auth|pass|pwd|credential|session|jwt|private|hash|code|^k$/i;

/**
 * A feed URL fit for logs and the key-protected health detail: user-info dropped and
 * credential-looking query values replaced, so a feed URL carrying an API key does not leak it.
 */
export function describeFeed(url: string): string {
  if (url.startsWith('demo:')) return url;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.hash = '';
    for (const name of [...new Set(parsed.searchParams.keys())]) {
      if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, 'redacted');
    }
    return parsed.toString();
  } catch {
    return 'invalid feed URL';
  }
}
