// Roles of the fields of a `fields` dataset (JSON keys, nested paths such as `translation.zh`, or
// CSV columns): id-like, label-like, input text, context text, target, metadata, each with its
// evidence. Decided from value statistics and name hints; --input/--target override. Pure.
import { isLosslessNumber, type LosslessNumber } from 'lossless-json';
import { SafemixError } from '../errors.js';
import { isLabelLike } from './answer-space.js';
import type { Path } from './conversation.js';

type FieldRoleName = 'id' | 'label' | 'input' | 'context' | 'target' | 'metadata' | 'rejected';

export interface FieldRole {
  field: string;
  path: Path;
  role: FieldRoleName;
  type: 'string' | 'number' | 'boolean' | 'list' | 'object' | 'mixed';
  distinct: number;
  /** For ids: the value pattern with `{n}` for digits, e.g. `HumanEval/{n}`. */
  pattern?: string;
  /** For labels: the label set with counts (top 100). */
  labels?: { value: string; count: number }[];
  evidence: string;
}

const INPUT_NAMES =
  /^(question|prompt|input|inputs|text|sentence|sentence1|instruction|query|source|src|content|passage|document|problem|utterance|review|tweet|premise|message|request|dialogue|article)$/i;
/** The two sides of a preference pair (DPO, ORPO), by name. */
const PREFERRED_NAMES = /^(?:chosen|preferred|chosen_response|response_chosen|preferred_response|better_response|winner|accepted)$/i;
const REJECTED_NAMES = /^(?:rejected|dispreferred|non_preferred|rejected_response|response_rejected|dispreferred_response|worse_response|loser)$/i;
const TARGET_NAMES =
  /^(answer|answers|output|outputs|target|targets|response|completion|solution|canonical_solution|label|labels|category|class|intent|sentiment|summary|translation|reference|gold|tgt|y|result|rationale)$/i;
/** Of the target names, those of an answer (not of a label or class beside it: Dolly's `response` before its `category`). */
const ANSWER_NAMES =
  /^(answer|answers|output|outputs|target|targets|response|completion|solution|canonical_solution|summary|translation|reference|gold|tgt|result)$/i;
const ID_NAMES = /(^id$|_id$|^id_|uuid|^key$|^idx$|^index$)/i;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Field paths of a record: top-level keys, and one level into objects of scalars (`translation.zh`). */
export function fieldPaths(value: unknown): Path[] {
  if (!isObj(value)) return [];
  const out: Path[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (isObj(v) && Object.values(v).every((x) => typeof x === 'string' || typeof x === 'number')) for (const k2 of Object.keys(v)) out.push([k, k2]);
    else out.push([k]);
  }
  return out;
}

