// `npm run bench:floors`: what the fastest possible mix could cost on this machine, for issue 12's
// goal of 1.2× a Python loop. On generated openai-chat JSONL of BENCH_MB (default 1024; seeded, in a
// temp directory, never committed), each in its own process, measured by the kernel:
//   - the Python loop of `npm run bench` (the baseline);
//   - the parse floor: one thread reads 1 MB blocks, splits lines and JSON.parses each one, as pass 1
//     must at least (no validation, no sample, no hash);
//   - the copy floor: read and write the file in 1 MB blocks, then fsync, as pass 2 must at least;
//   - the covert-encoding check on mix's sample (bench/encoding-check.ts);
//   - a worker thread doing the parse floor on half the file: what a second core's share of pass 1
//     adds to peak RSS (the process's high-water mark before and after).
// Prints the floors' sum against 1/1.2 of the Python loop's time. Not a test; not part of `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChatJsonl } from './generate.js';
import { PYTHON_LOOP } from './baselines.js';

const sizeMB = Number(process.env.BENCH_MB ?? 1024);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'safemix-floors-'));

const PARSE_FLOOR = `
const { openSync, readSync, closeSync } = require('node:fs');
function parseFloor(path, limit) {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let pos = 0, carry = Buffer.alloc(0), n = 0;
  for (;;) {
    const k = readSync(fd, buf, 0, buf.length, pos);
    if (!k || pos >= limit) break;
    pos += k;
    const b = carry.length ? Buffer.concat([carry, buf.subarray(0, k)]) : buf.subarray(0, k);
    let s = 0;
    for (let e = b.indexOf(10, s); e !== -1; s = e + 1, e = b.indexOf(10, s)) if (e > s) { JSON.parse(b.toString('latin1', s, e)); n++; }
    carry = Buffer.from(b.subarray(s));
  }
  closeSync(fd);
  return n;
}
`;
const MAIN_PARSE = `${PARSE_FLOOR}\nparseFloor(process.argv[1], Infinity);`;
const COPY = `
const { openSync, readSync, writeSync, fsyncSync, closeSync } = require('node:fs');
const buf = Buffer.allocUnsafe(1 << 20);
const fi = openSync(process.argv[1], 'r'), fo = openSync(process.argv[2], 'w');
for (let pos = 0; ; ) { const k = readSync(fi, buf, 0, buf.length, pos); if (!k) break; writeSync(fo, buf, 0, k); pos += k; }
fsyncSync(fo); closeSync(fo); closeSync(fi);
`;
const WORKER_RSS = `
const { Worker } = require('node:worker_threads');
const { readFileSync, statSync } = require('node:fs');
const hwm = () => Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const before = hwm();
const w = new Worker(${JSON.stringify(PARSE_FLOOR)} + 'require("node:worker_threads").parentPort.postMessage(parseFloor(require("node:worker_threads").workerData.path, require("node:worker_threads").workerData.limit));', { eval: true, workerData: { path: process.argv[1], limit: statSync(process.argv[1]).size / 2 } });
w.on('message', () => { console.log(JSON.stringify({ before, after: hwm() })); process.exit(0); });
`;

const RUSAGE = `
import resource, subprocess, sys, time, json
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": time.monotonic() - t, "cpu": u.ru_utime + u.ru_stime, "out": r.stdout.decode()[-400:]}))
`;

function timed(cmd: string[]): { wall: number; cpu: number; out: string } {
  spawnSync('sync');
  const r = spawnSync('python3', ['-c', RUSAGE, ...cmd], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`floors: ${cmd.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as { wall: number; cpu: number; out: string };
}

try {
  if (spawnSync('python3', ['--version']).status !== 0) throw new Error('floors: needs python3 (the baseline and the kernel accounting)');
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  const input = join(dir, 'chat.jsonl');
  const out = join(dir, 'out');
  process.stderr.write(`generating ${sizeMB} MB JSONL …\n`);
  await generateChatJsonl(input, sizeMB * 1024 * 1024, 'bench');
  const py = timed(['python3', '-c', PYTHON_LOOP, input, out]);
  const parse = timed([process.execPath, '-e', MAIN_PARSE, input]);
  const copy = timed([process.execPath, '-e', COPY, input, out]);
  rmSync(out, { force: true });
  const check = JSON.parse(timed([process.execPath, join(root, 'dist/bench/encoding-check.js'), input]).out.trim()) as { seconds: number; sampled: number };
  const rss = JSON.parse(timed([process.execPath, '-e', WORKER_RSS, input]).out.trim()) as { before: number; after: number };
  const target = py.wall / 1.2;
  const sum = parse.wall + copy.wall + check.seconds;
  console.log(`\nsafemix floors on ${sizeMB} MB openai-chat JSONL, node ${process.version}`);
  console.log('| step | wall (s) | CPU (s) |');
  console.log('|---|---:|---:|');
  console.log(`| Python loop (json.loads per line + write) | ${py.wall.toFixed(2)} | ${py.cpu.toFixed(2)} |`);
  console.log(`| parse floor: read, split, JSON.parse every line | ${parse.wall.toFixed(2)} | ${parse.cpu.toFixed(2)} |`);
  console.log(`| copy floor: read, write, fsync | ${copy.wall.toFixed(2)} | ${copy.cpu.toFixed(2)} |`);
  console.log(`| covert-encoding check on ${check.sampled} sampled records | ${check.seconds.toFixed(2)} | |`);
  console.log(
    `\n1.2× the Python loop is ${target.toFixed(2)} s; the three floors one after the other take ${sum.toFixed(2)} s (before validation, sampling, hashing, safety records and start-up).`,
  );
  console.log(
    `a worker thread parsing half the file raises the process's peak RSS from ${rss.before.toFixed(0)} to ${rss.after.toFixed(0)} MB (+${(rss.after - rss.before).toFixed(0)} MB)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
