// The compact o200k counter (src/profile/o200k.ts) against gpt-tokenizer (a development dependency), an
// independent implementation whose counts safemix used before: the shipped vocabulary file rank by rank,
// and counts of real text in 13 languages, every corpus file, the shipped refusal banks and seeds, and
// hostile strings.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { o200kCounter, readVocabulary } from '../src/profile/o200k.js';
import { countTextTokens } from '../src/profile/tokens.js';
import { BANKS, SEEDS } from './safety-text.js';

const require = createRequire(import.meta.url);
const gpt = require('gpt-tokenizer/encoding/o200k_base') as { countTokens: (t: string, o: object) => number };
const AS_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
const reference = (t: string) => gpt.countTokens(t, AS_TEXT);
const MULTI = fileURLToPath(new URL('./corpus/multilingual/', import.meta.url));
const CORPUS = fileURLToPath(new URL('./corpus/', import.meta.url));
const RANKS = require('gpt-tokenizer/cjs/bpeRanks/o200k_base') as { default: (string | number[])[] };
const VOCABULARY = fileURLToPath(new URL('../data/tokenizer/o200k_base.vocab.gz', import.meta.url));

function differing(texts: string[]): string[] {
  const counter = o200kCounter()!;
  const out: string[] = [];
  for (const t of texts) {
    const mine = counter.count(t);
    const theirs = reference(t);
    if (mine !== theirs) out.push(`${mine} ≠ ${theirs}: ${JSON.stringify(t.slice(0, 60))}`);
  }
  return out;
}

describe('o200k token counts from the compact vocabulary', () => {
  it("the shipped vocabulary file holds every rank of gpt-tokenizer's vocabulary as its bytes", () => {
    const read = readVocabulary(gunzipSync(readFileSync(VOCABULARY)))!;
    expect(read).toBeDefined();
    const ranks = RANKS.default;
    expect(read.start.length - 1).toBe(ranks.length);
    const wrong: number[] = [];
    for (let r = 0; r < ranks.length; r++) {
      const v = ranks[r]!;
      const want = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
      const got = Buffer.from(read.bytes.subarray(read.start[r]!, read.start[r + 1]!));
      if (!got.equals(want)) wrong.push(r);
    }
    expect(wrong).toEqual([]);
  });

  it('counts as gpt-tokenizer on real text in 13 languages (16,000+ lines)', () => {
    const texts = readdirSync(MULTI)
      .filter((f) => f.endsWith('.tsv') || f.endsWith('.txt'))
      .flatMap((f) => readFileSync(join(MULTI, f), 'utf8').split('\n'));
    expect(texts.length).toBeGreaterThan(16_000);
    expect(differing(texts)).toEqual([]);
  });

  it('counts as gpt-tokenizer on every line of every corpus file and on the shipped banks and seeds', () => {
    const lines = readdirSync(CORPUS)
      .filter((f) => /\.(jsonl?|tsv|csv)$/.test(f))
      .flatMap((f) => readFileSync(join(CORPUS, f), 'utf8').split('\n'));
    const shipped = [
      ...SEEDS.flatMap((s) => [s.request, s.reason, s.redirect ?? '']),
      ...[...BANKS.values()].flatMap((b) => [...b.refusals.map((r) => r.text), ...b.short]),
    ];
    expect(lines.length + shipped.length).toBeGreaterThan(20_000);
    expect(differing([...lines, ...shipped])).toEqual([]);
  });

  it('counts as gpt-tokenizer on hostile strings: byte-order marks, lone surrogates, special-token text, long runs', () => {
    const hostile = [
      '\uFEFFusing namespace std;',
      '\uFEFF\uFEFF\n\uFEFF//',
      'a\uFEFF#x \uFEFF출장안마',
      '\uD800abc',
      'x\uDC00 y\uD83D',
      '<|endoftext|> hi <|im_start|>user<|im_sep|>',
      '1234567890123 0.000001 1e400',
      '   \r\n\r\n  \n\t\t x  \u00a0 \u3000',
      '👩‍👩‍👧‍👦 family 🇫🇮',
      'e\u0301\u0301\u0301 ǅ ǈ',
      'a'.repeat(3000),
      'ab'.repeat(2000),
      'xy1'.repeat(500),
      '\u0000\u0001\u007f\u0085',
      'Ｆｕｌｌｗｉｄｔｈ ﷺ',
      "don't I'LL we'Re THEY'VE",
      'SGVsbG8gd29ybGQhIFRoaXMgaXMgYmFzZTY0Lg==',
      'w|a|l|n|u|t 5|3',
      '',
    ];
    expect(differing(hostile)).toEqual([]);
  });

  it('is the counter the profile uses, and a damaged vocabulary file is refused rather than misread', () => {
    expect(countTextTokens('The quick brown fox')).toBe(reference('The quick brown fox'));
    expect(o200kCounter().count('The quick brown fox')).toBe(4);
    const raw = gunzipSync(readFileSync(VOCABULARY));
    expect(readVocabulary(raw.subarray(0, raw.length - 1))).toBeUndefined(); // cut short
    expect(readVocabulary(Buffer.concat([raw, Buffer.from([0x20])]))).toBeUndefined(); // bytes left over
    const otherMagic = Buffer.from(raw);
    otherMagic[0] = 0x70;
    expect(readVocabulary(otherMagic)).toBeUndefined();
    const otherCount = Buffer.from(raw);
    otherCount[11] = otherCount[11]! + 1;
    expect(readVocabulary(otherCount)).toBeUndefined();
  });
});
