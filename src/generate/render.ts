// Places one safety example in the user's own structure, field by field, following the record roles
// the profiler decided: the request (inside the slot's majority template, or plain), the answer (the
// refusal in the answer's format), constants, regenerated ids, context kept, emptied or neutral,
// option fields with a refusal option, siblings and metadata at their commonest value, and for code
// tasks a stub, a refusing body and a matching test. Donor values it keeps are the donor's own (a
// lossless parse keeps number texts such as `1e400` and `1.0`). Pure: no I/O; the planner chose the
// donor, the texts and the random source.
import { speakersOf, type DialogueForm } from '../profile/dialogue.js';
import { messageRole, messageText, preferenceExchange, rewritePreference, withMessageText } from '../profile/preference.js';
import type { TaskShapes } from './seeds.js';
import { parse as losslessParse, LosslessNumber } from 'lossless-json';
import type { Profile } from '../profile/profile.js';
import type { Container } from '../read/types.js';
import { conversationOf, displayPath, getPath, REASONING_PART, roleSequence, setPath, type Path, type Turn } from '../profile/conversation.js';
import type { FieldDecision, RecordRoles, EmptyForm } from '../profile/record-roles.js';
import { sectionStarts } from '../profile/record-roles.js';
import { parseChat, questionAndAnswer, rewriteChat } from '../profile/chat-template.js';
import { applyTextStyle, type TextStyle } from '../profile/text-style.js';
import { formulaSafe } from '../formula.js';
import { donorAffixes } from './affixes.js';
import { choiceRequest, fitAnswer, withLetter, wrapResponse, type JsonShape } from './answers.js';
import { REASONING_FIELDS, withReasoning, type ReasoningForm } from '../profile/reasoning.js';
import { codeRecord } from './code-stub.js';
import { newId } from './ids.js';
import { toolRoundMessages, type ToolRound } from './tool-round.js';

export { trailingNumber } from './ids.js';

export interface DonorRecord {
  index: number;
  value: unknown;
  raw: Buffer;
}

export interface RenderContext {
  profile: Profile;
  roles: RecordRoles;
  container: Container;
  /** Largest number seen in each top-level field over the whole input (pass 1), for new ids. */
  idMax: Map<string, number>;
  /** Role sequences that user records have (see roleSequence). */
  sequences: Set<string>;
  /** Values of constant, mode and neutral fields, by field key (lossless). */
  fixed: Map<string, unknown>;
  /** System prompts of the sample with their counts, and the commonest. */
  systems: Map<string, number>;
  topSystem?: string;
  json?: JsonShape;
  requestStyle: TextStyle;
  answerStyle: TextStyle;
  /** Some user records call tools: a plain refusal with no tool call is the documented exception. */
  toolCalling: boolean;
  /** A closed label set's answer for safety records (answer-policy.ts), instead of refusal text. */
  labelAnswer?: string;
  /** The user answers open with a reasoning block: safety records' answers do too (reasoning.ts). */
  reasoning?: ReasoningForm;
  /** The requests are speaker-tagged dialogues (and the answers may summarise them). */
  dialogue?: DialogueForm;
  /** Feedback and reward fields: true for a desirable flag, the data's highest score (a pair's rejected side: its lowest). */
  scores?: Map<string, unknown>;
  /** Harmful requests are asked as unanswerable questions: the donor's (empty) answer and flags stay. */
  unanswerable?: boolean;
  /** Closed labels beside the answer that go with whether the split context is filled: their values either way. */
  kindLabels?: Map<string, { filled: string[]; empty: string[] }>;
  /** Topic fields beside the answer (open sets of short labels): they take the request category's topic. */
  topics?: { keys: Set<string>; upper: boolean; words: number };
}

interface RenderInput {
  donor: DonorRecord;
  request: string;
  /** The request's category (for a topic field) and the task-shape text of the answer's language. */
  category?: string;
  shapes?: TaskShapes;
  /** The request's reason for a third-person summary (absent when the reason speaks as someone). */
  summaryReason?: string;
  /** The request's first sentences, for a context field the data fills in part (the request holds the rest). */
  requestContext?: string;
  requestLang: string;
  answerLang: string;
  /** Refusal texts in the answer's language: sized to the user's answers, short, and plain (medium). */
  refusal: { sized: string; short: string; plain: string };
  /** Content-free compliance phrases for the wrong options of multiple choice. */
  compliance: string[];
  /** A response to use as it is (a bring-your-own source, or an encoded twin). */
  response?: string;
  /** Texts already in their final form (an encoded twin: restyling cipher text would break it). */
  verbatim?: boolean;
  /** 0-based number of this safety record (new ids, function names). */
  ordinal: number;
  random: () => number;
  /**
   * Benign exchanges written for the record (the balance set's prompts and short answers, in the
   * record's language): in multi-round chats they fill the rounds before the harmful request, so an
   * injected conversation has as many rounds as its donor and none of the donor's own content.
   */
  benign?: { prompt: string; answer: string }[];
  /** A benign tool round a model endpoint wrote for a tool-calling chat: it comes before the benign rounds. */
  toolRound?: ToolRound;
  /** `compliance` holds short refusals: the rejected side of a balance example's preference pair. */
  rejectedIsRefusal?: boolean;
  /**
   * A short reasoning made of the request's own reason (or, for a balance example, its short
   * answer), written where the data's answers hold theirs: a reasoning block at the answer's head,
   * or the answer turn's reasoning field.
   */
  reasoning?: string;
}

