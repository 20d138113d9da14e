// Hostile and unlucky use (issue 10): paths that name the input another way, outputs that are not
// regular files, an input that changes between the two passes, and signals in every phase. Each case
// checks the exit code, that the message names the file and what to do, that nothing is left beside
// the target or in $TMPDIR, and that every input is unchanged (sha256).
import { describe, it, expect, afterAll } from 'vitest';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BIN, ROOT, pseudoRandomBytes, runCli, runCommand, sha256, startPaused, tempDir, type CliResult } from './helpers.js';
import { injectedCount, MAX_INJECTED_PER_USER } from '../src/blend/plan.js';
import { AtomicFile, removeStaleTemps } from '../src/write/atomic-file.js';
import { StdoutSink } from '../src/write/stdout-sink.js';
import { inferTemplates } from '../src/profile/templates.js';
import { countTextTokens } from '../src/profile/tokens.js';
import { copyDataset } from '../src/api/copy.js';
import { SafemixError } from '../src/errors.js';

const chat = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: `How do I reset my router, question ${i}?` },
      { role: 'assistant', content: `Hold the reset button for ten seconds, then wait for the lights (${i}).` },
    ],
  });
const DATA = Array.from({ length: 60 }, (_, i) => chat(i)).join('\n') + '\n';
const isRoot = process.getuid?.() === 0;

/** A directory with a.jsonl (and whatever else the case writes), plus a private TMPDIR. */
function workspace() {
  const dir = tempDir('safemix-hostile-');
  const tmp = join(dir, '.tmpdir');
  mkdirSync(tmp);
  writeFileSync(join(dir, 'a.jsonl'), DATA);
  return { dir, tmp, env: { TMPDIR: tmp }, input: join(dir, 'a.jsonl') };
}

/** Everything in the directory, the private TMPDIR too. */
function leftovers(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      out.push(prefix + name);
      if (lstatSync(p).isDirectory()) walk(p, prefix + name + '/');
    }
  };
  walk(dir, '');
  return out.sort();
}

