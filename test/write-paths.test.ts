// No command writes over a file it reads: every write path of mix (one file or several), plan,
// mix-shard and merge-manifests is checked against every read path of the same command (inputs,
// the plan's shards, the outputs a merge verifies) before anything is written, and again just before
// each rename, so a link planted during the run cannot steer the rename onto an input. Outputs go
// only into directories other users cannot write to, unless --allow-shared-dir.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, sha256, startPaused, tempDir, type CliResult } from './helpers.js';

const chat = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: `How do I reset router number ${i}?` },
      { role: 'assistant', content: `Hold its reset button for ten seconds (${i}).` },
    ],
  });
const DATA = Array.from({ length: 40 }, (_, i) => chat(i)).join('\n') + '\n';

function workspace() {
  const dir = tempDir('safemix-paths-');
  writeFileSync(join(dir, 'a.jsonl'), DATA);
  return dir;
}

/** The sha256 of every file below dir, by relative path. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else if (e.isFile()) out[prefix + e.name] = sha256(join(d, e.name));
      else out[prefix + e.name] = 'link';
    }
  };
  walk(dir, '');
  return out;
}

function refused(r: CliResult, says: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(says);
  expect(r.stderr).toContain('what to do');
  expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
}

/** Three JSONL shards of one upload, a plan over them, and the mixed outputs of shards 0 and 1. */
async function shardedUpload() {
  const dir = workspace();
  const lines = DATA.trim().split('\n');
  for (let i = 0; i < 3; i++) writeFileSync(join(dir, `shard-${i}.jsonl`), lines.slice(i * 13, i * 13 + 13).join('\n') + '\n');
  const plan = await runCli(['plan', 'shard-0.jsonl', 'shard-1.jsonl', 'shard-2.jsonl', '-o', 'plan.json', '--count', '6', '--quiet'], { cwd: dir });
  expect(plan.code, plan.stderr).toBe(0);
  mkdirSync(join(dir, 'out'));
  for (const i of [0, 1, 2]) {
    const r = await runCli(['mix-shard', 'plan.json', '--shard', String(i), '-o', `out/part-${i}.jsonl`, '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  }
  return dir;
}

describe('merge-manifests never writes over what it reads', () => {
  it('-o naming a shard of the plan: refused, every file unchanged', async () => {
    const dir = await shardedUpload();
    const before = snapshot(dir);
    const r = await runCli(['merge-manifests', 'plan.json', 'out/part-0.jsonl', 'out/part-1.jsonl', 'out/part-2.jsonl', '-o', 'shard-0.jsonl'], { cwd: dir });
    refused(r, /shard-0\.jsonl is the same file as the shard 0 of the plan/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('-o naming a shard output it verifies: refused, every file unchanged', async () => {
    const dir = await shardedUpload();
    const before = snapshot(dir);
    const r = await runCli(['merge-manifests', 'plan.json', 'out/part-0.jsonl', 'out/part-1.jsonl', 'out/part-2.jsonl', '-o', 'out/part-0.jsonl'], {
      cwd: dir,
    });
    refused(r, /out\/part-0\.jsonl is the same file as the shard output/);
    expect(snapshot(dir)).toEqual(before);
    // and the merge itself still works
    const ok = await runCli(['merge-manifests', 'plan.json', 'out/part-0.jsonl', 'out/part-1.jsonl', 'out/part-2.jsonl'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('mix-shard never writes over another shard', () => {
  it('-o naming shard 1 while mixing shard 0: refused, shard 1 unchanged', async () => {
    const dir = await shardedUpload();
    const before = snapshot(dir);
    const r = await runCli(['mix-shard', 'plan.json', '--shard', '0', '-o', 'shard-1.jsonl'], { cwd: dir });
    refused(r, /shard-1\.jsonl is the same file as the shard 1 of the plan/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('mix of several files checks every output against every input before writing', () => {
  it('mix sub/a.jsonl a.jsonl -o . : refused before any write, both inputs unchanged', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub/a.jsonl'), DATA.split('\n').reverse().join('\n').trim() + '\n');
    const before = snapshot(dir);
    const r = await runCli(['mix', 'sub/a.jsonl', 'a.jsonl', '-o', '.', '--count', '2'], { cwd: dir });
    refused(r, /two inputs are named a\.jsonl/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("mix sub/a.jsonl a.jsonl.manifest.json -o . : the first output's manifest would be the second input: refused, unchanged", async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub/a.jsonl'), DATA);
    writeFileSync(join(dir, 'a.jsonl.manifest.json'), DATA);
    const before = snapshot(dir);
    const r = await runCli(['mix', 'sub/a.jsonl', 'a.jsonl.manifest.json', '-o', '.', '--count', '2'], { cwd: dir });
    refused(r, /a\.jsonl\.manifest\.json is the same file as the input/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('the output path is checked again just before the rename', () => {
  it('a link to the input planted as the output during the run: the rename is refused, the input unchanged', async () => {
    const dir = workspace();
    const before = sha256(join(dir, 'a.jsonl'));
    const { child, done } = await startPaused(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '2'], 'pass2', { cwd: dir });
    symlinkSync(join(dir, 'a.jsonl'), join(dir, 'out.jsonl'));
    child.kill('SIGUSR2');
    const r = await done;
    refused(r, /out\.jsonl now leads to .*a\.jsonl/);
    expect(sha256(join(dir, 'a.jsonl'))).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['a.jsonl', 'out.jsonl']);
  });

  it('a link to the input planted as the manifest during the run: refused, the input unchanged', async () => {
    const dir = workspace();
    const before = sha256(join(dir, 'a.jsonl'));
    const { child, done } = await startPaused(['mix', 'a.jsonl', '-o', 'out.jsonl', '--count', '2'], 'pass2', { cwd: dir });
    symlinkSync(join(dir, 'a.jsonl'), join(dir, 'out.jsonl.manifest.json'));
    child.kill('SIGUSR2');
    const r = await done;
    refused(r, /out\.jsonl\.manifest\.json is now the same file as the input/);
    expect(sha256(join(dir, 'a.jsonl'))).toBe(before);
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false);
  });
});

describe('a directory that other users may write to', () => {
  it('is refused as an output directory unless --allow-shared-dir', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'shared'));
    chmodSync(join(dir, 'shared'), 0o1777);
    const r = await runCli(['mix', 'a.jsonl', '-o', 'shared/out.jsonl', '--count', '2'], { cwd: dir });
    refused(r, /writable by other users/);
    expect(r.stderr).toContain('--allow-shared-dir');
    expect(readdirSync(join(dir, 'shared'))).toEqual([]);
    const ok = await runCli(['mix', 'a.jsonl', '-o', 'shared/out.jsonl', '--count', '2', '--allow-shared-dir', '--quiet'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(dir, 'shared/out.jsonl'), 'utf8').trim().split('\n')).toHaveLength(42);
  });
});
