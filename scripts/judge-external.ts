// Writes the list of every disagreement between the frozen string judge and the external labels
// (safety_bianchi_refusals_alpaca.json outputs are refusals, instruct_alpaca_en_demo.json outputs are
// compliances) as Markdown on standard output, for docs/judge.md. Record texts are not copied (the
// corpus is test-only data): each line gives the file, the 0-based record index, the verdict, the
// phrase that decided it, and a coarse shape of the output computed from its opening words.
import { readFileSync } from 'node:fs';
import { judgeResponse, refused } from '../src/judge/refusal-judge.js';

const read = (f: string) => (JSON.parse(readFileSync(new URL(`../test/corpus/${f}`, import.meta.url), 'utf8')) as { output: string }[]).map((r) => r.output);

function shape(output: string, evidence: string | undefined): string {
  const o = output.trim().toLowerCase();
  if (evidence?.includes('…')) return 'refusal flipped by a concession word';
  if (/^as an ai\b/.test(o)) return 'AI disclaimer, then content';
  if (/^(no|never)[,.!]/.test(o)) return '"No, …" correction';
  if (/^(there is no|it is not|it's not|it is never|it is important|it is illegal|it is unethical|that is not|that's not|this is not)/.test(o))
    return 'correction or caution, no refusal phrase';
  if (/^(i'm sorry|i am sorry|sorry)/.test(o)) return 'apology without a refusal verb';
  if (/\?\s*$/.test(o) && o.length < 200) return 'clarifying question';
  return 'answers the request';
}

const lines: string[] = ['| file | record | verdict | evidence | shape of the output |', '|---|---|---|---|---|'];
const counts = new Map<string, number>();
for (const [file, expectRefusal] of [
  ['safety_bianchi_refusals_alpaca.json', true],
  ['instruct_alpaca_en_demo.json', false],
] as const) {
  read(file).forEach((output, i) => {
    const j = judgeResponse(output);
    if (refused(j.verdict) === expectRefusal) return;
    const s = shape(output, j.evidence);
    counts.set(`${file}: ${s}`, (counts.get(`${file}: ${s}`) ?? 0) + 1);
    lines.push(`| ${file.split('_')[1]} | ${i} | ${j.verdict} | ${(j.evidence ?? '').replace(/\|/g, '\\|')} | ${s} |`);
  });
}
process.stdout.write(['Counts by shape:', '', ...[...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `- ${k}: ${v}`), '', ...lines, ''].join('\n'));
