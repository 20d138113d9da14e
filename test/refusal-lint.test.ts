// A lint over every refusal safemix composes, in every language, for every train seed at every
// length: a remark on framing only where the seed's hand-set tag says the request has framing, a
// writing verb only where it asks for text, never a form in the register opposite to the request's,
// and no generic padding (every sentence is the form's decline, or the seed's own reason or redirect).
// The tags are data (set by hand and reviewed, data/ and templates/), read here without src.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { composeRefusal, shortRefusal } from '../src/generate/refusal.js';
import { loadRefusals, type Seed } from '../src/generate/seeds.js';
import { ROOT, runCli, tempDir } from './helpers.js';
import { EMERGENCY, LANGS, SEEDS } from './safety-text.js';

type Tags = { emergency: string | null; framing: boolean; writing: boolean; formality: string };
type Form = { text: string; framing: boolean; writing: boolean; register: string };

const EN_TAGS = new Map<string, Tags>(
  readFileSync(join(ROOT, 'data/seeds/requests.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const s = JSON.parse(l) as { id: string; tags: Tags };
      return [s.id, s.tags];
    }),
);
const rawBank = (lang: string) =>
  JSON.parse(readFileSync(join(ROOT, `templates/refusals/${lang}.json`), 'utf8')) as { refusals: (Form & { form: string })[]; short: Form[] };
const constantParts = (f: Form) =>
  f.text
    .split(/\{reason\}|\{redirect\}/)
    .map((p) => p.trim())
    .filter((p) => p.length >= 1);
const size = (f: Form) => constantParts(f).reduce((n, p) => n + p.length, 0);

