// Runs a task (tasks.ts) in a child process of safemix: `plan` scans shards in parallel this way,
// and a queue worker runs every job this way, so that a job can be timed out or stopped (its temp
// files are removed by the child) and several jobs use several cores.
import { NODE_FLAGS } from '../gc-pacer.js';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SafemixError, type ErrorCode, type ErrorPosition, type ExitCode } from '../errors.js';
import type { ChildTask, Progress } from './task-types.js';

export interface ChildRun<T> {
  pid: number | undefined;
  /** The task's result, or its SafemixError (code, position and hint kept). */
  done: Promise<T>;
  /** Stops the task (SIGTERM: the child removes its temp files and exits); `reason` becomes the error. */
  stop(reason: SafemixError): void;
}

interface ChildOptions {
  onProgress?: (p: Progress) => void;
  /** The child's standard error (its messages, `paused at` lines); default: passed to ours. */
  onStderr?: (chunk: Buffer) => void;
  env?: NodeJS.ProcessEnv;
  /** Stop the task after this many milliseconds (error `job_timeout`). */
  timeoutMs?: number;
}

/** node arguments that run child.ts (through tsx in a development checkout) or the built child.js. */
function childCommand(): string[] {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return ['--import', pathToFileURL(createRequire(here).resolve('tsx/esm')).href, fileURLToPath(new URL('./child.ts', here))];
  return [fileURLToPath(new URL('./child.js', here))];
}

export function runChild<T>(task: ChildTask, options: ChildOptions = {}): ChildRun<T> {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...childCommand()], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
  let stopReason: SafemixError | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (reason: SafemixError) => {
    if (stopReason || child.exitCode !== null || child.signalCode !== null) return;
    stopReason = reason;
    child.kill('SIGTERM');
    // a child that does not stop within 10 s is killed
    killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    killTimer.unref();
  };
  const timeout =
    options.timeoutMs !== undefined
      ? setTimeout(
          () =>
            stop(
              new SafemixError(
                'job_timeout',
                `the task took longer than its timeout of ${Math.round(options.timeoutMs! / 1000)} s and was stopped; nothing was written`,
                { hint: 'raise the job timeout (--timeout) or split the input into more shards' },
              ),
            ),
          options.timeoutMs,
        )
      : undefined;
  const done = new Promise<T>((resolve, reject) => {
    let buffered = '';
    let result: { ok: true; value: T } | { ok: false; error: SafemixError } | undefined;
    const stderrTail: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let message: {
          type: string;
          result?: T;
          error?: { code: ErrorCode; message: string; hint: string; position: ErrorPosition; exitCode: ExitCode };
        } & Partial<Progress>;
        try {
          message = JSON.parse(line);
        } catch {
          continue;
        }
        if (message.type === 'progress') options.onProgress?.({ phase: message.phase ?? '', bytes: message.bytes ?? 0, size: message.size });
        else if (message.type === 'result') result = { ok: true, value: message.result as T };
        else if (message.type === 'error' && message.error) {
          const e = message.error;
          result = { ok: false, error: new SafemixError(e.code, e.message, { position: e.position, hint: e.hint, exitCode: e.exitCode }) };
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail.push(chunk.toString('utf8'));
      if (stderrTail.length > 20) stderrTail.shift();
      if (options.onStderr) options.onStderr(chunk);
      else process.stderr.write(chunk);
    });
    child.on('error', (e) =>
      reject(
        new SafemixError('job_failed', `cannot start a safemix child process (${e.message})`, { hint: 'check that node can start processes here', cause: e }),
      ),
    );
    child.on('close', (code, signal) => {
      if (timeout) clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      if (stopReason) return reject(stopReason);
      if (result?.ok) return resolve(result.value);
      if (result && !result.ok) return reject(result.error);
      const tail = stderrTail.join('').trim().split('\n').slice(-3).join(' | ');
      // stopped by a signal from outside (its temp files are gone): worth another attempt
      const interrupted = signal !== null || code === 129 || code === 130 || code === 143;
      reject(
        new SafemixError(
          interrupted ? 'interrupted' : 'job_failed',
          `the task's process ended ${signal ? `by ${signal}` : `with exit code ${code}`} before reporting a result${tail ? ` (${tail})` : ''}`,
          { hint: 'run the task again; a process killed from outside leaves no output' },
        ),
      );
    });
  });
  // the task, then standard input stays open: its end tells the child that we are gone
  child.stdin.on('error', () => {});
  child.stdin.write(JSON.stringify(task) + '\n');
  return { pid: child.pid, done, stop };
}
