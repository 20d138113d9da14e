// The bad-input catalogue (issues 2 and 10): every case gets a message naming the file, the record
// and the field (or the byte), a hint, the right exit code, and leaves nothing written. The README's
// "Bad input" section lists these kinds; test/hostile.test.ts adds the hostile paths and runs.
import { describe, it, expect } from 'vitest';
import { mkdirSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyDataset } from '../src/api/copy.js';
import { SafemixError } from '../src/errors.js';
import { gzipSync } from 'node:zlib';
import { pseudoRandomBytes, runCli, tempDir } from './helpers.js';

const dir = tempDir('safemix-bad-');

interface Case {
  name: string;
  file: string;
  content: string | Buffer;
  args?: string[];
  exit: number;
  /** Must all appear in the CLI's output (stdout + stderr). */
  says: (string | RegExp)[];
}

const chat = (u: string, a: string) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: u },
      { role: 'assistant', content: a },
    ],
  });
const qa = (q: string, a: string, extra = '') => `{"question": ${JSON.stringify(q)}, "answer": ${JSON.stringify(a)}${extra}}`;
const CHATS = [chat('a', 'b'), chat('c', 'd'), chat('e', 'f')].join('\n') + '\n';
const utf16le = (t: string) => Buffer.from(t, 'utf16le');
const magic = (head: number[] | string, rest = 200) =>
  Buffer.concat([typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head), pseudoRandomBytes(rest)]);
const oneTurn = (m: object) => `${chat('a', 'b')}\n${JSON.stringify({ messages: [{ role: 'user', content: 'x' }, m] })}\n`;

