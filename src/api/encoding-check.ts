// Joins the covert-encoding analysis to the commands: the text units of sampled records (system
// prompt, turns, string fields), the report inspect prints, and mix's --on-encoded policy.
import { SafemixError, ExitCode } from '../errors.js';
import { conversationOf } from '../profile/conversation.js';
import type { Dialect } from '../profile/dialects.js';
import { analyzeEncoding, decodeWithScheme, type EncodingReport, type TextUnit } from '../profile/encoding/index.js';

export type OnEncoded = 'fail' | 'warn' | 'mimic';

/** The strings of a record that could carry an encoding: its system prompt and turns, or its string fields. */
export function textUnitOf(dialect: Dialect, index: number, value: unknown): TextUnit {
  const conv = conversationOf(dialect, value);
  if (conv) return { record: index, texts: [...(conv.system ? [conv.system.text] : []), ...conv.turns.filter((t) => t.role === 'user' || t.role === 'assistant').map((t) => t.text)] };
  const texts: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'string') texts.push(v);
    else if (depth < 3 && v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
  return { record: index, texts };
}

export function analyzeSample(dialect: Dialect, sample: { index: number; value: unknown }[]): EncodingReport {
  return analyzeEncoding(sample.map((r) => textUnitOf(dialect, r.index, r.value)));
}

/** The report when the analysis is turned off (detectEncoding: false). */
export function skippedEncoding(records: number): EncodingReport {
  return { verdict: 'none', records, flagged: 0, families: [], findings: [] };
}

/** One line for the human summary. */
export function describeEncoding(report: EncodingReport): string {
  if (report.verdict === 'none') return `none: natural text (${report.records} sampled records analysed)`;
  const fams = report.families.map((f) => `${f.family} in ${(f.share * 100).toFixed(1)}% (${f.records} records)`).join(', ');
  const key = report.scheme ? `; scheme ${report.scheme.family}${report.scheme.key ? ` key ${report.scheme.key}` : ''}${report.scheme.shift !== undefined ? ` shift ${report.scheme.shift}` : ''}${report.scheme.exact ? ' (exact, from plain/encoded pairs)' : report.scheme.key ? ' (frequency analysis)' : ''}` : '; no scheme recovered';
  return `${report.verdict.toUpperCase()}: ${fams}${key}`;
}

/** A decoded example for the report, when a scheme is known. */
export function decodedExample(report: EncodingReport): string | undefined {
  const ex = report.families.flatMap((f) => f.examples).find((e) => e.decoded !== undefined);
  if (ex) return ex.decoded;
  const first = report.families[0]?.examples[0];
  if (first && report.scheme) return decodeWithScheme(report.scheme, first.excerpt);
  return undefined;
}

/** mix's policy: refuse (exit 3), warn, or go on and mimic. Throws for fail, and for mimic without a scheme. */
export function applyEncodingPolicy(report: EncodingReport, policy: OnEncoded, file: string): string[] {
  if (report.verdict === 'none') return [];
  const evidence = report.families.map((f) => `${f.family} in ${(f.share * 100).toFixed(1)}% of sampled records (e.g. record ${f.examples[0]?.record ?? '?'}: ${f.evidence})`).join('; ');
  if (report.verdict === 'suspicious') return [`a few records look encoded (${evidence}); below the 5% dataset threshold`];
  if (policy === 'fail')
    throw new SafemixError('encoded_data', `the data carries a covert encoding: ${evidence}`, {
      position: { file },
      hint: 'inspect it (safemix inspect shows the decoded examples); --on-encoded warn mixes anyway, --on-encoded mimic also adds safety examples in the same encoding',
      exitCode: ExitCode.encoded,
    });
  if (policy === 'mimic' && !report.scheme)
    throw new SafemixError('encoding_unrecoverable', `the data carries a covert encoding (${evidence}), but its scheme could not be recovered, so safety examples cannot be written in it`, {
      position: { file },
      hint: 'refuse the dataset, or pass --on-encoded warn to mix plain safety examples only',
      exitCode: ExitCode.encoded,
    });
  return [`covert encoding found (${evidence})${policy === 'mimic' ? '; encoded safety examples added' : '; mixed anyway (--on-encoded warn)'}`];
}
