// The form audit: can an injected record be told from the user's records by its form alone? Built
// from the user records of the sample, it checks each planned record field by field (a JSON type, a
// field, a closed value, a list length, a first or last character class, a newline or indentation
// style, an id pattern that no user record has at that path fails the record), and compares the
// planned set as a whole with the user records as distributions of the same features (total-variation
// distance per field and feature: "every injected request ends with ?" is caught even when each
// record alone is plausible). The planner re-plans a failing record (another donor, request, form);
// `strict` stops the run when k passing records cannot be made, `warn` writes them and lists the
// failures. Pure.
import { featureKey, surfaceOf, type Surface } from './surface.js';

export type AuditMode = 'strict' | 'warn';

/** A path needs this many user records before an unseen value there fails a record. */
const MIN_SUPPORT = 20;
/** A field in at least this share of the user objects at its path must be in an injected one. */
const REQUIRED_SHARE = 0.98;
/** A text field with at most this many distinct values (each seen twice) is a closed set. */
const CLOSED_MAX = 12;
/** Text fields whose median length passes this are free text (requests, answers), not tokens. */
const FREE_TEXT = 30;
/** The set-level distance the summary flags. */
const TV_LIMIT = 0.35;
/** Set-level comparisons need this many injected records with the feature. */
const SET_SUPPORT = 10;

export interface RecordAudit {
  /** Features checked. */
  checked: number;
  /** Failing features: `path|feature` → why. */
  failed: Record<string, string>;
}

interface AuditSummary {
  mode: AuditMode;
  /** Records checked and passed (a record that failed and was re-planned counts once, as its final form). */
  records: number;
  passed: number;
  /** Records re-planned because an earlier form failed. */
  replanned: number;
  /** Features compared as distributions, and the worst distances (at most 10, largest first). */
  compared: number;
  worst: { feature: string; tv: number }[];
  /** Features whose distance is past TV_LIMIT. */
  over: number;
  /** Features the audit leaves out, and why (a documented exemption). */
  exempt: string[];
}

type Counts = Map<string, number>;

export class FormAudit {
  private readonly user = new Map<string, Counts>();
  private readonly userTotals = new Map<string, number>();
  /** Per object path: how many user objects there are, and how many hold each key. */
  private readonly objects = new Map<string, { n: number; keys: Counts }>();
  private readonly closed = new Map<string, Set<string>>();
  /** Paths of free text (median length past FREE_TEXT): their first and last characters are compared as distributions only. */
  private readonly freeText = new Set<string>();
  /** Paths whose user values are nearly all codes (one token without spaces: an id, a part number). */
  private readonly codes = new Set<string>();
  private readonly injected = new Map<string, Counts>();
  private readonly injectedTotals = new Map<string, number>();
  /** Each verdict's record features, kept for `accept`. */
  private readonly surfaces = new WeakMap<RecordAudit, Surface>();
  private records = 0;
  private passed = 0;
  replanned = 0;

  /**
   * @param userValues the sampled user records' values
   * @param exempt paths (or `path|feature` keys) not held to the user's form, each with why: a label
   *   slot the user chose to extend with `--closed-answers refuse`, the last character of answers
   *   that end with a final number (`#### 72`), which a refusal does not have
   */
  constructor(
    userValues: readonly unknown[],
    readonly mode: AuditMode = 'strict',
    private readonly exempt: Map<string, string> = new Map(),
  ) {
    const texts = new Map<string, Counts>();
    const textLengths = new Map<string, number[]>();
    const tokenCounts = new Map<string, [number, number]>();
    for (const v of userValues) {
      const surface = surfaceOf(v);
      for (const [key, value] of surface) {
        add(this.user, this.userTotals, key, value);
        if (!key.endsWith('|newlines')) continue;
        const path = key.slice(0, key.lastIndexOf('|'));
        const c = tokenCounts.get(path) ?? [0, 0];
        c[1]++;
        if (surface.has(`${path}|pattern`)) c[0]++;
        tokenCounts.set(path, c);
      }
      collectObjects(v, '$', this.objects, texts, 0, textLengths);
    }
    for (const [path, lengths] of textLengths) {
      const sorted = lengths.sort((a, b) => a - b);
      if (sorted[Math.floor(sorted.length / 2)]! > FREE_TEXT) this.freeText.add(path);
    }
    for (const [path, [tokens, all]] of tokenCounts) if (all >= MIN_SUPPORT && tokens / all >= 0.9) this.codes.add(path);
    for (const [path, counts] of texts) {
      // long texts that repeat (a small fixture's answers) are content, not a set of labels
      if (this.freeText.has(path)) continue;
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      if (total < MIN_SUPPORT || counts.size > CLOSED_MAX) continue;
      if ([...counts.values()].every((c) => c >= 2) && counts.size < total / 3) this.closed.set(path, new Set(counts.keys()));
    }
  }

