// Public types of the encoding profiler: families, record findings, recovered schemes and the
// dataset-level report. Kept apart so every module can import them without cycles.
import type { Base85Variant } from './codecs/base85.js';

export type EncodingFamily =
  | 'substitution'
  | 'substitution-separated'
  | 'caesar'
  | 'atbash'
  | 'base64'
  | 'hex'
  | 'binary'
  | 'morse'
  | 'leetspeak'
  | 'reversed'
  | 'invisible'
  | 'last-word'
  | 'acrostic'
  | 'vigenere'
  | 'word-substitution'
  | 'pig-latin'
  | 'letter-number'
  | 'symbol-substitution'
  | 'doubling'
  | 'first-word'
  | 'plain-encoded-pair'
  | 'encoded-data'
  | 'styled'
  | 'homoglyph'
  | 'rot47'
  | 'base32'
  | 'base85'
  | 'percent-encoding'
  | 'chained'
  | 'transposition'
  | 'letter-word';

export const ENCODING_FAMILIES: readonly EncodingFamily[] = [
  'substitution',
  'substitution-separated',
  'caesar',
  'atbash',
  'base64',
  'hex',
  'binary',
  'morse',
  'leetspeak',
  'reversed',
  'invisible',
  'last-word',
  'acrostic',
  'vigenere',
  'word-substitution',
  'pig-latin',
  'letter-number',
  'symbol-substitution',
  'doubling',
  'first-word',
  'plain-encoded-pair',
  'encoded-data',
  'styled',
  'homoglyph',
  'rot47',
  'base32',
  'base85',
  'percent-encoding',
  'chained',
  'transposition',
  'letter-word',
];

/**
 * Encoded content that says what it is (a MIME encoded word or base64 body, a Kubernetes Secret's
 * data): reported for review, never counted toward the verdict.
 */
export const CONTENT_FAMILIES: ReadonlySet<EncodingFamily> = new Set(['encoded-data']);

/**
 * Families that take a word from each line (last words, first words): the line ends of a poem or a
 * dialogue look the same until their order is read, so a finding of theirs counts only when proven.
 */
export const LINE_WORD_FAMILIES: ReadonlySet<EncodingFamily> = new Set(['last-word', 'first-word']);

/** Whether a finding counts toward the verdict: content never does, a word a line only when proven. */
export function countsTowardVerdict(f: { family: EncodingFamily; proven: boolean }): boolean {
  return !CONTENT_FAMILIES.has(f.family) && (f.proven || !LINE_WORD_FAMILIES.has(f.family));
}

/** Kinds of character, for schemes that treat them apart (doubling). */
export type CharacterKind = 'letters' | 'digits' | 'spaces' | 'marks';

/** One record's text slots (request/response/system strings); record = 0-based input index. */
export interface TextUnit {
  record: number;
  texts: string[];
  /** Which input file the record comes from (analyzeFiles: 0-based position in the file list). */
  file?: number;
}

export interface RecordFinding {
  record: number;
  family: EncodingFamily;
  /** Confidence 0..1. */
  score: number;
  evidence: string;
  /** Which of the unit's texts carries it. */
  textIndex: number;
  /** Proven: a plaintext/encoded pair, or a decoding that reads as natural language (better than the raw text). */
  proven: boolean;
  /** The decoded text, cut for display, when the family can be decoded. */
  preview?: string;
  /** The input file (multi-file analysis). */
  file?: number;
}

export type InvisibleVariant = 'tags' | 'zero-width' | 'variation-selectors';

/** Codec variants beyond the invisible ones: reversal of the whole text, of each word or of the word order; pig latin's vowel suffix. */
export type SchemeVariant = InvisibleVariant | 'text' | 'words' | 'word-order' | 'way' | 'yay' | 'ay' | Base85Variant | 'quoted-printable';

