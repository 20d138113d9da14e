// The profile of a task dataset, computed from a bounded sample: which slot holds the request and
// which the answer, field roles, system prompts, templates, turn structure, answer space, script and
// risk signals. Pure: it takes parsed sample records and returns plain values; no I/O.
import type { Container } from '../read/types.js';
import type { Dialect, DialectDetection } from './dialects.js';
import { conversationOf, getPath, roleSequence, type Conversation, type Path, type Role } from './conversation.js';
import { inferTemplates, type Template } from './templates.js';
import { inferAnswerSpace, type AnswerSpace } from './answer-space.js';
import { inferFieldRoles, type FieldRole } from './field-roles.js';
import { detectScript, type ScriptReport } from './script.js';
import { findRiskSignals, type RiskSignal } from './risk-signals.js';
import { inferRecordRoles, type RecordRoles } from './record-roles.js';
import { chatExchange, inferChatTemplate } from './chat-template.js';
import { preferenceExchange, preferenceShape, type PreferenceShape } from './preference.js';
import { inferTextStyle, type TextStyle } from './text-style.js';
import { withoutReasoning } from './reasoning.js';
import { dominantLanguage, translationPair } from './language.js';

export interface SampleRecord {
  index: number;
  line: number;
  value: unknown;
}

/** A slot: one place that holds text in every record (a turn such as `user#1`, or a field). */
interface SlotView {
  slot: string;
  role: Role | 'field';
  /** Path of the slot in a typical record, for display (`messages[1].content`). */
  path: string;
}

interface SlotTemplates {
  slot: string;
  role: Role | 'field' | 'system';
  templates: Template[];
}

export interface Profile {
  dialect: Dialect;
  container: Container;
  dialectConfidence: number;
  dialectEvidence: string;
  records: number;
  sample: { size: number; seed: string };
  views: { request: SlotView; response?: SlotView; context: SlotView[] };
  fieldRoles?: FieldRole[];
  systemPrompts: { kind: 'absent' | 'constant' | 'variants'; variants: { text: string; count: number; share: number }[] };
  /** Templates of the request and response slots first, then every other slot. */
  templates: (Template & { slot: string })[];
  slots: SlotTemplates[];
  turns?: {
    sequences: { roles: string[]; count: number; share: number }[];
    constantTurns: { slot: string; text: string; coverage: number }[];
    tools: { names: string[]; recordsWithTools: number };
    toolTurns: number;
  };
  answerSpace: AnswerSpace;
  language: {
    request: ScriptReport;
    response?: ScriptReport;
    /** The requests' commonest language (ISO 639-1) and its share of the records where it can be told. */
    lang: { lang: string; share: number };
    /** Request and answer in different languages: a translation pair. */
    translation?: { source: string; target: string; share: number };
  };
  /** The role of every field and turn, for building safety records. */
  roles: RecordRoles;
  /** Casing and tokenization of requests and answers. */
  style: { request: TextStyle; answer: TextStyle };
  riskSignals: RiskSignal[];
}

interface ProfileOptions {
  input?: string;
  target?: string;
  /** Fields forced to the context or metadata role. */
  context?: string[];
  metadata?: string[];
  seed: string;
}

function formatPathForDisplay(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
}

/** Slot key of a turn: the field name for instruction and prompt dialects, else role#ordinal. */
function turnSlot(dialect: Dialect, t: { role: Role; ordinal: number; sourceRole: string }): string {
  if (dialect === 'alpaca' || dialect === 'prompt-completion') return t.sourceRole;
  return `${t.role}#${t.ordinal}`;
}

export function buildProfile(sample: SampleRecord[], records: number, detection: DialectDetection, container: Container, options: ProfileOptions): Profile {
  const dialect = detection.dialect;
  const base = {
    dialect,
    container,
    dialectConfidence: detection.confidence,
    dialectEvidence: detection.evidence,
    records,
    sample: { size: sample.length, seed: options.seed },
  };
  const preference = preferenceShape(sample.map((r) => r.value));
  if (preference) return preferenceProfile(sample, base, preference, options);
  if (dialect === 'fields' || dialect === 'text') return fieldsProfile(sample, base, options);
  return conversationProfile(sample, base, dialect, options);
}

