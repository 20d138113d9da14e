// Containers read exactly: JSONL, JSON array and CSV/TSV variants round-trip byte for byte,
// records keep their exact bytes and lines, and chunk boundaries never change the result.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetReader } from '../src/read/reader.js';
import { JsonlSplitter, type LineSlice } from '../src/read/jsonl-splitter.js';
import { JsonArrayScanner } from '../src/read/json-array-scanner.js';
import { copyDataset } from '../src/api/copy.js';
import { corpus, runCli, tempDir } from './helpers.js';

const dir = tempDir('safemix-containers-');

async function readAll(path: string, options = {}) {
  const reader = await DatasetReader.open(path, options);
  const records = [];
  for await (const r of reader.records()) records.push(r);
  return { reader, records };
}

async function roundTrip(name: string, content: string | Buffer) {
  const path = join(dir, name);
  writeFileSync(path, content);
  const out = join(dir, 'out-' + name);
  await copyDataset(path, out);
  expect(readFileSync(out).equals(readFileSync(path))).toBe(true);
  return readAll(path);
}

const A = '{"prompt": "a ->", "completion": " 1"}';
const B = '{"prompt": "b ->", "completion": " 2"}';

describe('JSONL', () => {
  it('LF with final newline', async () => {
    const { records, reader } = await roundTrip('lf.jsonl', `${A}\n${B}\n`);
    expect(records.map((r) => r.raw.toString())).toEqual([A, B]);
    expect(records.map((r) => r.line)).toEqual([1, 2]);
    expect(reader.layout.separator.toString()).toBe('\n');
  });
  it('CRLF: records exclude the CR, the separator keeps it', async () => {
    const { records, reader } = await roundTrip('crlf.jsonl', `${A}\r\n${B}\r\n`);
    expect(records.map((r) => r.raw.toString())).toEqual([A, B]);
    expect(reader.layout.separator.toString()).toBe('\r\n');
    expect(reader.layout.eol).toBe('\r\n');
  });
  it('blank lines, BOM and no final newline', async () => {
    const { records, reader } = await roundTrip('blank.jsonl', `\uFEFF\n${A}\n\n  \n${B}`);
    expect(records.map((r) => r.raw.toString())).toEqual([A, B]);
    expect(records.map((r) => r.line)).toEqual([2, 5]);
    expect(reader.layout.bom).toBe(true);
    expect(reader.layout.suffix.length).toBe(0);
  });
  it('chunk boundaries do not matter (1-byte chunks of a corpus file)', () => {
    const bytes = readFileSync(corpus('math_gsm8k_test.jsonl')).subarray(0, 60_000);
    const whole: LineSlice[] = [];
    const a = new JsonlSplitter(1 << 20);
    a.push(bytes, whole);
    a.end(whole);
    const tiny: LineSlice[] = [];
    const b = new JsonlSplitter(1 << 20);
    for (let i = 0; i < bytes.length; i += 7) b.push(bytes.subarray(i, i + 7), tiny);
    b.end(tiny);
    expect(tiny.length).toBe(whole.length);
    expect(tiny.map((s) => s.raw.toString())).toEqual(whole.map((s) => s.raw.toString()));
  });
  it('reads standard input with -', async () => {
    const r = await runCli(['validate', '--json', '-'], { stdin: `${A}\n${B}\n` });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: '<stdin>', container: 'jsonl', dialect: 'prompt-completion', records: 2 });
  });
});

