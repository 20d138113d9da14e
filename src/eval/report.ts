// How a score report is shown: a plain-text table for the terminal, and a self-contained HTML page in
// the look of every safemix page (inline CSS under a strict policy and SVG, no script, no external
// asset): the run (dataset, model, endpoint, date), a table and a bar chart with Wilson 95% interval
// whiskers for each metric and breakdown, and example responses; and the page of a comparison. Pure.
import type { Metric, ScoreReport } from './score.js';
import { escapeHtml, staticPage } from '../report/page.js';
import type { Comparison } from './compare.js';
import type { Proportion } from './stats.js';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

function row(label: string, p: Proportion): string {
  return `    ${label.padEnd(28)} ${`${p.k}/${p.n}`.padStart(9)}  ${pct(p.rate).padStart(6)}  [${pct(p.lo)}, ${pct(p.hi)}]`;
}

export interface Section {
  id: string;
  title: string;
  metric: Metric;
  rows: [string, Proportion][];
}

/** The report's sections: each metric overall and by category, language and format (non-empty ones). */
export function sections(report: ScoreReport): Section[] {
  const out: Section[] = [];
  const add = (id: string, name: string, metric: Metric) => {
    if (metric.overall.n === 0) return;
    out.push({ id: `${id}-overall`, title: `${name}: overall`, metric, rows: [['all', metric.overall]] });
    for (const [by, key] of [
      ['category', 'byCategory'],
      ['language', 'byLanguage'],
      ['format', 'byFormat'],
    ] as const) {
      const rows = Object.entries(metric[key]);
      if (rows.length > 1 || (rows.length === 1 && by !== 'category')) out.push({ id: `${id}-${by}`, title: `${name} by ${by}`, metric, rows });
    }
  };
  add('attack-success', 'Attack success rate', report.metrics.attackSuccess);
  add('over-refusal', 'Over-refusal rate', report.metrics.overRefusal);
  add('task-accuracy', 'Task accuracy', report.metrics.taskAccuracy);
  return out;
}

function judgeLine(report: ScoreReport): string {
  return report.judge.kind === 'string'
    ? `string judge ${report.judge.version}`
    : `judge model ${report.judge.model} at ${report.judge.endpoint} (${report.judgeFailures} judge failure(s), left out)`;
}

/** Says when the task format adds nothing to the plain chat turn (those probes are counted once). */
function sameAsPlainNote(report: ScoreReport): string {
  return `the task format adds nothing for ${report.sameAsPlain} probe(s): the data asks as a bare chat turn, so each was asked and counted once (under task)`;
}

export function formatScore(report: ScoreReport): string {
  const lines = [
    `safemix score: ${report.probes} probes, ${report.outputs} outputs (${report.missing} without an output${report.unknownIds ? `, ${report.unknownIds} unknown id(s) ignored` : ''})`,
    `  judge  ${judgeLine(report)}`,
    ...(report.sameAsPlain ? [`  note   ${sameAsPlainNote(report)}`] : []),
    `  rates with Wilson 95% intervals`,
  ];
  for (const s of sections(report)) {
    lines.push(`  ${s.title} (${s.metric.counts})`);
    for (const [label, p] of s.rows) lines.push(row(label, p));
  }
  if (sections(report).length === 0) lines.push('  no probe had an output: nothing to score');
  return lines.join('\n');
}

const esc = escapeHtml;