export interface Scheme {
  family: EncodingFamily;
  /** 26-letter cipher alphabet: key[i] is the cipher letter for plain letter i. */
  key?: string;
  /** Caesar shift (plain letter i is written as letter i + shift). */
  shift?: number;
  /** Separator between characters (substitution-separated; hex and binary byte separator). */
  separator?: string;
  /** True when the key was recovered from plaintext/encoded pairs and every letter is determined. */
  exact?: boolean;
  /** Letters of the key backed by evidence (pairs, or cipher letters seen in the text). */
  lettersKnown?: number;
  /** Which invisible-character code (default 'tags'); 'words' for word-by-word reversal; pig latin's vowel suffix; base85's alphabet; percent-encoding's `=XX` form (quoted-printable). */
  variant?: SchemeVariant;
  /** Vigenère keyword (lower-case letters; the key advances on letters only). */
  keyword?: string;
  /** Word-level codebook: plain word (lower case) → code word. */
  codebook?: Record<string, string>;
  /** Per-letter symbols: symbols[i] stands for letter i (symbol substitution). */
  symbols?: string[];
  /** letter-number: the number of `a` (1 for A1Z26), the separator between letters, and between words. */
  offset?: number;
  wordSeparator?: string;
  /** substitution-separated: separators between all characters (default), inside words only (spaces kept), or with the spaces removed; substitution: 'no-spaces' for letters only, in lower case. */
  layout?: 'all' | 'in-words' | 'no-spaces';
  /** substitution (plain or separated): the text was reversed after it was enciphered (a chained encoding). */
  reversed?: boolean;
  /** doubling: how many times each character is written. */
  repeat?: number;
  /**
   * doubling: the kinds of character the data repeats (`letters`, `digits`, `spaces`, `marks`), as
   * the data's own records show; absent: every character.
   */
  repeatKinds?: CharacterKind[];
  /** base85 (Ascii85): the data writes each run between `<~` and `~>`. */
  framed?: boolean;
  /** styled: the letter style the data writes in. */
  style?: 'math-bold' | 'full-width' | 'upside-down';
  /** False when the codec cannot write arbitrary text (a word codebook only knows the words it saw). */
  writable?: boolean;
}

export interface FamilySummary {
  family: EncodingFamily;
  records: number;
  share: number;
  evidence: string;
  examples: { record: number; excerpt: string; decoded?: string }[];
}

export interface EncodingThresholds {
  /** Flagged records (all families together) from this share of the analysed records make the verdict `encoded` (default 0.05). */
  encodedShare: number;
  /**
   * Records with proven evidence (pairs, or a decoding that reads as natural language) make it
   * `encoded` from this count (default 5) and from `provenShare` of the analysed records, whichever
   * is more: a bigger file of the same kind has more chance proofs, not a lower bar.
   */
  provenRecords: number;
  /** The share of the analysed records that proven records must also reach (default 0.01). */
  provenShare: number;
}

export const DEFAULT_THRESHOLDS: EncodingThresholds = { encodedShare: 0.05, provenRecords: 5, provenShare: 0.01 };

export interface EncodingReport {
  /**
   * 'encoded' (blocks by default) when at least `provenRecords` records carry proven evidence, or the
   * flagged records of all families together reach `encodedShare` of the records; 'suspicious' when
   * some records are flagged on weaker evidence; 'none' otherwise.
   */
  verdict: 'none' | 'suspicious' | 'encoded';
  /** Why the verdict is what it is, in one sentence. */
  reason: string;
  /** The thresholds used. */
  thresholds: EncodingThresholds;
  /** Units analysed. */
  records: number;
  /** Distinct records with any finding, all families together. */
  flagged: number;
  /** Distinct records with proven evidence. */
  proven: number;
  families: FamilySummary[];
  /** Best recovered scheme, when one can be recovered. */
  scheme?: Scheme;
  /** Record findings (index, family, evidence, decoded preview), capped at 5000 (a full default sample). */
  findings: RecordFinding[];
  /** Languages of the records' plain text (ISO 639-3) that decodings are read in. */
  languages?: string[];
  /** Per input file (multi-file analysis): records analysed and flagged. */
  files?: { file: number; name?: string; records: number; flagged: number; proven: number }[];
}

/** A recognizer's result for one text, with what the aggregator needs beyond the public fields. */
export interface Detection {
  family: EncodingFamily;
  score: number;
  evidence: string;
  /** The encoded stretch, for display. */
  excerpt: string;
  /** Its decoding, when the family has a keyless decoder. */
  decoded?: string;
  /** Caesar shift found. */
  shift?: number;
  /** Separator found (substitution-separated). */
  separator?: string;
  /** The enciphered stretch for letter ciphers (key recovery, re-reading with a dataset's scheme). */
  cipherText?: string;
  /** The decoding reads as natural language (and better than the raw text). */
  proven?: boolean;
  /** Family-specific scheme details found in this text (Vigenère keyword, letter-number layout, …). */
  scheme?: Partial<Scheme>;
}
