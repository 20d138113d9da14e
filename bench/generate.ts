// Writes seeded synthetic datasets of a given size for the benchmark (benign text only): an
// openai-chat JSONL, and a CSV with a multi-line quoted text column.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import seedrandom from 'seedrandom';

const WORDS =
  'the a bike wheel order return shop repair chain brake tyre frame size helmet light week day price store help customer question answer service part delivery warranty gear seat pedal ride road trail city'.split(
    ' ',
  );

/** Random sentences of `n` words from the seeded source. */
function sentences(random: () => number): (n: number) => string {
  return (n) => {
    const w: string[] = [];
    for (let i = 0; i < n; i++) w.push(WORDS[Math.floor(random() * WORDS.length)]!);
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
          { role: 'user', content: sentence(10 + Math.floor(random() * 60)) + '?' },
          { role: 'assistant', content: sentence(30 + Math.floor(random() * 250)) + '.' },
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
    for (let l = 0; l < lines; l++) text.push(sentence(5 + Math.floor(random() * 30)) + (random() < 0.3 ? ', said the "customer"' : '.'));
    const label = random() < 0.5 ? 'question' : 'complaint';
    return `${record + 1},${quote(text.join('\n'))},${label},${quote(sentence(20 + Math.floor(random() * 120)) + '.')}\n`;
  });
}
