// The strings of a record the covert-encoding detector reads (its text unit): a chat's system prompt
// and turns, the strings inside its tool calls and their results, or any record's string fields.
import type { TextUnit } from '../encoding/index.js';
import { conversationOf } from './conversation.js';
import type { Dialect } from './dialects.js';

/** The strings inside a tool call or result (its JSON read, arguments given as a JSON string too). */
function toolStrings(text: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'string') {
      const inner = depth < 6 && /^\s*[[{]/.test(v) ? parsed(v) : undefined;
      if (inner !== undefined) walk(inner, depth + 1);
      else if (v.length >= 8) out.push(v);
    } else if (depth < 6 && v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(text, 0);
  return out;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The strings of a record that could carry an encoding: its system prompt and turns (the strings
 * inside tool calls and their results too), or its string fields.
 */
export function textUnitOf(dialect: Dialect, index: number, value: unknown): TextUnit {
  const conv = conversationOf(dialect, value);
  if (conv)
    return {
      record: index,
      texts: [
        ...(conv.system ? [conv.system.text] : []),
        ...conv.turns.flatMap((t) =>
          t.role === 'user' || t.role === 'assistant' ? [t.text] : t.role === 'tool_call' || t.role === 'tool' ? toolStrings(t.text) : [],
        ),
      ],
    };
  const texts: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'string') texts.push(v);
    else if (depth < 3 && v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
  return { record: index, texts };
}
