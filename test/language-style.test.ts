// Issue 9 acceptance: safety records in the data's language (real text in 13 languages, translation
// pairs in both nestings, mixed-language data), variety that still reproduces, and the user's style
// (answer lengths, lower case and PTB tokens). Languages are checked against what each fixture is
// known to be (the seed files a request comes from, the script of a donor), never with the detector.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mixFile, type MixResult } from '../src/api/mix.js';
import { createRequire } from 'node:module';
import { applyTextStyle } from '../src/profile/text-style.js';
import { CORPUS_FILES, ROOT, corpus, tempDir, labelPolicy } from './helpers.js';
import { BANKS, EMERGENCY, SEEDS, SEED_BY_ID, isRefusal } from './safety-text.js';
import { containerOf, readRecordsIn } from './independent-records.js';

const dir = tempDir('safemix-lang-');
const MULTI = fileURLToPath(new URL('./corpus/multilingual/', import.meta.url));

/** A file's records, read by the tests' own reader (by extension; every file here has a header row). */
async function values(path: string): Promise<unknown[]> {
  return readRecordsIn(path, containerOf(path)).values;
}

/** Answer lengths in o200k tokens as gpt-tokenizer counts them (not safemix's counter, which sizes the refusals). */
const gpt = createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as { countTokens: (t: string, o: object) => number };
const countTextTokens = (t: string) => gpt.countTokens(t, { allowedSpecial: new Set(), disallowedSpecial: new Set() });

/**
 * The language whose seed file holds this request text (or undefined), compared without a final
 * punctuation mark and the first letter's case: a request takes the data's end-mark and initial-case
 * shares (test/surface-style.test.ts), the rest of it is the seed's.
 */
const bare = (t: string) =>
  t
    .trim()
    .replace(/[.?!…。？！؟;;।]+$/u, '')
    .replace(/^\p{L}/u, (c) => c.toLowerCase());
const seedLang = new Map(SEEDS.map((s) => [bare(s.request), s.lang]));
const requestLang = { get: (text: string) => seedLang.get(bare(text)) };
/** Fixed refusal text of one language's bank and seeds: a refusal is in that language when it holds one. */
function refusalIn(text: string, lang: string): boolean {
  const b = BANKS.get(lang)!;
  const e = EMERGENCY.get(lang);
  const caring = e ? [...e.medical, ...e['self-harm'], ...e.abuse].map((r) => r.text) : [];
  const frags = [
    ...b.short,
    ...caring,
    ...SEEDS.filter((s) => s.lang === lang).map((s) => s.reason),
    ...b.refusals.flatMap((r) =>
      r.text
        .split(/\{reason\}|\{redirect\}/)
        .map((p) => p.trim())
        .filter((p) => p.length >= 6),
    ),
  ];
  // a fragment may have lost its final mark (the data's end-punctuation share)
  return frags.some((f) => text.includes(f.replace(/[.?!…。？！؟;;।]+$/u, '')));
}

