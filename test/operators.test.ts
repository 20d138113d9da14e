// What an operator meets around a run: standard input is checked while it is spooled and bounded;
// names are printed escaped and URLs without their secrets; a missing input is said plainly; the
// umask is honoured; long names work; `-` is standard output only where a command streams there;
// user records keep their own line endings; generated CSV cells never start a formula; a crash
// between the renames of a manifest and its output is repaired by the next run.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { BIN, runCli, runCommand, sha256, startPaused, tempDir, type CliResult } from './helpers.js';

const chat = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: `How do I reset router number ${i}?` },
      { role: 'assistant', content: `Hold its reset button for ten seconds (${i}).` },
    ],
  });
const DATA = Array.from({ length: 40 }, (_, i) => chat(i)).join('\n') + '\n';

function workspace() {
  const dir = tempDir('safemix-ops-');
  const tmp = join(dir, '.tmpdir');
  mkdirSync(tmp);
  writeFileSync(join(dir, 'a.jsonl'), DATA);
  return { dir, tmp, env: { TMPDIR: tmp } };
}

function refused(r: CliResult, code: number, says: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(says);
  expect(r.stderr).toContain('what to do');
  expect(r.stderr).not.toMatch(/internal error|stat failed|\n\s+at .+:\d+:\d+/);
}

