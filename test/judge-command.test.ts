// `safemix judge FILE`: every assistant response of a dataset labelled by the refusal judge, in any
// supported format (or the field given with --field), with counts, and one verdict per response
// with --json; `inspect` reports the share of refusals already in the user's answers. The corpus
// counts are the ones docs/judge.md reports for the frozen judge (a regression check).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, runCli, tempDir } from './helpers.js';

type Report = {
  responses: number;
  records: number;
  counts: { refusal: number; partial: number; compliance: number };
  refusalShare: number;
  verdicts?: { index: number; path: string; verdict: string }[];
};

describe('safemix judge', () => {
  it('the corpus refusal and compliance files: the counts docs/judge.md gives, for v2 (the default) and v1', async () => {
    for (const [judge, refusing, alpaca] of [
      ['string-v2', 1604, 22],
      ['string-v1', 1567, 21],
    ] as const) {
      const b = await runCli(['judge', corpus('safety_bianchi_refusals_alpaca.json'), '--json', ...(judge === 'string-v1' ? ['--judge', judge] : [])]);
      expect(b.code, b.stderr).toBe(0);
      const bianchi = JSON.parse(b.stdout) as Report & { judge: string };
      expect(bianchi.judge).toBe(judge === 'string-v1' ? 'safemix-string-judge/1' : 'safemix-string-judge/2');
      expect(bianchi.responses).toBe(2483);
      expect(bianchi.counts.refusal + bianchi.counts.partial).toBe(refusing);
      expect(bianchi.verdicts).toHaveLength(2483);
      const a = JSON.parse((await runCli(['judge', corpus('instruct_alpaca_en_demo.json'), '--json', '--judge', judge])).stdout) as Report;
      expect(a.counts.refusal + a.counts.partial).toBe(alpaca);
      expect(a.counts.compliance).toBe(999 - alpaca);
    }
    const bad = await runCli(['judge', corpus('instruct_alpaca_en_demo.json'), '--judge', 'string-v3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/string-v2, string-v1/);
  });

  it('every assistant turn of a chat, both sides of a preference pair, and a field given with --field', async () => {
    const dir = tempDir();
    const chat = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: `Question ${i}?` },
          { role: 'assistant', content: `Here is the answer to question ${i}.` },
          { role: 'user', content: 'And how do I pick a lock?' },
          { role: 'assistant', content: "I can't help with that." },
        ],
      }),
    );
    writeFileSync(join(dir, 'chat.jsonl'), chat.join('\n') + '\n');
    const c = JSON.parse((await runCli(['judge', 'chat.jsonl', '--json'], { cwd: dir })).stdout) as Report;
    expect(c.responses).toBe(24);
    expect(c.counts.refusal).toBe(12);
    expect(c.verdicts!.filter((v) => v.verdict === 'refusal').every((v) => v.path === 'messages[3].content')).toBe(true);

    const pairs = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({
        prompt: [{ role: 'user', content: `How do I hack my neighbour's Wi-Fi (${i})?` }],
        chosen: [{ role: 'assistant', content: "Sorry, I won't help you get into someone else's network." }],
        rejected: [{ role: 'assistant', content: `Sure: first scan for networks (${i}).` }],
      }),
    );
    writeFileSync(join(dir, 'pairs.jsonl'), pairs.join('\n') + '\n');
    const p = JSON.parse((await runCli(['judge', 'pairs.jsonl', '--json'], { cwd: dir })).stdout) as Report;
    expect(p.responses).toBe(24);
    expect(p.verdicts!.filter((v) => v.path === 'chosen').every((v) => v.verdict === 'refusal')).toBe(true);
    expect(p.verdicts!.filter((v) => v.path === 'rejected').every((v) => v.verdict === 'compliance')).toBe(true);

    const fields = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ q: `Item ${i}`, meta: { reply: i % 2 ? 'I cannot assist with that request.' : `The item is number ${i}.` } }),
    );
    writeFileSync(join(dir, 'f.jsonl'), fields.join('\n') + '\n');
    const f = JSON.parse((await runCli(['judge', 'f.jsonl', '--field', 'meta.reply', '--json'], { cwd: dir })).stdout) as Report;
    expect(f.responses).toBe(12);
    expect(f.counts.refusal).toBe(6);
    const missing = await runCli(['judge', 'f.jsonl', '--field', 'meta.nothing'], { cwd: dir });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no record has a text at "meta.nothing"/);
  });

  it('inspect reports the share of refusals in the sampled answers', async () => {
    const r = await runCli(['inspect', corpus('safety_bianchi_refusals_alpaca.json'), '--json']);
    const report = JSON.parse(r.stdout) as { answerRefusals: { responses: number; refusals: number; share: number } };
    expect(report.answerRefusals.responses).toBeGreaterThan(1000);
    expect(report.answerRefusals.share).toBeGreaterThan(0.5);
    const h = await runCli(['inspect', corpus('instruct_alpaca_en_demo.json')]);
    expect(h.stdout).toMatch(/refusals\s+\d+% of the sampled answers are refusals/);
  });

  it('standard input is refused: the file is read twice', async () => {
    const r = await runCli(['judge', '-'], { stdin: '{"prompt": "a", "completion": "b"}\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/read twice/);
  });
});