export interface Rendered {
  value: unknown;
  request: string;
  /** The refusal text the record carries (its answer, or the refusal option). */
  refusal: string;
  /** What was done to each field or turn, by display path. */
  fields: Record<string, string>;
  exception?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export { displayPath };

/** The donor as a tree the renderer may change: a lossless parse of its bytes (CSV: a copy of its cells). */
export function donorTree(container: Container, donor: DonorRecord): unknown {
  if (container === 'csv' || container === 'tsv') return { ...(donor.value as Record<string, string>) };
  if (fromValue(container, donor)) return copyTree(donor.value);
  const tree = losslessParse(donor.raw.toString('utf8'));
  // a nested record's fields from the objects around it are in its value, not in its bytes
  if (isObj(tree) && isObj(donor.value)) for (const [k, v] of Object.entries(donor.value)) if (!(k in tree)) tree[k] = copyTree(v);
  return tree;
}

/**
 * Whether a donor's tree is built from its parsed value rather than its bytes: CSV rows, and JSON
 * without numbers (the same tree either way, and a copy of the parsed value is much cheaper).
 */
function fromValue(container: Container, donor: DonorRecord): boolean {
  if (container === 'csv' || container === 'tsv') return true;
  let numberFree = numberFreeDonors.get(donor);
  if (numberFree === undefined) {
    numberFree = !holdsNumber(donor.value);
    numberFreeDonors.set(donor, numberFree);
  }
  return numberFree;
}

const numberFreeDonors = new WeakMap<DonorRecord, boolean>();

/**
 * Drops the bytes of donors whose tree is rebuilt from their parsed value (CSV rows, JSON without
 * numbers): once the profile and the serializer are built, only number-holding donors are read from
 * their bytes again (a lossless parse). The sample holds up to SAMPLE_MAX_BYTES of such bytes, which
 * need not stay in memory through the writing pass. Returns the bytes released.
 */
export function releaseDonorBytes(container: Container, donors: DonorRecord[]): number {
  let released = 0;
  for (const d of donors) {
    if (d.raw.length === 0 || !fromValue(container, d)) continue;
    released += d.raw.length;
    (d as { raw: Buffer }).raw = NO_BYTES;
  }
  return released;
}

const NO_BYTES = Buffer.alloc(0);

function holdsNumber(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof LosslessNumber) return true;
  if (Array.isArray(v)) return v.some(holdsNumber);
  if (v !== null && typeof v === 'object') return Object.values(v).some(holdsNumber);
  return false;
}

/** A deep copy of a parsed JSON tree (plain objects, arrays, strings, booleans, null), keys in order. */
function copyTree(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyTree);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyTree(x);
    return out;
  }
  return v;
}

function emptyValue(form: EmptyForm | undefined): unknown {
  switch (form) {
    case 'null':
      return null;
    case 'list':
      return [];
    case 'object':
      return {};
    default:
      return '';
  }
}

function deletePath(value: unknown, path: Path): void {
  const parent = getPath(value, path.slice(0, -1));
  if (isObj(parent)) delete parent[path[path.length - 1] as string];
}

/** Generated text as the data writes it: its casing and tokenization, and never a spreadsheet formula. */
function styled(ctx: RenderContext, text: string, style: TextStyle, lang: string, verbatim = false): string {
  const t = verbatim ? text : applyTextStyle(text, style, lang);
  return ctx.container === 'csv' || ctx.container === 'tsv' ? formulaSafe(t) : t;
}

export function renderSafetyRecord(ctx: RenderContext, input: RenderInput): Rendered | undefined {
  const tree = donorTree(ctx.container, input.donor);
  const fields: Record<string, string> = {};
  const request = styled(ctx, input.request, ctx.requestStyle, input.requestLang, input.verbatim);
  if (!request.trim()) return undefined;
  const texts = {
    sized: styled(ctx, input.refusal.sized, ctx.answerStyle, input.answerLang, input.verbatim),
    short: styled(ctx, input.refusal.short, ctx.answerStyle, input.answerLang, input.verbatim),
    plain: styled(ctx, input.refusal.plain, ctx.answerStyle, input.answerLang, input.verbatim),
  };
  const out = ctx.roles.preference
    ? renderPreference(ctx, input, tree, request, texts, fields)
    : ctx.roles.conversation
      ? renderConversation(ctx, input, tree, request, texts, fields)
      : ctx.profile.dialect === 'text'
        ? renderText(ctx, input, tree, request, texts, fields)
        : renderFields(ctx, input, tree, request, texts, fields);
  if (!out) return undefined;
  applyOtherFields(ctx, input, tree, fields);
  return { value: tree, request, refusal: out.refusal, fields, exception: out.exception };
}

/** Every field that is neither the request nor the answer nor an option, by its decided role. */
function applyOtherFields(ctx: RenderContext, input: RenderInput, tree: unknown, fields: Record<string, string>): void {
  for (const d of ctx.roles.fields) {
    if (d.role === 'request' || d.role === 'answer' || d.role === 'options' || d.role === 'code-entry' || d.role === 'code-test') continue;
    const present = getPath(tree, d.path) !== undefined;
    if (present && ctx.scores?.has(d.key)) {
      setPath(tree, d.path, ctx.scores.get(d.key));
      const v = ctx.scores.get(d.key);
      fields[d.key] =
        typeof v === 'boolean'
          ? 'feedback: true (the refusal is the desirable answer)'
          : /rejected/i.test(d.key)
            ? "score: the data's lowest for a rejected side"
            : "score: the data's highest";
      continue;
    }
    switch (d.role) {
      case 'id': {
        if (!present) break;
        setPath(tree, d.path, newId(getPath(tree, d.path), ctx.idMax.get(String(d.path[0])), input.ordinal, input.random));
        fields[d.key] = 'id: regenerated';
        break;
      }
      case 'constant':
        if (ctx.fixed.has(d.key)) setPath(tree, d.path, ctx.fixed.get(d.key));
        fields[d.key] = 'constant';
        break;
      case 'tools':
        if (present) fields[d.key] = 'context: kept (tools)';
        break;
      case 'rejected': {
        // the rejected side of a preference pair: a short compliance opener with no content (for a
        // balance example, whose chosen side helps, a short refusal: refusing the harmless is worse)
        const opener = input.compliance[Math.floor(input.random() * input.compliance.length)] ?? '';
        let value = styled(ctx, opener, ctx.answerStyle, input.answerLang, input.verbatim);
        if (ctx.container === 'csv' || ctx.container === 'tsv') value = formulaSafe(value);
        setPath(tree, d.path, value);
        fields[d.key] = input.rejectedIsRefusal ? 'rejected: a short refusal (the chosen side helps)' : 'rejected: a compliance opener with no content';
        break;
      }
      case 'context':
      case 'sibling':
      case 'metadata': {
        const topic = ctx.topics?.keys.has(d.key) && input.category ? nearestLabel(input.shapes?.topics[input.category], ctx.topics.words) : undefined;
        if (topic && present) {
          setPath(
            tree,
            d.path,
            styled(ctx, ctx.topics!.upper ? topic.charAt(0).toUpperCase() + topic.slice(1) : topic, ctx.answerStyle, input.answerLang, true),
          );
          fields[d.key] = `${d.role}: the topic of the request's category`;
          break;
        }
        if (d.rule === 'split' && input.requestContext !== undefined) {
          setPath(tree, d.path, styled(ctx, input.requestContext, ctx.requestStyle, input.requestLang, input.verbatim));
          fields[d.key] = "context: the request's first sentences";
          break;
        }
        const kinds = ctx.kindLabels?.get(d.key);
        if (kinds && present) {
          const pool = input.requestContext !== undefined ? kinds.filled : kinds.empty;
          setPath(tree, d.path, pool[Math.floor(input.random() * pool.length)]!);
          fields[d.key] =
            `${d.role}: a value of the user records that ${input.requestContext !== undefined ? 'fill' : 'leave empty'} the context, as often as they have it`;
          break;
        }
        setByRule(ctx, tree, d, present);
        // a mode the labelled donors do not share stays the donor's own (it goes with the donor's label)
        if (d.rule === 'split') fields[d.key] = 'context: emptied (the request is one sentence)';
        else if (present || d.rule !== 'emptied')
          fields[d.key] =
            (d.rule === 'mode' || d.rule === 'neutral') && !ctx.fixed.has(d.key)
              ? `${d.role}: the donor's own (it goes with the donor's answer)`
              : `${d.role}: ${d.rule}`;
        break;
      }
    }
  }
}

