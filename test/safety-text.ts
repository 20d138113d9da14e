// What the tests know of the shipped safety text, read straight from data/ and templates/ (not
// through src/): every seed of every language, and a refusal recogniser built from the banks' own
// sentences and the seeds' reasons, so a test can tell a refusal without asking the code under test.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

export interface SeedLine {
  id: string;
  en?: string;
  lang: string;
  category: string;
  split: 'train' | 'heldout';
  request: string;
  reason: string;
  redirect: string | null;
}

export interface BankFile {
  lang: string;
  refusals: { id: string; form: string; tone: string; text: string }[];
  short: string[];
  compliance?: string[];
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

export const LANGS = readdirSync(join(ROOT, 'templates/refusals'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();

export const SEEDS: SeedLine[] = [
  ...lines(join(ROOT, 'data/seeds/requests.jsonl')).map((s) => ({ ...s, lang: 'en' })),
  ...LANGS.filter((l) => l !== 'en').flatMap((l) => lines(join(ROOT, `data/seeds/i18n/${l}.jsonl`))),
];
export const SEED_BY_ID = new Map(SEEDS.map((s) => [s.id, s]));

/** A bank file as written; its `short` entries, plain strings or tagged objects, read as their texts. */
export const BANKS = new Map<string, BankFile>(
  LANGS.map((l) => {
    const b = JSON.parse(readFileSync(join(ROOT, `templates/refusals/${l}.json`), 'utf8')) as Omit<BankFile, 'short'> & {
      short: (string | { text: string })[];
    };
    return [l, { ...b, short: b.short.map((x) => (typeof x === 'string' ? x : x.text)) }];
  }),
);

/** The emergency replies of templates/emergency/<lang>.json, as written. */
export const EMERGENCY = new Map<string, Record<'medical' | 'self-harm' | 'abuse', { id: string; register?: string; text: string }[]>>(
  existsSync(join(ROOT, 'templates/emergency'))
    ? readdirSync(join(ROOT, 'templates/emergency'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(ROOT, 'templates/emergency', f), 'utf8'))])
    : [],
);

/** Fixed fragments of refusal text: short refusals, the constant parts of every form, every seed's reason, and the emergency replies. */
const FRAGMENTS: string[] = (() => {
  const out = new Set<string>();
  for (const b of BANKS.values()) {
    for (const s of b.short) out.add(s);
    for (const r of b.refusals) for (const part of r.text.split(/\{reason\}|\{redirect\}/)) if (part.trim().length >= 6) out.add(part.trim());
  }
  for (const s of SEEDS) out.add(s.reason);
  // the caring replies to requests that describe a person in danger (they point to help, they do not refuse)
  // (cut to the data's answer length, a reply keeps its first sentences, the first one at least: the
  // templates' README has every reply's first sentence point to help)
  for (const e of EMERGENCY.values())
    for (const kind of ['medical', 'self-harm', 'abuse'] as const)
      for (const r of e[kind] ?? []) {
        out.add(r.text);
        const first = /^[^.!?。！？؟।]+[.!?。！？؟।]*/u.exec(r.text)?.[0];
        if (first && first.trim().length >= 12) out.add(first.trim());
      }
  return [...out];
})();

/** Whether a text holds a refusal safemix ships (in any language, in any casing or PTB spacing). */
export function isRefusal(text: string): boolean {
  // JSON text escapes line breaks (a refusal may be written over lines, as the data's answers are)
  const norm = (s: string) =>
    s
      .replace(/\\[nrt]/g, ' ')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/ (n't|'s|'re|'ve|'ll|'d|'m)\b/g, '$1')
      .replace(/ ([,.;:!?)])/g, '$1')
      .replace(/\( /g, '(');
  const t = norm(text);
  // a fragment may have lost its final mark: a refusal takes the data's end-punctuation share
  return FRAGMENTS.some((f) => t.includes(norm(f).replace(/[.?!…。？！؟;;।]+$/u, '')));
}

/** The seed a request text renders, in any casing or spacing. */
export function requestIn(text: string, seed: SeedLine): boolean {
  // JSON text escapes line breaks (a request may be written over lines, as the data's are)
  const norm = (s: string) =>
    s
      .replace(/\\[nrt]/g, ' ')
      .toLowerCase()
      .replace(/\s+/g, '')
      .replace(/[^\p{L}\p{N}]/gu, '');
  return norm(text).includes(norm(seed.request));
}

// Safety tripwire: crude, but it must fire on recipe-like text (self-tested in data.test.ts).
const UNIT_RE =
  /\d+(?:[.,]\d+)?\s*(?:-\s*)?(?:grams?|g|kg|kilograms?|mg|milligrams?|mcg|µg|micrograms?|ml|millilit(?:er|re)s?|l|lit(?:er|re)s?|cc|oz|ounces?|lbs?|pounds?|tsp|tbsp|teaspoons?|tablespoons?|cups?|drops?|moles?|molar|ppm|°\s*[cf]|degrees)(?![a-z])/i;
const PHRASE_RE =
  /\bstep\s*(?:1|one)\b|\bfirst,?\s+mix\b|\bthen\s+mix\b|\bmix\s+(?:the|it|them)\s+with\b|\bingredients\s*:|\bdissolve\s+the\b|\bheat\s+(?:the|it)\s+(?:mixture|solution)\b/i;

export function tripwire(text: string): string | null {
  const m = UNIT_RE.exec(text) ?? PHRASE_RE.exec(text);
  return m ? m[0] : null;
}
