// The fine-tuning dialects safemix understands: one zod schema each, a cheap structural
// classifier for one record, and detection over a sample with evidence and a confidence.
import { z } from 'zod';
import type { Container } from '../read/types.js';

import { DIALECTS, type Dialect } from './dialect-names.js';
export { DIALECTS, type Dialect };
export const DialectSchema = z.enum(DIALECTS);

const text = z.string();

const openaiMessageSchema = z.looseObject({
  // any case, and Cohere's Chatbot (System/User/Chatbot)
  role: z.preprocess(
    (v) => (typeof v === 'string' ? (v.toLowerCase() === 'chatbot' ? 'assistant' : v.toLowerCase()) : v),
    z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  ),
  content: z.union([text, z.null(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  name: z.string().optional(),
  weight: z.union([z.literal(0), z.literal(1)]).optional(),
  tool_calls: z
    .array(z.looseObject({ id: z.string(), type: z.literal('function'), function: z.looseObject({ name: z.string(), arguments: z.string() }) }))
    .optional(),
  tool_call_id: z.string().optional(),
});

/** One schema per dialect: what a record of that dialect must hold. */
export const dialectSchemas = {
  'openai-chat': z.looseObject({ messages: z.array(openaiMessageSchema).min(1), tools: z.array(z.looseObject({ type: z.string() })).optional() }),
  // text, or TRL's conversational form: lists of role/content messages
  'prompt-completion': z.union([
    z.looseObject({ prompt: text, completion: text }),
    z.looseObject({ prompt: z.array(openaiMessageSchema).min(1), completion: z.array(openaiMessageSchema).min(1) }),
  ]),
  alpaca: z.looseObject({
    instruction: text,
    input: text.optional(),
    output: text,
    system: text.optional(),
    history: z.array(z.tuple([text, text])).optional(),
  }),
  sharegpt: z.looseObject({
    conversations: z.array(z.looseObject({ from: z.string(), value: text })).min(1),
    system: text.optional(),
    tools: z.union([text, z.array(z.unknown())]).optional(),
  }),
  gemini: z.looseObject({
    contents: z.array(z.looseObject({ role: z.enum(['user', 'model']), parts: z.array(z.looseObject({ text: text.optional() })).min(1) })).min(1),
    systemInstruction: z.looseObject({ parts: z.array(z.looseObject({ text })) }).optional(),
  }),
  'bedrock-converse': z.looseObject({
    schemaVersion: z.literal('bedrock-conversation-2024'),
    system: z.array(z.looseObject({ text })).optional(),
    messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.array(z.looseObject({ text: text.optional() })).min(1) })).min(1),
  }),
  'bedrock-claude': z.looseObject({
    system: text.optional(),
    messages: z
      .array(
        z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([text, z.array(z.looseObject({ type: z.string(), text: text.optional() }))]) }),
      )
      .min(1),
  }),
  text: z.looseObject({ text }),
  fields: z.record(z.string(), z.unknown()),
} satisfies Record<Dialect, z.ZodType>;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The dialect a single record's shape points to (structure only; the schema validates details). */
export function classifyRecord(value: unknown, container: Container): Dialect | undefined {
  if (!isObject(value)) return undefined;
  if (container === 'csv' || container === 'tsv') return 'fields';
  if (Array.isArray(value.messages)) {
    if (value.schemaVersion === 'bedrock-conversation-2024') return 'bedrock-converse';
    const hasSystemTurn = value.messages.some((m) => isObject(m) && (m.role === 'system' || m.role === 'developer'));
    if (typeof value.system === 'string' && !hasSystemTurn) return 'bedrock-claude';
    if (Array.isArray(value.system) && !hasSystemTurn) return 'bedrock-converse';
    return 'openai-chat';
  }
  if (Array.isArray(value.contents)) return 'gemini';
  if (Array.isArray(value.conversations)) return 'sharegpt';
  if ('prompt' in value && 'completion' in value) return 'prompt-completion';
  if ('instruction' in value && 'output' in value) return 'alpaca';
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'text' && typeof value.text === 'string') return 'text';
  return 'fields';
}

export interface DialectDetection {
  dialect: Dialect;
  /** Share of the sampled records that have this dialect's shape. */
  confidence: number;
  evidence: string;
  /** Sampled records per dialect. */
  counts: Partial<Record<Dialect, number>>;
  /** Records of other dialects among the sample: index and dialect. */
  outliers: { index: number; dialect: Dialect }[];
}

const EVIDENCE: Record<Dialect, string> = {
  'openai-chat': 'a "messages" list of role/content turns',
  'prompt-completion': '"prompt" and "completion" fields',
  alpaca: '"instruction" and "output" fields',
  sharegpt: 'a "conversations" list of from/value turns',
  gemini: 'a "contents" list of role/parts turns',
  'bedrock-converse': 'schemaVersion "bedrock-conversation-2024" (or a system list) with messages',
  'bedrock-claude': 'a top-level "system" string with a "messages" list',
  text: 'a single "text" field',
  fields: 'plain fields (no chat or instruction shape)',
};

/** Detects the dialect of a sample; `given` (from --format) wins, with confidence still measured. */
export function detectDialect(sample: { index: number; value: unknown }[], container: Container, given?: Dialect): DialectDetection {
  const counts: Partial<Record<Dialect, number>> = {};
  const perRecord: { index: number; dialect: Dialect }[] = [];
  for (const { index, value } of sample) {
    const d = classifyRecord(value, container);
    if (!d) continue;
    counts[d] = (counts[d] ?? 0) + 1;
    perRecord.push({ index, dialect: d });
  }
  let best: Dialect = 'fields';
  let bestCount = 0;
  for (const d of DIALECTS) if ((counts[d] ?? 0) > bestCount) [best, bestCount] = [d, counts[d]!];
  const total = perRecord.length || 1;
  if (container === 'csv' || container === 'tsv') {
    const columns = sample.find((s) => isObject(s.value));
    if (columns && Object.keys(columns.value as object).length === 1) best = 'text';
  }
  const dialect = given ?? best;
  const confidence = (counts[dialect] ?? (dialect === 'text' ? bestCount : 0)) / total;
  const outliers = perRecord.filter((r) => r.dialect !== dialect && !(dialect === 'text' && r.dialect === 'fields'));
  const evidence = given
    ? `given by --format; ${Math.round(confidence * 100)}% of the first ${perRecord.length} records have ${EVIDENCE[dialect]}`
    : `${bestCount} of the first ${perRecord.length} records have ${EVIDENCE[dialect]}`;
  return { dialect, confidence, evidence, counts, outliers };
}
