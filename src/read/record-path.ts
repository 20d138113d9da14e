// Where the records of a JSON document sit (`data[].paragraphs[].qas[]`): given (`--records PATH`) or
// inferred from the file's first bytes as the deepest array of like objects that hold text (not the
// turns of a chat, not span lists such as SQuAD's answers). Pure.
import { SafemixError } from '../errors.js';
import { ANY, type PathStep } from './json-nested-scanner.js';

/** `data[].paragraphs[].qas[]`, as --records takes it and messages show it. */
export function formatRecordPath(path: readonly PathStep[]): string {
  let out = '';
  for (const step of path) out += typeof step === 'string' ? (out ? `.${step}` : step) : '[]';
  return out;
}

/** Reads `data[].paragraphs[].qas[]` (also `$.data[*]…` and jq's `.data[]…`). */
export function parseRecordPath(text: string): PathStep[] {
  const t = text.trim().replace(/^\$/, '').replace(/^\./, '');
  const steps: PathStep[] = [];
  const re = /([A-Za-z_][\w-]*)|\["((?:[^"\\]|\\.)*)"\]|\[\*?\]|(\.)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < t.length && ((re.lastIndex = at), (m = re.exec(t)))) {
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(JSON.parse(`"${m[2]}"`) as string);
    else if (m[3] === undefined) steps.push(ANY);
    at = re.lastIndex;
  }
  if (at < t.length || !steps.length || typeof steps.at(-1) === 'string')
    throw new SafemixError('usage', `--records ${text}: not a path to a list of records`, {
      hint: 'write the path with [] for each list, ending with one, e.g. --records data[].paragraphs[].qas[]',
    });
  return steps;
}

/** A JSON value parsed from a document's first bytes: objects and arrays cut off at the end are kept as far as they go. */
function parsePartial(text: string): unknown {
  let i = 0;
  // set where the bytes end inside a value: every value open then is returned as far as it goes
  let ended = false;
  const ws = () => {
    while (i < text.length && ' \n\r\t'.includes(text[i]!)) i++;
  };
  const value = (depth: number): unknown => {
    ws();
    if (i >= text.length || depth > 64) {
      ended = true;
      return undefined;
    }
    const c = text[i]!;
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      for (;;) {
        ws();
        if (text[i] === '}') {
          i++;
          return o;
        }
        if (text[i] === ',') i++;
        const k = value(depth + 1);
        ws();
        if (ended || text[i] !== ':') {
          ended = true;
          return o;
        }
        i++;
        const v = value(depth + 1);
        if (v !== undefined) o[String(k)] = v;
        if (ended) return o;
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      for (;;) {
        ws();
        if (text[i] === ']') {
          i++;
          return a;
        }
        if (text[i] === ',') i++;
        const v = value(depth + 1);
        if (v !== undefined) a.push(v);
        if (ended) return a;
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i, i + (1 << 20)));
      if (!m) {
        ended = true;
        return undefined;
      }
      i += m[0].length;
      return JSON.parse(m[0]);
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m || i + m[0].length >= text.length) {
      ended = true;
      return undefined;
    }
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  try {
    return value(0);
  } catch {
    return undefined;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keys of a record of a known dialect (a chat, an instruction, a prompt, a text): their object is a record. */
const RECORD_KEYS = new Set([
  'messages',
  'conversations',
  'contents',
  'instruction',
  'prompt',
  'completion',
  'text',
  'question',
  'output',
  'response',
  'chosen',
  'rejected',
  'input',
]);

interface InferredPath {
  path: PathStep[];
  /** Records seen at it in the bytes looked at. */
  seen: number;
  evidence: string;
}

/**
 * The record path of a JSON document from its first bytes: of the arrays of objects (with the same
 * path up to their indices), the deepest whose objects have two fields or more and a text field of
 * median length 20 or more; not chat turns (role/from and content/value). Undefined when none.
 */
export function inferRecordPath(head: Buffer): InferredPath | undefined {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const doc = parsePartial(text);
  if (!isObj(doc)) return undefined;
  // an object that is itself a record (a JSON Lines file whose first line is longer than the bytes
  // looked at) is no document holding records
  if (Object.keys(doc).some((k) => RECORD_KEYS.has(k))) return undefined;
  const lists = new Map<string, { path: PathStep[]; items: Record<string, unknown>[] }>();
  const walk = (v: unknown, path: PathStep[], depth: number) => {
    if (depth > 12) return;
    if (Array.isArray(v)) {
      const here = [...path, ANY];
      const objects = v.filter(isObj);
      if (objects.length) {
        const key = formatRecordPath(here);
        const entry = lists.get(key) ?? { path: here, items: [] };
        entry.items.push(...objects);
        lists.set(key, entry);
      }
      for (const x of v) walk(x, here, depth + 1);
    } else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1);
  };
  walk(doc, [], 0);
  const fits = [...lists.values()].filter(({ items }) => {
    const turns = items.filter((o) => ('role' in o || 'from' in o) && ('content' in o || 'value' in o || 'parts' in o)).length;
    if (turns > items.length / 2) return false;
    const keys = items.reduce((s, o) => s + Object.keys(o).length, 0) / items.length;
    if (keys < 2) return false;
    const longest = new Map<string, number[]>();
    for (const o of items) for (const [k, x] of Object.entries(o)) if (typeof x === 'string') longest.set(k, [...(longest.get(k) ?? []), x.length]);
    return [...longest.values()].some((ls) => ls.sort((a, b) => a - b)[Math.floor(ls.length / 2)]! >= 20);
  });
  fits.sort((a, b) => b.path.length - a.path.length || b.items.length - a.items.length);
  const best = fits[0];
  if (!best) return undefined;
  return {
    path: best.path,
    seen: best.items.length,
    evidence: `the deepest list of like objects holding text: ${formatRecordPath(best.path)} (${best.items.length} in the first ${Math.round(head.length / 1024)} KB)`,
  };
}
