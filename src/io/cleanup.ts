// What a run must undo if it stops early: temp files, the stdin spool, directories it created.
// While anything is registered, SIGINT, SIGTERM and SIGHUP run every cleanup and exit with
// 128 + the signal number (130, 143, 129); the CLI keeps the handlers for the whole run, so every
// phase (reading, profiling, writing) stops the same way.
import { writeSync } from 'node:fs';

const SIGNAL_EXITS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof SIGNAL_EXITS;

const cleanups = new Set<() => void>();
let holds = 0;

function onSignal(signal: HandledSignal): void {
  runCleanups();
  process.stderr.write(`safemix: interrupted by ${signal}; nothing was written\n`);
  process.exit(SIGNAL_EXITS[signal]);
}

function install(): void {
  for (const s of Object.keys(SIGNAL_EXITS)) process.on(s, onSignal);
}

function uninstall(): void {
  for (const s of Object.keys(SIGNAL_EXITS)) process.off(s, onSignal);
}

function active(): boolean {
  return holds > 0 || cleanups.size > 0;
}

/** Registers a cleanup; the returned function unregisters it (without running it). */
export function onAbort(cleanup: () => void): () => void {
  if (!active()) install();
  cleanups.add(cleanup);
  return () => {
    if (!cleanups.delete(cleanup)) return;
    if (!active()) uninstall();
  };
}

/** Runs every registered cleanup once (signals, and the CLI on a fatal error). */
export function runCleanups(): void {
  for (const c of [...cleanups]) {
    cleanups.delete(c);
    try {
      c();
    } catch {
      /* best effort: the others still run */
    }
  }
}

/** Keeps the signal handlers installed for a whole run, even while nothing is registered. */
export function holdSignals(): () => void {
  if (!active()) install();
  holds++;
  return () => {
    holds--;
    if (!active()) uninstall();
  };
}

/**
 * A named point of a run where tests can stop it deterministically: with SAFEMIX_PAUSE_AT=NAME the
 * run says `safemix: paused at NAME` on standard error (the first time only) and waits for SIGUSR2
 * (signals still work).
 */
const paused = new Set<string>();
export async function pausePoint(name: string): Promise<void> {
  if (process.env.SAFEMIX_PAUSE_AT !== name || paused.has(name)) return;
  paused.add(name);
  const release = holdSignals();
  await new Promise<void>((resolve) => {
    const keepAlive = setInterval(() => {}, 1000);
    process.once('SIGUSR2', () => {
      clearInterval(keepAlive);
      resolve();
    });
    // said only once the handler is in place: the test may signal the moment it reads this
    process.stderr.write(`safemix: paused at ${name}\n`);
  });
  release();
}

/**
 * A pause point inside synchronous code (between two renames), for tests that kill the run there:
 * with SAFEMIX_PAUSE_AT=NAME the run says `safemix: paused at NAME` and blocks for up to 60 s
 * (nothing runs meanwhile, signals included: the test ends it with SIGKILL).
 */
export function pauseHere(name: string): void {
  if (process.env.SAFEMIX_PAUSE_AT !== name || paused.has(name)) return;
  paused.add(name);
  writeSync(2, `safemix: paused at ${name}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}
