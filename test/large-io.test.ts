// Large inputs take the fast paths of issue 12: the input and the output are hashed (and the output
// written) on a worker thread, records are read in batches, and records past the first thousand are
// checked from a Latin-1 reading of their bytes. These tests hold those paths to the plain ones: the
// same bytes out, the manifest's hashes equal to node:crypto's over the files, and the fast reading
// equal to the exact one on real text in 13 languages.
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDir } from './helpers.js';
import { mixFile } from '../src/api/mix.js';
import { SAMPLE_MAX_BYTES } from '../src/api/sample.js';
import { DatasetReader } from '../src/read/reader.js';
import { BlockWriteError, PARALLEL_MIN_BYTES, Sha256 } from '../src/sha256.js';
import { MANIFEST_SPOOL_LEAD } from '../src/write/injected-spool.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MULTI = join(__dirname, 'corpus/multilingual/questions_xquad_11lang.tsv');

/** Real multilingual questions as chat records, repeated past `bytes`, with a varied id per record. */
function multilingualChat(bytes: number): Buffer {
  const rows = readFileSync(MULTI, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'));
  const texts = rows.flatMap((r) => r.filter((c) => c.length > 20));
  expect(texts.length).toBeGreaterThan(100);
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const q = texts[i % texts.length]!;
    const line = JSON.stringify({
      id: `q-${i}`,
      messages: [
        { role: 'user', content: q },
        { role: 'assistant', content: texts[(i * 7 + 3) % texts.length]! },
      ],
    });
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

describe('the worker-thread hash', () => {
  it('equals node:crypto over blocks of every size, across the slot boundaries', () => {
    const data = Buffer.alloc(5 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    const h = new Sha256(true);
    let off = 0;
    for (const n of [1, 7, 1 << 20, 3, (1 << 20) - 2, 2 << 20, 999_999]) {
      h.update(data.subarray(off, Math.min(data.length, off + n)));
      off = Math.min(data.length, off + n);
    }
    h.update(data.subarray(off));
    expect(h.digestHex()).toBe(sha(data));
    expect(new Sha256(true).digestHex()).toBe(sha(Buffer.alloc(0)));
  });

  it('writes a file of several flush intervals byte for byte, and a failed flush to disk is an error, not lost', () => {
    const dir = tempDir();
    const data = Buffer.alloc(70 * 1024 * 1024 + 5);
    for (let i = 0; i < data.length; i += 4096) data[i] = (i * 2654435761) >>> 24;
    const path = join(dir, 'out.bin');
    const fd = openSync(path, 'w');
    const h = new Sha256(true, { writeFd: fd });
    for (let off = 0; off < data.length; off += 3_000_017) h.update(data.subarray(off, off + 3_000_017));
    h.settle();
    expect(h.digestHex()).toBe(sha(data));
    closeSync(fd);
    expect(sha(readFileSync(path))).toBe(sha(data));

    // /dev/null takes the writes but cannot be flushed (EINVAL): the flush the worker starts every
    // 32 MB fails, and the stream reports it (Linux reports a writeback error once per open file:
    // a flush error dropped here would never reach the output's final fsync)
    const nul = openSync('/dev/null', 'w');
    try {
      const failing = new Sha256(true, { writeFd: nul });
      expect(() => {
        for (let off = 0; off < data.length; off += 1 << 20) failing.update(data.subarray(off, off + (1 << 20)));
        failing.settle();
      }).toThrow(BlockWriteError);
      failing.close();
    } finally {
      closeSync(nul);
    }
  });
});

describe('a large input (past the worker threshold) mixes as a small one does', () => {
  const dir = tempDir('safemix-large-');
  const input = join(dir, 'big.jsonl');
  const data = multilingualChat(PARALLEL_MIN_BYTES + 2 * 1024 * 1024);
  writeFileSync(input, data);

  it('the manifest hashes are those of the files; the same seed gives the same bytes; every user record is there, unchanged', async () => {
    expect(statSync(input).size).toBeGreaterThanOrEqual(PARALLEL_MIN_BYTES);
    const a = await mixFile(input, { output: join(dir, 'a.jsonl'), ratio: 0.01, onEncoded: 'warn' });
    const b = await mixFile(input, { output: join(dir, 'b.jsonl'), ratio: 0.01, onEncoded: 'warn' });
    const outA = readFileSync(join(dir, 'a.jsonl'));
    expect(a.manifest.input.sha256).toBe(sha(data));
    expect(a.manifest.output.sha256).toBe(sha(outA));
    expect(a.manifest.output.bytes).toBe(outA.length);
    expect(readFileSync(join(dir, 'b.jsonl')).equals(outA)).toBe(true);
    expect(b.manifest.output.sha256).toBe(a.manifest.output.sha256);
    // the manifest is written entry by entry, byte for byte what JSON.stringify gives
    expect(a.manifest.injected.length).toBeGreaterThan(100);
    expect(readFileSync(join(dir, 'a.jsonl.manifest.json'), 'utf8')).toBe(JSON.stringify(a.manifest, null, 2) + '\n');
    const injected = new Set([...a.manifest.injected, ...(a.manifest.balanceRecords ?? [])].map((r) => r.index));
    const user = outA
      .toString('utf8')
      .split('\n')
      .filter((l, i) => l && !injected.has(i));
    expect(user.join('\n') + '\n').toBe(data.toString('utf8'));
  }, 120_000);
});

describe('the fast reading (records past the first thousand) checks as the exact reading does', () => {
  const dir = tempDir('safemix-fast-read-');

  async function readAll(path: string, exactRecords?: number) {
    const reader = await DatasetReader.open(path, { exactRecords });
    const out = [];
    for await (const r of reader.records()) out.push({ r, exact: reader.exactValue(r) });
    return out;
  }

  it('on real text in 13 languages: the same shape and ASCII, the exact value on request', async () => {
    const path = join(dir, 'multi.jsonl');
    writeFileSync(path, multilingualChat(400_000));
    const exact = await readAll(path);
    const fast = await readAll(path, 0);
    expect(fast.length).toBe(exact.length);
    let nonAscii = 0;
    for (let i = 0; i < fast.length; i++) {
      expect(fast[i]!.r.approximate).toBe(true);
      expect(fast[i]!.exact).toEqual(exact[i]!.r.value);
      const v = fast[i]!.r.value as { id: string; messages: { role: string; content: string }[] };
      const e = exact[i]!.r.value as typeof v;
      expect(v.id).toBe(e.id);
      expect(v.messages.map((m) => m.role)).toEqual(e.messages.map((m) => m.role));
      if (/[^\x00-\x7f]/.test(e.messages[0]!.content)) nonAscii++;
    }
    expect(nonAscii).toBeGreaterThan(fast.length / 3);
  });

  it('every bad record gets the same problem, message and field in both readings', async () => {
    const path = join(dir, 'bad.jsonl');
    const lines = [
      '{"messages": [{"role": "user", "content": "Привет"}]}',
      '{"messages": [{"role": "user", "content": "x", "__proto__": {"a": 1}}]}',
      '{"messages": [{"role": "user", "content": "x", "\\u005f_proto__": 1}]}',
      '{"a": ' + '['.repeat(200) + ']'.repeat(200) + '}',
      '{"text": "café", "n": 1',
      '[1, 2]',
      '"just a string"',
      '{"text": "a\u0000b"}',
      '{"ключ": {"constructor": 1}}',
    ];
    const bytes = Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a])]);
    writeFileSync(path, bytes);
    const exact = await readAll(path);
    const fast = await readAll(path, 0);
    expect(fast.map((x) => x.r.problem)).toEqual(exact.map((x) => x.r.problem));
    expect(exact.filter((x) => x.r.problem).map((x) => x.r.problem!.code)).toEqual([
      'forbidden_key',
      'forbidden_key',
      'nesting_too_deep',
      'invalid_json',
      'not_an_object',
      'not_an_object',
      'nul_byte',
      'forbidden_key',
      'invalid_utf8',
    ]);
    expect(fast.find((x) => x.r.problem?.code === 'forbidden_key' && x.r.line === 9)!.r.problem!.field).toBe('ключ.constructor');
  });

  it('CSV: quoted multi-line cells read fast decode to the exact cells', async () => {
    const path = join(dir, 'rows.csv');
    const rows = ['id,text,label'];
    for (let i = 0; i < 1500; i++) rows.push(`${i},"línea ${i}\nzweite ""Zeile"" ${'日本語'.repeat(i % 3)}",${i % 2 ? 'pos' : 'neg'}`);
    writeFileSync(path, rows.join('\r\n') + '\r\n');
    const exact = await readAll(path);
    const fast = await readAll(path, 0);
    expect(fast.length).toBe(1500);
    for (let i = 0; i < fast.length; i++) {
      expect(fast[i]!.r.raw.equals(exact[i]!.r.raw)).toBe(true);
      expect(fast[i]!.exact).toEqual(exact[i]!.r.value);
    }
    expect((fast[1499]!.exact as Record<string, string>).text).toBe('línea 1499\nzweite "Zeile" ' + '日本語'.repeat(1499 % 3));
  });
});

