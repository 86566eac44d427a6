/**
 * The results chart as a self-contained SVG (no plotting dependency): memory per stream and
 * first-event p99 against N, one line per server, N on a log axis.
 */
import { SERVER_KINDS, SERVER_LABELS } from './server-process.mjs';

const COLORS = { baseline: '#2b7a3d', reference: '#1f5fbf', app: '#c2410c' };
const PANEL = { width: 440, height: 300, left: 64, right: 30, top: 40, bottom: 52 };

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A "nice" upper bound and step for a linear axis starting at 0. */
function niceAxis(max) {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return { top: Math.ceil(max / step) * step, step };
}

function panel(x0, title, unit, ns, seriesByKind) {
  const { width, height, left, right, top, bottom } = PANEL;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const values = Object.values(seriesByKind).flat().map((p) => p.y).filter((y) => Number.isFinite(y));
  const { top: yMax, step } = niceAxis(Math.max(...values, 0));
  const logMin = Math.log10(Math.min(...ns));
  const logMax = Math.log10(Math.max(...ns));
  const xOf = (n) => x0 + left + (logMax === logMin ? plotW / 2 : ((Math.log10(n) - logMin) / (logMax - logMin)) * plotW);
  const yOf = (y) => top + plotH - (y / yMax) * plotH;
  const out = [`<text x="${x0 + left}" y="22" font-size="14" font-weight="600">${esc(title)}</text>`];
  for (let y = 0; y <= yMax + step / 2; y += step) {
    const py = yOf(y).toFixed(1);
    out.push(`<line x1="${x0 + left}" x2="${x0 + left + plotW}" y1="${py}" y2="${py}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x0 + left - 6}" y="${py}" font-size="11" text-anchor="end" dominant-baseline="middle">${+y.toFixed(2)}</text>`);
  }
  for (const n of ns) {
    const px = xOf(n).toFixed(1);
    out.push(`<line x1="${px}" x2="${px}" y1="${top}" y2="${top + plotH}" stroke="#f1f5f9"/>`);
    out.push(`<text x="${px}" y="${top + plotH + 16}" font-size="11" text-anchor="middle">${n.toLocaleString('en-US')}</text>`);
  }
  out.push(`<text x="${x0 + left + plotW / 2}" y="${height - 10}" font-size="11" text-anchor="middle">concurrent streams (N, log scale)</text>`);
  out.push(`<text transform="translate(${x0 + 14} ${top + plotH / 2}) rotate(-90)" font-size="11" text-anchor="middle">${esc(unit)}</text>`);
  out.push(`<rect x="${x0 + left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`);
  for (const [kind, points] of Object.entries(seriesByKind)) {
    const drawn = points.filter((p) => Number.isFinite(p.y));
    if (drawn.length === 0) continue;
    const d = drawn.map((p, i) => `${i ? 'L' : 'M'}${xOf(p.n).toFixed(1)},${yOf(p.y).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${COLORS[kind]}" stroke-width="2"/>`);
    for (const p of drawn) {
      out.push(`<circle cx="${xOf(p.n).toFixed(1)}" cy="${yOf(p.y).toFixed(1)}" r="3.5" fill="${COLORS[kind]}"><title>${esc(`${SERVER_LABELS[kind]}, N=${p.n}: ${p.y}`)}</title></circle>`);
    }
  }
  return out.join('\n');
}

/** `summary.byServer[kind][n]` medians → SVG text. */
export function renderChart(summary, config) {
  const kinds = SERVER_KINDS.filter((k) => summary.byServer[k]);
  const series = (metric) =>
    Object.fromEntries(kinds.map((k) => [k, config.ns.map((n) => ({ n, y: summary.byServer[k][n]?.[metric] ?? NaN }))]));
  const width = PANEL.width * 2;
  const legendY = PANEL.height + 8;
  const legend = kinds
    .map((k, i) => {
      const x = PANEL.left + i * 260;
      return `<line x1="${x}" x2="${x + 24}" y1="${legendY}" y2="${legendY}" stroke="${COLORS[k]}" stroke-width="3"/>` +
        `<text x="${x + 30}" y="${legendY}" font-size="12" dominant-baseline="middle">${esc(SERVER_LABELS[k])}</text>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL.height + 24}" viewBox="0 0 ${width} ${PANEL.height + 24}" font-family="system-ui, sans-serif" fill="#111827">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    panel(0, 'Server memory per held stream (RSS)', 'KiB per stream', config.ns, series('perStreamKiB')),
    panel(PANEL.width, 'First-event latency p99 while opening', 'milliseconds', config.ns, series('firstEventP99')),
    legend,
    '</svg>',
    '',
  ].join('\n');
}
