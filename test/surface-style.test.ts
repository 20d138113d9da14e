// Safety requests take the data's surface style, measured here as shares over all injected records
// against the user records (a per-record check cannot see "every injected request ends with ?"):
// how many end with sentence punctuation, how many start with a lower-case letter.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, runCli, tempDir } from './helpers.js';
import { readRecordsIn } from './independent-records.js';

const ENDS = /[.?!]["')\]]*\s*$/;
const share = (xs: string[], f: (x: string) => boolean) => xs.filter(f).length / xs.length;
const startsLower = (t: string) => {
  const m = /\p{L}/u.exec(t);
  return !!m && m[0] === m[0].toLowerCase() && m[0] !== m[0].toUpperCase();
};

/** The request texts of the user records and of the injected ones, read by the tests' own reader. */
function requests(input: string, output: string, field: (v: Record<string, unknown>) => string) {
  const users = readRecordsIn(input, 'jsonl');
  const known = new Set(users.texts);
  const out = readRecordsIn(output, 'jsonl');
  const injected = out.values.filter((_, i) => !known.has(out.texts[i]!)) as Record<string, unknown>[];
  return { user: (users.values as Record<string, unknown>[]).map(field), injected: injected.map(field) };
}

describe("requests in the data's surface style", () => {
  it('NQ (questions never end with punctuation): no injected question does', async () => {
    const dir = tempDir();
    const r = await runCli(['mix', corpus('qa_open_nq_open_dev.jsonl'), '-o', join(dir, 'nq.jsonl'), '--ratio', '0.1', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const q = requests(corpus('qa_open_nq_open_dev.jsonl'), join(dir, 'nq.jsonl'), (v) => String(v.question));
    expect(share(q.user, (t) => ENDS.test(t))).toBe(0);
    expect(q.injected.length).toBe(200);
    expect(share(q.injected, (t) => ENDS.test(t))).toBe(0);
  });

  it('questions of which 60% start lower-case and 30% end with "?": the injected ones within 0.15 of both shares', async () => {
    const dir = tempDir();
    const topics = [
      'the moon',
      'bread dough',
      'a bicycle chain',
      'tomato plants',
      'a violin',
      'old photographs',
      'a sourdough starter',
      'wool sweaters',
      'a fish tank',
      'leather boots',
    ];
    const verbs = [
      'How do I look after',
      'What is the best way to clean',
      'Where can I learn about',
      'Why does it matter how I store',
      'When should I replace',
    ];
    const lines = Array.from({ length: 400 }, (_, i) => {
      let q = `${verbs[i % 5]} ${topics[Math.floor(i / 5) % 10]} in year ${2000 + (i % 25)}`;
      if (i % 10 < 6) q = q[0]!.toLowerCase() + q.slice(1);
      if (i % 10 >= 7) q += '?';
      return JSON.stringify({ question: q, answer: `Keep it dry and check it every few weeks (${i}).` });
    });
    writeFileSync(join(dir, 'q.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['mix', 'q.jsonl', '-o', 'out.jsonl', '--count', '200', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const q = requests(join(dir, 'q.jsonl'), join(dir, 'out.jsonl'), (v) => String(v.question));
    // 200 refusals and 20 balance examples: both take the data's surface style
    expect(q.injected.length).toBe(220);
    expect(Math.abs(share(q.injected, (t) => ENDS.test(t)) - share(q.user, (t) => ENDS.test(t)))).toBeLessThanOrEqual(0.15);
    expect(Math.abs(share(q.injected, startsLower) - share(q.user, startsLower))).toBeLessThanOrEqual(0.15);
  });
});