/** Language, translation pair and text style of a dataset's request and answer texts. */
function textTraits(
  reqTexts: string[],
  resTexts: string[],
  answerSpace: AnswerSpace,
): Pick<Profile, 'style'> & { lang: Profile['language']['lang']; translation?: Profile['language']['translation'] } {
  const pairs: [string, string][] = [];
  if (answerSpace.kind === 'text') for (let i = 0; i < Math.min(reqTexts.length, resTexts.length); i++) pairs.push([reqTexts[i]!, resTexts[i]!]);
  const request = inferTextStyle(reqTexts);
  // answers with enough cased text show their own style; labels and numbers take the requests'
  // (a reasoning block at an answer's head is not the answer's own text)
  const answer = inferTextStyle(resTexts.map(withoutReasoning));
  const cased = resTexts.slice(0, 2000).filter((t) => /\p{Lu}|\p{Ll}/u.test(t)).length;
  return {
    lang: dominantLanguage(reqTexts.slice(0, 300)),
    translation: pairs.length ? translationPair(pairs) : undefined,
    style: { request, answer: cased >= 5 && answerSpace.kind !== 'label' ? answer : request },
  };
}

/** The profile's language report: the scripts of the requests and answers, the language, a translation pair. */
function languageOf(reqTexts: string[], resTexts: string[], traits: ReturnType<typeof textTraits>): Profile['language'] {
  return {
    request: detectScript(reqTexts),
    response: resTexts.length ? detectScript(resTexts) : undefined,
    lang: traits.lang,
    translation: traits.translation,
  };
}

type Base = Pick<Profile, 'dialect' | 'container' | 'dialectConfidence' | 'dialectEvidence' | 'records' | 'sample'>;

