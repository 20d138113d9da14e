// Per-dialect checks of one parsed record. For openai-chat, a superset of the OpenAI cookbook's
// format checks that is correct for tool-calling files; for the other dialects, their zod schema.
// Pure: returns issues, each naming the field and saying what to do.
import { messageRole, messageText } from './preference.js';
import type { ErrorCode } from '../errors.js';
import { dialectSchemas, type Dialect } from './dialects.js';

type ValidationCode =
  | 'data_type'
  | 'missing_messages_list'
  | 'message_missing_key'
  | 'message_unrecognized_key'
  | 'unrecognized_role'
  | 'missing_content'
  | 'example_missing_assistant_message'
  | 'preference_pair'
  | 'tool_call_invalid'
  | 'tool_call_arguments_invalid'
  | 'tool_message_missing_id'
  | 'tool_call_id_unknown'
  | 'tools_invalid'
  | 'weight_invalid'
  | 'dialect_mismatch'
  | 'too_many_tokens'
  | 'schema'
  | ErrorCode;

export interface ValidationIssue {
  code: ValidationCode;
  severity: 'error' | 'warning';
  field: string;
  message: string;
  hint: string;
}

const OPENAI_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/** A role as OpenAI names it: any case, and Cohere's `Chatbot` for the assistant. */
function canonicalRole(role: string): string {
  const r = role.toLowerCase();
  return r === 'chatbot' ? 'assistant' : r;
}
// reasoning_content: a reasoning model's trace beside the answer (DeepSeek's API and the fine-tuning formats built on it)
// loss_weight: the per-turn training weight some trainers use in place of weight
const OPENAI_MESSAGE_KEYS = new Set([
  'role',
  'content',
  'name',
  'function_call',
  'weight',
  'loss_weight',
  'tool_calls',
  'tool_call_id',
  'refusal',
  'reasoning_content',
]);
const OPENAI_RECORD_KEYS = new Set(['messages', 'tools', 'functions', 'parallel_tool_calls']);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function validateRecord(dialect: Dialect, value: unknown): ValidationIssue[] {
  if (dialect === 'openai-chat') return plainOpenaiChat(value) ? [] : validateOpenaiChat(value);
  // plain fields: any object is one (what the schema says, without building a parse result per record)
  if (dialect === 'fields' && isObject(value)) return [];
  const result = dialectSchemas[dialect].safeParse(value);
  if (result.success) return dialect === 'sharegpt' ? validateSharegptRoles(value) : [];
  return result.error.issues.slice(0, 5).map((issue) => ({
    code: 'schema' as const,
    severity: 'error' as const,
    field: formatPath(issue.path),
    message: issue.message,
    hint: `make the record a valid ${dialect} record (see the README's dialect table), or choose another --format`,
  }));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** A record with a chosen and a rejected side (a preference pair), whatever else it holds. */
function isPreferencePair(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return (
    keys.some((k) => /^(?:chosen|preferred|chosen_messages|preferred_output)$/i.test(k)) &&
    keys.some((k) => /^(?:rejected|dispreferred|rejected_messages|non_preferred_output)$/i.test(k))
  );
}

/** What is wrong with a preference pair's sides (each must end with an assistant answer with text), if anything. */
function preferencePairIssue(value: unknown): { field: string; message: string } | undefined {
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  for (const key of [
    keys.find((k) => /^(?:chosen|preferred|chosen_messages|preferred_output)$/i.test(k)),
    keys.find((k) => /^(?:rejected|dispreferred|rejected_messages|non_preferred_output)$/i.test(k)),
  ]) {
    if (key === undefined) continue;
    const v = o[key];
    const answer =
      typeof v === 'string'
        ? v
        : Array.isArray(v)
          ? messageRole(v.at(-1)) === 'assistant'
            ? messageText(v.at(-1))
            : ''
          : messageRole(v) === 'assistant'
            ? messageText(v)
            : '';
    if (!answer.trim()) return { field: key, message: `a preference pair whose "${key}" side holds no assistant answer with text` };
  }
  return undefined;
}

const SHAREGPT_ROLES = new Set(['human', 'gpt', 'user', 'assistant', 'system', 'function_call', 'observation', 'tool', 'function']);

function validateSharegptRoles(value: unknown): ValidationIssue[] {
  const turns = (value as { conversations: { from: string }[] }).conversations;
  const issues: ValidationIssue[] = [];
  turns.forEach((t, i) => {
    if (!SHAREGPT_ROLES.has(t.from))
      issues.push({
        code: 'unrecognized_role',
        severity: 'error',
        field: `conversations[${i}].from`,
        message: `unknown role "${t.from}"`,
        hint: 'use human, gpt, system, function_call or observation',
      });
  });
  if (!turns.some((t) => t.from === 'gpt' || t.from === 'assistant') && isPreferencePair(value)) {
    // a preference pair: the answers are in its sides
    const p = preferencePairIssue(value);
    if (p)
      issues.push({
        code: 'preference_pair',
        severity: 'error',
        field: p.field,
        message: p.message,
        hint: 'end each side with a {"from": "gpt", "value": ...} answer',
      });
  } else if (!turns.some((t) => t.from === 'gpt' || t.from === 'assistant'))
    issues.push({
      code: 'example_missing_assistant_message',
      severity: 'error',
      field: 'conversations',
      message: 'no gpt turn: nothing to train on',
      hint: 'add the answer as a {"from": "gpt", "value": ...} turn',
    });
  return issues;
}

/**
 * The common chat record, told without building anything: only "messages", each message only a
 * system, developer, user or assistant role and non-empty text, and an assistant turn. Such a record
 * has no issue at all (validateOpenaiChat finds none); anything else is checked in full.
 */
function plainOpenaiChat(value: unknown): boolean {
  if (!isObject(value)) return false;
  const messages = value.messages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (const key in value) if (key !== 'messages') return false;
  let hasAssistant = false;
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    if (!isObject(m)) return false;
    for (const key in m) if (key !== 'role' && key !== 'content') return false;
    const role = m.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'developer') return false;
    if (typeof m.content !== 'string' || m.content.length === 0) return false;
    if (role === 'assistant') hasAssistant = true;
  }
  return hasAssistant;
}

