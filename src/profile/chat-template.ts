// Chat templates in single-field text: records whose `text` is a whole conversation already rendered
// in a model's chat template (ChatML, Llama 3, Llama 2 / Mistral, Gemma, Phi-3, Zephyr). Recognises
// the template a dataset is written in, splits a text into its turns while keeping every byte of the
// template around them (special tokens, role names, newlines, spacing, the text's trailing bytes),
// and writes a text with new contents in the same template. Token syntax written from the templates'
// public documentation (model cards and tokenizer chat templates). Pure: no I/O.

type ChatTemplateName = 'chatml' | 'llama3' | 'llama2' | 'gemma' | 'phi3' | 'zephyr';

type ChatRole = 'system' | 'user' | 'assistant' | 'other';

const CHAT_TEMPLATE_LABELS: Record<ChatTemplateName, string> = {
  chatml: 'ChatML',
  llama3: 'Llama 3',
  llama2: 'Llama 2 / Mistral',
  gemma: 'Gemma',
  phi3: 'Phi-3',
  zephyr: 'Zephyr',
};

interface ChatTurn {
  role: ChatRole;
  /** The role as the text names it (`user`, `model`); Llama 2 names none: `system`, `user`, `assistant` by position. */
  name: string;
  /** The turn's content is `text.slice(start, end)`: the whitespace around it belongs to the template. */
  start: number;
  end: number;
  /** Just past the turn's closing token (`<|im_end|>`, `</s>`, `[/INST]`): where the next turn's bytes begin. */
  blockEnd: number;
}

interface ParsedChat {
  template: ChatTemplateName;
  turns: ChatTurn[];
}

/** How a dataset's texts use a chat template: the record roles' `chatTemplate`. */
export interface ChatTemplateUse {
  name: ChatTemplateName;
  /** `ChatML`, `Llama 3`, … */
  label: string;
  /** Sampled texts that parse with it (with a user turn answered by an assistant turn), of those looked at. */
  parsed: number;
  sampled: number;
  /** `ChatML: 120 of 120 sampled texts`. */
  evidence: string;
  /** The turn that receives the request and the one that receives the refusal, as the texts name their roles. */
  question: string;
  answer: string;
  /** Share of the parsed texts with a system turn, and with more than one round before the answer. */
  system: number;
  multiRound: number;
}

/** The share of sampled texts a template must parse to be chosen for a dataset. */
const CHAT_TEMPLATE_SHARE = 0.9;

const ROLE_OF: Record<string, ChatRole> = {
  system: 'system',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  model: 'assistant',
  gpt: 'assistant',
  bot: 'assistant',
};
const roleOf = (name: string): ChatRole => ROLE_OF[name.toLowerCase()] ?? 'other';

/** A template of blocks: an opening head naming the role, the content, a closing token. */
interface BlockSpec {
  /** Optional tokens at the very start of the text (a BOS token). */
  bos: string[];
  /** The head, matched where a turn starts (sticky); group 1 is the role name. */
  head: RegExp;
  /** Tokens that open a head: a content holding one is not a content. */
  opens: string[];
  end: string;
  /** Optional tokens after the last turn (an EOS token). */
  eos: string[];
}

const BLOCKS: Record<Exclude<ChatTemplateName, 'llama2'>, BlockSpec> = {
  // <|im_start|>user\n…<|im_end|>\n
  chatml: { bos: ['<s>'], head: /<\|im_start\|>([A-Za-z_][\w.-]*)[ \t]*\r?\n/y, opens: ['<|im_start|>'], end: '<|im_end|>', eos: ['<|endoftext|>', '</s>'] },
  // <|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n…<|eot_id|>
  llama3: {
    bos: ['<|begin_of_text|>'],
    head: /<\|start_header_id\|>([A-Za-z_][\w.-]*)<\|end_header_id\|>/y,
    opens: ['<|start_header_id|>', '<|begin_of_text|>'],
    end: '<|eot_id|>',
    eos: ['<|end_of_text|>'],
  },
  // <bos><start_of_turn>user\n…<end_of_turn>\n<start_of_turn>model\n…<end_of_turn>\n
  gemma: { bos: ['<bos>'], head: /<start_of_turn>([A-Za-z_][\w.-]*)[ \t]*\r?\n/y, opens: ['<start_of_turn>'], end: '<end_of_turn>', eos: ['<eos>'] },
  // <|system|>\n…<|end|>\n<|user|>\n…<|end|>\n<|assistant|>\n…<|end|>\n
  phi3: { bos: ['<s>'], head: /<\|(system|user|assistant)\|>/y, opens: ['<|system|>', '<|user|>', '<|assistant|>'], end: '<|end|>', eos: ['<|endoftext|>'] },
  // <|system|>\n…</s>\n<|user|>\n…</s>\n<|assistant|>\n…</s>\n
  zephyr: { bos: ['<s>'], head: /<\|(system|user|assistant)\|>/y, opens: ['<|system|>', '<|user|>', '<|assistant|>'], end: '</s>', eos: [] },
};

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text[at])) at++;
  return at;
}

