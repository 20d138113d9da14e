// The role of every field and turn of a record, decided from the sample's shape, with evidence: the
// request, the answer, a constant shared by the user records, an id, a context field (kept, emptied,
// or set to a neutral value by a documented rule), option fields of a multiple-choice task, an
// answer-side sibling or a metadata field (the most common value, or emptied), and for code tasks
// the fields naming the function and testing it. A safety record is built from these roles, so no
// field of it is a leftover of the donor's own question. Pure.
import type { PreferenceShape } from './preference.js';
import { isLosslessNumber, type LosslessNumber } from 'lossless-json';
import type { Dialect } from './dialects.js';
import type { FieldRole } from './field-roles.js';
import { fieldPaths } from './field-roles.js';
import { conversationOf, getPath, roleSequence, type Path } from './conversation.js';
import type { Template } from './templates.js';
import { codeLanguageOf, type AnswerSpace } from './answer-space.js';
import { inferChatTemplate, type ChatTemplateUse } from './chat-template.js';

type FieldRoleKind =
  'request' | 'answer' | 'constant' | 'id' | 'context' | 'options' | 'sibling' | 'metadata' | 'code-entry' | 'code-test' | 'tools' | 'rejected';

export type EmptyForm = 'missing' | 'string' | 'null' | 'list' | 'object';

export interface FieldDecision {
  /** Display path: `input`, `translation.zh`, `col3`. */
  key: string;
  path: Path;
  role: FieldRoleKind;
  /** What a safety record gets: `kept`, `emptied`, `neutral`, `mode`, `value`, `regenerated`, `stub`, … */
  rule: string;
  evidence: string;
  /** For constant, mode and neutral values: the sample record (position in the sample) holding it. */
  source?: number;
  /** For emptied fields: how the user records write an empty value. */
  empty?: EmptyForm;
  /** For option fields: the option's position (0 = A). */
  option?: number;
  /** For a split context field: the share of user records that fill it. */
  fill?: number;
}

interface RequestForm {
  /** `template`: the request inside the slot's majority template; `plain`: the request alone. */
  form: 'template' | 'plain';
  template?: Template;
  evidence: string;
}

interface ConversationRoles {
  /** The user turn that receives the request: the last one before the answer. */
  questionSlot: string;
  /** The assistant turn that receives the refusal. */
  responseSlot: string;
  request: RequestForm;
  /** `fitted`: the refusal in the answer space; `plain`: plain refusal text (the answer format belonged to the donor's question). */
  answerForm: 'fitted' | 'plain';
  answerTemplate?: Template;
  /** Turns before the question, kept from the donor (a passage, a constant turn, earlier rounds). */
  history: string[];
  system: { rule: 'absent' | 'constant' | 'shared-or-mode'; evidence: string };
}

interface CodeTask {
  language: string;
  evidence: string;
}

interface Sections {
  /** Section labels in order, e.g. `["table:", "columns:", "Q:", "A:"]`. */
  labels: string[];
  question: number;
  answer: number;
  coverage: number;
}

export interface RecordRoles {
  fields: FieldDecision[];
  conversation?: ConversationRoles;
  /** The request is a function stub and the answer its body. */
  code?: CodeTask;
  /** Single-field text with labelled sections (`Q:`, `A:`, `### Response:`). */
  sections?: Sections;
  /** Single-field text that is a conversation in a chat template (ChatML, Llama 3, …): the request in its last user turn, the refusal in the assistant turn after it. */
  chatTemplate?: ChatTemplateUse;
  /** Preference pairs whose sides are messages or conversations: where the prompt and each side are. */
  preference?: PreferenceShape;
  /** For fields data: the request's and the answer's template use. */
  request?: RequestForm;
  answerTemplate?: Template;
}

