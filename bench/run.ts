// `npm run bench`: safemix's default command against the plain loops a provider would otherwise run,
// on generated data (seeded, in a temp directory, never committed), all compiled, each in its own
// process, measured by the kernel (wall, CPU, peak RSS):
//   - openai-chat JSONL of BENCH_MB (default 1024) and of 100 MB: `safemix mix IN -o OUT --ratio 0.05`
//     (validation and the encoding check on, as by default), the same mix without the covert-encoding
//     check (its cost), `mix --overlap-check` (the analysis beside pass 2; opt-in, not held to the
//     memory ceiling), `mix --threads 0` (pass 1 in one thread), `inspect`, `mix --order shuffle`
//     (and on 100 MB `mix --ratio 1`, the cost of generating safety records), against
//     a Node loop (readline + JSON.parse + write with backpressure) and a Python loop (json.loads per line);
//   - a CSV with a multi-line quoted text column of BENCH_CSV_MB (default 300): `mix` against
//     csv-parse → csv-stringify and Python's csv reader → writer.
//   - once, a 10 GB JSONL (BENCH_LARGE_GB, 0 to leave it out; skipped with a message when the disk
//     has less than 25 GB free): its wall per GB against the 1 GB mix's.
// Prints one table with every ratio (baseline time ÷ safemix time: above 1 means safemix is faster)
// and the goals of issue 29; exits 1 when a safemix task's peak RSS reaches 256 MB. Python rows are
// left out when python3 is missing. BENCH_MB=50 is a quick smoke run. Each command runs BENCH_RUNS
// times (default 10; the table shows the median wall and the highest peak RSS): the machine is
// shared, and one run's ratios move by ±20%.
import { benchReportPage } from './report-page.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChatJsonl, generateCsv } from './generate.js';
import { NODE_LOOP, PYTHON_CSV_LOOP, PYTHON_LOOP } from './baselines.js';

const sizeMB = Number(process.env.BENCH_MB ?? 1024);
const smallMB = Math.min(100, sizeMB);
const csvMB = Number(process.env.BENCH_CSV_MB ?? Math.min(300, sizeMB));
const RSS_LIMIT_MB = 256;
const largeGB = Number(process.env.BENCH_LARGE_GB ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'safemix-bench-'));
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;

interface Measure {
  wall: number;
  cpu: number;
  rssMB: number;
}

// every command runs under python3's rusage wrapper (or /usr/bin/time), so that all figures come from the kernel alike
const RUSAGE = `
import resource, subprocess, sys, time, json
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"status": r.returncode, "wall": wall, "cpu": u.ru_utime + u.ru_stime, "rssMB": u.ru_maxrss / 1024}))
`;

function measure(cmd: string[]): Measure {
  if (python) {
    const r = spawnSync(python, ['-c', RUSAGE, ...cmd], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const m = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Measure & { status: number };
    if (r.status !== 0 || m.status !== 0) throw new Error(`bench: ${cmd.join(' ')} failed: ${r.stderr}`);
    return m;
  }
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...cmd], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`bench: ${cmd.join(' ')} failed: ${r.stderr}`);
    const [e, u, s, m] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return { wall: e!, cpu: u! + s!, rssMB: m! / 1024 };
  }
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`bench: ${cmd.join(' ')} failed`);
  const wall = Number(process.hrtime.bigint() - t) / 1e9;
  return { wall, cpu: NaN, rssMB: NaN };
}

const NODE_CSV_LOOP = `
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(join(root, 'package.json'))});
const { parse } = require('csv-parse');
const { stringify } = require('csv-stringify');
await pipeline(createReadStream(process.argv[2]), parse(), stringify(), createWriteStream(process.argv[3]));
`;

/** Non-empty lines of a file (its records, for JSONL). */
function recordsOf(path: string): number {
  return Number(execFileSync('grep', ['-c', '.', path], { encoding: 'utf8' }).trim());
}

interface Row extends Measure {
  /** Wall time of every run. */
  walls: number[];
  task: string;
  input: string;
  safemix: boolean;
}

const rows: Row[] = [];
/** Runs of each command: the table shows the median wall and CPU and the highest peak RSS of them. */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 10));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
function run(task: string, input: string, cmd: string[], safemix: boolean, times = RUNS): Row {
  process.stderr.write(`  ${task} on ${input} …\n`);
  const out = join(dir, 'out');
  const runs: Measure[] = [];
  for (let i = 0; i < times; i++) {
    // every command starts with no writeback pending: the previous command's gigabyte of output,
    // still being flushed to disk, made whichever command came next up to 30% slower
    spawnSync('sync');
    runs.push(measure(cmd.map((c) => (c === 'OUT' ? out : c))));
    rmSync(out, { force: true });
    rmSync(`${out}.manifest.json`, { force: true });
  }
  const m = {
    wall: median(runs.map((r) => r.wall)),
    cpu: median(runs.map((r) => r.cpu)),
    rssMB: Math.max(...runs.map((r) => r.rssMB)),
    walls: runs.map((r) => r.wall),
  };
  const row = { task, input, safemix, ...m };
  rows.push(row);
  return row;
}