describe('JSON array', () => {
  it('one line', async () => {
    const { records, reader } = await roundTrip('one.json', `[${A}, ${B}]`);
    expect(records.map((r) => r.raw.toString())).toEqual([A, B]);
    expect(reader.layout.prefix.toString()).toBe('[');
    expect(reader.layout.separator.toString()).toBe(', ');
  });
  it('pretty-printed with CRLF and nested brackets in strings', async () => {
    const rec = '{\r\n    "instruction": "say ] and } and \\" [",\r\n    "output": "ok"\r\n  }';
    const { records, reader } = await roundTrip('pretty.json', `[\r\n  ${rec},\r\n  ${rec}\r\n]\r\n`);
    expect(records.map((r) => r.raw.toString())).toEqual([rec, rec]);
    expect(records.map((r) => r.line)).toEqual([2, 6]);
    expect(reader.layout.elementIndent).toBe('  ');
    expect(reader.layout.eol).toBe('\r\n');
  });
  it('chunk boundaries do not matter (5-byte chunks of the one-line NER file)', () => {
    const bytes = readFileSync(corpus('ner_uniner_crossner_ai.json')).subarray(0, 80_000);
    const run = (step: number) => {
      const s = new JsonArrayScanner(1 << 20);
      const out: LineSlice[] = [];
      for (let i = 0; i < bytes.length; i += step) s.push(bytes.subarray(i, i + step), out);
      return out.map((x) => x.raw.toString());
    };
    const whole = run(bytes.length);
    expect(whole.length).toBeGreaterThan(100);
    expect(run(5)).toEqual(whole);
    expect(run(1)).toEqual(whole);
  });
  it('a trailing comma is a clear error', async () => {
    const path = join(dir, 'trailing.json');
    writeFileSync(path, `[\n${A},\n${B},\n]\n`);
    await expect(readAll(path)).rejects.toMatchObject({ code: 'json_array_syntax', position: { line: 4 } });
  });
});

describe('CSV and TSV', () => {
  it('CRLF with a header and a multi-line quoted field', async () => {
    const { records, reader } = await roundTrip('crlf.csv', 'text,label\r\n"line one\nline two",a\r\nplain,b\r\n');
    expect(reader.csv).toMatchObject({ delimiter: ',', header: true, columns: ['text', 'label'], eol: '\r\n' });
    expect(records.map((r) => r.value)).toEqual([
      { text: 'line one\nline two', label: 'a' },
      { text: 'plain', label: 'b' },
    ]);
    expect(records.map((r) => [r.line, r.row])).toEqual([
      [2, 1],
      [4, 2],
    ]);
    expect(records[0]!.raw.toString()).toBe('"line one\nline two",a');
  });
  it('no header is detected when the first row is data', async () => {
    const { records, reader } = await roundTrip(
      'nohead.tsv',
      'a long first sentence about markets and stocks today\tBusiness\nanother sentence about a game\tSports\nmore text on the economy\tBusiness\n',
    );
    expect(reader.csv?.header).toBe(false);
    expect(reader.csv?.columns).toEqual(['col1', 'col2']);
    expect(records).toHaveLength(3);
  });
  it('the delimiter is sniffed (semicolon) and a BOM kept', async () => {
    const { records, reader } = await roundTrip('semi.txt', '\uFEFFquestion;answer\nwhat;that\nwho;them');
    expect(reader.container).toBe('csv');
    expect(reader.csv?.delimiter).toBe(';');
    expect(reader.layout.bom).toBe(true);
    expect(records.map((r) => r.value)).toEqual([
      { question: 'what', answer: 'that' },
      { question: 'who', answer: 'them' },
    ]);
  });
  it('--no-header and --header override the sniffed header', async () => {
    const path = join(dir, 'override.csv');
    writeFileSync(path, 'text,label\nhello,pos\n');
    expect((await readAll(path, { header: false })).records).toHaveLength(2);
    expect((await readAll(path, { header: true })).records).toHaveLength(1);
  });
});

describe('record offsets', () => {
  it('every corpus record sits at its offset in the file', async () => {
    const { CORPUS_FILES } = await import('./helpers.js');
    for (const c of CORPUS_FILES) {
      const bytes = readFileSync(corpus(c.file));
      const { records } = await readAll(corpus(c.file));
      for (const r of records) expect(bytes.subarray(r.offset, r.offset + r.raw.length).equals(r.raw), `${c.file} record ${r.index}`).toBe(true);
    }
  });
  it('offsets survive BOMs, CRLF and tiny chunks', () => {
    const bytes = Buffer.from(`\uFEFF${A}\r\n\r\n${B}\r\n`);
    const out: LineSlice[] = [];
    const s = new JsonlSplitter(1 << 20);
    for (let i = 0; i < bytes.length; i += 3) s.push(bytes.subarray(i, i + 3), out);
    s.end(out);
    expect(out.map((o) => bytes.subarray(o.offset, o.offset + o.raw.length).toString())).toEqual([A, B]);
  });
});