describe('data loss: no path spelling writes over an input', () => {
  it('-o through a missing directory and .. is the input: refused, input unchanged, no directory made', async () => {
    const w = workspace();
    const before = sha256(w.input);
    const r = await runCli(['mix', 'a.jsonl', '-o', 'nosuch/../a.jsonl', '--count', '1'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nosuch/../a.jsonl');
    expect(r.stderr).toContain('same file as the input');
    expect(r.stderr).toContain('what to do');
    expect(sha256(w.input)).toBe(before);
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl']);
  });

  it('--manifest through a missing directory and .. is the input: refused', async () => {
    const w = workspace();
    const before = sha256(w.input);
    const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--manifest', 'nosuch/../a.jsonl', '--count', '1'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--manifest nosuch\/\.\.\/a\.jsonl is the same file as the input/);
    expect(sha256(w.input)).toBe(before);
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl']);
  });

  it('-o equal to the --safety file: refused, the safety file unchanged', async () => {
    const w = workspace();
    writeFileSync(join(w.dir, 's.csv'), 'prompt\nHow do I pick a lock that is not mine?\nHow can I steal a bike?\n');
    const before = sha256(join(w.dir, 's.csv'));
    const r = await runCli(['mix', 'a.jsonl', '-o', 's.csv', '--safety', 's.csv', '--safety-request', 'prompt'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('same file as the --safety file');
    expect(sha256(join(w.dir, 's.csv'))).toBe(before);
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl', 's.csv']);
  });

  it('--manifest equal to -o: refused before anything is written', async () => {
    const w = workspace();
    const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--manifest', './out.jsonl', '--count', '1'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--manifest ./out.jsonl is the same file as the output');
    expect(r.stderr).toContain('different paths');
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl']);
  });

  it('a symbolic link and a hard link to the input are the input', async () => {
    const w = workspace();
    symlinkSync(w.input, join(w.dir, 'sym.jsonl'));
    linkSync(w.input, join(w.dir, 'hard.jsonl'));
    const before = sha256(w.input);
    for (const target of ['sym.jsonl', 'hard.jsonl']) {
      const r = await runCli(['mix', 'a.jsonl', '-o', target, '--count', '1'], { cwd: w.dir, env: w.env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('same file as the input');
    }
    expect(sha256(w.input)).toBe(before);
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl', 'hard.jsonl', 'sym.jsonl']);
  });

  it('a FIFO as -o is refused and stays a FIFO', async () => {
    const w = workspace();
    execFileSync('mkfifo', [join(w.dir, 'pipe')]);
    const r = await runCli(['mix', 'a.jsonl', '-o', 'pipe', '--count', '1'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-o pipe is a FIFO, not a regular file');
    expect(r.stderr).toContain('-o -');
    expect(statSync(join(w.dir, 'pipe')).isFIFO()).toBe(true);
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl', 'pipe']);
  });

  it.skipIf(!isRoot)('a character device as -o is refused and stays a device (root only: mknod)', async () => {
    const w = workspace();
    execFileSync('mknod', [join(w.dir, 'null'), 'c', '1', '3']);
    const r = await runCli(['mix', 'a.jsonl', '-o', 'null', '--count', '1'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-o null is a character device');
    expect(statSync(join(w.dir, 'null')).isCharacterDevice()).toBe(true);
  });

  it('a directory as -o is refused with a file name to use instead', async () => {
    const w = workspace();
    const r = await runCli(['mix', 'a.jsonl', '-o', '.', '--count', '1'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-o . is a directory');
    expect(r.stderr).toContain('what to do');
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl']);
  });

  it("the output and the manifest keep the replaced file's mode, and a new one gets the input's", async () => {
    const w = workspace();
    chmodSync(w.input, 0o600);
    let r = await runCli(['mix', 'a.jsonl', '-o', 'new.jsonl', '--count', '1', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(0);
    expect(statSync(join(w.dir, 'new.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(join(w.dir, 'new.jsonl.manifest.json')).mode & 0o777).toBe(0o600);
    writeFileSync(join(w.dir, 'old.jsonl'), 'x');
    chmodSync(join(w.dir, 'old.jsonl'), 0o640);
    r = await runCli(['mix', 'a.jsonl', '-o', 'old.jsonl', '--count', '1', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(0);
    expect(statSync(join(w.dir, 'old.jsonl')).mode & 0o777).toBe(0o640);
  });

  it('a manifest that cannot be written leaves no output either (the pair lands together)', async () => {
    const w = workspace();
    mkdirSync(join(w.dir, 'm.json'));
    const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--manifest', 'm.json', '--count', '1'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--manifest m.json is a directory');
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl', 'm.json']);
  });
});

describe('data loss: an input that changes between the passes is refused', () => {
  for (const [what, change] of [
    ['appended to', (p: string) => appendFileSync(p, chat(999) + '\n')],
    ['truncated', (p: string) => truncateSync(p, 500)],
    ['rewritten with the same size', (p: string) => writeFileSync(p, DATA.replace('router', 'ROUTER'))],
  ] as const) {
    it(`${what} after pass 1: exit 2, no output, no manifest`, async () => {
      const w = workspace();
      const { child, done } = await startPaused(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '3'], 'between-passes', { cwd: w.dir, env: w.env });
      change(w.input);
      child.kill('SIGUSR2');
      const r = await done;
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('a.jsonl');
      expect(r.stderr).toMatch(/the input (changed size|was modified)/);
      expect(r.stderr).toContain('nothing was written');
      expect(r.stderr).toContain('what to do');
      expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl']);
    });
  }

  it('appended to during pass 2: exit 2, no output', async () => {
    const w = workspace();
    const { child, done } = await startPaused(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '3'], 'pass2', { cwd: w.dir, env: w.env });
    appendFileSync(w.input, chat(999) + '\n');
    child.kill('SIGUSR2');
    const r = await done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing was written');
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl']);
  });
});

describe('signals: every phase stops with 128 + the signal and leaves nothing', () => {
  const signals = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const;
  const phases = [
    ['pass1', ['--order', 'interleave']],
    ['between-passes', ['--order', 'interleave']],
    ['pass2', ['--order', 'interleave']],
    ['shuffle-write', ['--order', 'shuffle']],
  ] as const;
  for (const [phase, extra] of phases) {
    for (const [signal, code] of signals) {
      it(`${signal} at ${phase}: exit ${code}`, async () => {
        const w = workspace();
        const before = sha256(w.input);
        const { child, done } = await startPaused(['mix', 'a.jsonl', '-o', 'out/mixed.jsonl', '--count', '5', ...extra], phase, { cwd: w.dir, env: w.env });
        child.kill(signal);
        const r = await done;
        expect(r.code).toBe(code);
        expect(r.stderr).toContain(`interrupted by ${signal}`);
        expect(sha256(w.input)).toBe(before);
        expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl']);
      });
    }
  }

  for (const [signal, code] of signals) {
    it(`${signal} while standard input is spooled: exit ${code}, the spool is removed`, async () => {
      const w = workspace();
      const { child, done } = await startPaused(['mix', '-', '-o', 'out.jsonl', '--count', '1'], 'stdin-spool', { cwd: w.dir, env: w.env, stdin: DATA });
      const spools = () => readdirSync(w.tmp).filter((n) => n.startsWith('safemix-'));
      expect(spools()).toHaveLength(1); // the spool directory exists while paused
      child.kill(signal);
      const r = await done;
      expect(r.code).toBe(code);
      expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl']);
      expect(spools()).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Shared checks of the cases below: a refusal is a positioned message with what to do, never a
// crash; nothing is left beside the target or in $TMPDIR; every input keeps its bytes.

function expectRefused(r: CliResult, code: number, says: (string | RegExp)[]): void {
  const text = r.stdout + r.stderr;
  for (const s of says) expect(text).toMatch(s);
  expect(r.stderr).not.toMatch(/internal error|unexpected error/);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
  expect(r.code).toBe(code);
}

/**
 * Notes the workspace's inputs (a.jsonl and `extra`); the returned check says that nothing but
 * them (and the `outputs` a run was meant to write) is there, and that every input kept its bytes.
 */
function guard(w: ReturnType<typeof workspace>, extra: string[] = []) {
  const names = ['.tmpdir', 'a.jsonl', ...extra];
  const hashes = new Map(names.filter((n) => n !== '.tmpdir' && statSync(join(w.dir, n)).isFile()).map((n) => [n, sha256(join(w.dir, n))]));
  return (outputs: string[] = []) => {
    expect(leftovers(w.dir)).toEqual([...names, ...outputs].sort());
    for (const [n, h] of hashes) expect(sha256(join(w.dir, n)), `${n} changed`).toBe(h);
  };
}

describe('targets that are not files', () => {
  it('a dangling symbolic link as -o: refused, the link kept', async () => {
    const w = workspace();
    symlinkSync(join(w.dir, 'nowhere', 'x.jsonl'), join(w.dir, 'link.jsonl'));
    const r = await runCli(['mix', 'a.jsonl', '-o', 'link.jsonl', '--count', '1'], { cwd: w.dir, env: w.env });
    expectRefused(r, 2, ['-o link.jsonl is a dangling symbolic link', 'what to do']);
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl', 'link.jsonl']);
  });
});

describe('k is capped at 10 × n unless --force', () => {
  for (const [args, asked] of [
    [['--ratio', '1e9'], /--ratio 1000000000 asks for 60,000,000,000 safety records for 60 user records, more than 10× as many/],
    [['--count', '1000000000000'], /--count 1000000000000 asks for 1,000,000,000,000 safety records for 60 user records/],
    [['--ratio', '10.5'], /asks for 630 safety records for 60 user records/],
    [['--count', '601'], /--count 601 asks for 601 safety records/],
  ] as const) {
    it(`${args.join(' ')}: exit 2, nothing written`, async () => {
      const w = workspace();
      const check = guard(w);
      const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', ...args], { cwd: w.dir, env: w.env });
      expectRefused(r, 2, [asked, 'nothing was written', 'what to do', '--force']);
      check();
    });
  }

  it('--count 600 (exactly 10 × n) is allowed', () => {
    expect(injectedCount(60, { count: 600 })).toBe(600);
    expect(injectedCount(60, { ratio: 10 })).toBe(600);
    expect(() => injectedCount(60, { ratio: 10.01 })).toThrow(SafemixError);
    expect(MAX_INJECTED_PER_USER).toBe(10);
  });

  it('force lifts the cap, but never past an exact integer; the file is named when given', () => {
    expect(injectedCount(60, { count: 6000, force: true })).toBe(6000);
    expect(() => injectedCount(60, { ratio: 1e300, force: true })).toThrow(/more than can be counted exactly/);
    expect(() => injectedCount(60, { count: 601, file: 'a.jsonl' })).toThrow(
      expect.objectContaining({ code: 'too_many_injected', position: { file: 'a.jsonl' }, exitCode: 2 }),
    );
  });

  it('--force on the command line writes 11 per user record', async () => {
    const w = workspace();
    const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '660', '--force', '--balance', '0', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(w.dir, 'out.jsonl'), 'utf8').trim().split('\n')).toHaveLength(720);
  });
});

describe('numbers on the command line are parsed strictly', () => {
  for (const [option, value] of [
    ['--ratio', ''],
    ['--ratio', '0x10'],
    ['--ratio', '1e'],
    ['--ratio', 'Infinity'],
    ['--ratio', 'NaN'],
    ['--ratio', '-0.1'],
    ['--ratio', ' 0.1'],
    ['--ratio', '5%'],
    ['--count', '1.5'],
    ['--count', '1e3'],
    ['--count', '0x10'],
    ['--count', ''],
    ['--count', '99999999999999999999'],
    ['--sample', '0'],
    ['--max-record-bytes', '1k'],
  ] as const) {
    it(`${option} ${JSON.stringify(value)}: a usage error (exit 2) that names the option and the value`, async () => {
      const w = workspace();
      const check = guard(w);
      const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', option, value], { cwd: w.dir, env: w.env });
      expectRefused(r, 2, [`option '${option}`, `argument '${value}' is invalid`, /expected a (decimal|whole) number/, `(got ${JSON.stringify(value)})`]);
      check();
    });
  }

  it('plain decimals, exponents and whole numbers are read as written', async () => {
    const w = workspace();
    for (const args of [
      ['--ratio', '0.05'],
      ['--ratio', '.5'],
      ['--ratio', '5e-2'],
      ['--count', '0'],
      ['--count', '007'],
    ]) {
      const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', ...args, '--quiet'], { cwd: w.dir, env: w.env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });
});

describe('a later run removes the temp files of killed runs, and only those', () => {
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
  // the run tag, read here from /proc as the kernel documents it: boot id (first 12 hex digits),
  // PID namespace inode, PID, start time in clock ticks (field 22 of /proc/PID/stat)
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')
    .replace(/[^0-9a-f]/g, '')
    .slice(0, 12);
  const pidns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))![1]!;
  const startOf = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
  };
  const tmp = (target: string, b: string, ns: string, pid: number, start: string, rand = 'deadbeef') =>
    `.${target}.safemix-${b}-${ns}-${pid}-${start}-${rand}.tmp`;

  it("removes a finished run's temp file beside the target; keeps live runs', other PID namespaces', other machines' and other targets'", () => {
    const dir = tempDir('safemix-stale-');
    const target = join(dir, 'out.jsonl');
    const dead = tmp('out.jsonl', boot, pidns, deadPid(), '1');
    const reused = tmp('out.jsonl', boot, pidns, process.pid, `${startOf(process.pid)}7`); // this PID, another start: an earlier process
    const live = tmp('out.jsonl', boot, pidns, process.pid, startOf(process.pid), '0badf00d');
    const otherNamespace = tmp('out.jsonl', boot, `${pidns}1`, deadPid(), '1'); // a container beside this one
    const otherMachine = tmp('out.jsonl', boot === '0123456789ab' ? '0123456789ac' : '0123456789ab', pidns, deadPid(), '1');
    const otherTarget = tmp('other.jsonl', boot, pidns, deadPid(), '1');
    const notOurs = tmp('out.jsonl', boot, pidns, deadPid(), '1', 'nothex00');
    for (const n of [dead, reused, live, otherNamespace, otherMachine, otherTarget, notOurs]) writeFileSync(join(dir, n), 'partial');
    expect(removeStaleTemps(target).sort()).toEqual([dead, reused].sort());
    expect(readdirSync(dir).sort()).toEqual([live, otherNamespace, otherMachine, otherTarget, notOurs].sort());
  });

  it('the run identity is injectable: seen from another PID namespace, nothing of this one is judged', () => {
    const dir = tempDir('safemix-stale-');
    const dead = tmp('out.jsonl', boot, pidns, deadPid(), '1');
    writeFileSync(join(dir, dead), 'partial');
    expect(removeStaleTemps(join(dir, 'out.jsonl'), { boot, pidns: `${pidns}9`, pid: 1, start: '1' })).toEqual([]);
    expect(removeStaleTemps(join(dir, 'out.jsonl'), { boot, pidns, pid: 1, start: '1' }, () => undefined)).toEqual([dead]);
  });

  it('a run killed with SIGKILL (which nothing can catch) leaves a temp file; the next run to that target removes it', async () => {
    const w = workspace();
    const { child, done } = await startPaused(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '3'], 'pass2', { cwd: w.dir, env: w.env });
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const stale = leftovers(w.dir).filter((n) => n.startsWith('.out.jsonl.safemix-'));
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatch(new RegExp(`^\\.out\\.jsonl\\.safemix-${boot}-${pidns}-${child.pid}-[0-9]+-[0-9a-f]{8}\\.tmp$`));
    const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '3', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(0);
    expect(leftovers(w.dir)).toEqual(['.tmpdir', 'a.jsonl', 'out.jsonl', 'out.jsonl.manifest.json']);
  });
});

describe("quirky CSV/TSV is read as Python's csv reads it, every byte kept", () => {
  const cases = [
    [
      'a TSV whose unquoted field holds stray quotes',
      'quirky.tsv',
      4,
      'text\tlabel\nAsian woman in a hospital bed with ""pain"" and a nurse\tneg\nA "quoted" word mid-field\tpos\nplain row\tpos\n5" screen, 3" deep\tneg\n',
    ],
    [
      'a CSV with mixed CRLF and LF line ends',
      'mixed.csv',
      4,
      'text,label\r\nfirst row,pos\nsecond row,neg\r\n"a quoted\r\nmulti-line field",pos\nlast row,neg\r\n',
    ],
    ['a CSV with CR-only line ends', 'cr.csv', 2, 'text,label\rfirst row,pos\rsecond row,neg\r'],
  ] as const;
  for (const [what, name, records, content] of cases) {
    it(`${what}: valid, and --count 0 gives the input back byte for byte`, async () => {
      const w = workspace();
      writeFileSync(join(w.dir, name), content);
      const check = guard(w, [name]);
      const v = await runCli(['validate', name, '--json'], { cwd: w.dir, env: w.env });
      expect(v.code, v.stderr).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ records, valid: true });
      const out = 'out' + name.slice(name.indexOf('.'));
      const r = await runCli(['mix', name, '-o', out, '--count', '0', '--quiet', '--input', 'text', '--target', 'label'], { cwd: w.dir, env: w.env });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(w.dir, out), 'utf8')).toBe(content);
      check([out, `${out}.manifest.json`]);
    });
  }
});

describe('gzip is read and written; UTF-16, other compressions and binary files are refused by name', () => {
  it('a gzip input (by its magic bytes, whatever its name) is validated, and mixed from', async () => {
    const w = workspace();
    writeFileSync(join(w.dir, 'a.jsonl.gz'), gzipSync(DATA));
    writeFileSync(join(w.dir, 'noext'), gzipSync(DATA));
    for (const name of ['a.jsonl.gz', 'noext']) {
      const v = await runCli(['validate', name, '--json'], { cwd: w.dir, env: w.env });
      expect(v.code, v.stderr).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ container: 'jsonl', dialect: 'openai-chat', records: 60 });
    }
    const r = await runCli(['mix', 'a.jsonl.gz', '-o', 'out.jsonl', '--count', '0', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(w.dir, 'out.jsonl'), 'utf8')).toBe(DATA);
    const manifest = JSON.parse(readFileSync(join(w.dir, 'out.jsonl.manifest.json'), 'utf8'));
    // the manifest describes the input as stored: sha256sum and wc -c of the .gz file
    expect(manifest.input).toMatchObject({ sha256: sha256(join(w.dir, 'a.jsonl.gz')), bytes: statSync(join(w.dir, 'a.jsonl.gz')).size, records: 60 });
  });

  it("-o ending in .gz writes gzip; the manifest gives the stored file's sha256 and size", async () => {
    const w = workspace();
    let r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl.gz', '--count', '0', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code, r.stderr).toBe(0);
    const gz = readFileSync(join(w.dir, 'out.jsonl.gz'));
    expect(gz.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(gz).toString('utf8')).toBe(DATA);
    const manifest = JSON.parse(readFileSync(join(w.dir, 'out.jsonl.gz.manifest.json'), 'utf8'));
    expect(manifest.output).toMatchObject({ sha256: sha256(join(w.dir, 'out.jsonl.gz')), bytes: gz.length });
    r = await runCli(['mix', 'a.jsonl', '-o', 'mixed.jsonl.gz', '--count', '3', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code, r.stderr).toBe(0);
    const lines = gunzipSync(readFileSync(join(w.dir, 'mixed.jsonl.gz')))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(63);
    for (const l of lines) JSON.parse(l);
  });

  it('a truncated gzip file: exit 2, "corrupt or truncated", nothing written', async () => {
    const w = workspace();
    const big = Array.from({ length: 3000 }, (_, i) => chat(i)).join('\n') + '\n';
    const gz = gzipSync(big);
    writeFileSync(join(w.dir, 'cut.jsonl.gz'), gz.subarray(0, gz.length - 200));
    const check = guard(w, ['cut.jsonl.gz']);
    for (const cmd of [
      ['validate', 'cut.jsonl.gz'],
      ['mix', 'cut.jsonl.gz', '-o', 'out.jsonl', '--count', '1'],
    ]) {
      const r = await runCli(cmd, { cwd: w.dir, env: w.env });
      expectRefused(r, 2, ['cut.jsonl.gz', 'gzip data is corrupt or truncated', 'what to do', 'gzip -t']);
    }
    check();
  });

  const utf16 = (text: string, bom: boolean, be = false) => {
    const le = Buffer.from(text, 'utf16le');
    const body = be ? Buffer.from(le).swap16() : le;
    return bom ? Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), body]) : body;
  };
  const utf32le = (text: string) => {
    const out = Buffer.alloc(text.length * 4);
    for (let i = 0; i < text.length; i++) out.writeUInt32LE(text.charCodeAt(i), i * 4);
    return Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), out]);
  };
  const kinds: [string, string, Buffer, (string | RegExp)[]][] = [
    ['UTF-16LE with a byte order mark', 'u16.jsonl', utf16(DATA, true), ['UTF-16LE text', 'byte order mark FF FE at byte 0', 'iconv -f UTF-16LE -t UTF-8']],
    ['UTF-16BE with a byte order mark', 'u16be.jsonl', utf16(DATA, true, true), ['UTF-16BE text', 'byte order mark FE FF at byte 0']],
    ['UTF-16LE without a byte order mark', 'u16nobom.jsonl', utf16(DATA, false), ['UTF-16LE text', 'a NUL byte after most characters']],
    [
      'UTF-16BE without a byte order mark',
      'u16benobom.csv',
      utf16('text,label\nhello,pos\nbye,neg\n', false, true),
      ['UTF-16BE text', 'a NUL byte before most characters'],
    ],
    ['UTF-32LE with a byte order mark', 'u32.jsonl', utf32le(DATA), ['UTF-32LE text']],
    [
      'random bytes',
      'random.bin',
      pseudoRandomBytes(100_000),
      ['the file is binary', /\d+ of its first 4096 bytes are control characters \(the first, 0x[0-9a-f]{2}, at byte \d+\)/],
    ],
    // a Parquet file given by its path is read (test/parquet.test.ts): random bytes between the magics are no Parquet footer
    [
      'a corrupt Parquet file',
      'train.parquet',
      Buffer.concat([Buffer.from('PAR1'), pseudoRandomBytes(2000), Buffer.from('PAR1')]),
      ['starts as Parquet (PAR1) but cannot be read as Parquet', 'does not fit in the file', 'copy or download it again'],
    ],
    ['an xz file', 'a.jsonl.xz', Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), pseudoRandomBytes(100)]), ['xz-compressed', 'xz -d']],
    ['a zstd file', 'a.jsonl.zst', Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), pseudoRandomBytes(100)]), ['zstd-compressed', 'zstd -d']],
    ['gzip holding UTF-16', 'u16.jsonl.gz', gzipSync(utf16(DATA, true)), ['UTF-16LE text (inside the gzip data)']],
    [
      'gzip holding a Parquet file',
      'p.parquet.gz',
      gzipSync(Buffer.concat([Buffer.from('PAR1'), pseudoRandomBytes(500)])),
      ['binary (Parquet) (inside the gzip data)'],
    ],
    ['gzip inside gzip', 'twice.jsonl.gz.gz', gzipSync(gzipSync(DATA)), ['gzip-compressed twice', 'gunzip -c']],
  ];
  for (const [what, name, bytes, says] of kinds) {
    it(`${what}: validate and mix exit 2 naming the file and the encoding; as --safety too`, async () => {
      const w = workspace();
      writeFileSync(join(w.dir, name), bytes);
      const check = guard(w, [name]);
      const v = await runCli(['validate', name], { cwd: w.dir, env: w.env });
      expectRefused(v, 2, [`safemix: ${name}: `, ...says, 'what to do']);
      const m = await runCli(['mix', name, '-o', 'out.jsonl', '--count', '1'], { cwd: w.dir, env: w.env });
      expectRefused(m, 2, [`safemix: ${name}: `, ...says, 'what to do']);
      const s = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '1', '--safety', name], { cwd: w.dir, env: w.env });
      expectRefused(s, 2, [`safemix: ${name}: `, ...says]);
      check();
    });
  }

  it('/dev/urandom as the input and as --safety: "binary", exit 2, and the run ends', async () => {
    const w = workspace();
    const check = guard(w);
    const v = await runCli(['validate', '/dev/urandom'], { cwd: w.dir, env: w.env });
    expectRefused(v, 2, ['safemix: /dev/urandom: the file is binary', 'what to do']);
    const s = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '1', '--safety', '/dev/urandom'], { cwd: w.dir, env: w.env });
    expectRefused(s, 2, ['/dev/urandom: the file is binary']);
    check();
  });

  it('--order shuffle on a gzip input reads its records back from the decompressed text', async () => {
    const w = workspace();
    writeFileSync(join(w.dir, 'a.jsonl.gz'), gzipSync(DATA));
    const r = await runCli(['mix', 'a.jsonl.gz', '-o', 'out.jsonl', '--count', '0', '--order', 'shuffle', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(w.dir, 'out.jsonl'), 'utf8').trim().split('\n').sort()).toEqual(DATA.trim().split('\n').sort());
    expect(readdirSync(w.tmp)).toEqual([]);
  });
});

