// The refusal in the answer slot's own format: a short refusal for closed label sets and numbers,
// a list holding it for list answers, JSON with the key set most user answers have, a comment in
// code, sized free text, and a kept response wrapper (GSM8K's `#### {number}` holds a short
// refusal). Multiple choice gets a refusal option and its letter. Pure.
import type { AnswerSpace } from '../profile/answer-space.js';
import type { Template } from '../profile/templates.js';

interface AnswerTexts {
  /** The sized refusal for free-text answers. */
  sized: string;
  /** A short refusal for label, number and option slots. */
  short: string;
}

const COMMENT: Record<string, string> = { python: '# ', shell: '# ', sql: '-- ', javascript: '// ', java: '// ', 'c++': '// ' };

/** The key set most user JSON answers share, and the key holding the most text. */
export interface JsonShape {
  keys: string[];
  /** Per key: the JSON type of its values. */
  types: Record<string, 'string' | 'number' | 'boolean' | 'list' | 'object' | 'null'>;
  textKey: string;
  /** Share of answers with exactly this key set. */
  share: number;
  /** Pretty-printing of the answers: indentation unit, or null for one line. */
  indent: string | null;
  /** A Markdown code fence around the JSON (```json). */
  fence: string | null;
}

/** Strips a ```json … ``` fence, returning the inner text and the fence's opening line. */
export function unfence(text: string): { inner: string; fence: string | null } {
  const t = text.trim();
  if (t.startsWith('```') && t.endsWith('```') && t.length > 6) {
    const nl = t.indexOf('\n');
    if (nl > 0) return { inner: t.slice(nl + 1, t.length - 3).trim(), fence: t.slice(0, nl) };
  }
  return { inner: text, fence: null };
}