try {
  process.stderr.write('compiling (tsc) …\n');
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  const nodeLoop = join(dir, 'node-loop.mjs');
  const nodeCsvLoop = join(dir, 'node-csv-loop.mjs');
  writeFileSync(nodeLoop, NODE_LOOP);
  writeFileSync(nodeCsvLoop, NODE_CSV_LOOP);
  const inputs: { name: string; path: string; mb: number; kind: 'jsonl' | 'csv' }[] = [];
  for (const mb of [...new Set([smallMB, sizeMB])]) inputs.push({ name: `${mb} MB JSONL`, path: join(dir, `chat-${mb}.jsonl`), mb, kind: 'jsonl' });
  inputs.push({ name: `${csvMB} MB CSV`, path: join(dir, `rows-${csvMB}.csv`), mb: csvMB, kind: 'csv' });
  const ratios: string[] = [];
  for (const input of inputs) {
    process.stderr.write(`generating ${input.name} …\n`);
    if (input.kind === 'jsonl') await generateChatJsonl(input.path, input.mb * 1024 * 1024, 'bench');
    else await generateCsv(input.path, input.mb * 1024 * 1024, 'bench');
    const size = `${input.name} (${(statSync(input.path).size / 1e6).toFixed(0)} MB)`;
    const mix = run('safemix mix --ratio 0.05', size, [process.execPath, '--expose-gc', cli, 'mix', input.path, '-o', 'OUT', '--ratio', '0.05'], true);
    if (input.kind === 'jsonl') {
      // the covert-encoding check's cost: the same mix without it (the screen in pass 1 and the analysis)
      const bare = run(
        'mix without the covert-encoding check',
        size,
        [process.execPath, '--expose-gc', join(root, 'dist/bench/mix-without-check.js'), input.path, 'OUT'],
        // a measuring mode, not a command a user runs: left out of the peak-RSS ceiling
        false,
      );
      ratios.push(
        `${size}: the covert-encoding check (every record screened, suspects and sample analysed) costs ${(mix.wall - bare.wall).toFixed(2)} s, ${((100 * (mix.wall - bare.wall)) / mix.wall).toFixed(1)}% of mix's wall (goal: ≤ 15%)`,
      );
      // the analysis beside pass 2 (opt-in: it trades about 40 MB of memory, so it is not held to the ceiling)
      const overlap = run(
        'safemix mix --overlap-check',
        size,
        [process.execPath, '--expose-gc', cli, 'mix', input.path, '-o', 'OUT', '--ratio', '0.05', '--overlap-check'],
        false,
      );
      ratios.push(
        `${size}: with --overlap-check the check costs ${(overlap.wall - bare.wall).toFixed(2)} s, ${((100 * (overlap.wall - bare.wall)) / overlap.wall).toFixed(1)}% of its wall`,
      );
      const single = run(
        'safemix mix --threads 0',
        size,
        [process.execPath, '--expose-gc', cli, 'mix', input.path, '-o', 'OUT', '--ratio', '0.05', '--threads', '0'],
        true,
      );
      ratios.push(`${size}: pass 1 on a worker thread: mix ${(single.wall / mix.wall).toFixed(2)}× the wall of mix --threads 0`);
      run('safemix inspect', size, [process.execPath, '--expose-gc', cli, 'inspect', input.path], true);
      // one safety record per user record: the cost of generating them shows (the smaller file only)
      if (input.mb === smallMB) {
        const heavy = run('safemix mix --ratio 1', size, [process.execPath, '--expose-gc', cli, 'mix', input.path, '-o', 'OUT', '--ratio', '1'], true);
        ratios.push(
          `${size}: --ratio 1 adds one safety record per user record: ${(((heavy.cpu - mix.cpu) / (0.95 * recordsOf(input.path))) * 1e6).toFixed(0)} µs of CPU per added record (against --ratio 0.05)`,
        );
      }
      run(
        'safemix mix --order shuffle',
        size,
        [process.execPath, '--expose-gc', cli, 'mix', input.path, '-o', 'OUT', '--ratio', '0.05', '--order', 'shuffle'],
        true,
      );
      const node = run('Node loop (readline + JSON.parse + write)', size, [process.execPath, nodeLoop, input.path, 'OUT'], false);
      ratios.push(`${size}: mix vs Node loop ${(node.wall / mix.wall).toFixed(2)}× wall, ${(node.cpu / mix.cpu).toFixed(2)}× CPU (goal ≥ 1.5× wall)`);
      if (python) {
        const py = run('Python loop (json.loads per line + write)', size, [python, '-c', PYTHON_LOOP, input.path, 'OUT'], false);
        ratios.push(`${size}: mix vs Python loop ${(py.wall / mix.wall).toFixed(2)}× wall (goal ≥ 1.2×)`);
      }
    } else {
      const node = run('Node csv loop (csv-parse → csv-stringify)', size, [process.execPath, nodeCsvLoop, input.path, 'OUT'], false);
      ratios.push(`${size}: mix vs Node csv loop ${(node.wall / mix.wall).toFixed(2)}× wall (goal ≥ 1.5×)`);
      if (python) {
        const py = run('Python csv loop (reader → writer)', size, [python, '-c', PYTHON_CSV_LOOP, input.path, 'OUT'], false);
        ratios.push(`${size}: mix vs Python csv loop ${(py.wall / mix.wall).toFixed(2)}× wall (goal ≥ 1.5×)`);
      }
    }
    rmSync(input.path, { force: true });
  }
  // once: a 10 GB file, its wall per GB against the 1 GB run's
  if (largeGB > 0 && sizeMB >= 1024) {
    const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
    const oneGB = rows.find((r) => r.task === 'safemix mix --ratio 0.05' && r.input.startsWith(`${sizeMB} MB JSONL`))!;
    if (free < (2 * largeGB + 5) * 1024 ** 3)
      ratios.push(`${largeGB} GB JSONL: skipped, the disk has ${(free / 1024 ** 3).toFixed(0)} GB free (needs ${2 * largeGB + 5} GB)`);
    else {
      const path = join(dir, `chat-${largeGB}g.jsonl`);
      process.stderr.write(`generating ${largeGB} GB JSONL …\n`);
      await generateChatJsonl(path, largeGB * 1024 ** 3, 'bench');
      const big = run(
        'safemix mix --ratio 0.05',
        `${largeGB} GB JSONL (${(statSync(path).size / 1e9).toFixed(1)} GB)`,
        [process.execPath, '--expose-gc', cli, 'mix', path, '-o', 'OUT', '--ratio', '0.05'],
        true,
        1,
      );
      const perGB = big.wall / (statSync(path).size / 1024 ** 3);
      const basePerGB = oneGB.wall / (sizeMB / 1024);
      ratios.push(
        `${largeGB} GB JSONL: ${perGB.toFixed(2)} s per GB against ${basePerGB.toFixed(2)} s per GB at ${sizeMB} MB (${(100 * (perGB / basePerGB - 1)).toFixed(1)}%; goal within 10%)`,
      );
      rmSync(path, { force: true });
    }
  }

  console.log(
    `\nsafemix benchmark, node ${process.version}${python ? `, ${spawnSync(python, ['--version'], { encoding: 'utf8' }).stdout.trim()}` : ', no python3'}`,
  );
  console.log(`${RUNS} run(s) of each command: median wall and CPU, highest peak RSS; every run's wall in brackets`);
  console.log('| input | task | wall (s) | CPU (s) | peak RSS (MB) |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.input} | ${r.task} | ${r.wall.toFixed(2)}${r.walls.length > 1 ? ` (${r.walls.map((w) => w.toFixed(1)).join(', ')})` : ''} | ${r.cpu.toFixed(2)} | ${r.rssMB.toFixed(0)} |`,
    );
  console.log('\nratios (baseline ÷ safemix; above 1: safemix is faster):');
  for (const r of ratios) console.log(`- ${r}`);
  const growth = (task: string) => {
    const small = rows.find((r) => r.task === task && r.input.startsWith(`${smallMB} MB JSONL`));
    const large = rows.find((r) => r.task === task && r.input.startsWith(`${sizeMB} MB JSONL`));
    return small && large && small !== large
      ? `${task}: ${small.rssMB.toFixed(0)} → ${large.rssMB.toFixed(0)} MB (${(large.rssMB - small.rssMB >= 0 ? '+' : '') + (large.rssMB - small.rssMB).toFixed(0)} MB; goal ≤ +20)`
      : undefined;
  };
  const growths = ['safemix mix --ratio 0.05', 'safemix mix --threads 0', 'safemix inspect', 'safemix mix --order shuffle'].map(growth).filter(Boolean);
  if (growths.length) console.log(`\npeak RSS from ${smallMB} MB to ${sizeMB} MB:\n${growths.map((g) => `- ${g}`).join('\n')}`);
  for (const line of await benchReportPage()) console.log(`\n${line}`);
  const over = rows.filter((r) => r.safemix && r.rssMB >= RSS_LIMIT_MB);
  if (over.length) {
    console.log(`\nFAIL: peak RSS at or over ${RSS_LIMIT_MB} MB: ${over.map((r) => `${r.task} on ${r.input} (${r.rssMB.toFixed(0)} MB)`).join('; ')}`);
    process.exitCode = 1;
  } else console.log(`\npeak RSS of every safemix task under ${RSS_LIMIT_MB} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
