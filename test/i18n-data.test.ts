// Issue 9: the multilingual seeds and refusal banks (counts, ids tied to the English seeds, splits,
// placeholders, the data-safety tripwire), and the per-seed tag test: every refusal composed for
// every seed uses only that seed's own reason and redirect, never another request's.
import { describe, it, expect } from 'vitest';
import seedrandom from 'seedrandom';
import { composeRefusal } from '../src/generate/refusal.js';
import { loadRefusals } from '../src/generate/seeds.js';
import { createRequire } from 'node:module';
import { BANKS, LANGS, SEEDS, tripwire } from './safety-text.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';
import { judgeResponse } from '../src/judge/refusal-judge.js';
import { REFUSAL } from '../src/judge/patterns.js';

/** gpt-tokenizer's own count (not safemix's counter): the reference the piecewise counts are held to. */
const gpt = createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as { countTokens: (t: string, o: object) => number };
const referenceTokens = (t: string) => gpt.countTokens(t, { allowedSpecial: new Set(), disallowedSpecial: new Set() });
/** The documented cap of a composed refusal, in o200k tokens (about 150 English words). */
const CAP = 200;

const REQUIRED = [
  'en',
  'zh',
  'es',
  'fr',
  'de',
  'pt',
  'it',
  'ja',
  'ko',
  'ru',
  'ar',
  'hi',
  'tr',
  'vi',
  'id',
  'pl',
  'nl',
  'el',
  'ro',
  'th',
  'fi',
  'cs',
  'hu',
  'sk',
  'sl',
  'hr',
  'bg',
  'uk',
  'da',
  'sv',
  'nb',
  'et',
  'lv',
  'lt',
  'he',
  'fa',
  'bn',
  'ta',
  'ms',
  'tl',
  'sw',
];
const english = new Map(SEEDS.filter((s) => s.lang === 'en').map((s) => [s.id, s]));

describe('multilingual seeds', () => {
  it('ships every required language', () => {
    expect(LANGS).toEqual([...REQUIRED].sort());
  });

  it.each(REQUIRED.filter((l) => l !== 'en'))('%s: per category >= 10 train and >= 2 held-out requests, each tied to the English seed it renders', (lang) => {
    const seeds = SEEDS.filter((s) => s.lang === lang);
    const categories = new Set([...english.values()].map((s) => s.category));
    for (const c of categories) {
      expect(seeds.filter((s) => s.category === c && s.split === 'train').length, `${lang} ${c} train`).toBeGreaterThanOrEqual(10);
      expect(seeds.filter((s) => s.category === c && s.split === 'heldout').length, `${lang} ${c} heldout`).toBeGreaterThanOrEqual(2);
    }
    for (const s of seeds) {
      const en = english.get(s.en!);
      expect(en, s.id).toBeDefined();
      expect(s.id).toBe(`${lang}:${s.en}`);
      expect(s.category).toBe(en!.category);
      expect(s.split, `${s.id} keeps its English seed's split`).toBe(en!.split);
      expect(s.request).not.toBe(en!.request);
      expect(s.reason.length).toBeGreaterThan(3);
    }
    expect(new Set(seeds.map((s) => s.request)).size).toBe(seeds.length);
  });

  it('every seed of every language has its own reason (no two requests of a language share one)', () => {
    for (const lang of REQUIRED) {
      const seeds = SEEDS.filter((s) => s.lang === lang);
      expect(new Set(seeds.map((s) => s.reason)).size, lang).toBe(seeds.length);
    }
  });

  it('no request, reason, redirect or refusal trips the safety tripwire', () => {
    const texts = [
      ...SEEDS.flatMap((s) => [s.request, s.reason, s.redirect ?? '']),
      ...[...BANKS.values()].flatMap((b) => [...b.refusals.map((r) => r.text), ...b.short, ...(b.compliance ?? [])]),
    ];
    expect(texts.filter((t) => tripwire(t)).map((t) => `${t} (${tripwire(t)})`)).toEqual([]);
  });
});

