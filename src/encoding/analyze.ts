// Dataset-level aggregation: runs the recognizers over every record, pairs plaintext with its
// encoding, recovers the scheme (key from pairs, else frequency analysis; word codebook from word
// pairs; symbols mapped to letters first), confirms letter substitutions by decoding them, re-reads
// short texts with the dataset's schemes, marks each finding proven or not, and decides the verdict
// from the evidence: proven records (any share) or the flagged share of all families together.
import {
  CONTENT_FAMILIES,
  countsTowardVerdict,
  DEFAULT_THRESHOLDS,
  LINE_WORD_FAMILIES,
  type EncodingFamily,
  type EncodingReport,
  type EncodingThresholds,
  type FamilySummary,
  type InvisibleVariant,
  type RecordFinding,
  type Scheme,
  type TextUnit,
} from './types.js';
import { analyzeText, type TextAnalysis } from './detect.js';
import { findPairs, functionShare } from './recognize-pairs.js';
import { recoverKeyFromPairsAndText, recoverSubstitutionKeyByFrequency, recoverSubstitutionKeyFromPairs } from './key-recovery.js';
import { suspectSentences } from './recognize-prose.js';
import { reverseText, unsubstitute, vigenereDecode } from './codecs/letters.js';
import { reversal } from './codecs/index.js';
import { codebookDecode } from './codecs/words.js';
import { ALPHABET, ATBASH_KEY, caesarKey } from './codecs/keys.js';
import { invisiblePayloads } from './codecs/hidden.js';
import { excerpt } from './text-scan.js';
import { englishWordRate, indexOfCoincidence } from './english-stats.js';
import { declarationOf, dominantLanguages, NATURAL_BITS, naturalness, readsNatural } from './language-model.js';
import { beatsShuffles, readInOrder, WordPairs } from './word-order.js';
import { findWordOrderPair } from './recognize-word-order.js';
import { decodingReads, segmentedReads } from './reading.js';
import { symbolsToLetters, symbolText } from './recognize-more.js';

const MAX_FINDINGS = 5000;
const MAX_EXAMPLES = 3;
const PREVIEW = 120;

interface Hit extends RecordFinding {
  unit: number;
  excerpt: string;
  decoded?: string;
  cipherText?: string;
  shift?: number;
  separator?: string;
  scheme?: Partial<Scheme>;
  /** Found in a text written in symbols (read as letters for the analysis). */
  symbols?: boolean;
}

export interface AnalyzeOptions extends Partial<EncodingThresholds> {
  /** Former name of encodedShare. */
  minShare?: number;
}

const SUBSTITUTION_FAMILIES: ReadonlySet<EncodingFamily> = new Set(['substitution', 'substitution-separated']);
const LETTER_CIPHERS: ReadonlySet<EncodingFamily> = new Set(['substitution', 'caesar', 'atbash', 'reversed', 'vigenere']);
/** Families whose hidden message sits in natural cover text: proven when the message reads as language. */
const HIDDEN: ReadonlySet<EncodingFamily> = new Set(['invisible', 'last-word', 'first-word']);

export function analyzeEncoding(units: TextUnit[], options?: AnalyzeOptions): EncodingReport {
  return analyzeEncodingDetailed(units, options).report;
}

export function thresholdsOf(options?: AnalyzeOptions): EncodingThresholds {
  return {
    encodedShare: options?.encodedShare ?? options?.minShare ?? DEFAULT_THRESHOLDS.encodedShare,
    provenRecords: options?.provenRecords ?? DEFAULT_THRESHOLDS.provenRecords,
    provenShare: options?.provenShare ?? DEFAULT_THRESHOLDS.provenShare,
  };
}

/**
 * The record's text at `encodedIndex` reads as one natural language and another of its texts as a
 * different one: a translation pair (English → Dutch reads the→de word for word), not a plaintext and
 * its encoding. A code keeps the plain text's language (a word codebook) or reads as none (a cipher).
 * Each pair of texts is read without the words both hold unchanged: names, identifiers, numbers and
 * placeholders are left as they are by a translation (and by no code, which changes every word), and
 * say nothing of either side's language (a message of a program's interface, translated, still
 * holds its English option names).
 */
function translationPair(unit: TextUnit, encodedIndex: number): boolean {
  const reads = (t: string) => {
    const r = naturalness(t);
    return r.chars >= 20 && r.bits >= NATURAL_BITS ? r.lang : undefined;
  };
  const encodedText = unit.texts[encodedIndex]!;
  return unit.texts.some((t, i) => {
    if (i === encodedIndex) return false;
    const [encoded, other] = withoutSharedWords(encodedText, t);
    const a = reads(encoded);
    if (!a) return false;
    const b = reads(other);
    return b !== undefined && b !== a;
  });
}