/** Of a category's topic labels, the one whose number of words is nearest the data's topics' (the first on a tie). */
function nearestLabel(labels: readonly string[] | undefined, words: number): string | undefined {
  if (!labels?.length) return undefined;
  const count = (l: string) => l.trim().split(/\s+/).length;
  return labels.reduce((best, l) => (Math.abs(count(l) - words) < Math.abs(count(best) - words) ? l : best));
}

function setByRule(ctx: RenderContext, tree: unknown, d: FieldDecision, present: boolean): void {
  if (d.rule === 'kept') return;
  if (d.rule === 'emptied' || d.rule === 'split') {
    if (d.empty === 'missing' && ctx.container !== 'csv' && ctx.container !== 'tsv') deletePath(tree, d.path);
    else if (present || d.empty !== 'missing') setPath(tree, d.path, emptyValue(d.empty));
    return;
  }
  if (ctx.fixed.has(d.key)) setPath(tree, d.path, ctx.fixed.get(d.key));
}

/**
 * Multi-round plain chats (user and assistant turns only, free-text answers, no request template):
 * the harmful request goes into the donor's last round, and the rounds before it are rewritten with
 * benign exchanges, so the record keeps its donor's number of rounds (the data's distribution) and
 * carries none of the donor's content. Undefined where this does not apply: one round, tool turns, a
 * template around the request, answers that are not free text, or no benign exchanges to write.
 */
function benignRounds(
  ctx: RenderContext,
  input: RenderInput,
  conv: NonNullable<ReturnType<typeof conversationOf>>,
  qi: number,
): { rounds: [number, number][]; question: number } | undefined {
  const roles = ctx.roles.conversation!;
  if (!input.benign?.length || roles.request.form !== 'plain' || ctx.profile.answerSpace.kind !== 'text') return undefined;
  if (conv.turns.some((t) => t.role !== 'user' && t.role !== 'assistant')) return undefined;
  const rounds: [number, number][] = [];
  for (let i = 0; i + 1 < conv.turns.length; i++) if (conv.turns[i]!.role === 'user' && conv.turns[i + 1]!.role === 'assistant') rounds.push([i, i + 1]);
  const last = rounds.at(-1);
  if (rounds.length < 2 || !last || last[1] !== conv.turns.length - 1 || rounds[0]![0] !== qi) return undefined;
  return { rounds: rounds.slice(0, -1), question: last[0] };
}

/** The k-th benign exchange of the balance set written into a round's request and answer turns, labelled. */
function writeBenignRound(ctx: RenderContext, input: RenderInput, tree: unknown, k: number, user: Path, answer: Path, fields: Record<string, string>): void {
  const b = input.benign![k % input.benign!.length]!;
  setPath(tree, user, styled(ctx, b.prompt, ctx.requestStyle, input.requestLang, input.verbatim));
  textPartsOnly(tree, user);
  setPath(tree, answer, styled(ctx, b.answer, ctx.answerStyle, input.answerLang, input.verbatim));
  fields[displayPath(user)] = 'context: a benign question written for the record (balance set)';
  fields[displayPath(answer)] = 'context: its helpful answer (balance set)';
}

/**
 * Tool-calling chats in list dialects other than OpenAI's (ShareGPT's `function_call`/`observation`
 * turns, …), where the donor's turns from the request on hold tool turns: they are rewritten as plain
 * benign rounds (balance-set prompts and answers, in copies of the donor's user and assistant turns)
 * and then the request, as many turns as the donor had, so the record keeps the data's turn counts
 * and carries none of the donor's content (the offline engine cannot write calls of tools it has
 * never seen). The conversation as rewritten and the request's turn; undefined where it does not apply.
 */
