// Public types of the encoding profiler: families, record findings, recovered schemes and the
// dataset-level report. Kept apart so every module can import them without cycles.

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
  | 'plain-encoded-pair';

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
  'plain-encoded-pair',
];

/** One record's text slots (request/response/system strings); record = 0-based input index. */
export interface TextUnit {
  record: number;
  texts: string[];
}

export interface RecordFinding {
  record: number;
  family: EncodingFamily;
  /** Confidence 0..1. */
  score: number;
  evidence: string;
  /** Which of the unit's texts carries it. */
  textIndex: number;
}

export type InvisibleVariant = 'tags' | 'zero-width' | 'variation-selectors';

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
  /** Which invisible-character code (an addition to the brief's Scheme; default 'tags'). */
  variant?: InvisibleVariant;
}

export interface FamilySummary {
  family: EncodingFamily;
  records: number;
  share: number;
  evidence: string;
  examples: { record: number; excerpt: string; decoded?: string }[];
}

export interface EncodingReport {
  /** 'encoded' when a family is carried by >= minShare (default 5%) of units; 'suspicious' when some records are flagged but fewer. */
  verdict: 'none' | 'suspicious' | 'encoded';
  /** Units analysed. */
  records: number;
  /** Distinct records with any finding. */
  flagged: number;
  families: FamilySummary[];
  /** Best recovered scheme, when one can be recovered. */
  scheme?: Scheme;
  /** Record findings, capped at 1000. */
  findings: RecordFinding[];
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
}
