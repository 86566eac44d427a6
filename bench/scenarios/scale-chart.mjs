/**
 * The scale run's chart as a self-contained SVG: every ratio target of the run (the app against
 * the minimal Next.js route, many symbols against few, MCP against SSE), median bar with the
 * repetitions' spread as a whisker, and the target's limit as a red tick. Drawn from the same
 * results object as the Markdown, so the picture cannot disagree with the tables.
 */

const ROW = 34;
const LEFT = 330;
const PLOT = 420;
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** [label, ratio spread, limit, 'max' | 'min' | null] for every ratio the scenarios measured. */
function rowsOf(scenarios, config) {
  const r = (id) => scenarios[id]?.summary?.ratios ?? {};
  const many = `${config.s2.symbols.toLocaleString('en-US')} symbols`;
  const s1 = r(1);
  const s2 = r(2);
  const s4 = r(4);
  return [
    ['1. RSS per stream, app ÷ minimal route', s1.perStream, 1.2, 'max'],
    ['1. cleanup after a mass drop, app ÷ minimal route', s1.cleanup, 1.2, 'max'],
    ['1. first event p50, app ÷ minimal route', s1.firstEventP50, null, null],
    [`2. RSS per stream, ${many} ÷ 4`, s2.perStream, 1.25, 'max'],
    [`2. first event p50, ${many} ÷ 4`, s2.firstEventP50, 1.3, 'max'],
    [`2. connect rate, ${many} ÷ 4`, s2.openRate, 0.8, 'min'],
    ['4. first progress p50, MCP ÷ SSE', s4.firstProgressP50, null, null],
    ['4. RSS per call, MCP ÷ SSE stream', s4.perCall, null, null],
  ].filter(([, ratio]) => ratio && ratio.median !== null);
}

export function renderScaleChart(results) {
  const rows = rowsOf(results.scenarios, results.config);
  if (rows.length === 0) return null;
  const top = Math.max(2, ...rows.map(([, ratio, limit]) => Math.max(ratio.max ?? ratio.median, limit ?? 0))) * 1.05;
  const x = (v) => LEFT + (v / top) * PLOT;
  const height = 56 + rows.length * ROW + 40;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LEFT + PLOT + 40}" height="${height}" viewBox="0 0 ${LEFT + PLOT + 40} ${height}" font-family="system-ui, sans-serif" fill="#111827">`,
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    `<text x="12" y="24" font-size="14" font-weight="600">Scale run ${esc(results.date)}: ratios (median, whisker = min–max over repetitions; red tick = target)</text>`,
  ];
  for (let v = 0; v <= top; v += 0.5) {
    out.push(`<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="40" y2="${height - 34}" stroke="${v === 1 ? '#9ca3af' : '#eef2f7'}"/>`);
    out.push(`<text x="${x(v).toFixed(1)}" y="${height - 18}" font-size="11" text-anchor="middle">${v}×</text>`);
  }
  rows.forEach(([label, ratio, limit, kind], i) => {
    const y = 56 + i * ROW;
    const met = limit === null ? null : kind === 'max' ? ratio.median <= limit : ratio.median >= limit;
    const colour = met === null ? '#6b7280' : met ? '#1f5fbf' : '#c2410c';
    out.push(`<text x="${LEFT - 10}" y="${y + 12}" font-size="12" text-anchor="end">${esc(label)}</text>`);
    out.push(`<rect x="${LEFT}" y="${y + 2}" width="${(x(ratio.median) - LEFT).toFixed(1)}" height="18" fill="${colour}" opacity="0.85"><title>${esc(`${label}: ${ratio.median}× (${ratio.min}–${ratio.max})`)}</title></rect>`);
    if (ratio.min !== null && ratio.max !== null && ratio.min !== ratio.max) {
      out.push(`<line x1="${x(ratio.min).toFixed(1)}" x2="${x(ratio.max).toFixed(1)}" y1="${y + 11}" y2="${y + 11}" stroke="#111827" stroke-width="1.5"/>`);
    }
    out.push(`<text x="${(x(ratio.median) + 6).toFixed(1)}" y="${y + 26}" font-size="10">${ratio.median}×</text>`);
    if (limit !== null) out.push(`<line x1="${x(limit).toFixed(1)}" x2="${x(limit).toFixed(1)}" y1="${y - 2}" y2="${y + 24}" stroke="#dc2626" stroke-width="2.5"/>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
