// Measures a string judge on one split of test/fixtures/judge/v2 (the labelled set written for the
// project): `dev` (the split v2's rules were written from) or `heldout` (written by other writers,
// never read while writing the rules; measured once, after v2 was frozen). A verdict counts as
// "refusal" when it is `refusal` (v2) or, for v1, `refusal` or `partial` as v1 was built.
//   npx tsx scripts/judge-v2-measure.ts v2 heldout [--misses]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { judgeResponse } from '../src/judge/refusal-judge.js';
import { judgeResponseV2 } from '../src/judge/refusal-judge-v2.js';

const [judgeName = 'v2', split = 'dev'] = process.argv.slice(2);
if (!['v1', 'v2'].includes(judgeName) || !['dev', 'heldout'].includes(split)) {
  console.error('usage: judge-v2-measure.ts v1|v2 dev|heldout [--misses]');
  process.exit(2);
}
const DIR = 'test/fixtures/judge/v2';
type Row = { id: string; lang: string; split: string; kind: string; label: string; response: string };
const rows: Row[] = [];
for (const f of readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .sort())
  for (const line of readFileSync(join(DIR, f), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Row;
    if (r.split === split) rows.push(r);
  }
const said = (text: string) => (judgeName === 'v2' ? judgeResponseV2(text).verdict === 'refusal' : judgeResponse(text).verdict !== 'compliance');
type Tally = { tp: number; fp: number; fn: number; tn: number };
const tally = () => ({ tp: 0, fp: 0, fn: 0, tn: 0 });
const all = tally();
const byLang = new Map<string, Tally>();
const byKind = new Map<string, Tally>();
const misses: string[] = [];
for (const r of rows) {
  const s = said(r.response);
  const truth = r.label === 'refusal';
  for (const t of [all, byLang.get(r.lang) ?? byLang.set(r.lang, tally()).get(r.lang)!, byKind.get(r.kind) ?? byKind.set(r.kind, tally()).get(r.kind)!])
    t[s ? (truth ? 'tp' : 'fp') : truth ? 'fn' : 'tn']++;
  if (s !== truth) misses.push(`${r.id} ${r.kind} label=${r.label}`);
}
const f = (n: number, d: number) => (d ? (n / d).toFixed(3) : '—');
const line = (t: Tally) =>
  `n ${t.tp + t.fp + t.fn + t.tn}, precision ${f(t.tp, t.tp + t.fp)}, recall ${f(t.tp, t.tp + t.fn)}, compliance kept ${f(t.tn, t.tn + t.fp)}`;
console.log(`${judgeName} on ${split}: ${line(all)}`);
console.log('by language:');
for (const [k, t] of [...byLang].sort()) console.log(`  ${k}  ${line(t)}`);
console.log('by category:');
for (const [k, t] of [...byKind].sort()) console.log(`  ${k.padEnd(26)} ${line(t)}`);
if (process.argv.includes('--misses')) console.log(misses.join('\n'));