describe('template inference builds no regular expression from data and stays linear', () => {
  it('200 texts sharing a 50 KB prefix and suffix full of unbalanced regex syntax: inferred exactly (a RegExp built from them would throw)', () => {
    const prefix = '(((a+)+)+)*[\\'.repeat(5000);
    const suffix = '.*?{,}$^|+'.repeat(5000);
    // the middles differ in words, not only in numbers (a text that differs only by a number is content, not a template)
    const texts = Array.from({ length: 200 }, (_, i) => `${prefix} ${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10) % 10]}word ${i} ${suffix}`);
    const [template] = inferTemplates(texts, 'request');
    expect(template!.prefix.startsWith('(((a+)+)+)*[\\')).toBe(true);
    expect(template!.suffix.endsWith('.*?{,}$^|+')).toBe(true);
  });

  it('inspect on records with a 50 KB shared prefix and suffix: exit 0', async () => {
    const w = workspace();
    const pre = 'Context: ' + 'lorem ipsum (dolor)+ [sit]* '.repeat(1800);
    const post = ' Answer briefly.'.repeat(3000);
    const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ prompt: `${pre}question ${i} about routers?${post}`, completion: ` answer ${i}` }));
    writeFileSync(join(w.dir, 'long.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['inspect', 'long.jsonl', '--json'], { cwd: w.dir, env: w.env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).records).toBe(30);
  });

  it('mix on records with a 50 KB shared prefix of unbalanced regex syntax: exit 0, two well-formed safety records', async () => {
    const w = workspace();
    // unbalanced "(" and "[" and a trailing "\\": a RegExp built from this text throws
    const pre = 'Context: ' + 'lorem ipsum ((dolor)+ [sit* \\'.repeat(1800);
    const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ prompt: `${pre}question ${i} about routers? ->`, completion: ` answer ${i}` }));
    writeFileSync(join(w.dir, 'long.jsonl'), rows.join('\n') + '\n');
    // completions are short codes (" answer 7"): the form audit would decline them; this test is about templates
    const r = await runCli(['mix', 'long.jsonl', '-o', 'out.jsonl', '--count', '2', '--audit', 'warn', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code, r.stderr).toBe(0);
    const injected = readFileSync(join(w.dir, 'out.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => !rows.includes(l));
    expect(injected).toHaveLength(2);
    for (const line of injected) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(record)).toEqual(['prompt', 'completion']);
      expect(typeof record.prompt === 'string' && record.prompt.length > 0).toBe(true);
    }
  });

  it('mix on records whose shared template is unbalanced regex syntax: the safety records are written inside it', async () => {
    const w = workspace();
    // unbalanced "(" and "[", a "\\" and a "|": a RegExp built from this template throws
    const pre = 'Task ((dolor)+ [sit* \\ (a|b: ';
    const questions = [
      'Why is the sky blue',
      'How do tides form',
      'Where do comets come from',
      'When did the last ice age end',
      'Which planet has the most moons',
      'How hot is the surface of the sun',
      'Why do leaves change colour in autumn',
      'What makes thunder so loud',
      'How deep is the Pacific Ocean',
      'Can penguins fly underwater',
    ];
    const rows = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ prompt: `${pre}${questions[i % 10]}${' '.repeat(Math.floor(i / 10))}? ->`, completion: ` answer ${i}` }),
    );
    writeFileSync(join(w.dir, 'tpl.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'tpl.jsonl', '-o', 'out.jsonl', '--count', '2', '--audit', 'warn', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code, r.stderr).toBe(0);
    const injected = readFileSync(join(w.dir, 'out.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => !rows.includes(l));
    expect(injected).toHaveLength(2);
    for (const line of injected) {
      const prompt = (JSON.parse(line) as { prompt: string }).prompt;
      expect(prompt.startsWith(pre), prompt).toBe(true);
      expect(prompt.endsWith(' ->'), prompt).toBe(true);
    }
  });
});

