// A dialect-independent view of a record as a conversation: the system prompt and the turns, each
// with its normalised role, its text and the path of that text inside the record (so the renderer
// can write a new text back in place). Pure.
import type { Dialect } from './dialects.js';

export type Role = 'system' | 'user' | 'assistant' | 'tool_call' | 'tool';
export type Path = (string | number)[];

/** `messages[1].content` */
export function displayPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export interface Turn {
  role: Role;
  /** The role as the file spells it (`human`, `gpt`, `model`, `function_call`, …). */
  sourceRole: string;
  text: string;
  path: Path;
  /** Ordinal of this role within the record, 1-based: user#1, assistant#2, … */
  ordinal: number;
}

export interface Conversation {
  system?: { text: string; path: Path };
  turns: Turn[];
  /** Tool names defined by the record (openai `tools`, ShareGPT `tools` JSON string). */
  tools: string[];
}

export const ROLE_MAP: Record<string, Role> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  gpt: 'assistant',
  model: 'assistant',
  bot: 'assistant',
  chatbot: 'assistant',
  function_call: 'tool_call',
  tool: 'tool',
  function: 'tool',
  observation: 'tool',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Part types that hold a turn's reasoning, not its text (`{type: "thinking", thinking}`, `{type: "reasoning", text}`). */
export const REASONING_PART = /^(?:thinking|redacted_thinking|reasoning|reasoning_text|thought)$/;

/** The text of a content part: OpenAI's `{type: "text", text}`, or `{type: "text", value}` as some trainers write it; never a reasoning part's. */
export function partText(p: unknown): string | undefined {
  if (!isObj(p)) return undefined;
  if (typeof p.type === 'string' && REASONING_PART.test(p.type)) return undefined;
  if (typeof p.text === 'string') return p.text;
  if (typeof p.value === 'string' && (p.type === undefined || p.type === 'text')) return p.value;
  return undefined;
}

function partsText(parts: unknown): string {
  if (typeof parts === 'string') return parts;
  if (!Array.isArray(parts)) return '';
  return parts.map((p) => partText(p) ?? '').join('');
}

/** Path of the text inside a content value: the string itself, or the first text part (its `text` or `value`). */
function contentPath(content: unknown, base: Path): Path {
  if (Array.isArray(content)) {
    const i = content.findIndex((p) => partText(p) !== undefined);
    const part = content[i < 0 ? 0 : i];
    return [...base, i < 0 ? 0 : i, isObj(part) && typeof part.text !== 'string' && typeof part.value === 'string' ? 'value' : 'text'];
  }
  return base;
}

/** A tool a record declares: its name and its parameters' JSON schema (an object schema, or none). */
export interface DeclaredTool {
  name: string;
  description?: string;
  parameters?: Obj;
}

