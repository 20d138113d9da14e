// What the task's answers look like: a closed label set, choice letters, numbers, lists, JSON of a
// given shape, code in a given language, or free text with its length percentiles. Pure.
import { countTextTokens, percentile } from './tokens.js';

export type AnswerSpace =
  | { kind: 'label'; labels: { value: string; count: number }[]; evidence: string }
  | { kind: 'choice'; letters: string[]; evidence: string }
  | { kind: 'number'; evidence: string }
  | { kind: 'list'; format: 'json' | 'json-string'; itemsP50: number; evidence: string }
  | { kind: 'json'; keys: string[]; evidence: string }
  | { kind: 'code'; language: string; evidence: string }
  | { kind: 'text'; chars: Percentiles; tokens: Percentiles; evidence: string }
  | { kind: 'none'; evidence: string };

export interface Percentiles {
  p10: number;
  p50: number;
  p90: number;
  max: number;
}

/** A value at quantile u ∈ [0, 1] of a distribution known by its percentiles (linear between them). */
export function percentileAt(p: Percentiles, u: number): number {
  const points: [number, number][] = [
    [0, Math.min(p.p10, p.p50)],
    [0.1, p.p10],
    [0.5, p.p50],
    [0.9, p.p90],
    [1, Math.max(p.p90, p.max)],
  ];
  for (let i = 1; i < points.length; i++) {
    const [u1, v1] = points[i]!;
    const [u0, v0] = points[i - 1]!;
    if (u <= u1) return Math.round(v0 + ((u - u0) / (u1 - u0 || 1)) * (v1 - v0));
  }
  return p.max;
}

function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  return { p10: percentile(s, 10), p50: percentile(s, 50), p90: percentile(s, 90), max: s.at(-1) ?? 0 };
}

const NUMBER = /^[-+]?\$?\d[\d,]*(\.\d+)?%?$/;
const CHOICE = /^\(?([A-J])\)?[.):]?$/;

/** Closed label set: few distinct short values that repeat. */
export function isLabelLike(values: string[]): boolean {
  const n = values.length;
  if (n < 4) return false;
  const distinct = new Set(values);
  const maxLen = values.reduce((m, v) => Math.max(m, v.length), 0);
  return distinct.size <= Math.min(100, Math.max(2, 0.2 * n)) && distinct.size < n && maxLen <= 48;
}

function guessCodeLanguage(texts: string[]): { language: string; share: number } | undefined {
  const votes = new Map<string, number>();
  for (const t of texts) {
    const lang = codeLanguageOf(t);
    if (lang) votes.set(lang, (votes.get(lang) ?? 0) + 1);
  }
  let best: string | undefined;
  let count = 0;
  for (const [l, c] of votes) if (c > count) [best, count] = [l, c];
  return best && texts.length && count / texts.length >= 0.6 ? { language: best, share: count / texts.length } : undefined;
}

/** A cheap language guess for one code text, or undefined when it does not look like code. */
export function codeLanguageOf(t: string): string | undefined {
  const lines = t.split('\n');
  const indented = lines.filter((l) => /^( {2,}|\t)\S/.test(l)).length;
  if (/^\s*(def |class |import |from \S+ import |return\b|for .+ in .+:|if .+:\s*$)/m.test(t) && (indented > 0 || /^\s*return\b/m.test(t))) return 'python';
  if (/\b(function\s+\w+\s*\(|const \w+ = |let \w+ = |=> \{|console\.log\()/.test(t)) return 'javascript';
  if (/#include\s*<|\bint main\s*\(|std::/.test(t)) return 'c++';
  if (/\bpublic (static )?(class|void|int)\b|System\.out\.println/.test(t)) return 'java';
  if (/^\s*(SELECT|INSERT|UPDATE|CREATE TABLE)\b[\s\S]*\b(FROM|INTO|SET|\()/im.test(t)) return 'sql';
  if (/^#!\/bin\/(ba)?sh|^\s*\$ \w+/m.test(t)) return 'shell';
  return undefined;
}

export function inferAnswerSpace(values: unknown[]): AnswerSpace {
  const n = values.length;
  if (n === 0) return { kind: 'none', evidence: 'no answers in the sample' };
  if (values.every((v) => Array.isArray(v))) {
    const sizes = (values as unknown[][]).map((v) => v.length).sort((a, b) => a - b);
    return { kind: 'list', format: 'json', itemsP50: percentile(sizes, 50), evidence: `all ${n} answers are JSON lists` };
  }
  const texts = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const trimmed = texts.map((t) => t.trim());
  if (isLabelLike(texts)) {
    const counts = new Map<string, number>();
    for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
    const labels = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    if (trimmed.every((t) => CHOICE.test(t)))
      return { kind: 'choice', letters: [...new Set(trimmed.map((t) => CHOICE.exec(t)![1]!))].sort(), evidence: `every answer is a choice letter` };
    return { kind: 'label', labels, evidence: `${labels.length} distinct values over ${n} sampled answers` };
  }
  if (trimmed.every((t) => NUMBER.test(t))) return { kind: 'number', evidence: 'every answer is a number' };
  let lists = 0;
  let objects = 0;
  const keys: string[] = [];
  const itemCounts: number[] = [];
  for (const t of trimmed) {
    if (!(t.startsWith('[') || t.startsWith('{'))) continue;
    try {
      const v = JSON.parse(t);
      if (Array.isArray(v)) (lists++, itemCounts.push(v.length));
      else if (v && typeof v === 'object') {
        objects++;
        for (const k of Object.keys(v)) if (!keys.includes(k)) keys.push(k);
      }
    } catch {
      /* not JSON */
    }
  }
  if (lists / n >= 0.9)
    return {
      kind: 'list',
      format: 'json-string',
      itemsP50: percentile(
        itemCounts.sort((a, b) => a - b),
        50,
      ),
      evidence: `${lists} of ${n} answers are JSON lists written as text`,
    };
  if (objects / n >= 0.9) return { kind: 'json', keys, evidence: `${objects} of ${n} answers are JSON objects` };
  const code = guessCodeLanguage(texts);
  if (code) return { kind: 'code', language: code.language, evidence: `${Math.round(code.share * 100)}% of answers look like ${code.language} code` };
  return {
    kind: 'text',
    chars: percentiles(texts.map((t) => t.length)),
    tokens: percentiles(texts.slice(0, 2000).map((t) => countTextTokens(t))),
    evidence: 'free text',
  };
}