function validateOpenaiChat(value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (code: ValidationCode, field: string, message: string, hint: string, severity: 'error' | 'warning' = 'error') =>
    issues.push({ code, severity, field, message, hint });
  if (!isObject(value)) {
    add('data_type', '', 'the record is not a JSON object', 'each record must be an object with a "messages" list');
    return issues;
  }
  const messages = value.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    add(
      'missing_messages_list',
      'messages',
      Array.isArray(messages) ? 'the "messages" list is empty' : 'no "messages" list',
      'give the conversation as "messages": [{"role": ..., "content": ...}, ...]',
    );
    return issues;
  }
  for (const key of Object.keys(value)) {
    if (!OPENAI_RECORD_KEYS.has(key))
      add('message_unrecognized_key', key, `unrecognized top-level key "${key}"`, 'remove it: the fine-tuning API rejects unknown keys', 'warning');
  }
  const toolNames = new Set<string>();
  if (value.tools !== undefined) {
    // tools may be a list, or that list written as a JSON string (as some exports store it)
    let tools: unknown = value.tools;
    if (typeof tools === 'string') {
      try {
        tools = JSON.parse(tools);
      } catch {
        tools = undefined;
      }
    }
    if (!Array.isArray(tools))
      add(
        'tools_invalid',
        'tools',
        typeof value.tools === 'string' ? '"tools" is a string that does not hold a JSON list' : '"tools" is not a list',
        'give tools as a list of {"type": "function", "function": {"name": ..., "parameters": ...}}, or that list written as a JSON string',
      );
    else
      tools.forEach((t, i) => {
        const fn = isObject(t) ? t.function : undefined;
        if (!isObject(t) || t.type !== 'function' || !isObject(fn) || typeof fn.name !== 'string')
          add('tools_invalid', `tools[${i}]`, 'tool definition is not {"type": "function", "function": {"name": ...}}', 'fix the tool definition');
        else toolNames.add(fn.name);
      });
  }
  const callIds = new Set<string>();
  let hasAssistant = false;
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    if (!isObject(m)) {
      add('data_type', at, 'the message is not an object', 'each message must be {"role": ..., "content": ...}');
      return;
    }
    for (const key of Object.keys(m)) {
      if (!OPENAI_MESSAGE_KEYS.has(key))
        add(
          'message_unrecognized_key',
          `${at}.${key}`,
          `unrecognized message key "${key}"`,
          'remove it, or rename it to one of role, content, name, weight, loss_weight, tool_calls, tool_call_id, reasoning_content',
        );
    }
    if (typeof m.role !== 'string') {
      add('message_missing_key', `${at}.role`, 'the message has no "role"', 'add "role": "system", "user", "assistant" or "tool"');
      return;
    }
    // role names in any case, and Cohere's Chatbot (System/User/Chatbot)
    const role = canonicalRole(m.role);
    if (!OPENAI_ROLES.has(role)) add('unrecognized_role', `${at}.role`, `unrecognized role "${m.role}"`, 'use system, user, assistant or tool');
    const hasCalls = role === 'assistant' && (m.tool_calls !== undefined || m.function_call !== undefined);
    if (role === 'assistant') hasAssistant = true;
    if (!('content' in m)) {
      if (!hasCalls) add('message_missing_key', `${at}.content`, 'the message has no "content"', 'add the message text as "content"');
    } else if (m.content === null) {
      if (!hasCalls)
        add('missing_content', `${at}.content`, '"content" is null', 'give the message text, or tool_calls for an assistant turn that calls a tool');
    } else if (typeof m.content === 'string') {
      if (m.content.length === 0 && !hasCalls) add('missing_content', `${at}.content`, '"content" is empty', 'give the message text, or remove the turn');
    } else if (!Array.isArray(m.content) || !m.content.every((p) => isObject(p) && typeof p.type === 'string')) {
      add('missing_content', `${at}.content`, '"content" is neither text nor a list of content parts', 'give "content" as a string');
    }
    if (m.weight !== undefined && (role !== 'assistant' || (m.weight !== 0 && m.weight !== 1)))
      add(
        'weight_invalid',
        `${at}.weight`,
        `"weight" must be 0 or 1 and only on assistant turns (found ${JSON.stringify(m.weight)} on ${m.role})`,
        'set weight to 0 or 1 on an assistant turn, or remove it',
      );
    if (m.tool_calls !== undefined) {
      if (role !== 'assistant' || !Array.isArray(m.tool_calls))
        add('tool_call_invalid', `${at}.tool_calls`, '"tool_calls" must be a list on an assistant turn', 'move the calls to an assistant turn as a list');
      else
        m.tool_calls.forEach((c, j) => {
          const f = isObject(c) ? c.function : undefined;
          const where = `${at}.tool_calls[${j}]`;
          if (
            !isObject(c) ||
            typeof c.id !== 'string' ||
            (c.type !== undefined && c.type !== 'function') ||
            !isObject(f) ||
            typeof f.name !== 'string' ||
            typeof f.arguments !== 'string'
          ) {
            add(
              'tool_call_invalid',
              where,
              'a tool call must be {"id": ..., "type": "function", "function": {"name": ..., "arguments": "<JSON string>"}}',
              'fix the tool call',
            );
            return;
          }
          callIds.add(c.id);
          try {
            JSON.parse(f.arguments as string);
          } catch {
            add(
              'tool_call_arguments_invalid',
              `${where}.function.arguments`,
              'the arguments are not a JSON string',
              'give the arguments as a JSON object serialised to a string',
            );
          }
          if (toolNames.size > 0 && !toolNames.has(f.name as string))
            add(
              'tool_call_invalid',
              `${where}.function.name`,
              `calls "${String(f.name)}", which "tools" does not define`,
              'define the tool in "tools" or fix the name',
              'warning',
            );
        });
    }
    if (role === 'tool') {
      if (typeof m.tool_call_id !== 'string')
        add('tool_message_missing_id', `${at}.tool_call_id`, 'a tool turn has no "tool_call_id"', 'add the id of the assistant tool call this answers');
      else if (!callIds.has(m.tool_call_id))
        add(
          'tool_call_id_unknown',
          `${at}.tool_call_id`,
          `"${m.tool_call_id}" answers no earlier tool call`,
          'use the id of a tool call made in an earlier assistant turn',
        );
    }
  });
  if (!hasAssistant && isPreferencePair(value)) {
    // a preference pair: the answers are in its sides
    const p = preferencePairIssue(value);
    if (p) add('preference_pair', p.field, p.message, 'end each side with an assistant message that has text');
  } else if (!hasAssistant)
    add('example_missing_assistant_message', 'messages', 'no assistant turn: nothing to train on', 'add the answer as an assistant turn');
  return issues;
}
