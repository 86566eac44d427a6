/**
 * Query parameters that only say where a click came from. Dropping them makes the same story
 * carried by two feeds (or by one feed on two days) collapse to one canonical URL.
 */
const TRACKING_PARAMS = new Set([
  '.tsrc', 'ncid', 'cmpid', 'yptr', 'soc_src', 'soc_trk', '__source', 'taid', 'fbclid', 'gclid',
  'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'guccounter', 'guce_referrer', 'guce_referrer_sig', 'sr_share',
]);
/**
 * Names that are real parameters on some sites and tracking on others: dropped only for tracking
 * values. A Map: a link's parameter names are feed data, and `constructor` must not find Object's.
 */
const TRACKING_VALUES = new Map<string, RegExp>([
  // MarketWatch/WSJ/Barron's placement codes: mw_rss_topstories, hp_lead_pos1, article_inline, rss_...
  ['mod', /^(mw_|wsj_|barrons_|rss|hp_|article_|djem|trending|mktw)/i],
  ['ref', /^(rss|feed|atom|newsletter|email|social|twitter|facebook|linkedin|share)/i],
  ['src', /^(rss|feed|atom)/i],
]);

/**
 * A longer link is not an article's: this is the sitemaps protocol's limit and about what every
 * browser and proxy handles, and a link rides in every event, so a feed must not choose its size.
 */
const MAX_URL_CHARS = 2048;

/**
 * The link an article is known by: absolute http(s), no fragment, no tracking parameters, host
 * lower-cased (the URL parser does that and drops default ports). Returns null for anything that
 * is not such a link, so callers drop the item instead of linking users somewhere odd.
 */
export function canonicalUrl(raw: string): string | null {
  const text = raw.trim();
  if (text.length > MAX_URL_CHARS) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || !url.hostname) return null;
  url.hash = '';
  // Filtered on the raw text: going through searchParams would re-serialise what is kept
  // (`%20` → `+`, `flag` → `flag=`), so one link with and without tracking would differ.
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTracking(pair));
  url.search = kept.length ? `?${kept.join('&')}` : '';
  const canonical = url.toString();
  return canonical.length <= MAX_URL_CHARS ? canonical : null;
}

function isTracking(pair: string): boolean {
  const [rawName = '', rawValue = ''] = pair.split(/=(.*)/s);
  const name = safeDecode(rawName).toLowerCase();
  return name.startsWith('utm_') || TRACKING_PARAMS.has(name) || Boolean(TRACKING_VALUES.get(name)?.test(safeDecode(rawValue)));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

const EARLIEST = Date.UTC(1995, 0, 1);
const DAY_MS = 86_400_000;

/**
 * A feed date as ISO, or undefined when missing, unparseable or absurd (before 1995, or more than a
 * day ahead, which is clock skew or a placeholder). Never substitutes "now": a missing date stays
 * missing so the hub can fall back to first-seen time honestly.
 */
export function feedDate(raw: unknown, now = Date.now()): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = withFourDigitYear(raw.trim());
  if (!looksLikeADate(text)) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time) || time < EARLIEST || time > now + DAY_MS) return undefined;
  return new Date(time).toISOString();
}

/** RFC 822 allows "25 Nov 25 13:30:12 GMT"; RFC 2822 §4.3 reads 00–49 as 20xx and 50–99 as 19xx. */
function withFourDigitYear(text: string): string {
  return text.replace(/^((?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+)(\d{2})(\s+\d{1,2}:\d{2})/, (_, head: string, yy: string, tail: string) => {
    const year = Number(yy);
    return `${head}${year < 50 ? 2000 + year : 1900 + year}${tail}`;
  });
}

/**
 * Date.parse is lenient to a fault ("0" is 2000-01-01, "Version 2" is February 2001), so a date must
 * at least carry a four-digit year and one more number (a day or a time) before it is believed.
 */
function looksLikeADate(raw: string): boolean {
  const numbers = raw.match(/\d+/g) ?? [];
  return numbers.length >= 2 && numbers.some((n) => /^(19|20)\d\d$/.test(n));
}