describe('nesting depth is capped, the same in validate and mix', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const record = (meta: string) => `{"question": "How do I reset my router?", "answer": "Hold the button.", "meta": ${meta}}`;
  const rows = (meta: string) => [record('1'), record(meta), record('2'), record('3')].join('\n') + '\n';

  it('100,000 unclosed "[": exit 2 in validate and mix, no crash', async () => {
    const w = workspace();
    writeFileSync(join(w.dir, 'open.json'), '['.repeat(100_000));
    const check = guard(w, ['open.json']);
    for (const cmd of [
      ['validate', 'open.json'],
      ['mix', 'open.json', '-o', 'out.json', '--count', '1'],
    ]) {
      expectRefused(await runCli(cmd, { cwd: w.dir, env: w.env }), 2, ['open.json:1', 'not closed', 'what to do']);
    }
    check();
  });

  it('a record nested 100,000 deep: validate exit 1 and mix exit 1, both naming line 2 and nesting_too_deep', async () => {
    const w = workspace();
    writeFileSync(join(w.dir, 'deep.jsonl'), rows(nested(100_000)));
    const check = guard(w, ['deep.jsonl']);
    const v = await runCli(['validate', 'deep.jsonl'], { cwd: w.dir, env: w.env });
    expectRefused(v, 1, ['deep.jsonl:2', 'nesting_too_deep', 'more than 128 levels deep', 'what to do']);
    const m = await runCli(['mix', 'deep.jsonl', '-o', 'out.jsonl', '--count', '1'], { cwd: w.dir, env: w.env });
    expectRefused(m, 1, ['deep.jsonl:2', 'nesting_too_deep', '--skip-invalid']);
    check();
  });

  it('a JSON array whose element is nested 100,000 deep: the same error', async () => {
    const w = workspace();
    writeFileSync(join(w.dir, 'deep.json'), `[${record('1')},\n${record(nested(100_000))}]`);
    expectRefused(await runCli(['validate', 'deep.json'], { cwd: w.dir, env: w.env }), 1, ['deep.json:2', 'nesting_too_deep']);
  });

  it('128 levels pass validate and mix; 129 are refused by both', async () => {
    const w = workspace();
    writeFileSync(join(w.dir, 'ok.jsonl'), rows(nested(127))); // the record object is level 1
    writeFileSync(join(w.dir, 'over.jsonl'), rows(nested(128)));
    expect((await runCli(['validate', 'ok.jsonl'], { cwd: w.dir, env: w.env })).code).toBe(0);
    const mixed = await runCli(['mix', 'ok.jsonl', '-o', 'out.jsonl', '--count', '0', '--quiet'], { cwd: w.dir, env: w.env });
    expect(mixed.code, mixed.stderr).toBe(0);
    expectRefused(await runCli(['validate', 'over.jsonl'], { cwd: w.dir, env: w.env }), 1, ['over.jsonl:2', 'level 129']);
    expectRefused(await runCli(['mix', 'over.jsonl', '-o', 'out2.jsonl', '--count', '1'], { cwd: w.dir, env: w.env }), 1, ['over.jsonl:2', 'nesting_too_deep']);
  });

  it('mix --skip-invalid leaves the deep record out and lists it in the manifest', async () => {
    const w = workspace();
    writeFileSync(join(w.dir, 'deep.jsonl'), rows(nested(5000)));
    const r = await runCli(['mix', 'deep.jsonl', '-o', 'out.jsonl', '--count', '0', '--skip-invalid', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(w.dir, 'out.jsonl.manifest.json'), 'utf8'));
    expect(manifest.rejected).toEqual([expect.objectContaining({ index: 1, line: 2, code: 'nesting_too_deep' })]);
  });
});

