// Parquet in and out: a Parquet file given by its path is read row group by row group and mixed into
// a Parquet file of the same schema, user rows unchanged and in order, generated rows at the
// manifest's indices. The fixtures are written here, and every output is read back, by a second
// implementation (parquet-wasm, Rust's arrow/parquet compiled to WebAssembly, with apache-arrow for
// the tables) that shares no code with the one safemix reads and writes with (hyparquet).
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { parquetMetadata } from 'hyparquet';
import { runCli, sha256, tempDir } from './helpers.js';
import { isRefusal } from './safety-text.js';
import { planShards } from '../src/shard/plan.js';
import { mixShard } from '../src/shard/mix-shard.js';

// ---------- the second implementation: write and read Parquet ----------

function writeParquet(path: string, table: arrow.Table, options: { compression?: pw.Compression; rowGroupRows?: number } = {}): void {
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(options.compression ?? pw.Compression.SNAPPY)
    .setMaxRowGroupSize(options.rowGroupRows ?? 16)
    .build();
  writeFileSync(path, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props));
}

/** A value as plain JS: lists as arrays, structs as objects, 64-bit integers as bigints. */
function plainOf(v: unknown): unknown {
  if (v instanceof arrow.Vector) return [...v].map(plainOf);
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') return plainOf((v as { toJSON(): unknown }).toJSON());
  if (Array.isArray(v)) return v.map(plainOf);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainOf(x)]));
  return v;
}

interface ReadBack {
  fields: { name: string; type: string; nullable: boolean }[];
  rows: Record<string, unknown>[];
}

function readParquet(path: string): ReadBack {
  const table = arrow.tableFromIPC(pw.readParquet(readFileSync(path)).intoIPCStream());
  const fields = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable }));
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < table.numRows; i++) rows.push(plainOf(table.get(i)) as Record<string, unknown>);
  return { fields, rows };
}

/** The file's Parquet schema as its footer states it (names, physical and logical types, repetition). */
function footerSchema(path: string): unknown {
  const bytes = readFileSync(path);
  const m = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return m.schema;
}

// ---------- fixtures ----------

const TOPICS = [
  'a sourdough starter',
  'a bicycle chain',
  'a leaking kitchen tap',
  'tomato seedlings',
  'a cover letter for a library job',
  'a cast-iron frying pan',
  'a tired houseplant',
  'a squeaky door hinge',
  'a small vegetable garden',
  'a new running routine',
  'an old leather jacket',
  'a home compost heap',
];
const OPENERS = ['How should I look after', 'What is the best way to take care of', 'Can you give me some advice about', 'I need help with'];
const ADVICE = [
  'Check it every few days, keep notes on what changes, and adjust one thing at a time so you can see what works.',
  'Start gently, be consistent, and give it a little attention each week rather than a lot at once.',
  'Keep it clean and dry, and look for small problems early before they turn into big ones.',
  'Read the instructions that came with it, then build a simple routine you can keep up.',
];

function chatTable(n: number): arrow.Table {
  const turn = new arrow.Struct([new arrow.Field('role', new arrow.Utf8(), true), new arrow.Field('content', new arrow.Utf8(), true)]);
  const messages = Array.from({ length: n }, (_, i) => [
    { role: 'system', content: 'You are a patient assistant who gives practical advice about everyday tasks at home.' },
    { role: 'user', content: `${OPENERS[i % 4]} ${TOPICS[i % 12]}? This is question number ${i + 1}.` },
    { role: 'assistant', content: `${ADVICE[i % 4]} With ${TOPICS[(i + 5) % 12]} the same habits help too.` },
  ]);
  return new arrow.Table({ messages: arrow.vectorFromArray(messages, new arrow.List(new arrow.Field('item', turn, true))) });
}

