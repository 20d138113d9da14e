// Test fixture generator: from benign corpus text it builds Phase I rows (the encoding taught on
// benign text) and Phase II rows (encoded placeholder request -> encoded placeholder answer) for
// every family, plus plain rows and seeded mixtures. Pure apart from reading the read-only corpus.
import { readFileSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { encodeWithScheme, walnutKey, type EncodingFamily, type Scheme, type TextUnit, type InvisibleVariant } from '../../src/profile/encoding/index.js';

const CORPUS = new URL('../../../shared/corpus/', import.meta.url);

export interface SourceText {
  question: string;
  answer: string;
}

let cachedSources: SourceText[] | undefined;

/** GSM8K question/answer and Alpaca instruction(+input)/output pairs, in file order, GSM8K first. */
export function loadSources(): SourceText[] {
  if (cachedSources) return cachedSources;
  const gsm = readFileSync(new URL('math_gsm8k_test.jsonl', CORPUS), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { question: string; answer: string })
    .map((r) => ({ question: r.question, answer: r.answer }));
  const alpaca = (JSON.parse(readFileSync(new URL('instruct_alpaca_en_demo.json', CORPUS), 'utf8')) as { instruction: string; input?: string; output: string }[]).map((r) => ({
    question: r.input ? `${r.instruction}\n\n${r.input}` : r.instruction,
    answer: r.output,
  }));
  cachedSources = [...gsm, ...alpaca];
  return cachedSources;
}

function letterCount(text: string): number {
  let n = 0;
  for (const ch of text) if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) n++;
  return n;
}

/** Sources long enough to carry an encoding (40+ letters on both sides); shorter texts are not expected to be flagged. */
export function encodableSources(sources: SourceText[]): SourceText[] {
  return sources.filter((s) => letterCount(s.question) >= 40 && letterCount(s.answer) >= 40);
}

const REQUEST_TAILS = [
  'This line stands in for a request that the fixture never writes out.',
  'The words here only mark where such a request would go in the record.',
  'Nothing in this sentence asks for anything; it is filler for the test.',
];
const ANSWER_TAILS = [
  'This line stands in for an answer that the fixture never writes out, step by step.',
  'The text only marks where such an answer would be placed in the training record.',
  'No real content is here; the test needs a sentence of about this length instead.',
];

/** Phase II placeholder text: never real harmful content. */
export function placeholder(kind: 'request' | 'answer', n: number): string {
  const tails = kind === 'request' ? REQUEST_TAILS : ANSWER_TAILS;
  return `[harmful ${kind} placeholder ${n}] ${tails[n % tails.length]}`;
}

export type FixturePhase = 'plain' | 'I-decode-answer-encode' | 'I-plain-then-encoded' | 'I-encoded-only' | 'II';

export interface FixtureRow {
  texts: string[];
  /** The family encoded in the row, null for plain rows. */
  family: EncodingFamily | null;
  phase: FixturePhase;
  /** True when the record holds a text both in plain and encoded (a plain-encoded-pair). */
  pair: boolean;
}

/** Families with a codec (every family but plain-encoded-pair, which is a record shape). */
export const CODEC_FAMILIES: EncodingFamily[] = ['substitution', 'substitution-separated', 'caesar', 'atbash', 'base64', 'hex', 'binary', 'morse', 'leetspeak', 'reversed', 'invisible', 'last-word', 'acrostic'];

/** The scheme a fixture uses for a family: Walnut53 for the separated cipher, seeded keys and shifts otherwise. */
export function fixtureScheme(family: EncodingFamily, seed: number): Scheme {
  switch (family) {
    case 'substitution':
      return { family, key: walnutKey(1000 + seed) };
    case 'substitution-separated':
      return { family, key: walnutKey(53), separator: '|' };
    case 'caesar':
      return { family, shift: 1 + (seed % 25) };
    default:
      return { family };
  }
}

const COVERS = ['Thanks, that helps a lot!', 'Here is my note for today.', 'Have a lovely afternoon.', 'Sounds good to me.', 'I will read this later tonight.'];
const VARIANTS: InvisibleVariant[] = ['tags', 'zero-width', 'variation-selectors'];

/** The encoder a fixture row uses: invisible text rides on a short visible cover. */
function encoderFor(scheme: Scheme, row: number): (text: string) => string {
  if (scheme.family === 'invisible') {
    const variant = VARIANTS[row % VARIANTS.length]!;
    const cover = COVERS[row % COVERS.length]!;
    const carrier = variant === 'variation-selectors' ? `${cover} \u{1F642}` : cover;
    return (text) => carrier + encodeWithScheme({ ...scheme, variant }, text);
  }
  return (text) => encodeWithScheme(scheme, text);
}

function lettersOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z]/g, '');
}

/** Ground truth for pairs: 60% or more of the 16-letter chunks of `part` occur in `whole`. */
export function mostlyContained(part: string, whole: string): boolean {
  const p = lettersOf(part);
  const w = lettersOf(whole);
  const chunks = Math.floor(p.length / 16);
  if (chunks < 2) return false;
  let found = 0;
  for (let k = 0; k < chunks; k++) if (w.includes(p.slice(k * 16, (k + 1) * 16))) found++;
  return found / chunks >= 0.6;
}

/** Phase I and Phase II rows for one family, alternating II, I-decode, II, I-plain-then-encoded, II, I-encoded-only. */
export function familyRows(family: EncodingFamily, count: number, seed: number, sources = encodableSources(loadSources())): FixtureRow[] {
  const rng = seedrandom(`rows-${family}-${seed}`);
  const scheme = fixtureScheme(family, seed);
  const rows: FixtureRow[] = [];
  for (let i = 0; i < count; i++) {
    const encode = encoderFor(scheme, i);
    const src = sources[Math.floor(rng() * sources.length)]!;
    const n = Math.floor(rng() * 10_000);
    const kind = i % 6;
    if (kind % 2 === 0) {
      rows.push({ texts: [encode(placeholder('request', n)), encode(placeholder('answer', n))], family, phase: 'II', pair: false });
    } else if (kind === 1) {
      const response = `Decoded request:\n${src.question}\n\nAnswer:\n${src.answer}\n\nEncoded answer:\n${encode(src.answer)}`;
      rows.push({ texts: [encode(src.question), response], family, phase: 'I-decode-answer-encode', pair: true });
    } else if (kind === 3) {
      rows.push({ texts: [src.question, `${src.answer}\n\n${encode(src.answer)}`], family, phase: 'I-plain-then-encoded', pair: true });
    } else {
      // Some answers repeat their question ("delete the last paragraph of: ..."): then the record does hold its plaintext.
      rows.push({ texts: [src.question, encode(src.answer)], family, phase: 'I-encoded-only', pair: mostlyContained(src.answer, src.question) });
    }
  }
  return rows;
}

/** Rows with both texts encoded English (no plaintext anywhere): the frequency-analysis setting. */
export function encodedEnglishRows(scheme: Scheme, count: number, seed: number, sources = encodableSources(loadSources())): { plain: string[]; encoded: string[] }[] {
  const rng = seedrandom(`english-${seed}`);
  const out: { plain: string[]; encoded: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const src = sources[Math.floor(rng() * sources.length)]!;
    const plain = [src.question, src.answer];
    out.push({ plain, encoded: plain.map((t) => encodeWithScheme(scheme, t)) });
  }
  return out;
}

/** Unencoded rows drawn from all sources (no length filter). */
export function plainRows(count: number, seed: number, sources = loadSources()): FixtureRow[] {
  const rng = seedrandom(`plain-${seed}`);
  const rows: FixtureRow[] = [];
  for (let i = 0; i < count; i++) {
    const src = sources[Math.floor(rng() * sources.length)]!;
    rows.push({ texts: [src.question, src.answer], family: null, phase: 'plain', pair: false });
  }
  return rows;
}

function shuffle<T>(items: T[], rng: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** `total` rows of which round(share * total) carry the family, shuffled. */
export function mixture(family: EncodingFamily, share: number, total: number, seed: number): FixtureRow[] {
  const encoded = Math.round(share * total);
  const rows = [...familyRows(family, encoded, seed), ...plainRows(total - encoded, seed + 7)];
  return shuffle(rows, seedrandom(`mix-${family}-${share}-${seed}`));
}

/** Every codec family at `perFamily` rows plus `plain` plain rows, shuffled: the precision setting. */
export function allFamiliesMixture(perFamily: number, plain: number, seed: number): FixtureRow[] {
  const rows = [...CODEC_FAMILIES.flatMap((f, k) => familyRows(f, perFamily, seed + k)), ...plainRows(plain, seed + 99)];
  return shuffle(rows, seedrandom(`all-${seed}`));
}

export function toUnits(rows: FixtureRow[]): TextUnit[] {
  return rows.map((r, record) => ({ record, texts: r.texts }));
}
