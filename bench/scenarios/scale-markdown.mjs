/**
 * The readable results of a --scale run: the run and machine, the app's configuration, every
 * scenario's targets in one table, then each scenario's own tables (written by its report()).
 */
import { table } from './summary.mjs';

function machineLine(results) {
  const m = results.machine;
  return `${m.cores} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, Next.js ${m.next}, commit ${m.commit}. ` +
    `Load average (1 min) ${m.loadAverageAtStart[0]} at start, ${m.loadAverageAtEnd[0]} at end; run took ${results.durationMinutes} min.`;
}

function overview(results) {
  const rows = [];
  for (const [id, s] of Object.entries(results.scenarios)) {
    if (s.error) {
      rows.push([`${id}. ${s.title}`, `**failed**: ${s.error.split('\n')[0]}`, '**no**']);
      continue;
    }
    for (const t of s.targets) rows.push([`${id}. ${t.name}`, t.measured, t.met === null ? 'n/a' : t.met ? 'yes' : '**no**']);
  }
  return rows.length ? table(['target', 'measured', 'met'], rows, ['l', 'l', 'c']) : '_No targets._';
}

export function renderScaleMarkdown(results, chartFile) {
  const c = results.config;
  const sections = Object.entries(results.scenarios).map(([id, s]) => [
    `## ${id}. ${s.title}`,
    '',
    s.error ? `**The scenario failed:**\n\n\`\`\`\n${s.error}\n\`\`\`` : s.markdown,
    '',
    `_Scenario ${id} took ${s.minutes} min._`,
    '',
  ].join('\n'));
  return [
    `# Scale benchmark results, ${results.date}${c.mode === 'full' ? '' : ` (${c.mode} mode)`}`,
    '',
    'Produced by `npm run bench -- --scale' + (c.smoke ? ' --smoke' : '') + (c.overridden.length ? ` ${c.overridden.join(' ')}` : '') + (c.reps !== (c.smoke ? 1 : 3) ? ` --reps=${c.reps}` : '') + '`. Raw figures of every run: the JSON file beside this one. ' +
      'Every cell is the median over the repetitions with the spread (min–max) in brackets; ratios are paired by repetition (both sides measured in the same stretch of this run).',
    '',
    `**Run:** ${results.startedAt} (${c.mode}: ${c.reps} repetition(s) per variant, interleaved; ${c.concurrency} opens in flight; a due event missing ${c.graceMs / 1000} s after its tick counts as missing).`,
    '',
    `**Machine:** ${machineLine(results)}`,
    '',
    '**The app as an operator runs it:**',
    '',
    ...results.operator.map((line) => `- ${line}`),
    '',
    '## Targets (measured, not asserted)',
    '',
    overview(results),
    '',
    ...(chartFile ? [`![The run's ratio targets: median, spread over repetitions, target](${chartFile})`, ''] : []),
    ...sections,
    '',
  ].join('\n');
}