const CASES: Case[] = [
  {
    name: 'invalid JSON on a line',
    file: 'badjson.jsonl',
    content: `${chat('a', 'b')}\n{"messages": [\n${chat('c', 'd')}\n`,
    exit: 1,
    says: ['badjson.jsonl:2', 'invalid_json', 'what to do'],
  },
  {
    name: 'a non-object line',
    file: 'array.jsonl',
    content: `${chat('a', 'b')}\n[1, 2]\n`,
    exit: 1,
    says: ['array.jsonl:2', 'data_type', 'not a JSON object'],
  },
  {
    name: 'invalid UTF-8',
    file: 'latin1.jsonl',
    content: Buffer.concat([
      Buffer.from(`${chat('a', 'b')}\n{"messages": [{"role": "user", "content": "caf`),
      Buffer.from([0xe9]),
      Buffer.from(`"}, {"role": "assistant", "content": "x"}]}\n`),
    ]),
    exit: 1,
    says: ['latin1.jsonl:2', 'invalid_utf8', 'iconv'],
  },
  {
    name: 'a NUL byte',
    file: 'nul.jsonl',
    content: `${chat('a', 'b')}\n${chat('x\u0000y', 'b').replace('\\u0000', '\u0000')}\n`,
    exit: 1,
    says: ['nul.jsonl:2', 'nul_byte'],
  },
  {
    name: 'a line over the size limit',
    file: 'long.jsonl',
    content: `${chat('a', 'b')}\n${chat('x'.repeat(500), 'b')}\n${chat('c', 'd')}\n`,
    args: ['--max-record-bytes', '200'],
    exit: 1,
    says: ['long.jsonl:2', 'record_too_long', 'max-record-bytes'],
  },
  {
    name: 'dialects mixed in one file',
    file: 'mixed.jsonl',
    content: `${chat('a', 'b')}\n{"prompt": "p ->", "completion": " 1"}\n${chat('c', 'd')}\n{"prompt": "q ->", "completion": " 2"}\n`,
    exit: 2,
    says: ['mixed.jsonl:2', 'dialects are mixed', 'prompt-completion', '--format'],
  },
  { name: 'an empty file', file: 'empty.jsonl', content: '', exit: 2, says: ['empty.jsonl', 'empty'] },
  {
    name: 'a CSV ragged row',
    file: 'ragged.csv',
    content: 'text,label\nhello,pos\nbad,row,extra\nok,neg\n',
    exit: 1,
    says: ['ragged.csv:3', 'row 2', 'csv_ragged_row', '3 fields'],
  },
  {
    name: 'an unclosed quote',
    file: 'unclosed.csv',
    content: 'text,label\nhello,pos\n"never closed,neg\nok,neg\n',
    exit: 2,
    says: ['unclosed.csv', 'never closed', 'quote'],
  },
  { name: 'duplicate CSV header names', file: 'dup.csv', content: 'text,label,text\na,b,c\nd,e,f\n', exit: 2, says: ['dup.csv:1', 'field text', 'twice'] },
  {
    name: 'a __proto__ key',
    file: 'proto.jsonl',
    content: `${chat('a', 'b')}\n{"messages": [{"role": "user", "content": "x", "__proto__": {"admin": true}}, {"role": "assistant", "content": "y"}]}\n`,
    exit: 1,
    says: ['proto.jsonl:2', 'messages[0].__proto__', 'forbidden_key'],
  },
  {
    name: 'a constructor key',
    file: 'ctor.jsonl',
    content: `{"question": "a", "answer": "b"}\n{"question": "c", "constructor": {"prototype": 1}}\n`,
    exit: 1,
    says: ['ctor.jsonl:2', 'field constructor', 'forbidden_key'],
  },
  {
    name: 'a JSON object instead of a list',
    file: 'object.json',
    content: JSON.stringify(
      {
        version: 1,
        data: [
          { prompt: 'a', completion: 'b' },
          { prompt: 'c', completion: 'd' },
        ],
      },
      null,
      2,
    ),
    exit: 2,
    says: ['object.json:1', 'no list of records was found', '$.data (2 records)', '--records data[]'],
  },
  // records that are not objects, or not JSON
  { name: 'a string record', file: 'string.jsonl', content: `${qa('a', 'b')}\n"just text"\n`, exit: 1, says: ['string.jsonl:2', 'not_an_object', 'a string'] },
  { name: 'a null record', file: 'null.jsonl', content: `${qa('a', 'b')}\nnull\n`, exit: 1, says: ['null.jsonl:2', 'the record is null'] },
  { name: 'a truncated last line', file: 'trunc.jsonl', content: `${qa('a', 'b')}\n{"question": "c",`, exit: 1, says: ['trunc.jsonl:2', 'invalid_json'] },
  {
    name: 'single-quoted keys (a Python repr, not JSON)',
    file: 'repr.jsonl',
    content: `{'question': 'a', 'answer': 'b'}\n`,
    exit: 1,
    says: ['repr.jsonl:1', 'invalid_json', 'one complete JSON object'],
  },
  { name: 'a NaN literal', file: 'nan.jsonl', content: `{"question": "a", "answer": NaN}\n`, exit: 1, says: ['nan.jsonl:1', 'invalid_json'] },
  {
    name: 'nesting 100,000 deep in a line',
    file: 'deep.jsonl',
    content: `${qa('a', 'b')}\n${qa('c', 'd', `, "meta": ${'['.repeat(100_000)}${']'.repeat(100_000)}`)}\n`,
    exit: 1,
    says: ['deep.jsonl:2', 'nesting_too_deep', 'more than 128 levels', 'flatten'],
  },
  {
    name: 'nesting 200 deep in a JSON array element',
    file: 'deep.json',
    content: `[\n${qa('a', 'b')},\n${qa('c', 'd', `, "meta": ${'{"x": '.repeat(200)}1${'}'.repeat(200)}`)}\n]\n`,
    exit: 1,
    says: ['deep.json:3', 'nesting_too_deep'],
  },
  {
    name: 'an escaped \\u005f_proto__ key',
    file: 'escproto.jsonl',
    content: `${qa('a', 'b')}\n{"question": "c", "answer": "d", "\\u005f_proto__": {"admin": true}}\n`,
    exit: 1,
    says: ['escproto.jsonl:2', 'field __proto__', 'forbidden_key'],
  },
  {
    name: 'a nested prototype key',
    file: 'prototype.jsonl',
    content: `${qa('a', 'b')}\n${qa('c', 'd', ', "meta": {"prototype": 1}')}\n`,
    exit: 1,
    says: ['prototype.jsonl:2', 'field meta.prototype', 'forbidden_key'],
  },
  // JSON array framing
  {
    name: 'an unclosed JSON array',
    file: 'unclosed.json',
    content: `[${qa('a', 'b')},\n${qa('c', 'd')}\n`,
    exit: 2,
    says: ['unclosed.json', 'not closed', 'truncated'],
  },
  {
    name: 'a trailing comma in a JSON array',
    file: 'trailing.json',
    content: `[${qa('a', 'b')},]`,
    exit: 2,
    says: ['trailing.json:1', 'trailing comma', 'remove the comma'],
  },
  {
    name: 'a missing comma between records',
    file: 'nocomma.json',
    content: `[${qa('a', 'b')} ${qa('c', 'd')}]`,
    exit: 2,
    says: ['nocomma.json:1', 'expected "," or "]"'],
  },
  {
    name: 'text after the closing bracket',
    file: 'after.json',
    content: `[${qa('a', 'b')}] trailing`,
    exit: 2,
    says: ['after.json:1', 'after the closing "]"'],
  },
  { name: 'an empty JSON array', file: 'emptyarr.json', content: '[]\n', exit: 2, says: ['emptyarr.json:1', 'the JSON array is empty'] },
  // nothing to read
  { name: 'a whitespace-only file', file: 'ws.jsonl', content: '  \t \n   \n', exit: 2, says: ['ws.jsonl', 'only whitespace', 'at least one record'] },
  { name: 'a file of blank lines', file: 'blank.jsonl', content: '\n\n\r\n\n', exit: 2, says: ['blank.jsonl', 'only whitespace', '4 blank lines'] },
  {
    name: 'a header-only CSV',
    file: 'header.csv',
    content: 'text,label\n',
    exit: 2,
    says: ['header.csv:2', 'header (text,label) but no data rows', '--no-header'],
  },
  // CSV cells and headers
  {
    name: 'a __proto__ CSV header',
    file: 'protohead.csv',
    content: '__proto__,label\na,b\n',
    exit: 2,
    says: ['protohead.csv:1', 'field __proto__', 'rename that column'],
  },
  { name: 'a constructor TSV header', file: 'ctorhead.tsv', content: 'text\tconstructor\na\tb\n', exit: 2, says: ['ctorhead.tsv:1', 'field constructor'] },
  {
    name: 'invalid UTF-8 in a CSV row',
    file: 'latin1.csv',
    content: Buffer.concat([Buffer.from('text,label\nok,pos\ncaf'), Buffer.from([0xe9]), Buffer.from(',neg\n')]),
    exit: 1,
    says: ['latin1.csv:3', 'row 2', 'invalid_utf8', 'iconv'],
  },
  { name: 'a NUL byte in a CSV row', file: 'nul.csv', content: 'text,label\nok,pos\nx\u0000y,neg\n', exit: 1, says: ['nul.csv:3', 'row 2', 'nul_byte'] },
  {
    name: 'a CSV record over the size limit',
    file: 'longrow.csv',
    content: `text,label\nok,pos\n"${'x'.repeat(400)}",neg\n`,
    args: ['--max-record-bytes', '200'],
    exit: 2,
    says: ['longrow.csv', 'larger than the size limit', 'max-record-bytes'],
  },
  // text in another encoding
  {
    name: 'UTF-16LE with a byte order mark',
    file: 'u16.jsonl',
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(CHATS)]),
    exit: 2,
    says: ['u16.jsonl', 'UTF-16LE text', 'byte order mark FF FE at byte 0', 'iconv'],
  },
  {
    name: 'UTF-16BE with a byte order mark',
    file: 'u16be.jsonl',
    content: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf16le(CHATS)).swap16()]),
    exit: 2,
    says: ['u16be.jsonl', 'UTF-16BE text'],
  },
  {
    name: 'UTF-16LE without a byte order mark',
    file: 'u16nobom.csv',
    content: utf16le('text,label\nhello,pos\nbye,neg\n'),
    exit: 2,
    says: ['u16nobom.csv', 'UTF-16LE text', 'NUL byte after most characters'],
  },
  {
    name: 'UTF-32LE with a byte order mark',
    file: 'u32.jsonl',
    content: Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from(Uint32Array.from([...CHATS].map((c) => c.charCodeAt(0))).buffer)]),
    exit: 2,
    says: ['u32.jsonl', 'UTF-32LE text'],
  },
  // binary files
  {
    name: 'random bytes',
    file: 'random.jsonl',
    content: pseudoRandomBytes(20_000),
    exit: 2,
    says: ['random.jsonl', 'the file is binary', 'control characters', 'at byte'],
  },
  // a Parquet file is read (test/parquet.test.ts); one that is not whole is named as such
  {
    name: 'a Parquet file cut short',
    file: 'train.parquet',
    content: magic('PAR1'),
    exit: 2,
    says: ['train.parquet', 'starts as Parquet (PAR1) but cannot be read as Parquet', 'does not end with PAR1'],
  },
  {
    name: 'a SQLite database',
    file: 'db.sqlite',
    content: magic('SQLite format 3\u0000'),
    exit: 2,
    says: ['db.sqlite', 'binary (SQLite database)', 'sqlite3 -csv'],
  },
  {
    name: 'a ZIP archive or .xlsx workbook',
    file: 'sheet.xlsx',
    content: magic([0x50, 0x4b, 0x03, 0x04]),
    exit: 2,
    says: ['sheet.xlsx', 'ZIP (or an .xlsx/.docx document)-compressed', 'export a spreadsheet as CSV'],
  },
  { name: 'a PDF', file: 'paper.pdf', content: magic('%PDF-1.7\n'), exit: 2, says: ['paper.pdf', 'binary (PDF)'] },
  { name: 'an Arrow file', file: 'data.arrow', content: magic('ARROW1'), exit: 2, says: ['data.arrow', 'binary (Arrow IPC)'] },
  { name: 'a NumPy array', file: 'x.npy', content: magic([0x93, ...Buffer.from('NUMPY')]), exit: 2, says: ['x.npy', 'binary (NumPy array)'] },
  // compression
  { name: 'an xz file', file: 'a.jsonl.xz', content: magic([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), exit: 2, says: ['a.jsonl.xz', 'xz-compressed', 'xz -d'] },
  { name: 'a zstd file', file: 'a.jsonl.zst', content: magic([0x28, 0xb5, 0x2f, 0xfd]), exit: 2, says: ['a.jsonl.zst', 'zstd-compressed', 'zstd -d'] },
  { name: 'a bzip2 file', file: 'a.jsonl.bz2', content: magic('BZh91AY&SY'), exit: 2, says: ['a.jsonl.bz2', 'bzip2-compressed', 'bunzip2'] },
  { name: 'a 7-Zip archive', file: 'a.7z', content: magic([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), exit: 2, says: ['a.7z', '7-Zip-compressed'] },
  {
    name: 'a truncated gzip file',
    file: 'cut.jsonl.gz',
    content: gzipSync(CHATS.repeat(200)).subarray(0, 60),
    exit: 2,
    says: ['cut.jsonl.gz', 'gzip data is corrupt or truncated', 'gzip -t'],
  },
  { name: 'gzip of an empty file', file: 'empty.jsonl.gz', content: gzipSync(Buffer.alloc(0)), exit: 2, says: ['empty.jsonl.gz', 'decompresses to nothing'] },
  {
    name: 'gzip inside gzip',
    file: 'twice.jsonl.gz',
    content: gzipSync(gzipSync(CHATS)),
    exit: 2,
    says: ['twice.jsonl.gz', 'gzip-compressed twice', 'gunzip -c'],
  },
  {
    name: 'gzip holding UTF-16',
    file: 'u16.jsonl.gz',
    content: gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(CHATS)])),
    exit: 2,
    says: ['u16.jsonl.gz', 'UTF-16LE text (inside the gzip data)'],
  },
  {
    name: 'gzip holding random bytes',
    file: 'random.bin.gz',
    content: gzipSync(pseudoRandomBytes(20_000)),
    exit: 2,
    says: ['random.bin.gz', 'binary (inside the gzip data)'],
  },
  // dialect checks (openai-chat, alpaca, sharegpt)
  {
    name: 'a message without a role',
    file: 'norole.jsonl',
    content: `${chat('a', 'b')}\n{"messages": [{"content": "x"}, {"role": "assistant", "content": "y"}]}\n`,
    exit: 1,
    says: ['norole.jsonl:2', 'field messages[0].role', 'message_missing_key'],
  },
  {
    name: 'a message without content',
    file: 'nocontent.jsonl',
    content: oneTurn({ role: 'assistant' }),
    exit: 1,
    says: ['nocontent.jsonl:2', 'field messages[1]', 'missing'],
  },
  {
    name: 'no assistant turn',
    file: 'noasst.jsonl',
    content: `${chat('a', 'b')}\n{"messages": [{"role": "user", "content": "x"}]}\n`,
    exit: 1,
    says: ['noasst.jsonl:2', 'example_missing_assistant_message'],
  },
  {
    name: 'an unrecognized role',
    file: 'robot.jsonl',
    content: oneTurn({ role: 'robot', content: 'y' }),
    exit: 1,
    says: ['robot.jsonl:2', 'field messages[1].role', 'unrecognized_role'],
  },
  {
    name: 'an unrecognized message key',
    file: 'extrakey.jsonl',
    content: oneTurn({ role: 'assistant', content: 'y', extra: 1 }),
    exit: 1,
    says: ['extrakey.jsonl:2', 'field messages[1].extra', 'message_unrecognized_key'],
  },
  {
    name: 'a weight that is not 0 or 1',
    file: 'weight.jsonl',
    content: oneTurn({ role: 'assistant', content: 'y', weight: 3 }),
    exit: 1,
    says: ['weight.jsonl:2', 'field messages[1].weight', 'weight_invalid'],
  },
  {
    name: 'tool-call arguments that are not JSON',
    file: 'toolargs.jsonl',
    content: `${chat('a', 'b')}\n${JSON.stringify({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{not json' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'r' },
        { role: 'assistant', content: 'done' },
      ],
    })}\n`,
    exit: 1,
    says: ['toolargs.jsonl:2', 'tool_call_arguments_invalid'],
  },
  {
    name: 'a tool answer to an unknown call',
    file: 'toolid.jsonl',
    content: `${chat('a', 'b')}\n${JSON.stringify({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'zz', content: 'r' },
        { role: 'assistant', content: 'done' },
      ],
    })}\n`,
    exit: 1,
    says: ['toolid.jsonl:2', 'tool_call_id_unknown'],
  },
  {
    name: 'a record of another dialect',
    file: 'other.jsonl',
    content: `${[...Array(30)].map((_, i) => chat(`q${i}`, `a${i}`)).join('\n')}\n{"prompt": "p ->", "completion": " 1"}\n`,
    exit: 1,
    says: ['other.jsonl:31', 'dialect_mismatch', 'prompt-completion'],
  },
  {
    name: 'a sharegpt record with no gpt turn',
    file: 'sharegpt.json',
    content:
      '[{"conversations": [{"from": "human", "value": "a"}, {"from": "gpt", "value": "b"}]},\n{"conversations": [{"from": "human", "value": "a"}, {"from": "robot", "value": "b"}]}]',
    exit: 1,
    says: ['sharegpt.json:2', 'field conversations'],
  },
];