describe('the plain-chat shortcut of validation answers as the full check does', () => {
  const base = () => ({
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi?' },
      { role: 'assistant', content: 'Hello.' },
    ],
  });
  const cases: [string, (r: ReturnType<typeof base>) => unknown, string[]][] = [
    ['a plain record', (r) => r, []],
    ['a developer turn', (r) => ((r.messages[0]!.role = 'developer'), r), []],
    ['weight on the assistant turn', (r) => ({ messages: [...r.messages.slice(0, 2), { ...r.messages[2], weight: 1 }] }), []],
    ['weight on a user turn', (r) => ({ messages: [r.messages[0], { ...r.messages[1], weight: 0 }, r.messages[2]] }), ['weight_invalid']],
    ['empty content', (r) => ((r.messages[1]!.content = ''), r), ['missing_content']],
    ['no assistant turn', (r) => ({ messages: r.messages.slice(0, 2) }), ['example_missing_assistant_message']],
    ['an unknown role', (r) => ((r.messages[1]!.role = 'customer'), r), ['unrecognized_role']],
    ['a tool turn with no id', (r) => ({ messages: [...r.messages, { role: 'tool', content: '{}' }] }), ['tool_message_missing_id']],
    ['an extra top-level key', (r) => ({ ...r, source: 'web' }), ['message_unrecognized_key']],
    ['an extra message key', (r) => ({ messages: [r.messages[0], { ...r.messages[1], lang: 'en' }, r.messages[2]] }), ['message_unrecognized_key']],
    ['content parts', (r) => ({ messages: [r.messages[0], { role: 'user', content: [{ type: 'text', text: 'Hi?' }] }, r.messages[2]] }), []],
  ];
  for (const [what, make, codes] of cases) {
    it(what, async () => {
      const { validateRecord } = await import('../src/profile/validate-record.js');
      expect(validateRecord('openai-chat', make(base())).map((i) => i.code)).toEqual(codes);
    });
  }
});

