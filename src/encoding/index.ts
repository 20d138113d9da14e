// Covert-encoding profiler: finds records whose text is encoded (ciphers, base64/hex/binary/Morse,
// invisible characters, line-position messages, plaintext/encoding pairs) and recovers the scheme.
import { analyzeText } from './detect.js';
import { findPairs } from './recognize-pairs.js';
import type { EncodingFamily } from './types.js';

export type { EncodingFamily, TextUnit, RecordFinding, Scheme, EncodingReport, FamilySummary, InvisibleVariant } from './types.js';
export { ENCODING_FAMILIES } from './types.js';
export { analyzeEncoding, analyzeEncodingDetailed, thresholdsOf, type AnalyzeOptions } from './analyze.js';
export { encodeWithScheme, decodeWithScheme, isWritable } from './codecs/index.js';
export { recoverSubstitutionKeyFromPairs, recoverSubstitutionKeyByFrequency } from './key-recovery.js';
export { walnutKey } from './codecs/keys.js';
export { releaseLanguageModels } from './language-model.js';
export { countsTowardVerdict, DEFAULT_THRESHOLDS, type EncodingThresholds, type SchemeVariant } from './types.js';

/** Families found in one text (a plaintext/encoding pair inside the text included), strongest first. */
export function detectInText(text: string): { family: EncodingFamily; score: number; evidence: string }[] {
  const analysis = analyzeText(text);
  const pairs = findPairs([analysis]);
  const out = analysis.detections.map((d) => ({ family: d.family, score: d.score, evidence: d.evidence }));
  for (const p of pairs) out.push({ family: p.detection.family, score: p.detection.score, evidence: p.detection.evidence });
  return out.sort((a, b) => b.score - a.score);
}