/** Two texts, each without the words (runs of letters, digits and marks between white space) the other holds too. */
function withoutSharedWords(a: string, b: string): [string, string] {
  const wordsOf = (t: string) => t.split(/\s+/).filter(Boolean);
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  const inA = new Set(wa);
  const inB = new Set(wb);
  return [wa.filter((w) => !inB.has(w)).join(' '), wb.filter((w) => !inA.has(w)).join(' ')];
}

/** Symbols (emoji, signs) of texts written in them, as letters a..z by frequency: one table per dataset. */
function symbolTable(units: TextUnit[]): Map<string, string> | undefined {
  const counts = new Map<string, number>();
  let texts = 0;
  for (const u of units)
    for (const t of u.texts) {
      if (t.length < 15) continue;
      const s = symbolText(t);
      if (!s) continue;
      texts++;
      for (const ch of s.symbols) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  if (texts === 0) return undefined;
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 26);
  return new Map(ranked.map(([ch], i) => [ch, ALPHABET[i]!]));
}

/**
 * The report and every record finding (the report's list is capped at 5000). Records whose texts
 * repeat an earlier record's are analysed and counted once (a file and its copy ten times over get
 * the same verdict, and repeated text adds no evidence); each copy carries its original's findings,
 * so it is left out of the plain records as its original is.
 */
export function analyzeEncodingDetailed(units: TextUnit[], options?: AnalyzeOptions): { report: EncodingReport; allFindings: RecordFinding[] } {
  const first = new Map<string, TextUnit>();
  const copies: [TextUnit, TextUnit][] = [];
  const distinct: TextUnit[] = [];
  for (const u of units) {
    const key = u.texts.join('\u0000');
    const original = first.get(key);
    if (original) copies.push([u, original]);
    else {
      first.set(key, u);
      distinct.push(u);
    }
  }
  const result = analyzeDistinct(distinct, options);
  if (!copies.length) return result;
  const byRecord = new Map<string, RecordFinding[]>();
  for (const f of result.allFindings) byRecord.set(recordKey(f), [...(byRecord.get(recordKey(f)) ?? []), f]);
  const copied = copies.flatMap(([u, original]) =>
    (byRecord.get(recordKey(original)) ?? []).map((f) => {
      const { file: _file, ...rest } = f;
      return { ...rest, record: u.record, ...(u.file !== undefined ? { file: u.file } : {}) };
    }),
  );
  const allFindings = [...result.allFindings, ...copied].sort((a, b) => (a.file ?? 0) - (b.file ?? 0) || a.record - b.record || b.score - a.score);
  const report: EncodingReport = {
    ...result.report,
    reason: `${result.report.reason}; ${copies.length} record(s) repeat an earlier record's text and were counted once`,
    records: units.length,
    findings: allFindings.slice(0, MAX_FINDINGS),
  };
  if (result.report.files) {
    // each file's own records, copies among them, and its records with findings
    const flagged = new Set(allFindings.map(recordKey));
    const proven = new Set(allFindings.filter((f) => f.proven).map(recordKey));
    report.files = result.report.files.map((f) => {
      const mine = units.filter((u) => (u.file ?? 0) === f.file);
      return {
        ...f,
        records: mine.length,
        flagged: mine.filter((u) => flagged.has(recordKey(u))).length,
        proven: mine.filter((u) => proven.has(recordKey(u))).length,
      };
    });
  }
  return { report, allFindings };
}

