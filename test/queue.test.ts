// Queue workers on a real Redis (issue 15): BullMQ workers started as `safemix worker` processes
// against a private redis-server on a unix socket. A sharded upload across 1 and 3 workers gives
// byte-identical shard outputs and one merged manifest; a worker killed with SIGKILL mid-shard
// (stopped deterministically at the `mix-shard` pause point) has its job retried by another worker
// with no duplicate or partial output; a shard changed after `plan` fails only its own job, clearly.
// Without redis-server these tests are skipped (and fail where SAFEMIX_REQUIRE_REDIS=1, as in CI).
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadPlan } from '../src/shard/plan.js';
import { mixShard } from '../src/shard/mix-shard.js';
import { MergedManifestSchema, ShardManifestSchema } from '../src/schemas/shard-manifest.js';
import { status } from '../src/queue/submit.js';
import { runCli, sha256, tempDir } from './helpers.js';
import { haveRedis, redisRequired, startRedis, startWorkerProcess, waitForLog, type TestRedis, type WorkerProcess } from './redis.js';
import { jsonlShards, sixAlpacaShards, userRecordsKept } from './shard-fixtures.js';

if (!haveRedis) {
  console.warn(
    `queue tests SKIPPED: redis-server is not installed (apt-get install redis-server)${redisRequired ? ' — but SAFEMIX_REQUIRE_REDIS=1 requires them' : ''}`,
  );
}

if (!haveRedis && redisRequired)
  describe('queue tests where they are required', () => {
    it('redis-server is installed (SAFEMIX_REQUIRE_REDIS=1: the queue tests may not be skipped here)', () => {
      expect(haveRedis, 'redis-server is missing, so the queue tests would be skipped; .ci/run installs it').toBe(true);
    });
  });

const TMP = /\.safemix-.*\.tmp$/;