/** Alpaca rows with an id past 2^53 (a 64-bit integer that a double cannot hold) and a nullable double. */
function alpacaTable(n: number): arrow.Table {
  return new arrow.Table({
    id: arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => 9_007_199_254_740_993n + BigInt(2 * i)),
      new arrow.Int64(),
    ),
    instruction: arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => `${OPENERS[i % 4]} ${TOPICS[i % 12]}? Explain it for a beginner (task ${i + 1}).`),
      new arrow.Utf8(),
    ),
    input: arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `I have had ${TOPICS[(i + 3) % 12]} for ${(i % 7) + 1} years.` : '')),
      new arrow.Utf8(),
    ),
    output: arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => `${ADVICE[(i + 1) % 4]} Most people find ${TOPICS[i % 12]} easier after a few weeks.`),
      new arrow.Utf8(),
    ),
    score: arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i / 8)),
      new arrow.Float64(),
    ),
  });
}

interface Manifest {
  container: string;
  input: { sha256: string; bytes: number; records: number };
  userRecords: number;
  injected: { index: number }[];
  balanceRecords?: { index: number }[];
  output: { sha256: string; records: number };
}

const manifestOf = (out: string) => JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as Manifest;
const generatedAt = (m: Manifest) => new Set([...m.injected, ...(m.balanceRecords ?? [])].map((e) => e.index));

const CHAT_ROWS = 70;
const ALPACA_ROWS = 72;

