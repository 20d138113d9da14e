// Writes a seeded synthetic openai-chat JSONL of a given size for the benchmark (benign text only).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import seedrandom from 'seedrandom';

const WORDS = 'the a bike wheel order return shop repair chain brake tyre frame size helmet light week day price store help customer question answer service part delivery warranty gear seat pedal ride road trail city'.split(' ');

export async function generateChatJsonl(path: string, bytes: number, seed: string): Promise<number> {
  const random = seedrandom(seed);
  const sentence = (n: number) => {
    const w: string[] = [];
    for (let i = 0; i < n; i++) w.push(WORDS[Math.floor(random() * WORDS.length)]!);
    return w.join(' ');
  };
  const out = createWriteStream(path);
  const system = 'You are Spokes, a helpful assistant for a bike shop. Answer briefly and politely.';
  let written = 0;
  let records = 0;
  while (written < bytes) {
    const line =
      JSON.stringify({
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: sentence(10 + Math.floor(random() * 60)) + '?' },
          { role: 'assistant', content: sentence(30 + Math.floor(random() * 250)) + '.' },
        ],
      }) + '\n';
    written += Buffer.byteLength(line);
    records++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return records;
}

/**
 * Writes a seeded synthetic CSV of a given size for the benchmark: an id, a multi-line quoted text
 * column (with doubled quotes and commas), a short label and a response column. Benign text only.
 */
export async function generateCsv(path: string, bytes: number, seed: string): Promise<number> {
  const random = seedrandom(seed);
  const sentence = (n: number) => {
    const w: string[] = [];
    for (let i = 0; i < n; i++) w.push(WORDS[Math.floor(random() * WORDS.length)]!);
    return w.join(' ');
  };
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const out = createWriteStream(path);
  let written = 0;
  let records = 0;
  const header = 'id,text,label,response\n';
  out.write(header);
  written += header.length;
  while (written < bytes) {
    const lines = 1 + Math.floor(random() * 4);
    const text: string[] = [];
    for (let l = 0; l < lines; l++) text.push(sentence(5 + Math.floor(random() * 30)) + (random() < 0.3 ? ', said the "customer"' : '.'));
    const label = random() < 0.5 ? 'question' : 'complaint';
    const line = `${records + 1},${quote(text.join('\n'))},${label},${quote(sentence(20 + Math.floor(random() * 120)) + '.')}\n`;
    written += Buffer.byteLength(line);
    records++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return records;
}