describe('the sample is bounded by bytes as well as by count', () => {
  it('under the bound it is exactly the count-bounded sample; over it, uniform, deterministic, within the bound', async () => {
    const { Reservoir } = await import('../src/profile/reservoir.js');
    const run = (maxBytes: number | undefined, sizes: number[]) => {
      const r = new Reservoir<{ i: number; bytes: number }>(50, 'seed', maxBytes === undefined ? undefined : { maxBytes, bytesOf: (x) => x.bytes });
      sizes.forEach((bytes, i) => r.offer(() => ({ i, bytes })));
      return r;
    };
    const small = Array.from({ length: 1000 }, (_, i) => 10 + (i % 7));
    expect(run(1 << 20, small).items).toEqual(run(undefined, small).items);
    expect(run(1 << 20, small).capped).toBe(false);
    const big = Array.from({ length: 1000 }, (_, i) => 1000 + (i % 13) * 100);
    const a = run(20_000, big);
    expect(a.capped).toBe(true);
    expect(a.items.reduce((n, x) => n + x.bytes, 0)).toBeLessThanOrEqual(20_000);
    expect(a.items.length).toBeGreaterThan(5);
    expect(run(20_000, big).items).toEqual(a.items);
    // uniform: over many seeds, early and late records are kept about equally often
    let early = 0;
    let late = 0;
    for (let s = 0; s < 300; s++) {
      const r = new Reservoir<number>(50, `s${s}`, { maxBytes: 10 * 1000, bytesOf: () => 1000 });
      for (let i = 0; i < 1000; i++) r.offer(() => i);
      for (const i of r.items) i < 500 ? early++ : late++;
    }
    expect(early + late).toBe(3000);
    expect(Math.abs(early - late) / 3000).toBeLessThan(0.08);
  });

  it('a file of large records: the profile samples fewer records, and the manifest says so', async () => {
    const dir = tempDir('safemix-big-records-');
    const input = join(dir, 'long.jsonl');
    const text = readFileSync(MULTI, 'utf8').replace(/\s+/g, ' ');
    const lines: string[] = [];
    for (let i = 0; i < 360; i++) {
      const long = text
        .slice((i * 997) % 5000)
        .repeat(Math.ceil(100_000 / text.length) + 1)
        .slice(0, 100_000);
      lines.push(
        JSON.stringify({
          messages: [
            { role: 'user', content: `Summarise document ${i}: ${long}` },
            { role: 'assistant', content: `Summary ${i}.` },
          ],
        }),
      );
    }
    writeFileSync(input, lines.join('\n') + '\n');
    const r = await mixFile(input, { output: join(dir, 'out.jsonl'), count: 5, onEncoded: 'warn' });
    // the sample holds as many records as fit in SAMPLE_MAX_BYTES, far fewer than 360
    const sizes = lines.map((l) => Buffer.byteLength(l));
    expect(r.manifest.profile.sample).toBeLessThanOrEqual(Math.floor(SAMPLE_MAX_BYTES / Math.min(...sizes)));
    expect(r.manifest.profile.sample).toBeGreaterThanOrEqual(Math.floor(SAMPLE_MAX_BYTES / Math.max(...sizes)));
    expect(r.manifest.profile.sample).toBeLessThan(150);
    expect(r.manifest.notes.join('\n')).toMatch(
      new RegExp(`the profile's sample holds ${r.manifest.profile.sample} records, the most that fit in ${SAMPLE_MAX_BYTES / 2 ** 20} MiB`),
    );
  }, 120_000);
});

