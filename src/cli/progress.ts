// A progress line on standard error for long runs, shown only on a TTY.
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  let shown = false;
  let last = 0;
  return {
    update(phase: string, bytesRead: number, size: number | undefined): void {
      if (!tty || !size) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const share = Math.min(1, bytesRead / size);
      const width = 30;
      const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
      stream.write(`\r  ${phase.padEnd(8)} [${bar}] ${(share * 100).toFixed(0).padStart(3)}%`);
      shown = true;
    },
    done(): void {
      if (shown) stream.write('\r' + ' '.repeat(60) + '\r');
    },
  };
}
