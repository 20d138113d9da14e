// Writing system and (for Latin script) a crude English check of a slot's texts, so a report can
// say "inputs are Chinese, seeds are English". Code-point ranges and a function-word rate; pure.

export interface ScriptReport {
  /** Dominant script of the letters: Latin, Han, Cyrillic, … */
  script: string;
  /** `en` when Latin text reads as English, `und` when undetermined. */
  language: string;
  /** Share of letters per script, largest first. */
  scripts: { script: string; share: number }[];
}

const RANGES: [number, number, string][] = [
  [0x41, 0x5a, 'Latin'],
  [0x61, 0x7a, 'Latin'],
  [0xc0, 0x24f, 'Latin'],
  [0x370, 0x3ff, 'Greek'],
  [0x400, 0x4ff, 'Cyrillic'],
  [0x590, 0x5ff, 'Hebrew'],
  [0x600, 0x6ff, 'Arabic'],
  [0x900, 0x97f, 'Devanagari'],
  [0xe00, 0xe7f, 'Thai'],
  [0x3040, 0x30ff, 'Kana'],
  [0x3400, 0x4dbf, 'Han'],
  [0x4e00, 0x9fff, 'Han'],
  [0xac00, 0xd7af, 'Hangul'],
];

const NAMES = [...new Set(RANGES.map((r) => r[2]))];
/** Script of every BMP code unit (index into NAMES, plus one; 0 for none), built once from RANGES. */
const TABLE = new Uint8Array(0x10000);
for (const [a, b, name] of [...RANGES].reverse()) TABLE.fill(NAMES.indexOf(name) + 1, a, b + 1);

const ENGLISH = new Set(
  'the of and to a in is it you that he was for on are with as i his they be at one have this from or had by not but what all were we when your can said there use an each which she do how their if will up about out many then them these so some her would make like him into has look two more write go see number no way could people my than first been who its now find did get may'.split(
    ' ',
  ),
);

/**
 * The scripts of the texts' letters (every range above is in the BMP, so a code unit stands for its
 * character, and astral characters and lone surrogates belong to none). `words: false` skips the
 * English check (`language` is then `und`), for callers that only want the script.
 */
export function detectScript(texts: string[], options: { words?: boolean } = {}): ScriptReport {
  const perScript = new Array<number>(NAMES.length).fill(0);
  const seen: number[] = [];
  let total = 0;
  let words = 0;
  let english = 0;
  for (const t of texts) {
    for (let i = 0; i < t.length; i++) {
      const s = TABLE[t.charCodeAt(i)]!;
      if (s) {
        if (perScript[s - 1]!++ === 0) seen.push(s - 1);
        total++;
      }
    }
    if (options.words === false) continue;
    for (const w of t.toLowerCase().split(/[^a-z']+/)) {
      if (!w) continue;
      words++;
      if (ENGLISH.has(w)) english++;
    }
  }
  // in the order the scripts were first met, then by share (a stable sort keeps the first met first)
  const scripts = seen.map((s) => ({ script: NAMES[s]!, share: perScript[s]! / (total || 1) })).sort((a, b) => b.share - a.share);
  const script = scripts[0]?.script ?? 'none';
  const language = script === 'Latin' && words > 0 && english / words >= 0.12 ? 'en' : 'und';
  return { script, language, scripts: scripts.slice(0, 5) };
}