/** The content between two positions, without the whitespace around it. */
function trimmed(text: string, from: number, to: number): [number, number] {
  let s = from;
  let e = to;
  while (s < e && isSpace(text[s])) s++;
  while (e > s && isSpace(text[e - 1])) e--;
  return [s, e];
}

/** Whether the bytes after the last turn are whitespace and the template's optional end tokens. */
function onlyTrailing(rest: string, eos: string[]): boolean {
  let t = rest.trim();
  for (let again = true; again && t;) {
    again = false;
    for (const token of eos)
      if (t.startsWith(token)) {
        t = t.slice(token.length).trim();
        again = true;
      }
  }
  return t === '';
}

function parseBlocks(text: string, spec: BlockSpec): ChatTurn[] | undefined {
  let pos = 0;
  for (const token of spec.bos) if (text.startsWith(token)) pos = token.length;
  pos = skipSpace(text, pos);
  const turns: ChatTurn[] = [];
  for (;;) {
    spec.head.lastIndex = pos;
    const m = spec.head.exec(text);
    if (!m) break;
    const from = pos + m[0].length;
    const close = text.indexOf(spec.end, from);
    if (close < 0) return undefined;
    const region = text.slice(from, close);
    if (spec.opens.some((o) => region.includes(o))) return undefined;
    const [start, end] = trimmed(text, from, close);
    turns.push({ role: roleOf(m[1]!), name: m[1]!, start, end, blockEnd: close + spec.end.length });
    pos = skipSpace(text, close + spec.end.length);
  }
  if (!turns.length || !onlyTrailing(text.slice(turns.at(-1)!.blockEnd), spec.eos)) return undefined;
  return turns;
}

const INST = '[INST]';
const END_INST = '[/INST]';
const SYS = '<<SYS>>';
const END_SYS = '<</SYS>>';

/** `<s>[INST] <<SYS>>\n…\n<</SYS>>\n\n… [/INST] …</s><s>[INST] … [/INST] …</s>` (Mistral: one `<s>`, no system block). */
function parseLlama2(text: string): ChatTurn[] | undefined {
  const turns: ChatTurn[] = [];
  let pos = skipSpace(text, 0);
  while (pos < text.length) {
    let at = pos;
    if (text.startsWith('<s>', at)) at = skipSpace(text, at + 3);
    if (!text.startsWith(INST, at)) return undefined;
    const from = at + INST.length;
    const close = text.indexOf(END_INST, from);
    if (close < 0) return undefined;
    let userFrom = from;
    const s = skipSpace(text, from);
    if (text.startsWith(SYS, s)) {
      const sysClose = text.indexOf(END_SYS, s + SYS.length);
      if (turns.length || sysClose < 0 || sysClose > close) return undefined;
      const [a, b] = trimmed(text, s + SYS.length, sysClose);
      turns.push({ role: 'system', name: 'system', start: a, end: b, blockEnd: sysClose + END_SYS.length });
      userFrom = sysClose + END_SYS.length;
    }
    const user = text.slice(userFrom, close);
    if (user.includes(INST) || user.includes('<s>') || user.includes('</s>') || user.includes(SYS)) return undefined;
    const [us, ue] = trimmed(text, userFrom, close);
    turns.push({ role: 'user', name: 'user', start: us, end: ue, blockEnd: close + END_INST.length });
    // the answer runs to its </s>, or to the next round, or to the end of the text
    const answerFrom = close + END_INST.length;
    const stops = ['</s>', '<s>', INST].map((t) => text.indexOf(t, answerFrom)).filter((i) => i >= 0);
    const stop = stops.length ? Math.min(...stops) : text.length;
    const [as, ae] = trimmed(text, answerFrom, stop);
    if (text.includes(END_INST, answerFrom) && text.indexOf(END_INST, answerFrom) < stop) return undefined;
    const eos = text.startsWith('</s>', stop);
    if (as === ae && !eos && skipSpace(text, stop) >= text.length) break; // a prompt with no answer yet
    turns.push({ role: 'assistant', name: 'assistant', start: as, end: ae, blockEnd: eos ? stop + 4 : ae });
    pos = skipSpace(text, eos ? stop + 4 : stop);
  }
  return turns.length ? turns : undefined;
}