describe('a full disk or a file-size limit says so and leaves nothing', () => {
  const BIG = Array.from({ length: 1500 }, (_, i) => chat(i)).join('\n') + '\n'; // ~200 KB
  let mountReason: string | undefined;
  const mounts: string[] = [];
  /** A 64 KiB tmpfs (root only), or the reason there is none. */
  function smallDisk(): string | undefined {
    if (!isRoot) {
      mountReason = 'not root: cannot mount a small tmpfs to fill';
      return undefined;
    }
    const dir = tempDir('safemix-tmpfs-');
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir], { encoding: 'utf8' });
    if (r.status !== 0) {
      mountReason = `mount -t tmpfs failed: ${(r.stderr || r.error?.message || '').trim()}`;
      return undefined;
    }
    mounts.push(dir);
    return dir;
  }
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m]);
  });

  it('ENOSPC while writing the output: "the disk is full", exit 2, nothing on the disk, input unchanged', async (ctx) => {
    const disk = smallDisk();
    if (!disk) {
      console.log(`skipped the tmpfs disk-full test: ${mountReason}`);
      return ctx.skip(mountReason);
    }
    const w = workspace();
    writeFileSync(w.input, BIG);
    const check = guard(w);
    const r = await runCli(['mix', 'a.jsonl', '-o', join(disk, 'out.jsonl'), '--count', '3'], { cwd: w.dir, env: w.env });
    expectRefused(r, 2, [`${join(disk, 'out.jsonl')}: the disk is full; nothing was written`, 'what to do: free some space']);
    expect(readdirSync(disk)).toEqual([]);
    check();
  });

  it('ENOSPC while writing the manifest: exit 2, and the output is not left either', async (ctx) => {
    const disk = smallDisk();
    if (!disk) {
      console.log(`skipped the tmpfs disk-full test: ${mountReason}`);
      return ctx.skip(mountReason);
    }
    // fill the disk to the last byte
    const filler = join(disk, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(1 << 20));
    } catch {
      /* ENOSPC: full now */
    }
    const w = workspace();
    const check = guard(w);
    const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--manifest', join(disk, 'm.json'), '--count', '3'], { cwd: w.dir, env: w.env });
    expectRefused(r, 2, ['the disk is full', 'm.json']);
    expect(readdirSync(disk)).toEqual(['filler']);
    check();
  });

  it('a large output written by the hashing worker onto a full disk: disk_full, and no temp file left', async (ctx) => {
    const disk = smallDisk();
    if (!disk) return ctx.skip(mountReason);
    const target = join(disk, 'big.jsonl');
    const out = new AtomicFile(target, { parallelHash: true });
    const block = Buffer.alloc(256 * 1024, 0x61);
    // the worker writes behind: the failure surfaces on a later write or at the digest, never silently
    const fill = () => {
      for (let i = 0; i < 16; i++) out.write(block);
      return out.sha256();
    };
    expect(fill).toThrow(expect.objectContaining({ code: 'disk_full', exitCode: 2 }));
    expect(readdirSync(disk)).toEqual([]);
  });

  it('a library copy onto a full disk rejects with disk_full and leaves nothing', async (ctx) => {
    const disk = smallDisk();
    if (!disk) return ctx.skip(mountReason);
    const w = workspace();
    writeFileSync(w.input, BIG);
    await expect(copyDataset(w.input, join(disk, 'copy.jsonl'))).rejects.toMatchObject({
      code: 'disk_full',
      exitCode: 2,
      position: { file: join(disk, 'copy.jsonl') },
    });
    expect(readdirSync(disk)).toEqual([]);
  });

  it('ulimit -f (EFBIG): "too large", exit 2, nothing left', async () => {
    const w = workspace();
    writeFileSync(w.input, BIG);
    // compile the CLI once with the TMPDIR of the case, so the limited run writes no compile cache
    expect((await runCli(['--version'], { cwd: w.dir, env: w.env })).code).toBe(0);
    const check = guard(w);
    const r = await runCommand('bash', ['-c', 'ulimit -f 8; exec "$0" "$@"', process.execPath, BIN, 'mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '3'], {
      cwd: w.dir,
      env: w.env,
    });
    expectRefused(r, 2, ['out.jsonl: the file is too large', 'ulimit -f', 'what to do']);
    check();
  });
});

