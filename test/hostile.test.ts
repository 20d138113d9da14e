// Hostile and unlucky use (issue 10): paths that name the input another way, outputs that are not
// regular files, an input that changes between the two passes, and signals in every phase. Each case
// checks the exit code, that the message names the file and what to do, that nothing is left beside
// the target or in $TMPDIR, and that every input is unchanged (sha256).
import { describe, it, expect } from 'vitest';
import { appendFileSync, chmodSync, linkSync, mkdirSync, readdirSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli, sha256, startPaused, tempDir } from './helpers.js';

const chat = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: `How do I reset my router, question ${i}?` }, { role: 'assistant', content: `Hold the reset button for ten seconds, then wait for the lights (${i}).` }] });
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

/** Everything in the directory (the private TMPDIR too, but for tsx's compile cache, which runs the CLI here). */
function leftovers(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d)) {
      if (prefix === '.tmpdir/' && name.startsWith('tsx-')) continue;
      const p = join(d, name);
      out.push(prefix + name);
      if (statSync(p).isDirectory()) walk(p, prefix + name + '/');
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

  it('the output and the manifest keep the replaced file\'s mode, and a new one gets the input\'s', async () => {
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