/** The text's turns in a template, every byte around their contents left to the template; undefined when it is not written in it. */
export function parseChat(text: string, template: ChatTemplateName): ParsedChat | undefined {
  const turns = template === 'llama2' ? parseLlama2(text) : parseBlocks(text, BLOCKS[template]);
  return turns ? { template, turns } : undefined;
}

/** The last user turn answered by the assistant turn right after it: where a request and its refusal go. */
export function questionAndAnswer(chat: ParsedChat): { question: number; answer: number } | undefined {
  for (let i = chat.turns.length - 2; i >= 0; i--)
    if (chat.turns[i]!.role === 'user' && chat.turns[i + 1]!.role === 'assistant') return { question: i, answer: i + 1 };
  return undefined;
}

/** The question, the answer and the system prompt of a text in a template (the texts a profile reads). */
export function chatExchange(text: string, template: ChatTemplateName): { question: string; answer: string; system?: string } | undefined {
  const chat = parseChat(text, template);
  const qa = chat && questionAndAnswer(chat);
  if (!chat || !qa) return undefined;
  const q = chat.turns[qa.question]!;
  const a = chat.turns[qa.answer]!;
  const sys = chat.turns[0]!.role === 'system' ? chat.turns[0]! : undefined;
  return { question: text.slice(q.start, q.end), answer: text.slice(a.start, a.end), system: sys && text.slice(sys.start, sys.end) };
}

const ORDER: ChatTemplateName[] = ['chatml', 'llama3', 'llama2', 'gemma', 'phi3', 'zephyr'];

/** The template ≥ 90% of the texts (at most 2,000 looked at) are written in, with a user turn answered by an assistant turn. */
export function inferChatTemplate(texts: string[]): ChatTemplateUse | undefined {
  const looked = texts.slice(0, 2000);
  if (!looked.length) return undefined;
  // a cheap look first: only templates whose tokens the texts hold are tried on every text
  const probe = looked.slice(0, 50).join('\n');
  const hints: Record<ChatTemplateName, string> = {
    chatml: '<|im_start|>',
    llama3: '<|start_header_id|>',
    llama2: INST,
    gemma: '<start_of_turn>',
    phi3: '<|end|>',
    zephyr: '</s>',
  };
  let best: { name: ChatTemplateName; parsed: ParsedChat[]; texts: string[] } | undefined;
  for (const name of ORDER) {
    if (!probe.includes(hints[name])) continue;
    const parsed: ParsedChat[] = [];
    for (const t of looked) {
      const chat = parseChat(t, name);
      if (chat && questionAndAnswer(chat)) parsed.push(chat);
    }
    if (!best || parsed.length > best.parsed.length) best = { name, parsed, texts: looked };
  }
  if (!best || best.parsed.length < CHAT_TEMPLATE_SHARE * looked.length) return undefined;
  const label = CHAT_TEMPLATE_LABELS[best.name];
  const first = best.parsed[0]!;
  const qa = questionAndAnswer(first)!;
  const n = best.parsed.length;
  const system = best.parsed.filter((c) => c.turns[0]!.role === 'system').length;
  const multi = best.parsed.filter((c) => questionAndAnswer(c)!.question > (c.turns[0]!.role === 'system' ? 1 : 0)).length;
  return {
    name: best.name,
    label,
    parsed: n,
    sampled: looked.length,
    evidence: `${label}: ${n} of ${looked.length} sampled texts`,
    question: `the last ${first.turns[qa.question]!.name} turn`,
    answer: `the ${first.turns[qa.answer]!.name} turn after it`,
    system: system / n,
    multiRound: multi / n,
  };
}

