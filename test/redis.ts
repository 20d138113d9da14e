// A private redis-server for the queue tests: on a unix socket in a temp directory (no TCP port,
// nothing persisted), started and stopped by the test file. `haveRedis` is false where
// redis-server is not installed (then the queue tests are skipped, and fail where required).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BIN, tempDir } from './helpers.js';

export const haveRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
/** Set by .ci/run: the queue tests may not be skipped there. */
export const redisRequired = process.env.SAFEMIX_REQUIRE_REDIS === '1';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = tempDir('safemix-redis-');
  const sock = join(dir, 'redis.sock');
  const child = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      sock,
      '--unixsocketperm',
      '700',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${log}`);
    if (existsSync(sock)) {
      const c = new Redis({ path: sock, lazyConnect: true, maxRetriesPerRequest: 1 });
      c.on('error', () => {});
      try {
        await c.connect();
        if ((await c.ping()) === 'PONG') {
          c.disconnect();
          break;
        }
      } catch {
        /* not yet */
      }
      c.disconnect();
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `unix://${sock}`,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  log(): string;
  ready: Promise<void>;
  /** SIGTERM, then wait for it to exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

/** `safemix worker` in its own process (and process group, so that a test can kill it with its children). */
export function startWorkerProcess(
  url: string,
  queue: string,
  options: { env?: Record<string, string | undefined>; concurrency?: number } = {},
): WorkerProcess {
  const env = { ...process.env, ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  // low lock and stall timers: a killed worker's job is retried within seconds
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--redis',
      url,
      '--queue',
      queue,
      '--concurrency',
      String(options.concurrency ?? 1),
      '--lock-duration',
      '2000',
      '--stalled-interval',
      '1000',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: env as NodeJS.ProcessEnv,
      detached: true,
    },
  );
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString('utf8');
      if (log.includes('ready: queue')) resolve();
    });
    void exited.then(() => reject(new Error(`the worker exited before it was ready: ${log}`)));
  });
  ready.catch(() => {});
  return {
    child,
    log: () => log,
    ready,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once `text` appears in the worker's log (or fails after `ms`). */
export async function waitForLog(w: WorkerProcess, text: string | RegExp, ms = 60_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const log = w.log();
    const m = typeof text === 'string' ? (log.includes(text) ? text : undefined) : text.exec(log)?.[0];
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`the worker never said ${String(text)}: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