function benignToolChat(
  ctx: RenderContext,
  input: RenderInput,
  tree: unknown,
  conv: NonNullable<ReturnType<typeof conversationOf>>,
  qi: number,
  fields: Record<string, string>,
): [NonNullable<ReturnType<typeof conversationOf>>, number] | undefined {
  const q = conv.turns[qi]!;
  const [key, at] = q.path;
  if (typeof key !== 'string') return undefined;
  const list = isObj(tree) ? tree[key] : undefined;
  const later = conv.turns.slice(qi);
  if (!input.benign?.length || ctx.profile.answerSpace.kind !== 'text' || !Array.isArray(list) || typeof at !== 'number') return undefined;
  if (!later.some((t) => t.role === 'tool' || t.role === 'tool_call') || later.some((t) => t.path[0] !== key)) return undefined;
  const answer = later.findLast((t) => t.role === 'assistant');
  if (!answer || typeof answer.path[1] !== 'number' || !isObj(list[at]) || !isObj(list[answer.path[1]])) return undefined;
  const rounds = Math.floor((list.length - at - 2) / 2);
  if (rounds < 1) return undefined;
  const [userTurn, answerTurn] = [list[at], list[answer.path[1]]];
  const fresh: unknown[] = [];
  for (let k = 0; k <= rounds; k++) fresh.push(copyTree(userTurn), copyTree(answerTurn));
  list.splice(at, list.length - at, ...fresh);
  for (let k = 0; k < rounds; k++)
    writeBenignRound(ctx, input, tree, k, [key, at + 2 * k, ...q.path.slice(2)], [key, at + 2 * k + 1, ...answer.path.slice(2)], fields);
  const after = conversationOf(ctx.profile.dialect, tree);
  const request = after?.turns.findIndex((t) => t.path[0] === key && t.path[1] === at + 2 * rounds) ?? -1;
  return after && request >= 0 ? [after, request] : undefined;
}

/**
 * Conversations about kept context (the turns before the question are the donor's passage, kept):
 * their later rounds ask about the same passage, so the request takes the last round and the record
 * keeps the donor's number of rounds. The question's own turn when the rounds after it are not plain
 * user/assistant pairs up to the end.
 */
function lastRoundAfter(turns: Turn[], qi: number): number {
  let last = qi;
  for (let i = qi; i + 1 < turns.length; i += 2) {
    if (turns[i]!.role !== 'user' || turns[i + 1]!.role !== 'assistant') return qi;
    last = i;
  }
  return turns.length - last === 2 ? last : qi;
}

/**
 * A turn whose content is a list of parts keeps only the text part written at `path` (`…content.<i>.text`):
 * an image, audio or file part belonged to the donor's own question, and injected records are text.
 */
function textPartsOnly(tree: unknown, path: Path): void {
  const at = path.at(-2);
  // only a part's text (`…content.<i>.text` / `.value`), never a turn of a list
  if (typeof at !== 'number' || (path.at(-1) !== 'text' && path.at(-1) !== 'value') || (path.at(-3) !== 'content' && path.at(-3) !== 'parts')) return;
  const list = getPath(tree, path.slice(0, -2));
  if (Array.isArray(list) && list.length > 1) list.splice(0, list.length, list[at]);
}

type Texts = { sized: string; short: string; plain: string };
type Placed = { refusal: string; exception?: string } | undefined;

/** The request in its slot: the majority template with the donor's own wrapper text, or plain. */
function placeRequest(form: RecordRoles['request'], donorText: string, request: string): { text: string; inner: string } | undefined {
  if (!form || form.form === 'plain' || !form.template) return { text: request, inner: donorText };
  const affixes = donorAffixes(donorText, form.template);
  if (!affixes) return undefined; // this donor does not follow the template
  return { text: affixes.pre + request + affixes.post, inner: donorText.slice(affixes.pre.length, donorText.length - affixes.post.length) };
}

