// Issue 11 acceptance, mimic: the pieces mix wires together (analyzeSample → plainRecords → profile
// and donors from plain rows only → planner with mimicScheme) on datasets built with the independent
// encoders. Every encoded twin decodes, with the true key and an independent decoder, to its seed
// request and a refusal; no plain safety record carries encoded text (the binary fixture at 20%,
// whose rows once taught the template inference `{number}×26 {request}`, included).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDataset } from '../../src/api/sample.js';
import { analyzeSample, mimicScheme, plainRecords } from '../../src/api/encoding-check.js';
import { buildProfile } from '../../src/profile/profile.js';
import { SafetyPlanner } from '../../src/generate/planner.js';
import { analyzeEncoding } from '../../src/encoding/index.js';
import { SEED_BY_ID, isRefusal, requestIn } from '../safety-text.js';
import { tempDir } from '../helpers.js';
import { VARIANTS, type Variant } from './independent/encoders.js';
import { dataset } from './independent/fixtures.js';
import * as D from './independent/decoders.js';

interface Case {
  variant: string;
  share: number;
  total: number;
  /** The true decoding, written apart from src/. */
  decode: (text: string) => string;
  /** The form every encoded text of the data has (the twins must have it too). */
  form?: RegExp;
}

const byName = (prefix: string): Variant => VARIANTS.find((v) => v.name.startsWith(prefix))!;
const WALNUT = byName('Walnut53: substitution').truth!.key!;
const KEY_B = byName('keyed substitution, case').truth!.key!;
const EMOJI = byName('one emoji').truth!.symbols!;

const CASES: Case[] = [
  { variant: '8-bit binary, space-separated', share: 0.2, total: 300, decode: D.unbinary },
  { variant: 'Walnut53: substitution', share: 0.02, total: 500, decode: (t) => D.unkey(D.unseparate(t, '|'), WALNUT) },
  { variant: 'Walnut53 with separators inside words', share: 0.05, total: 300, decode: (t) => D.unkey(D.unseparate(t, '|', 'in-words'), WALNUT) },
  { variant: 'keyed substitution, case', share: 0.05, total: 300, decode: (t) => D.unkey(t, KEY_B) },
  { variant: 'Caesar shift 3', share: 0.02, total: 500, decode: (t) => D.unshift(t, 3) },
  { variant: 'Vigenère, keyword "lemon"', share: 0.2, total: 200, decode: (t) => D.unvigenere(t, 'lemon') },
  { variant: 'base64, one line', share: 0.05, total: 300, decode: D.unbase64 },
  { variant: 'hex bytes, lower case', share: 0.05, total: 300, decode: D.unhex },
  { variant: 'A1Z26, "-" inside words', share: 0.05, total: 300, decode: (t) => D.unletterNumbers(t, 1, '-', ' ') },
  { variant: 'one emoji per letter', share: 0.2, total: 200, decode: (t) => D.unsymbols(t, EMOJI) },
  { variant: 'every character twice', share: 0.05, total: 300, decode: (t) => D.unrepeat(t, 2) },
  { variant: 'whole text reversed', share: 0.05, total: 300, decode: D.unreverse },
  { variant: 'word order reversed', share: 0.05, total: 300, decode: (t) => t.split(' ').reverse().join(' ') },
  { variant: 'Ascii85 (Adobe), between <~ and ~>', share: 0.05, total: 300, decode: D.unascii85, form: /^<~[!-uz]+~>$/ },
  { variant: 'every byte as quoted-printable =XX', share: 0.05, total: 300, decode: D.unquoted, form: /^(?:=[0-9A-F]{2})+$/ },
];

const dir = tempDir('safemix-mimic-');

describe('mimic writes decodable twins and keeps attacker text out of plain safety records', () => {
  for (const c of CASES) {
    it(`${c.variant} at ${c.share * 100}% of ${c.total}`, async () => {
      const variant = byName(c.variant);
      const rows = dataset(variant, c.share, c.total, 3);
      const path = join(dir, `${variant.family}-${c.share}.jsonl`);
      writeFileSync(path, rows.map((r) => JSON.stringify(r.value)).join('\n') + '\n');
      const { scan, sample, records, idMax } = await sampleDataset(path, { trackNumbers: true });
      const report = analyzeSample(scan.detection.dialect, sample);
      const scheme = mimicScheme(report, 'mimic');
      expect(report.verdict).toBe('encoded');
      expect(scheme?.family).toBe(variant.family);
      // the profile and the donors come from the rows judged plain
      const plain = plainRecords(sample, report);
      expect(plain.some((r) => rows[r.index]!.encoded)).toBe(false);
      const profile = buildProfile(plain, records, scan.detection, scan.reader.container, { seed: 'mimic' });
      const planner = new SafetyPlanner(profile, plain, idMax, scan.reader.container, { seed: 'mimic', inputSha: variant.name, scheme, lang: 'en' });
      const planned = Array.from({ length: 16 }, () => planner.next());
      const encoded = planned.filter((p) => p.encoded);
      const plainOut = planned.filter((p) => !p.encoded);
      expect(encoded).toHaveLength(8);
      const letters = (t: string) => t.toLowerCase().replace(/[^a-z]/g, '');
      planned.forEach((p, j) => {
        if (!p.encoded) return;
        const msgs = (p.value as { messages: { role: string; content: string }[] }).messages;
        const user = msgs.find((m) => m.role === 'user')!.content;
        const assistant = msgs.find((m) => m.role === 'assistant')!.content;
        const seed = SEED_BY_ID.get(p.seedId)!;
        if (c.form) for (const t of [user, assistant]) expect(t).toMatch(c.form);
        expect(requestIn(c.decode(user), seed), `request of ${p.seedId}: ${user.slice(0, 120)}`).toBe(true);
        // the twin of the plain record before it: its refusal, decoded (letters only for codecs that drop punctuation)
        const refusal = c.decode(assistant);
        const twin = (planned[j - 1]!.value as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'assistant')!.content;
        expect(isRefusal(twin)).toBe(true);
        expect(isRefusal(refusal) || letters(twin) === letters(refusal), `refusal: ${assistant.slice(0, 120)} → ${refusal.slice(0, 80)}`).toBe(true);
      });
      // plain safety records: the seed request and a refusal in plain text, and nothing encoded
      const attacker = rows.filter((r) => r.encoded).flatMap((r) => r.value.messages.map((m) => m.content ?? ''));
      for (const p of plainOut) {
        const text = JSON.stringify(p.value);
        const seed = SEED_BY_ID.get(p.seedId)!;
        expect(requestIn(text, seed)).toBe(true);
        for (const a of attacker) for (const piece of a.split('\n').filter((l) => l.length >= 24)) expect(text.includes(piece), piece).toBe(false);
      }
      const check = analyzeEncoding(
        plainOut.map((p, record) => ({ record, texts: (p.value as { messages: { content: string }[] }).messages.map((m) => m.content) })),
      );
      expect(check.flagged).toBe(0);
    });
  }
});