function analyzeDistinct(units: TextUnit[], options?: AnalyzeOptions): { report: EncodingReport; allFindings: RecordFinding[] } {
  const thresholds = thresholdsOf(options);
  const hits: Hit[] = [];
  const cipherTexts: string[] = [];
  const symbolCipherTexts: string[] = [];
  const keyPairs: { plain: string; encoded: string }[] = [];
  const symbolPairs: { plain: string; encoded: string }[] = [];
  const wordVotes = new Map<string, Map<string, number>>();
  const analysesByUnit: TextAnalysis[][] = [];
  const table = symbolTable(units);

  units.forEach((unit, u) => {
    const symbolic = unit.texts.map((t) => table !== undefined && t.length >= 15 && symbolText(t) !== undefined);
    const analyses = unit.texts.map((t, i) => analyzeText(symbolic[i] ? symbolsToLetters(t, table!) : t));
    analysesByUnit.push(analyses);
    const pairs = findPairs(analyses);
    analyses.forEach((a, textIndex) => {
      for (const d of a.detections) {
        const sym = symbolic[textIndex] && LETTER_CIPHERS.has(d.family);
        hits.push({
          unit: u,
          record: unit.record,
          ...(unit.file !== undefined ? { file: unit.file } : {}),
          family: sym ? 'symbol-substitution' : d.family,
          score: round(d.score),
          evidence: sym ? `written in symbols, one per letter; read as letters: ${d.evidence}` : d.evidence,
          textIndex,
          excerpt: sym ? excerpt(unit.texts[textIndex]!) : d.excerpt,
          decoded: sym ? undefined : d.decoded,
          shift: d.shift,
          separator: d.separator,
          cipherText: d.cipherText,
          scheme: d.scheme,
          proven: sym ? false : d.proven === true,
          symbols: sym || undefined,
        });
        if (!d.cipherText) continue;
        if (sym) symbolCipherTexts.push(d.cipherText);
        else if (SUBSTITUTION_FAMILIES.has(d.family)) cipherTexts.push(d.cipherText);
      }
    });
    // a text and its words in the reverse order
    const turned = findWordOrderPair(unit.texts);
    if (turned && !analyses[turned.textIndex]!.detections.some((d) => d.family === 'reversed'))
      hits.push({
        unit: u,
        record: unit.record,
        ...(unit.file !== undefined ? { file: unit.file } : {}),
        family: 'reversed',
        score: turned.detection.score,
        evidence: turned.detection.evidence,
        textIndex: turned.textIndex,
        excerpt: turned.detection.excerpt,
        decoded: turned.detection.decoded,
        scheme: turned.detection.scheme,
        proven: true,
      });
    for (const p of pairs) {
      // a translation pair (two texts in two natural languages, word for word) is no code
      if (translationPair(unit, p.textIndex)) continue;
      const d = p.detection;
      hits.push({
        unit: u,
        record: unit.record,
        ...(unit.file !== undefined ? { file: unit.file } : {}),
        family: d.family,
        score: round(d.score),
        evidence: d.evidence,
        textIndex: p.textIndex,
        excerpt: d.excerpt,
        decoded: d.decoded,
        proven: true,
      });
      if (symbolic[p.textIndex]) symbolPairs.push(...p.letterPairs);
      else if (SUBSTITUTION_FAMILIES.has(p.encodedFamily)) keyPairs.push(...p.letterPairs);
      for (const w of p.wordPairs ?? []) {
        const m = wordVotes.get(w.plain) ?? new Map<string, number>();
        m.set(w.code, (m.get(w.code) ?? 0) + 1);
        wordVotes.set(w.plain, m);
      }
    }
  });

  // the languages the records' plain text is written in: decodings must read in one of them
  let langs: string[] | undefined;
  const languages = (): string[] => {
    if (!langs) {
      const flagged = new Set(hits.map((h) => h.unit));
      const plain: string[] = [];
      const step = Math.max(1, Math.floor(units.length / 80));
      for (let u = 0; u < units.length && plain.length < 80; u += step)
        if (!flagged.has(u)) plain.push(...units[u]!.texts.filter((t) => t.length >= 30).slice(0, 1));
      langs = dominantLanguages(plain, 80);
    }
    return langs;
  };

  const key = hits.length
    ? recoverKey(
        hits.filter((h) => !h.symbols),
        keyPairs,
        cipherTexts,
        languages,
      )
    : undefined;
  const symbolKey =
    symbolCipherTexts.length || symbolPairs.length
      ? recoverKey(
          hits.filter((h) => h.symbols),
          symbolPairs,
          symbolCipherTexts,
          languages,
        )
      : undefined;
  confirmSubstitutions(hits, key, symbolKey, languages);
  const codebook = codebookOf(wordVotes);
  reconcileLetterCiphers(hits, key, languages);
  reread(units, analysesByUnit, hits, { key, symbolKey, codebook, table }, languages);
  settleProof(hits, units, languages);

  const families = summarise(hits, units.length);
  // content in a standard encoding that says what it is is reported, never counted; a word a line
  // counts only when proven (see countsTowardVerdict), and otherwise makes a record suspicious only
  const flaggedRecords = new Set(hits.filter((h) => !CONTENT_FAMILIES.has(h.family)).map((h) => recordKey(h)));
  const counted = new Set(hits.filter(countsTowardVerdict).map((h) => recordKey(h)));
  const provenRecords = new Set(hits.filter((h) => h.proven && countsTowardVerdict(h)).map((h) => recordKey(h)));
  const flagged = flaggedRecords.size;
  const proven = provenRecords.size;
  const share = units.length ? counted.size / units.length : 0;
  let verdict: EncodingReport['verdict'] = 'none';
  let reason = `no record is flagged (${units.length} records analysed)`;
  const provenBar = Math.max(thresholds.provenRecords, Math.ceil(thresholds.provenShare * units.length));
  if (proven >= provenBar) {
    verdict = 'encoded';
    reason = `${proven} of ${units.length} records carry proven evidence (plaintext/encoded pairs, or decodings that read as natural language), at least ${provenBar} (${thresholds.provenRecords}, and ${pct(thresholds.provenShare)} of the records)`;
  } else if (counted.size > 0 && share >= thresholds.encodedShare) {
    verdict = 'encoded';
    reason = `${counted.size} of ${units.length} records (${pct(share)}) are flagged, all families together, at least ${pct(thresholds.encodedShare)}`;
  } else if (flagged > 0) {
    verdict = 'suspicious';
    const unread = `${flagged - counted.size} record(s) carry words a line (last or first words) that do not read as sentences in their order, not counted`;
    reason =
      counted.size === 0
        ? unread
        : `${counted.size} record(s) flagged (${pct(share)}, below ${pct(thresholds.encodedShare)}), ${proven} with proven evidence (below ${provenBar})${flagged > counted.size ? `; ${unread}` : ''}`;
  }
  const scheme = pickScheme(families, hits, { key, symbolKey, codebook, table }, analysesByUnit, units);
  const allFindings: RecordFinding[] = hits
    .sort((a, b) => (a.file ?? 0) - (b.file ?? 0) || a.record - b.record || b.score - a.score)
    .map(({ record, family, score, evidence, textIndex, proven: p, decoded, file }) => ({
      record,
      ...(file !== undefined ? { file } : {}),
      family,
      score,
      evidence,
      textIndex,
      proven: p,
      ...(decoded !== undefined ? { preview: excerpt(decoded, PREVIEW) } : {}),
    }));
  const report: EncodingReport = {
    verdict,
    reason,
    thresholds,
    records: units.length,
    flagged,
    proven,
    families,
    findings: allFindings.slice(0, MAX_FINDINGS),
  };
  if (langs) report.languages = langs;
  if (scheme) report.scheme = scheme;
  if (units.some((u) => u.file !== undefined)) {
    const files = new Map<number, { file: number; records: number; flagged: number; proven: number }>();
    for (const u of units) {
      const f = files.get(u.file ?? 0) ?? { file: u.file ?? 0, records: 0, flagged: 0, proven: 0 };
      f.records++;
      files.set(u.file ?? 0, f);
    }
    for (const k of flaggedRecords) files.get(Number(k.split(':')[0]))!.flagged++;
    for (const k of provenRecords) files.get(Number(k.split(':')[0]))!.proven++;
    report.files = [...files.values()].sort((a, b) => a.file - b.file);
  }
  return { report, allFindings };
}

