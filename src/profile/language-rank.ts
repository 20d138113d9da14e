// franc's ranking (francAll), computed the same way on franc's own data and expressions, with what
// franc redoes on every call done once: the `only` filter of each script's languages, the trigram
// models as Maps, and each character's scripts (franc runs one global regex per script over the whole
// text, building an array of every match). A test holds it equal to franc's francAll, scores
// included, on thousands of real texts; language.ts uses it in franc's place. Pure.
import { data } from 'franc/data.js';
import { expressions } from 'franc/expressions.js';

const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

type Ranking = [string, number][];

const SCRIPTS = Object.keys(expressions);
/** Each script's expression, matching one whole character (one code unit, or one surrogate pair). */
const WHOLE = SCRIPTS.map((s) => new RegExp(`^(?:${expressions[s as keyof typeof expressions]!.source})$`));

/** Bit i set: the character belongs to script SCRIPTS[i]. Filled as characters are met. */
const scriptsOf = new Map<string, number>();

function scriptBits(ch: string): number {
  let bits = scriptsOf.get(ch);
  if (bits === undefined) {
    bits = 0;
    for (let i = 0; i < WHOLE.length; i++) if (WHOLE[i]!.test(ch)) bits |= 1 << i;
    if (scriptsOf.size < 100_000) scriptsOf.set(ch, bits);
  }
  return bits;
}

/** The script most of the text's characters belong to, and its share (franc's getTopScript). */
function topScript(value: string): [string, number] {
  const counts = new Array<number>(SCRIPTS.length).fill(0);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // a surrogate pair is one character; a lone surrogate is a character of no script
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const bits = scriptBits(pair ? value.slice(i, i + 2) : value[i]!);
    if (pair) i++;
    for (let b = bits, s = 0; b; b >>>= 1, s++) if (b & 1) counts[s]!++;
  }
  let top = -1;
  let script = SCRIPTS[0]!;
  for (let s = 0; s < SCRIPTS.length; s++) {
    const share = counts[s]! / value.length || 0;
    if (share > top) {
      top = share;
      script = SCRIPTS[s]!;
    }
  }
  return [script, top];
}

/** Trigram counts of the cleaned text, as franc's trigram-utils makes them. */
function trigramCounts(value: string): Map<string, number> {
  const cleaned =
    ' ' +
    value
      .replace(/[\u0021-\u0040]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase() +
    ' ';
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= cleaned.length; i++) {
    const t = cleaned.slice(i, i + 3);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

interface ScriptModels {
  /** The allowed languages of the script, in franc's data order. */
  languages: string[];
  /** For each trigram, the languages whose model holds it (index into `languages`) and its weight there. */
  postings: Map<string, { languages: Int32Array; weights: Int32Array }>;
}

interface Models {
  byScript: Map<string, ScriptModels>;
  only: Set<string>;
}

const prepared = new Map<string, Models>();

function modelsFor(only: readonly string[]): Models {
  const key = only.join(',');
  let models = prepared.get(key);
  if (!models) {
    const allowed = new Set(only);
    const byScript = new Map<string, ScriptModels>();
    for (const [script, all] of Object.entries(data as Record<string, Record<string, string>>)) {
      const languages: string[] = [];
      const lists = new Map<string, { languages: number[]; weights: number[] }>();
      for (const [language, trigrams] of Object.entries(all)) {
        if (allowed.size && !allowed.has(language)) continue;
        const parts = trigrams.split('|');
        const model = new Map<string, number>();
        // franc keeps the first place of a trigram listed twice
        for (let w = parts.length - 1; w >= 0; w--) model.set(parts[w]!, w);
        for (const [trigram, weight] of model) {
          let list = lists.get(trigram);
          if (!list) lists.set(trigram, (list = { languages: [], weights: [] }));
          list.languages.push(languages.length);
          list.weights.push(weight);
        }
        languages.push(language);
      }
      const postings = new Map<string, { languages: Int32Array; weights: Int32Array }>();
      for (const [trigram, list] of lists) postings.set(trigram, { languages: Int32Array.from(list.languages), weights: Int32Array.from(list.weights) });
      byScript.set(script, { languages, postings });
    }
    models = { byScript, only: allowed };
    prepared.set(key, models);
  }
  return models;
}

/** franc's francAll(value, { only, minLength }): languages with scores from 1 (best) down. */
export function rankLanguages(text: string, only: readonly string[], minLength: number): Ranking {
  if (!text || text.length < minLength) return [['und', 1]];
  const value = text.slice(0, MAX_LENGTH);
  const { byScript, only: allowed } = modelsFor(only);
  const [script, share] = topScript(value);
  const models = byScript.get(script);
  if (!models) {
    if (share === 0 || (allowed.size > 0 && !allowed.has(script))) return [['und', 1]];
    return [[script, 1]];
  }
  if (models.languages.length === 0) return [['und', 1]];
  // franc's distance: per text trigram, |count - weight - 1| where the language's model holds it, else
  // MAX_DIFFERENCE; summed from the trigram's side, so each trigram is looked up once, not once a language
  const counts = trigramCounts(value);
  const sums = new Array<number>(models.languages.length).fill(counts.size * MAX_DIFFERENCE);
  for (const [trigram, count] of counts) {
    const posting = models.postings.get(trigram);
    if (!posting) continue;
    for (let k = 0; k < posting.languages.length; k++) sums[posting.languages[k]!]! -= MAX_DIFFERENCE - Math.abs(count - posting.weights[k]! - 1);
  }
  const distances: Ranking = models.languages.map((language, l) => [language, sums[l]!]);
  distances.sort((a, b) => a[1] - b[1]);
  const min = distances[0]![1];
  const max = value.length * MAX_DIFFERENCE - min;
  for (const d of distances) d[1] = 1 - (d[1] - min) / max || 0;
  return distances;
}
