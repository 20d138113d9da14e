// Preference pairs whose sides are messages or conversations: where the prompt, the chosen answer and
// the rejected answer are in a record, read off the user records so a safety pair is written in the
// same places and forms. The shapes, from their public documentation:
// - OpenAI preference fine-tuning: `input.messages`, `preferred_output` / `non_preferred_output` (lists
//   of one assistant message);
// - TRL conversational: `prompt` (messages), `chosen` / `rejected` (lists of assistant messages), or
//   with an implicit prompt (each side the whole conversation);
// - a conversation beside the sides (`messages` or ShareGPT `conversations`, with `chosen` / `rejected`
//   as one message each), and `chosen_messages` / `rejected_messages` with content parts.
// Preference pairs written as text (TRL's string `prompt`/`chosen`/`rejected`) are fields data and are
// not read here. Pure.
import { partText, ROLE_MAP, type Path } from './conversation.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

type MessageRole = 'system' | 'user' | 'assistant' | 'other';

/** A message's role (OpenAI `role` or ShareGPT `from`, any case), or undefined when the value is no message. */
export function messageRole(m: unknown): MessageRole | undefined {
  if (!isObj(m)) return undefined;
  const r = typeof m.role === 'string' ? m.role : typeof m.from === 'string' ? m.from : undefined;
  if (r === undefined) return undefined;
  // the chat roles of every dialect; a tool or function turn is no side of a pair
  const role = ROLE_MAP[r.toLowerCase()];
  return role === 'system' || role === 'user' || role === 'assistant' ? role : 'other';
}

/** Where a message keeps its text: `content` or `value`, a string or content parts. */
function contentKey(m: Obj): 'content' | 'value' {
  return 'content' in m || !('value' in m) ? 'content' : 'value';
}

/** A message's text (its parts' texts joined). */
export function messageText(m: unknown): string {
  if (!isObj(m)) return '';
  const c = m[contentKey(m)];
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => partText(p) ?? '').join('');
  return '';
}

/**
 * A copy of a message with another text, in its own form: a string content stays a string; content
 * parts become the first text part alone, its keys kept (an image or audio part stays with the user's
 * records: injected records are text). Every other key of the message is kept.
 */
export function withMessageText(m: Obj, text: string): Obj {
  const key = contentKey(m);
  const c = m[key];
  const out: Obj = { ...m };
  if (Array.isArray(c)) {
    const part = c.find((p) => partText(p) !== undefined);
    out[key] = isObj(part) ? [{ ...part, ...(typeof part.text === 'string' ? { text } : { value: text }) }] : [{ type: 'text', text }];
  } else out[key] = text;
  return out;
}

/** How one side or the prompt is written: a string, one message, or a list of messages. */
type SlotForm = 'string' | 'message' | 'messages';

export interface PreferenceShape {
  /** `OpenAI preference JSONL`, `TRL conversational`, … */
  label: string;
  /** The prompt's place, or undefined when each side holds the whole conversation (implicit prompt). */
  prompt?: { path: Path; form: SlotForm };
  chosen: { path: Path; form: SlotForm };
  /** Absent for a conversational prompt-completion record (one answer, no pair). */
  rejected?: { path: Path; form: SlotForm };
  evidence: string;
}

function formOf(v: unknown): SlotForm | undefined {
  if (typeof v === 'string') return 'string';
  if (messageRole(v) !== undefined) return 'message';
  if (Array.isArray(v) && v.length > 0 && v.every((m) => messageRole(m) !== undefined)) return 'messages';
  return undefined;
}

const get = (v: unknown, path: Path): unknown =>
  path.reduce<unknown>((o, k) => (isObj(o) || Array.isArray(o) ? (o as Record<string | number, unknown>)[k] : undefined), v);

const CANDIDATES: { label: string; prompt?: Path; chosen: Path; rejected?: Path }[] = [
  {
    label: 'OpenAI preference JSONL (input.messages, preferred_output, non_preferred_output)',
    prompt: ['input', 'messages'],
    chosen: ['preferred_output'],
    rejected: ['non_preferred_output'],
  },
  { label: 'messages with chosen_messages / rejected_messages', prompt: ['messages'], chosen: ['chosen_messages'], rejected: ['rejected_messages'] },
  { label: 'conversational preference pairs (prompt, chosen, rejected)', prompt: ['prompt'], chosen: ['chosen'], rejected: ['rejected'] },
  { label: 'a conversation with chosen and rejected answers (messages, chosen, rejected)', prompt: ['messages'], chosen: ['chosen'], rejected: ['rejected'] },
  { label: 'ShareGPT preference pairs (conversations, chosen, rejected)', prompt: ['conversations'], chosen: ['chosen'], rejected: ['rejected'] },
  { label: 'preference pairs with the prompt in each side (chosen_messages, rejected_messages)', chosen: ['chosen_messages'], rejected: ['rejected_messages'] },
  { label: 'preference pairs with the prompt in each side (chosen, rejected)', chosen: ['chosen'], rejected: ['rejected'] },
  // not a pair: TRL's conversational prompt-completion (and unpaired preference, with a label beside it)
  { label: 'conversational prompt-completion records (prompt, completion: messages)', prompt: ['prompt'], chosen: ['completion'] },
];

/**
 * The preference shape of the records, when at least 90% of them (of at least 5) take one of the
 * known shapes with a side that is a message or a list of messages, the prompt ending with a user
 * message (or, for an implicit prompt, each side a conversation whose last message answers a user).
 */
