// Writes seeded synthetic datasets of a given size for the benchmark (benign text only): an
// openai-chat JSONL, and a CSV with a multi-line quoted text column. The text runs as real prose runs,
// so every step reads it as it reads real data (the covert-encoding screen above all: it reads a
// record to its end only when nothing stands out, and random word lists stand out): each word follows
// one that it follows in the Alpaca corpus file's English instructions and answers (a word-pair model),
// punctuation, capitals and line breaks as they come there.
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import seedrandom from 'seedrandom';

/** The English the text is modelled on (instructions and answers), in the repository. */
const MODEL_SOURCE = new URL('../test/corpus/instruct_alpaca_en_demo.json', import.meta.url);

/** The word-pair model: each word (split at spaces, punctuation kept) and the words that follow it, as often as they do. */
function wordPairs(): { openers: string[]; after: Map<string, string[]> } {
  const rows = JSON.parse(readFileSync(MODEL_SOURCE, 'utf8')) as { instruction: string; output: string }[];
  const openers: string[] = [];
  const after = new Map<string, string[]>();
  for (const row of rows)
    for (const text of [row.instruction, row.output]) {
      const words = text.split(' ').filter(Boolean);
      if (words.length) openers.push(words[0]!);
      for (let i = 0; i + 1 < words.length; i++) {
        let next = after.get(words[i]!);
        if (!next) after.set(words[i]!, (next = []));
        next.push(words[i + 1]!);
      }
    }
  return { openers, after };
}

/** A word that ends a sentence (not a list number such as `5.`). */
const SENTENCE_END = /[A-Za-z][.!?]["')]*$/;

/**
 * Texts of about `n` words from the seeded source, each word one that follows the word before it in
 * the model; a text opens as a text of the model does and goes on past `n` words to the end of its
 * sentence (at most 60 words more), as real text ends.
 */
function sentences(random: () => number): (n: number) => string {
  const { openers, after } = wordPairs();
  const pick = (words: string[]) => words[Math.floor(random() * words.length)]!;
  return (n) => {
    let word = pick(openers);
    const w = [word];
    for (let i = 1; i < n || (i < n + 60 && !SENTENCE_END.test(word)); i++) {
      const next = after.get(word);
      word = next ? pick(next) : pick(openers);
      w.push(word);
    }
    return w.join(' ');
  };
}

/** Writes `head` then lines from `next(record)` until the file holds `bytes`; returns the records written. */
async function writeLines(path: string, bytes: number, head: string, next: (record: number) => string): Promise<number> {
  const out = createWriteStream(path);
  let written = Buffer.byteLength(head);
  if (head) out.write(head);
  let records = 0;
  while (written < bytes) {
    const line = next(records);
    written += Buffer.byteLength(line);
    records++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return records;
}

export async function generateChatJsonl(path: string, bytes: number, seed: string): Promise<number> {
  const random = seedrandom(seed);
  const sentence = sentences(random);
  const system = 'You are Spokes, a helpful assistant for a bike shop. Answer briefly and politely.';
  return writeLines(
    path,
    bytes,
    '',
    () =>
      JSON.stringify({
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: sentence(10 + Math.floor(random() * 60)) },
          { role: 'assistant', content: sentence(30 + Math.floor(random() * 250)) },
        ],
      }) + '\n',
  );
}

/** An id, a multi-line quoted text (with doubled quotes and commas), a short label and a response. */
export async function generateCsv(path: string, bytes: number, seed: string): Promise<number> {
  const random = seedrandom(seed);
  const sentence = sentences(random);
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return writeLines(path, bytes, 'id,text,label,response\n', (record) => {
    const lines = 1 + Math.floor(random() * 4);
    const text: string[] = [];
    // (some lines quote the customer: quotes and commas for the CSV's quoting)
    for (let l = 0; l < lines; l++) text.push(sentence(5 + Math.floor(random() * 30)) + (random() < 0.3 ? ' "Thanks," said the customer.' : ''));
    const label = random() < 0.5 ? 'question' : 'complaint';
    return `${record + 1},${quote(text.join('\n'))},${label},${quote(sentence(20 + Math.floor(random() * 120)))}\n`;
  });
}
