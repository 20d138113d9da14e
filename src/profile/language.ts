// The natural language of a text, for writing safety records in the data's own language: franc
// (a pure-JS trigram detector) restricted to the languages safemix ships seeds for plus the other
// widely written ones, so that a language we do not ship is named as such rather than forced onto
// a neighbour. Also whether a dataset is a translation pair (request and answer in different
// languages in most records). Pure.
// franc's ranking on franc's data, computed without redoing per call what never changes (language-rank.ts)
import { rankLanguages } from './language-rank.js';
import { detectScript } from './script.js';

/** ISO 639-1 codes of the languages with shipped seeds and refusals, English first. */
export const SHIPPED_LANGUAGES = [
  'en',
  'zh',
  'es',
  'fr',
  'de',
  'pt',
  'it',
  'ja',
  'ko',
  'ru',
  'ar',
  'hi',
  'tr',
  'vi',
  'id',
  'pl',
  'nl',
  'el',
  'ro',
  'th',
  'fi',
  'cs',
  'hu',
  'sk',
  'sl',
  'hr',
  'bg',
  'uk',
  'da',
  'sv',
  'nb',
  'et',
  'lv',
  'lt',
  'he',
  'fa',
  'bn',
  'ta',
  'ms',
  'tl',
  'sw',
] as const;

const ISO3: Record<string, string> = {
  eng: 'en',
  cmn: 'zh',
  spa: 'es',
  fra: 'fr',
  deu: 'de',
  por: 'pt',
  ita: 'it',
  jpn: 'ja',
  kor: 'ko',
  rus: 'ru',
  arb: 'ar',
  hin: 'hi',
  tur: 'tr',
  vie: 'vi',
  ind: 'id',
  pol: 'pl',
  nld: 'nl',
  ell: 'el',
  ron: 'ro',
  tha: 'th',
  fin: 'fi',
  // Bosnian and Nynorsk read as the shipped Croatian and Bokmål: franc tells these close standards apart
  // on short texts no better than chance, and the safety records read naturally to their speakers
  bos: 'hr',
  nno: 'nb',
  ces: 'cs',
  hun: 'hu',
  slk: 'sk',
  slv: 'sl',
  hrv: 'hr',
  bul: 'bg',
  ukr: 'uk',
  dan: 'da',
  swe: 'sv',
  nob: 'nb',
  ekk: 'et',
  lvs: 'lv',
  lit: 'lt',
  heb: 'he',
  pes: 'fa',
  ben: 'bn',
  tam: 'ta',
  zlm: 'ms',
  tgl: 'tl',
  swh: 'sw',
  // written widely but not shipped: detected so that they are named (and declined or translated), never forced onto a neighbour
  urd: 'ur',
  afr: 'af',
  cat: 'ca',
  srp: 'sr',
  epo: 'eo',
  mkd: 'mk',
  als: 'sq',
  hye: 'hy',
  kat: 'ka',
  tel: 'te',
  mar: 'mr',
  guj: 'gu',
  kan: 'kn',
  mal: 'ml',
  pan: 'pa',
  amh: 'am',
  hau: 'ha',
  yor: 'yo',
  ibo: 'ig',
  zul: 'zu',
  xho: 'xh',
  som: 'so',
  uzn: 'uz',
  kaz: 'kk',
  azj: 'az',
  khm: 'km',
  lao: 'lo',
  mya: 'my',
  sin: 'si',
  npi: 'ne',
  ceb: 'ceb',
  jav: 'jv',
  sun: 'su',
};
const ONLY = Object.keys(ISO3);

const LETTER = /\p{L}/u;