describe.skipIf(!haveRedis)('queue workers (BullMQ on redis-server)', () => {
  let redis: TestRedis;
  const workers: WorkerProcess[] = [];
  const worker = (queue: string, env?: Record<string, string | undefined>) => {
    const w = startWorkerProcess(redis.url, queue, { env: { SAFEMIX_PAUSE_AT: undefined, ...env } });
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  }, 60_000);
  afterAll(async () => {
    await redis?.stop();
  }, 30_000);

  it('a sharded upload across 1 and 3 workers: byte-identical shard outputs, exact global k, one merged manifest', async () => {
    const dir = tempDir('safemix-queue-six-');
    const shards = sixAlpacaShards(dir);
    const planPath = join(dir, 'plan.json');
    const planned = await runCli(['plan', ...shards, '-o', planPath, '--ratio', '0.05', '--seed', 'queue', '--quiet']);
    expect(planned.code, planned.stderr).toBe(0);
    const { plan } = loadPlan(planPath);
    // k = max(1, round-half-up(n × 0.05)), in integers: floor((2·n·5 + 100) / 200)
    expect(plan.k).toBe(Math.max(1, Math.floor((2 * plan.upload.usable * 5 + 100) / 200)));

    const runWith = async (n: number, name: string) => {
      const ws = Array.from({ length: n }, () => worker(`six-${name}`));
      await Promise.all(ws.map((w) => w.ready));
      const r = await runCli([
        'submit',
        '--plan',
        planPath,
        '-o',
        join(dir, name),
        '--merged',
        join(dir, `${name}.manifest.json`),
        '--redis',
        redis.url,
        '--queue',
        `six-${name}`,
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const logs = ws.map((w) => w.log());
      await Promise.all(ws.map((w) => w.stop()));
      return { submitted: JSON.parse(r.stdout) as { jobs: { id: string; state: string }[]; merged: { path: string; k: number; count: number } }, logs };
    };
    const one = await runWith(1, 'one');
    const three = await runWith(3, 'three');
    expect(one.submitted.jobs.map((j) => j.state)).toEqual(Array(6).fill('completed'));
    expect(three.submitted.jobs.map((j) => j.state)).toEqual(Array(6).fill('completed'));
    // the work really was spread over several workers
    expect(three.logs.filter((l) => l.includes('started (mix-shard')).length).toBeGreaterThanOrEqual(2);

    for (const [i, s] of shards.entries()) {
      const a = join(dir, 'one', basename(s));
      const b = join(dir, 'three', basename(s));
      expect(sha256(b), `shard ${i}`).toBe(sha256(a));
      const m = ShardManifestSchema.parse(JSON.parse(readFileSync(`${b}.manifest.json`, 'utf8')));
      expect(m.count).toBe(plan.shards[i]!.k);
      const kept = await userRecordsKept(
        s,
        b,
        [...m.injected, ...(m.balanceRecords ?? [])].map((r) => r.index),
      );
      expect(kept, kept.why).toEqual({ ok: true });
    }
    for (const name of ['one', 'three']) {
      const merged = MergedManifestSchema.parse(JSON.parse(readFileSync(join(dir, `${name}.manifest.json`), 'utf8')));
      expect(merged.count).toBe(plan.k);
      expect(merged.k).toBe(plan.k);
      expect(merged.shards).toHaveLength(6);
      expect(merged.shards.map((s) => s.output.sha256)).toEqual(
        MergedManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'one.manifest.json'), 'utf8'))).shards.map((s) => s.output.sha256),
      );
    }
    for (const name of ['one', 'three']) expect(readdirSync(join(dir, name)).filter((f) => TMP.test(f))).toEqual([]);
  }, 400_000);

  it('a worker killed with SIGKILL mid-shard: the job is retried on another worker, no duplicate or partial output', async () => {
    const dir = tempDir('safemix-queue-kill-');
    const shards = jsonlShards(dir, 'math_gsm8k_test.jsonl', 3);
    const planPath = join(dir, 'plan.json');
    expect((await runCli(['plan', ...shards, '-o', planPath, '--ratio', '0.05', '--quiet', '--jobs', '1'])).code).toBe(0);
    // what each shard's output must be: mix-shard run directly
    const ref = join(dir, 'ref');
    for (let i = 0; i < 3; i++) await mixShard(planPath, i, { output: join(ref, basename(shards[i]!)) });

    const out = join(dir, 'out');
    const queue = 'kill';
    const a = worker(queue, { SAFEMIX_PAUSE_AT: 'mix-shard' });
    await a.ready;
    const queued = await runCli(['submit', '--plan', planPath, '-o', out, '--redis', redis.url, '--queue', queue, '--no-wait', '--json']);
    expect(queued.code, queued.stderr).toBe(0);
    const ids = (JSON.parse(queued.stdout) as { jobs: { id: string }[] }).jobs.map((j) => j.id);
    // worker A's job stops half-way through the shard (its temp output open), and A dies with its child
    await waitForLog(a, 'paused at mix-shard');
    const killedJob = /job (\S+) started/.exec(a.log())![1]!;
    expect(ids).toContain(killedJob);
    expect(readdirSync(out).filter((f) => TMP.test(f))).toHaveLength(1);
    process.kill(-a.child.pid!, 'SIGKILL');
    await a.exited;
    // nothing but a stale temp file is left by the dead process
    expect(readdirSync(out).filter((f) => !TMP.test(f))).toEqual([]);

    // worker B takes every job, the dead worker's too once its lock has expired
    const b = worker(queue);
    await b.ready;
    // submitting the same plan again finds the same jobs (idempotency keys) and waits for them
    const again = await runCli(['submit', '--plan', planPath, '-o', out, '--redis', redis.url, '--queue', queue, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const done = JSON.parse(again.stdout) as { jobs: { id: string; state: string }[] };
    expect(done.jobs.map((j) => j.id)).toEqual(ids);
    expect(done.jobs.map((j) => j.state)).toEqual(['completed', 'completed', 'completed']);
    expect(b.log()).toContain(`job ${killedJob} started`);
    expect(b.log()).toContain(`job ${killedJob} completed`);

    // exactly one output and one manifest per shard, no temp file, each identical to the direct run
    const names = shards.map((s) => basename(s));
    expect(readdirSync(out).sort()).toEqual([...names, ...names.map((n) => `${n}.manifest.json`)].sort());
    for (const n of names) expect(sha256(join(out, n))).toBe(sha256(join(ref, n)));
    const s = await status({ redis: redis.url, queue });
    expect(s.counts).toMatchObject({ completed: 3, failed: 0, active: 0, wait: 0 });
    MergedManifestSchema.parse(JSON.parse(readFileSync(planPath.replace(/\.json$/, '.manifest.json'), 'utf8')));
  }, 300_000);

  it('a single upload: a whole-file mix job and an inspect job report their results; the same submit twice is one job', async () => {
    const dir = tempDir('safemix-queue-single-');
    const input = jsonlShards(dir, 'intent_aoai_context_switching_train.jsonl', 1)[0]!;
    const queue = 'single';
    const w = worker(queue);
    await w.ready;
    const out = join(dir, 'mixed.jsonl');
    const args = ['submit', input, '-o', out, '--ratio', '0.05', '--seed', '1', '--closed-answers', 'refuse', '--redis', redis.url, '--queue', queue, '--json'];
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    const job = (JSON.parse(r.stdout) as { jobs: { id: string; state: string; result: { manifestPath: string; summary: { injected: number } } }[] }).jobs[0]!;
    expect(job.state).toBe('completed');
    expect(job.result.manifestPath).toBe(`${out}.manifest.json`);
    expect(job.result.summary.injected).toBe(9);
    // the same as mix run directly
    const direct = join(dir, 'direct.jsonl');
    expect((await runCli(['mix', input, '-o', direct, '--ratio', '0.05', '--seed', '1', '--closed-answers', 'refuse', '--quiet'])).code).toBe(0);
    expect(sha256(out)).toBe(sha256(direct));
    // submitted again: the same job (idempotency key), already complete
    const again = JSON.parse((await runCli(args)).stdout) as { jobs: { id: string; state: string }[] };
    expect(again.jobs.map((j) => [j.id, j.state])).toEqual([[job.id, 'completed']]);
    const report = join(dir, 'report.json');
    const ins = await runCli(['submit', '--inspect', input, '-o', report, '--redis', redis.url, '--queue', queue, '--json']);
    expect(ins.code, ins.stderr).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ dialect: 'prompt-completion', records: 178 });
    const st = await runCli(['status', '--redis', redis.url, '--queue', queue]);
    expect(st.stdout).toContain('completed 2');
    expect(st.stdout).toContain(`manifest ${out}.manifest.json`);
  }, 300_000);

  it('a job whose input is gone by the time a worker takes it: a user error (input_missing), not a bug, and not retried', async () => {
    const dir = tempDir('safemix-queue-missing-');
    const input = join(dir, 'gone.jsonl');
    writeFileSync(input, readFileSync(jsonlShards(dir, 'intent_aoai_context_switching_train.jsonl', 1)[0]!));
    const queue = 'missing';
    const queued = await runCli([
      'submit',
      input,
      '-o',
      join(dir, 'out.jsonl'),
      '--redis',
      redis.url,
      '--queue',
      queue,
      '--attempts',
      '3',
      '--backoff',
      '0',
      '--no-wait',
      '--json',
    ]);
    expect(queued.code, queued.stderr).toBe(0);
    unlinkSync(input);
    const w = worker(queue);
    await w.ready;
    await waitForLog(w, /job \S+ failed/, 60_000);
    // the log line comes just before BullMQ moves the job to failed
    let s = await status({ redis: redis.url, queue });
    for (let i = 0; i < 100 && s.counts.failed !== 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await status({ redis: redis.url, queue });
    }
    expect(s.counts).toMatchObject({ failed: 1 });
    const failed = s.jobs.find((j) => j.state === 'failed')!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.error).toMatchObject({ code: 'input_missing', exitCode: 2, retryable: false });
    expect(failed.failedReason).toContain('no such file');
    expect(failed.failedReason).not.toMatch(/\[bug\]|\n\s+at /);
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false);
  }, 120_000);

  it('a shard changed after plan fails only its own job, with a clear error and its code kept', async () => {
    const dir = tempDir('safemix-queue-poison-');
    const shards = jsonlShards(dir, 'math_gsm8k_test.jsonl', 3);
    const planPath = join(dir, 'plan.json');
    expect((await runCli(['plan', ...shards, '-o', planPath, '--quiet', '--jobs', '1'])).code).toBe(0);
    // poisoned: same size, other bytes
    const text = readFileSync(shards[1]!, 'utf8');
    const at = text.indexOf('eggs');
    writeFileSync(shards[1]!, text.slice(0, at) + 'EGGS' + text.slice(at + 4));

    const queue = 'poison';
    const w = worker(queue);
    await w.ready;
    const out = join(dir, 'out');
    const r = await runCli(['submit', '--plan', planPath, '-o', out, '--redis', redis.url, '--queue', queue]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('shard 1 is not the file the plan was made from');
    expect(r.stderr).toContain('what to do:');
    const s = await status({ redis: redis.url, queue });
    expect(s.counts).toMatchObject({ completed: 2, failed: 1 });
    const failed = s.jobs.find((j) => j.state === 'failed')!;
    expect(failed.target).toContain('shard 1 of');
    expect(failed.attemptsMade).toBe(1); // a data error is not retried
    expect(failed.error).toMatchObject({ code: 'shard_mismatch', exitCode: 2, retryable: false });
    expect(failed.failedReason).toContain('[shard_mismatch]');
    // the other shards are complete; the poisoned one left nothing
    const names = readdirSync(out).sort();
    expect(names).toEqual(
      [basename(shards[0]!), `${basename(shards[0]!)}.manifest.json`, basename(shards[2]!), `${basename(shards[2]!)}.manifest.json`].sort(),
    );
    expect(existsSync(planPath.replace(/\.json$/, '.manifest.json'))).toBe(false);
  }, 300_000);
});