describe('standard input is checked while it is spooled', () => {
  it('binary bytes (as from /dev/zero) stop the run at the first block: exit 2, no spool left, the rest never read', async () => {
    const w = workspace();
    // a producer of 200 MB of zero bytes that notes how many it got to write before the pipe closed
    const producer = `let n = 0; const b = Buffer.alloc(65536); const done = () => { require('fs').writeFileSync('written', String(n)); process.exit(0); };
      process.stdout.on('error', done); (function w() { while (n < 2e8) { n += b.length; if (!process.stdout.write(b)) return process.stdout.once('drain', w); } done(); })();`;
    const r = await runCommand('bash', ['-c', `"${process.execPath}" -e "$1" | "${process.execPath}" "${BIN}" mix - -o out.jsonl`, 'sh', producer], {
      cwd: w.dir,
      env: w.env,
    });
    refused(r, 2, /<stdin>: the file is binary/);
    expect(readdirSync(w.tmp)).toEqual([]);
    expect(existsSync(join(w.dir, 'out.jsonl'))).toBe(false);
    // the producer was stopped after a few blocks, not after the 200 MB
    expect(Number(readFileSync(join(w.dir, 'written'), 'utf8'))).toBeLessThan(8 * 1024 * 1024);
  });

  it('more than --max-stdin-bytes: exit 2, nothing written, no spool left', async () => {
    const w = workspace();
    const r = await runCli(['mix', '-', '-o', 'out.jsonl', '--max-stdin-bytes', '1000'], { cwd: w.dir, env: w.env, stdin: DATA });
    refused(r, 2, /standard input is larger than 1,000 bytes/);
    expect(readdirSync(w.tmp)).toEqual([]);
    expect(existsSync(join(w.dir, 'out.jsonl'))).toBe(false);
    const ok = await runCli(['mix', '-', '-o', 'out.jsonl', '--count', '2', '--quiet'], { cwd: w.dir, env: w.env, stdin: DATA });
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('what is printed', () => {
  it('a file name with a newline and an ANSI escape is printed escaped', async () => {
    const w = workspace();
    const name = 'evil\nsafemix: all good\u001b[32m.jsonl';
    const r = await runCli(['mix', name, '-o', 'out.jsonl'], { cwd: w.dir, env: w.env });
    refused(r, 2, /evil\\nsafemix: all good\\e\[32m\.jsonl: no such file/);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('safemix: all good'))).toEqual([]);
  });

  it('a Redis password in --redis is masked in every message', async () => {
    const r = await runCli(['status', '--redis', 'redis://:s3cretpw@127.0.0.1:1', '--queue', 'q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('redis://:***@127.0.0.1:1');
    expect(r.stdout + r.stderr).not.toContain('s3cretpw');
  }, 60_000);

  it('an endpoint key in the URL is masked in every message', async () => {
    const w = workspace();
    const r = await runCli(
      [
        'mix',
        'a.jsonl',
        '-o',
        'out.jsonl',
        '--count',
        '1',
        '--engine',
        'paraphrase',
        '--model',
        'm',
        '--endpoint',
        'http://user:k3ypass@127.0.0.1:1/v1?api_key=k3yquery',
        '--retries',
        '0',
        '--no-cache',
      ],
      { cwd: w.dir, env: w.env },
    );
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toMatch(/k3ypass|k3yquery/);
  }, 60_000);

  it('a missing input is "no such file" in mix, not a failed system call', async () => {
    const w = workspace();
    refused(await runCli(['mix', 'nosuch.jsonl', '-o', 'out.jsonl'], { cwd: w.dir, env: w.env }), 2, /nosuch\.jsonl: no such file/);
  });

  it('one line holding one JSON object with records inside: validate and mix say the same', async () => {
    const w = workspace();
    writeFileSync(
      join(w.dir, 'doc.json'),
      JSON.stringify({
        version: 2,
        data: [
          { question: 'What is a router?', answer: 'A network device.' },
          { question: 'What is a modem?', answer: 'A line adapter.' },
        ],
      }) + '\n',
    );
    const v = await runCli(['validate', 'doc.json'], { cwd: w.dir, env: w.env });
    const m = await runCli(['mix', 'doc.json', '-o', 'out.jsonl'], { cwd: w.dir, env: w.env });
    refused(v, 2, /one JSON object, and no list of records was found in its first bytes: lists of records found inside it at \$\.data/);
    expect(m.stderr).toBe(v.stderr);
    expect(m.code).toBe(v.code);
    // the hint, followed, mixes the document in place
    const hint = /--records (\S+\[\])/.exec(v.stderr)![1]!;
    expect(hint).toBe('data[]');
    const followed = await runCli(['mix', 'doc.json', '-o', 'out.json', '--records', hint, '--count', '1', '--quiet'], { cwd: w.dir, env: w.env });
    expect(followed.code, followed.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(w.dir, 'out.json'), 'utf8')) as { version: number; data: unknown[] };
    expect(out.version).toBe(2);
    expect(out.data).toHaveLength(3);
  });
});

describe('files as the operator expects them', () => {
  it('the umask is honoured: umask 077 gives a 0600 output and manifest, even from a 0666 input', async () => {
    const w = workspace();
    chmodSync(join(w.dir, 'a.jsonl'), 0o666);
    const r = await runCommand('bash', ['-c', `umask 077; exec "${process.execPath}" "${BIN}" mix a.jsonl -o out.jsonl --count 2 --quiet`], {
      cwd: w.dir,
      env: w.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(join(w.dir, 'out.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(join(w.dir, 'out.jsonl.manifest.json')).mode & 0o777).toBe(0o600);
  });

  it('a 250-byte output name works; its default manifest name (264 bytes) is refused before any write, with what to do', async () => {
    const w = workspace();
    const long = `${'o'.repeat(244)}.jsonl`;
    const refusedRun = await runCli(['mix', 'a.jsonl', '-o', long, '--count', '2'], { cwd: w.dir, env: w.env });
    refused(refusedRun, 2, /file name is 264 bytes, more than the 255/);
    expect(refusedRun.stderr).toContain('--no-manifest');
    expect(readdirSync(w.dir).sort()).toEqual(['.tmpdir', 'a.jsonl']);
    const ok = await runCli(['mix', 'a.jsonl', '-o', long, '--count', '2', '--manifest', 'm.json', '--quiet'], { cwd: w.dir, env: w.env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(w.dir, long), 'utf8').trim().split('\n')).toHaveLength(42);
  });

  it('--manifest - is refused (never a file named "-"); -o - streams', async () => {
    const w = workspace();
    refused(
      await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '2', '--manifest', '-'], { cwd: w.dir, env: w.env }),
      2,
      /--manifest -: the manifest cannot go to standard output/,
    );
    expect(readdirSync(w.dir).sort()).toEqual(['.tmpdir', 'a.jsonl']);
    refused(await runCli(['plan', 'a.jsonl', '-o', '-'], { cwd: w.dir, env: w.env }), 2, /-o -: the plan cannot go to standard output/);
    const streamed = await runCli(['mix', 'a.jsonl', '-o', '-', '--count', '2', '--quiet'], { cwd: w.dir, env: w.env });
    expect(streamed.code).toBe(0);
    expect(streamed.stdout.trim().split('\n')).toHaveLength(42);
  });
});

/** A file's records with the line ending that follows each: [text, ending]. */
function endings(text: string): [string, string][] {
  return [...text.matchAll(/([^\r\n]+)(\r\n|\n|$)/g)].map((m) => [m[1]!, m[2]!]);
}

describe('bytes of user records', () => {
  for (const [kind, header, row] of [
    ['JSONL', '', (i: number) => chat(i)],
    ['CSV', 'question,answer', (i: number) => `How do I reset router number ${i}?,Hold its reset button for ten seconds (${i}).`],
  ] as const) {
    it(`${kind} with mixed CRLF and LF endings: every user record keeps its own ending next to safety records`, async () => {
      const w = workspace();
      const ext = kind === 'CSV' ? 'csv' : 'jsonl';
      let text = header ? `${header}\r\n` : '';
      for (let i = 0; i < 600; i++) text += row(i) + (i % 3 === 0 ? '\r\n' : '\n');
      writeFileSync(join(w.dir, `m.${ext}`), text);
      const r = await runCli(['mix', `m.${ext}`, '-o', `out.${ext}`, '--ratio', '0.1', '--balance', '0', '--quiet'], { cwd: w.dir, env: w.env });
      expect(r.code, r.stderr).toBe(0);
      const source = new Map(endings(text));
      const out = endings(readFileSync(join(w.dir, `out.${ext}`), 'utf8'));
      const users = out.filter(([t]) => source.has(t));
      expect(users).toHaveLength(600 + (header ? 1 : 0));
      expect(users.filter(([t, e]) => source.get(t) !== e)).toEqual([]);
      expect(out.length - users.length).toBe(60);
    });
  }

  it('CSV cells that start a formula in user rows are never copied into generated rows', async () => {
    const w = workspace();
    const rows = ['question,answer,source'];
    for (let i = 0; i < 200; i++) rows.push(`How do I reset router number ${i}?,Hold its reset button (${i}).,"=cmd|' /C calc'!A${i}"`);
    const text = rows.join('\n') + '\n';
    writeFileSync(join(w.dir, 'f.csv'), text);
    const r = await runCli(['mix', 'f.csv', '-o', 'out.csv', '--count', '20', '--balance', '0', '--metadata', 'source', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code, r.stderr).toBe(0);
    const user = new Set(rows);
    const generated = readFileSync(join(w.dir, 'out.csv'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => !user.has(l));
    expect(generated).toHaveLength(20);
    for (const line of generated)
      for (const cell of line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) expect(cell.replace(/^"/, ''), line).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('one commit for an output and its manifest', () => {
  it('a run killed between the two renames: the next run to that output puts the finished output in place first', async () => {
    const w = workspace();
    const first = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '2', '--seed', 'one', '--quiet'], { cwd: w.dir, env: w.env });
    expect(first.code, first.stderr).toBe(0);
    const { child, done } = await startPaused(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '3', '--seed', 'two'], 'between-renames', {
      cwd: w.dir,
      env: w.env,
    });
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    // the manifest is renamed first: it names an output that is not in place yet
    const named = (JSON.parse(readFileSync(join(w.dir, 'out.jsonl.manifest.json'), 'utf8')) as { output: { sha256: string; records: number } }).output;
    expect(named.records).toBe(43);
    expect(sha256(join(w.dir, 'out.jsonl'))).not.toBe(named.sha256);
    // a later run to the same output finishes that commit before anything else, even one that then fails
    const later = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '1000'], { cwd: w.dir, env: w.env });
    expect(later.code).toBe(2);
    expect(
      createHash('sha256')
        .update(readFileSync(join(w.dir, 'out.jsonl')))
        .digest('hex'),
    ).toBe(named.sha256);
    expect(readdirSync(w.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
