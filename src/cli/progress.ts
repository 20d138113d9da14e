// A progress line on standard error for long runs, shown only on a TTY: the phase, a bar, the share
// done and an ETA from the phase's own pace (bytes of the input, or records for the paraphrase engine).
function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (x: number) => String(x).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now) {
  const tty = stream.isTTY === true;
  let shown = false;
  let last = 0;
  let width = 0;
  let phaseName = '';
  let phaseStart = 0;
  let phaseFirst = 0;
  return {
    /** `done` of `total` (bytes, or records for `paraphrase`). */
    update(phase: string, done: number, total: number | undefined): void {
      if (!tty || !total) return;
      const t = now();
      if (phase !== phaseName) {
        phaseName = phase;
        phaseStart = t;
        phaseFirst = done;
        last = 0;
      }
      const finished = done >= total;
      if (t - last < 200 && !finished) return;
      last = t;
      const share = Math.min(1, done / total);
      const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
      // the pace since the phase began (a resumed run starts past 0)
      const rate = (done - phaseFirst) / Math.max(1, t - phaseStart);
      const eta = finished ? 'done' : rate > 0 && t - phaseStart >= 500 ? `ETA ${formatEta((total - done) / rate / 1000)}` : 'ETA --:--';
      const counts = phase === 'paraphrase' || phase === 'query' || phase === 'check' ? ` ${done}/${total}` : '';
      const line = `  ${phase.padEnd(10)} [${bar}] ${(share * 100).toFixed(0).padStart(3)}%${counts} ${eta}`;
      stream.write(`\r${line.padEnd(width)}`);
      width = Math.max(width, line.length);
      shown = true;
    },
    done(): void {
      if (shown) stream.write('\r' + ' '.repeat(Math.max(60, width)) + '\r');
    },
  };
}