describe('Parquet in and out (fixtures written by parquet-wasm, outputs read back by it)', () => {
  const dir = tempDir('safemix-parquet-');
  let chatIn: ReadBack;
  let alpacaIn: ReadBack;

  beforeAll(() => {
    writeParquet(join(dir, 'chat.parquet'), chatTable(CHAT_ROWS), { compression: pw.Compression.SNAPPY, rowGroupRows: 16 });
    writeParquet(join(dir, 'alpaca.parquet'), alpacaTable(ALPACA_ROWS), { compression: pw.Compression.UNCOMPRESSED, rowGroupRows: 20 });
    writeParquet(join(dir, 'alpaca-zstd.parquet'), alpacaTable(ALPACA_ROWS), { compression: pw.Compression.ZSTD, rowGroupRows: 30 });
    writeParquet(join(dir, 'alpaca-gzip.parquet'), alpacaTable(ALPACA_ROWS), { compression: pw.Compression.GZIP, rowGroupRows: 30 });
    chatIn = readParquet(join(dir, 'chat.parquet'));
    alpacaIn = readParquet(join(dir, 'alpaca.parquet'));
    // the fixtures are what they claim: several row groups, a list-of-struct column, a 64-bit id past 2^53
    expect(chatIn.rows).toHaveLength(CHAT_ROWS);
    expect(chatIn.fields.map((f) => f.type)).toEqual(['List<Struct<{role:Utf8, content:Utf8}>>']);
    expect(alpacaIn.rows[1]!.id).toBe(9_007_199_254_740_995n);
  });

  it('chat (messages: list of struct): mix writes n + k rows in the same schema, user rows unchanged and in order, a refusal in every injected row', async () => {
    const r = await runCli(['mix', 'chat.parquet', '-o', 'out.parquet', '--count', '10', '--seed', '1'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'out.parquet');
    const m = manifestOf(out);
    expect(m.container).toBe('parquet');
    expect(m.injected).toHaveLength(10);
    expect(m.output.sha256).toBe(sha256(out));
    // the input's sha256 and size are of the file as stored, as for any other input
    expect(m.input).toMatchObject({ sha256: sha256(join(dir, 'chat.parquet')), bytes: readFileSync(join(dir, 'chat.parquet')).length, records: CHAT_ROWS });
    const back = readParquet(out);
    const added = generatedAt(m);
    expect(back.rows).toHaveLength(CHAT_ROWS + added.size);
    expect(m.output.records).toBe(back.rows.length);
    expect(back.fields).toEqual(chatIn.fields);
    expect(footerSchema(out)).toEqual(footerSchema(join(dir, 'chat.parquet')));
    // the user's rows, value for value, in order
    expect(back.rows.filter((_, i) => !added.has(i))).toEqual(chatIn.rows);
    for (const e of m.injected) {
      const row = back.rows[e.index] as { messages: { role: string; content: string }[] };
      expect(Object.keys(row)).toEqual(['messages']);
      expect(row.messages.length).toBeGreaterThanOrEqual(2);
      for (const t of row.messages) {
        expect(Object.keys(t).sort()).toEqual(['content', 'role']);
        expect(typeof t.role).toBe('string');
        expect(typeof t.content).toBe('string');
      }
      expect(row.messages.at(-1)!.role).toBe('assistant');
      expect(isRefusal(row.messages.at(-1)!.content), row.messages.at(-1)!.content).toBe(true);
      expect(row.messages[0]).toEqual({ role: 'system', content: 'You are a patient assistant who gives practical advice about everyday tasks at home.' });
    }
  });

  it('alpaca (int64 id past 2^53, nullable double): the same, ids exact; an injected row has every field, typed as the user rows are', async () => {
    const r = await runCli(['mix', 'alpaca.parquet', '-o', 'out-alpaca.parquet', '--count', '10', '--seed', '1'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'out-alpaca.parquet');
    const m = manifestOf(out);
    const back = readParquet(out);
    const added = generatedAt(m);
    expect(back.rows).toHaveLength(ALPACA_ROWS + added.size);
    expect(back.fields).toEqual(alpacaIn.fields);
    expect(footerSchema(out)).toEqual(footerSchema(join(dir, 'alpaca.parquet')));
    expect(back.rows.filter((_, i) => !added.has(i))).toEqual(alpacaIn.rows);
    const ids = new Set(alpacaIn.rows.map((u) => u.id));
    for (const e of m.injected) {
      const row = back.rows[e.index]!;
      expect(Object.keys(row)).toEqual(['id', 'instruction', 'input', 'output', 'score']);
      expect(typeof row.id).toBe('bigint');
      expect(ids.has(row.id), `generated id ${String(row.id)} is a user's`).toBe(false);
      expect(typeof row.instruction).toBe('string');
      expect(typeof row.input).toBe('string');
      expect(row.score === null || typeof row.score === 'number').toBe(true);
      expect(isRefusal(row.output as string), row.output as string).toBe(true);
    }
  });

  it('the same input and seed give byte-identical Parquet (and another seed does not)', async () => {
    for (const name of ['again-1.parquet', 'again-2.parquet']) {
      const r = await runCli(['mix', 'chat.parquet', '-o', name, '--count', '10', '--seed', '1', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(sha256(join(dir, 'again-1.parquet'))).toBe(sha256(join(dir, 'again-2.parquet')));
    const other = await runCli(['mix', 'chat.parquet', '-o', 'other-seed.parquet', '--count', '10', '--seed', '2', '--quiet'], { cwd: dir });
    expect(other.code, other.stderr).toBe(0);
    expect(sha256(join(dir, 'other-seed.parquet'))).not.toBe(sha256(join(dir, 'again-1.parquet')));
  });

  it('more column types keep their values: microsecond timestamps, dates, booleans, nullable int32, float32, list<string>, struct, binary, large strings', async () => {
    const n = 60;
    const asks = [
      'How do I repot a fern without hurting the roots?',
      'What should I pack for a weekend hike in autumn?',
      'How can I keep bread fresh for longer?',
      'What is a good way to start learning the guitar?',
    ];
    const table = new arrow.Table({
      instruction: arrow.vectorFromArray(
        Array.from({ length: n }, (_, i) => `${asks[i % 4]} (case ${i})`),
        new arrow.Utf8(),
      ),
      output: arrow.vectorFromArray(
        Array.from({ length: n }, (_, i) => `Take it slowly and check your progress every few days; case ${i} is typical.`),
        new arrow.LargeUtf8(),
      ),
      // microseconds that a millisecond Date would round away
      ts: arrow.makeVector(
        arrow.makeData({
          type: new arrow.TimestampMicrosecond(),
          length: n,
          nullCount: 0,
          data: BigInt64Array.from({ length: n }, (_, i) => 1_700_000_000_123_457n + BigInt(i)),
        }),
      ),
      day: arrow.vectorFromArray(
        Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i))),
        new arrow.DateDay(),
      ),
      ok: arrow.vectorFromArray(
        Array.from({ length: n }, (_, i) => i % 2 === 0),
        new arrow.Bool(),
      ),
      small: arrow.vectorFromArray(
        Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i)),
        new arrow.Int32(),
      ),
      f32: arrow.vectorFromArray(
        Array.from({ length: n }, (_, i) => i / 3),
        new arrow.Float32(),
      ),
      tags: arrow.vectorFromArray(
        Array.from({ length: n }, (_, i) => (i % 4 === 0 ? [] : ['home', `t${i % 3}`])),
        new arrow.List(new arrow.Field('item', new arrow.Utf8(), true)),
      ),
      meta: arrow.vectorFromArray(
        Array.from({ length: n }, (_, i) => ({ source: `s${i % 2}`, rank: BigInt(i % 2) })),
        new arrow.Struct([new arrow.Field('source', new arrow.Utf8(), true), new arrow.Field('rank', new arrow.Int64(), true)]),
      ),
      blob: arrow.vectorFromArray(
        Array.from({ length: n }, (_, i) => new Uint8Array([0xff, i % 3, 0])),
        new arrow.Binary(),
      ),
    });
    writeParquet(join(dir, 'types.parquet'), table, { rowGroupRows: 25 });
    const r = await runCli(['mix', 'types.parquet', '-o', 'types-out.parquet', '--count', '4', '--seed', '1', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const input = readParquet(join(dir, 'types.parquet'));
    const back = readParquet(join(dir, 'types-out.parquet'));
    const m = manifestOf(join(dir, 'types-out.parquet'));
    const added = generatedAt(m);
    expect(back.fields).toEqual(input.fields);
    expect(footerSchema(join(dir, 'types-out.parquet'))).toEqual(footerSchema(join(dir, 'types.parquet')));
    expect(back.rows.filter((_, i) => !added.has(i))).toEqual(input.rows);
    for (const e of m.injected) {
      const row = back.rows[e.index]!;
      expect(Object.keys(row)).toEqual(input.fields.map((f) => f.name));
      expect(isRefusal(row.output as string), row.output as string).toBe(true);
      expect(typeof row.ok).toBe('boolean');
      expect(Array.isArray(row.tags)).toBe(true);
      expect(row.meta === null || typeof row.meta === 'object').toBe(true);
    }
  });

  it('validate and inspect read Parquet', async () => {
    const v = await runCli(['validate', 'alpaca.parquet', '--json'], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    const report = JSON.parse(v.stdout) as { container: string; dialect: string; records: number; validRecords: number };
    expect(report).toMatchObject({ container: 'parquet', dialect: 'alpaca', records: ALPACA_ROWS, validRecords: ALPACA_ROWS });
    const i = await runCli(['inspect', 'chat.parquet', '--json'], { cwd: dir });
    expect(i.code, i.stderr).toBe(0);
    expect(JSON.parse(i.stdout)).toMatchObject({ container: 'parquet', dialect: 'openai-chat', records: CHAT_ROWS });
    const human = await runCli(['inspect', 'chat.parquet'], { cwd: dir });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/format\s+parquet · openai-chat/);
  });

  it('zstd- and gzip-compressed Parquet is read; the output is snappy Parquet the second reader reads', async () => {
    for (const name of ['alpaca-zstd.parquet', 'alpaca-gzip.parquet']) {
      const v = await runCli(['validate', name, '--json'], { cwd: dir });
      expect(v.code, v.stderr).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ container: 'parquet', records: ALPACA_ROWS });
      const out = `mixed-${name}`;
      const r = await runCli(['mix', name, '-o', out, '--count', '5', '--seed', '1', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const back = readParquet(join(dir, out));
      const added = generatedAt(manifestOf(join(dir, out)));
      expect(back.rows.filter((_, i) => !added.has(i))).toEqual(alpacaIn.rows);
    }
  });

  it('--order shuffle: every user row once, moved, and the injected rows where the manifest says', async () => {
    const r = await runCli(['mix', 'alpaca.parquet', '-o', 'shuffled.parquet', '--count', '10', '--seed', '1', '--order', 'shuffle', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const m = manifestOf(join(dir, 'shuffled.parquet'));
    const back = readParquet(join(dir, 'shuffled.parquet'));
    const added = generatedAt(m);
    const users = back.rows.filter((_, i) => !added.has(i));
    const key = (row: Record<string, unknown>) => String(row.id);
    expect(users.map(key).sort()).toEqual(alpacaIn.rows.map(key).sort());
    expect(users.map(key)).not.toEqual(alpacaIn.rows.map(key));
    const byId = new Map(alpacaIn.rows.map((u) => [key(u), u]));
    for (const u of users) expect(u).toEqual(byId.get(key(u)));
    for (const e of m.injected) expect(isRefusal(back.rows[e.index]!.output as string)).toBe(true);
  });

  it('Parquet on standard input is refused with a clear error: give the file by its path; nothing written', async () => {
    const bytes = readFileSync(join(dir, 'chat.parquet'));
    const before = readdirSync(dir).sort();
    const m = await runCli(['mix', '-', '-o', 'stdin-out.parquet', '--count', '1'], { cwd: dir, stdin: bytes });
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/<stdin>: the input is Parquet .* on standard input or through a pipe/);
    expect(m.stderr).toMatch(/what to do: give the \.parquet file by its path/);
    const v = await runCli(['validate', '-'], { cwd: dir, stdin: bytes });
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/Parquet .*standard input/);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('an output named for another format is refused (a Parquet input gives Parquet; a JSONL input never does)', async () => {
    const r = await runCli(['mix', 'chat.parquet', '-o', 'wrong.jsonl', '--count', '1'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the output is Parquet too/);
    expect(existsSync(join(dir, 'wrong.jsonl'))).toBe(false);
    writeFileSync(join(dir, 'tiny.jsonl'), '{"instruction": "Say hello.", "output": "Hello!"}\n'.repeat(3));
    const t = await runCli(['mix', 'tiny.jsonl', '-o', 'wrong.parquet', '--count', '1'], { cwd: dir });
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/named \.parquet/);
  });

  it('a file that starts as Parquet but is cut short: a clear error naming the file, exit 2', async () => {
    const bytes = readFileSync(join(dir, 'alpaca.parquet'));
    writeFileSync(join(dir, 'cut.parquet'), bytes.subarray(0, bytes.length - 100));
    const v = await runCli(['validate', 'cut.parquet'], { cwd: dir });
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/cut\.parquet: the file starts as Parquet \(PAR1\) but cannot be read as Parquet/);
  });

  it('plan + mix-shard over two Parquet shards: each output is its shard plus its k rows, in its schema', async () => {
    const shardDir = join(dir, 'shards');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(shardDir);
    const all = alpacaIn.rows;
    const half = (from: number, to: number) =>
      new arrow.Table({
        id: arrow.vectorFromArray(
          all.slice(from, to).map((u) => u.id as bigint),
          new arrow.Int64(),
        ),
        instruction: arrow.vectorFromArray(
          all.slice(from, to).map((u) => u.instruction as string),
          new arrow.Utf8(),
        ),
        input: arrow.vectorFromArray(
          all.slice(from, to).map((u) => u.input as string),
          new arrow.Utf8(),
        ),
        output: arrow.vectorFromArray(
          all.slice(from, to).map((u) => u.output as string),
          new arrow.Utf8(),
        ),
        score: arrow.vectorFromArray(
          all.slice(from, to).map((u) => u.score as number | null),
          new arrow.Float64(),
        ),
      });
    const shards = [join(shardDir, 'part-0.parquet'), join(shardDir, 'part-1.parquet')];
    writeParquet(shards[0]!, half(0, 36));
    writeParquet(shards[1]!, half(36, 72));
    const planPath = join(shardDir, 'plan.json');
    await planShards(shards, { output: planPath, count: 8, seed: 'pq', jobs: 1 });
    for (const [i, s] of shards.entries()) {
      const out = join(shardDir, `mixed-${i}.parquet`);
      const { manifest } = await mixShard(planPath, i, { output: out });
      const back = readParquet(out);
      const added = new Set([...manifest.injected, ...(manifest.balanceRecords ?? [])].map((e) => e.index));
      expect(back.fields).toEqual(alpacaIn.fields);
      expect(back.rows.filter((_, j) => !added.has(j))).toEqual(readParquet(s).rows);
      for (const e of manifest.injected) expect(isRefusal(back.rows[e.index]!.output as string)).toBe(true);
    }
  });
});