describe('special-token text is counted as text', () => {
  const specials = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|fim_suffix|>', '<|fim_prefix|>', '<|endofprompt|>'];
  const rows = Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: `What does ${specials[i % specials.length]} mean in a prompt (${i})?` },
        { role: 'assistant', content: `It is a marker ${specials[(i + 1) % specials.length]} that a tokenizer may treat specially (${i}).` },
      ],
    }),
  );
  it('tokens.ts counts it as ordinary text', () => {
    expect(countTextTokens('<|endoftext|>')).toBeGreaterThan(1);
    expect(countTextTokens('a <|im_start|> b <|fim_suffix|>')).toBeGreaterThan(4);
  });
  for (const cmd of [['validate'], ['inspect', '--json'], ['mix', '-o', 'out.jsonl', '--count', '3', '--quiet']]) {
    it(`${cmd[0]}: exit 0 on records holding ${specials.slice(0, 3).join(', ')}`, async () => {
      const w = workspace();
      writeFileSync(join(w.dir, 'special.jsonl'), rows.join('\n') + '\n');
      const r = await runCli([cmd[0]!, 'special.jsonl', ...cmd.slice(1)], { cwd: w.dir, env: w.env });
      expect(r.stderr).not.toMatch(/Disallowed special token/);
      expect(r.code, r.stderr).toBe(0);
    });
  }
});

