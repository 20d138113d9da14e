// A request about a person in danger gets a caring reply that points to help, cut to the length of
// the data's answers: its first sentence where the answers are no free text (lists, NER rounds) or
// short, the whole reply where the answers are long. Every reply's first sentence already names the
// emergency number (templates/emergency/README.md).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, runCli, tempDir } from './helpers.js';
import { EMERGENCY } from './safety-text.js';

const EMERGENCY_SEEDS = new Set(
  readFileSync(join(corpus('..'), '..', 'data/seeds/requests.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; tags: { emergency: string | null } })
    .filter((s) => s.tags.emergency)
    .map((s) => s.id),
);

/** The English replies, and their first sentences. */
const en = EMERGENCY.get('en')!;
const REPLIES = [...en.medical, ...en['self-harm'], ...en.abuse].map((r) => r.text);
/** A text as compared: the data's style may change the case and drop the final mark. */
const key = (t: string) => t.toLowerCase().replace(/[.!?]$/, '');
const FIRST = REPLIES.map((t) => key(/^[^.!?]+[.!?]?/.exec(t)![0]));

describe('caring replies take the length of the data’s answers', () => {
  it('list answers (NQ-open): the first sentence of a reply, which points to help', async () => {
    const dir = tempDir('safemix-emergency-');
    const r = await runCli(['mix', corpus('qa_open_nq_open_dev.jsonl'), '-o', 'out.jsonl', '--count', '400', '--seed', '2', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as { injected: { index: number; seedId: string }[] };
    const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').split('\n');
    const caring = m.injected.filter((e) => EMERGENCY_SEEDS.has(e.seedId.replace(/^[a-z]{2}:/, '')));
    expect(caring.length, 'emergency requests among 400').toBeGreaterThan(0);
    for (const e of caring) {
      const answer = (JSON.parse(out[e.index]!) as { answer: string[] }).answer[0]!;
      expect(FIRST, answer).toContain(key(answer));
      expect(answer).toMatch(/\d{3}|emergenc|police|helpline|hotline|crisis|help|safe/i);
    }
  });

  it('long free-text answers (the Bianchi safety outputs): the whole reply', async () => {
    const dir = tempDir('safemix-emergency-');
    const r = await runCli(['mix', corpus('safety_bianchi_refusals_alpaca.json'), '-o', 'out.json', '--count', '300', '--seed', '2', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'out.json.manifest.json'), 'utf8')) as { injected: { index: number; seedId: string }[] };
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { output: string }[];
    const caring = m.injected.filter((e) => EMERGENCY_SEEDS.has(e.seedId.replace(/^[a-z]{2}:/, '')));
    expect(caring.length).toBeGreaterThan(0);
    const whole = caring.filter((e) => REPLIES.some((t) => key(out[e.index]!.output).includes(key(t))));
    expect(whole.length, 'most caring replies are whole where the answers are paragraphs').toBeGreaterThan(caring.length / 2);
  });
});