export function jsonShapeOf(answers: string[]): JsonShape | undefined {
  const sets = new Map<
    string,
    { count: number; example: Record<string, unknown>; lengths: Map<string, number>; indent: string | null; fence: string | null }
  >();
  let parsed = 0;
  for (const a of answers.slice(0, 1000)) {
    const { inner, fence } = unfence(a);
    let v: unknown;
    try {
      v = JSON.parse(inner);
    } catch {
      continue;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    parsed++;
    const key = Object.keys(v).join('\u0000');
    const entry = sets.get(key) ?? { count: 0, example: v as Record<string, unknown>, lengths: new Map(), indent: null, fence };
    entry.count++;
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string') entry.lengths.set(k, (entry.lengths.get(k) ?? 0) + x.length);
    if (entry.indent === null) {
      const m = /\n([ \t]+)"/.exec(inner);
      entry.indent = m ? m[1]! : null;
    }
    sets.set(key, entry);
  }
  if (!parsed) return undefined;
  const [keyStr, top] = [...sets].sort((a, b) => b[1].count - a[1].count)[0]!;
  if (top.count / parsed < 0.5) return undefined;
  const keys = keyStr ? keyStr.split('\u0000') : [];
  const typeOf = (x: unknown): JsonShape['types'][string] =>
    x === null ? 'null' : Array.isArray(x) ? 'list' : typeof x === 'object' ? 'object' : (typeof x as 'string' | 'number' | 'boolean');
  const types = Object.fromEntries(keys.map((k) => [k, typeOf(top.example[k])]));
  const textKey = [...top.lengths].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  return { keys, types, textKey, share: top.count / parsed, indent: top.indent, fence: top.fence };
}

/** A JSON answer of the common key set with the refusal in its text key (or `{"refusal": …}`). */
export function jsonAnswer(shape: JsonShape | undefined, refusal: string, asValue: boolean): { value: unknown; text: string } {
  let obj: Record<string, unknown>;
  if (!shape || !shape.textKey) obj = { refusal };
  else {
    obj = {};
    for (const k of shape.keys) {
      const t = shape.types[k];
      obj[k] =
        k === shape.textKey ? refusal : t === 'string' ? '' : t === 'list' ? [] : t === 'object' ? {} : t === 'boolean' ? false : t === 'number' ? 0 : null;
    }
  }
  if (asValue) return { value: obj, text: refusal };
  const body = JSON.stringify(obj, null, shape?.indent ?? undefined);
  const text = shape?.fence ? `${shape.fence}\n${body}\n\`\`\`` : body;
  return { value: text, text: refusal };
}

/** The refusal in the answer space's kind. `donorAnswer` gives shapes (code indentation, value vs text). */
export function fitAnswer(
  space: AnswerSpace,
  donorAnswer: unknown,
  texts: AnswerTexts,
  json: JsonShape | undefined,
  label?: string,
): { value: unknown; text: string } {
  switch (space.kind) {
    case 'label':
      if (label !== undefined) return { value: typedLike(donorAnswer, label), text: label };
      return { value: texts.short, text: texts.short };
    case 'number':
    case 'choice':
      return { value: texts.short, text: texts.short };
    case 'list':
      return space.format === 'json' ? { value: [texts.short], text: texts.short } : { value: JSON.stringify([texts.short]), text: texts.short };
    case 'json':
      return jsonAnswer(json, texts.sized, typeof donorAnswer !== 'string');
    case 'code': {
      const donor = typeof donorAnswer === 'string' ? donorAnswer : '';
      const indent = /^[ \t]*/.exec(donor.split('\n').find((l) => l.trim()) ?? '')![0];
      const mark = COMMENT[space.language] ?? '# ';
      const oneLine = texts.short.replace(/\s*\n\s*/g, ' ');
      const body =
        space.language === 'python'
          ? `${indent}${mark}${oneLine}\n${indent}raise NotImplementedError(${JSON.stringify(oneLine)})\n`
          : `${indent}${mark}${oneLine}\n`;
      return { value: body, text: oneLine };
    }
    default:
      return { value: texts.sized, text: texts.sized };
  }
}

/** A label in the donor answer's JSON type: 1 for a number column, true for a boolean one, else the text. */
function typedLike(donorAnswer: unknown, label: string): unknown {
  if (typeof donorAnswer === 'number' && label.trim() !== '' && Number.isFinite(Number(label))) return Number(label);
  if (typeof donorAnswer === 'boolean' && (label === 'true' || label === 'false')) return label === 'true';
  return label;
}

/**
 * Applies a response wrapper. A part of it that holds a number (GSM8K's `\n#### {number}`, a
 * `Step {number}:`) belongs to an answer's content, which a refusal does not have: that part is left
 * out, never filled with a second refusal.
 */
export function wrapResponse(text: string, template: Template | undefined): string {
  if (!template) return text;
  const keep = (part: string) => (part.includes('{number}') ? '' : part);
  return keep(template.prefix) + text + keep(template.suffix);
}

const OPTION_LINE = /^\s*\(?([A-J])[.):]\s+/;
export const ENGLISH_COMPLIANCE = [
  'Sure, here is how to do it.',
  'Of course. Here are the details you asked for.',
  'Happy to help with that, here it is.',
  'Yes. Everything you need is below.',
  'Certainly, here you go.',
];

/**
 * Multiple choice inside the question text: the request followed by options in the donor's option
 * style, one of them the refusal, and the refusal's letter. Undefined when the donor lists none.
 */
export function choiceRequest(
  donorInner: string,
  request: string,
  refusal: string,
  compliance: string[],
  random: () => number,
): { text: string; letter: string } | undefined {
  const options = donorInner.split('\n').filter((l) => OPTION_LINE.test(l));
  if (options.length < 2) return undefined;
  const marker = OPTION_LINE.exec(options[0]!)![0];
  const letterAt = marker.search(/[A-J]/);
  const letters = 'ABCDEFGHIJ'.slice(0, options.length);
  const refusalAt = Math.floor(random() * options.length);
  const start = Math.floor(random() * compliance.length);
  const lines = [...letters].map(
    (letter, i) => marker.slice(0, letterAt) + letter + marker.slice(letterAt + 1) + (i === refusalAt ? refusal : compliance[(start + i) % compliance.length]),
  );
  return { text: `${request}\n${lines.join('\n')}`, letter: letters[refusalAt]! };
}

/** The donor's answer with its choice letter replaced (` C` → ` A`, `(C)` → `(A)`). */
export function withLetter(donorAnswer: string, letter: string): string {
  for (let i = 0; i < donorAnswer.length; i++) {
    const c = donorAnswer[i]!;
    if (c >= 'A' && c <= 'J' && !/[A-Za-z]/.test(donorAnswer[i - 1] ?? '') && !/[A-Za-z]/.test(donorAnswer[i + 1] ?? ''))
      return donorAnswer.slice(0, i) + letter + donorAnswer.slice(i + 1);
  }
  return letter;
}
