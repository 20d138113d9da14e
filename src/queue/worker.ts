// `safemix worker --redis URL`: a BullMQ worker that runs safemix jobs (mix, inspect, mix-shard),
// each in a child process (tasks.ts), up to --concurrency at once. Progress goes to the job,
// the result (manifest path and summary) is the job's return value, and a failure keeps its error
// code, position and hint in the job. Data errors fail at once (UnrecoverableError); errors of the
// machine or the run are retried with backoff. Stopping: SIGTERM/SIGINT stop the running jobs
// (their children remove their temp files) and hand them back to the queue untouched; after SIGKILL
// or a lost Redis connection the job's lock expires and another worker takes it. Every output is
// written atomically and is a pure function of the job, so a retry anywhere gives the same bytes.
import { maskSecrets, shownText } from '../shown.js';
import { Worker, WaitingError, UnrecoverableError, type Job } from 'bullmq';
import { SafemixError, isSafemixError } from '../errors.js';
import { runChild, type ChildRun } from '../shard/spawn.js';
import type { JobResult } from '../shard/task-types.js';
import { connect, ready, DEFAULT_QUEUE } from './connection.js';
import { JobDataSchema, describeJob, retryable, taskOf, type JobData } from './jobs.js';

export interface QueueWorkerOptions {
  redis: string;
  queue?: string;
  concurrency?: number;
  /** BullMQ's lock duration (ms): how long a job stays locked to a worker without a renewal (default 30,000). */
  lockDuration?: number;
  /** How often stalled jobs are looked for (ms, default 30,000). */
  stalledInterval?: number;
  /** How many times a job may be recovered from a stalled worker before it fails (default 3). */
  maxStalledCount?: number;
  /** Lines for the operator (default: standard error). */
  log?: (line: string) => void;
}

export interface RunningWorker {
  worker: Worker;
  /** Stops taking jobs, stops the running ones and hands them back to the queue, then closes. */
  stop(reason?: string): Promise<void>;
  /** Resolves once the worker has closed. */
  closed: Promise<void>;
}

interface Active {
  run: ChildRun<JobResult>;
  lastRenewed: number;
  lost: boolean;
}

export async function startWorker(options: QueueWorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? ((line: string) => process.stderr.write(`safemix worker: ${maskSecrets(shownText(line))}\n`));
  const queue = options.queue ?? DEFAULT_QUEUE;
  const lockDuration = options.lockDuration ?? 30_000;
  const connection = connect(options.redis);
  let connectionErrors = 0;
  connection.on('error', (e: Error) => {
    if (connectionErrors++ % 20 === 0) log(`Redis connection: ${e.message}`);
  });
  try {
    await ready(connection, options.redis);
  } catch (e) {
    // an unreachable Redis ends the worker: the client would otherwise retry for ever
    connection.disconnect();
    throw e;
  }
  const active = new Map<string, Active>();
  let stopping: string | undefined;

  const processor = async (job: Job, token?: string, signal?: AbortSignal): Promise<JobResult> => {
    const parsed = JobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`[usage] job ${job.id} is not a safemix job: ${parsed.error.issues[0]?.message}`);
    const data: JobData = parsed.data;
    const attempt = job.attemptsMade + 1;
    log(`job ${job.id} started (${data.kind}: ${describeJob(data)}; attempt ${attempt})`);
    const run = runChild<JobResult>(taskOf(data), {
      timeoutMs: data.timeoutMs,
      onProgress: (p) => {
        void job
          .updateProgress({
            phase: p.phase,
            bytes: p.bytes,
            size: p.size ?? null,
            percent: p.size ? Math.min(100, Math.round((100 * p.bytes) / p.size)) : null,
          })
          .catch(() => {});
      },
    });
    const entry: Active = { run, lastRenewed: Date.now(), lost: false };
    active.set(job.id!, entry);
    const onAbort = () => run.stop(new SafemixError('interrupted', `the job was cancelled (${String(signal?.reason ?? 'cancelled')})`));
    signal?.addEventListener('abort', onAbort);
    try {
      const result = await run.done;
      log(`job ${job.id} completed${result.manifestPath ? ` (manifest ${result.manifestPath})` : result.reportPath ? ` (report ${result.reportPath})` : ''}`);
      return result;
    } catch (e) {
      const err = isSafemixError(e) ? e : new SafemixError('job_failed', (e as Error)?.message ?? String(e));
      if (stopping && !entry.lost) {
        // this worker is stopping: the job goes back to the queue as it was, no attempt spent
        log(`job ${job.id} handed back to the queue (${stopping})`);
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (entry.lost) {
        log(`job ${job.id} stopped: its lock was lost (Redis unreachable?); another worker will run it`);
        throw new Error(`[interrupted] the worker lost the job's lock`);
      }
      const again = retryable(err.code) && attempt < (job.opts.attempts ?? 1);
      const where = err.position.file ? ` ${err.position.file}${err.position.line ? `:${err.position.line}` : ''}` : '';
      const message = `[${err.code}]${where}: ${err.message}`;
      log(`job ${job.id} failed${again ? ' (will be retried)' : ''}: ${message}`);
      await job
        .updateData({
          ...data,
          error: {
            code: err.code,
            message: err.message,
            hint: err.hint,
            position: { ...err.position },
            exitCode: err.exitCode,
            attempt,
            retryable: retryable(err.code),
          },
        })
        .catch(() => {});
      if (!retryable(err.code)) throw new UnrecoverableError(message);
      throw new Error(message);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      active.delete(job.id!);
    }
  };

  const worker = new Worker(queue, processor, {
    connection,
    concurrency: options.concurrency ?? 1,
    lockDuration,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 3,
    autorun: false,
  });
  worker.on('error', (e) => {
    if (connectionErrors++ % 20 === 0) log(`error: ${e.message}`);
  });
  // a job whose lock cannot be renewed may already run elsewhere: stop our copy (its output is atomic either way)
  worker.on('locksRenewed', ({ jobIds }: { jobIds: string[] }) => {
    for (const id of jobIds) {
      const a = active.get(id);
      if (a) a.lastRenewed = Date.now();
    }
  });
  const loseLock = (id: string) => {
    const a = active.get(id);
    if (!a || a.lost) return;
    a.lost = true;
    a.run.stop(new SafemixError('interrupted', "the job's lock was lost"));
  };
  worker.on('lockRenewalFailed', (ids: string[]) => ids.forEach(loseLock));
  const watchdog = setInterval(
    () => {
      const now = Date.now();
      for (const [id, a] of active) if (now - a.lastRenewed > lockDuration) loseLock(id);
    },
    Math.max(250, Math.floor(lockDuration / 4)),
  );
  watchdog.unref();

  const closed = worker.run().catch((e: Error) => log(`stopped on error: ${e.message}`));
  await worker.waitUntilReady();
  log(`ready: queue "${queue}", concurrency ${options.concurrency ?? 1}, pid ${process.pid}`);

  let stopped: Promise<void> | undefined;
  const stop = (reason = 'stopping') => {
    stopped ??= (async () => {
      stopping = reason;
      clearInterval(watchdog);
      const closing = worker.close();
      for (const a of active.values()) a.run.stop(new SafemixError('interrupted', `the worker is ${reason}`));
      await closing;
      await connection.quit().catch(() => connection.disconnect());
    })();
    return stopped;
  };
  return { worker, stop, closed: closed.then(() => undefined) };
}
