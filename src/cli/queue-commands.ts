// The command line of the queue: `worker`, `submit` and `status` (registered by src/cli/main.ts).
import { Command } from 'commander';
import { SafemixError, ExitCode } from '../errors.js';
import { addMixChoices, mixChoices, type AddReadOptions, type ReadOptionsOf } from './shard-commands.js';
import { wholeNumber } from './args.js';
import { human } from './print.js';
import { DEFAULT_QUEUE } from '../queue/queue-name.js';
import type { SubmitTarget } from '../queue/submit.js';
import { loadQueue } from '../queue/load.js';
// the queue's modules (bullmq, ioredis) load when a queue command runs, not at every start-up

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The worker handles SIGINT/SIGTERM/SIGHUP itself (its jobs go back to the queue before it exits),
 * instead of the CLI's handlers, which exit at once; restored when the worker has stopped.
 */
function takeOverSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  const saved = SIGNALS.map((s) => [s, process.listeners(s)] as const);
  for (const [s, listeners] of saved) for (const l of listeners) process.off(s, l as () => void);
  for (const s of SIGNALS) process.on(s, handler);
  return () => {
    for (const s of SIGNALS) process.off(s, handler);
    for (const [s, listeners] of saved) for (const l of listeners) process.on(s, l as () => void);
  };
}

