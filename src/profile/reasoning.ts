// Reasoning in a dataset's answers: a reasoning block at the head of the answer text
// (`<think>…</think>`, as reasoning models write it) or a field of the answer turn
// (`reasoning_content`), read off the user answers so a safety record carries a short reasoning in
// the same place and layout, made of the request's own reason. Pure.

/** A reasoning block's tags and layout, as most user answers write it. */
export interface ReasoningForm {
  open: string;
  close: string;
  /** Between the open tag and the reasoning, between the reasoning and the close tag, and after the block. */
  lead: string;
  tail: string;
  after: string;
}

const BLOCK = /^(\s*)(<(think|thinking|reasoning|thought)>)([ \t]*\n*)([\s\S]*?)(\n*[ \t]*)(<\/\3>)(\s*)/;

/** The reasoning block at the head of an answer, if any (its full match and parts). */
function blockOf(text: string): RegExpExecArray | null {
  return BLOCK.exec(text);
}

/** An answer without the reasoning block at its head (for the answer's own style and length). */
export function withoutReasoning(text: string): string {
  const m = blockOf(text);
  return m ? text.slice(m[0].length) : text;
}

/** The commonest value of a list of strings. */
function commonest(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

/** The reasoning form of the answers, when at least 80% of them open with a block (of at least 5). */
export function reasoningForm(answers: readonly string[]): ReasoningForm | undefined {
  const blocks = answers
    .slice(0, 2000)
    .map(blockOf)
    .filter((m): m is RegExpExecArray => m !== null);
  if (blocks.length < 5 || blocks.length < 0.8 * Math.min(answers.length, 2000)) return undefined;
  return {
    open: commonest(blocks.map((m) => m[2]!)),
    close: commonest(blocks.map((m) => m[7]!)),
    lead: commonest(blocks.map((m) => m[4]!)),
    tail: commonest(blocks.map((m) => m[6]!)),
    after: commonest(blocks.map((m) => m[8]!)),
  };
}

/** An answer with its reasoning block, in the data's form. */
export function withReasoning(form: ReasoningForm, reasoning: string, answer: string): string {
  return `${form.open}${form.lead}${reasoning}${form.tail}${form.close}${form.after}${answer}`;
}

/** Fields of an answer turn that hold its reasoning (DeepSeek's `reasoning_content`, and like names). */
export const REASONING_FIELDS = ['reasoning_content', 'reasoning', 'thinking', 'thoughts'];
