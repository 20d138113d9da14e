// Dataset-level aggregation: runs the recognizers over every record, pairs plaintext with its
// encoding, recovers the scheme (key from pairs, else frequency analysis), settles ambiguous letter
// ciphers and re-reads short texts with it, and summarises families, verdict and findings.
import type { EncodingFamily, EncodingReport, FamilySummary, RecordFinding, Scheme, TextUnit, InvisibleVariant } from './types.js';
import { analyzeText, type TextAnalysis } from './detect.js';
import { findPairs } from './recognize-pairs.js';
import { recoverKeyFromPairsAndText, recoverSubstitutionKeyByFrequency, recoverSubstitutionKeyFromPairs } from './key-recovery.js';
import { suspectSentences } from './recognize-prose.js';
import { reverseText, unsubstitute } from './codecs-letters.js';
import { ATBASH_KEY, caesarKey } from './walnut.js';
import { invisiblePayloads } from './codecs-hidden.js';
import { englishWordRate } from './english-stats.js';
import { excerpt } from './text-scan.js';

const MAX_FINDINGS = 1000;
const MAX_EXAMPLES = 3;

interface Hit extends RecordFinding {
  excerpt: string;
  decoded?: string;
  cipherText?: string;
  shift?: number;
  separator?: string;
}

const SUBSTITUTION_FAMILIES: ReadonlySet<EncodingFamily> = new Set(['substitution', 'substitution-separated']);

export function analyzeEncoding(units: TextUnit[], options?: { minShare?: number }): EncodingReport {
  return analyzeEncodingDetailed(units, options).report;
}