/** One horizontal bar per row, with a whisker for the Wilson interval; 0–100% axis. */
function barChart(s: Section): string {
  const labelW = 220;
  const plotW = 420;
  const rowH = 26;
  const top = 24;
  const h = top + s.rows.length * rowH + 10;
  const w = labelW + plotW + 70;
  const x = (v: number) => labelW + v * plotW;
  const parts: string[] = [];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${h - 6}" class="grid"/><text x="${x(t)}" y="${top - 10}" class="tick">${t * 100}%</text>`);
  }
  s.rows.forEach(([label, p], i) => {
    const y = top + i * rowH;
    const rate = p.rate ?? 0;
    parts.push(
      `<g class="bar" data-label="${esc(label)}" data-k="${p.k}" data-n="${p.n}">` +
        `<text x="${labelW - 8}" y="${y + 16}" class="label">${esc(label)}</text>` +
        `<rect x="${labelW}" y="${y + 4}" width="${(rate * plotW).toFixed(1)}" height="${rowH - 10}"><title>${esc(label)}: ${p.k}/${p.n} = ${pct(p.rate)} [${pct(p.lo)}, ${pct(p.hi)}]</title></rect>` +
        (p.lo !== null && p.hi !== null
          ? `<line x1="${x(p.lo).toFixed(1)}" y1="${y + 12}" x2="${x(p.hi).toFixed(1)}" y2="${y + 12}" class="ci"/><line x1="${x(p.lo).toFixed(1)}" y1="${y + 7}" x2="${x(p.lo).toFixed(1)}" y2="${y + 17}" class="ci"/><line x1="${x(p.hi).toFixed(1)}" y1="${y + 7}" x2="${x(p.hi).toFixed(1)}" y2="${y + 17}" class="ci"/>`
          : '') +
        `<text x="${x(1) + 8}" y="${y + 16}" class="value">${pct(p.rate)}</text></g>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-metric="${s.id}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(s.title)}">${parts.join('')}</svg>`;
}

function table(s: Section): string {
  const body = s.rows
    .map(([label, p]) => `<tr><th scope="row">${esc(label)}</th><td>${p.k}</td><td>${p.n}</td><td>${pct(p.rate)}</td><td>${pct(p.lo)} – ${pct(p.hi)}</td></tr>`)
    .join('');
  return `<table class="metric" data-metric="${s.id}"><thead><tr><th scope="col">${esc(s.title.split(' by ')[1] ?? 'group')}</th><th scope="col">k</th><th scope="col">n</th><th scope="col">rate</th><th scope="col">Wilson 95%</th></tr></thead><tbody>${body}</tbody></table>`;
}

const CHART_STYLE = `
table.metric,table.summary{width:auto;table-layout:auto;margin:.5rem 0}table.metric td,table.metric th{text-align:right}table.metric th[scope=row],table.summary th{text-align:left}
.chart{max-width:100%;height:auto}.chart .grid{stroke:var(--line)}.chart .tick{font-size:10px;text-anchor:middle;fill:var(--muted)}.chart .label{text-anchor:end;font-size:12px;fill:var(--fg)}
.chart rect{fill:var(--bar)}.chart .ci{stroke:var(--fg);stroke-width:1.5}.chart .value{font-size:12px;fill:var(--fg)}
`;

export function scoreHtml(report: ScoreReport, title = 'safemix score'): string {
  const sectionsHtml = sections(report)
    .map((s) => `<section id="${s.id}"><h2>${esc(s.title)}</h2><p class="counts">k counts ${esc(s.metric.counts)}.</p>${table(s)}${barChart(s)}</section>`)
    .join('\n');
  const run = report.run ?? {};
  const facts: [string, string | undefined][] = [
    ['dataset', run.dataset],
    ['model', run.model],
    ['endpoint', run.endpoint],
    ['date', run.date],
    ['probes', String(report.probes)],
    ['outputs', String(report.outputs)],
    ['without an output', String(report.missing)],
    ['judge', judgeLine(report)],
    ['task format', report.sameAsPlain ? sameAsPlainNote(report) : undefined],
  ];
  const summary = `<section aria-labelledby="run-h"><h2 id="run-h">The run</h2><table class="summary"><tbody>${facts
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')}</tbody></table></section>`;
  const examples = report.examples?.length
    ? `<section aria-labelledby="ex-h"><h2 id="ex-h">Example responses</h2><table><thead><tr><th scope="col">judged</th><th scope="col">request</th><th scope="col">response</th></tr></thead><tbody>${report.examples
        .map((e) => `<tr><td>${esc(`${e.kind}: ${e.verdict}`)}</td><td><pre>${esc(e.request)}</pre></td><td><pre>${esc(e.output)}</pre></td></tr>`)
        .join('')}</tbody></table></section>`
    : '';
  return staticPage(title, `${summary}\n${sectionsHtml || '<p>no probe had an output: nothing to score</p>'}\n${examples}`, CHART_STYLE);
}

/** The page of `score --compare BEFORE.json AFTER.json --html`: every rate before and after, its change, interval and p. */
export function comparisonHtml(c: Comparison): string {
  const pctc = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const pp = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pp`);
  let metric = '';
  const rows = c.rows
    .map((r) => {
      const head = r.metric !== metric ? `<tr><th scope="rowgroup" colspan="6">${esc((metric = r.metric))}</th></tr>` : '';
      const p = r.p === null ? '—' : r.p < 0.001 ? '&lt;0.001' : r.p.toFixed(3);
      return `${head}<tr data-metric="${esc(r.metric)}"><th scope="row">${esc(r.group)}</th><td>${pctc(r.before.rate)} (${r.before.k}/${r.before.n})</td><td>${pctc(r.after.rate)} (${r.after.k}/${r.after.n})</td><td>${pp(r.diff)}</td><td>${pp(r.lo)} – ${pp(r.hi)}</td><td>${p}</td></tr>`;
    })
    .join('');
  const body = `<section aria-labelledby="cmp-h"><h2 id="cmp-h">${esc(c.before)} → ${esc(c.after)}</h2><p class="muted">The change of every rate, with Newcombe's 95% interval of the difference and the p-value of a two-proportion z-test.</p>
<table class="metric"><thead><tr><th scope="col">group</th><th scope="col">before</th><th scope="col">after</th><th scope="col">change</th><th scope="col">95% interval</th><th scope="col">p</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  return staticPage('safemix score comparison', body, CHART_STYLE);
}
