// When a long loop reports its progress: every 10,000 records, or every half second of a slow one
// (large records, a small shard), so that a progress bar or a queue's status moves either way.
export function progressGate(records = 10_000, ms = 500): (done: number) => boolean {
  let lastDone = 0;
  let lastAt = performance.now();
  return (done) => {
    if (done <= lastDone) return false;
    const now = performance.now();
    if (done - lastDone < records && now - lastAt < ms) return false;
    lastDone = done;
    lastAt = now;
    return true;
  };
}