export function registerQueueCommands(program: Command, addReadOptions: AddReadOptions, readOptions: ReadOptionsOf): void {
  program
    .command('worker')
    .description('run safemix jobs from a BullMQ queue on Redis (mix, inspect, mix-shard), each in a child process; SIGTERM hands running jobs back')
    .requiredOption('--redis <url>', 'Redis URL: redis://HOST:PORT, rediss://…, or unix:///PATH/redis.sock')
    .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
    .option('--concurrency <c>', 'jobs run at once (each in its own process)', wholeNumber(1), 1)
    .option('--lock-duration <ms>', "how long a job stays locked without renewal: a dead worker's job is retried elsewhere after it", wholeNumber(500), 30_000)
    .option('--stalled-interval <ms>', 'how often stalled jobs (of dead workers) are looked for', wholeNumber(100), 30_000)
    .option('--max-stalled <n>', 'times a job may be recovered from a dead worker before it fails', wholeNumber(1), 3)
    .option('--allow-shared-dir', "let jobs write into directories other users may write to (each job's task process inherits it)")
    .action(async (o) => {
      // the job processes inherit the environment (see write/targets.ts, sharedDirAllowed)
      if (o.allowSharedDir) process.env.SAFEMIX_ALLOW_SHARED_DIR = '1';
      const { startWorker } = await loadQueue();
      const w = await startWorker({
        redis: o.redis,
        queue: o.queue,
        concurrency: o.concurrency,
        lockDuration: o.lockDuration,
        stalledInterval: o.stalledInterval,
        maxStalledCount: o.maxStalled,
      });
      let exitCode = 0;
      let signals = 0;
      const restore = takeOverSignals((signal) => {
        signals++;
        if (signals > 1) process.exit(130);
        exitCode = signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143;
        process.stderr.write(`safemix worker: ${signal}: handing the running jobs back to the queue, then stopping\n`);
        void w.stop(`stopping on ${signal}`);
      });
      try {
        await w.closed;
      } finally {
        restore();
      }
      process.stderr.write('safemix worker: stopped\n');
      process.exitCode = exitCode;
    });

  addReadOptions(
    addMixChoices(
      program
        .command('submit')
        .description('put a single upload (mix, or --inspect) or every shard of a plan (--plan) on the queue, and wait for the result')
        .argument('[file]', 'the dataset (a mix, or with --inspect)')
        .requiredOption('--redis <url>', 'Redis URL')
        .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
        .option('--plan <plan>', 'PLAN.json: one mix-shard job per shard')
        .option('--inspect', 'an inspect job (the report as JSON to -o, when given)')
        .option('-o, --output <path>', 'the output: a file (mix, inspect report); for --plan a directory or a pattern with {shard}')
        .option('--manifest <path>', 'mix: the manifest path (default OUTPUT.manifest.json)')
        .option('--merged <path>', '--plan: the merged manifest (default PLAN.manifest.json)'),
    )
      .option('--attempts <n>', 'attempts per job (retries with exponential backoff)', wholeNumber(1), 3)
      .option('--backoff <ms>', 'first retry delay, doubled each time', wholeNumber(0), 5000)
      .option('--timeout <seconds>', 'per-job timeout', wholeNumber(1), 6 * 3600)
      .option('--key <key>', 'idempotency key (default: derived from the inputs, options and outputs)')
      .option('--no-wait', 'return once the jobs are queued')
      .option('--json', 'print the jobs and their results as JSON'),
  ).action(async (file: string | undefined, o) => {
    let target: SubmitTarget;
    if (o.plan) {
      if (file) throw new SafemixError('usage', 'give either a FILE or --plan, not both', { hint: 'safemix submit --plan PLAN.json -o OUTDIR --redis URL' });
      if (!o.output)
        throw new SafemixError('usage', '--plan needs -o: a directory for the shard outputs, or a pattern with {shard}', {
          hint: 'for example -o out/ or -o out/part-{shard}.jsonl',
        });
      target = { kind: 'plan', plan: o.plan, output: o.output, merged: o.merged };
    } else if (!file)
      throw new SafemixError('usage', 'nothing to submit', {
        hint: 'safemix submit FILE -o OUT --redis URL, or --inspect FILE, or --plan PLAN.json -o OUTDIR',
      });
    else if (o.inspect)
      target = {
        kind: 'inspect',
        input: file,
        output: o.output,
        options: { ...readOptions(o), sample: o.sample, seed: o.seed, input: o.input, target: o.target, context: o.context, metadata: o.metadata },
      };
    else {
      if (!o.output) throw new SafemixError('usage', 'a mix job needs -o OUT', { hint: 'safemix submit FILE -o OUT --redis URL' });
      target = {
        kind: 'mix',
        input: file,
        options: { ...readOptions(o), ...mixChoices(o), output: o.output, ...(o.manifest ? { manifest: o.manifest } : {}) },
      };
    }
    const { submit } = await loadQueue();
    const result = await submit(target, {
      redis: o.redis,
      queue: o.queue,
      attempts: o.attempts,
      backoffMs: o.backoff,
      timeoutMs: o.timeout * 1000,
      key: o.key,
      wait: o.wait,
      log: o.json ? undefined : (line) => process.stderr.write(human(`safemix submit: ${line}`) + '\n'),
    });
    if (o.json)
      process.stdout.write(
        JSON.stringify(
          { jobs: result.jobs, merged: result.merged && { path: result.merged.path, k: result.merged.manifest.k, count: result.merged.manifest.count } },
          null,
          2,
        ) + '\n',
      );
    else {
      const lines = result.jobs.map(
        (j) =>
          `  ${j.state.padEnd(9)} ${j.id}  ${j.target}${j.state === 'failed' ? `\n            ${j.failedReason ?? j.error?.message}${j.error?.hint ? `\n            what to do: ${j.error.hint}` : ''}` : ''}`,
      );
      process.stderr.write(
        human(`safemix submit: ${result.jobs.length} job(s) on queue "${o.queue}"${result.waited ? '' : ' (not waiting)'}\n${lines.join('\n')}`) + '\n',
      );
      if (result.merged)
        process.stderr.write(
          `  merged     ${result.merged.manifest.count} safety records (k ${result.merged.manifest.k}) over ${result.merged.manifest.shards.length} shards → ${result.merged.path}\n`,
        );
    }
    process.exitCode = result.exitCode === 0 ? ExitCode.ok : result.exitCode;
  });

  program
    .command('status')
    .description("show a queue's jobs: counts by state, and each job's target, state, progress and result or error")
    .requiredOption('--redis <url>', 'Redis URL')
    .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
    .option('--limit <n>', 'jobs listed', wholeNumber(1), 50)
    .option('--json', 'print as JSON')
    .action(async (o) => {
      const { status } = await loadQueue();
      const s = await status({ redis: o.redis, queue: o.queue, limit: o.limit });
      if (o.json) {
        process.stdout.write(JSON.stringify(s, null, 2) + '\n');
        return;
      }
      const counts = Object.entries(s.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const now = Date.now();
      const lines = s.jobs.map((j) => {
        const p = j.progress as { phase?: string; bytes?: number; size?: number | null; percent?: number | null } | undefined;
        // the ETA from the running attempt's pace so far
        const eta = (): string => {
          if (!p?.bytes || !p.size || !j.processedOn || p.bytes >= p.size) return '';
          const seconds = Math.round(((now - j.processedOn) / 1000) * ((p.size - p.bytes) / p.bytes));
          return `, ETA ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
        };
        const extra =
          j.state === 'failed'
            ? ` — ${j.failedReason ?? j.error?.message ?? ''}`
            : j.state === 'completed' && j.result?.manifestPath
              ? ` — manifest ${j.result.manifestPath}`
              : j.state === 'active' && typeof p?.percent === 'number'
                ? ` — ${p.phase ? `${p.phase} ` : ''}${p.percent}%${eta()}`
                : '';
        return `  ${j.state.padEnd(9)} ${j.id}  ${j.kind}  ${j.target} (attempt ${Math.max(1, j.attemptsStarted)} of ${j.attempts})${extra}`;
      });
      process.stdout.write(human(`queue "${s.queue}": ${counts}\n${lines.join('\n')}`) + '\n');
    });
}