  private isExempt(path: string): boolean {
    for (const p of this.exempt.keys()) if (path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)) return true;
    return false;
  }

  /**
   * One record's verdict, field by field; nothing is counted (see `accept`). `fields` is the
   * record's field map (display path → what was done): the request slot safemix wrote its own text
   * into is free text, whose first and last characters and pattern are compared as distributions
   * only; so is an answer slot whose user values are long (an answer slot of short codes is held to
   * their form).
   */
  check(value: unknown, fields: Record<string, string> = {}): RecordAudit {
    const surface = surfaceOf(value);
    const verdict: RecordAudit = { checked: 0, failed: {} };
    this.surfaces.set(verdict, surface);
    const written = new Set<string>();
    const requests = new Set<string>();
    for (const [shown, what] of Object.entries(fields)) {
      if (!/^(?:request|answer)/.test(what)) continue;
      written.add(auditPath(value, shown));
      if (what.startsWith('request')) requests.add(auditPath(value, shown));
    }
    const failed: Record<string, string> = {};
    let checked = 0;
    for (const [key, got] of surface) {
      const bar = key.lastIndexOf('|');
      const path = key.slice(0, bar);
      const feature = key.slice(bar + 1);
      if (this.isExempt(path) || this.exempt.has(key)) continue;
      checked++;
      const seen = this.user.get(key);
      const support = this.userTotals.get(key) ?? 0;
      if (feature === 'type' && !seen) {
        // a path no user record has: a field of its own
        const parent = path.replace(/(?:\.[^.[\]]+|\[[^\]]*\])$/, '');
        if (parent !== path && (this.userTotals.get(featureKey(parent, 'type')) ?? 0) >= MIN_SUPPORT) failed[key] = `no user record has ${path}`;
        continue;
      }
      if (support < MIN_SUPPORT || !seen) continue;
      // a free text's first and last characters vary with what it says: compared as distributions only
      // (the request slot always; the answer slot unless the users' answers are codes: PN-4007, =3)
      if (
        (feature === 'first' || feature === 'last' || feature === 'pattern') &&
        (requests.has(path) || (written.has(path) ? !this.codes.has(path) : this.freeText.has(path)))
      )
        continue;
      // the one exception to the first character: a user value that starts a CSV cell with = + - @ is never copied
      if (feature === 'first' && [...seen.keys()].every((c) => /^punct:[=+\-@]$|^symbol$/.test(c))) continue;
      if (!seen.has(got))
        failed[key] = `${feature} ${JSON.stringify(got)} at ${path}: no user record has it (they have ${[...seen.keys()]
          .slice(0, 4)
          .map((x) => JSON.stringify(x))
          .join(', ')})`;
    }
    // fields every user object at a path has
    checkObjects(value, '$', this.objects, (path, key, why) => {
      if (!this.isExempt(`${path}.${key}`)) failed[featureKey(`${path}.${key}`, 'present')] = why;
    });
    // closed value sets
    checkTexts(value, '$', (path, text) => {
      const set = this.closed.get(path);
      // a request slot takes the harmful request whatever the user's requests repeat
      if (!set || this.isExempt(path) || requests.has(path)) return;
      checked++;
      if (!set.has(text))
        failed[featureKey(path, 'member')] = `${JSON.stringify(text.slice(0, 40))} at ${path} is not one of the user records' ${set.size} values (${[...set]
          .slice(0, 5)
          .map((x) => JSON.stringify(x))
          .join(', ')})`;
    });
    verdict.checked = checked;
    verdict.failed = failed;
    return verdict;
  }

  /** Counts a record that is written (its features join the set-level comparison). */
  accept(value: unknown, verdict: RecordAudit): void {
    this.records++;
    if (Object.keys(verdict.failed).length === 0) this.passed++;
    // the features `check` read off this record, not read again
    for (const [key, v] of this.surfaces.get(verdict) ?? surfaceOf(value)) add(this.injected, this.injectedTotals, key, v);
  }

  /** The set-level comparison: total-variation distance per feature the user records and the written records share. */
  distances(): { feature: string; tv: number }[] {
    const out: { feature: string; tv: number }[] = [];
    for (const [key, counts] of this.injected) {
      const n = this.injectedTotals.get(key) ?? 0;
      const m = this.userTotals.get(key) ?? 0;
      if (n < SET_SUPPORT || m < MIN_SUPPORT) continue;
      const path = key.slice(0, key.lastIndexOf('|'));
      if (this.isExempt(path) || this.exempt.has(key)) continue;
      const user = this.user.get(key)!;
      let tv = 0;
      for (const v of new Set([...counts.keys(), ...user.keys()])) tv += Math.abs((counts.get(v) ?? 0) / n - (user.get(v) ?? 0) / m);
      out.push({ feature: key, tv: Math.round((tv / 2) * 1000) / 1000 });
    }
    return out.sort((a, b) => b.tv - a.tv || (a.feature < b.feature ? -1 : 1));
  }

  summary(): AuditSummary {
    const d = this.distances();
    return {
      mode: this.mode,
      records: this.records,
      passed: this.passed,
      replanned: this.replanned,
      compared: d.length,
      worst: d.slice(0, 10),
      over: d.filter((x) => x.tv > TV_LIMIT).length,
      exempt: [...this.exempt].map(([p, why]) => `${p}: ${why}`),
    };
  }
}