function typeOf(v: unknown): FieldRole['type'] {
  if (isLosslessNumber(v)) return 'number';
  if (Array.isArray(v)) return 'list';
  if (isObj(v)) return 'object';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

function digitPattern(s: string): string {
  return s.replace(/\d+/g, '{n}');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
}

export function inferFieldRoles(values: unknown[], overrides: { input?: string; target?: string } = {}): FieldRole[] {
  const paths = new Map<string, Path>();
  for (const v of values.slice(0, 200)) for (const p of fieldPaths(v)) paths.set(p.join('.'), p);
  const stats = [...paths].map(([field, path]) => {
    const vals = values.map((v) => path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v)).filter((v) => v !== undefined && v !== null);
    const types = new Set(vals.map(typeOf));
    const type: FieldRole['type'] = types.size === 1 ? [...types][0]! : 'mixed';
    const strings = vals.map((v) => (typeof v === 'string' ? v : isLosslessNumber(v) ? (v as LosslessNumber).value : JSON.stringify(v)));
    const distinct = new Set(strings).size;
    // the length and spacing of the values a field holds: empty ones say the field is often left
    // empty (Dolly's context), not that its text is short
    const filled = strings.filter((s) => s !== '');
    const medLen = median(filled.map((s) => s.length));
    const spaced = filled.filter((s) => s.includes(' ') || s.includes('\n')).length / (filled.length || 1);
    return { field, path, vals, strings, type, distinct, medLen, spaced, n: vals.length };
  });
  const roles = new Map<string, FieldRole>();
  for (const s of stats) {
    const base = { field: s.field, path: s.path, type: s.type, distinct: s.distinct };
    const patterns = new Set(s.strings.map(digitPattern));
    const unique = s.distinct === s.n && s.n >= 2;
    const targetNamed = TARGET_NAMES.test(s.field.split('.').pop()!);
    // an id is a string or a number, never a list or an object (a span list of one year is unique too)
    if (
      unique &&
      (s.type === 'string' || s.type === 'number') &&
      s.medLen <= 48 &&
      s.spaced < 0.5 &&
      (ID_NAMES.test(s.field) || (!targetNamed && ((patterns.size === 1 && [...patterns][0]!.includes('{n}')) || s.type === 'number')))
    ) {
      const pattern = patterns.size === 1 ? [...patterns][0] : undefined;
      roles.set(s.field, { ...base, role: 'id', pattern, evidence: `unique in ${s.n} sampled records${pattern ? `, all of the form ${pattern}` : ''}` });
      continue;
    }
    if ((s.type === 'string' || s.type === 'number' || s.type === 'boolean') && isLabelLike(s.strings)) {
      const counts = new Map<string, number>();
      for (const v of s.strings) counts.set(v, (counts.get(v) ?? 0) + 1);
      const labels = [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 100);
      roles.set(s.field, { ...base, role: 'label', labels, evidence: `${s.distinct} distinct values in ${s.n} sampled records` });
      continue;
    }
    const texty = s.type === 'list' || (s.type === 'string' && (s.medLen >= 12 || s.spaced >= 0.5));
    roles.set(s.field, {
      ...base,
      role: texty ? 'context' : 'metadata',
      evidence: texty ? `text, median ${s.medLen} characters` : `short values (median ${s.medLen} characters), not unique, not a small set`,
    });
  }
  const order = stats.map((s) => s.field);
  const constant = new Set(stats.filter((s) => s.distinct <= 1).map((s) => s.field));
  const candidates = (role: FieldRoleName[]) => order.filter((f) => role.includes(roles.get(f)!.role) && !constant.has(f));
  // a name's last word decides: `entailment_label`, `gold-answer`, `targetText`
  const lastWord = (f: string) =>
    f
      .split('.')
      .pop()!
      .split(/[_\-\s]|(?<=[a-z])(?=[A-Z])/)
      .pop()!;
  const named = (re: RegExp, f: string) => re.test(f.split('.').pop()!) || re.test(lastWord(f));
  // input: an override, a named input field, else the first text field
  const input = overrides.input ?? candidates(['context']).find((f) => named(INPUT_NAMES, f)) ?? candidates(['context'])[0];
  // target: an override, a named target field, else the first label after the input (answers follow
  // their inputs: text,label / s1,s2,label,score,split), else the last other text field
  const after = (f: string) => input === undefined || order.indexOf(f) > order.indexOf(input);
  // preference pairs written as text (TRL's prompt/chosen/rejected): the answer is the chosen side,
  // and the rejected side has a role of its own
  const textField = (re: RegExp) => order.find((f) => re.test(f.split('.').pop()!) && stats.find((s) => s.field === f)?.type === 'string');
  const chosen = textField(PREFERRED_NAMES);
  const rejected = chosen ? textField(REJECTED_NAMES) : undefined;
  const target =
    overrides.target ??
    (rejected ? chosen : undefined) ??
    // a field named as an answer before one named as a label beside it (Dolly's `response` and
    // `category`), and named exactly so (`answers`) before one whose last word is (`plausible_answers`)
    order.filter((f) => f !== input && roles.get(f)!.role !== 'id' && !constant.has(f) && ANSWER_NAMES.test(f.split('.').pop()!)).pop() ??
    order.filter((f) => f !== input && roles.get(f)!.role !== 'id' && !constant.has(f) && TARGET_NAMES.test(f.split('.').pop()!)).pop() ??
    order.filter((f) => f !== input && roles.get(f)!.role !== 'id' && !constant.has(f) && named(TARGET_NAMES, f)).pop() ??
    candidates(['label']).find(after) ??
    candidates(['label']).pop() ??
    candidates(['context'])
      .filter((f) => f !== input)
      .pop();
  const mark = (field: string | undefined, role: FieldRoleName, why: string) => {
    if (!field) return;
    const r = roles.get(field);
    if (!r) return;
    roles.set(field, { ...r, role, evidence: `${why}; ${r.evidence}` });
  };
  mark(input, 'input', overrides.input ? 'given by --input' : input && named(INPUT_NAMES, input) ? 'named like an input' : 'first text field');
  mark(
    target,
    'target',
    overrides.target
      ? 'given by --target'
      : rejected && target === chosen
        ? 'the chosen side of a preference pair'
        : target && named(TARGET_NAMES, target)
          ? 'named like a target'
          : roles.get(target ?? '')?.role === 'label'
            ? 'the first label-like field after the input'
            : 'last text field',
  );
  if (rejected && target === chosen) mark(rejected, 'rejected', 'the rejected side of a preference pair');
  for (const f of [overrides.input, overrides.target])
    if (f && !roles.has(f)) throw new SafemixError('usage', `no field named "${f}"`, { position: { field: f }, hint: `choose one of: ${order.join(', ')}` });
  return order.map((f) => roles.get(f)!);
}
