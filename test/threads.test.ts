// The first pass's checks on worker threads change nothing: on a generated file of real records
// (GSM8K from the corpus, given ids, written six times over) with broken lines, blank lines, CRLF
// endings, non-ASCII text, ids past 2^53 and rows in a separated-letters cipher, the sample, the
// rejections, the ids' largest numbers and the suspects are the same with 0, 1 and 2 worker
// threads, and so are `mix`'s output and manifest, byte for byte. The workers must be used.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDataset } from '../src/api/sample.js';
import { corpus, runCli, tempDir } from './helpers.js';

const BROKEN_EVERY = 997;
const ENCODED_EVERY = 331;

/** Each letter of a sentence joined by "|", words by " | " (a cipher's surface, written here). */
function separated(text: string): string {
  return text
    .toLowerCase()
    .split(' ')
    .map((w) => [...w].join('|'))
    .join(' | ');
}

/** The test file and how many broken lines it holds. */
function writeInput(path: string): { broken: number; encoded: number; lines: number } {
  const source = readFileSync(corpus('math_gsm8k_test.jsonl'), 'utf8').split('\n').filter(Boolean);
  const out: string[] = [];
  let broken = 0;
  let encoded = 0;
  for (let copy = 0; copy < 6; copy++)
    for (const [i, line] of source.entries()) {
      const n = out.length;
      const id = n % 1000 === 999 ? `"id": ${2 ** 60 + n}` : `"id": "gsm-${n}"`;
      let text = `{${id}, ${line.slice(1)}`;
      if (n % BROKEN_EVERY === BROKEN_EVERY - 1) {
        text = `{"id": "gsm-${n}", "question": "unterminated`;
        broken++;
      } else if (n % ENCODED_EVERY === 7) {
        const value = JSON.parse(line) as { question: string; answer: string };
        text = JSON.stringify({ id: `gsm-${n}`, question: separated(value.question), answer: separated(value.answer) });
        encoded++;
      } else if (i % 50 === 3) text = text.replace('"question": "', '"question": "Café crème: ');
      out.push(n % 400 === 5 ? `${text}\r` : text);
      if (n % 700 === 9) out.push('');
    }
  writeFileSync(path, `${out.join('\n')}\n`);
  return { broken, encoded, lines: out.length };
}

const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('pass 1 on worker threads', () => {
  const dir = tempDir('safemix-threads-');
  const input = join(dir, 'gsm.jsonl');
  const made = writeInput(input);

  it('samples, rejects, counts ids and screens exactly as in one thread', async () => {
    const run = async (threads: number) => {
      const r = await sampleDataset(input, { threads, validate: true, screen: true, trackNumbers: true, seed: 't' });
      return {
        groupsOnWorkers: r.groupsOnWorkers,
        view: {
          records: r.records,
          rejected: r.rejected,
          idMax: [...r.idMax],
          sample: r.sample.map((s) => [s.index, s.line, digest(s.raw), JSON.stringify(s.value)]),
          suspects: r.screened!.suspects.map((s) => [s.index, digest(s.raw)]),
          suspectCount: r.screened!.count,
          inSample: r.screened!.inSample,
        },
      };
    };
    const one = await run(0);
    expect(one.groupsOnWorkers).toBe(0);
    // the file is what it was made to be: every broken line rejected with its line, every cipher row a suspect
    expect(one.view.rejected.map((r) => r.code)).toEqual(Array(made.broken).fill('invalid_json'));
    expect(one.view.suspectCount).toBeGreaterThanOrEqual(made.encoded);
    expect(new Map(one.view.idMax).get('id')).toBeGreaterThan(2 ** 60);
    for (const threads of [1, 2]) {
      const many = await run(threads);
      expect(many.groupsOnWorkers, `groups checked on ${threads} worker(s)`).toBeGreaterThan(0);
      expect(many.view).toEqual(one.view);
    }
  }, 120_000);

  it('mix writes the same output and manifest with and without worker threads', async () => {
    const outputs: Buffer[][] = [];
    for (const threads of ['0', '2']) {
      const cwd = join(dir, `run-${threads}`);
      mkdirSync(cwd);
      writeFileSync(join(cwd, 'gsm.jsonl'), readFileSync(input));
      const res = await runCli(
        ['mix', 'gsm.jsonl', '-o', 'out.jsonl', '--skip-invalid', '--on-encoded', 'warn', '--seed', 's', '--threads', threads, '--quiet'],
        { cwd },
      );
      expect(res.code, res.stderr).toBe(0);
      outputs.push([readFileSync(join(cwd, 'out.jsonl')), readFileSync(join(cwd, 'out.jsonl.manifest.json'))]);
    }
    const manifest = JSON.parse(outputs[0]![1]!.toString('utf8')) as { skipped?: unknown[]; rejected?: unknown[] };
    expect(JSON.stringify(manifest)).toContain('invalid_json');
    expect(outputs[1]![0]!.equals(outputs[0]![0]!), 'output').toBe(true);
    expect(outputs[1]![1]!.toString('utf8')).toBe(outputs[0]![1]!.toString('utf8'));
  }, 180_000);
});