interface ChatRewrite {
  request: string;
  answer: string;
  /**
   * Benign exchanges for the rounds before the question (each a prompt and its answer): with them the
   * donor's earlier rounds are rewritten, keeping its number of rounds; without them they are left out.
   */
  benign?: { prompt: string; answer: string }[];
  /** Given: the content of the system turns (a system prompt only the donor had is not kept). */
  system?: string;
}

interface RewrittenChat {
  text: string;
  /** The donor's rounds before the question: how many, and what became of them. */
  earlier: number;
  rounds: 'none' | 'benign' | 'left out';
  /** Turns after the answer that were removed. */
  removed: number;
  system: boolean;
}

/**
 * The donor's text with the request as its last user turn's content and the answer as the assistant
 * turn's after it: every token, role name and whitespace of the template as the donor writes them,
 * its system turn kept, turns after the answer removed and the text's trailing bytes kept. Undefined
 * when the donor has no user turn answered by an assistant turn, or the new text would not read back
 * as the same turns (a request holding a template token).
 */
export function rewriteChat(text: string, chat: ParsedChat, w: ChatRewrite): RewrittenChat | undefined {
  const qa = questionAndAnswer(chat);
  if (!qa) return undefined;
  const { turns } = chat;
  const q = turns[qa.question]!;
  const a = turns[qa.answer]!;
  let lead = 0;
  while (lead < qa.question && turns[lead]!.role === 'system') lead++;
  const earlier = turns.slice(lead, qa.question);
  const edits: { start: number; end: number; text: string }[] = [];
  if (w.system !== undefined) for (const t of turns.slice(0, lead)) edits.push({ start: t.start, end: t.end, text: w.system });
  let rounds: RewrittenChat['rounds'] = 'none';
  const paired = earlier.length % 2 === 0 && earlier.every((t, i) => t.role === (i % 2 === 0 ? 'user' : 'assistant'));
  if (!earlier.length) edits.push({ start: q.start, end: q.end, text: w.request });
  else if (w.benign?.length && paired) {
    for (let i = 0; i < earlier.length; i += 2) {
      const b = w.benign[(i / 2) % w.benign.length]!;
      edits.push(
        { start: earlier[i]!.start, end: earlier[i]!.end, text: b.prompt },
        { start: earlier[i + 1]!.start, end: earlier[i + 1]!.end, text: b.answer },
      );
    }
    edits.push({ start: q.start, end: q.end, text: w.request });
    rounds = 'benign';
  } else {
    // the earlier rounds left out: the first user turn's head takes the request, the question's close follows
    if (earlier[0]!.role !== 'user') return undefined;
    edits.push({ start: earlier[0]!.start, end: q.end, text: w.request });
    rounds = 'left out';
  }
  edits.push({ start: a.start, end: a.end, text: w.answer });
  const last = turns.at(-1)!;
  if (last !== a) edits.push({ start: a.blockEnd, end: last.blockEnd, text: '' });
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  out += text.slice(at);
  // the new text must read back as the turns it was meant to have
  const back = parseChat(out, chat.template);
  const want = lead + (rounds === 'benign' ? earlier.length : 0) + 2;
  if (!back || back.turns.length !== want) return undefined;
  const bq = back.turns[want - 2]!;
  const ba = back.turns[want - 1]!;
  const bare = (s: string) => s.slice(...trimmed(s, 0, s.length));
  if (out.slice(bq.start, bq.end) !== bare(w.request) || out.slice(ba.start, ba.end) !== bare(w.answer)) return undefined;
  return { text: out, earlier: earlier.filter((t) => t.role === 'user').length, rounds, removed: turns.length - 1 - qa.answer, system: lead > 0 };
}