describe('nothing to read is an error, not "valid, 0 records"', () => {
  const empties: [string, string | Buffer, (string | RegExp)[]][] = [
    ['ws.jsonl', '   \n\t \n  ', ['ws.jsonl: the file holds only whitespace', 'at least one record']],
    ['blank.jsonl', '\n\n\n\r\n', ['blank.jsonl: the file holds only whitespace (5 bytes, 4 blank lines)']],
    ['headeronly.csv', 'text,label\n', ['headeronly.csv:2: the file has a header (text,label) but no data rows', '--no-header']],
    ['headeronly.tsv', 'text\tlabel\r\n', ['headeronly.tsv:2: the file has a header (text, label) but no data rows']],
    ['empty.json', '[\n]\n', ['empty.json:1: the JSON array is empty']],
    [
      'data.parquet',
      Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64), Buffer.from('PAR1')]),
      ['data.parquet: the file starts as Parquet (PAR1) but cannot be read as Parquet: its footer length (0 bytes)'],
    ],
  ];
  for (const [name, content, says] of empties) {
    it(`${name}: validate and mix exit 2`, async () => {
      const w = workspace();
      writeFileSync(join(w.dir, name), content);
      const check = guard(w, [name]);
      expectRefused(await runCli(['validate', name], { cwd: w.dir, env: w.env }), 2, says);
      expectRefused(await runCli(['mix', name, '-o', 'out' + name.slice(name.indexOf('.')), '--count', '1'], { cwd: w.dir, env: w.env }), 2, says);
      check();
    });
  }
});

describe('prototype keys are caught however they are spelled', () => {
  it('an escaped "\\u005f_proto__" key: validate exit 1 and mix exit 1 naming the field', async () => {
    const w = workspace();
    const bad = '{"messages": [{"role": "user", "content": "x", "\\u005f_proto__": {"admin": true}}, {"role": "assistant", "content": "y"}]}';
    writeFileSync(join(w.dir, 'esc.jsonl'), `${chat(1)}\n${bad}\n${chat(2)}\n`);
    const check = guard(w, ['esc.jsonl']);
    expectRefused(await runCli(['validate', 'esc.jsonl'], { cwd: w.dir, env: w.env }), 1, [
      'esc.jsonl:2 (field messages[0].__proto__)',
      'forbidden_key',
      'what to do',
    ]);
    expectRefused(await runCli(['mix', 'esc.jsonl', '-o', 'out.jsonl', '--count', '1'], { cwd: w.dir, env: w.env }), 1, ['esc.jsonl:2', 'forbidden_key']);
    check();
  });

  it('"constr\\u0075ctor" and "prototyp\\u0065" too', async () => {
    const w = workspace();
    writeFileSync(
      join(w.dir, 'c.jsonl'),
      `{"q": "a", "a": "b"}\n{"q": "c", "a": "d", "constr\\u0075ctor": 1}\n{"q": "e", "a": "f", "x": {"prototyp\\u0065": 2}}\n`,
    );
    const r = await runCli(['validate', 'c.jsonl'], { cwd: w.dir, env: w.env });
    expectRefused(r, 1, ['c.jsonl:2 (field constructor)', 'c.jsonl:3 (field x.prototype)']);
  });

  for (const column of ['__proto__', 'constructor', 'prototype']) {
    it(`a CSV header "${column}": exit 2 naming line 1 and the column, in validate and mix`, async () => {
      const w = workspace();
      writeFileSync(join(w.dir, 'p.csv'), `text,${column}\nhello,pos\nbye,neg\n`);
      const check = guard(w, ['p.csv']);
      for (const cmd of [
        ['validate', 'p.csv'],
        ['mix', 'p.csv', '-o', 'out.csv', '--count', '1'],
      ]) {
        expectRefused(await runCli(cmd, { cwd: w.dir, env: w.env }), 2, [`p.csv:1 (field ${column})`, `names a column "${column}"`, 'rename that column']);
      }
      check();
    });
  }
});

