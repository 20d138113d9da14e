// Redis connections for the queue (ioredis, as BullMQ takes them): `redis://[user:pass@]host:port[/db]`,
// `rediss://…` (TLS), or a unix socket as `unix:///path/redis.sock` (`?db=N`) or a bare absolute path.
import { maskUrl } from '../shown.js';
import { Redis, type RedisOptions } from 'ioredis';
import { SafemixError } from '../errors.js';

export { DEFAULT_QUEUE } from './queue-name.js';

function redisOptions(url: string): RedisOptions & { url?: string } {
  const base: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true };
  if (url.startsWith('/')) return { ...base, path: url };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUrl(url);
  }
  if (parsed.protocol === 'unix:' || parsed.protocol === 'redis+unix:') {
    const db = parsed.searchParams.get('db');
    return {
      ...base,
      path: decodeURIComponent(parsed.pathname),
      ...(db ? { db: Number(db) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    };
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw badUrl(url);
  return { ...base, url };
}

function badUrl(url: string): SafemixError {
  return new SafemixError('usage', `--redis ${JSON.stringify(url)} is not a Redis URL`, {
    hint: 'give redis://HOST:PORT (rediss:// for TLS, redis://:PASSWORD@HOST:PORT/DB), or unix:///PATH/redis.sock',
  });
}

/** A new ioredis client for the URL (one per BullMQ Queue, Worker or QueueEvents). */
export function connect(url: string, extra: RedisOptions = {}): Redis {
  const { url: u, ...opts } = redisOptions(url);
  return u ? new Redis(u, { ...opts, ...extra }) : new Redis({ ...opts, ...extra });
}

/** Waits until the client is ready, or fails with a clear error after `ms`. */
export async function ready(client: Redis, url: string, ms = 10_000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new SafemixError('queue_unavailable', `cannot reach Redis at ${maskUrl(url)} within ${ms / 1000} s (${lastError ?? 'no answer'})`, {
          hint: 'check the --redis URL, that redis-server runs there, and that this machine may connect to it',
        }),
      );
    }, ms);
    let lastError: string | undefined;
    const onError = (e: Error) => {
      lastError = e.message;
    };
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
    };
    client.on('ready', onReady);
    client.on('error', onError);
  });
}