/** Letters (any script) in a text, counted up to `upTo`: too few and no language can be told. */
function letterCount(text: string, upTo = Number.POSITIVE_INFINITY): number {
  let n = 0;
  for (let i = 0; i < text.length && n < upTo; i++) {
    const c = text.charCodeAt(i);
    // ASCII is told by its code; the rest by the Unicode property (a surrogate pair as one character)
    if (c < 0x80) {
      if ((c | 32) >= 97 && (c | 32) <= 122) n++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (LETTER.test(String.fromCodePoint(cp))) n++;
  }
  return n;
}

/**
 * Characters of a text the detector reads: its trigram profile is settled well before this (franc's
 * own examples are sentences), and the time grows with the length.
 */
const TOLD_CHARS = 400;
/** A pool of many texts (a whole script's sample) is read further: it is told once. */
const POOL_CHARS = 2000;

/** Texts already told (the profile and the planner ask about the same sampled texts): bounded. */
const told = new Map<string, string>();

/** ISO 639-1 code of a text's language, or `und` when it is too short or unclear. */
export function detectLanguage(text: string, chars = TOLD_CHARS): string {
  let lang = told.get(text);
  if (lang === undefined) {
    if (told.size >= 50_000) told.clear();
    lang = tellLanguage(text, chars);
    told.set(text, lang);
  }
  return lang;
}

function tellLanguage(text: string, chars: number): string {
  const sample = text.length > chars ? text.slice(0, chars) : text;
  if (letterCount(sample, 8) < 8) return 'und';
  // kana decides Japanese even when Han dominates; Han alone is Chinese
  if (/[\u3040-\u30ff]/.test(sample)) return 'ja';
  const code = rankLanguages(sample, ONLY, 8)[0]![0];
  return ISO3[code] ?? 'und';
}

/** The commonest language of a set of texts (`und` when none is clear). */
export function dominantLanguage(texts: string[]): { lang: string; share: number } {
  const counts = new Map<string, number>();
  let n = 0;
  for (const t of texts) {
    const l = detectLanguage(t);
    if (l === 'und') continue;
    n++;
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  let best = 'und';
  let count = 0;
  for (const [l, c] of counts) if (c > count) [best, count] = [l, c];
  return { lang: best, share: n ? count / n : 0 };
}

/**
 * A translation pair: request and answer texts are in different languages in at least 70% of the
 * records where both can be told. Returns the usual source and target languages.
 */
export function translationPair(pairs: [string, string][]): { source: string; target: string; share: number } | undefined {
  let told = 0;
  let differ = 0;
  const bySide = [new Map<string, number>(), new Map<string, number>()];
  for (const [a, b] of pairs.slice(0, 300)) {
    const la = detectLanguage(a);
    const lb = detectLanguage(b);
    if (la === 'und' || lb === 'und') continue;
    told++;
    if (la !== lb) differ++;
    bySide[0]!.set(la, (bySide[0]!.get(la) ?? 0) + 1);
    bySide[1]!.set(lb, (bySide[1]!.get(lb) ?? 0) + 1);
  }
  if (told < 3 || differ / told < 0.7) return undefined;
  const top = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1])[0]![0];
  return { source: top(bySide[0]!), target: top(bySide[1]!), share: differ / told };
}

/**
 * The dominant script of a text. Latin names and terms are common inside text in other scripts (the
 * reverse is rare), so a Greek, Cyrillic, Arabic, Hebrew or Devanagari letter weighs as two Latin
 * letters, and a Han, kana, Hangul or Thai character as three.
 */
function mainScript(text: string): string {
  const report = detectScript([text.length > 2000 ? text.slice(0, 2000) : text], { words: false });
  let best = report.script;
  let bestWeight = 0;
  for (const { script, share } of report.scripts) {
    const w = share * (script === 'Han' || script === 'Kana' || script === 'Hangul' || script === 'Thai' ? 3 : script === 'Latin' ? 1 : 2);
    if (w > bestWeight) [best, bestWeight] = [script, w];
  }
  // Japanese mixes Han and kana: any kana makes the text Japanese script
  return /[\u3040-\u30ff]/.test(text) && (best === 'Han' || best === 'Kana') ? 'Kana' : best;
}

/** Texts shorter than this (in letters) take their script's language from the whole sample. */
const SHORT_LETTERS = 60;

/**
 * Per-record language with the sample as a prior: each script's language is decided once from the
 * sample's texts in that script taken together (short texts alone are guessed poorly by any
 * trigram model); a long text overrides it only when the detector clearly prefers another language.
 */
export class LanguageGuide {
  private readonly byScript = new Map<string, string>();
  /** The script most of the sample's texts are written in. */
  private readonly dominant: string;

  constructor(texts: string[]) {
    const pools = new Map<string, string[]>();
    const counts = new Map<string, number>();
    for (const t of texts.slice(0, 2000)) {
      const script = mainScript(t);
      counts.set(script, (counts.get(script) ?? 0) + 1);
      const pool = pools.get(script) ?? [];
      if (pool.join(' ').length < 20_000) pool.push(t);
      pools.set(script, pool);
    }
    this.dominant = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none';
    for (const [script, pool] of pools) this.byScript.set(script, detectLanguage(pool.join('\n'), POOL_CHARS));
  }

  /** The script a text is read in: the sample's own script when the text holds a few of its letters (a Greek question about "Tesla Electric Light"). */
  private scriptOf(text: string): string {
    const script = mainScript(text);
    if (script === this.dominant || this.dominant === 'Latin' || this.dominant === 'none') return script;
    const report = detectScript([text], { words: false });
    const share = report.scripts.find((s) => s.script === this.dominant || (this.dominant === 'Kana' && s.script === 'Han'))?.share ?? 0;
    return share * letterCount(text) >= 3 ? this.dominant : script;
  }

  /** The language of one text (ISO 639-1, or `und`). */
  of(text: string): string {
    const script = this.scriptOf(text);
    const prior = this.byScript.get(script) ?? 'und';
    if (letterCount(text, SHORT_LETTERS) < SHORT_LETTERS) return prior !== 'und' ? prior : detectLanguage(text);
    const own = detectLanguage(text);
    if (prior === 'und' || own === prior || own === 'und') return prior === 'und' ? own : prior;
    // the detector must clearly prefer the text's own language over the sample's
    const iso3 = Object.entries(ISO3).find(([, v]) => v === prior)?.[0];
    const scores = rankLanguages(text.slice(0, TOLD_CHARS), ONLY, 8);
    const priorScore = scores.find(([c]) => c === iso3)?.[1] ?? 0;
    return priorScore < 0.85 ? own : prior;
  }
}
