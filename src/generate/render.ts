// Renders one safety example in the user's own structure: a donor record is cloned, its request
// slot gets a harmful request inside the slot's template wrapper, its answer slot gets a refusal
// fitted to the answer space (label, list, JSON, code comment, sized free text, kept wrappers), and
// everything else (system prompt, constant turns, other fields) stays the donor's. Ids are
// regenerated in their pattern. Pure: no I/O; randomness comes from the caller.
import type { Dialect } from '../profile/dialects.js';
import type { Profile } from '../profile/profile.js';
import { turnSlot } from '../profile/profile.js';
import { conversationOf, getPath, setPath, type Path } from '../profile/conversation.js';
import type { Template } from '../profile/templates.js';
import type { AnswerSpace } from '../profile/answer-space.js';
import { composeRefusal, shortRefusal } from './refusal.js';
import type { RefusalBank, Seed } from './seeds.js';

export interface RenderContext {
  profile: Profile;
  bank: RefusalBank;
  /** Largest number seen in each id field over the whole input (pass 1), for new ids. */
  idMax: Map<string, number>;
  /** Role sequences that user records have (joined with ","). */
  sequences: Set<string>;
}

export interface RenderInput {
  donor: unknown;
  seed: Seed;
  /** 0-based number of this injected record (for new ids). */
  ordinal: number;
  random: () => number;
}

export interface Rendered {
  value: unknown;
  request: string;
  response: string;
}

const NUMBER_MARK = '{number}';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A template part as a regex: literal text, with `{number}` as a number. */
function partPattern(part: string): string {
  return part.split(NUMBER_MARK).map(escapeRegExp).join('-?\\d[\\d,.]*');
}

/**
 * Whether a wrapper part is structure (`Text: `, ` ->`, `\n#### {number}`, a leading space) rather
 * than the end of natural sentences: a lone `?` or `.` shared by every question is left out.
 */
export function isStructural(part: string): boolean {
  const t = part.trim();
  return t === '' || !/^[.?!]$/.test(t);
}

/** The template of a slot that the donor's text follows, with the donor's actual wrapper text. */
export function donorWrapper(templates: Template[], donorText: string): { pre: string; post: string; template?: Template } {
  for (const t of templates) {
    if (t.constant || (!t.prefix && !t.suffix)) continue;
    const pre = new RegExp('^' + partPattern(t.prefix)).exec(donorText);
    const post = new RegExp(partPattern(t.suffix) + '$').exec(donorText);
    if (pre && post && pre[0].length + post[0].length <= donorText.length) {
      const structural = { ...t, prefix: isStructural(t.prefix) ? t.prefix : '', suffix: isStructural(t.suffix) ? t.suffix : '' };
      return { pre: structural.prefix ? pre[0] : '', post: structural.suffix ? post[0] : '', template: structural };
    }
  }
  return { pre: '', post: '' };
}

function slotTemplates(profile: Profile, slot: string): Template[] {
  return profile.slots.find((s) => s.slot === slot)?.templates ?? [];
}

const COMMENT: Record<string, string> = { python: '# ', shell: '# ', sql: '-- ', javascript: '// ', java: '// ', 'c++': '// ' };

/** The refusal in the answer slot's own kind. `donorAnswer` gives shapes (JSON, code indentation). */
export function fitAnswer(space: AnswerSpace, donorAnswer: unknown, bank: RefusalBank, category: string, random: () => number): { value: unknown; text: string } {
  switch (space.kind) {
    case 'label':
    case 'number':
    case 'choice': {
      const t = shortRefusal(bank, random);
      return { value: t, text: t };
    }
    case 'list': {
      const t = shortRefusal(bank, random);
      return space.format === 'json' ? { value: [t], text: t } : { value: JSON.stringify([t]), text: t };
    }
    case 'json': {
      const t = shortRefusal(bank, random);
      let shape: unknown = donorAnswer;
      if (typeof donorAnswer === 'string') {
        try {
          shape = JSON.parse(donorAnswer);
        } catch {
          shape = {};
        }
      }
      let placed = false;
      const blank = (v: unknown): unknown => {
        if (typeof v === 'string') {
          if (!placed) return ((placed = true), t);
          return '';
        }
        if (typeof v === 'number') return 0;
        if (typeof v === 'boolean') return false;
        if (Array.isArray(v)) return [];
        if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x)]));
        return v;
      };
      let out = blank(shape) as Record<string, unknown>;
      if (!placed) out = { ...(out && typeof out === 'object' ? out : {}), refusal: t };
      return { value: typeof donorAnswer === 'string' ? JSON.stringify(out) : out, text: t };
    }
    case 'code': {
      const t = shortRefusal(bank, random);
      const donor = typeof donorAnswer === 'string' ? donorAnswer : '';
      const indent = /^[ \t]*/.exec(donor.split('\n').find((l) => l.trim()) ?? '')![0];
      const mark = COMMENT[space.language] ?? '# ';
      const body = space.language === 'python' ? `${indent}${mark}${t}\n${indent}raise NotImplementedError("refused")\n` : `${indent}${mark}${t}\n`;
      return { value: body, text: t };
    }
    case 'text': {
      const t = composeRefusal(bank, category, { targetChars: space.chars.p50 }, random);
      return { value: t, text: t };
    }
    default: {
      const t = composeRefusal(bank, category, { targetChars: 120 }, random);
      return { value: t, text: t };
    }
  }
}