function renderConversation(ctx: RenderContext, input: RenderInput, tree: unknown, request: string, texts: Texts, fields: Record<string, string>): Placed {
  const roles = ctx.roles.conversation!;
  const dialect = ctx.profile.dialect;
  let conv = conversationOf(dialect, tree);
  if (!conv) return undefined;
  const slot = (t: Turn) => (dialect === 'alpaca' || dialect === 'prompt-completion' ? t.sourceRole : `${t.role}#${t.ordinal}`);
  let qi = conv.turns.findIndex((t) => slot(t) === roles.questionSlot);
  if (qi < 0) return undefined;
  if (conv.turns.slice(0, qi).map(slot).join(',') !== roles.history.join(',')) return undefined;
  const benign = benignRounds(ctx, input, conv, qi);
  if (benign) {
    for (const [k, [u, a]] of benign.rounds.entries()) writeBenignRound(ctx, input, tree, k, conv.turns[u]!.path, conv.turns[a]!.path, fields);
    qi = benign.question;
  } else if (roles.history.length > 0) qi = lastRoundAfter(conv.turns, qi);
  else if (ctx.toolCalling && dialect !== 'openai-chat') {
    const rewritten = benignToolChat(ctx, input, tree, conv, qi, fields);
    if (rewritten) [conv, qi] = rewritten;
  }
  let ri = -1;
  for (let i = qi + 1; i < conv.turns.length; i++) {
    const t = conv.turns[i]!;
    if (t.role === 'tool' || t.role === 'user') return undefined;
    if (t.role === 'assistant' || t.role === 'tool_call') {
      ri = i;
      break;
    }
  }
  if (ri < 0) return undefined;
  const q = conv.turns[qi]!;
  const r = conv.turns[ri]!;
  const placed = placeRequest(roles.request, q.text, request);
  if (!placed) return undefined;
  let questionText = placed.text;
  let answerText: string;
  let refusal: string;
  if (input.response !== undefined) {
    answerText = refusal = input.response;
  } else if (roles.answerForm === 'plain' || r.role === 'tool_call') {
    const space = ctx.profile.answerSpace;
    if (r.role !== 'tool_call' && space.kind === 'list' && space.format === 'json-string') {
      // the answers are JSON lists written as text (entities, tags): the refusal is the list's one item
      refusal = texts.short;
      answerText = JSON.stringify([texts.short]);
    } else answerText = refusal = texts.plain;
  } else {
    const mc = ctx.profile.answerSpace.kind === 'choice' ? choiceRequest(placed.inner, request, texts.short, input.compliance, input.random) : undefined;
    if (mc) {
      questionText = placed.text.replace(request, () => mc.text);
      answerText = withLetter(r.text, mc.letter);
      refusal = texts.short;
    } else {
      const fitted = fitAnswer(ctx.profile.answerSpace, r.text, texts, ctx.json, ctx.labelAnswer);
      refusal = fitted.text;
      answerText = wrapResponse(String(fitted.value), roles.answerTemplate);
    }
  }
  if (ctx.reasoning && input.reasoning !== undefined && ctx.profile.answerSpace.kind === 'text' && r.role !== 'tool_call')
    answerText = withReasoning(ctx.reasoning, styled(ctx, input.reasoning, ctx.answerStyle, input.answerLang, input.verbatim), answerText);
  setPath(tree, q.path, questionText);
  textPartsOnly(tree, q.path);
  fields[displayPath(q.path)] = 'request';
  const list = (tree as Record<string, unknown>)[r.path[0] as string];
  const at = r.path[1];
  let exception: string | undefined;
  if (r.role === 'tool_call' && Array.isArray(list) && typeof at === 'number') {
    // a plain refusal: no tool is called for a harmful request
    const assistant = conv.turns.find((t) => t.role === 'assistant')?.sourceRole ?? (dialect === 'sharegpt' ? 'gpt' : 'assistant');
    const was = list[at];
    list[at] = dialect === 'sharegpt' ? { from: assistant, value: answerText } : { role: 'assistant', content: answerText };
    // the turn's own fields stay (a weight, a name): only the call becomes text
    if (isObj(was))
      for (const [k, v] of Object.entries(was))
        if (!['role', 'from', 'content', 'value', 'tool_calls', 'function_call'].includes(k)) (list[at] as Record<string, unknown>)[k] = v;
    fields[displayPath([r.path[0]!, at])] = "answer (a plain refusal in place of the donor's tool call)";
  } else {
    setPath(tree, r.path, answerText);
    fields[displayPath(r.path)] = 'answer';
    // the donor's own reasoning was about its own question: the turn's reasoning field gets this request's
    const turn = Array.isArray(list) && typeof at === 'number' ? list[at] : undefined;
    const reason = input.reasoning === undefined ? '' : styled(ctx, input.reasoning, ctx.answerStyle, input.answerLang, input.verbatim);
    for (const k of REASONING_FIELDS) {
      if (!isObj(turn) || typeof turn[k] !== 'string') continue;
      turn[k] = reason;
      fields[displayPath([r.path[0]!, at as number, k])] = input.reasoning === undefined ? 'reasoning: emptied' : "reasoning: the request's own reason";
    }
    // reasoning parts of the content (`{type: "thinking", thinking}`, `{type: "reasoning", text}`): the same
    const parts = isObj(turn) ? turn.content : undefined;
    if (Array.isArray(parts))
      parts.forEach((p, i) => {
        if (!isObj(p) || typeof p.type !== 'string' || !REASONING_PART.test(p.type)) return;
        const key = ['thinking', 'text', 'reasoning', 'value'].find((k) => typeof p[k] === 'string');
        if (key === undefined) return;
        p[key] = reason;
        fields[displayPath([r.path[0]!, at as number, 'content', i, key])] =
          input.reasoning === undefined ? 'reasoning part: emptied' : "reasoning part: the request's own reason";
      });
  }
  // a refusal turn is trained on
  for (const key of ['weight', 'loss_weight']) {
    if (Array.isArray(list) && typeof at === 'number' && isObj(list[at]) && key in (list[at] as object)) {
      (list[at] as Record<string, unknown>)[key] = new LosslessNumber('1');
      fields[displayPath([r.path[0]!, at, key])] = `${key}: 1 (the refusal is trained on)`;
    }
  }
  // nothing may follow the refusal: later turns answered the donor's own request
  if (Array.isArray(list) && typeof at === 'number') list.length = at + 1;
  else if (dialect === 'alpaca' && isObj(tree) && Array.isArray(tree.history)) {
    /* alpaca's answer is its output: history is context (below) */
  }
  for (let i = 0; i < qi; i++) fields[displayPath(conv.turns[i]!.path)] ??= 'context: kept (a turn before the question)';
  if (conv.system) {
    const text = conv.system.text;
    if (roles.system.rule === 'constant') fields[displayPath(conv.system.path)] = 'constant (system prompt)';
    else if ((ctx.systems.get(text) ?? 0) >= 2)
      fields[displayPath(conv.system.path)] = `context: kept (a system prompt ${ctx.systems.get(text)} sampled records share)`;
    else if (ctx.topSystem !== undefined) {
      setPath(tree, conv.system.path, ctx.topSystem);
      fields[displayPath(conv.system.path)] = 'constant: the commonest system prompt';
    }
  }
  // tool-calling chats with several rounds: the request comes after as many plain benign rounds as the
  // donor had rounds before its last (one at least), written for the record, never the donor's
  const prefixed =
    dialect === 'openai-chat' && ctx.toolCalling && Array.isArray(list) && typeof q.path[1] === 'number'
      ? benignPrefix(ctx, input, list, q.path[1], conv, fields)
      : false;
  const after = conversationOf(dialect, tree)!;
  if (ctx.sequences.size > 0 && !ctx.sequences.has(roleSequence(after))) {
    if (!(ctx.toolCalling && (r.role === 'tool_call' || prefixed))) return undefined;
    exception = `role sequence ${roleSequence(after)} is new: a plain refusal without a tool call in tool-calling data`;
  }
  return { refusal, exception };
}

/**
 * Plain benign rounds (balance-set prompts with their short answers) inserted before the request of
 * a tool-calling chat, as many as the donor's rounds before its last, one at least where the donor
 * calls a tool (the first a tool round when a model endpoint wrote one); each message keeps the keys
 * of the donor's own messages of its role (a `weight` on assistant turns).
 */