describe('the refusal lint', () => {
  for (const lang of LANGS) {
    it(`${lang}: framing remarks, writing verbs and register only where the request's tags allow; no padding`, () => {
      const bank = loadRefusals(lang);
      const raw = rawBank(lang);
      const forms: Form[] = [...raw.refusals, ...raw.short];
      const problems: string[] = [];
      let composed = 0;
      for (const s of SEEDS.filter((x) => x.lang === lang && x.split === 'train')) {
        const own = (s as { tags?: { formality?: string } }).tags?.formality;
        const en = EN_TAGS.get(s.en ?? s.id)!;
        const advice = s.category === 'unqualified_advice';
        const fit = { framing: en.framing, writing: en.writing, formality: own as 'formal' | 'informal' | 'neutral' | undefined, advice };
        for (const target of [8, 25, 60, 120, 200]) {
          const random = seedrandom(`${s.id}:${target}`);
          const texts = [composeRefusal(bank, s as Seed, target, random, fit).text, shortRefusal(bank, random, fit)];
          for (const text of texts) {
            composed++;
            // the form it was built from: the one whose constant parts it holds, with the seed's own parts removed
            const rest = text.replace(s.reason, '').replace(s.redirect ?? '\u0000', '');
            // the form that explains the most of the text (a short form may be a part of a longer one)
            const matching = forms.filter((f) => constantParts(f).length && constantParts(f).every((p) => rest.includes(p)));
            const best = Math.max(0, ...matching.map(size));
            const used = matching.filter((f) => size(f) === best);
            if (!used.length) problems.push(`${s.id}@${target}: no form of the bank makes "${text}"`);
            if (used.length && used.every((f) => f.framing) && !en.framing)
              problems.push(`${s.id}@${target}: a framing remark for a request without framing: ${text}`);
            if (used.length && used.every((f) => f.writing) && !en.writing)
              problems.push(`${s.id}@${target}: a writing verb for a request that asks for no text: ${text}`);
            // someone asking for advice safemix may not give is answered without a firm or curt form
            if (advice && used.length && used.every((f) => 'tone' in f && ['firm', 'brief'].includes((f as { tone: string }).tone)))
              problems.push(`${s.id}@${target}: a firm or curt form for a request for advice: ${text}`);
            const opposite = own === 'formal' ? 'informal' : own === 'informal' ? 'formal' : undefined;
            if (opposite && used.length && used.every((f) => f.register === opposite) && forms.some((f) => f.register !== opposite && !f.framing && !f.writing))
              problems.push(`${s.id}@${target}: a ${opposite} form for a ${own} request: ${text}`);
            // nothing but the form's words and the seed's own sentences
            let leftover = rest;
            for (const f of used) for (const p of constantParts(f)) leftover = leftover.replace(p, '');
            if (leftover.replace(/[\s.,;:!?'"’“”«»。、，！？؟;]/gu, '').length > 0)
              problems.push(`${s.id}@${target}: words that are neither the form nor the seed's: "${leftover.trim()}" in ${text}`);
          }
        }
      }
      expect(problems.slice(0, 10)).toEqual([]);
      expect(composed).toBeGreaterThan(500);
    });
  }

  for (const lang of LANGS) {
    it(`${lang}: no sentence and no 6-word sequence is shared by more than 5% of the language's refusals (request words masked)`, () => {
      const bank = loadRefusals(lang);
      const refusals: { text: string; request: string }[] = [];
      for (const s of SEEDS.filter((x) => x.lang === lang && x.split === 'train')) {
        const en = EN_TAGS.get(s.en ?? s.id)!;
        if (en.emergency) continue;
        const fit = {
          framing: en.framing,
          writing: en.writing,
          formality: (s as { tags?: { formality?: 'formal' | 'informal' | 'neutral' } }).tags?.formality,
          advice: s.category === 'unqualified_advice',
        };
        for (const target of [8, 25, 60, 120, 200])
          refusals.push({ text: composeRefusal(bank, s as Seed, target, seedrandom(`lint:${s.id}:${target}`), fit).text, request: s.request });
      }
      const norm = (t: string, request: string) => {
        const words = new Set(
          request
            .toLowerCase()
            .split(/[^\p{L}\p{M}\p{N}']+/u)
            .filter((w) => w.length > 2),
        );
        return t
          .toLowerCase()
          .replace(/[^\p{L}\p{M}\p{N}'\s]/gu, ' ')
          .split(/\s+/)
          .filter(Boolean)
          .map((w) => (words.has(w) ? '_' : w));
      };
      const sentenceCount = new Map<string, number>();
      const gramCount = new Map<string, number>();
      for (const r of refusals) {
        const sentences = new Set(
          r.text
            .split(/(?<=[.!?。！？؟।])\s*/u)
            .map((x) => norm(x, r.request).join(' '))
            .filter(Boolean),
        );
        for (const x of sentences) sentenceCount.set(x, (sentenceCount.get(x) ?? 0) + 1);
        const w = norm(r.text, r.request);
        const grams = new Set<string>();
        // a sequence of mostly the request's own (masked) words is the request's content, not stock phrasing
        for (let i = 0; i + 6 <= w.length; i++) if (w.slice(i, i + 6).filter((x) => x === '_').length < 4) grams.add(w.slice(i, i + 6).join(' '));
        for (const g of grams) gramCount.set(g, (gramCount.get(g) ?? 0) + 1);
      }
      const limit = 0.05 * refusals.length;
      const over = [...sentenceCount].filter(([, n]) => n > limit).map(([x, n]) => `sentence "${x}" in ${n} of ${refusals.length}`);
      const overGrams = [...gramCount].filter(([, n]) => n > limit).map(([x, n]) => `6 words "${x}" in ${n} of ${refusals.length}`);
      expect([...over, ...overGrams].slice(0, 8)).toEqual([]);
    });
  }

  it('every language has caring replies of each kind, and some name an emergency number', () => {
    for (const lang of LANGS) {
      const e = EMERGENCY.get(lang)!;
      expect(e, lang).toBeDefined();
      for (const kind of ['medical', 'self-harm', 'abuse'] as const) {
        expect(e[kind].length, `${lang} ${kind}`).toBeGreaterThanOrEqual(4);
        expect(e[kind].filter((r) => /\p{Nd}{2,3}/u.test(r.text)).length, `${lang} ${kind}: replies that name a number`).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('a mix answers every request tagged emergency with a caring reply, never a refusal (English and German Alpaca)', async () => {
    const tagged = new Set([...EN_TAGS].filter(([, t]) => t.emergency).map(([id]) => id));
    expect(tagged.size).toBeGreaterThan(0);
    for (const lang of ['en', 'de']) {
      const dir = tempDir();
      const texts =
        lang === 'en'
          ? ['Give me three tips for a tidy desk.', 'Summarise the water cycle in two sentences.', 'Name a good book about the ocean.']
          : [
              'Nenne mir drei Tipps für einen ordentlichen Schreibtisch.',
              'Fasse den Wasserkreislauf in zwei Sätzen zusammen.',
              'Nenne ein gutes Buch über das Meer.',
            ];
      const rows = Array.from({ length: 300 }, (_, i) => ({
        instruction: `${texts[i % 3]} (${i})`,
        input: '',
        output: lang === 'en' ? `Here is a short answer, number ${i}.` : `Hier ist eine kurze Antwort, Nummer ${i}.`,
      }));
      writeFileSync(join(dir, 'a.json'), JSON.stringify(rows, null, 2));
      const r = await runCli(['mix', 'a.json', '-o', 'out.json', '--count', '600', '--force', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(join(dir, 'out.json.manifest.json'), 'utf8')) as { injected: { index: number; seedId: string }[] };
      const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { output: string }[];
      const e = EMERGENCY.get(lang)!;
      // a reply keeps its leading sentences, the first one at least, where the data's answers are short
      const replies = [...e.medical, ...e['self-harm'], ...e.abuse].map((x) => /^[^.!?]+/u.exec(x.text)![0]);
      const seen = manifest.injected.filter((e) => tagged.has(e.seedId.replace(/^[a-z]{2}:/, '')));
      expect(seen.length, `${lang}: emergency seeds drawn`).toBeGreaterThan(0);
      for (const e of seen)
        expect(
          replies.some((t) => out[e.index]!.output.includes(t)),
          `${lang} ${e.seedId}: ${out[e.index]!.output}`,
        ).toBe(true);
    }
  });
});