describe("the manifest's list of safety records kept on disk (keepInjected: false, as the CLI runs)", () => {
  const dir = tempDir('safemix-spool-');
  const input = join(__dirname, 'corpus/chat_openai_travel_finetune_hotel.jsonl');

  it('gives the same output and byte-identical manifest as the list kept in memory, and leaves no temp file', async () => {
    // 6,000 entries: more than one gathered write and more than one block read back (about 1.8 MB of list)
    const kept = await mixFile(input, { output: join(dir, 'kept.jsonl'), count: 6000, force: true });
    const spooled = await mixFile(input, { output: join(dir, 'spooled.jsonl'), count: 6000, force: true, keepInjected: false });
    expect(readFileSync(join(dir, 'spooled.jsonl')).equals(readFileSync(join(dir, 'kept.jsonl')))).toBe(true);
    const manifestText = readFileSync(join(dir, 'spooled.jsonl.manifest.json'), 'utf8');
    expect(manifestText.length).toBeGreaterThan(1.5 * 1024 * 1024);
    const fromFile = JSON.parse(manifestText);
    expect(fromFile.injected).toHaveLength(6000);
    // the same bytes but for the output's own name
    expect(manifestText.replaceAll('spooled.jsonl', 'kept.jsonl')).toBe(readFileSync(join(dir, 'kept.jsonl.manifest.json'), 'utf8'));
    expect(spooled.manifest.injected).toHaveLength(0);
    const counts: Record<string, number> = {};
    for (const e of kept.manifest.injected) counts[e.category] = (counts[e.category] ?? 0) + 1;
    expect(spooled.categories).toEqual(counts);
    expect(kept.categories).toEqual(counts);
    const left = readdirSync(tmpdir()).filter((n) => n.startsWith(MANIFEST_SPOOL_LEAD) && n.includes(`-${process.pid}-`));
    expect(left).toEqual([]);
  }, 120_000);
});