function benignPrefix(
  ctx: RenderContext,
  input: RenderInput,
  list: unknown[],
  at: number,
  conv: NonNullable<ReturnType<typeof conversationOf>>,
  fields: Record<string, string>,
): boolean {
  const benign = input.benign;
  // only where the request is the first turn after the system prompt
  const question = conv.turns.findIndex((t) => t.path[1] === at);
  if ((!benign?.length && !input.toolRound) || conv.turns.slice(0, question).some((t) => t.role !== 'system')) return false;
  const style = (t: string, s: TextStyle, lang: string) => styled(ctx, t, s, lang, input.verbatim);
  // (tool-calling data: a donor that calls a tool gets one round at least, for the length its tool
  // round gave it; a plain single-round donor none, so lengths follow the data's)
  const users = conv.turns.filter((t) => t.role === 'user').length;
  const rounds = ctx.toolCalling ? Math.max(users - 1, conv.turns.some((t) => t.role === 'tool_call') ? 1 : 0) : Math.max(1, users - 1);
  if (rounds === 0) return false;
  const user = list[at];
  const answer = [...list].reverse().find((m) => isObj(m) && String(m.role).toLowerCase() === 'assistant' && typeof m.content === 'string');
  if (!isObj(user) || typeof user.content !== 'string') return false;
  const inserted: unknown[] = [];
  // a tool round the endpoint wrote comes first, in the donor's own form of a tool round
  // (its form from the donor's messages as they were: the list here ends at the refusal already)
  const donorMessages = input.toolRound ? (donorTree(ctx.container, input.donor) as { messages?: unknown }).messages : undefined;
  const toolRound =
    input.toolRound && Array.isArray(donorMessages) ? toolRoundMessages(donorMessages, user, input.toolRound, input.ordinal, input.random) : undefined;
  if (toolRound) inserted.push(...toolRound);
  for (let k = toolRound ? 1 : 0; k < rounds && benign?.length; k++) {
    const b = benign[k % benign.length]!;
    const a: Record<string, unknown> = { role: 'assistant', content: style(b.answer, ctx.answerStyle, input.answerLang) };
    if (isObj(answer)) for (const [key, v] of Object.entries(answer)) if (!['role', 'content', 'tool_calls', 'reasoning_content'].includes(key)) a[key] = v;
    inserted.push({ ...user, content: style(b.prompt, ctx.requestStyle, input.requestLang) }, a);
  }
  if (!inserted.length) return false;
  list.splice(at, 0, ...inserted);
  // the request and the refusal moved down
  const moves: [string, string, string][] = [];
  for (const [key, label] of Object.entries(fields)) {
    const m = /^messages\[(\d+)\](.*)$/.exec(key);
    if (m && Number(m[1]) >= at) moves.push([key, `messages[${Number(m[1]) + inserted.length}]${m[2]}`, label]);
  }
  for (const [from] of moves) delete fields[from];
  for (const [, to, label] of moves) fields[to] = label;
  const toolLabels = [
    'context: a benign request written for the record (model endpoint)',
    "context: the assistant's call of one of the record's tools (model endpoint)",
    "context: the tool's result, written for the record (model endpoint)",
    "context: the assistant's reply to the result (model endpoint)",
  ];
  const plain = toolRound ? toolRound.length : 0;
  for (let k = 0; k < inserted.length; k++)
    fields[`messages[${at + k}]`] =
      k < plain
        ? toolLabels[k]!
        : (k - plain) % 2 === 0
          ? 'context: a benign question written for the record (balance set)'
          : 'context: its helpful answer (balance set)';
  return true;
}

function renderFields(ctx: RenderContext, input: RenderInput, tree: unknown, request: string, texts: Texts, fields: Record<string, string>): Placed {
  const { roles } = ctx;
  const req = roles.fields.find((d) => d.role === 'request');
  const ans = roles.fields.find((d) => d.role === 'answer');
  if (!req) return undefined;
  const donorRequest = getPath(tree, req.path);
  if (typeof donorRequest !== 'string') return undefined;
  const donorAnswer = ans ? getPath(tree, ans.path) : undefined;
  let refusal = '';
  if (roles.code) {
    const code = codeRecord(roles.code.language, request, input.response ?? texts.short, donorRequest);
    if (!code) return undefined;
    setPath(tree, req.path, code.stub);
    fields[req.key] = `request: a ${roles.code.language} stub holding the request`;
    if (ans) {
      setPath(tree, ans.path, code.body);
      fields[ans.key] = 'answer: a body that refuses';
    }
    for (const d of roles.fields) {
      if (d.role === 'code-entry' && getPath(tree, d.path) !== undefined) {
        setPath(tree, d.path, code.name);
        fields[d.key] = "the stub's function name";
      }
      if (d.role === 'code-test' && getPath(tree, d.path) !== undefined) {
        setPath(tree, d.path, code.test);
        fields[d.key] = 'a test of the stub';
      }
    }
    return { refusal: input.response ?? texts.short };
  }
  if (ctx.unanswerable && ans) {
    setPath(tree, req.path, placeRequest(roles.request, donorRequest, request)?.text ?? request);
    fields[req.key] = 'request: an unanswerable question';
    fields[ans.key] = 'answer: kept empty, as the data answers an unanswerable question';
    return { refusal: '' };
  }
  if (ctx.dialogue?.summary && ans && input.response === undefined) {
    const d = dialogueRecord(ctx, input, donorRequest, request, texts);
    if (!d) return undefined;
    setPath(tree, req.path, d.dialogue);
    fields[req.key] = "request: a dialogue in the donor's speaker tags, the second speaker declining";
    setPath(tree, ans.path, d.summary);
    fields[ans.key] = 'answer: a third-person summary (one speaker declines to help the other) and the reason';
    return { refusal: d.refusal };
  }
  const placed = placeRequest(roles.request, donorRequest, request);
  if (!placed) return undefined;
  let requestText = placed.text;
  const options = roles.fields.filter((d) => d.role === 'options').sort((a, b) => a.option! - b.option!);
  if (options.length && ans && input.response === undefined) {
    // option fields: one option is the refusal, the answer its letter (or index) in the donor's format
    const at = Math.floor(input.random() * options.length);
    const start = Math.floor(input.random() * input.compliance.length);
    options.forEach((d, i) => {
      setPath(tree, d.path, i === at ? texts.short : styled(ctx, input.compliance[(start + i) % input.compliance.length]!, ctx.answerStyle, input.answerLang));
      fields[d.key] = i === at ? 'options: the refusal option' : 'options: a compliance option';
    });
    const space = ctx.profile.answerSpace;
    let answer: string;
    if (space.kind === 'label') {
      const base = Math.min(...space.labels.map((l) => Number(l.value.trim())));
      answer = String(base + at);
    } else answer = withLetter(typeof donorAnswer === 'string' ? donorAnswer : 'A', 'ABCDEFGHIJ'[at]!);
    setPath(tree, ans.path, answer);
    fields[ans.key] = "answer: the refusal option's letter";
    setPath(tree, req.path, requestText);
    fields[req.key] = 'request';
    return { refusal: texts.short };
  }
  if (ans) {
    let value: unknown;
    if (input.response !== undefined) value = refusal = input.response;
    else {
      const mc =
        ctx.profile.answerSpace.kind === 'choice' && typeof donorAnswer === 'string'
          ? choiceRequest(placed.inner, request, texts.short, input.compliance, input.random)
          : undefined;
      if (mc) {
        requestText = placed.text.replace(request, () => mc.text);
        value = withLetter(donorAnswer as string, mc.letter);
        refusal = texts.short;
      } else {
        const fitted = fitAnswer(ctx.profile.answerSpace, donorAnswer, texts, ctx.json, ctx.labelAnswer);
        refusal = fitted.text;
        value = typeof fitted.value === 'string' ? wrapResponse(fitted.value, roles.answerTemplate) : fitted.value;
        if (typeof value === 'string' && ctx.reasoning && input.reasoning !== undefined && ctx.profile.answerSpace.kind === 'text')
          value = withReasoning(ctx.reasoning, styled(ctx, input.reasoning, ctx.answerStyle, input.answerLang, input.verbatim), value);
        if (typeof value === 'string' && (ctx.container === 'csv' || ctx.container === 'tsv')) value = formulaSafe(value);
      }
    }
    setPath(tree, ans.path, value);
    fields[ans.key] = 'answer';
  }
  setPath(tree, req.path, requestText);
  fields[req.key] = 'request';
  return { refusal };
}