describe('mix -o - stops quietly when the reader goes away, and honours backpressure', () => {
  it('piped to a reader that closes after the first chunk (like head): exit 141, nothing on stderr, nothing left', async () => {
    const w = workspace();
    writeFileSync(w.input, Array.from({ length: 20_000 }, (_, i) => chat(i)).join('\n') + '\n'); // ~2.7 MB
    const check = guard(w);
    const child = spawn(process.execPath, ['--expose-gc', BIN, 'mix', 'a.jsonl', '-o', '-', '--count', '3', '--manifest', 'm.json', '--quiet'], {
      cwd: w.dir,
      env: { ...process.env, ...w.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const err: Buffer[] = [];
    child.stderr.on('data', (d) => err.push(d));
    let first = '';
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString('utf8').split('\n')[0]!;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(JSON.parse(first)).toHaveProperty('messages');
    expect(Buffer.concat(err).toString('utf8')).toBe('');
    expect(code).toBe(141);
    check();
  });

  it('StdoutSink: awaiting drain() keeps at most one block (1 MiB) and one stream buffer queued, however slow the reader', async () => {
    let queuedMax = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(_chunk, _enc, done) {
        setImmediate(done); // a reader that takes its time with every chunk
      },
    });
    const sink = new StdoutSink(slow as never);
    const record = Buffer.alloc(1000, 0x61);
    let writes = 0;
    slow.on('drain', () => writes++);
    for (let i = 0; i < 20_000; i++) {
      sink.write(record);
      queuedMax = Math.max(queuedMax, slow.writableLength);
      if (sink.needsDrain) await sink.drain();
    }
    expect(sink.bytesWritten).toBe(20_000_000);
    // records go out in blocks: the stream was full (and drained) many times, never holding more than a block
    expect(writes).toBeGreaterThan(10);
    expect(queuedMax).toBeGreaterThan(16 * 1024);
    expect(queuedMax).toBeLessThanOrEqual(1024 * 1024 + 16 * 1024);
    expect(sink.sha256()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('StdoutSink: a closed pipe (EPIPE) turns the next write or drain into output_closed (exit 141), never an unhandled error', async () => {
    const broken = new Writable({
      highWaterMark: 8,
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const sink = new StdoutSink(broken as never);
    sink.write('first record\n');
    await expect(sink.drain()).rejects.toMatchObject({ code: 'output_closed', exitCode: 141 });
    expect(() => sink.write('more\n')).toThrow(expect.objectContaining({ code: 'output_closed' }));
  });
});

describe('exit 70 only for a bug, and it says where to report it', () => {
  const preload = join(ROOT, 'test/fixtures/crash-stdout.mjs');
  it('an unexpected exception: exit 70, "a bug in safemix", where to report it, the stack', async () => {
    const w = workspace();
    const r = await runCommand(process.execPath, ['--import', preload, BIN, 'validate', 'a.jsonl'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('internal error: this is a bug in safemix, not a problem with your data or command line');
    expect(r.stderr).toMatch(/please report it at .+ with the command you ran, safemix \d+\.\d+\.\d+ on Node v\d+/);
    expect(r.stderr).toContain('TypeError: boom');
  });

  it('a TypeError inside a pipeline step of mix (the commit): exit 70, a bug, not "cannot write the output… check free disk space"; nothing left behind', async () => {
    const w = workspace();
    const step = join(ROOT, 'test/fixtures/crash-step.mjs');
    const r = await runCommand(process.execPath, ['--import', step, BIN, 'mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '2', '--quiet'], {
      cwd: w.dir,
      env: w.env,
    });
    expect(r.code, r.stderr).toBe(70);
    expect(r.stderr).toContain('internal error: this is a bug in safemix');
    expect(r.stderr).toContain("TypeError: Cannot read properties of undefined (reading 'content')");
    expect(r.stderr).not.toMatch(/cannot write the output|free disk space/);
    expect(readdirSync(w.dir).filter((f) => f.startsWith('out') || (f.includes('.tmp') && f !== '.tmpdir'))).toEqual([]);
    // the same step failing as a full disk does is said as one (exit 2)
    const full = await runCommand(process.execPath, ['--import', step, BIN, 'mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '2', '--quiet'], {
      cwd: w.dir,
      env: { ...w.env, SAFEMIX_TEST_CRASH: 'enospc' },
    });
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/the disk is full/);
  });

  it('a failed system call that escaped (EIO): exit 2 with what to do, not 70', async () => {
    const w = workspace();
    const r = await runCommand(process.execPath, ['--import', preload, BIN, 'validate', 'a.jsonl'], {
      cwd: w.dir,
      env: { ...w.env, SAFEMIX_TEST_CRASH: 'eio' },
    });
    expectRefused(r, 2, ['write failed (EIO)', 'what to do']);
  });

  it('a bad record stops mix with exit 1, naming its line, and writes nothing', async () => {
    const w = workspace();
    writeFileSync(join(w.dir, 'bad.jsonl'), DATA + '{"messages": [}\n' + DATA);
    const r = await runCli(['mix', 'bad.jsonl', '-o', 'out.jsonl', '--count', '1'], { cwd: w.dir, env: w.env });
    expectRefused(r, 1, ['bad.jsonl:61']);
    expect(existsSync(join(w.dir, 'out.jsonl'))).toBe(false);
  });
});

describe('the stdin spool of a killed run is removed by the next run', () => {
  it('SIGKILL while spooling leaves a spool; the next `mix -` on the same host removes it', async () => {
    const w = workspace();
    const { child, done } = await startPaused(['mix', '-', '-o', 'out.jsonl', '--count', '1'], 'stdin-spool', { cwd: w.dir, env: w.env, stdin: DATA });
    const spools = () => readdirSync(w.tmp).filter((n) => n.startsWith('safemix-stdin-'));
    expect(spools()).toHaveLength(1);
    expect(spools()[0]).toContain(`-${child.pid}-`);
    child.kill('SIGKILL');
    await done;
    expect(spools()).toHaveLength(1); // nothing can run on SIGKILL
    const r = await runCli(['mix', '-', '-o', 'out.jsonl', '--count', '1', '--quiet'], { cwd: w.dir, env: w.env, stdin: DATA });
    expect(r.code).toBe(0);
    expect(spools()).toEqual([]);
  });
});

describe('the shuffle index lives in a temp file, removed on every exit', () => {
  it('a shuffled mix leaves no index behind, and sweeps the index a killed run left', async () => {
    const w = workspace();
    writeFileSync(w.input, DATA);
    const stale = join(
      w.tmp,
      `safemix-shuffle-${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')
        .replace(/[^0-9a-f]/g, '')
        .slice(0, 12)}-${/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))![1]}-${spawnSync(process.execPath, ['-e', '']).pid}-1-abcdef`,
    );
    mkdirSync(stale);
    writeFileSync(join(stale, 'index'), Buffer.alloc(24));
    const r = await runCli(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '3', '--order', 'shuffle', '--quiet'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(0);
    expect(readdirSync(w.tmp).filter((n) => n.startsWith('safemix-shuffle-'))).toEqual([]);
  });
});

describe('mix -o - honours backpressure', () => {
  it('a reader that stops reading stalls the second pass instead of filling memory; reading on finishes the output', async () => {
    const w = workspace();
    const line = chat(1);
    const lines = Math.ceil((48 * 1024 * 1024) / (line.length + 1));
    const big = join(w.dir, 'big.jsonl');
    writeFileSync(big, (line + '\n').repeat(lines));
    const size = statSync(big).size;
    // the reference: the same mix written to a file, its peak RSS read from /proc until it exits
    const reference = spawn(process.execPath, ['--expose-gc', BIN, 'mix', big, '-o', join(w.dir, 'ref.jsonl'), '--count', '0', '--quiet'], {
      cwd: w.dir,
      env: { ...process.env, ...w.env },
      stdio: 'ignore',
    });
    let referencePeak = 0;
    const referenceDone = new Promise((r) => reference.on('close', r));
    for (let open = true; open;) {
      try {
        referencePeak = Math.max(referencePeak, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${reference.pid}/status`, 'utf8'))![1]) * 1024);
      } catch {
        /* gone */
      }
      open = (await Promise.race([referenceDone.then(() => false), new Promise((r) => setTimeout(() => r(true), 50))])) as boolean;
    }
    expect(referencePeak).toBeGreaterThan(0);
    const child = spawn(process.execPath, ['--expose-gc', BIN, 'mix', big, '-o', '-', '--count', '0', '--quiet'], {
      cwd: w.dir,
      env: { ...process.env, ...w.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pause();
    const readChars = () => Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))![1]);
    const rss = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024;
    // wait until the child stops reading: pass 1 has read the file, pass 2 is blocked on the full pipe
    let last = -1;
    let still = 0;
    let peak = 0;
    for (let i = 0; i < 600 && still < 5; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const now = readChars();
      peak = Math.max(peak, rss());
      still = now === last && now > size ? still + 1 : 0;
      last = now;
    }
    expect(still, 'the child stalled').toBe(5);
    // pass 2 read only a few MB beyond pass 1: the unread output was not buffered in memory
    expect(last - size, `pass 2 read ${last - size} bytes before stalling`).toBeLessThan(16 * 1024 * 1024);
    // nor in memory: the stalled run peaks no higher than the same mix written to a file, give or take
    // the garbage collector's timing (buffering the unread output would add up to the whole 48 MB)
    expect(peak, `peak RSS ${peak}, ${referencePeak} writing to a file`).toBeLessThan(referencePeak + 32 * 1024 * 1024);
    let received = 0;
    child.stdout.on('data', (d: Buffer) => (received += d.length));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(received).toBe(size);
  });
});
