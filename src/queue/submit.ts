// `safemix submit`: puts a single upload (mix or inspect) or every shard of a plan on the queue,
// with an idempotency key, retries with backoff and a timeout per job, then waits for the jobs
// (unless --no-wait) and, for a plan, merges the shard manifests. `safemix status` lists a queue.
import { basename, join, resolve } from 'node:path';
import { Queue, type Job } from 'bullmq';
import { SafemixError, ExitCode } from '../errors.js';
import { loadPlan } from '../shard/plan.js';
import { mergeManifests, type MergeResult } from '../shard/merge.js';
import type { JobResult, MixJobOptions, InspectJobOptions } from '../shard/task-types.js';
import { connect, ready, DEFAULT_QUEUE } from './connection.js';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, DEFAULT_TIMEOUT_MS, describeJob, jobKey, type JobData } from './jobs.js';

interface QueueOptions {
  redis: string;
  queue?: string;
}

export interface SubmitOptions extends QueueOptions {
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
  /** An idempotency key of your own (single uploads; a plan's shards get `KEY-shard-I`). */
  key?: string;
  wait?: boolean;
  /** Give up waiting after this many ms (the jobs go on). */
  waitTimeoutMs?: number;
  /** Lines while waiting (default: none). */
  log?: (line: string) => void;
}

export type SubmitTarget =
  | { kind: 'mix'; input: string; options: MixJobOptions }
  | { kind: 'inspect'; input: string; output?: string; options: InspectJobOptions }
  /** `output`: a directory (each shard's output named as its shard) or a pattern with `{shard}`. */
  | { kind: 'plan'; plan: string; output: string; merged?: string };

interface JobOutcome {
  id: string;
  kind: string;
  target: string;
  state: string;
  result?: JobResult;
  error?: JobData['error'];
  failedReason?: string;
}

export interface SubmitResult {
  jobs: JobOutcome[];
  waited: boolean;
  merged?: MergeResult;
  /** 0 when every job completed (or --no-wait), else the first failed job's exit code. */
  exitCode: number;
}

/** The shard outputs of a plan: `DIR/<shard's file name>`, or a pattern's `{shard}` replaced. */
function shardOutputs(plan: { shards: { index: number; name: string }[] }, output: string): string[] {
  const outs = plan.shards.map((s) => (output.includes('{shard}') ? output.replaceAll('{shard}', String(s.index)) : join(output, basename(s.name))));
  const seen = new Set<string>();
  for (const o of outs) {
    if (seen.has(o))
      throw new SafemixError('usage', `two shards would be written to ${o}`, { hint: 'give -o a pattern with {shard}, e.g. -o out/part-{shard}.jsonl' });
    seen.add(o);
  }
  return outs;
}

function jobsFor(target: SubmitTarget, options: SubmitOptions): JobData[] {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (target.kind === 'mix') {
    const input = resolve(target.input);
    const opts = {
      ...target.options,
      output: resolve(target.options.output),
      ...(typeof target.options.manifest === 'string' ? { manifest: resolve(target.options.manifest) } : {}),
    };
    return [{ kind: 'mix', input, options: opts, timeoutMs, key: options.key ?? jobKey('mix', [input, opts]) }];
  }
  if (target.kind === 'inspect') {
    const input = resolve(target.input);
    const output = target.output && resolve(target.output);
    return [{ kind: 'inspect', input, output, options: target.options, timeoutMs, key: options.key ?? jobKey('inspect', [input, output, target.options]) }];
  }
  const planPath = resolve(target.plan);
  const { plan, sha256 } = loadPlan(planPath);
  const outs = shardOutputs(plan, target.output);
  return plan.shards.map((s, i) => {
    const output = resolve(outs[i]!);
    return {
      kind: 'mix-shard',
      plan: planPath,
      shard: s.index,
      output,
      timeoutMs,
      key: options.key ? `${options.key}-shard-${s.index}` : jobKey('shard', [sha256, s.index, output]),
    };
  });
}

function outcome(job: Job | undefined, id: string, state: string): JobOutcome {
  const data = (job?.data ?? {}) as Partial<JobData>;
  return {
    id,
    kind: data.kind ?? '?',
    target: describeJob(data),
    state,
    ...(job?.returnvalue ? { result: job.returnvalue as JobResult } : {}),
    ...(data.error ? { error: data.error } : {}),
    ...(job?.failedReason ? { failedReason: job.failedReason } : {}),
  };
}

