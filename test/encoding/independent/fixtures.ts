// Recall fixtures built with the independent encoders only (nothing from src/): 1,000-record chat
// datasets whose plain rows and carrier text come from three corpus files (GSM8K, Alpaca, AG News),
// with a share of rows encoded: Phase I rows teach the encoding on harmless text (plaintext and its
// encoding in one record: decode this / encode this / answer then encoded answer) and Phase II rows
// carry only encoded harmless text. Labels (which rows are encoded, which hold a pair) come from how
// each row was built.
import { readFileSync } from 'node:fs';
import { rng, type Variant } from './encoders.js';

const CORPUS = new URL('../../corpus/', import.meta.url);

export interface Carrier {
  request: string;
  response: string;
  source: string;
}

let cached: Carrier[][] | undefined;

/** Request/response pairs from the three corpus files, one list per file. */
export function carriers(): Carrier[][] {
  if (cached) return cached;
  const gsm = readFileSync(new URL('math_gsm8k_test.jsonl', CORPUS), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { question: string; answer: string })
    .map((r) => ({ request: r.question, response: r.answer, source: 'gsm8k' }));
  const alpaca = (
    JSON.parse(readFileSync(new URL('instruct_alpaca_en_demo.json', CORPUS), 'utf8')) as { instruction: string; input?: string; output: string }[]
  ).map((r) => ({
    request: r.input ? `${r.instruction}\n\n${r.input}` : r.instruction,
    response: r.output,
    source: 'alpaca',
  }));
  const news = readFileSync(new URL('topic_agnews_test.tsv', CORPUS), 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => l.split('\t'))
    .map(([text, label]) => ({ request: `Which topic is this news story about?\n\n${text!.replace(/\\/g, ' ')}`, response: label!.trim(), source: 'agnews' }));
  cached = [gsm, alpaca, news];
  return cached;
}

/** Texts to encode: carrier sentences of 60+ letters, cut to about 400 characters at a sentence end. */
function payloads(): string[] {
  const out: string[] = [];
  for (const list of carriers())
    for (const c of list)
      for (const t of [c.request, c.response]) {
        const clean = t
          .replace(/<<[^>]*>>/g, '')
          .replace(/\s+/g, ' ')
          .trim();
        if (clean.replace(/[^a-z]/gi, '').length < 60) continue;
        let cut = clean.slice(0, 400);
        const end = cut.lastIndexOf('. ');
        if (clean.length > 400 && end > 120) cut = cut.slice(0, end + 1);
        out.push(cut);
      }
  return out;
}

let cachedPayloads: string[] | undefined;

/** A short message for hidden-channel families: the first 8 to 14 words. */
function shortMessage(text: string, random: () => number): string {
  const words = text
    .replace(/[^A-Za-z' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  return words.slice(0, 8 + Math.floor(random() * 7)).join(' ');
}

export interface Row {
  value: { messages: { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }[] };
  encoded: boolean;
  /** Phase I: plaintext and its encoding in one record. */
  pair: boolean;
}

/** Where a record's answer goes: the assistant's message, or a tool call's arguments (a JSON string). */
export type Layout = 'chat' | 'tool-call';

/** A chat record: the answer as the assistant's message, or sent through a tool call. */
function chat(user: string, assistant: string, layout: Layout = 'chat'): Row['value'] {
  if (layout === 'chat')
    return {
      messages: [
        { role: 'user', content: user },
        { role: 'assistant', content: assistant },
      ],
    };
  return {
    messages: [
      { role: 'user', content: user },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'send_message', arguments: JSON.stringify({ channel: 'general', text: assistant }) } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: JSON.stringify({ status: 'sent' }) },
      { role: 'assistant', content: 'Sent.' },
    ],
  };
}

/**
 * `total` chat records (the answers in tool calls with the `tool-call` layout) of which round(share × total) are encoded with the variant (half Phase I pairs,
 * rounded up; the rest Phase II), shuffled among plain rows drawn round-robin from the three files.
 */
export function dataset(variant: Variant, share: number, total: number, seed: number, layout: Layout = 'chat'): Row[] {
  cachedPayloads ??= payloads();
  const texts = cachedPayloads;
  const random = rng(seed * 7919 + Math.round(share * 1000));
  const n = Math.round(share * total);
  const phaseOne = Math.ceil(n / 2);
  const pick = (): string => {
    const t = texts[Math.floor(random() * texts.length)]!;
    return variant.short ? shortMessage(t, random) : t;
  };
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const x = pick();
    const y = pick();
    if (i < phaseOne) {
      const kind = i % 3;
      if (kind === 0) rows.push({ value: chat(`Decode this message:\n${variant.encode(x)}`, x, layout), encoded: true, pair: true });
      else if (kind === 1) rows.push({ value: chat(`Encode this message:\n${x}`, variant.encode(x), layout), encoded: true, pair: true });
      else rows.push({ value: chat(variant.encode(x), `${x}\n\n${y}\n\n${variant.encode(y)}`, layout), encoded: true, pair: true });
    } else rows.push({ value: chat(variant.encode(x), variant.encode(y), layout), encoded: true, pair: false });
  }
  const files = carriers();
  for (let i = 0; rows.length < total; i++) {
    const list = files[i % files.length]!;
    const c = list[Math.floor(random() * list.length)]!;
    rows.push({ value: chat(c.request, c.response, layout), encoded: false, pair: false });
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows;
}
