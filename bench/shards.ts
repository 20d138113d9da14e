// `npm run bench:shards`: sharded mixing on the queue, 1 worker against 2 workers. Generates three
// seeded openai-chat JSONL shards of ~300 MB each (BENCH_SHARD_MB) in a temp directory, plans them,
// starts a private redis-server on a unix socket, then for 1 and 2 workers (`safemix worker`,
// compiled, concurrency 1 each) submits the plan and times it to the merged manifest. Checks that
// both runs wrote byte-identical shards, prints a table with the speed-up. Not part of npm test.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChatJsonl } from './generate.js';

const shardMB = Number(process.env.BENCH_SHARD_MB ?? 300);
const SHARDS = 3;
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'safemix-bench-shards-'));
const cli = join(root, 'dist/src/cli/main.js');
const sock = join(dir, 'redis.sock');
const spawned: ChildProcess[] = [];

function run(args: string[]): string {
  return execFileSync(process.execPath, ['--expose-gc', cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

function startWorker(queue: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--expose-gc', cli, 'worker', '--redis', `unix://${sock}`, '--queue', queue], { stdio: ['ignore', 'ignore', 'pipe'] });
  spawned.push(child);
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (d) => {
      log += d;
      if (log.includes('ready: queue')) resolve(child);
    });
    child.on('close', () => reject(new Error(`worker exited: ${log}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const closed = new Promise((r) => child.once('close', r));
  child.kill('SIGTERM');
  await closed;
}

try {
  process.stderr.write('compiling (tsc) …\n');
  // other files' type errors do not stop the emit; the compiled CLI is what is measured
  spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.json')], { stdio: 'ignore' });
  if (!existsSync(cli)) throw new Error('tsc emitted no dist/src/cli/main.js');
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('redis-server is not installed (apt-get install redis-server)');

  const shards: string[] = [];
  let records = 0;
  for (let i = 0; i < SHARDS; i++) {
    const p = join(dir, `train-0000${i}-of-0000${SHARDS}.jsonl`);
    process.stderr.write(`generating shard ${i} (~${shardMB} MB) …\n`);
    records += await generateChatJsonl(p, shardMB * 1024 * 1024, `bench-shard-${i}`);
    shards.push(p);
  }
  const bytes = shards.reduce((n, p) => n + statSync(p).size, 0);
  const planPath = join(dir, 'plan.json');
  process.stderr.write('planning …\n');
  const p0 = Date.now();
  run(['plan', ...shards, '-o', planPath, '--ratio', '0.05', '--quiet']);
  const planSeconds = (Date.now() - p0) / 1000;

  const redis = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', sock, '--unixsocketperm', '700', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: 'ignore' },
  );
  spawned.push(redis);
  for (let t = 0; !existsSync(sock) && t < 100; t++) await new Promise((r) => setTimeout(r, 100));

  const rows: { workers: number; seconds: number }[] = [];
  const outputs: Record<number, string[]> = {};
  for (const n of [1, 2]) {
    const queue = `bench-${n}`;
    const workers = await Promise.all(Array.from({ length: n }, () => startWorker(queue)));
    process.stderr.write(`mixing with ${n} worker(s) …\n`);
    const t0 = Date.now();
    run([
      'submit',
      '--plan',
      planPath,
      '-o',
      join(dir, `out${n}`),
      '--merged',
      join(dir, `merged${n}.json`),
      '--redis',
      `unix://${sock}`,
      '--queue',
      queue,
      '--json',
    ]);
    rows.push({ workers: n, seconds: (Date.now() - t0) / 1000 });
    await Promise.all(workers.map(stop));
    outputs[n] = await Promise.all(shards.map((s) => sha256(join(dir, `out${n}`, s.split('/').pop()!))));
  }
  const identical = outputs[1]!.every((h, i) => h === outputs[2]![i]);

  const mb = bytes / 1e6;
  console.log(
    `\nsafemix sharded benchmark: ${SHARDS} shards, ${mb.toFixed(0)} MB openai-chat JSONL, ${records} records, ratio 0.05, node ${process.version}, ${(await import('node:os')).availableParallelism()} cores`,
  );
  console.log(`plan (one pass per shard, 2 in parallel): ${planSeconds.toFixed(1)} s`);
  console.log('| workers | seconds (submit → merged manifest) | MB/s | speed-up |');
  console.log('|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(`| ${r.workers} | ${r.seconds.toFixed(1)} | ${(mb / r.seconds).toFixed(1)} | ${(rows[0]!.seconds / r.seconds).toFixed(2)}× |`);
  console.log(`shard outputs of the 1-worker and 2-worker runs byte-identical: ${identical ? 'yes' : 'NO'}`);
  if (!identical) process.exitCode = 1;
} finally {
  for (const c of spawned) if (c.exitCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
