// What a file starts with decides whether safemix reads it (issue 10, item 12): text and gzip are
// read; UTF-16/UTF-32, other compressions and binary formats are named. Pure unit tests of
// classifyInput; the CLI cases are in hostile.test.ts and bad-input.test.ts.
import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { classifyInput } from '../src/read/input-kind.js';
import { checkNesting, checkForbiddenKeys, MAX_NESTING } from '../src/read/record-checks.js';
import { pseudoRandomBytes } from './helpers.js';

const chat = '{"messages": [{"role": "user", "content": "Où est la gare ? 駅はどこ？ 🚉"}, {"role": "assistant", "content": "Tout droit."}]}\n'.repeat(20);

describe('classifyInput', () => {
  it('UTF-8 text of any script is text, with or without a BOM; so are ANSI colour codes and a stray NUL', () => {
    expect(classifyInput(Buffer.from(chat))).toEqual({ kind: 'text' });
    expect(classifyInput(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(chat)]))).toEqual({ kind: 'text' });
    expect(classifyInput(Buffer.from('text,label\n\u001b[31mred\u001b[0m,pos\n'))).toEqual({ kind: 'text' });
    expect(classifyInput(Buffer.from(`${chat}{"a": "x\u0000y"}\n`))).toEqual({ kind: 'text' }); // a record-level nul_byte
    expect(classifyInput(Buffer.from('caf\xe9 cr\xe8me,pos\n', 'latin1'))).toEqual({ kind: 'text' }); // a record-level invalid_utf8
  });

  it('gzip by its magic bytes', () => {
    expect(classifyInput(gzipSync(chat))).toEqual({ kind: 'gzip' });
  });

  it('UTF-16 and UTF-32 by byte order mark or by their NUL pattern', () => {
    const le = Buffer.from(chat, 'utf16le');
    expect(classifyInput(Buffer.concat([Buffer.from([0xff, 0xfe]), le]))).toMatchObject({ kind: 'encoding', encoding: 'UTF-16LE' });
    expect(classifyInput(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]))).toMatchObject({ kind: 'encoding', encoding: 'UTF-16BE' });
    expect(classifyInput(le)).toMatchObject({ kind: 'encoding', encoding: 'UTF-16LE' });
    expect(classifyInput(Buffer.from(le).swap16())).toMatchObject({ kind: 'encoding', encoding: 'UTF-16BE' });
    const ascii = 'text,label\nhello,pos\n'.repeat(10);
    const u32 = Buffer.alloc(ascii.length * 4);
    for (let i = 0; i < ascii.length; i++) u32.writeUInt32LE(ascii.charCodeAt(i), i * 4);
    expect(classifyInput(u32)).toMatchObject({ kind: 'encoding', encoding: 'UTF-32LE' });
    expect(classifyInput(Buffer.from(u32).swap32())).toMatchObject({ kind: 'encoding', encoding: 'UTF-32BE' });
    expect(classifyInput(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), u32]))).toMatchObject({ kind: 'encoding', encoding: 'UTF-32LE' });
  });

  it('binary formats by their magic bytes, and random bytes by their control characters', () => {
    const cases: [string | number[], string][] = [
      ['PAR1', 'Parquet'],
      ['ARROW1', 'Arrow IPC'],
      ['SQLite format 3\u0000', 'SQLite database'],
      ['%PDF-1.4', 'PDF'],
      [[0x89, 0x50, 0x4e, 0x47], 'PNG image'],
      [[0x93, ...Buffer.from('NUMPY')], 'NumPy array'],
    ];
    for (const [head, format] of cases) {
      const bytes = Buffer.concat([typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head), Buffer.from(chat)]);
      expect(classifyInput(bytes)).toMatchObject({ kind: 'binary', format });
    }
    expect(classifyInput(pseudoRandomBytes(10_000))).toMatchObject({ kind: 'binary', evidence: expect.stringMatching(/control characters/) });
  });

  it('other compressions are named', () => {
    expect(classifyInput(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2]))).toMatchObject({ kind: 'compressed', format: 'zstd' });
    expect(classifyInput(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1]))).toMatchObject({ kind: 'compressed', format: 'xz' });
    expect(classifyInput(Buffer.from('BZh91AY&SY'))).toMatchObject({ kind: 'compressed', format: 'bzip2' });
    expect(classifyInput(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1]))).toMatchObject({ kind: 'compressed' });
  });
});

describe('checkNesting', () => {
  const nest = (n: number) => Buffer.from(`{"a": ${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`);
  it('allows MAX_NESTING levels and refuses one more, naming the byte', () => {
    expect(checkNesting(nest(MAX_NESTING))).toBeUndefined();
    expect(checkNesting(nest(MAX_NESTING + 1))).toMatchObject({ code: 'nesting_too_deep', message: expect.stringMatching(/level 129 opens at byte \d+/) });
  });
  it('ignores brackets inside strings, escaped quotes included', () => {
    const inString = Buffer.from(`{"a": "${'['.repeat(1000)}\\"${'{'.repeat(1000)}\\\\", "b": "\\\\\\"[[["}`);
    expect(checkNesting(inString)).toBeUndefined();
    JSON.parse(inString.toString());
  });
  it('reads 10 MB records to the end and names the right byte (no timing asserted: a quadratic scan would not finish within the test timeout)', () => {
    const MB10 = 10_000_000;
    // the 129th of 10 MB of brackets is the first level too deep
    expect(checkNesting(Buffer.from('['.repeat(MB10)))).toMatchObject({
      code: 'nesting_too_deep',
      message: expect.stringContaining('level 129 opens at byte 129 '),
    });
    // a 10 MB string, and 10 MB of escaped quotes and brackets inside one, nest nothing
    expect(checkNesting(Buffer.from(`{"a": "${'x'.repeat(MB10)}"}`))).toBeUndefined();
    expect(checkNesting(Buffer.from(`{"a": "${'\\"[{'.repeat(MB10 / 4)}"}`))).toBeUndefined();
    // 10 MB of arrays nested exactly 128 deep pass; one more level at the very end is found where it is
    const full = `[${'['.repeat(127)}${']'.repeat(127)}`;
    const body = Array.from({ length: Math.ceil(MB10 / full.length) }, () => full.slice(1)).join(',');
    const ok = `[${body}]`;
    expect(ok.length).toBeGreaterThan(MB10);
    expect(checkNesting(Buffer.from(ok))).toBeUndefined();
    const deep = `[${body},${'['.repeat(128)}${']'.repeat(128)}]`;
    const at = deep.length - 2 * 128 - 1 + 128; // the 128th bracket of the last group opens level 129
    expect(checkNesting(Buffer.from(deep))).toMatchObject({ code: 'nesting_too_deep', message: expect.stringContaining(`level 129 opens at byte ${at} `) });
  });
});

describe('checkForbiddenKeys', () => {
  it('checks the parsed keys, so an escaped spelling is caught', () => {
    for (const raw of ['{"\\u005f_proto__": 1}', '{"a": {"constr\\u0075ctor": 1}}', '{"a": [{"\\u0070rototype": 1}]}']) {
      expect(checkForbiddenKeys(Buffer.from(raw), JSON.parse(raw))).toMatchObject({ code: 'forbidden_key' });
    }
    const fine = '{"caf\\u00e9": "cr\\u00e8me", "proto": 1}';
    expect(checkForbiddenKeys(Buffer.from(fine), JSON.parse(fine))).toBeUndefined();
  });
});
