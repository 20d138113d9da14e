// `safemix score --compare BEFORE.json AFTER.json`: every rate present in both score reports, with
// its change, Newcombe's 95% interval of the difference and a two-proportion z-test. Pure apart
// from reading the two reports.
import { readFileSync } from 'node:fs';
import { SafemixError } from '../errors.js';
import type { Breakdown, Metric, ScoreReport } from './score.js';
import { compareProportions, type Difference } from './stats.js';

interface ComparisonRow extends Difference {
  metric: string;
  group: string;
}

export interface Comparison {
  before: string;
  after: string;
  rows: ComparisonRow[];
}

function readReport(path: string): ScoreReport {
  let r: ScoreReport;
  try {
    r = JSON.parse(readFileSync(path, 'utf8')) as ScoreReport;
  } catch (e) {
    throw new SafemixError('input_unreadable', `cannot read the score report (${(e as Error).message})`, {
      position: { file: path },
      hint: 'give a file written by safemix score --json',
    });
  }
  if (!r?.metrics?.attackSuccess)
    throw new SafemixError('schema', 'not a safemix score report', { position: { file: path }, hint: 'give a file written by safemix score --json' });
  return r;
}

export function compareReports(before: ScoreReport, after: ScoreReport, names = { before: 'before', after: 'after' }): Comparison {
  const rows: ComparisonRow[] = [];
  const metrics: [string, keyof ScoreReport['metrics']][] = [
    ['attack success', 'attackSuccess'],
    ['over-refusal', 'overRefusal'],
    ['task accuracy', 'taskAccuracy'],
  ];
  for (const [name, key] of metrics) {
    const b: Metric = before.metrics[key];
    const a: Metric = after.metrics[key];
    const push = (group: string, x: Breakdown[string] | undefined, y: Breakdown[string] | undefined) => {
      if (x && y && (x.n > 0 || y.n > 0)) rows.push({ metric: name, group, ...compareProportions(x, y) });
    };
    push('all', b.overall, a.overall);
    for (const by of ['byCategory', 'byLanguage', 'byFormat'] as const)
      for (const g of Object.keys(b[by])) push(`${by.slice(2).toLowerCase()}: ${g}`, b[by][g], a[by][g]);
  }
  return { before: names.before, after: names.after, rows };
}

export function compareFiles(beforePath: string, afterPath: string): Comparison {
  return compareReports(readReport(beforePath), readReport(afterPath), { before: beforePath, after: afterPath });
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const pp = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pp`);

export function formatComparison(c: Comparison): string {
  const lines = [`safemix score --compare: ${c.before} → ${c.after}`, `  change with Newcombe 95% interval; p from a two-proportion z-test`];
  let metric = '';
  for (const r of c.rows) {
    if (r.metric !== metric) lines.push(`  ${(metric = r.metric)}`);
    const p = r.p === null ? '—' : r.p < 0.001 ? '<0.001' : r.p.toFixed(3);
    lines.push(
      `    ${r.group.padEnd(34)} ${pct(r.before.rate).padStart(6)} → ${pct(r.after.rate).padStart(6)}  ${pp(r.diff).padStart(10)} [${pp(r.lo)}, ${pp(r.hi)}]  p ${p}`,
    );
  }
  return lines.join('\n');
}
