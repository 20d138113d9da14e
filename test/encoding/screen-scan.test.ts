// The screen's byte scan (src/encoding/screen-wasm/, WebAssembly loaded by src/encoding/screen.ts):
// the committed binary is the build of the committed source, each mark is given for the surface it
// names and none for plain prose, and a record is read with nothing of the record screened before it.
// Its two builds (with 128-bit vectors and without) give the same marks, and so does the scan built
// without its shortcuts (the vector read, the prose loop), on every line of the corpus and on fuzz.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { screenBytes, screenOf } from '../../src/encoding/screen.js';
// @ts-expect-error: a plain JavaScript build script, without declarations
import { buildScan, buildScreenModule } from '../../scripts/build-screen-wasm.mjs';

const screen = (text: string) => screenBytes(Buffer.from(text));

/** Every line of every corpus file, subfolders included (a pretty-printed JSON array's lines too: the scan reads any bytes). */
function corpusLines(dir = fileURLToPath(new URL('../corpus/', import.meta.url))): Buffer[] {
  const out: Buffer[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...corpusLines(path));
    else if (/\.(jsonl|json|csv|tsv|txt)$/.test(name)) for (const line of readFileSync(path, 'utf8').split('\n')) if (line) out.push(Buffer.from(line));
  }
  return out;
}

/**
 * Seeded records that go through every branch of the scan: words, spaces, commas, stops, escapes,
 * digits, separators, Morse, base64, non-Latin letters, invisible characters, inside JSON strings.
 */
function fuzzRecords(count: number): Buffer[] {
  const pieces = [
    'the',
    'a',
    'of',
    'The',
    'cat',
    'sat',
    'on',
    'hello',
    'Zyx',
    'qqq',
    'aabbcc',
    'ay',
    'ygolonhcet',
    'AbCdEfGhIj',
    ' ',
    ' ',
    ' ',
    '  ',
    '.',
    '. ',
    '!',
    '?',
    ',',
    ', ',
    '-',
    '|',
    '/',
    '\\n',
    '\\"',
    '"',
    '\\u200b',
    '\\x41',
    '%41',
    '=4A',
    '12',
    '7',
    '0101',
    'QUJD',
    'ab+c/d=',
    'é',
    'ж',
    'α',
    '😀',
    '⠁',
    '𝐀',
    'Ａ',
    'ɐ',
    '\u200b',
    ':',
    ';',
    '#',
    '.-',
    '-..',
  ];
  let seed = 20261208;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const out: Buffer[] = [];
  for (let r = 0; r < count; r++) {
    let text = '';
    for (let k = 1 + next(next(10) === 0 ? 400 : 60); k > 0; k--) text += pieces[next(pieces.length)];
    out.push(Buffer.from(next(2) ? `{"text":"${text}","more":"${text.slice(0, 20)}"}` : `{"m":[{"c":"${text}"}]}`));
  }
  return out;
}

