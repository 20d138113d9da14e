// The bad-input catalogue (issue 2): every case gets a message naming the file, the record and the
// field, a hint, the right exit code, and leaves nothing written.
import { describe, it, expect } from 'vitest';
import { mkdirSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyDataset } from '../src/api/copy.js';
import { SafemixError } from '../src/errors.js';
import { runCli, tempDir } from './helpers.js';

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

const chat = (u: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: u }, { role: 'assistant', content: a }] });

const CASES: Case[] = [
  { name: 'invalid JSON on a line', file: 'badjson.jsonl', content: `${chat('a', 'b')}\n{"messages": [\n${chat('c', 'd')}\n`, exit: 1, says: ['badjson.jsonl:2', 'invalid_json', 'what to do'] },
  { name: 'a non-object line', file: 'array.jsonl', content: `${chat('a', 'b')}\n[1, 2]\n`, exit: 1, says: ['array.jsonl:2', 'data_type', 'not a JSON object'] },
  { name: 'invalid UTF-8', file: 'latin1.jsonl', content: Buffer.concat([Buffer.from(`${chat('a', 'b')}\n{"messages": [{"role": "user", "content": "caf`), Buffer.from([0xe9]), Buffer.from(`"}, {"role": "assistant", "content": "x"}]}\n`)]), exit: 1, says: ['latin1.jsonl:2', 'invalid_utf8', 'iconv'] },
  { name: 'a NUL byte', file: 'nul.jsonl', content: `${chat('a', 'b')}\n${chat('x\u0000y', 'b').replace('\\u0000', '\u0000')}\n`, exit: 1, says: ['nul.jsonl:2', 'nul_byte'] },
  { name: 'a line over the size limit', file: 'long.jsonl', content: `${chat('a', 'b')}\n${chat('x'.repeat(500), 'b')}\n${chat('c', 'd')}\n`, args: ['--max-record-bytes', '200'], exit: 1, says: ['long.jsonl:2', 'record_too_long', 'max-record-bytes'] },
  { name: 'dialects mixed in one file', file: 'mixed.jsonl', content: `${chat('a', 'b')}\n{"prompt": "p ->", "completion": " 1"}\n${chat('c', 'd')}\n{"prompt": "q ->", "completion": " 2"}\n`, exit: 2, says: ['mixed.jsonl:2', 'dialects are mixed', 'prompt-completion', '--format'] },
  { name: 'an empty file', file: 'empty.jsonl', content: '', exit: 2, says: ['empty.jsonl', 'empty'] },
  { name: 'a CSV ragged row', file: 'ragged.csv', content: 'text,label\nhello,pos\nbad,row,extra\nok,neg\n', exit: 1, says: ['ragged.csv:3', 'row 2', 'csv_ragged_row', '3 fields'] },
  { name: 'an unclosed quote', file: 'unclosed.csv', content: 'text,label\nhello,pos\n"never closed,neg\nok,neg\n', exit: 2, says: ['unclosed.csv', 'never closed', 'quote'] },
  { name: 'duplicate CSV header names', file: 'dup.csv', content: 'text,label,text\na,b,c\nd,e,f\n', exit: 2, says: ['dup.csv:1', 'field text', 'twice'] },
  { name: 'a __proto__ key', file: 'proto.jsonl', content: `${chat('a', 'b')}\n{"messages": [{"role": "user", "content": "x", "__proto__": {"admin": true}}, {"role": "assistant", "content": "y"}]}\n`, exit: 1, says: ['proto.jsonl:2', 'messages[0].__proto__', 'forbidden_key'] },
  { name: 'a constructor key', file: 'ctor.jsonl', content: `{"question": "a", "answer": "b"}\n{"question": "c", "constructor": {"prototype": 1}}\n`, exit: 1, says: ['ctor.jsonl:2', 'field constructor', 'forbidden_key'] },
  { name: 'a JSON object instead of a list', file: 'object.json', content: JSON.stringify({ version: 1, data: [{ prompt: 'a', completion: 'b' }, { prompt: 'c', completion: 'd' }] }, null, 2), exit: 2, says: ['object.json:1', 'not a list of records', '$.data (2 records)', 'jq'] },
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