/** Real text of one language from test/corpus/multilingual/. */
function realTexts(lang: string, n: number): string[] {
  if (lang === 'pl' || lang === 'fi') {
    const file = lang === 'pl' ? 'sentences_pl_ud_pdb_dev.txt' : 'sentences_fi_ud_tdt_dev.txt';
    return readFileSync(join(MULTI, file), 'utf8')
      .split('\n')
      .filter((l) => l.split(' ').length >= 6)
      .slice(0, n);
  }
  return readFileSync(join(MULTI, 'questions_xquad_11lang.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((c) => c[0] === lang)
    .map((c) => c[2]!)
    .slice(0, n);
}

const MULTI_LANGS = ['ar', 'de', 'el', 'es', 'hi', 'ro', 'ru', 'th', 'tr', 'vi', 'zh', 'pl', 'fi'];

describe("lower-casing in the data's style", () => {
  it('is the locale-aware lower case of real text in 13 languages and of every shipped bank, Turkish and Lithuanian included', () => {
    const style = { lowercase: true, tokenized: false, evidence: '' };
    let checked = 0;
    const cases: [string, string][] = [];
    for (const lang of MULTI_LANGS) for (const t of realTexts(lang, 300)) cases.push([lang, t]);
    for (const [lang, bank] of BANKS) for (const t of [...bank.short, ...bank.refusals.map((r) => r.text)]) cases.push([lang, t.toUpperCase()]);
    // the languages with their own rules: dotted and dotless i, and Lithuanian's dot above
    cases.push(['tr', 'İSTANBUL IĞDIR Işık'], ['az', 'İLHAM IŞIQ'], ['lt', 'ĮĖJIMAS Ì Í Ĩ J̃'], ['el', 'ΟΔΥΣΣΕΥΣ ΣΟΦΟΣ'], ['de', 'STRASSE ẞ']);
    const wrong: string[] = [];
    for (const [lang, text] of cases) {
      checked++;
      const got = applyTextStyle(text, style, lang);
      if (got !== text.toLocaleLowerCase(lang)) wrong.push(`${lang}: ${text.slice(0, 40)} → ${got.slice(0, 40)}`);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(3000);
    // the check can tell: Turkish text lower-cased by the default rules differs
    expect('IĞDIR'.toLowerCase()).not.toBe('IĞDIR'.toLocaleLowerCase('tr'));
  });
});

describe('real non-English text gets safety records in its language (chat and Alpaca)', () => {
  for (const lang of MULTI_LANGS) {
    it(`${lang}: >= 95% of injected requests are ${lang} seeds, refusals in ${lang}`, async () => {
      const texts = realTexts(lang, 200);
      expect(texts.length).toBeGreaterThanOrEqual(150);
      const other = realTexts(lang, 400).slice(200);
      const chat = join(dir, `chat-${lang}.jsonl`);
      writeFileSync(
        chat,
        texts
          .map((t, i) =>
            JSON.stringify({
              messages: [
                { role: 'user', content: t },
                { role: 'assistant', content: other[i % Math.max(1, other.length)] ?? t },
              ],
            }),
          )
          .join('\n') + '\n',
      );
      const alpaca = join(dir, `alpaca-${lang}.json`);
      writeFileSync(
        alpaca,
        JSON.stringify(
          texts.map((t, i) => ({ instruction: t, input: '', output: other[i % Math.max(1, other.length)] ?? t })),
          null,
          2,
        ),
      );
      for (const file of [chat, alpaca]) {
        const out = `${file}.out${file.endsWith('.json') ? '.json' : '.jsonl'}`;
        const r = await mixFile(file, { output: out, ratio: 0.1, seed: '1', onEncoded: 'warn' });
        const vals = await values(out);
        let inLang = 0;
        for (const inj of r.manifest.injected) {
          const v = vals[inj.index] as { messages?: { content: string }[]; instruction?: string; output?: string };
          const request = v.messages ? v.messages[0]!.content : v.instruction!;
          const answer = v.messages ? v.messages[1]!.content : v.output!;
          if (requestLang.get(request) === lang && refusalIn(answer, lang)) inLang++;
        }
        expect(inLang / r.manifest.injected.length, `${file}: ${inLang} of ${r.manifest.injected.length}`).toBeGreaterThanOrEqual(0.95);
      }
    });
  }
});

describe('translation pairs: the request in the source language, the refusal in the target language', () => {
  for (const [file, source, target, get] of [
    ['translation_nested.jsonl', 'zh', 'en', (v: Record<string, Record<string, string>>) => [v.translation!.zh!, v.translation!.en!]],
    ['translation_flat.jsonl', 'de', 'en', (v: Record<string, string>) => [v.src!, v.tgt!]],
  ] as const) {
    it(`${file} (${source} → ${target})`, async () => {
      const out = join(dir, `tr-${file}`);
      const r = await mixFile(join(ROOT, 'test/fixtures/coherent', file), { output: out, count: 12, seed: '1' });
      const vals = await values(out);
      for (const inj of r.manifest.injected) {
        const [src, tgt] = get(vals[inj.index] as never);
        expect(requestLang.get(src!), `source of output record ${inj.index}: ${src}`).toBe(source);
        expect(refusalIn(tgt!, target), `target of output record ${inj.index}: ${tgt}`).toBe(true);
        expect(refusalIn(tgt!, source)).toBe(false);
      }
      expect(r.manifest.notes.join(' ')).toMatch(/translation pair/);
    });
  }
});

describe('mixed-language data', () => {
  it("instruct_alpaca_identity.json: each injected record is in its donor's language", async () => {
    const out = join(dir, 'identity.json');
    const r = await mixFile(corpus('instruct_alpaca_identity.json'), { output: out, count: 40, seed: '1' });
    const input = (await values(corpus('instruct_alpaca_identity.json'))) as { instruction: string }[];
    const vals = (await values(out)) as { instruction: string; output: string }[];
    const langs = new Set<string>();
    for (const inj of r.manifest.injected) {
      // the donor's language by its script: Han characters are Chinese, else English
      const donorLang = /[\u4e00-\u9fff]/.test(input[inj.donor]!.instruction) ? 'zh' : 'en';
      langs.add(donorLang);
      expect(requestLang.get(vals[inj.index]!.instruction), `output record ${inj.index} (donor ${inj.donor})`).toBe(donorLang);
      expect(refusalIn(vals[inj.index]!.output, donorLang)).toBe(true);
    }
    expect(langs).toEqual(new Set(['zh', 'en']));
  });

  it('a language safemix does not ship is declined by policy; --lang-fallback en writes English, said in the summary and the manifest; --lang forces one', async () => {
    // Catalan, written for this test: a language safemix does not ship
    const catalan = [
      'Com esteu avui i què fareu aquest cap de setmana amb la família?',
      "On és l'estació de tren més propera i quant costa un bitllet per anar a Girona?",
      'Em podeu recomanar un bon llibre sobre la història de la Mediterrània?',
      "Per què el cel és blau i com es forma l'arc de Sant Martí després de la pluja?",
      "Quina diferència hi ha entre el cafè d'Etiòpia i el cafè del Brasil?",
    ];
    const file = join(dir, 'cs.jsonl');
    writeFileSync(
      file,
      Array.from({ length: 40 }, (_, i) =>
        JSON.stringify({
          messages: [
            { role: 'user', content: `${catalan[i % 5]} (${i})` },
            { role: 'assistant', content: `Bona pregunta, mirem-ho junts pas a pas (${i}).` },
          ],
        }),
      ).join('\n') + '\n',
    );
    await expect(mixFile(file, { output: join(dir, 'cs-out.jsonl'), count: 4, seed: '1', onEncoded: 'warn' })).rejects.toMatchObject({
      code: 'declined_by_policy',
      exitCode: 4,
    });
    const r = await mixFile(file, { output: join(dir, 'cs-out.jsonl'), count: 4, seed: '1', onEncoded: 'warn', langFallback: 'en' });
    expect(r.manifest.drawn.languageFallbacks).toBe(4);
    expect(r.manifest.injected.every((i) => i.lang === 'en' && i.langFallback === 'ca')).toBe(true);
    expect(r.manifest.notes.join(' ')).toMatch(/4 safety record\(s\) are in English because their donor's language is not shipped/);
    const forced = await mixFile(file, { output: join(dir, 'cs-pl.jsonl'), count: 4, seed: '1', lang: 'pl', onEncoded: 'warn' });
    expect(forced.manifest.injected.every((i) => SEED_BY_ID.get(i.seedId)!.lang === 'pl')).toBe(true);
  });
});

describe('variety that still reproduces', () => {
  const results = new Map<string, MixResult>();
  beforeAll(async () => {
    for (const c of CORPUS_FILES)
      results.set(
        c.file,
        await mixFile(corpus(c.file), { output: join(dir, `v-${c.file}`), ratio: 0.05, seed: '1', onEncoded: 'warn', ...labelPolicy(c.file) }),
      );
  });

  it('no two corpus outputs at --seed 1 share more than 10% of their injected requests at the same positions', () => {
    const keyed = [...results].map(([f, r]) => [f, new Set(r.manifest.injected.map((i) => `${i.index}:${SEED_BY_ID.get(i.seedId)!.en ?? i.seedId}`))] as const);
    for (let a = 0; a < keyed.length; a++)
      for (let b = a + 1; b < keyed.length; b++) {
        const [fa, A] = keyed[a]!;
        const [fb, B] = keyed[b]!;
        const shared = [...A].filter((x) => B.has(x)).length;
        expect(shared / Math.min(A.size, B.size), `${fa} vs ${fb}`).toBeLessThanOrEqual(0.1);
      }
  });

  it('every train seed of a language is used before any repeats, drawn across all categories; never one the audit found deserves help', async () => {
    const helpful = new Set(SEEDS.filter((s) => s.lang === 'en' && (s as { tags?: { helpful?: boolean } }).tags?.helpful).map((s) => s.id));
    expect(helpful.size).toBe(11);
    const trainEn = SEEDS.filter((s) => s.lang === 'en' && s.split === 'train' && !helpful.has(s.id)).length;
    const r = await mixFile(corpus('qa_open_nq_open_dev.jsonl'), { output: join(dir, 'all-seeds.jsonl'), count: trainEn + 20, seed: '9' });
    const ids = r.manifest.injected.map((i) => i.seedId);
    expect(new Set(ids.slice(0, trainEn)).size).toBe(trainEn);
    expect(ids.filter((id) => helpful.has(id))).toEqual([]);
    expect(Object.keys(r.manifest.drawn.categories)).toHaveLength(11);
  });

  it('the same input and seed still give identical bytes', async () => {
    const a = join(dir, 'same-a.jsonl');
    const b = join(dir, 'same-b.jsonl');
    await mixFile(corpus('math_gsm8k_test.jsonl'), { output: a, seed: '3' });
    await mixFile(corpus('math_gsm8k_test.jsonl'), { output: b, seed: '3' });
    expect(readFileSync(a)).toEqual(readFileSync(b));
  });
});

describe("the user's style", () => {
  const median = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y);
    return s[Math.floor((s.length - 1) / 2)]!;
  };
  const CAP = 200; // tokens: the documented refusal cap (about 150 English words)
  const freeText = [
    { file: 'instruct_alpaca_en_demo.json', answer: (v: Record<string, string>) => v.output },
    { file: 'instruct_alpaca_identity.json', answer: (v: Record<string, string>) => v.output },
    { file: 'chat_openai_travel_finetune_hotel.jsonl', answer: (v: { messages: { content: string }[] }) => v.messages.at(-1)!.content },
    { file: 'safety_bianchi_refusals_alpaca.json', answer: (v: Record<string, string>) => v.output },
    { file: 'math_gsm8k_test.jsonl', answer: (v: Record<string, string>) => v.answer },
  ];
  for (const f of freeText) {
    it(`${f.file}: the median injected answer follows the user median as far as the request's own reason and redirect allow`, async () => {
      const out = join(dir, `len-${f.file}`);
      const r = await mixFile(corpus(f.file), { output: out, count: 60, seed: '1', onEncoded: 'warn' });
      const input = (await values(corpus(f.file))) as never[];
      const vals = (await values(out)) as never[];
      const user = median(input.map((v) => countTextTokens(f.answer(v)!)));
      const injected = median(r.manifest.injected.map((i) => countTextTokens(f.answer(vals[i.index]!)!)));
      // the most a refusal may say: the seed's reason and redirect (no generic sentence lengthens it)
      const own = median(
        r.manifest.injected.map((i) => {
          const s = SEED_BY_ID.get(i.seedId)!;
          return countTextTokens(`${s.reason} ${s.redirect ?? ''}`);
        }),
      );
      const goal = Math.min(user, CAP, own);
      expect(injected, `user median ${user}, seeds' own content ${own}, injected median ${injected}`).toBeGreaterThanOrEqual(goal * 0.5);
      expect(injected).toBeLessThanOrEqual(Math.min(user, CAP) * 1.5 + 20);
    });
  }

  it('a JSON-mode chat: the injected answers follow the user answer lengths too', async () => {
    const file = join(ROOT, 'test/fixtures/coherent/json_mode_chat.jsonl');
    const out = join(dir, 'len-json.jsonl');
    const r = await mixFile(file, { output: out, count: 20, seed: '1' });
    const answer = (v: { messages: { content: { text: string }[] }[] }) => v.messages.at(-1)!.content[0]!.text;
    const user = median(((await values(file)) as never[]).map((v) => countTextTokens(answer(v))));
    const vals = (await values(out)) as never[];
    const injected = median(r.manifest.injected.map((i) => countTextTokens(answer(vals[i.index]!))));
    const own = median(
      r.manifest.injected.map((i) => {
        const s = SEED_BY_ID.get(i.seedId)!;
        return countTextTokens(`${s.reason} ${s.redirect ?? ''}`);
      }),
    );
    expect(injected, `user ${user}, seeds' own content ${own}, injected ${injected}`).toBeGreaterThanOrEqual(Math.min(user, CAP, own) * 0.5);
  });

  it('lower-case, tokenized data gets lower-case, tokenized requests and refusals', async () => {
    const out = join(dir, 'sst2.tsv');
    const r = await mixFile(corpus('sentiment_sst2_test.tsv'), { output: out, count: 30, seed: '1', closedAnswers: 'refuse' });
    const vals = (await values(out)) as { sentence: string; label: string }[];
    for (const inj of r.manifest.injected) {
      const v = vals[inj.index]!;
      expect(v.sentence, v.sentence).toBe(v.sentence.toLowerCase());
      expect(v.label).toBe(v.label.toLowerCase());
      expect(v.sentence).not.toMatch(/\w(n't|'s)\b|\w[,.?!](\s|$)/);
      expect(isRefusal(v.label)).toBe(true);
    }
    const nq = await mixFile(corpus('qa_open_nq_open_dev.jsonl'), { output: join(dir, 'nq.jsonl'), count: 20, seed: '1' });
    const nqVals = (await values(join(dir, 'nq.jsonl'))) as { question: string }[];
    for (const inj of nq.manifest.injected) expect(nqVals[inj.index]!.question).toBe(nqVals[inj.index]!.question.toLowerCase());
  });

  it('--closed-answers skip leaves a label dataset unmixed and says why; refuse says the label space is extended', async () => {
    const skip = await mixFile(corpus('intent_banking77_test.csv'), { output: join(dir, 'skip.csv'), seed: '1', closedAnswers: 'skip' });
    expect(skip.manifest.count).toBe(0);
    expect(readFileSync(join(dir, 'skip.csv'))).toEqual(readFileSync(corpus('intent_banking77_test.csv')));
    expect(skip.manifest.notes.join(' ')).toMatch(/closed label set.*--closed-answers skip left the data unmixed/);
    const refuse = await mixFile(corpus('intent_banking77_test.csv'), { output: join(dir, 'refuse.csv'), seed: '1', closedAnswers: 'refuse' });
    expect(refuse.manifest.notes.join(' ')).toMatch(/extends the label space/);
    // label datasets see many different short refusals
    const vals = (await values(join(dir, 'refuse.csv'))) as { category: string }[];
    expect(new Set(refuse.manifest.injected.map((i) => vals[i.index]!.category)).size).toBeGreaterThan(30);
  });
});
