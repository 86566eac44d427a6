/**
 * What the load client sends for stream number i, from a plain (IPC-serialisable) description, so
 * the parent never ships 10,000 URLs over the IPC channel:
 *
 *   baseUrl, params {interval, duration, limit}
 *   symbols: [...]           stream i watches symbols[i % length] (symbol=…)
 *   watchlists: [[...], ...] stream i watches watchlists[i % length] (symbols=A,B,…; contract §6.3)
 *   clients: {base}          stream i comes from its own client: X-Forwarded-For 10.a.b.c, the
 *                            address number base + i (the app trusts it with TRUST_PROXY=true)
 *   sameOrigin: true         Sec-Fetch-Site: same-origin, as the dashboard's EventSource sends: the
 *                            stream endpoint then needs no API key when MCP_API_KEYS is set
 *   headers: {...}           sent with every stream (e.g. an API key)
 *
 * Without clients/sameOrigin/headers it sends exactly what the default bench always sent.
 */

/** Address number k as 10.a.b.c: 16.7 million distinct clients, enough for any N here. */
export function clientAddress(k) {
  return `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
}

export function streamRequest(spec, i) {
  const query = new URLSearchParams(Object.entries(spec.params).map(([k, v]) => [k, String(v)]));
  if (spec.watchlists) query.set('symbols', spec.watchlists[i % spec.watchlists.length].join(','));
  else query.set('symbol', spec.symbols[i % spec.symbols.length]);
  // Asking for compression as browsers' EventSource does: a server that then gzips the stream
  // (buffering it, tripling its memory) shows up as failed streams, not as good figures.
  const headers = { accept: 'text/event-stream', 'accept-encoding': 'gzip, deflate, br', ...spec.headers };
  if (spec.clients) headers['x-forwarded-for'] = clientAddress(spec.clients.base + i);
  if (spec.sameOrigin) headers['sec-fetch-site'] = 'same-origin';
  return { url: `${spec.baseUrl}/api/mcp/stream-news?${query}`, headers };
}