describe('the screen scan', () => {
  it('binary.ts is the build of screen-wasm/screen.ts (run `npm run build:screen` after editing it)', async () => {
    const built = (await buildScreenModule()) as string;
    expect(built).toBe(readFileSync(new URL('../../src/encoding/screen-wasm/binary.ts', import.meta.url), 'utf8'));
  });

  it('plain prose in several languages has no mark', () => {
    expect(screen('{"text":"The shop is open on Sunday, and the repair of a chain takes a day."}')).toBeUndefined();
    expect(screen('{"text":"Der Laden ist am Sonntag offen, und die Reparatur dauert einen Tag."}')).toBeUndefined();
    expect(screen('{"text":"La tienda abre el domingo y la reparación de una cadena tarda un día."}')).toBeUndefined();
    expect(screen('{"text":"Магазин открыт в воскресенье, ремонт цепи занимает день."}')).toBeUndefined();
  });

  it('gives the mark each surface leaves', () => {
    expect(screen('{"text":"hello\u200bthere"}')).toBe('invisible');
    expect(screen('{"text":"hello\\u200bthere"}')).toBe('invisible');
    expect(screen('{"text":"\u{1d421}\u{1d41e}\u{1d425}\u{1d425}\u{1d428}"}')).toBe('styled');
    expect(screen('{"text":"pаypal"}')).toBe('mixed-script'); // a Cyrillic а among Latin letters
    expect(screen(`{"text":"${'aGVsbG8gd29ybGQ'.repeat(4)}"}`)).toBe('long-run');
    expect(screen('{"text":"%68%6F%77%20%74%6F%20%6D%61%6B%65"}')).toBe('percent-run');
    expect(screen('{"text":"h|e|l|l|o| |t|h|e|r|e| |f|r|i|e|n|d"}')).toBe('separated');
    expect(screen('{"text":".... . .-.. .-.. --- / - .... . .-. . / ..-. .-. .. . -. -.."}')).toBe('morse');
    expect(screen('{"text":"the of course went home"}')).toBe('word-order');
    expect(screen('{"text":"68 65 6c 6c 6f 20 74 68 65 72 65 20 66 72 69 65 6e 64"}')).toBe('tokens');
    // byte escapes written in the text (`\x68` in the JSON: the backslash escaped)
    expect(screenBytes(Buffer.from(JSON.stringify({ text: '\\x68\\x6f\\x77\\x20\\x74\\x6f\\x20\\x6d\\x61\\x6b\\x65' })))).toBe('long-run');
    // Ascii85 of "How do I return a bicycle I bought last week?" (both cases, digits and marks, a backslash inside)
    expect(screenBytes(Buffer.from(JSON.stringify({ text: '88i\\pA8`S^+ED%8F`M@B@3B#n@sMR#AKXPe@W-C%BQPA5@<6N5G@b?$56' })))).toBe('long-run');
    // one sentence a letter, spelling "meet near the old mill"
    const openers = 'Many Every Each Then Now Even After Rarely The Here Every Only Later Do Most It Lately Later';
    const paragraph = openers
      .split(' ')
      .map((w) => `${w} the staff checked the list twice.`)
      .join(' ');
    expect(screen(`{"text":"${paragraph}"}`)).toBe('sentences');
  });

  it('reads nothing past a record: bytes the record before it left are not seen', () => {
    expect(screen('"\\u200b"')).toBe('invisible');
    // the same bytes cut before the escape's last digit: the `b` left in the scan's memory must not complete it
    expect(screen('"\\u200')).toBeUndefined();
    expect(screen('')).toBeUndefined();
    expect(screen('a')).toBeUndefined();
  });

  it('a word read 16 letters at a time ends where the record ends, whatever a longer record left after it', () => {
    // 64 letters in a row: no word of any language
    expect(screen(`{"text":"${'abcdefgh'.repeat(8)}`)).toBe('long-run');
    // the same memory, a shorter record ending in a word: were the word read on into the letters left
    // there (past the zeros after the record), it would be 64 letters long
    for (const kind of ['simd', 'scalar'] as const) {
      expect(screenBytes(Buffer.from(`{"text":"${'abcdefgh'.repeat(8)}`), kind)).toBe('long-run');
      expect(screenBytes(Buffer.from('{"text":"abc'), kind)).toBeUndefined();
      expect(screenBytes(Buffer.from(`{"text":"${'abcdefgh'.repeat(7)}`), kind)).toBeUndefined();
    }
  });

  it('the build with vectors and the build without give the same mark on every line of the corpus', () => {
    const marks = new Map<string, number>();
    const lines = corpusLines();
    for (const line of lines) {
      const mark = screenBytes(line, 'simd');
      expect(screenBytes(line, 'scalar'), line.toString().slice(0, 80)).toBe(mark);
      marks.set(mark ?? 'none', (marks.get(mark ?? 'none') ?? 0) + 1);
    }
    expect(lines.length).toBeGreaterThan(60_000);
    // the corpus gives plain records and several marks: the comparison covers both
    expect(marks.get('none')).toBeGreaterThan(lines.length / 2);
    expect(marks.size).toBeGreaterThanOrEqual(5);
  });

  it('the shortcuts change no mark: the scan built without them (every byte in the main loop) agrees on the corpus and on fuzz', async () => {
    const source = readFileSync(new URL('../../src/encoding/screen-wasm/screen.ts', import.meta.url), 'utf8');
    const text = source.replace('const SHORTCUTS: bool = true;', 'const SHORTCUTS: bool = false;');
    expect(text).not.toBe(source);
    const withoutShortcuts = screenOf((await buildScan({ simd: false, text })) as Uint8Array);
    const records = [...corpusLines(), ...fuzzRecords(40_000)];
    const marks = new Map<string, number>();
    let differ = 0;
    for (const record of records) {
      const mark = screenBytes(record);
      if (withoutShortcuts(record) !== mark) differ++;
      marks.set(mark ?? 'none', (marks.get(mark ?? 'none') ?? 0) + 1);
    }
    expect(differ).toBe(0);
    expect(marks.size).toBeGreaterThanOrEqual(9);
  }, 120_000);

  it('records that grow one after another reuse one block (a block a record would fill memory past 2 GB)', () => {
    // each record opens with a zero-width space, so the scan stops at once: what is tested is the input block
    for (let n = 3 << 20; n <= 4 << 20; n += 1024) {
      const record = Buffer.alloc(n, 0x20);
      record.write('\u200b');
      expect(screenBytes(record)).toBe('invisible');
    }
    expect(screen('{"text":"The shop is open."}')).toBeUndefined();
  });

  it('a record larger than the scan keeps in memory is screened, and the next one too', () => {
    const big = `{"text":"${'The shop is open on Sunday and the repair takes a day. '.repeat(100_000)}${'%41'.repeat(10)}"}`;
    expect(big.length).toBeGreaterThan(4 << 20);
    expect(screen(big)).toBe('percent-run');
    expect(screen('{"text":"%68%6F%77%20%74%6F%20%6D%61%6B%65"}')).toBe('percent-run');
    expect(screen('{"text":"The shop is open."}')).toBeUndefined();
  });
});
