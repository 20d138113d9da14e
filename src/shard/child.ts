// A child process that runs one task (a shard scan for `plan`, or a queue job: mix, inspect,
// mix-shard) and reports on its standard output as JSON lines: progress, then the result or the
// error. The task comes as one JSON line on standard input, which then stays open: when it closes
// (the parent died, even by SIGKILL) the task stops at once and its temp files are removed, so an
// orphan never finishes a job another worker has taken over.
import { holdSignals, runCleanups } from '../io/cleanup.js';
import { isSafemixError } from '../errors.js';
import { runTask } from './tasks.js';
import type { ChildTask } from './task-types.js';

const release = holdSignals();
let finished = false;

function send(message: unknown, then?: () => void): void {
  process.stdout.write(JSON.stringify(message) + '\n', then);
}

function readTask(): Promise<ChildTask> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      process.stdin.off('data', onData);
      try {
        resolve(JSON.parse(text.slice(0, nl)) as ChildTask);
      } catch (e) {
        reject(e);
      }
    };
    process.stdin.on('data', onData);
    process.stdin.on('end', () => {
      if (finished) return;
      // the parent is gone: stop now, leaving nothing behind
      runCleanups();
      process.stderr.write('safemix: the parent process is gone; stopped, nothing was written\n');
      process.exit(143);
    });
  });
}

let lastProgress = 0;
try {
  const task = await readTask();
  const result = await runTask(task, (p) => {
    const now = Date.now();
    if (now - lastProgress < 500) return;
    lastProgress = now;
    send({ type: 'progress', ...p });
  });
  finished = true;
  release();
  send({ type: 'result', result }, () => process.exit(0));
} catch (e) {
  finished = true;
  runCleanups();
  release();
  const error = isSafemixError(e)
    ? { code: e.code, message: e.message, hint: e.hint, position: e.position, exitCode: e.exitCode }
    : { code: 'bug', message: (e as Error)?.stack ?? String(e), hint: '', position: {}, exitCode: 70 };
  send({ type: 'error', error }, () => process.exit(error.exitCode || 1));
}
