// A benign tool round written for an injected tool-calling conversation: a harmless user request, the
// assistant's call of one of the record's declared tools, the tool's result and the assistant's reply,
// as a model endpoint writes them (the offline engine has no way to write tool arguments and results
// that fit a tool it has never seen). Here: the tools a record declares with their parameter schemas,
// the check of a written round against them, and the round's messages, each made from the donor's
// own message of its kind so every key the data carries (`weight`, `name`, `content: null`) is kept.
// Pure.
import { newId, trailingNumber } from './ids.js';
import { declaredTools as declaredToolList, type DeclaredTool } from '../profile/conversation.js';

export type { DeclaredTool };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A round as the model writes it. */
export interface ToolRound {
  user: string;
  tool: string;
  arguments: Obj;
  result: unknown;
  reply: string;
}

/** The tools of an OpenAI-style record (`tools`, or legacy `functions`). */
export function declaredTools(record: unknown): DeclaredTool[] {
  return isObj(record) ? declaredToolList(record.tools ?? record.functions) : [];
}

/** What is wrong with a value against a (small subset of) JSON Schema: type, enum, required and known properties. */
function schemaProblem(value: unknown, schema: unknown, at: string): string | undefined {
  if (!isObj(schema)) return undefined;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    return `${at} must be one of ${JSON.stringify(schema.enum)}`;
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === 'string');
  if (types.length) {
    const fits = (t: string) =>
      t === 'null'
        ? value === null
        : t === 'integer'
          ? Number.isInteger(value)
          : t === 'number'
            ? typeof value === 'number'
            : t === 'array'
              ? Array.isArray(value)
              : t === 'object'
                ? isObj(value)
                : typeof value === t;
    if (!types.some(fits)) return `${at} must be ${types.join(' or ')}`;
  }
  if (isObj(value) && isObj(schema.properties)) {
    const props = schema.properties;
    for (const key of Array.isArray(schema.required) ? schema.required : [])
      if (typeof key === 'string' && !(key in value)) return `${at} lacks the required "${key}"`;
    for (const [key, v] of Object.entries(value)) {
      if (!(key in props)) {
        if (schema.additionalProperties === false) return `${at} has "${key}", which the tool does not take`;
        continue;
      }
      const p = schemaProblem(v, props[key], `${at}.${key}`);
      if (p) return p;
    }
  }
  if (Array.isArray(value) && isObj(schema.items))
    for (const [i, v] of value.entries()) {
      const p = schemaProblem(v, schema.items, `${at}[${i}]`);
      if (p) return p;
    }
  return undefined;
}

/**
 * The round the model wrote, checked: every text present, the tool one the record declares, its
 * arguments fitting the tool's schema. `error` is said back to the model.
 */
export function checkToolRound(value: unknown, tools: DeclaredTool[]): { round: ToolRound } | { error: string } {
  const names = tools.map((t) => t.name);
  const shape = `{"user": "…", "tool": one of ${JSON.stringify(names)}, "arguments": {…}, "result": …, "reply": "…"}`;
  if (!isObj(value)) return { error: `"before" must be an object ${shape}` };
  for (const key of ['user', 'reply'] as const)
    if (typeof value[key] !== 'string' || !(value[key] as string).trim()) return { error: `"before.${key}" must be a non-empty string` };
  const tool = tools.find((t) => t.name === value.tool);
  if (!tool) return { error: `"before.tool" must name one of the record's tools: ${JSON.stringify(names)}` };
  if (!isObj(value.arguments)) return { error: '"before.arguments" must be a JSON object of the arguments' };
  const problem = schemaProblem(value.arguments, tool.parameters ?? {}, 'before.arguments');
  if (problem) return { error: `${problem} (the parameters of ${tool.name})` };
  if (value.result === undefined || value.result === null || value.result === '') return { error: '"before.result" must hold what the tool returns' };
  return {
    round: { user: (value.user as string).trim(), tool: tool.name, arguments: value.arguments, result: value.result, reply: (value.reply as string).trim() },
  };
}

/** A donor message's own reasoning: never carried into a round written for the record. */
const PRIVATE_KEYS = ['reasoning_content', 'reasoning', 'thinking'];

/** The role of an OpenAI message, lower-cased. */
const roleOf = (m: unknown) => (isObj(m) ? String(m.role).toLowerCase() : '');

/**
 * The round's four messages, each the donor's message of its kind (taken from `list`, a fresh copy
 * of the donor's messages that this changes) (the first assistant
 * message with `tool_calls`, the tool message after it, the assistant reply after the tool
 * messages, and the given user message), with the round's texts and a new call id in the donor's id
 * pattern. Undefined when the donor has no tool call to take the form from.
 */
export function toolRoundMessages(list: unknown[], user: Obj, round: ToolRound, ordinal: number, random: () => number): unknown[] | undefined {
  const callAt = list.findIndex((m) => roleOf(m) === 'assistant' && isObj(m) && Array.isArray(m.tool_calls) && m.tool_calls.length > 0);
  if (callAt < 0) return undefined;
  const donorCall = list[callAt] as Obj;
  const firstCall = (donorCall.tool_calls as unknown[])[0];
  if (!isObj(firstCall)) return undefined;
  let toolAt = callAt + 1;
  while (toolAt < list.length && roleOf(list[toolAt]) !== 'tool') toolAt++;
  const donorTool = list[toolAt];
  let replyAt = toolAt + 1;
  while (replyAt < list.length && !(roleOf(list[replyAt]) === 'assistant' && isObj(list[replyAt]) && typeof (list[replyAt] as Obj).content === 'string'))
    replyAt++;
  const donorReply = list[replyAt];
  if (!isObj(donorTool) || !isObj(donorReply)) return undefined;
  // the donor's call said something besides calling: that text is the donor's own, and no round has it
  if (typeof donorCall.content === 'string' && donorCall.content.trim()) return undefined;
  // the list is the donor's fresh tree (lossless numbers kept): its messages are changed in place
  const withoutReasoning = <T>(v: T): T => {
    if (isObj(v)) for (const k of PRIVATE_KEYS) delete v[k];
    return v;
  };
  const id = typeof firstCall.id === 'string' ? String(newId(firstCall.id, trailingNumber(firstCall.id), ordinal + 1, random)) : undefined;
  const call = firstCall;
  if (id !== undefined) call.id = id;
  const fn = isObj(call.function) ? call.function : call;
  fn.name = round.tool;
  fn.arguments = typeof (isObj(firstCall.function) ? firstCall.function : firstCall).arguments === 'string' ? JSON.stringify(round.arguments) : round.arguments;
  const assistant = withoutReasoning(donorCall);
  assistant.tool_calls = [call];
  const tool = withoutReasoning(donorTool);
  if ('tool_call_id' in tool && id !== undefined) tool.tool_call_id = id;
  if ('name' in tool) tool.name = round.tool;
  tool.content = typeof round.result === 'string' ? round.result : JSON.stringify(round.result);
  const reply = withoutReasoning(donorReply);
  reply.content = round.reply;
  return [{ ...user, content: round.user }, assistant, tool, reply];
}
