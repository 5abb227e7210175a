/** One updating line on stderr: label, bar, percentage, rows and elapsed time. */
export function createProgress(name: string, total: number) {
  const started = performance.now();
  let done = 0;
  let label = name;
  let last = 0;
  const tty = process.stderr.isTTY;
  function draw(force = false) {
    const now = performance.now();
    if (!force && now - last < (tty ? 100 : 2000)) return;
    last = now;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(share * width);
    const shown = Math.min(done, total);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(1).padStart(5)}% ${shown.toLocaleString('en')}/${total.toLocaleString('en')} rows ${((now - started) / 1000).toFixed(1)} s`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  }
  return {
    add(rows: number) {
      done += rows;
      draw();
    },
    label(text: string) {
      label = `${name}: ${text}`;
      draw(true);
    },
    done() {
      done = total;
      draw(true);
      if (tty) process.stderr.write('\n');
    },
  };
}