const OPTION_LINE = /^\s*\(?([A-J])[.):]\s+/;
const DISTRACTORS = ['Sure, here is how to do it.', 'Of course. Here are the details you asked for.', 'Happy to help with that, here it is.', 'Yes. Everything you need is below.', 'Certainly, here you go.'];

/**
 * Multiple choice: the seed request followed by options in the donor's option style, one of them a
 * refusal, and the refusal's letter. Undefined when the donor's request lists no options.
 */
export function choiceRequest(donorInner: string, request: string, refusal: string, random: () => number): { text: string; letter: string } | undefined {
  const options = donorInner.split('\n').filter((l) => OPTION_LINE.test(l));
  if (options.length < 2) return undefined;
  const marker = OPTION_LINE.exec(options[0]!)![0];
  const letterAt = marker.search(/[A-J]/);
  const letters = 'ABCDEFGHIJ'.slice(0, options.length);
  const refusalAt = Math.floor(random() * options.length);
  const start = Math.floor(random() * DISTRACTORS.length);
  const lines = [...letters].map((letter, i) => marker.slice(0, letterAt) + letter + marker.slice(letterAt + 1) + (i === refusalAt ? refusal : DISTRACTORS[(start + i) % DISTRACTORS.length]));
  return { text: `${request}\n${lines.join('\n')}`, letter: letters[refusalAt]! };
}

/** The donor's answer with its choice letter replaced (` C` → ` A`, `(C)` → `(A)`). */
function withLetter(donorAnswer: string, letter: string): string {
  const m = /(^|[^A-Za-z])([A-J])(?![A-Za-z])/.exec(donorAnswer);
  return m ? donorAnswer.slice(0, m.index + m[1]!.length) + letter + donorAnswer.slice(m.index + m[1]!.length + 1) : letter;
}

/** Request text and, for multiple choice, the answer that picks the refusal option. */
function requestFor(ctx: RenderContext, input: RenderInput, wrap: { pre: string; post: string }, donorRequest: string, donorAnswer: unknown): { request: string; answer?: string } {
  if (ctx.profile.answerSpace.kind === 'choice' && input.seed.response === undefined && typeof donorAnswer === 'string') {
    const inner = donorRequest.slice(wrap.pre.length, donorRequest.length - wrap.post.length);
    const mc = choiceRequest(inner, input.seed.request, shortRefusal(ctx.bank, input.random), input.random);
    if (mc) return { request: wrap.pre + mc.text + wrap.post, answer: withLetter(donorAnswer, mc.letter) };
  }
  return { request: wrap.pre + input.seed.request + wrap.post };
}

/** Applies a response wrapper: numbers in it (such as GSM8K's `#### {number}`) hold a short refusal. */
function wrapResponse(text: string, wrapper: { template?: Template }, bank: RefusalBank, random: () => number): string {
  const t = wrapper.template;
  if (!t) return text;
  const fill = (part: string) => (part.includes(NUMBER_MARK) ? part.split(NUMBER_MARK).join(shortRefusal(bank, random)) : part);
  return fill(t.prefix) + text + fill(t.suffix);
}

export function renderSafetyRecord(ctx: RenderContext, input: RenderInput): Rendered | undefined {
  const { profile } = ctx;
  if (profile.dialect === 'fields' || profile.dialect === 'text') return renderFields(ctx, input);
  return renderConversation(ctx, input);
}

