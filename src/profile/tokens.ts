// Token counts of records with a real tokenizer (o200k_base, offline: o200k.ts).
// For openai-chat it follows the OpenAI cookbook's per-message accounting; other dialects count
// the tokens of every string in the record plus 3 per turn, an estimate of the chat-formatted size.
// Special-token text in the data (`<|endoftext|>`, `<|im_start|>`, `<|fim_suffix|>`) is counted as
// the ordinary text it is: a trainer's tokenizer encodes user text that way, and the tokenizer's
// default (throwing on it) would stop any command on such a record.
// Counts come from a compact vocabulary (o200k.ts: about 5 MB, 35-50 ms to load, loaded on the first
// count), the same counts as gpt-tokenizer's.
import type { Dialect } from './dialects.js';
import { o200kCounter } from './o200k.js';

function countTokens(text: string): number {
  return o200kCounter().count(text);
}

/** The context limit the OpenAI fine-tuning docs warn about. */
export const TOKEN_LIMIT = 16_385;

export function countTextTokens(text: string): number {
  return countTokens(text);
}

export function countRecordTokens(dialect: Dialect, value: unknown): number {
  if (dialect === 'openai-chat' && value !== null && typeof value === 'object' && Array.isArray((value as { messages?: unknown }).messages)) {
    let n = 3;
    for (const m of (value as { messages: unknown[] }).messages) {
      n += 3;
      if (m !== null && typeof m === 'object') {
        for (const [k, v] of Object.entries(m)) {
          if (typeof v === 'string') n += countTokens(v) + (k === 'name' ? 1 : 0);
          else if (v !== null && typeof v === 'object') n += countTokens(JSON.stringify(v));
        }
      }
    }
    return n;
  }
  let n = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') n += countTokens(v);
    else if (Array.isArray(v)) for (const x of v) (walk(x), (n += 3));
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(value);
  return n;
}

/**
 * Tokens never exceed UTF-8 bytes (every token covers at least one byte), and a record's raw bytes
 * exceed its text bytes plus the per-turn overhead: a record under the limit in bytes cannot be over it
 * in tokens, so only larger records need an exact count.
 */
export function mayExceedTokenLimit(rawBytes: number, limit = TOKEN_LIMIT): boolean {
  return rawBytes > limit;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