/** The tools of a `tools` (or legacy `functions`) list: `[{type: "function", function}]` or `[{name, …}]`, or either as a JSON string. */
export function declaredTools(tools: unknown): DeclaredTool[] {
  let list = tools;
  if (typeof tools === 'string') {
    try {
      list = JSON.parse(tools);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  const out: DeclaredTool[] = [];
  for (const t of list) {
    const f = isObj(t) && isObj(t.function) ? t.function : t;
    if (!isObj(f) || typeof f.name !== 'string') continue;
    out.push({
      name: f.name,
      ...(typeof f.description === 'string' ? { description: f.description } : {}),
      ...(isObj(f.parameters) ? { parameters: f.parameters } : {}),
    });
  }
  return out;
}

const toolNames = (tools: unknown): string[] => declaredTools(tools).map((t) => t.name);

/** The conversation view of a record, or undefined for `fields` and `text` records. */
export function conversationOf(dialect: Dialect, value: unknown): Conversation | undefined {
  if (!isObj(value)) return undefined;
  const turns: Omit<Turn, 'ordinal'>[] = [];
  let system: Conversation['system'];
  let tools: string[] = [];
  switch (dialect) {
    case 'openai-chat': {
      const messages = Array.isArray(value.messages) ? value.messages : [];
      messages.forEach((m, i) => {
        if (!isObj(m)) return;
        const role = ROLE_MAP[String(m.role).toLowerCase()] ?? 'user';
        const hasCalls = m.tool_calls !== undefined && (m.content === null || m.content === undefined || m.content === '');
        const turn = {
          role: hasCalls ? ('tool_call' as const) : role,
          sourceRole: String(m.role),
          text: hasCalls ? JSON.stringify(m.tool_calls) : partsText(m.content),
          path: contentPath(m.content, ['messages', i, 'content']),
        };
        if (role === 'system' && system === undefined && turns.length === 0) system = { text: turn.text, path: turn.path };
        else turns.push(turn);
      });
      tools = toolNames(value.tools);
      break;
    }
    case 'sharegpt': {
      const conv = Array.isArray(value.conversations) ? value.conversations : [];
      conv.forEach((m, i) => {
        if (!isObj(m)) return;
        const role = ROLE_MAP[String(m.from)] ?? 'user';
        const turn = { role, sourceRole: String(m.from), text: String(m.value ?? ''), path: ['conversations', i, 'value'] as Path };
        if (role === 'system' && system === undefined && turns.length === 0) system = { text: turn.text, path: turn.path };
        else turns.push(turn);
      });
      if (typeof value.system === 'string') system = { text: value.system, path: ['system'] };
      tools = toolNames(value.tools);
      break;
    }
    case 'alpaca': {
      if (typeof value.system === 'string') system = { text: value.system, path: ['system'] };
      if (Array.isArray(value.history))
        value.history.forEach((pair, i) => {
          if (!Array.isArray(pair)) return;
          turns.push({ role: 'user', sourceRole: 'history', text: String(pair[0] ?? ''), path: ['history', i, 0] });
          turns.push({ role: 'assistant', sourceRole: 'history', text: String(pair[1] ?? ''), path: ['history', i, 1] });
        });
      turns.push({ role: 'user', sourceRole: 'instruction', text: String(value.instruction ?? ''), path: ['instruction'] });
      turns.push({ role: 'assistant', sourceRole: 'output', text: String(value.output ?? ''), path: ['output'] });
      break;
    }
    case 'prompt-completion':
      turns.push({ role: 'user', sourceRole: 'prompt', text: String(value.prompt ?? ''), path: ['prompt'] });
      turns.push({ role: 'assistant', sourceRole: 'completion', text: String(value.completion ?? ''), path: ['completion'] });
      break;
    case 'gemini': {
      if (isObj(value.systemInstruction)) system = { text: partsText(value.systemInstruction.parts), path: ['systemInstruction', 'parts', 0, 'text'] };
      const contents = Array.isArray(value.contents) ? value.contents : [];
      contents.forEach((c, i) => {
        if (!isObj(c)) return;
        turns.push({
          role: ROLE_MAP[String(c.role)] ?? 'user',
          sourceRole: String(c.role),
          text: partsText(c.parts),
          path: contentPath(c.parts, ['contents', i, 'parts']),
        });
      });
      break;
    }
    case 'bedrock-converse':
    case 'bedrock-claude': {
      if (typeof value.system === 'string') system = { text: value.system, path: ['system'] };
      else if (Array.isArray(value.system)) system = { text: partsText(value.system), path: ['system', 0, 'text'] };
      const messages = Array.isArray(value.messages) ? value.messages : [];
      messages.forEach((m, i) => {
        if (!isObj(m)) return;
        turns.push({
          role: ROLE_MAP[String(m.role).toLowerCase()] ?? 'user',
          sourceRole: String(m.role),
          text: partsText(m.content),
          path: contentPath(m.content, ['messages', i, 'content']),
        });
      });
      break;
    }
    default:
      return undefined;
  }
  const counts = new Map<Role, number>();
  const numbered = turns.map((t) => {
    const ordinal = (counts.get(t.role) ?? 0) + 1;
    counts.set(t.role, ordinal);
    // built key by key: a spread here was a measurable share of rendering every safety record
    return { role: t.role, sourceRole: t.sourceRole, text: t.text, path: t.path, ordinal };
  });
  return { system, turns: numbered, tools };
}

/** The role sequence of a conversation as the file spells its roles: `system,user,assistant`. */
export function roleSequence(c: Conversation): string {
  return [...(c.system ? ['system'] : []), ...c.turns.map((t) => t.sourceRole)].join(',');
}

/** `user#1`: the key that groups the same turn across records. */
export function slotKey(turn: Pick<Turn, 'role' | 'ordinal'>): string {
  return `${turn.role}#${turn.ordinal}`;
}

export function getPath(value: unknown, path: Path): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** Sets a value at a path inside a (cloned) record. */
export function setPath(value: unknown, path: Path, next: unknown): void {
  let v = value as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) v = v[path[i]!] as Record<string | number, unknown>;
  v[path[path.length - 1]!] = next;
}