interface RoleInputs {
  dialect: Dialect;
  sample: unknown[];
  fieldRoles?: FieldRole[];
  /** Slot name → its templates (most covering first). */
  templatesOf: (slot: string) => Template[];
  requestSlot: string;
  responseSlot?: string;
  answerSpace: AnswerSpace;
  /** The commonest role sequence of the conversations, as source roles (`system,user,assistant`). */
  topSequence?: string[];
  overrides?: { context?: string[]; metadata?: string[] };
  /** For text records: the chat template they are written in, when the caller found it (else it is looked for here). */
  chatTemplate?: ChatTemplateUse;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const keyOf = (p: Path) => p.join('.');

/** A lone sentence mark that ends (or starts) every text is punctuation, not a wrapper. */
const isSentenceMark = (part: string) => /^\s*\p{P}\s*$/u.test(part) && [...part.trim()].length === 1;

/** A template applies only when it covers a majority of the slot's texts (sentence marks alone are no template). */
export function majorityTemplate(templates: Template[]): Template | undefined {
  const t = templates[0];
  if (!t || t.constant || t.coverage <= 0.5) return undefined;
  const prefix = isSentenceMark(t.prefix) ? '' : t.prefix;
  const suffix = isSentenceMark(t.suffix) ? '' : t.suffix;
  if (!prefix && !suffix) return undefined;
  return prefix === t.prefix && suffix === t.suffix
    ? t
    : {
        ...t,
        prefix,
        suffix,
        text: `${prefix}{${
          t.text
            .match(/\{(\w+)\}/g)
            ?.find((m) => m !== '{number}')
            ?.slice(1, -1) ?? 'slot'
        }}${suffix}`,
      };
}

/**
 * A template whose constant text asks the donor's own question around a parameter
 * (`What describes {x} in the text?`): words on both sides, the slot in mid-sentence. A request put
 * there would read as the donor's question, so it is written plain instead.
 */
export function isParameterTemplate(t: Template): boolean {
  const hasWord = (s: string) => /\p{L}{2,}/u.test(s.replace(/\{number\}/g, ''));
  // one sentence around the slot: no line break on either side (`Q: {x}\nA:` is structure)
  return hasWord(t.prefix) && hasWord(t.suffix) && !t.suffix.includes('\n') && !t.prefix.includes('\n');
}

/** The answer's wrapper: none for JSON and list answers, whose own structure is the format. */
function answerTemplateOf(space: AnswerSpace, templates: Template[]): Template | undefined {
  if (space.kind === 'json' || space.kind === 'list' || space.kind === 'code') return undefined;
  return majorityTemplate(templates);
}

function requestForm(templates: Template[]): RequestForm {
  const t = majorityTemplate(templates);
  if (!t)
    return {
      form: 'plain',
      evidence:
        templates[0] && (templates[0].prefix || templates[0].suffix)
          ? `no template covers a majority (best ${Math.round((templates[0].coverage ?? 0) * 100)}%)`
          : 'no template',
    };
  if (isParameterTemplate(t)) return { form: 'plain', template: t, evidence: `"${t.text}" is the donor's own question around a parameter` };
  return { form: 'template', template: t, evidence: `"${t.text}" covers ${Math.round(t.coverage * 100)}%` };
}

interface FieldStats {
  key: string;
  path: Path;
  n: number;
  present: number;
  empties: Map<EmptyForm, number>;
  values: { pos: number; text: string; raw: unknown }[];
  distinct: number;
  modeText: string;
  modeCount: number;
  modePos: number;
  medianLength: number;
  shortestPos: number;
}

function emptyForm(v: unknown): EmptyForm | undefined {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (v === '') return 'string';
  if (Array.isArray(v) && v.length === 0) return 'list';
  if (isObj(v) && Object.keys(v).length === 0) return 'object';
  return undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
}

function statsOf(sample: unknown[], path: Path): FieldStats {
  const empties = new Map<EmptyForm, number>();
  const values: FieldStats['values'] = [];
  const counts = new Map<string, { count: number; pos: number }>();
  sample.forEach((record, pos) => {
    const v = getPath(record, path);
    const e = emptyForm(v);
    if (e) {
      empties.set(e, (empties.get(e) ?? 0) + 1);
      return;
    }
    const text = typeof v === 'string' ? v : isLosslessNumber(v) ? (v as LosslessNumber).value : JSON.stringify(v);
    values.push({ pos, text, raw: v });
    const c = counts.get(text);
    if (c) c.count++;
    else counts.set(text, { count: 1, pos });
  });
  let modeText = '';
  let modeCount = 0;
  let modePos = -1;
  for (const [text, c] of counts) if (c.count > modeCount) [modeText, modeCount, modePos] = [text, c.count, c.pos];
  let shortestPos = -1;
  let shortest = Infinity;
  for (const v of values) if (v.text.length < shortest) [shortest, shortestPos] = [v.text.length, v.pos];
  return {
    key: keyOf(path),
    path,
    n: sample.length,
    present: values.length,
    empties,
    values,
    distinct: counts.size,
    modeText,
    modeCount,
    modePos,
    medianLength: median(values.map((v) => v.text.length)),
    shortestPos,
  };
}

function commonestEmpty(s: FieldStats): EmptyForm {
  let best: EmptyForm = 'string';
  let count = -1;
  for (const [form, c] of s.empties) if (c > count) [best, count] = [form, c];
  return best;
}

const share = (a: number, b: number) => (b ? a / b : 0);
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Text a new question can be asked about: shared by several records, long, or structured (JSON, code, a table). */
function askable(s: FieldStats, requestMedian: number): string | undefined {
  if (s.present >= 4 && s.distinct <= 0.8 * s.present) return `the same value serves several records (${s.distinct} distinct in ${s.present})`;
  if (s.medianLength >= 200 && s.medianLength >= 3 * requestMedian)
    return `a passage (median ${s.medianLength} characters, ${Math.round(s.medianLength / Math.max(1, requestMedian))}× the request)`;
  const structured = s.values.slice(0, 200).filter((v) => isStructured(v.raw)).length;
  if (structured >= 0.9 * Math.min(200, s.present)) return 'structured (JSON, code or a table)';
  return undefined;
}

function isStructured(v: unknown): boolean {
  if (Array.isArray(v) || isObj(v)) return true;
  if (typeof v !== 'string') return false;
  const t = v.trim();
  if ((t.startsWith('{') || t.startsWith('[')) && t.length > 2) {
    try {
      JSON.parse(t);
      return true;
    } catch {
      /* not JSON */
    }
  }
  if (codeLanguageOf(t)) return true;
  // a table: several lines with the same count of | or tabs
  const lines = t.split('\n').filter((l) => l.trim());
  if (lines.length >= 2) {
    const bars = lines.map((l) => (l.match(/\|/g) ?? []).length);
    if (bars[0]! >= 2 && bars.every((b) => b === bars[0])) return true;
  }
  return false;
}

/** The rule for a context field (see the README's "How a safety record is rendered"). */
function contextDecision(s: FieldStats, requestMedian: number, base: Pick<FieldDecision, 'key' | 'path'>): FieldDecision {
  const emptyShare = share(s.n - s.present, s.n);
  if (emptyShare >= 0.1) {
    // prose filled in a fair share of the records (Alpaca's input, Dolly's context): a request given in
    // several sentences puts its first ones here, in as many records as the user's fill it
    const prose = s.values.slice(0, 200).filter((v) => typeof v.raw === 'string' && !isStructured(v.raw) && /\p{L}/u.test(v.raw)).length;
    if (emptyShare <= 0.9 && prose >= 0.8 * Math.min(200, s.present))
      return {
        ...base,
        role: 'context',
        rule: 'split',
        fill: share(s.present, s.n),
        empty: commonestEmpty(s),
        evidence: `filled in ${pct(share(s.present, s.n))} of user records: a request's first sentences go here as often, else emptied`,
      };
    return { ...base, role: 'context', rule: 'emptied', empty: commonestEmpty(s), evidence: `empty in ${pct(emptyShare)} of user records` };
  }
  const why = askable(s, requestMedian);
  if (share(s.present, s.n) >= 0.9 && why) return { ...base, role: 'context', rule: 'kept', evidence: `present in ${pct(share(s.present, s.n))} and ${why}` };
  if (s.n - s.present > 0)
    return {
      ...base,
      role: 'context',
      rule: 'emptied',
      empty: commonestEmpty(s),
      evidence: `belongs to the donor's question; some user records leave it empty`,
    };
  return {
    ...base,
    role: 'context',
    rule: 'neutral',
    source: s.shortestPos,
    evidence: `belongs to the donor's question and is never empty: the sample's shortest value`,
  };
}

/** Answer-side siblings and metadata: the most common value, or emptied when often empty. */
function valueDecision(s: FieldStats, role: 'sibling' | 'metadata', base: Pick<FieldDecision, 'key' | 'path'>, why: string): FieldDecision {
  const emptyShare = share(s.n - s.present, s.n);
  if (emptyShare >= 0.1 || s.modePos < 0)
    return { ...base, role, rule: 'emptied', empty: commonestEmpty(s), evidence: `${why}; empty in ${pct(emptyShare)} of user records` };
  return { ...base, role, rule: 'mode', source: s.modePos, evidence: `${why}; the commonest value (${pct(share(s.modeCount, s.n))} of records)` };
}

/** Option fields: as many consecutive text fields as the answers have letters (or indices). */
function optionFields(order: FieldStats[], exclude: Set<string>, answerSpace: AnswerSpace): { fields: FieldStats[]; evidence: string } | undefined {
  let letters: number;
  if (answerSpace.kind === 'choice') letters = answerSpace.letters.length;
  else if (answerSpace.kind === 'label' && answerSpace.labels.every((l) => /^[0-9]$/.test(l.value.trim()))) letters = answerSpace.labels.length;
  else return undefined;
  if (letters < 2) return undefined;
  for (let start = 0; start + letters <= order.length; start++) {
    const run = order.slice(start, start + letters);
    if (run.some((s) => exclude.has(s.key) || share(s.present, s.n) < 0.9 || s.values.some((v) => typeof v.raw !== 'string'))) continue;
    return { fields: run, evidence: `${letters} consecutive text fields for ${letters} answer ${answerSpace.kind === 'choice' ? 'letters' : 'indices'}` };
  }
  return undefined;
}

/** Labelled sections shared by the texts of a single-field dataset (`table:`, `Q:`, `A:`). */
function inferSections(texts: string[]): Sections | undefined {
  const signatures = new Map<string, number>();
  for (const t of texts.slice(0, 2000)) {
    const labels = sectionStarts(t).map((s) => s.label);
    if (labels.length >= 2) signatures.set(labels.join('\u0000'), (signatures.get(labels.join('\u0000')) ?? 0) + 1);
  }
  let top = '';
  let count = 0;
  for (const [sig, c] of signatures) if (c > count) [top, count] = [sig, c];
  const n = Math.min(texts.length, 2000);
  if (!top || count < 0.5 * n) return undefined;
  const labels = top.split('\u0000');
  return { labels, question: labels.length - 2, answer: labels.length - 1, coverage: count / n };
}

const SECTION_LABEL = /^[ \t]*((?:#{1,4}[ \t]*)?[\p{L}][\p{L}\p{N} _()/-]{0,30}:)(?=[ \t]|$)/u;

/** Start of every labelled line in a text: the label (`Q:`) and where its content begins. */
export function sectionStarts(text: string): { label: string; at: number; contentAt: number }[] {
  const out: { label: string; at: number; contentAt: number }[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    const end = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, end < 0 ? text.length : end);
    const m = SECTION_LABEL.exec(line);
    if (m) {
      let contentAt = lineStart + m[0].length;
      if (text[contentAt] === ' ' || text[contentAt] === '\t') contentAt++;
      out.push({ label: m[1]!.replace(/\s+/g, ' '), at: lineStart, contentAt });
    }
    if (end < 0) break;
    lineStart = end + 1;
  }
  return out;
}

export function inferRecordRoles(input: RoleInputs): RecordRoles {
  const { dialect, sample } = input;
  const context = new Set(input.overrides?.context ?? []);
  const metadata = new Set(input.overrides?.metadata ?? []);
  const paths = new Map<string, Path>();
  const conversationKeys = new Set([
    'messages',
    'conversations',
    'contents',
    'systemInstruction',
    'instruction',
    'output',
    'prompt',
    'completion',
    'system',
    'history',
  ]);
  const isConversation = dialect !== 'fields' && dialect !== 'text';
  for (const v of sample.slice(0, 2000)) {
    if (isConversation) {
      if (isObj(v)) for (const k of Object.keys(v)) if (!conversationKeys.has(k)) paths.set(k, [k]);
    } else for (const p of fieldPaths(v)) paths.set(keyOf(p), p);
  }
  if (dialect === 'alpaca') paths.set('input', ['input']);
  const stats = [...paths.values()].map((p) => statsOf(sample, p));
  const byRole = new Map((input.fieldRoles ?? []).map((r) => [r.field, r]));
  const requestKey = isConversation ? undefined : input.requestSlot;
  const answerKey = isConversation ? undefined : input.responseSlot;
  const requestMedian = median(
    sample
      .slice(0, 500)
      .map((v) => (requestKey ? getPath(v, paths.get(requestKey) ?? [requestKey]) : undefined))
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.length),
  );
  const roles: RecordRoles = { fields: [] };

  // code tasks: the request is code in the answers' language (a stub to complete)
  if (!isConversation && input.answerSpace.kind === 'code' && requestKey) {
    const texts = sample
      .slice(0, 200)
      .map((v) => getPath(v, paths.get(requestKey)!))
      .filter((v): v is string => typeof v === 'string');
    const same = texts.filter((t) => codeLanguageOf(t) === (input.answerSpace as { language: string }).language).length;
    if (texts.length && same >= 0.9 * texts.length)
      roles.code = {
        language: (input.answerSpace as { language: string }).language,
        evidence: `${same} of ${texts.length} requests are ${(input.answerSpace as { language: string }).language} code: the request is a stub to complete`,
      };
  }

  const options = !isConversation ? optionFields(stats, new Set([requestKey ?? '', answerKey ?? '', ...context, ...metadata]), input.answerSpace) : undefined;
  const optionKeys = new Map(options?.fields.map((s, i) => [s.key, i]));

  for (const s of stats) {
    const base = { key: s.key, path: s.path };
    const fr = byRole.get(s.key);
    if (s.key === requestKey) {
      roles.fields.push({ ...base, role: 'request', rule: roles.code ? 'stub' : 'request', evidence: fr?.evidence ?? 'the request slot' });
      continue;
    }
    if (fr?.role === 'rejected') {
      roles.fields.push({ ...base, role: 'rejected', rule: 'a compliance opener', evidence: fr.evidence });
      continue;
    }
    if (s.key === answerKey) {
      roles.fields.push({ ...base, role: 'answer', rule: 'refusal', evidence: fr?.evidence ?? 'the answer slot' });
      continue;
    }
    if (optionKeys.has(s.key)) {
      roles.fields.push({
        ...base,
        role: 'options',
        rule: `option ${String.fromCharCode(65 + optionKeys.get(s.key)!)}`,
        option: optionKeys.get(s.key)!,
        evidence: options!.evidence,
      });
      continue;
    }
    if (isConversation && s.key === 'tools') {
      roles.fields.push({ ...base, role: 'tools', rule: 'kept', evidence: 'the tools the request is asked under' });
      continue;
    }
    if (context.has(s.key)) {
      roles.fields.push(contextDecision(s, requestMedian, base));
      continue;
    }
    if (metadata.has(s.key)) {
      roles.fields.push(valueDecision(s, 'metadata', base, 'given by --metadata'));
      continue;
    }
    if (
      fr?.role === 'id' ||
      (isConversation && s.present === s.n && s.distinct === s.n && s.n >= 2 && s.medianLength <= 48 && s.values.every((v) => !/\s/.test(v.text)))
    ) {
      roles.fields.push({ ...base, role: 'id', rule: 'regenerated', evidence: fr?.evidence ?? `unique in ${s.n} sampled records` });
      continue;
    }
    if (s.n >= 2 && share(s.present, s.n) >= 0.9 && share(s.modeCount, s.n) >= 0.9) {
      roles.fields.push({
        ...base,
        role: 'constant',
        rule: 'value',
        source: s.modePos,
        evidence: `the same value in ${pct(share(s.modeCount, s.n))} of user records`,
      });
      continue;
    }
    if (roles.code && requestKey) {
      const req = paths.get(requestKey)!;
      const names = sample.slice(0, 200).filter((v) => {
        const name = getPath(v, s.path);
        const stub = getPath(v, req);
        return (
          typeof name === 'string' &&
          typeof stub === 'string' &&
          new RegExp(`\\b(def|function|func|fn|fun|void|int)\\s+${name.replace(/[^\w$]/g, '')}\\s*\\(`).test(stub) &&
          /^[\w$]+$/.test(name)
        );
      }).length;
      if (names >= 0.9 * Math.min(200, s.present) && s.present > 0) {
        roles.fields.push({
          ...base,
          role: 'code-entry',
          rule: "the stub's function name",
          evidence: `names the function defined in the request in ${names} records`,
        });
        continue;
      }
      const code = s.values.slice(0, 200).filter((v) => typeof v.raw === 'string' && codeLanguageOf(v.raw)).length;
      if (code >= 0.9 * Math.min(200, s.present) && s.present > 0) {
        roles.fields.push({ ...base, role: 'code-test', rule: 'a test of the stub', evidence: `code in ${code} records besides the stub and its body` });
        continue;
      }
    }
    // Alpaca's `input` is the request's context by the format's definition, however short its values
    const textish =
      (dialect === 'alpaca' && s.key === 'input') ||
      (fr ? fr.role === 'context' || fr.role === 'input' || fr.role === 'target' : s.medianLength >= 12 || s.values.some((v) => Array.isArray(v.raw)));
    if (
      fr?.role === 'label' ||
      (!textish && s.values.length && s.values.every((v) => typeof v.raw === 'number' || typeof v.raw === 'boolean' || isLosslessNumber(v.raw)))
    ) {
      roles.fields.push(valueDecision(s, 'sibling', base, fr?.role === 'label' ? 'a label beside the answer' : 'a number or flag beside the answer'));
      continue;
    }
    if (textish) {
      roles.fields.push(contextDecision(s, requestMedian, base));
      continue;
    }
    roles.fields.push(valueDecision(s, 'metadata', base, 'short values, not unique, not a small label set'));
  }

  if (isConversation) roles.conversation = conversationRoles(input);
  else if (dialect === 'text') {
    const texts = sample.map((v) => getPath(v, ['text'])).filter((v): v is string => typeof v === 'string');
    const chat = input.chatTemplate ?? inferChatTemplate(texts);
    if (chat) roles.chatTemplate = chat;
    else roles.sections = inferSections(texts);
  } else if (requestKey) {
    roles.request = roles.code ? { form: 'plain', evidence: 'a code stub is written for the request' } : requestForm(input.templatesOf(requestKey));
    roles.answerTemplate = answerKey ? answerTemplateOf(input.answerSpace, input.templatesOf(answerKey)) : undefined;
  }
  return roles;
}

function conversationRoles(input: RoleInputs): ConversationRoles {
  const responseSlot = input.responseSlot ?? 'assistant#1';
  const seq = input.topSequence ?? [];
  // the question: the last user turn before the answer in the commonest turn order
  const first = input.sample.map((v) => conversationOf(input.dialect, v)).find((c) => c && roleSequence(c) === seq.join(','));
  const slotKey = (t: { role: string; ordinal: number; sourceRole: string }) =>
    input.dialect === 'alpaca' || input.dialect === 'prompt-completion' ? t.sourceRole : `${t.role}#${t.ordinal}`;
  let questionSlot = input.requestSlot;
  const history: string[] = [];
  if (first) {
    const slots = first.turns.map(slotKey);
    const at = slots.indexOf(responseSlot);
    const userBefore = first.turns.slice(0, at < 0 ? first.turns.length : at).filter((t) => t.role === 'user');
    if (userBefore.length) questionSlot = slotKey(userBefore[userBefore.length - 1]!);
    const qAt = slots.indexOf(questionSlot);
    history.push(...slots.slice(0, Math.max(0, qAt)));
  }
  const request = requestForm(input.templatesOf(questionSlot));
  // plain refusal text where the answer format belonged to the donor's own question, or was a tool call
  const answerForm = (request.form === 'plain' && request.template) || responseSlot.startsWith('tool_call') ? 'plain' : 'fitted';
  const systems = input.sample.map((v) => conversationOf(input.dialect, v)?.system?.text);
  const distinct = new Set(systems.filter((s) => s));
  const system: ConversationRoles['system'] =
    distinct.size === 0
      ? { rule: 'absent', evidence: 'no system prompt' }
      : distinct.size === 1 && systems.every((s) => s)
        ? { rule: 'constant', evidence: 'one system prompt in every record' }
        : { rule: 'shared-or-mode', evidence: `${distinct.size} system prompts: the donor's when other records share it, else the commonest` };
  return {
    questionSlot,
    responseSlot,
    request,
    answerForm,
    answerTemplate: answerForm === 'fitted' ? answerTemplateOf(input.answerSpace, input.templatesOf(responseSlot)) : undefined,
    history,
    system,
  };
}