function recordKey(h: { file?: number; record: number }): string {
  return `${h.file ?? 0}:${h.record}`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A ciphertext deciphered with a recovered key (reversed first when the scheme says the text was reversed after it was enciphered). */
function decipher(text: string, scheme: Pick<Scheme, 'key' | 'reversed'>): string {
  return unsubstitute(scheme.reversed ? reverseText(text) : text, scheme.key!);
}

/** Reads a sample of ciphertexts with a key: the share of them whose decoding reads as language. */
function keyReads(scheme: Pick<Scheme, 'key' | 'reversed'>, texts: string[], langs: string[]): number {
  const sample = texts.slice(0, 30);
  if (sample.length === 0) return 0;
  let ok = 0;
  for (const t of sample) {
    const decoded = decipher(t, scheme);
    const spaceless = !/\s/.test(t.trim());
    if (spaceless ? segmentedReads(decoded) : decodingReads(t, decoded, langs, 12).ok) ok++;
  }
  return ok / sample.length;
}

/**
 * A key from pairs when they determine most letters, else from the ciphertext when there is enough of
 * it and it then reads as language; a key short of exact is weighed against one recovered from the
 * reversed ciphertext (a chained encoding: enciphered, then reversed), which wins by reading better.
 */
function recoverKey(hits: Hit[], keyPairs: { plain: string; encoded: string }[], cipherTexts: string[], languages: () => string[]): Scheme | undefined {
  const forward = recoverForwardKey(hits, keyPairs, cipherTexts, languages);
  if (forward?.exact) return forward;
  const sample = cipherTexts.slice(0, 400);
  const letters = sample.reduce((a, t) => a + t.length, 0);
  if (letters < 400 || indexOfCoincidence(sample.join(' ')) < 0.055) return forward;
  const backwards: Scheme = { ...recoverSubstitutionKeyByFrequency(sample.map(reverseText)), reversed: true };
  if (keyReads(backwards, sample, languages()) < 0.5) return forward;
  return !forward?.key || readingBits(backwards, sample) > readingBits(forward, sample) + 0.3 ? backwards : forward;
}

/** Mean log2 probability per character of a sample of ciphertexts deciphered with a key (higher reads better). */
function readingBits(scheme: Scheme, texts: string[]): number {
  const sample = texts.slice(0, 30);
  return sample.reduce((a, t) => a + naturalness(decipher(t, scheme)).bits, 0) / Math.max(1, sample.length);
}

function recoverForwardKey(hits: Hit[], keyPairs: { plain: string; encoded: string }[], cipherTexts: string[], languages: () => string[]): Scheme | undefined {
  const fromPairs = keyPairs.length ? recoverSubstitutionKeyFromPairs(keyPairs) : undefined;
  if (fromPairs?.exact) return fromPairs;
  if (fromPairs && (fromPairs.lettersKnown ?? 0) >= 18) return recoverKeyFromPairsAndText(keyPairs, cipherTexts.slice(0, 400)) ?? fromPairs;
  const substitutionRecords = new Set(hits.filter((h) => h.cipherText && (SUBSTITUTION_FAMILIES.has(h.family) || h.symbols)).map((h) => h.record)).size;
  const letters = cipherTexts.reduce((a, t) => a + t.length, 0);
  if (substitutionRecords < 3 || letters < 400) return fromPairs;
  const sample = cipherTexts.slice(0, 400);
  // one key per letter keeps the language's index of coincidence (about 0.066 for English); a flat one is no such cipher
  if (indexOfCoincidence(sample.join(' ')) < 0.055) return fromPairs;
  const fromFrequency = recoverSubstitutionKeyByFrequency(sample);
  return keyReads(fromFrequency, sample, languages()) >= 0.5 ? fromFrequency : fromPairs;
}

/** Letter substitutions are only findings once the dataset's key decodes them into language. */
function confirmSubstitutions(hits: Hit[], key: Scheme | undefined, symbolKey: Scheme | undefined, languages: () => string[]): void {
  for (let i = hits.length - 1; i >= 0; i--) {
    const h = hits[i]!;
    const k = h.symbols ? symbolKey : key;
    const needsKey =
      (h.family === 'substitution' || h.family === 'symbol-substitution' || (h.family === 'substitution-separated' && !h.proven)) && h.cipherText !== undefined;
    if (!needsKey) continue;
    if (k?.key) {
      const decoded = decipher(h.cipherText!, k);
      const spaceless = !/\s/.test(h.cipherText!.trim());
      const reads = spaceless ? segmentedReads(decoded) : decodingReads(h.cipherText!, decoded, languages(), 12).ok;
      if (reads) {
        h.decoded = decoded;
        h.proven = true;
        h.evidence = `${h.evidence}; decoded with the dataset's ${k.exact ? 'exact ' : ''}key it reads as language`;
        continue;
      }
    }
    // separators between all characters are evidence in themselves (inside words only, they are not: a*a, b*b); a bare "not any language" is not
    if (h.family === 'substitution-separated' && h.scheme?.layout !== 'in-words') continue;
    hits.splice(i, 1);
  }
}

/** A word codebook from word pairs: each plain word's commonest code word, when it is consistent. */
function codebookOf(votes: Map<string, Map<string, number>>): Record<string, string> | undefined {
  if (votes.size < 8) return undefined;
  const book: Record<string, string> = {};
  let agree = 0;
  let total = 0;
  for (const [plain, codes] of votes) {
    const sorted = [...codes].sort((a, b) => b[1] - a[1]);
    const [code, n] = sorted[0]!;
    total += [...codes.values()].reduce((a, b) => a + b, 0);
    agree += n;
    if (code !== plain) book[plain] = code;
  }
  return agree / total >= 0.9 && Object.keys(book).length >= 8 ? book : undefined;
}

/**
 * Short texts can be read either way: a few words of a Caesar text look like a general substitution,
 * and a substitution can turn a few words into language under some shift. With the dataset's schemes
 * in hand (a family seen in 3+ records, or a recovered key), each such record takes the reading that
 * reads best.
 */
function reconcileLetterCiphers(hits: Hit[], key: Scheme | undefined, languages: () => string[]): void {
  const readings = datasetReadings(hits, key);
  if (readings.length === 0) return;
  for (const h of hits) {
    if (!h.cipherText || !LETTER_CIPHERS.has(h.family) || h.symbols) continue;
    const current = h.decoded !== undefined ? decodingReads(h.cipherText, h.decoded, languages(), 12).decoded : -Infinity;
    let best: { family: EncodingFamily; shift?: number; decoded: string; bits: number } | undefined;
    for (const r of readings) {
      if (r.family === h.family && (r.family !== 'caesar' || r.shift === h.shift)) continue;
      const decoded = r.decode(h.cipherText);
      const reading = decodingReads(h.cipherText, decoded, languages(), 12);
      if (reading.ok && reading.decoded > current + 0.3 && (!best || reading.decoded > best.bits))
        best = { family: r.family, shift: r.shift, decoded, bits: reading.decoded };
    }
    if (!best) continue;
    h.evidence = `${h.evidence}; re-read with the dataset's ${best.family}${best.shift !== undefined ? ` shift ${best.shift}` : ''} scheme, it reads as language`;
    h.family = best.family;
    h.shift = best.shift;
    h.decoded = best.decoded;
    h.proven = true;
  }
}

interface Reading {
  family: EncodingFamily;
  shift?: number;
  decode: (t: string) => string;
}

function recordsOf(hits: Hit[], family: EncodingFamily): number {
  return new Set(hits.filter((h) => h.family === family).map((h) => h.record)).size;
}

/** The dataset's letter-level schemes, each seen in 3+ records (or a recovered key). */
function datasetReadings(hits: Hit[], key: Scheme | undefined): Reading[] {
  const readings: Reading[] = [];
  if (recordsOf(hits, 'caesar') >= 3) {
    const shift = mode(hits.filter((h) => h.family === 'caesar' && h.shift !== undefined).map((h) => h.shift!))!;
    readings.push({ family: 'caesar', shift, decode: (t) => unsubstitute(t, caesarKey(shift)) });
  }
  if (recordsOf(hits, 'atbash') >= 3) readings.push({ family: 'atbash', decode: (t) => unsubstitute(t, ATBASH_KEY) });
  if (recordsOf(hits, 'reversed') >= 3) {
    readings.push({ family: 'reversed', decode: reversal(mode(hits.filter((h) => h.family === 'reversed').map((h) => h.scheme?.variant ?? 'text'))) });
  }
  if (recordsOf(hits, 'vigenere') >= 3) {
    const keyword = mode(hits.filter((h) => h.family === 'vigenere' && h.scheme?.keyword).map((h) => h.scheme!.keyword!));
    if (keyword) readings.push({ family: 'vigenere', decode: (t) => vigenereDecode(t, keyword) });
  }
  if (key?.key) readings.push({ family: 'substitution', decode: (t) => decipher(t, key) });
  return readings;
}

interface Keys {
  key?: Scheme;
  symbolKey?: Scheme;
  codebook?: Record<string, string>;
  table?: Map<string, string>;
}

/** With the dataset's schemes in hand, short texts the per-text recognizers let pass are read again. */
function reread(units: TextUnit[], analysesByUnit: TextAnalysis[][], hits: Hit[], keys: Keys, languages: () => string[]): void {
  const readings = datasetReadings(hits, keys.key);
  const symbolReading = keys.symbolKey?.key ? keys.symbolKey.key : undefined;
  const codebook = keys.codebook;
  if (readings.length === 0 && !symbolReading && !codebook) return;
  const inverse = codebook ? new Set(Object.values(codebook).map((c) => c.toLowerCase())) : undefined;
  const flagged = new Set(hits.map((h) => h.unit));
  units.forEach((unit, u) => {
    if (flagged.has(u)) return;
    analysesByUnit[u]!.forEach((a, textIndex) => {
      if (flagged.has(u)) return;
      const push = (family: EncodingFamily, decoded: string, evidence: string, raw: string): void => {
        flagged.add(u);
        hits.push({
          unit: u,
          record: unit.record,
          ...(unit.file !== undefined ? { file: unit.file } : {}),
          family,
          score: 0.8,
          evidence,
          textIndex,
          excerpt: excerpt(raw),
          decoded,
          proven: true,
        });
      };
      if (codebook && inverse) {
        // code words the pairs showed, in a text without function words of its own that gains them when decoded
        const words = a.masked.toLowerCase().match(/[a-z]+/g) ?? [];
        const coded = words.filter((w) => inverse.has(w)).length;
        if (words.length >= 4 && coded / words.length >= 0.3 && functionShare(words) <= 0.05) {
          const decoded = codebookDecode(a.masked, codebook);
          const decodedWords = decoded.toLowerCase().match(/[a-z]+/g) ?? [];
          if (functionShare(decodedWords) >= 0.15) {
            push(
              'word-substitution',
              decoded,
              `${coded} of ${words.length} words are code words of the dataset's word codebook (from its word-for-word pairs), and the text has no function words until decoded`,
              a.masked,
            );
            return;
          }
        }
      }
      const suspect = suspectSentences(a.masked);
      if (suspect.letters < 12 || suspect.words < 2) return;
      const symbolic = symbolReading && keys.table && symbolText(unit.texts[textIndex]!) !== undefined ? symbolReading : undefined;
      if (symbolic) {
        const decoded = unsubstitute(suspect.text, symbolic);
        if (decodingReads(suspect.text, decoded, languages(), 12).ok) {
          push('symbol-substitution', decoded, `symbols read as letters with the dataset's symbol key read as language`, unit.texts[textIndex]!);
          return;
        }
      }
      const englishOnly = languages().every((l) => l === 'eng');
      const rawRate = englishOnly ? englishWordRate(suspect.text) : 0;
      for (const r of readings) {
        const decoded = r.decode(suspect.text);
        // in English data, a cheap dictionary test first: the decoding must gain English words
        if (englishOnly && englishWordRate(decoded) < Math.max(0.3, rawRate + 0.2)) continue;
        if (!decodingReads(suspect.text, decoded, languages(), 12).ok) continue;
        push(r.family, decoded, `${suspect.words} words read as language only after decoding with the dataset's ${r.family} scheme`, suspect.text);
        return;
      }
    });
  });
}

/** Line-word findings whose orders are weighed against shuffles, at most (the first ones, in record order). */
const MAX_ORDER_TESTS = 400;

/**
 * Findings not yet settled: proven when their decoding reads as language in the records' languages.
 * Words taken one a line (last or first words) must also read as sentences by their order, judged
 * over the dataset's such findings together (see word-order.ts), against the other records' text and
 * the declaration in the records' languages: the line ends of poems or dialogues are words of the
 * language too, in no sentence's order.
 */
function settleProof(hits: Hit[], units: TextUnit[], languages: () => string[]): void {
  const lineHits: Hit[] = [];
  for (const h of hits) {
    if (h.proven || h.decoded === undefined) continue;
    if (h.family === 'acrostic') h.proven = segmentedReads(h.decoded);
    else if (LINE_WORD_FAMILIES.has(h.family)) {
      if (readsNatural(h.decoded, languages())) lineHits.push(h);
    } else if (HIDDEN.has(h.family) || ['base64', 'hex', 'binary', 'morse', 'letter-number'].includes(h.family))
      h.proven = readsNatural(h.decoded, languages());
  }
  if (lineHits.length === 0) return;
  const reference = new WordPairs();
  for (const lang of languages()) reference.add(declarationOf(lang) ?? '');
  for (const unit of units) for (const t of unit.texts) reference.add(t);
  const tested = lineHits.slice(0, MAX_ORDER_TESTS);
  let beating = 0;
  for (const h of tested) {
    const own = new WordPairs();
    for (const t of units[h.unit]!.texts) own.add(t);
    if (beatsShuffles(h.decoded!, reference, own)) beating++;
  }
  if (readInOrder(beating, tested.length)) for (const h of lineHits) h.proven = true;
}

function summarise(hits: Hit[], units: number): FamilySummary[] {
  const byFamily = new Map<EncodingFamily, Hit[]>();
  for (const h of hits) {
    const list = byFamily.get(h.family) ?? [];
    list.push(h);
    byFamily.set(h.family, list);
  }
  const out: (FamilySummary & { proven: number })[] = [];
  for (const [family, list] of byFamily) {
    const records = new Set(list.map((h) => recordKey(h)));
    const proven = new Set(list.filter((h) => h.proven).map((h) => recordKey(h))).size;
    const strongest = [...list].sort((a, b) => Number(b.proven) - Number(a.proven) || b.score - a.score)[0]!;
    const examples: FamilySummary['examples'] = [];
    const seen = new Set<string>();
    for (const h of [...list].sort((a, b) => Number(b.proven) - Number(a.proven) || b.score - a.score || a.record - b.record)) {
      if (examples.length >= MAX_EXAMPLES) break;
      if (seen.has(recordKey(h))) continue;
      seen.add(recordKey(h));
      const ex: FamilySummary['examples'][number] = { record: h.record, excerpt: h.excerpt };
      if (h.decoded !== undefined) ex.decoded = excerpt(h.decoded, 200);
      examples.push(ex);
    }
    out.push({ family, records: records.size, share: units ? records.size / units : 0, proven, evidence: strongest.evidence, examples });
  }
  return out.sort((a, b) => b.proven - a.proven || b.records - a.records || a.family.localeCompare(b.family));
}

function mode<T>(values: T[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/** The commonest scheme detail a family's findings report (compared as JSON). */
function modeScheme(list: Hit[]): Partial<Scheme> | undefined {
  const found = list.map((h) => h.scheme).filter((s): s is Partial<Scheme> => s !== undefined);
  const key = mode(found.map((s) => JSON.stringify(s)));
  return key ? (JSON.parse(key) as Partial<Scheme>) : undefined;
}

/** The scheme of the most common family that can be written again (substitution needs a recovered key). */
function pickScheme(families: FamilySummary[], hits: Hit[], keys: Keys, analysesByUnit: TextAnalysis[][], units: TextUnit[]): Scheme | undefined {
  for (const f of families) {
    const list = hits.filter((h) => h.family === f.family);
    switch (f.family) {
      case 'plain-encoded-pair':
      case 'encoded-data':
        continue;
      case 'substitution':
        if (keys.key) {
          const layout = modeScheme(list)?.layout;
          return { ...keys.key, family: 'substitution', separator: undefined, ...(layout === 'no-spaces' ? { layout } : {}) };
        }
        continue;
      case 'substitution-separated': {
        const separator = mode(list.map((h) => h.separator).filter((s): s is string => s !== undefined)) ?? '|';
        const layout = separatedLayout(list, analysesByUnit);
        const plainUnderneath = list.filter((h) => h.evidence.includes('plain ')).length > list.length / 2;
        const base: Scheme = { family: 'substitution-separated', separator, ...(layout !== 'all' ? { layout } : {}) };
        if (keys.key && !plainUnderneath) return { ...keys.key, ...base };
        if (plainUnderneath) return base;
        continue;
      }
      case 'symbol-substitution': {
        if (!keys.symbolKey?.key || !keys.table) continue;
        const letterToSymbol = new Map([...keys.table].map(([sym, letter]) => [letter, sym]));
        const symbols = [...keys.symbolKey.key].map((c) => letterToSymbol.get(c) ?? `[${c}]`);
        return {
          family: 'symbol-substitution',
          symbols,
          exact: keys.symbolKey.exact,
          lettersKnown: keys.symbolKey.lettersKnown,
          writable: symbols.every((s) => !s.startsWith('[')),
        };
      }
      case 'word-substitution':
        if (keys.codebook) return { family: 'word-substitution', codebook: keys.codebook, writable: false };
        continue;
      case 'caesar':
        return { family: 'caesar', shift: mode(list.map((h) => h.shift).filter((s): s is number => s !== undefined)) ?? 13 };
      case 'invisible':
        return { family: 'invisible', variant: invisibleVariant(list, analysesByUnit) };
      case 'vigenere':
      case 'pig-latin':
      case 'letter-number':
      case 'doubling':
      case 'styled':
      case 'base85':
      case 'percent-encoding':
      case 'reversed': {
        const detail = modeScheme(list);
        if (f.family === 'vigenere' && !detail?.keyword) continue;
        return { ...detail, family: f.family };
      }
      default:
        return { family: f.family };
    }
  }
  return undefined;
}

/** How the separated texts lay out their spaces: all characters split, inside words only, or without spaces. */
function separatedLayout(list: Hit[], analysesByUnit: TextAnalysis[][]): 'all' | 'in-words' | 'no-spaces' {
  const layouts = list.slice(0, 50).map((h): 'all' | 'in-words' | 'no-spaces' => h.scheme?.layout ?? 'all');
  void analysesByUnit;
  return mode(layouts) ?? 'all';
}

function invisibleVariant(list: Hit[], analysesByUnit: TextAnalysis[][]): InvisibleVariant {
  const variants: InvisibleVariant[] = [];
  for (const h of list.slice(0, 50)) {
    const a = analysesByUnit[h.unit]?.[h.textIndex];
    if (!a) continue;
    const p = invisiblePayloads(a.text);
    const lengths: [InvisibleVariant, number][] = [
      ['tags', p.tags.length],
      ['zero-width', p.zeroWidth.length],
      ['variation-selectors', p.variationSelectors.length],
    ];
    variants.push(lengths.sort((x, y) => y[1] - x[1])[0]![0]);
  }
  return mode(variants) ?? 'tags';
}