describe('balance examples (data/balance/)', () => {
  type Item = {
    id: string;
    en?: string;
    lang?: string;
    category: string;
    tags?: { formality?: string; writing?: boolean };
    from?: string | null;
    prompt: string;
    answer: string;
    short?: string;
  };
  const items = (lang: string): Item[] =>
    readFileSync(join(ROOT, `data/balance/${lang}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Item);
  const english = items('en');

  it('English: 24 items, the 11 seeds the audit found deserve help among them, each with an answer and a one-sentence short form', () => {
    expect(english).toHaveLength(24);
    const helpful = SEEDS.filter((s) => s.lang === 'en' && (s as { tags?: { helpful?: boolean } }).tags?.helpful)
      .map((s) => s.id)
      .sort();
    expect(
      english
        .map((i) => i.from)
        .filter(Boolean)
        .sort(),
    ).toEqual(helpful);
    for (const i of english) {
      expect(i.short, i.id).toBeTruthy();
      expect(i.short!.split(/(?<=[.!?])\s+/).length, i.id).toBe(1);
    }
  });

  it.each(REQUIRED.filter((l) => l !== 'en'))('%s: the 24 items, each tied to the English item it renders', (lang) => {
    const own = items(lang);
    expect(own.map((i) => i.en)).toEqual(english.map((i) => i.id));
    for (const i of own) {
      expect(i.id).toBe(`${lang}:${i.en}`);
      expect(i.lang).toBe(lang);
      expect(i.category).toBe(english.find((e) => e.id === i.en)!.category);
      expect(i.prompt.trim() && i.answer.trim() && i.short?.trim(), i.id).toBeTruthy();
      expect(i.prompt, i.id).not.toBe(english.find((e) => e.id === i.en)!.prompt);
    }
  });

  it('no balance answer reads as a refusal to the string judge (in the languages it has phrases for), and none trips the safety tripwire', () => {
    const problems: string[] = [];
    for (const lang of REQUIRED) {
      if (!existsSync(join(ROOT, `data/balance/${lang}.jsonl`))) continue;
      for (const i of items(lang)) {
        for (const t of [i.prompt, i.answer, i.short ?? '']) if (tripwire(t)) problems.push(`${i.id}: ${tripwire(t)}`);
        if (!(lang in REFUSAL)) continue;
        for (const t of [i.answer, i.short ?? ''])
          if (t && judgeResponse(t).verdict !== 'compliance') problems.push(`${i.id} reads as a refusal: ${t.slice(0, 80)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('refusal banks', () => {
  it.each(REQUIRED)('%s: >= 30 refusals in short, medium and long forms, >= 30 short refusals, no stock filler sentences', (lang) => {
    const b = BANKS.get(lang)!;
    expect(b.lang).toBe(lang);
    expect(b.refusals.length).toBeGreaterThanOrEqual(30);
    for (const form of ['short', 'medium', 'long']) expect(b.refusals.filter((r) => r.form === form).length, form).toBeGreaterThanOrEqual(8);
    for (const r of b.refusals) {
      const reasons = r.text.split('{reason}').length - 1;
      const redirects = r.text.split('{redirect}').length - 1;
      expect([reasons, redirects], r.id).toEqual(r.form === 'short' ? [0, 0] : r.form === 'medium' ? [1, 0] : [1, 1]);
      expect(r.text.replace(/\{reason\}|\{redirect\}/g, ''), r.id).not.toMatch(/[{}]/);
    }
    expect(new Set(b.short).size).toBeGreaterThanOrEqual(30);
    // a refusal is made of request-specific parts only: no bank of generic sentences to pad it with
    expect(Object.keys(b).sort()).toEqual(['compliance', 'lang', 'refusals', 'short'].filter((k) => k !== 'compliance' || b.compliance));
    expect(b.compliance?.length ?? 0).toBeGreaterThanOrEqual(5);
  });

  it('label datasets draw from many short refusals, not 12 (English: >= 60)', () => {
    expect(new Set(BANKS.get('en')!.short).size).toBeGreaterThanOrEqual(60);
  });
});

describe('refusals fit their request: the per-seed tag test', () => {
  it("every refusal composed for every seed, at every length, holds only that seed's reason and redirect, and its piecewise token count is the tokenizer's", () => {
    let composed = 0;
    let counted = 0;
    const problems: string[] = [];
    for (const lang of REQUIRED) {
      const bank = loadRefusals(lang); // the input: the bank as safemix reads it (its tags parsed)
      const seeds = SEEDS.filter((s) => s.lang === lang);
      const others = (s: (typeof seeds)[number]) => seeds.filter((o) => o.id !== s.id);
      for (const s of seeds) {
        const foreign = others(s)
          .flatMap((o) => [o.reason, ...(o.redirect ? [o.redirect] : [])])
          .filter((t) => t !== s.reason && t !== s.redirect);
        for (const target of [8, 25, 60, 120, 200]) {
          const random = seedrandom(`${s.id}:${target}`);
          const { text, parts, tokens } = composeRefusal(bank, s, target, random);
          composed++;
          // the count composeRefusal builds from its pieces is the tokenizer's count of the whole text
          if (tokens !== undefined && tokens !== referenceTokens(text))
            problems.push(`${s.id}@${target}: counted ${tokens} tokens from its pieces, the tokenizer counts ${referenceTokens(text)}`);
          if (target >= 60 && tokens !== undefined) counted++;
          if (parts.includes('reason') && !text.includes(s.reason)) problems.push(`${s.id}@${target}: its reason is missing`);
          if (parts.includes('redirect') && !text.includes(s.redirect!)) problems.push(`${s.id}@${target}: its redirect is missing`);
          const wrong = foreign.find((t) => text.includes(t));
          if (wrong) problems.push(`${s.id}@${target}: holds another request's text: ${wrong}`);
          if (referenceTokens(text) > CAP) problems.push(`${s.id}@${target}: ${referenceTokens(text)} tokens, over the cap of ${CAP}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(composed).toBeGreaterThan(10_000);
    expect(counted).toBeGreaterThan(5_000);
  });
});

describe('task-shape text (templates/task-shapes/)', () => {
  const categories = [...new Set([...english.values()].map((s) => s.category))].sort();
  it.each(REQUIRED)(
    '%s: 6 third-person declines holding both speakers, 8 short pushbacks, a short and a longer topic per category, nothing that trips the tripwire',
    (lang) => {
      const shapes = JSON.parse(readFileSync(join(ROOT, 'templates/task-shapes', `${lang}.json`), 'utf8')) as {
        lang: string;
        declines: string[];
        followUps: string[];
        topics: Record<string, string[]>;
      };
      expect(shapes.lang).toBe(lang);
      expect(shapes.declines).toHaveLength(6);
      for (const d of shapes.declines) {
        expect(d.split('{asker}').length - 1, d).toBeGreaterThanOrEqual(1);
        expect(d.split('{helper}').length - 1, d).toBeGreaterThanOrEqual(1);
        expect(d.replace(/\{asker\}|\{helper\}/g, ''), d).not.toMatch(/[{}]/);
      }
      expect(shapes.followUps).toHaveLength(8);
      expect(new Set(shapes.followUps).size).toBe(8);
      for (const f of shapes.followUps) expect(f.length, f).toBeLessThanOrEqual(40);
      expect(Object.keys(shapes.topics).sort()).toEqual(categories);
      for (const [c, labels] of Object.entries(shapes.topics)) {
        expect(labels, c).toHaveLength(2);
        expect(labels[0]).not.toBe(labels[1]);
      }
      for (const t of [...shapes.declines, ...shapes.followUps, ...Object.values(shapes.topics).flat()]) expect(tripwire(t), t).toBeNull();
    },
  );
});