describe('bad input catalogue', () => {
  for (const c of CASES) {
    it(`${c.name}: exit ${c.exit} with file, record and field named`, async () => {
      const path = join(dir, c.file);
      writeFileSync(path, c.content);
      const r = await runCli(['validate', ...(c.args ?? []), path]);
      const text = r.stdout + r.stderr;
      for (const s of c.says) expect(text).toMatch(s);
      expect(r.code).toBe(c.exit);
    });

    it(`${c.name}: a copy fails and writes nothing`, async () => {
      const path = join(dir, c.file);
      writeFileSync(path, c.content);
      const outDir = tempDir('safemix-bad-out-');
      const out = join(outDir, 'out' + c.file.slice(c.file.lastIndexOf('.')));
      const maxRecordBytes = c.args?.[0] === '--max-record-bytes' ? Number(c.args[1]) : undefined;
      await expect(copyDataset(path, out, { maxRecordBytes })).rejects.toBeInstanceOf(SafemixError);
      expect(readdirSync(outDir)).toEqual([]);
    });
  }

  it('a directory as input', async () => {
    const d = join(dir, 'adir.jsonl');
    mkdirSync(d, { recursive: true });
    const r = await runCli(['validate', d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('adir.jsonl: is a directory');
  });

  it('a missing path as input', async () => {
    const r = await runCli(['validate', join(dir, 'nope.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.jsonl: no such file\n\s+what to do: check the path/);
  });

  it('bad usage exits 2', async () => {
    const r = await runCli(['validate', '--format', 'klingon', 'x.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are/);
  });

  it('never overwrites its input', async () => {
    const path = join(dir, 'self.jsonl');
    writeFileSync(path, `${chat('a', 'b')}\n`);
    await expect(copyDataset(path, path)).rejects.toMatchObject({ code: 'input_is_output' });
    expect(existsSync(path)).toBe(true);
  });
});

/** Every file below a directory with its bytes, to show that a refused command wrote nothing. */
function filesOf(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(d, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    if (e.isFile()) out[p.slice(d.length)] = readFileSync(p).toString('base64');
  }
  return out;
}

describe('bad input to plan, mix-shard, merge-manifests, multi-file mix and worker', () => {
  const QA = Array.from({ length: 30 }, (_, i) => qa(`How do I reset router ${i}?`, `Hold its button (${i}).`)).join('\n') + '\n';
  const ws = () => {
    const d = tempDir('safemix-bad-shards-');
    writeFileSync(join(d, 's0.jsonl'), QA);
    writeFileSync(join(d, 's1.jsonl'), QA.split('\n').reverse().join('\n').trim() + '\n');
    return d;
  };
  const planned = async (d: string) => {
    const r = await runCli(['plan', 's0.jsonl', 's1.jsonl', '-o', 'plan.json', '--count', '4', '--quiet'], { cwd: d });
    expect(r.code, r.stderr).toBe(0);
  };
  const refusedCleanly = async (d: string, args: string[], code: number, says: (string | RegExp)[]) => {
    const before = filesOf(d);
    const r = await runCli(args, { cwd: d });
    for (const s of says) expect(r.stderr).toMatch(s);
    expect(r.stderr).toContain('what to do');
    expect(r.stderr).not.toMatch(/internal error|failed \(E[A-Z]+\)|\n\s+at .+:\d+:\d+/);
    expect(r.code).toBe(code);
    expect(filesOf(d)).toEqual(before);
  };

  it('plan: a missing shard, a binary shard, a directory as -o', async () => {
    const d = ws();
    await refusedCleanly(d, ['plan', 's0.jsonl', 'nosuch.jsonl', '-o', 'plan.json'], 2, ['nosuch.jsonl: no such file']);
    writeFileSync(join(d, 'bin.jsonl'), pseudoRandomBytes(4000));
    await refusedCleanly(d, ['plan', 's0.jsonl', 'bin.jsonl', '-o', 'plan.json'], 2, ['bin.jsonl: the file is binary']);
    mkdirSync(join(d, 'out'));
    await refusedCleanly(d, ['plan', 's0.jsonl', '-o', 'out'], 2, ['is a directory, not a regular file']);
  });

  it('mix-shard: a missing plan, a plan that is not JSON, a shard index outside the plan, a missing shard', async () => {
    const d = ws();
    await refusedCleanly(d, ['mix-shard', 'nosuch.json', '--shard', '0', '-o', 'o.jsonl'], 2, ['nosuch.json']);
    writeFileSync(join(d, 'bad.json'), '{"not": "a plan"');
    await refusedCleanly(d, ['mix-shard', 'bad.json', '--shard', '0', '-o', 'o.jsonl'], 2, ['bad.json']);
    await planned(d);
    await refusedCleanly(d, ['mix-shard', 'plan.json', '--shard', '2', '-o', 'o.jsonl'], 2, ['--shard 2 is not in the plan', 'give --shard 0 to 1']);
    await refusedCleanly(d, ['mix-shard', 'plan.json', '--shard', '0', '--input', 'nosuch.jsonl', '-o', 'o.jsonl'], 2, ['nosuch.jsonl']);
  });

  it('merge-manifests: a missing plan, a shard not mixed yet, a manifest that is not one', async () => {
    const d = ws();
    await refusedCleanly(d, ['merge-manifests', 'nosuch.json', 'o0.jsonl'], 2, ['nosuch.json']);
    await planned(d);
    expect((await runCli(['mix-shard', 'plan.json', '--shard', '0', '-o', 'o0.jsonl', '--quiet'], { cwd: d })).code).toBe(0);
    await refusedCleanly(d, ['merge-manifests', 'plan.json', 'o0.jsonl', 'o1.jsonl'], 2, ['o1.jsonl.manifest.json', "that shard's mix has not finished"]);
    writeFileSync(join(d, 'o1.jsonl.manifest.json'), '{"hello": 1}');
    await refusedCleanly(d, ['merge-manifests', 'plan.json', 'o0.jsonl', 'o1.jsonl'], 2, ['is not a mix-shard manifest']);
  });

  it('mix of several files: a missing one, a binary one, stdin among them: refused before anything is written', async () => {
    const d = ws();
    mkdirSync(join(d, 'out'));
    await refusedCleanly(d, ['mix', 's0.jsonl', 'nosuch.jsonl', '-o', 'out'], 2, ['nosuch.jsonl: no such file']);
    writeFileSync(join(d, 'bin.jsonl'), pseudoRandomBytes(4000));
    await refusedCleanly(d, ['mix', 's0.jsonl', 'bin.jsonl', '-o', 'out'], 2, ['bin.jsonl: the file is binary']);
    await refusedCleanly(d, ['mix', 's0.jsonl', '-', '-o', 'out'], 2, ['standard input cannot be one of several inputs']);
  });

  it('worker: an unreachable Redis is said with the URL masked, exit 2', async () => {
    const r = await runCli(['worker', '--redis', 'redis://:hunter2@127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot reach Redis at redis://:***@127.0.0.1:1');
    expect(r.stderr).not.toContain('hunter2');
  }, 60_000);
});