function systemPromptsOf(texts: (string | undefined)[]): Profile['systemPrompts'] {
  const n = texts.length || 1;
  const counts = new Map<string, number>();
  let absent = 0;
  for (const t of texts) {
    if (t === undefined || t === '') absent++;
    else counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const variants = [...counts].map(([text, count]) => ({ text, count, share: count / n })).sort((a, b) => b.count - a.count);
  if (variants.length === 0) return { kind: 'absent', variants: [] };
  if (variants.length === 1 && absent === 0) return { kind: 'constant', variants };
  return { kind: 'variants', variants: variants.slice(0, 10) };
}

function conversationProfile(sample: SampleRecord[], base: Base, dialect: Dialect, options: ProfileOptions): Profile {
  const slotTexts = new Map<string, { role: Role; texts: string[]; path: Path }>();
  const systems: (string | undefined)[] = [];
  const sequences = new Map<string, number>();
  const toolNames = new Set<string>();
  let withTools = 0;
  let withToolTurns = 0;
  const riskInputs: { index: number; texts: string[] }[] = [];
  const firstOfSequence = new Map<string, Conversation>();
  for (const r of sample) {
    const conv = conversationOf(dialect, r.value);
    if (!conv) continue;
    systems.push(conv.system?.text);
    const seq = roleSequence(conv);
    sequences.set(seq, (sequences.get(seq) ?? 0) + 1);
    if (!firstOfSequence.has(seq)) firstOfSequence.set(seq, conv);
    if (conv.tools.length) withTools++;
    conv.tools.forEach((t) => toolNames.add(t));
    if (conv.turns.some((t) => t.role === 'tool' || t.role === 'tool_call')) withToolTurns++;
    for (const t of conv.turns) {
      const key = turnSlot(dialect, t);
      let entry = slotTexts.get(key);
      if (!entry) slotTexts.set(key, (entry = { role: t.role, texts: [], path: t.path }));
      entry.texts.push(t.text);
    }
    riskInputs.push({ index: r.index, texts: [conv.system?.text ?? '', ...conv.turns.filter((t) => t.role === 'user').map((t) => t.text)] });
  }
  const n = sample.length || 1;
  const slots: SlotTemplates[] = [...slotTexts].map(([slot, e]) => ({
    slot,
    role: e.role,
    // tool calls and results are JSON payloads, not prose templates
    templates:
      e.role === 'tool' || e.role === 'tool_call'
        ? [{ text: `{${e.role}}`, prefix: '', suffix: '', coverage: 1, constant: false }]
        : inferTemplates(e.texts, e.role === 'user' ? 'request' : e.role === 'assistant' ? 'response' : slot.replace('#', '')),
  }));
  const isConstant = (slot: string) => slots.find((s) => s.slot === slot)?.templates[0]?.constant === true;
  // request: the user slot with the longest texts (the task's input); response: the first varying
  // assistant slot after it in the commonest turn order
  const mostTurns = Math.max(0, ...[...slotTexts.values()].filter((e) => e.role === 'user').map((e) => e.texts.length));
  const userSlots = [...slotTexts].filter(([s, e]) => e.role === 'user' && !isConstant(s) && e.texts.length >= 0.9 * mostTurns);
  const requestSlot =
    dialect === 'alpaca'
      ? 'instruction'
      : (userSlots.sort((a, b) => median(b[1].texts.map((t) => t.length)) - median(a[1].texts.map((t) => t.length)))[0]?.[0] ?? 'user#1');
  const topSeq = [...sequences].sort((a, b) => b[1] - a[1])[0]?.[0];
  const orderOfSlots = (topSeq === undefined ? [] : firstOfSequence.get(topSeq)!.turns).map((t) => turnSlot(dialect, t));
  const afterRequest = orderOfSlots.slice(orderOfSlots.indexOf(requestSlot) + 1);
  const responseSlot =
    afterRequest.find((s) => (slotTexts.get(s)?.role === 'assistant' || slotTexts.get(s)?.role === 'tool_call') && !isConstant(s)) ??
    [...slotTexts]
      .filter(([, e]) => e.role === 'assistant')
      .map(([s]) => s)
      .pop();
  const view = (slot: string): SlotView => ({ slot, role: slotTexts.get(slot)?.role ?? 'user', path: formatPathForDisplay(slotTexts.get(slot)?.path ?? []) });
  const reqTexts = slotTexts.get(requestSlot)?.texts ?? [];
  const resTexts = responseSlot ? (slotTexts.get(responseSlot)?.texts ?? []) : [];
  const ordered = [requestSlot, ...(responseSlot ? [responseSlot] : []), ...slots.map((s) => s.slot).filter((s) => s !== requestSlot && s !== responseSlot)];
  const templates = ordered.flatMap((slot) => (slots.find((s) => s.slot === slot)?.templates ?? []).map((t) => ({ ...t, slot })));
  const context: SlotView[] = dialect === 'alpaca' ? [{ slot: 'input', role: 'user', path: 'input' }] : [];
  const answerSpace = inferAnswerSpace(resTexts);
  const roles = inferRecordRoles({
    dialect,
    sample: sample.map((r) => r.value),
    templatesOf: (slot) => slots.find((s) => s.slot === slot)?.templates ?? [],
    requestSlot,
    responseSlot,
    answerSpace,
    topSequence: topSeq?.split(','),
    overrides: { context: options.context, metadata: options.metadata },
  });
  // the question slot's texts carry the request's language and style
  const questionTexts = slotTexts.get(roles.conversation?.questionSlot ?? requestSlot)?.texts ?? reqTexts;
  const traits = textTraits(questionTexts, resTexts, answerSpace);
  return {
    ...base,
    views: { request: view(requestSlot), response: responseSlot ? view(responseSlot) : undefined, context },
    systemPrompts: systemPromptsOf(systems),
    templates,
    slots,
    turns: {
      sequences: [...sequences]
        .map(([s, count]) => ({ roles: s.split(','), count, share: count / n }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 10),
      constantTurns: slots
        .filter((s) => s.templates[0]?.constant && s.slot !== requestSlot)
        .map((s) => ({ slot: s.slot, text: s.templates[0]!.text, coverage: s.templates[0]!.coverage })),
      tools: { names: [...toolNames].slice(0, 50), recordsWithTools: withTools / n },
      toolTurns: withToolTurns / n,
    },
    answerSpace,
    language: languageOf(reqTexts, resTexts, traits),
    roles,
    style: traits.style,
    riskSignals: findRiskSignals(riskInputs),
  };
}

/**
 * Preference pairs whose sides are messages or conversations: requests and answers are the prompt's
 * last user message and the chosen side's answer; the record's other fields (an id, scores) take their
 * roles as fields data's do.
 */
function preferenceProfile(sample: SampleRecord[], base: Base, shape: PreferenceShape, options: ProfileOptions): Profile {
  const sides = new Set([shape.prompt?.path[0], shape.chosen.path[0], shape.rejected?.path[0]].filter((k) => k !== undefined));
  const values = sample.map((r) => r.value);
  const rest = values.map((v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => !sides.has(k))) : {},
  );
  const each = values.map((v) => preferenceExchange(v, shape));
  const exchanges = each.filter((e) => e !== undefined);
  const reqTexts = exchanges.map((e) => e.question);
  const resTexts = exchanges.map((e) => e.answer);
  const answerSpace = inferAnswerSpace(resTexts);
  const roles_ = Object.keys(rest[0] ?? {}).length ? inferFieldRoles(rest, {}) : [];
  const roles = inferRecordRoles({
    dialect: 'fields',
    sample: rest,
    fieldRoles: roles_,
    templatesOf: () => [],
    requestSlot: '',
    responseSlot: undefined,
    answerSpace,
    overrides: { context: options.context, metadata: options.metadata },
  });
  roles.fields = roles.fields.filter((f) => f.role !== 'request' && f.role !== 'answer');
  roles.preference = shape;
  const traits = textTraits(reqTexts, resTexts, answerSpace);
  const view = (path: Path): SlotView => ({ slot: formatPathForDisplay(path), role: 'field', path: formatPathForDisplay(path) });
  return {
    ...base,
    views: { request: view(shape.prompt?.path ?? shape.chosen.path), response: view(shape.chosen.path), context: [] },
    fieldRoles: roles_,
    systemPrompts: systemPromptsOf(exchanges.map((e) => e.system)),
    templates: [],
    slots: [],
    answerSpace,
    language: languageOf(reqTexts, resTexts, traits),
    roles,
    style: traits.style,
    riskSignals: findRiskSignals(sample.map((r, i) => ({ index: r.index, texts: each[i] ? [each[i]!.question] : [] }))),
  };
}

function fieldsProfile(sample: SampleRecord[], base: Base, options: ProfileOptions): Profile {
  const values = sample.map((r) => r.value);
  const roles_ = inferFieldRoles(values, { input: options.input, target: options.target });
  const input = roles_.find((r) => r.role === 'input') ?? roles_[0];
  const target = roles_.find((r) => r.role === 'target');
  const textsOf = (path: Path | undefined) => (path ? values.map((v) => getPath(v, path)).filter((v) => v !== undefined && v !== null) : []);
  const slots: SlotTemplates[] = roles_
    .filter((r) => r.type === 'string')
    .map((r) => ({
      slot: r.field,
      role: 'field' as const,
      templates: inferTemplates(textsOf(r.path).map(String), r.role === 'id' ? 'id' : r.field, r.role === 'input' || r.role === 'target'),
    }));
  const ordered = [input?.field, target?.field, ...slots.map((s) => s.slot)].filter((s, i, a): s is string => !!s && a.indexOf(s) === i);
  const templates = ordered.flatMap((slot) => (slots.find((s) => s.slot === slot)?.templates ?? []).map((t) => ({ ...t, slot })));
  // text in a chat template: the requests and answers are its question and answer turns
  const texts = base.dialect === 'text' ? values.map((v) => getPath(v, ['text'])).filter((v): v is string => typeof v === 'string') : [];
  const chat = texts.length ? inferChatTemplate(texts) : undefined;
  const exchanges = chat ? texts.map((t) => chatExchange(t, chat.name)).filter((e) => e !== undefined) : [];
  const reqTexts = chat ? exchanges.map((e) => e.question) : textsOf(input?.path).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const resValues: unknown[] = chat ? exchanges.map((e) => e.answer) : textsOf(target?.path);
  const view = (r: FieldRole): SlotView => ({ slot: r.field, role: 'field', path: r.field });
  const answerSpace = inferAnswerSpace(resValues);
  const roles = inferRecordRoles({
    dialect: base.dialect,
    sample: values,
    fieldRoles: roles_,
    templatesOf: (slot) => slots.find((s) => s.slot === slot)?.templates ?? [],
    requestSlot: input?.field ?? '',
    responseSlot: target?.field,
    answerSpace,
    overrides: { context: options.context, metadata: options.metadata },
    chatTemplate: chat,
  });
  const traits = textTraits(
    reqTexts,
    resValues.map((v) => (typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(' ') : '')),
    answerSpace,
  );
  return {
    ...base,
    views: {
      request: input ? view(input) : { slot: '', role: 'field', path: '' },
      response: target ? view(target) : undefined,
      context: roles_.filter((r) => r.role === 'context').map(view),
    },
    fieldRoles: roles_,
    systemPrompts: chat ? systemPromptsOf(exchanges.map((e) => e.system)) : { kind: 'absent', variants: [] },
    templates,
    slots,
    answerSpace,
    language: languageOf(
      reqTexts,
      resValues.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      traits,
    ),
    roles,
    style: traits.style,
    riskSignals: findRiskSignals(sample.map((r) => ({ index: r.index, texts: input ? [String(getPath(r.value, input.path) ?? '')] : [] }))),
  };
}