export async function submit(target: SubmitTarget, options: SubmitOptions): Promise<SubmitResult> {
  const datas = jobsFor(target, options);
  const connection = connect(options.redis);
  connection.on('error', () => {});
  const queue = new Queue(options.queue ?? DEFAULT_QUEUE, { connection });
  try {
    await ready(connection, options.redis);
    const ids: string[] = [];
    for (const data of datas) {
      const job = await queue.add(data.kind, data, {
        jobId: data.key,
        attempts: options.attempts ?? DEFAULT_ATTEMPTS,
        backoff: { type: 'exponential', delay: options.backoffMs ?? DEFAULT_BACKOFF_MS },
        removeOnComplete: false,
        removeOnFail: false,
      });
      const id = job.id!;
      // the same key again: the job already there stands; one that failed is tried again
      const existing = await queue.getJob(id);
      if (existing && (await existing.getState()) === 'failed') {
        options.log?.(`job ${id} had failed: retrying it`);
        await existing.retry('failed');
      }
      ids.push(id);
    }
    if (options.wait === false) {
      const jobs = await Promise.all(ids.map(async (id) => outcome(await queue.getJob(id), id, (await queue.getJobState(id)) as string)));
      return { jobs, waited: false, exitCode: 0 };
    }
    const deadline = options.waitTimeoutMs !== undefined ? Date.now() + options.waitTimeoutMs : Infinity;
    const lastSaid = new Map<string, string>();
    for (;;) {
      const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
      ids.forEach((id, i) => {
        if (lastSaid.get(id) !== states[i]) {
          lastSaid.set(id, states[i]!);
          options.log?.(`job ${id}: ${states[i]}`);
        }
      });
      if (states.every((s) => s === 'completed' || s === 'failed')) break;
      if (Date.now() > deadline)
        throw new SafemixError('job_timeout', `the jobs did not finish within ${Math.round(options.waitTimeoutMs! / 1000)} s (they go on in the queue)`, {
          hint: 'check them with safemix status, and that workers run',
        });
      await new Promise((r) => setTimeout(r, 300));
    }
    const jobs = await Promise.all(ids.map(async (id) => outcome(await queue.getJob(id), id, (await queue.getJobState(id)) as string)));
    const failed = jobs.find((j) => j.state === 'failed');
    let merged: MergeResult | undefined;
    if (!failed && target.kind === 'plan') {
      merged = await mergeManifests(
        resolve(target.plan),
        jobs.map((j) => j.result!.output!),
        { output: target.merged },
      );
    }
    return { jobs, waited: true, merged, exitCode: failed ? (failed.error?.exitCode ?? ExitCode.usage) || ExitCode.usage : 0 };
  } finally {
    await queue.close().catch(() => {});
    await connection.quit().catch(() => connection.disconnect());
  }
}

export interface StatusResult {
  queue: string;
  counts: Record<string, number>;
  jobs: (JobOutcome & {
    progress: unknown;
    /** Attempts finished (BullMQ's count), attempts started (the one running included) and allowed. */
    attemptsMade: number;
    attemptsStarted: number;
    attempts: number;
    timestamp: number;
    /** When the running attempt started (ms since the epoch), for the ETA. */
    processedOn?: number;
  })[];
}

export async function status(options: QueueOptions & { limit?: number }): Promise<StatusResult> {
  const connection = connect(options.redis);
  connection.on('error', () => {});
  const name = options.queue ?? DEFAULT_QUEUE;
  const queue = new Queue(name, { connection });
  try {
    await ready(connection, options.redis);
    const counts = await queue.getJobCounts('active', 'wait', 'prioritized', 'delayed', 'completed', 'failed');
    const limit = options.limit ?? 50;
    const states = ['active', 'wait', 'prioritized', 'delayed', 'failed', 'completed'] as const;
    const jobs: StatusResult['jobs'] = [];
    for (const state of states) {
      if (jobs.length >= limit) break;
      const list = (await queue.getJobs([state], 0, limit - jobs.length - 1, true)) as Job[];
      for (const job of list)
        jobs.push({
          ...outcome(job, job.id!, state),
          progress: job.progress,
          attemptsMade: job.attemptsMade,
          attemptsStarted: Math.max(job.attemptsStarted ?? 0, job.attemptsMade),
          attempts: job.opts.attempts ?? 1,
          timestamp: job.timestamp,
          ...(job.processedOn ? { processedOn: job.processedOn } : {}),
        });
    }
    return { queue: name, counts, jobs };
  } finally {
    await queue.close().catch(() => {});
    await connection.quit().catch(() => connection.disconnect());
  }
}
