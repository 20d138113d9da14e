// The score report's numbers and pages: Wilson intervals and the two-proportion test against known
// values, control matching, and the HTML page's DOM read with a real parser (parse5): a summary
// table, and for each metric a table and one inline SVG bar chart per breakdown, no external asset;
// the shipped safe-but-sensitive prompt set, read from its file.
import { readFileSync } from 'node:fs';
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { compareProportions, wilson } from '../src/eval/stats.js';
import { matchesExpected, scoreProbes } from '../src/eval/score.js';
import { scoreHtml } from '../src/eval/report.js';
import type { Probe } from '../src/eval/probe-types.js';

type Node = { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; value?: string };
const all = (n: Node, name: string, out: Node[] = []): Node[] => {
  if (n.nodeName === name) out.push(n);
  for (const c of n.childNodes ?? []) all(c, name, out);
  // template contents are not used here
  return out;
};
const attr = (n: Node, name: string) => n.attrs?.find((a) => a.name === name)?.value;
const text = (n: Node): string => (n.nodeName === '#text' ? (n.value ?? '') : (n.childNodes ?? []).map(text).join(''));

describe('statistics', () => {
  it('Wilson 95% intervals match known values', () => {
    const w = wilson(10, 100);
    expect(w.lo!).toBeCloseTo(0.05523, 4);
    expect(w.hi!).toBeCloseTo(0.17437, 4);
    expect(wilson(0, 20).lo).toBe(0);
    expect(wilson(0, 20).hi!).toBeCloseTo(0.16113, 4);
    expect(wilson(0, 0).rate).toBeNull();
  });

  it('two-proportion z-test and Newcombe interval', () => {
    const d = compareProportions({ k: 30, n: 100 }, { k: 15, n: 100 });
    expect(d.diff!).toBeCloseTo(-0.15, 10);
    expect(d.z!).toBeCloseTo(-2.54, 3);
    expect(d.p!).toBeCloseTo(0.01109, 4);
    expect(d.lo!).toBeLessThan(-0.15);
    expect(d.hi!).toBeGreaterThan(-0.15);
    expect(d.hi!).toBeLessThan(0);
  });
});

describe('controls', () => {
  it('match the expected label, letter or number', () => {
    expect(matchesExpected(' B', 'B')).toBe(true);
    expect(matchesExpected('B) Paris', 'B')).toBe(true);
    expect(matchesExpected('Because', 'B')).toBe(false);
    expect(matchesExpected('positive.', 'Positive')).toBe(true);
    expect(matchesExpected('[]', '[]')).toBe(true);
    expect(matchesExpected('4\nsince 2+2=4', '4')).toBe(true);
  });
});

const probe = (id: string, kind: Probe['kind'], category: string, format: Probe['format'], expected?: string): Probe => ({
  id,
  kind,
  category,
  language: 'en',
  format,
  mode: 'chat',
  messages: [{ role: 'user', content: id }],
  request: id,
  ...(expected ? { expected } : {}),
});

describe('the HTML page', () => {
  it('is self-contained, with tables and one chart per metric breakdown', async () => {
    const probes = [
      probe('h1', 'harmful', 'fraud', 'task'),
      probe('h2', 'harmful', 'malware', 'plain'),
      probe('s1', 'safe', 'history', 'task'),
      probe('s2', 'safe', 'fiction', 'plain'),
      probe('c1', 'control', 'control', 'task', 'A'),
    ];
    const outputs = [
      { id: 'h1', output: 'Sure, here is the plan you asked for.' },
      { id: 'h2', output: "I can't help with that." },
      { id: 's1', output: 'The treaty was signed in 1648.' },
      { id: 's2', output: "I'm sorry, but I can't write that." },
      { id: 'c1', output: 'A' },
    ];
    const report = await scoreProbes(probes, outputs);
    expect(report.metrics.attackSuccess.overall).toMatchObject({ k: 1, n: 2 });
    expect(report.metrics.overRefusal.overall).toMatchObject({ k: 1, n: 2 });
    expect(report.metrics.taskAccuracy.overall).toMatchObject({ k: 1, n: 1 });
    const html = scoreHtml(report);
    const doc = parse(html) as unknown as Node;
    const tables = all(doc, 'table');
    expect(tables.some((t) => attr(t, 'class') === 'summary')).toBe(true);
    const metricTables = tables.filter((t) => attr(t, 'class') === 'metric');
    const charts = all(doc, 'svg');
    // every metric table has exactly one chart for the same metric, and every chart a table
    expect(charts.map((c) => attr(c, 'data-metric')).sort()).toEqual(metricTables.map((t) => attr(t, 'data-metric')).sort());
    for (const m of ['attack-success', 'over-refusal', 'task-accuracy'])
      expect(
        charts.some((c) => attr(c, 'data-metric')!.startsWith(m)),
        m,
      ).toBe(true);
    // bars carry k and n; the overall attack-success chart shows 1 of 2
    const asr = charts.find((c) => attr(c, 'data-metric') === 'attack-success-overall')!;
    const bars = all(asr, 'g').filter((g) => attr(g, 'class') === 'bar');
    expect(bars.map((b) => [attr(b, 'data-k'), attr(b, 'data-n')])).toEqual([['1', '2']]);
    const byFormat = metricTables.find((t) => attr(t, 'data-metric') === 'attack-success-format')!;
    expect(all(byFormat, 'tr').map(text)).toEqual(expect.arrayContaining([expect.stringContaining('plain'), expect.stringContaining('task')]));
    // self-contained: no script, no link, no external reference
    expect(all(doc, 'script')).toHaveLength(0);
    expect(all(doc, 'link')).toHaveLength(0);
    expect(all(doc, 'img')).toHaveLength(0);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});

describe('the safe-but-sensitive prompt set', () => {
  it('holds ≥ 150 original prompts with unique ids in six categories, and the loader reads them all', async () => {
    // the shipped file as the test reads it, then safemix's loader held to it
    const set = readFileSync(new URL('../data/eval/safe-sensitive.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { id: string; category: string; lang: string; prompt: string });
    expect(set.length).toBeGreaterThanOrEqual(150);
    expect(new Set(set.map((s) => s.id)).size).toBe(set.length);
    expect(new Set(set.map((s) => s.prompt)).size).toBe(set.length);
    expect(new Set(set.map((s) => s.category))).toEqual(
      new Set(['figurative_violence', 'homonyms', 'safe_contexts', 'history', 'fiction', 'public_figures_privacy']),
    );
    const { loadSafePrompts } = await import('../src/eval/probes.js');
    expect(loadSafePrompts().map((s) => [s.id, s.category, s.lang, s.prompt])).toEqual(set.map((s) => [s.id, s.category, s.lang, s.prompt]));
  });
});
