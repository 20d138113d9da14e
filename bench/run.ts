// `npm run bench`: generates a ~1 GB openai-chat JSONL (seeded, in a temp directory, never committed),
// then measures safemix's passes against two baselines in the same run: `cat FILE > /dev/null` and a
// bare Node readline + JSON.parse + write loop. Reports MB/s and peak RSS; fails if RSS passes 300 MB.
// BENCH_MB sets the size (default 1024).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChatJsonl } from './generate.js';

const sizeMB = Number(process.env.BENCH_MB ?? 1024);
const RSS_LIMIT_MB = 300;
const dir = mkdtempSync(join(tmpdir(), 'safemix-bench-'));
const input = join(dir, 'chat.jsonl');
const root = fileURLToPath(new URL('..', import.meta.url));

interface Row {
  task: string;
  seconds: number;
  maxRssMB?: number;
  records?: number;
}

let encodingCheckSeconds: number | undefined;

function runTask(task: string, args: string[] = []): Row {
  const r = spawnSync(process.execPath, [join(root, 'dist/bench/tasks.js'), task, input, join(dir, `${task}.out`), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench task ${task} failed: ${r.stderr}`);
  rmSync(join(dir, `${task}.out`), { force: true });
  const timing = /\{"encodingCheckSeconds".*\}/.exec(r.stderr);
  if (timing) encodingCheckSeconds = (JSON.parse(timing[0]) as { encodingCheckSeconds: number }).encodingCheckSeconds;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Row;
}

try {
  // tasks run compiled, as an installed safemix does (tsx would add its own memory to every figure)
  process.stderr.write('compiling (tsc) …\n');
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  process.stderr.write(`generating ~${sizeMB} MB of openai-chat JSONL in ${dir} …\n`);
  const g0 = Date.now();
  const records = await generateChatJsonl(input, sizeMB * 1024 * 1024, 'bench');
  const bytes = statSync(input).size;
  process.stderr.write(`  ${records} records, ${(bytes / 1e6).toFixed(0)} MB in ${((Date.now() - g0) / 1000).toFixed(1)} s\n`);

  const rows: Row[] = [];
  const c0 = process.hrtime.bigint();
  spawnSync('sh', ['-c', `cat "${input}" > /dev/null`], { stdio: 'inherit' });
  rows.push({ task: 'cat FILE > /dev/null (baseline)', seconds: Number(process.hrtime.bigint() - c0) / 1e9 });
  const tasks = (process.env.BENCH_TASKS ?? 'node-readline-baseline,safemix-read,safemix-copy,safemix-validate,safemix-inspect-no-encoding-check,safemix-inspect,safemix-mix-no-encoding-check,safemix-mix,safemix-encoding-check').split(',');
  for (const t of tasks) {
    process.stderr.write(`  running ${t} …\n`);
    rows.push(runTask(t));
  }

  const mb = bytes / (1024 * 1024);
  console.log(`\nsafemix benchmark: ${(bytes / 1e6).toFixed(0)} MB openai-chat JSONL, ${records} records, node ${process.version}`);
  console.log('| task | seconds | MB/s | peak RSS (MB) |');
  console.log('|---|---:|---:|---:|');
  let failed = false;
  for (const r of rows) {
    const rss = r.maxRssMB === undefined ? '—' : r.maxRssMB.toFixed(0);
    if (r.maxRssMB !== undefined && r.task.startsWith('safemix') && r.maxRssMB > RSS_LIMIT_MB) failed = true;
    console.log(`| ${r.task} | ${r.seconds.toFixed(2)} | ${(mb / r.seconds).toFixed(1)} | ${rss} |`);
  }
  console.log(`\nsafemix-read = read + parse only (the one scan inspect needs);`);
  console.log(`safemix-copy = read + validate + write (atomic); safemix-validate = read + validate + token sample;`);
  console.log(`safemix-inspect = one scan + profile of a 5,000-record sample; safemix-mix = two passes (profile, then blend + write) at ratio 0.05;`);
  console.log(`the -no-encoding-check rows skip the covert-encoding analysis, so the difference is its cost.`);
  const mix = rows.find((r) => r.task === 'safemix-mix');
  if (encodingCheckSeconds !== undefined && mix) {
    const share = encodingCheckSeconds / mix.seconds;
    console.log(`covert-encoding check on the sampled records: ${encodingCheckSeconds.toFixed(2)} s, ${(share * 100).toFixed(1)}% of mix time (goal: under 15%)`);
  }
  if (failed) {
    console.log(`FAIL: a safemix task's peak RSS passed ${RSS_LIMIT_MB} MB`);
    process.exitCode = 1;
  } else console.log(`peak RSS of every safemix task under ${RSS_LIMIT_MB} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