/**
 * A preference pair whose sides are messages or conversations: the prompt is the donor's system
 * messages and one user message holding the request; the chosen side refuses (a balance example's
 * helps), the rejected side is a compliance opener with no content (a balance example's: a short
 * refusal), each in the donor side's own message form. The chosen answer is trained on (weight 1).
 */
function renderPreference(ctx: RenderContext, input: RenderInput, tree: unknown, request: string, texts: Texts, fields: Record<string, string>): Placed {
  const shape = ctx.roles.preference!;
  const donor = preferenceExchange(input.donor.value, shape);
  if (!donor) return undefined;
  let chosen: string;
  let refusal: string;
  if (input.response !== undefined) chosen = refusal = input.response;
  else {
    const fitted = fitAnswer(ctx.profile.answerSpace, donor.answer, texts, ctx.json, ctx.labelAnswer);
    refusal = fitted.text;
    chosen = typeof fitted.value === 'string' ? fitted.value : JSON.stringify(fitted.value);
    if (ctx.reasoning && input.reasoning !== undefined && ctx.profile.answerSpace.kind === 'text')
      chosen = withReasoning(ctx.reasoning, styled(ctx, input.reasoning, ctx.answerStyle, input.answerLang, input.verbatim), chosen);
  }
  const opener = input.compliance[Math.floor(input.random() * input.compliance.length)] ?? '';
  const rejected = styled(ctx, opener, ctx.answerStyle, input.answerLang, input.verbatim);
  const out = rewritePreference(tree, shape, { request, chosen, rejected });
  if (!out) return undefined;
  // a system message only this donor has may hold its own details: the commonest one stands in its place
  let systemNote = "the donor's system messages kept";
  for (const path of [shape.prompt?.path, shape.prompt ? undefined : shape.chosen.path, shape.prompt ? undefined : shape.rejected?.path]) {
    const list = path ? getPath(out, path) : undefined;
    if (!Array.isArray(list)) continue;
    list.forEach((m, i) => {
      if (messageRole(m) !== 'system' || !isObj(m)) return;
      const text = messageText(m);
      if ((ctx.systems.get(text) ?? 0) >= 2 || ctx.topSystem === undefined) return;
      list[i] = withMessageText(m, ctx.topSystem);
      systemNote = 'the commonest system message';
    });
  }
  // the chosen answer is trained on, as the data's other answers are
  const side = getPath(out, shape.chosen.path);
  const last = Array.isArray(side) ? side.at(-1) : side;
  for (const key of ['weight', 'loss_weight']) if (isObj(last) && key in last) last[key] = new LosslessNumber('1');
  const at = (p: Path) => displayPath(p);
  fields[at(shape.prompt?.path ?? shape.chosen.path)] = shape.prompt ? `request (${systemNote})` : `request, in each side's conversation (${systemNote})`;
  fields[at(shape.chosen.path)] = !shape.rejected ? 'answer' : input.rejectedIsRefusal ? 'chosen: a helpful answer (balance set)' : 'chosen: the refusal';
  if (shape.rejected)
    fields[at(shape.rejected.path)] = input.rejectedIsRefusal
      ? 'rejected: a short refusal (the chosen side helps)'
      : 'rejected: a compliance opener with no content';
  return { refusal };
}

/**
 * A dialogue to summarise (the data's requests are speaker-tagged dialogues, its answers summaries
 * naming the speakers): the donor's first speaker asks, the second declines; where the data's dialogues
 * run to three lines or more, the first pushes back and the second gives the reason. The summary is a
 * third-person sentence of the task-shape text (the speakers' own tags in it) and the request's reason.
 */