export function preferenceShape(values: readonly unknown[]): PreferenceShape | undefined {
  const seen = values.slice(0, 2000).filter(isObj);
  if (seen.length < 5) return undefined;
  for (const c of CANDIDATES) {
    let fits = 0;
    let forms: { prompt?: SlotForm; chosen?: SlotForm; rejected?: SlotForm } = {};
    for (const v of seen) {
      const chosen = formOf(get(v, c.chosen));
      const rejected = c.rejected ? formOf(get(v, c.rejected)) : chosen === 'messages' ? 'messages' : undefined;
      if (!chosen || !rejected || (chosen === 'string' && rejected === 'string')) continue;
      let prompt: SlotForm | undefined;
      if (c.prompt) {
        prompt = formOf(get(v, c.prompt));
        if (!prompt) continue;
        if (prompt === 'messages' && lastRole(get(v, c.prompt)) !== 'user') continue;
      } else if (chosen !== 'messages' || rejected !== 'messages' || !answersUser(get(v, c.chosen)) || !c.rejected || !answersUser(get(v, c.rejected)))
        continue;
      fits++;
      forms = { prompt: forms.prompt ?? prompt, chosen: forms.chosen ?? chosen, rejected: forms.rejected ?? rejected };
    }
    if (fits >= 0.9 * seen.length && forms.chosen && forms.rejected) {
      return {
        label: c.label,
        prompt: c.prompt && forms.prompt ? { path: c.prompt, form: forms.prompt } : undefined,
        chosen: { path: c.chosen, form: forms.chosen },
        rejected: c.rejected ? { path: c.rejected, form: forms.rejected } : undefined,
        evidence: `${fits} of ${seen.length} sampled records are ${c.label}`,
      };
    }
  }
  return undefined;
}

function lastRole(list: unknown): MessageRole | undefined {
  return Array.isArray(list) ? messageRole(list.at(-1)) : undefined;
}

/** A conversation whose last message is an assistant's answer to a user message. */
function answersUser(list: unknown): boolean {
  return Array.isArray(list) && list.length >= 2 && messageRole(list.at(-1)) === 'assistant' && messageRole(list.at(-2)) === 'user';
}

/** The prompt of a pair (its last user message's text) and its chosen answer's text. */
export function preferenceExchange(value: unknown, shape: PreferenceShape): { question: string; answer: string; system?: string } | undefined {
  const promptList = shape.prompt ? get(value, shape.prompt.path) : get(value, shape.chosen.path);
  let question: string | undefined;
  let system: string | undefined;
  if (typeof promptList === 'string') question = promptList;
  else {
    const list = Array.isArray(promptList) ? promptList : [promptList];
    const users = list.filter((m) => messageRole(m) === 'user');
    question = users.length ? messageText(users.at(-1)) : undefined;
    const sys = list.find((m) => messageRole(m) === 'system');
    if (sys) system = messageText(sys);
  }
  const side = get(value, shape.chosen.path);
  const answer = typeof side === 'string' ? side : messageText(Array.isArray(side) ? side.at(-1) : side);
  return question === undefined ? undefined : { question, answer, ...(system !== undefined ? { system } : {}) };
}

interface PreferenceWrite {
  request: string;
  chosen: string;
  rejected: string;
}

/**
 * A donor pair rewritten in place (give it a copy): the prompt is the donor's system messages and one user message holding the
 * request (in the donor's last user message's form); each side answers it in the donor side's own
 * form (its last assistant message's keys and content form). Undefined when the donor does not take
 * the shape.
 */
export function rewritePreference(value: unknown, shape: PreferenceShape, w: PreferenceWrite): Obj | undefined {
  if (!isObj(value)) return undefined;
  const tree = value;
  const set = (path: Path, v: unknown) => {
    const parent = get(tree, path.slice(0, -1));
    if (!isObj(parent)) return false;
    parent[path.at(-1) as string] = v;
    return true;
  };
  const promptOf = (list: unknown[]): unknown[] | undefined => {
    const user = [...list].reverse().find((m) => messageRole(m) === 'user');
    if (!isObj(user)) return undefined;
    const systems = list.filter((m, i) => messageRole(m) === 'system' && list.slice(0, i).every((x) => messageRole(x) === 'system'));
    return [...systems, withMessageText(user, w.request)];
  };
  const answerIn = (side: unknown, text: string): unknown => {
    if (typeof side === 'string') return text;
    if (isObj(side)) return withMessageText(side, text);
    if (!Array.isArray(side)) return undefined;
    const last = side.at(-1);
    if (!isObj(last) || messageRole(last) !== 'assistant') return undefined;
    if (shape.prompt) return [withMessageText(last, text)];
    // an implicit prompt: the side is the whole conversation
    const prompt = promptOf(side.slice(0, -1));
    return prompt ? [...prompt, withMessageText(last, text)] : undefined;
  };
  if (shape.prompt) {
    const p = get(tree, shape.prompt.path);
    if (typeof p === 'string') set(shape.prompt.path, w.request);
    else if (Array.isArray(p)) {
      const prompt = promptOf(p);
      if (!prompt) return undefined;
      set(shape.prompt.path, prompt);
    } else if (messageRole(p) === 'user') set(shape.prompt.path, withMessageText(p as Obj, w.request));
    else return undefined;
  }
  const chosen = answerIn(get(tree, shape.chosen.path), w.chosen);
  const rejected = shape.rejected ? answerIn(get(tree, shape.rejected.path), w.rejected) : undefined;
  if (chosen === undefined || (shape.rejected && rejected === undefined)) return undefined;
  set(shape.chosen.path, chosen);
  if (shape.rejected) set(shape.rejected.path, rejected);
  return tree;
}
