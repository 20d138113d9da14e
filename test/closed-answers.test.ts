// What a safety record puts in a closed answer slot. A label set with a value that marks a harmful
// request (XSTest's safe/unsafe) gets that value, with sibling fields taken from user records that
// carry it; a set without one (sentiment, topic, intent ids) is declined by policy (exit 4) with the
// ways out, and each way out works; feedback flags get the desirable value, scores the highest;
// numbers in an answer wrapper (GSM8K's `#### N`) are content, never filled with a second refusal.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, runCli, tempDir } from './helpers.js';
import { readRecordsIn } from './independent-records.js';

type Row = Record<string, unknown>;

/** The injected records of an output: those not among the input's records (by their text). */
function injectedRows(input: string, output: string, container: 'jsonl' | 'csv' | 'tsv', header = true): Row[] {
  const before = new Set(readRecordsIn(input, container, { header }).texts);
  const after = readRecordsIn(output, container, { header });
  return after.values.filter((_, i) => !before.has(after.texts[i]!)) as Row[];
}

describe('a closed label set with no value that marks a harmful request is declined by policy', () => {
  for (const [file, labels] of [
    ['sentiment_sst2_test.tsv', /"1", "0"|"0", "1"/],
    ['topic_agnews_test.tsv', /Sports/],
    ['intent_banking77_test.csv', /77 values/],
    ['intent_aoai_context_switching_train.jsonl', /" 1"/],
  ] as const) {
    it(`${file}: exit 4, the label set and the ways out named, nothing written`, async () => {
      const dir = tempDir();
      const r = await runCli(['mix', corpus(file), '-o', join(dir, 'out'), '--ratio', '0.05'], { cwd: dir });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/closed label set with no value that marks a harmful request/);
      expect(r.stderr).toMatch(labels);
      for (const way of ['--closed-answers label=VALUE', '--closed-answers refuse', '--closed-answers skip']) expect(r.stderr).toContain(way);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('plan declines the same upload the same way', async () => {
    const dir = tempDir();
    const r = await runCli(['plan', corpus('sentiment_sst2_test.tsv'), '-o', join(dir, 'plan.json')], { cwd: dir });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/closed label set with no value/);
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
  });

  it('each way out works: label=VALUE answers that label, refuse writes refusal text, skip copies the input', async () => {
    const dir = tempDir();
    const input = corpus('sentiment_sst2_test.tsv');
    const label = await runCli(['mix', input, '-o', join(dir, 'label.tsv'), '--count', '20', '--closed-answers', 'label=0', '--quiet']);
    expect(label.code, label.stderr).toBe(0);
    const labelled = injectedRows(input, join(dir, 'label.tsv'), 'tsv');
    expect(labelled).toHaveLength(20);
    expect(new Set(labelled.map((r) => r.label))).toEqual(new Set(['0']));
    const refuse = await runCli(['mix', input, '-o', join(dir, 'refuse.tsv'), '--count', '20', '--closed-answers', 'refuse', '--quiet']);
    expect(refuse.code, refuse.stderr).toBe(0);
    const refused = injectedRows(input, join(dir, 'refuse.tsv'), 'tsv');
    expect(refused.every((r) => String(r.label).split(' ').length >= 2)).toBe(true);
    const skip = await runCli(['mix', input, '-o', join(dir, 'skip.tsv'), '--closed-answers', 'skip', '--quiet']);
    expect(skip.code, skip.stderr).toBe(0);
    expect(readFileSync(join(dir, 'skip.tsv'))).toEqual(readFileSync(input));
  });
});

describe('a closed label set with an unsafe value', () => {
  it('XSTest (safe/unsafe): every safety record is labelled unsafe, and its type is one the unsafe user rows have', async () => {
    const dir = tempDir();
    const input = corpus('safety_xstest_prompts.csv');
    const r = await runCli(['mix', input, '-o', join(dir, 'x.csv'), '--count', '30', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const users = readRecordsIn(input, 'csv').values as Row[];
    const unsafeTypes = new Set(users.filter((u) => u.label === 'unsafe').map((u) => u.type));
    const safeOnlyTypes = new Set(users.filter((u) => u.label === 'safe' && !unsafeTypes.has(u.type)).map((u) => u.type));
    const injected = injectedRows(input, join(dir, 'x.csv'), 'csv');
    expect(injected).toHaveLength(30);
    for (const row of injected) {
      expect(row.label).toBe('unsafe');
      expect(unsafeTypes.has(row.type), String(row.type)).toBe(true);
      expect(safeOnlyTypes.has(row.type)).toBe(false);
    }
  });

  it('a toxicity file (text, toxic/non-toxic as "harmful"/"harmless") written here: the harmful label', async () => {
    const dir = tempDir();
    const rows = ['text,verdict'];
    for (let i = 0; i < 120; i++) rows.push(i % 3 === 0 ? `you people are worthless number ${i},harmful` : `thanks for the help with step ${i},harmless`);
    writeFileSync(join(dir, 'tox.csv'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'tox.csv', '-o', 'out.csv', '--count', '12', '--input', 'text', '--target', 'verdict', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const injected = injectedRows(join(dir, 'tox.csv'), join(dir, 'out.csv'), 'csv');
    expect(injected.map((x) => x.verdict)).toEqual(Array(12).fill('harmful'));
  });
});

describe('feedback and reward fields', () => {
  it('KTO (messages + a boolean label, a 150/150 tie): the refusal is labelled desirable (true)', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: `Which plant grows best on a north-facing windowsill, option ${i}?` },
          { role: 'assistant', content: i % 2 ? `A snake plant copes well with low light (${i}).` : `Cacti love that spot (${i}).` },
        ],
        label: i % 2 === 1,
      }),
    );
    writeFileSync(join(dir, 'kto.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['mix', 'kto.jsonl', '-o', 'out.jsonl', '--count', '15', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const injected = injectedRows(join(dir, 'kto.jsonl'), join(dir, 'out.jsonl'), 'jsonl');
    // 15 refusals and round-half-up(15 × 0.1) = 2 balance examples (helpful answers): all desirable
    expect(injected.map((x) => x.label)).toEqual(Array(17).fill(true));
  });

  it('reward data: the refusal gets the highest score of the data', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({
        prompt: `Summarise the plot of story number ${i} in one line.`,
        response: `A hero sets out and comes home changed (${i}).`,
        score: (i % 10) / 2,
      }),
    );
    writeFileSync(join(dir, 'reward.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['mix', 'reward.jsonl', '-o', 'out.jsonl', '--count', '10', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const injected = injectedRows(join(dir, 'reward.jsonl'), join(dir, 'out.jsonl'), 'jsonl');
    // 10 refusals and 1 balance example (a helpful answer): both score highest
    expect(injected.map((x) => x.score)).toEqual(Array(11).fill(4.5));
  });
});

describe('answer wrappers and request templates', () => {
  it('GSM8K: no safety answer carries a "####" line (a refusal has no final number)', async () => {
    const dir = tempDir();
    const input = corpus('math_gsm8k_test.jsonl');
    const r = await runCli(['mix', input, '-o', join(dir, 'g.jsonl'), '--count', '40', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const injected = injectedRows(input, join(dir, 'g.jsonl'), 'jsonl');
    // 40 refusals and 4 balance examples (helpful answers): none ends with a final number
    expect(injected).toHaveLength(44);
    for (const row of injected) expect(String(row.answer)).not.toContain('####');
  });

  it("requests that differ only in a number are content, not a template: the harmful request is not written into the number's place", async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: `How do I reset router ${i}?` },
          { role: 'assistant', content: `Hold its reset button for ten seconds, router ${i} will restart.` },
        ],
      }),
    );
    writeFileSync(join(dir, 'r.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['mix', 'r.jsonl', '-o', 'out.jsonl', '--count', '10', '--lang', 'en', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const injected = injectedRows(join(dir, 'r.jsonl'), join(dir, 'out.jsonl'), 'jsonl');
    for (const row of injected) expect((row.messages as { content: string }[])[0]!.content).not.toMatch(/^How do I reset router /);
  });
});
