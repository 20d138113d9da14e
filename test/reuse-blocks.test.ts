// The copying pass reads into a ring of reused blocks (ReadOptions.reuseBlocks): whatever outlives
// its block must have been copied. These tests build files whose framing does outlive blocks (a BOM,
// megabytes of blank lines between two records, records longer than a block, CRLF, quoted CSV cells
// with line breaks across block boundaries, no final line break) from real text, and hold the ring
// reading to the file's bytes: records and separators copied through come out byte for byte.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.js';
import { DatasetReader } from '../src/read/reader.js';
import { RecordSink } from '../src/write/record-sink.js';
import { StdoutSink, type StdoutLike } from '../src/write/stdout-sink.js';
import { mixFile } from '../src/api/mix.js';

const MULTI = join(__dirname, 'corpus/multilingual/questions_xquad_11lang.tsv');
const MB = 1024 * 1024;

/** Real questions in 11 languages. */
function texts(): string[] {
  const rows = readFileSync(MULTI, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'));
  const out = rows.flatMap((r) => r.filter((c) => c.length > 20));
  expect(out.length).toBeGreaterThan(100);
  return out;
}

/**
 * JSON Lines whose framing outlives read blocks: a BOM, LF and CRLF endings, a 7 MB run of blank
 * and whitespace-only lines, two records of 1.5 MB, and no line break after the last record.
 */
function awkwardJsonl(): Buffer {
  const t = texts();
  const parts: string[] = ['\ufeff'];
  const record = (i: number, content = t[i % t.length]!) =>
    JSON.stringify({
      messages: [
        { role: 'user', content },
        { role: 'assistant', content: t[(i * 7 + 3) % t.length]! },
      ],
    });
  let i = 0;
  const some = (n: number) => {
    for (let k = 0; k < n; k++, i++) parts.push(record(i) + (i % 3 === 0 ? '\r\n' : '\n'));
  };
  some(3000);
  // blank lines across several blocks: the bytes between two records
  for (let k = 0; k < 4800; k++) parts.push(k % 2 ? '\n' : ' \t'.repeat(1500) + '\r\n');
  some(3000);
  parts.push(
    record(
      i++,
      t
        .join(' ')
        .repeat(Math.ceil((1.5 * MB) / t.join(' ').length))
        .slice(0, 1.5 * MB),
    ) + '\n',
  );
  some(2000);
  parts.push(
    record(
      i++,
      t
        .slice()
        .reverse()
        .join(' ')
        .repeat(Math.ceil((1.5 * MB) / t.join(' ').length))
        .slice(0, 1.5 * MB),
    ) + '\r\n',
  );
  some(2000);
  parts.push(record(i++));
  return Buffer.from(parts.join(''));
}

/** CSV with a quoted text column whose cells hold line breaks and doubled quotes, CRLF rows. */
function awkwardCsv(): Buffer {
  const t = texts();
  const rows = ['id,question,answer\r\n'];
  let size = 0;
  for (let i = 0; size < 6 * MB; i++) {
    const q = `"${t[i % t.length]!.replace(/"/g, '""')}\r\n${t[(i + 1) % t.length]!.replace(/"/g, '""')} ""quoted""\n${'x'.repeat(i % 997)}"`;
    const row = `${i},${q},"${t[(i * 5 + 2) % t.length]!.replace(/"/g, '""')}"\r\n`;
    rows.push(row);
    size += Buffer.byteLength(row);
  }
  return Buffer.from(rows.join(''));
}

/** Every record copied through a RecordSink from a ring-reading reader, gathered as written. */
async function copyThrough(path: string, reuseBlocks: boolean): Promise<{ bytes: Buffer; records: number }> {
  const reader = await DatasetReader.open(path, { parse: false, reuseBlocks });
  const written: Buffer[] = [];
  // the sink's bytes are copied as they come, as the output file's worker does
  const sink = new RecordSink({ write: (b) => written.push(Buffer.from(b)) }, reader.layout);
  let records = 0;
  for await (const batch of reader.batches()) {
    for (const r of batch) {
      sink.writeUser(r);
      records++;
    }
  }
  sink.end(reader.layout.suffix);
  return { bytes: Buffer.concat(written), records };
}

describe('a reader that reuses its read blocks copies records through byte for byte', () => {
  const dir = tempDir('safemix-ring-');

  it('JSON Lines: BOM, CRLF, megabytes of blank lines, records longer than a block, no final line break', async () => {
    const path = join(dir, 'awkward.jsonl');
    const data = awkwardJsonl();
    expect(data.length).toBeGreaterThan(7 * MB);
    writeFileSync(path, data);
    const ring = await copyThrough(path, true);
    expect(ring.records).toBe(10_003);
    expect(ring.bytes.equals(data)).toBe(true);
    // and the same as the reading that allocates a block per read
    expect((await copyThrough(path, false)).bytes.equals(ring.bytes)).toBe(true);
  }, 60_000);

  it('CSV: quoted cells with line breaks and doubled quotes across block boundaries', async () => {
    const path = join(dir, 'awkward.csv');
    const data = awkwardCsv();
    writeFileSync(path, data);
    const ring = await copyThrough(path, true);
    expect(ring.bytes.equals(data)).toBe(true);
    expect(ring.records).toBe(
      data
        .toString('utf8')
        .split('\r\n')
        .filter((l) => /^\d+,"/.test(l)).length,
    );
  }, 60_000);

  it('mix on that JSON Lines file keeps every user record and the bytes between user records', async () => {
    const path = join(dir, 'awkward-mix.jsonl');
    const data = awkwardJsonl();
    writeFileSync(path, data);
    const out = join(dir, 'awkward.mixed.jsonl');
    const { manifest } = await mixFile(path, { output: out, ratio: 0.01, onEncoded: 'warn' });
    expect(manifest.injected.length).toBe(100);
    const input = await DatasetReader.open(path, { parse: false });
    const mixed = await DatasetReader.open(out, { parse: false });
    const injected = new Set([...manifest.injected, ...(manifest.balanceRecords ?? [])].map((r) => r.index));
    const users: { raw: Buffer; sep: Buffer }[] = [];
    for await (const batch of input.batches()) for (const r of batch) users.push({ raw: Buffer.from(r.raw), sep: Buffer.from(r.sepBefore) });
    let u = 0;
    let afterUser = false;
    for await (const batch of mixed.batches()) {
      for (const r of batch) {
        if (injected.has(r.index)) {
          afterUser = false;
          continue;
        }
        expect(r.raw.equals(users[u]!.raw)).toBe(true);
        // a user record that follows a user record keeps the exact bytes that preceded it in the input
        if (afterUser) expect(r.sepBefore.equals(users[u]!.sep)).toBe(true);
        afterUser = true;
        u++;
      }
    }
    expect(u).toBe(users.length);
    expect(
      readFileSync(out)
        .subarray(0, 3)
        .equals(Buffer.from([0xef, 0xbb, 0xbf])),
    ).toBe(true);
  }, 120_000);
});

describe('standard output keeps no reference to bytes its caller may reuse', () => {
  it('a write of a block or more reaches the stream as it was, though the caller overwrites it at once', async () => {
    // a pipe that has not written anything yet holds what it was given
    const held: Buffer[] = [];
    const stream: StdoutLike = { write: (b) => (held.push(b), true), once: () => stream, on: () => stream, off: () => stream };
    const sink = new StdoutSink(stream);
    const block = Buffer.alloc(2 * MB, 'a');
    sink.write(block);
    block.fill('b');
    sink.write(Buffer.from('tail'));
    sink.flush();
    const got = Buffer.concat(held).toString('latin1');
    expect(got).toBe('a'.repeat(2 * MB) + 'tail');
  });
});