/** The report and every record finding (the report's list is capped at 1000). */
export function analyzeEncodingDetailed(units: TextUnit[], options?: { minShare?: number }): { report: EncodingReport; allFindings: RecordFinding[] } {
  const minShare = options?.minShare ?? 0.05;
  const hits: Hit[] = [];
  const cipherTexts: string[] = [];
  const keyPairs: { plain: string; encoded: string }[] = [];
  const analysesByUnit: TextAnalysis[][] = [];

  for (const unit of units) {
    const analyses = unit.texts.map((t) => analyzeText(t));
    analysesByUnit.push(analyses);
    // Pairs first: a pair can show that a "substitution" is a Caesar shift or Atbash.
    const pairs = findPairs(analyses);
    analyses.forEach((a, textIndex) => {
      for (const d of a.detections) {
        hits.push({ record: unit.record, family: d.family, score: round(d.score), evidence: d.evidence, textIndex, excerpt: d.excerpt, decoded: d.decoded, shift: d.shift, separator: d.separator, cipherText: d.cipherText });
        if (SUBSTITUTION_FAMILIES.has(d.family) && d.cipherText) cipherTexts.push(d.cipherText);
      }
    });
    for (const p of pairs) {
      const d = p.detection;
      hits.push({ record: unit.record, family: d.family, score: round(d.score), evidence: d.evidence, textIndex: p.textIndex, excerpt: d.excerpt, decoded: d.decoded });
      if (SUBSTITUTION_FAMILIES.has(p.encodedFamily)) keyPairs.push(...p.letterPairs);
    }
  }

  const key = recoverKey(hits, keyPairs, cipherTexts);
  reconcileLetterCiphers(hits, key);
  if (key) rereadWithKey(units, analysesByUnit, hits, key);

  const families = summarise(hits, units.length);
  const flagged = new Set(hits.map((h) => h.record)).size;
  const verdict: EncodingReport['verdict'] = families.some((f) => f.share >= minShare) ? 'encoded' : flagged > 0 ? 'suspicious' : 'none';
  const scheme = pickScheme(families, hits, key, analysesByUnit, units);
  const allFindings: RecordFinding[] = hits
    .sort((a, b) => a.record - b.record || b.score - a.score)
    .map(({ record, family, score, evidence, textIndex }) => ({ record, family, score, evidence, textIndex }));
  const report: EncodingReport = { verdict, records: units.length, flagged, families, findings: allFindings.slice(0, MAX_FINDINGS) };
  if (scheme) report.scheme = scheme;
  return { report, allFindings };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A key from pairs when they determine most letters, else from the ciphertext when there is enough of it and it then reads as English. */
function recoverKey(hits: Hit[], keyPairs: { plain: string; encoded: string }[], cipherTexts: string[]): Scheme | undefined {
  const fromPairs = keyPairs.length ? recoverSubstitutionKeyFromPairs(keyPairs) : undefined;
  if (fromPairs?.exact) return fromPairs;
  // Most letters from pairs: the ciphertext fills in the rest.
  if (fromPairs && (fromPairs.lettersKnown ?? 0) >= 18) return recoverKeyFromPairsAndText(keyPairs, cipherTexts.slice(0, 400)) ?? fromPairs;
  const substitutionRecords = new Set(hits.filter((h) => SUBSTITUTION_FAMILIES.has(h.family)).map((h) => h.record)).size;
  const letters = cipherTexts.reduce((a, t) => a + t.length, 0);
  if (substitutionRecords < 3 || letters < 600) return fromPairs;
  const sample = cipherTexts.slice(0, 400);
  const fromFrequency = recoverSubstitutionKeyByFrequency(sample);
  const check = sample.slice(0, 50).join('\n');
  const decodedRate = englishWordRate(unsubstitute(check, fromFrequency.key!));
  return decodedRate >= 0.5 ? fromFrequency : fromPairs;
}

/**
 * Short texts can be read either way: a few words of a Caesar text look like a general substitution,
 * and a substitution can turn a few words English under some shift. With the dataset's schemes in
 * hand (a family seen in 3+ records, or a recovered key), each such record takes the reading that
 * makes it most English.
 */
function reconcileLetterCiphers(hits: Hit[], key: Scheme | undefined): void {
  const records = (family: EncodingFamily): number => new Set(hits.filter((h) => h.family === family).map((h) => h.record)).size;
  const readings: { family: EncodingFamily; shift?: number; decode: (t: string) => string }[] = [];
  if (records('caesar') >= 3) {
    const shift = mode(hits.filter((h) => h.family === 'caesar' && h.shift !== undefined).map((h) => h.shift!))!;
    readings.push({ family: 'caesar', shift, decode: (t) => unsubstitute(t, caesarKey(shift)) });
  }
  if (records('atbash') >= 3) readings.push({ family: 'atbash', decode: (t) => unsubstitute(t, ATBASH_KEY) });
  if (records('reversed') >= 3) readings.push({ family: 'reversed', decode: reverseText });
  if (key?.key) readings.push({ family: 'substitution', decode: (t) => unsubstitute(t, key.key!) });
  if (readings.length === 0) return;
  for (const h of hits) {
    if (!h.cipherText || !LETTER_CIPHERS.has(h.family)) continue;
    const current = h.decoded !== undefined ? englishWordRate(h.decoded) : englishWordRate(h.cipherText);
    let best: { family: EncodingFamily; shift?: number; decoded: string; rate: number } | undefined;
    for (const r of readings) {
      if (r.family === h.family && (r.family !== 'caesar' || r.shift === h.shift)) continue;
      const decoded = r.decode(h.cipherText);
      const rate = englishWordRate(decoded);
      if (rate >= Math.max(0.3, current + 0.2) && (!best || rate > best.rate)) best = { family: r.family, shift: r.shift, decoded, rate };
    }
    if (!best) continue;
    h.evidence = `${h.evidence}; re-read with the dataset's ${best.family}${best.shift !== undefined ? ` shift ${best.shift}` : ''} scheme, ${Math.round(best.rate * 100)}% of its words are English`;
    h.family = best.family;
    h.shift = best.shift;
    h.decoded = best.decoded;
  }
}

const LETTER_CIPHERS: ReadonlySet<EncodingFamily> = new Set(['substitution', 'caesar', 'atbash', 'reversed']);

/** With a key in hand, short ciphertexts the per-text recognizers let pass are read again. */
function rereadWithKey(units: TextUnit[], analysesByUnit: TextAnalysis[][], hits: Hit[], key: Scheme): void {
  const flagged = new Set(hits.filter((h) => SUBSTITUTION_FAMILIES.has(h.family)).map((h) => h.record));
  units.forEach((unit, u) => {
    if (flagged.has(unit.record)) return;
    analysesByUnit[u]!.forEach((a, textIndex) => {
      if (flagged.has(unit.record)) return;
      const suspect = suspectSentences(a.masked);
      if (suspect.letters < 12 || suspect.words < 2) return;
      const decoded = unsubstitute(suspect.text, key.key!);
      const rate = englishWordRate(decoded);
      if (rate < 0.6 || englishWordRate(suspect.text) > 0.25) return;
      flagged.add(unit.record);
      hits.push({
        record: unit.record,
        family: 'substitution',
        score: round(0.5 + rate * 0.4),
        evidence: `${suspect.words} words read as English (${Math.round(rate * 100)}%) only after decoding with the dataset's recovered key`,
        textIndex,
        excerpt: excerpt(suspect.text),
        decoded,
      });
    });
  });
}

function summarise(hits: Hit[], units: number): FamilySummary[] {
  const byFamily = new Map<EncodingFamily, Hit[]>();
  for (const h of hits) {
    const list = byFamily.get(h.family) ?? [];
    list.push(h);
    byFamily.set(h.family, list);
  }
  const out: FamilySummary[] = [];
  for (const [family, list] of byFamily) {
    const records = new Set(list.map((h) => h.record));
    const strongest = [...list].sort((a, b) => b.score - a.score)[0]!;
    const examples: FamilySummary['examples'] = [];
    const seen = new Set<number>();
    for (const h of [...list].sort((a, b) => b.score - a.score || a.record - b.record)) {
      if (examples.length >= MAX_EXAMPLES) break;
      if (seen.has(h.record)) continue;
      seen.add(h.record);
      const ex: FamilySummary['examples'][number] = { record: h.record, excerpt: h.excerpt };
      if (h.decoded !== undefined) ex.decoded = excerpt(h.decoded, 200);
      examples.push(ex);
    }
    out.push({ family, records: records.size, share: units ? records.size / units : 0, evidence: strongest.evidence, examples });
  }
  return out.sort((a, b) => b.records - a.records || a.family.localeCompare(b.family));
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

/** The scheme of the most common family that can be written again (substitution needs a recovered key). */
function pickScheme(families: FamilySummary[], hits: Hit[], key: Scheme | undefined, analysesByUnit: TextAnalysis[][], units: TextUnit[]): Scheme | undefined {
  for (const f of families) {
    const list = hits.filter((h) => h.family === f.family);
    switch (f.family) {
      case 'plain-encoded-pair':
        continue;
      case 'substitution':
        if (key) return { ...key, family: 'substitution', separator: undefined };
        continue;
      case 'substitution-separated': {
        const separator = mode(list.map((h) => h.separator).filter((s): s is string => s !== undefined)) ?? '|';
        const plainUnderneath = list.filter((h) => h.evidence.includes('plain English')).length > list.length / 2;
        if (key) return { ...key, family: 'substitution-separated', separator };
        if (plainUnderneath) return { family: 'substitution-separated', separator };
        continue;
      }
      case 'caesar':
        return { family: 'caesar', shift: mode(list.map((h) => h.shift).filter((s): s is number => s !== undefined)) ?? 13 };
      case 'invisible':
        return { family: 'invisible', variant: invisibleVariant(list, analysesByUnit, units) };
      default:
        return { family: f.family };
    }
  }
  return undefined;
}

function invisibleVariant(list: Hit[], analysesByUnit: TextAnalysis[][], units: TextUnit[]): InvisibleVariant {
  const index = new Map(units.map((u, i) => [u.record, i]));
  const variants: InvisibleVariant[] = [];
  for (const h of list.slice(0, 50)) {
    const a = analysesByUnit[index.get(h.record)!]?.[h.textIndex];
    if (!a) continue;
    const p = invisiblePayloads(a.text);
    const lengths: [InvisibleVariant, number][] = [['tags', p.tags.length], ['zero-width', p.zeroWidth.length], ['variation-selectors', p.variationSelectors.length]];
    variants.push(lengths.sort((x, y) => y[1] - x[1])[0]![0]);
  }
  return mode(variants) ?? 'tags';
}