function dialogueRecord(
  ctx: RenderContext,
  input: RenderInput,
  donorRequest: string,
  request: string,
  texts: Texts,
): { dialogue: string; summary: string; refusal: string } | undefined {
  const speakers = speakersOf(donorRequest);
  const shapes = input.shapes;
  if (!speakers || !shapes) return undefined;
  const [a, b] = speakers;
  const oneLine = (t: string) => t.replace(/\s*\r?\n\s*/g, ' ').trim();
  const pick = <T>(list: readonly T[]) => list[Math.floor(input.random() * list.length)]!;
  const reason = input.reasoning !== undefined ? oneLine(styled(ctx, input.reasoning, ctx.answerStyle, input.answerLang, input.verbatim)) : undefined;
  const lines = [a.prefix + oneLine(request)];
  let refusal: string;
  let told = input.summaryReason !== undefined ? oneLine(styled(ctx, input.summaryReason, ctx.answerStyle, input.answerLang, input.verbatim)) : undefined;
  if (ctx.dialogue!.lines >= 3 && reason) {
    refusal = oneLine(texts.short);
    lines.push(b.prefix + refusal, a.prefix + oneLine(styled(ctx, pick(shapes.followUps), ctx.requestStyle, input.requestLang, true)));
    // as many dialogues end on the pushback as the data's end with a question (the reason then goes
    // unsaid, and the summary does not tell it)
    if (input.random() < ctx.dialogue!.questionEnd) told = undefined;
    else lines.push(b.prefix + reason);
  } else {
    refusal = oneLine(texts.plain);
    lines.push(b.prefix + refusal);
  }
  const decline = pick(shapes.declines)
    .replaceAll('{asker}', () => a.label)
    .replaceAll('{helper}', () => b.label);
  // sentences follow each other with a space, but after a full-width stop (Chinese, Japanese) with none
  const summary = styled(ctx, told ? `${decline}${/[。！？]$/.test(decline) ? '' : ' '}${told}` : decline, ctx.answerStyle, input.answerLang, true);
  return { dialogue: lines.join(ctx.dialogue!.lineBreak), summary, refusal };
}

/** Single-field text: the request in the question section, the refusal in the answer section, every other section kept. */
function renderText(ctx: RenderContext, input: RenderInput, tree: unknown, request: string, texts: Texts, fields: Record<string, string>): Placed {
  if (!isObj(tree) || typeof tree.text !== 'string') return undefined;
  if (ctx.roles.chatTemplate) return renderChatTemplateText(ctx, input, tree as { text: string }, request, texts, fields);
  const answer = input.response ?? texts.plain;
  const sections = ctx.roles.sections;
  if (!sections) {
    tree.text = `${request}\n\n${answer}`;
    fields.text = 'request and answer (no labelled sections)';
    return { refusal: answer };
  }
  const donor = tree.text;
  const starts = sectionStarts(donor);
  if (starts.map((s) => s.label).join('\u0000') !== sections.labels.join('\u0000')) return undefined;
  const q = starts[sections.question]!;
  const a = starts[sections.answer]!;
  const qEnd = a.at;
  // keep the line break(s) that end the question section
  let qContentEnd = qEnd;
  while (qContentEnd > q.contentAt && (donor[qContentEnd - 1] === '\n' || donor[qContentEnd - 1] === '\r')) qContentEnd--;
  let aEnd = donor.length;
  while (aEnd > a.contentAt && (donor[aEnd - 1] === '\n' || donor[aEnd - 1] === '\r')) aEnd--;
  tree.text = donor.slice(0, q.contentAt) + request + donor.slice(qContentEnd, a.contentAt) + answer + donor.slice(aEnd);
  const kept = sections.labels.slice(0, sections.question);
  fields.text = `sections ${sections.labels.join(' ')}: ${kept.length ? `${kept.join(' ')} kept (context); ` : ''}the request in ${sections.labels[sections.question]}; the refusal in ${sections.labels[sections.answer]}`;
  return { refusal: answer };
}

/**
 * Text in a chat template: the donor's text with the request in its last user turn and the refusal
 * (in the answers' format) in the assistant turn after it, every token, role name and whitespace of
 * the template kept as the donor writes them, its system turn kept, later turns removed. Earlier
 * rounds are rewritten with benign exchanges when the record has them, else left out.
 */
function renderChatTemplateText(
  ctx: RenderContext,
  input: RenderInput,
  tree: { text: string },
  request: string,
  texts: Texts,
  fields: Record<string, string>,
): Placed {
  const use = ctx.roles.chatTemplate!;
  const chat = parseChat(tree.text, use.name);
  const qa = chat && questionAndAnswer(chat);
  if (!chat || !qa) return undefined;
  let answer: string;
  let refusal: string;
  if (input.response !== undefined) answer = refusal = input.response;
  else {
    const a = chat.turns[qa.answer]!;
    const fitted = fitAnswer(ctx.profile.answerSpace, tree.text.slice(a.start, a.end), texts, ctx.json, ctx.labelAnswer);
    refusal = fitted.text;
    answer = String(fitted.value);
  }
  const benign = input.benign?.map((b) => ({
    prompt: styled(ctx, b.prompt, ctx.requestStyle, input.requestLang, input.verbatim),
    answer: styled(ctx, b.answer, ctx.answerStyle, input.answerLang, input.verbatim),
  }));
  // a system prompt only this donor has may hold its own details: the commonest one stands in its place
  const sys = chat.turns.find((t) => t.role === 'system');
  const ownSystem = sys ? tree.text.slice(sys.start, sys.end) : undefined;
  const replace =
    ownSystem !== undefined && (ctx.systems.get(ownSystem) ?? 0) < 2 && ctx.topSystem !== undefined && ctx.topSystem !== ownSystem ? ctx.topSystem : undefined;
  const out = rewriteChat(tree.text, chat, { request, answer, benign, system: replace });
  if (!out) return undefined;
  tree.text = out.text;
  const notes = [`${use.label}: the request in ${use.question}, the refusal in ${use.answer}`];
  if (out.system) notes.push(replace === undefined ? 'the system turn kept' : 'the commonest system turn');
  if (out.rounds === 'benign') notes.push(`${out.earlier} earlier round(s) rewritten with benign exchanges (balance set)`);
  else if (out.rounds === 'left out') notes.push(`${out.earlier} earlier round(s) left out: only the donor's last round is kept`);
  if (out.removed) notes.push(`${out.removed} later turn(s) removed`);
  fields.text = notes.join('; ');
  return { refusal };
}

/** Whether any string in a value contains the text (every record must carry its refusal). */
export function containsText(value: unknown, text: string): boolean {
  if (!text) return false;
  // a text inside JSON written as a string (a JSON-mode answer) is there with its quotes escaped
  if (typeof value === 'string') return value.includes(text) || value.includes(JSON.stringify(text).slice(1, -1));
  if (Array.isArray(value)) return value.some((v) => containsText(v, text));
  if (isObj(value)) return Object.values(value).some((v) => containsText(v, text));
  return false;
}
