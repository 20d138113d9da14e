// language-rank.ts computes franc's francAll itself (to skip work franc redoes per call): here it is
// held equal to franc, order and scores to the last bit, on real text in 13 languages, the corpus's
// text fields, and edge cases (no letters, emoji, mixed scripts, lone surrogates, short texts).
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { francAll } from 'franc';
import { rankLanguages } from '../src/profile/language-rank.js';
import { detectScript } from '../src/profile/script.js';

const CORPUS = join(__dirname, 'corpus');
const ONLY = [
  'eng',
  'cmn',
  'spa',
  'fra',
  'deu',
  'por',
  'ita',
  'jpn',
  'kor',
  'rus',
  'arb',
  'hin',
  'tur',
  'vie',
  'ind',
  'pol',
  'nld',
  'ell',
  'ron',
  'tha',
  'fin',
  'ces',
  'slk',
  'hun',
  'swe',
  'dan',
  'nob',
  'ukr',
  'bul',
  'heb',
  'pes',
  'urd',
  'ben',
  'tam',
  'zlm',
  'swh',
  'tgl',
  'cat',
  'hrv',
  'srp',
  'lit',
  'lav',
  'est',
  'epo',
];

/** Every string of at least 4 characters inside a JSON value. */
function strings(v: unknown, out: string[]): void {
  if (typeof v === 'string') {
    if (v.length >= 4) out.push(v);
  } else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
}

function corpusTexts(): string[] {
  const texts: string[] = [];
  for (const dir of ['multilingual', '.']) {
    for (const name of readdirSync(join(CORPUS, dir)).filter((n) => /\.(jsonl?|tsv|csv|txt)$/.test(n))) {
      const text = readFileSync(join(CORPUS, dir, name), 'utf8');
      if (name.endsWith('.jsonl')) for (const line of text.split('\n').slice(0, 150)) line.trim() && strings(JSON.parse(line), texts);
      else if (name.endsWith('.json')) strings((JSON.parse(text) as unknown[]).slice(0, 150), texts);
      else
        texts.push(
          ...text
            .split('\n')
            .slice(0, 400)
            .flatMap((l) => l.split('\t'))
            .filter((c) => c.length >= 4),
        );
    }
  }
  return texts;
}

describe("rankLanguages is franc's francAll", () => {
  const texts = corpusTexts();
  const edges = [
    '',
    'abc',
    '1234567890 42',
    '🙂🙂🙂 👍 ok?',
    'Привет, как дела? 🙂',
    '東京は日本の首都です。ひらがなとカタカナ。',
    '서울은 한국의 수도입니다',
    'नमस्ते दुनिया, आप कैसे हैं',
    'สวัสดีครับ ยินดีต้อนรับ',
    'Ελληνικά κείμενα εδώ',
    'שלום עולם מה שלומך',
    'a\uD800b lone surrogate \uDC00 text here',
    'Mixed English и русский text 混合',
    '𠀀𠀁𠀂 rare Han',
    'ÅÄÖ åäö æøå ß ñ ç',
    '\t\n  spaced   out \r\n text  ',
  ];

  it(`agrees on ${texts.length} corpus texts and ${edges.length} edge cases, with and without a language list`, () => {
    expect(texts.length).toBeGreaterThan(3000);
    let checked = 0;
    for (const t of [...texts, ...edges]) {
      for (const slice of [t.slice(0, 400), t]) {
        expect(rankLanguages(slice, ONLY, 8), slice.slice(0, 80)).toEqual(francAll(slice, { only: ONLY, minLength: 8 }));
        checked++;
      }
    }
    for (const t of texts.slice(0, 300)) expect(rankLanguages(t, [], 10)).toEqual(francAll(t));
    expect(checked).toBeGreaterThan(6000);
  });
});

/** The plain reading of script shares: every character by code point, ranges tried in order. */
function referenceShares(texts: string[]): { script: string; share: number }[] {
  const ranges: [number, number, string][] = [
    [0x41, 0x5a, 'Latin'],
    [0x61, 0x7a, 'Latin'],
    [0xc0, 0x24f, 'Latin'],
    [0x370, 0x3ff, 'Greek'],
    [0x400, 0x4ff, 'Cyrillic'],
    [0x590, 0x5ff, 'Hebrew'],
    [0x600, 0x6ff, 'Arabic'],
    [0x900, 0x97f, 'Devanagari'],
    [0xe00, 0xe7f, 'Thai'],
    [0x3040, 0x30ff, 'Kana'],
    [0x3400, 0x4dbf, 'Han'],
    [0x4e00, 0x9fff, 'Han'],
    [0xac00, 0xd7af, 'Hangul'],
  ];
  const counts = new Map<string, number>();
  let total = 0;
  for (const t of texts)
    for (const ch of t) {
      const cp = ch.codePointAt(0)!;
      const r = ranges.find(([a, b]) => cp >= a && cp <= b);
      if (r) (counts.set(r[2], (counts.get(r[2]) ?? 0) + 1), total++);
    }
  return [...counts]
    .map(([script, c]) => ({ script, share: c / (total || 1) }))
    .sort((a, b) => b.share - a.share)
    .slice(0, 5);
}

describe('detectScript counts by code unit as the plain reading counts by character', () => {
  it('on the corpus texts, one at a time and in groups', () => {
    const texts = corpusTexts();
    for (const t of texts) expect(detectScript([t], { words: false }).scripts).toEqual(referenceShares([t]));
    for (let i = 0; i + 50 <= texts.length; i += 50) expect(detectScript(texts.slice(i, i + 50)).scripts).toEqual(referenceShares(texts.slice(i, i + 50)));
    expect(detectScript(['a\uD800b 𠀀 ü'], { words: false }).scripts).toEqual(referenceShares(['a\uD800b 𠀀 ü']));
  });
});