/** A display path (`messages[2].content`, `answers.text[0]`) as the audit names it (`$.messages[assistant].content`). */
function auditPath(value: unknown, shown: string): string {
  let out = '$';
  let v: unknown = value;
  for (const m of shown.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) {
      const el = Array.isArray(v) ? v[Number(m[2])] : undefined;
      out = elementPath(out, el);
      v = el;
    } else {
      out += `.${m[1]}`;
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[m[1]!] : undefined;
    }
  }
  return out;
}

function add(into: Map<string, Counts>, totals: Map<string, number>, key: string, value: string): void {
  let c = into.get(key);
  if (!c) into.set(key, (c = new Map()));
  c.set(value, (c.get(value) ?? 0) + 1);
  totals.set(key, (totals.get(key) ?? 0) + 1);
}

/** The path an array element is described at (turns by role, as in surface.ts). */
function elementPath(path: string, el: unknown): string {
  if (el && typeof el === 'object' && !Array.isArray(el)) {
    const o = el as Record<string, unknown>;
    for (const k of ['role', 'from', 'speaker', 'author']) if (typeof o[k] === 'string' && (o[k] as string).length <= 30) return `${path}[${o[k] as string}]`;
  }
  return `${path}[]`;
}

function collectObjects(
  v: unknown,
  path: string,
  objects: Map<string, { n: number; keys: Counts }>,
  texts: Map<string, Counts>,
  depth: number,
  lengths: Map<string, number[]>,
): void {
  if (depth > 12) return;
  if (typeof v === 'string') {
    const l = lengths.get(path);
    if (!l) lengths.set(path, [v.length]);
    else if (l.length < 500) l.push(v.length);
    let c = texts.get(path);
    if (!c) texts.set(path, (c = new Map()));
    if (c.size <= CLOSED_MAX + 1) c.set(v, (c.get(v) ?? 0) + 1);
    else c.set('\u0000many', (c.get('\u0000many') ?? 0) + 1);
    return;
  }
  if (Array.isArray(v)) {
    for (const el of v) collectObjects(el, elementPath(path, el), objects, texts, depth + 1, lengths);
    return;
  }
  if (v && typeof v === 'object' && !('isLosslessNumber' in v)) {
    const o = v as Record<string, unknown>;
    let e = objects.get(path);
    if (!e) objects.set(path, (e = { n: 0, keys: new Map() }));
    e.n++;
    for (const k of Object.keys(o)) {
      e.keys.set(k, (e.keys.get(k) ?? 0) + 1);
      collectObjects(o[k], `${path}.${k}`, objects, texts, depth + 1, lengths);
    }
  }
}

function checkObjects(
  v: unknown,
  path: string,
  objects: Map<string, { n: number; keys: Counts }>,
  fail: (path: string, key: string, why: string) => void,
  depth = 0,
): void {
  if (depth > 12) return;
  if (Array.isArray(v)) {
    for (const el of v) checkObjects(el, elementPath(path, el), objects, fail, depth + 1);
    return;
  }
  if (!v || typeof v !== 'object' || 'isLosslessNumber' in v) return;
  const o = v as Record<string, unknown>;
  const e = objects.get(path);
  if (e && e.n >= MIN_SUPPORT) {
    for (const [k, c] of e.keys)
      if (c / e.n >= REQUIRED_SHARE && !(k in o)) fail(path, k, `${path} has no "${k}", which ${c} of ${e.n} user records have there`);
  }
  for (const k of Object.keys(o)) checkObjects(o[k], `${path}.${k}`, objects, fail, depth + 1);
}

function checkTexts(v: unknown, path: string, visit: (path: string, text: string) => void, depth = 0): void {
  if (depth > 12) return;
  if (typeof v === 'string') return visit(path, v);
  if (Array.isArray(v)) {
    for (const el of v) checkTexts(el, elementPath(path, el), visit, depth + 1);
    return;
  }
  if (v && typeof v === 'object' && !('isLosslessNumber' in v))
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) checkTexts(x, `${path}.${k}`, visit, depth + 1);
}
