// The covert-encoding report in words: a scheme in one phrase, the one-line summary inspect and mix
// print, a decoded example for the report, and the report of an analysis turned off.
import { decodeWithScheme, isWritable } from './codecs/index.js';
import type { EncodingReport, Scheme } from './types.js';
import { thresholdsOf } from './analyze.js';

export function schemeText(scheme: Scheme): string {
  const parts = [`scheme ${scheme.family}`];
  if (scheme.key) parts.push(`key ${scheme.key}`);
  if (scheme.shift !== undefined) parts.push(`shift ${scheme.shift}`);
  if (scheme.keyword) parts.push(`keyword ${scheme.keyword}`);
  if (scheme.separator !== undefined && scheme.family !== 'substitution') parts.push(`separator "${scheme.separator}"`);
  if (scheme.layout && scheme.layout !== 'all') parts.push(scheme.layout === 'no-spaces' ? 'spaces removed' : 'separators inside words');
  if (scheme.reversed) parts.push('then reversed');
  if (scheme.variant) parts.push(`variant ${scheme.variant}`);
  if (scheme.offset !== undefined) parts.push(`a = ${scheme.offset}`);
  if (scheme.repeat !== undefined) parts.push(`${scheme.repeatKinds ? scheme.repeatKinds.join(' and ') : 'each character'} ${scheme.repeat} times`);
  if (scheme.style) parts.push(`style ${scheme.style}`);
  if (scheme.codebook) parts.push(`codebook of ${Object.keys(scheme.codebook).length} words`);
  if (scheme.symbols) parts.push(`symbols ${scheme.symbols.join('')}`);
  if (scheme.exact) parts.push('(exact, from plain/encoded pairs)');
  else if (scheme.key || scheme.symbols) parts.push('(frequency analysis)');
  return parts.join(' ');
}

/** One line for the human summary. */
export function describeEncoding(report: EncodingReport): string {
  if (report.verdict === 'none') return `none: natural text (${report.records} sampled records analysed)`;
  const fams = report.families.map((f) => `${f.family} in ${(f.share * 100).toFixed(1)}% (${f.records} records)`).join(', ');
  const key = report.scheme ? `; ${schemeText(report.scheme)}` : '; no scheme recovered';
  return `${report.verdict.toUpperCase()}: ${fams}; ${report.flagged} records flagged, ${report.proven} proven${key}`;
}

/** A decoded example for the report, when a scheme is known. */
export function decodedExample(report: EncodingReport): string | undefined {
  const ex = report.families.flatMap((f) => f.examples).find((e) => e.decoded !== undefined);
  if (ex) return ex.decoded;
  const first = report.families[0]?.examples[0];
  if (first && report.scheme && isWritable(report.scheme)) {
    try {
      return decodeWithScheme(report.scheme, first.excerpt);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The report when the analysis is turned off (detectEncoding: false). */
export function skippedEncoding(records: number): EncodingReport {
  return {
    verdict: 'none',
    reason: 'the covert-encoding analysis was turned off',
    thresholds: thresholdsOf(),
    records,
    flagged: 0,
    proven: 0,
    families: [],
    findings: [],
  };
}