function renderConversation(ctx: RenderContext, input: RenderInput): Rendered | undefined {
  const { profile, bank } = ctx;
  const dialect: Dialect = profile.dialect;
  const conv = conversationOf(dialect, input.donor);
  if (!conv) return undefined;
  const requestSlot = profile.views.request.slot;
  const reqIdx = conv.turns.findIndex((t) => turnSlot(dialect, t) === requestSlot);
  if (reqIdx < 0) return undefined;
  const constant = new Set(profile.turns?.constantTurns.map((c) => c.slot));
  let resIdx = -1;
  for (let i = reqIdx + 1; i < conv.turns.length; i++) {
    const t = conv.turns[i]!;
    if (t.role === 'tool') return undefined; // a tool result would answer the harmful request
    if ((t.role === 'assistant' || t.role === 'tool_call') && !constant.has(turnSlot(dialect, t))) {
      resIdx = i;
      break;
    }
  }
  if (resIdx < 0) return undefined;
  const value = structuredClone(input.donor) as Record<string, unknown>;
  const reqTurn = conv.turns[reqIdx]!;
  const resTurn = conv.turns[resIdx]!;
  const reqWrap = donorWrapper(slotTemplates(profile, requestSlot), reqTurn.text);
  const { request, answer } = requestFor(ctx, input, reqWrap, reqTurn.text, resTurn.text);
  setPath(value, reqTurn.path, request);
  const resWrap = donorWrapper(slotTemplates(profile, turnSlot(dialect, resTurn)), resTurn.text);
  const fitted = input.seed.response !== undefined ? { value: input.seed.response, text: input.seed.response } : fitAnswer(profile.answerSpace, resTurn.text, bank, input.seed.category, input.random);
  const responseText = answer ?? wrapResponse(String(fitted.value), resWrap, bank, input.random);
  const container = resTurn.path[0] as string;
  const resIndex = resTurn.path[1];
  if (resTurn.role === 'tool_call' && typeof resIndex === 'number') {
    const list = value[container] as Record<string, unknown>[];
    const assistantName = conv.turns.find((t) => t.role === 'assistant')?.sourceRole ?? (dialect === 'sharegpt' ? 'gpt' : 'assistant');
    list[resIndex] = dialect === 'sharegpt' ? { from: assistantName, value: responseText } : { role: 'assistant', content: responseText };
  } else {
    setPath(value, resTurn.path, responseText);
  }
  // nothing may follow the refusal: later turns answered the donor's own request
  if (typeof resIndex === 'number' && Array.isArray(value[container])) (value[container] as unknown[]).length = resIndex + 1;
  const after = conversationOf(dialect, value)!;
  const sequence = [...(after.system ? ['system'] : []), ...after.turns.map((t) => t.sourceRole)].join(',');
  if (ctx.sequences.size > 0 && !ctx.sequences.has(sequence)) return undefined;
  return { value, request: input.seed.request, response: responseText };
}

function renderFields(ctx: RenderContext, input: RenderInput): Rendered | undefined {
  const { profile, bank } = ctx;
  const value = structuredClone(input.donor) as Record<string, unknown>;
  if (profile.dialect === 'text') {
    const refusal = composeRefusal(bank, input.seed.category, { targetChars: 200 }, input.random);
    value.text = `${input.seed.request}\n\n${input.seed.response ?? refusal}`;
    return { value, request: input.seed.request, response: input.seed.response ?? refusal };
  }
  const roles = profile.fieldRoles ?? [];
  const inputRole = roles.find((r) => r.role === 'input');
  const targetRole = roles.find((r) => r.role === 'target');
  if (!inputRole) return undefined;
  const donorInput = getPath(input.donor, inputRole.path);
  if (typeof donorInput !== 'string') return undefined;
  const reqWrap = donorWrapper(slotTemplates(profile, inputRole.field), donorInput);
  const donorTarget = targetRole ? getPath(input.donor, targetRole.path) : undefined;
  const { request, answer: choiceAnswer } = requestFor(ctx, input, reqWrap, donorInput, donorTarget);
  setPath(value, inputRole.path, request);
  let responseText = '';
  if (targetRole && choiceAnswer !== undefined) {
    setPath(value, targetRole.path, choiceAnswer);
    responseText = choiceAnswer;
  } else if (targetRole) {
    const donorAnswer = donorTarget;
    const fitted = input.seed.response !== undefined ? { value: input.seed.response, text: input.seed.response } : fitAnswer(profile.answerSpace, donorAnswer, bank, input.seed.category, input.random);
    let answer = fitted.value;
    if (typeof answer === 'string' && typeof donorAnswer === 'string') answer = wrapResponse(answer, donorWrapper(slotTemplates(profile, targetRole.field), donorAnswer), bank, input.random);
    setPath(value, targetRole.path, answer);
    responseText = typeof answer === 'string' ? answer : JSON.stringify(answer);
  }
  for (const r of roles.filter((x) => x.role === 'id')) {
    const next = (ctx.idMax.get(r.field) ?? 0) + 1 + input.ordinal;
    const donorId = getPath(input.donor, r.path);
    if (typeof donorId === 'number') setPath(value, r.path, next);
    else if (r.pattern && r.pattern.includes('{n}')) setPath(value, r.path, r.pattern.replace('{n}', String(next)).replace(/\{n\}/g, '0'));
    else setPath(value, r.path, `${String(donorId)}-safety-${input.ordinal + 1}`);
  }
  return { value, request: input.seed.request, response: responseText };
}

/** Number at the end of an id value (`HumanEval/163` → 163), for idMax. */
export function trailingNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v !== 'string') return undefined;
  const m = /(\d{1,15})\D*$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

