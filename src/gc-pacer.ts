// Keeps a long run's memory flat. V8 sizes its heap by the run's allocation rate, not by what is
// alive: on a gigabyte file the old generation fills with garbage for longer between collections,
// and peak RSS grew by 80 MB from a 100 MB file to a 1 GB one while the live heap stayed the same.
// The pacer checks the heap and the memory outside it (read blocks are ArrayBuffers, freed only by a
// collection) twice a second and, when they have grown by GROWTH_BYTES since the last collection,
// runs a full one (about 30 ms for safemix's live heap). The CLI starts it for every
// command; a library user decides for their own process (startGcPacer), since a full collection of a
// large host heap costs more. The collection is V8's `gc`, which exists when node was started with
// `--expose-gc` (the bin's first line gives it; NODE_FLAGS for the processes safemix starts); no V8
// flag is set at run time, and without it there is no pacer.
import v8 from 'node:v8';

/** The node flags safemix's own processes start with (the bin's `#!` line says the same). */
export const NODE_FLAGS = ['--expose-gc'];

const INTERVAL_MS = 500;
const GROWTH_BYTES = 16 * 1024 * 1024;

let gc: (() => void) | null | undefined;
/** The collection of the running pacer, if one runs. */
let running: (() => void) | undefined;

/** The engine's full collection, when node was started with --expose-gc (else null: no pacer). */
function fullCollection(): (() => void) | null {
  if (gc === undefined) {
    const exposed = (globalThis as { gc?: unknown }).gc;
    gc = typeof exposed === 'function' ? (exposed as () => void) : null;
  }
  return gc;
}

/** Starts a pacer (call it once per process); returns a function that stops it. The timer never keeps the process alive. */
export function startGcPacer(): () => void {
  const collect = fullCollection();
  if (!collect) return () => {};
  const inUse = () => {
    const h = v8.getHeapStatistics();
    return h.used_heap_size + h.external_memory;
  };
  let floor = inUse();
  const now = () => {
    collect();
    floor = inUse();
  };
  const timer = setInterval(() => {
    if (inUse() - floor >= GROWTH_BYTES) now();
  }, INTERVAL_MS);
  timer.unref();
  running = now;
  return () => {
    clearInterval(timer);
    if (running === now) running = undefined;
  };
}

/**
 * A full collection now, when a pacer runs (the CLI's process; a library user's process is left
 * alone). A run calls it where it has just let go of much memory at once (the covert-encoding
 * models, the first pass's blocks and sampled bytes): the next phase then reuses that memory
 * instead of growing beside it, which no timer can ensure during a synchronous phase. On 100 MB,
 * the peak RSS of mix fell from 203-206 MB to 179-180 MB with the two collections of a mix (and the
 * models truly let go: a cache of the recently fitting languages had kept them).
 */
export function collectNow(): void {
  running?.();
}
