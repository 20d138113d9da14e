// Runs endpoint-client work on vitest's fake clock (setTimeout, clearTimeout and performance.now), so
// that what a test asserts about timeouts, back-off and Retry-After is counted in fake milliseconds
// that only the test moves, never in the machine's time: a loaded machine makes a run slower, not
// different. Real I/O (the loopback server, files) still runs; setImmediate is left real, so the
// drivers below let it run between steps.
import { vi } from 'vitest';
import type { ChatServer } from './chat-server.js';

const FAKED = ['setTimeout', 'clearTimeout', 'performance'] as const;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function settledFlag(p: Promise<unknown>): { settled: boolean } {
  const flag = { settled: false };
  p.then(
    () => (flag.settled = true),
    () => (flag.settled = true),
  );
  return flag;
}

/**
 * Steps the fake clock 1 ms per turn of the event loop until `work` settles: a sleep of n ms ends
 * after n steps; an answer on the loopback server arrives within a few turns, so requests are
 * given timeouts far above that. Throws when `work` has not settled within `limitMs` of fake time.
 */
export async function stepClock<T>(work: () => Promise<T>, limitMs: number): Promise<T> {
  vi.useFakeTimers({ toFake: [...FAKED] });
  try {
    const p = work();
    const flag = settledFlag(p);
    for (let ms = 0; !flag.settled; ms++) {
      if (ms > limitMs) throw new Error(`did not settle within ${limitMs} ms of fake time`);
      await vi.advanceTimersByTimeAsync(1);
      await turn();
      await turn();
    }
    return await p;
  } finally {
    vi.useRealTimers();
  }
}

/**
 * Runs `work` with the fake clock standing still, except that each request the server holds
 * (`hang`) moves it by `timeoutMs` once: a client with that timeout and concurrency 1 (so nothing
 * else is in flight) must then give up on it. Due timers (sleeps of 0 ms) run at every turn. No
 * answered request can time out, however slow the machine. Throws when the client has not hung up
 * on a held request after `patience` further turns. The clock is moved synchronously, so that a
 * 0 ms timer set from I/O is due at once (one set while the fake clock ticks is due 1 ms later).
 */
export async function onHeldClock<T>(server: ChatServer, timeoutMs: number, work: () => Promise<T>, patience = 20_000): Promise<T> {
  vi.useFakeTimers({ toFake: [...FAKED] });
  try {
    const p = work();
    const flag = settledFlag(p);
    const advanced = new Set<object>();
    let waiting = 0;
    while (!flag.settled) {
      vi.advanceTimersByTime(0);
      const held = server.received.find((r) => r.kind === 'hang' && !r.hungUp);
      if (held && !advanced.has(held)) {
        advanced.add(held);
        waiting = 0;
        vi.advanceTimersByTime(timeoutMs);
      } else if (held && ++waiting > patience) {
        throw new Error(`the client did not give up on a request the server never answers, ${timeoutMs} ms of fake time past its start`);
      }
      await turn();
    }
    return await p;
  } finally {
    vi.useRealTimers();
  }
}
