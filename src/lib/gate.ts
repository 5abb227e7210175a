/**
 * At most `concurrency` holders at once, at most `queueMax` waiting in arrival order; `enter`
 * resolves to a release function (idempotent), or to null at once when the queue is full.
 */
export function createGate({ concurrency, queueMax }: { concurrency: number; queueMax: number }) {
  let active = 0;
  const waiting: (() => void)[] = [];

  function release() {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  async function enter(): Promise<(() => void) | null> {
    if (active < concurrency) active++;
    else if (waiting.length >= queueMax) return null;
    // The slot is handed over by release(): `active` stays counted for the waiter.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }

  return { enter, stats: () => ({ active, waiting: waiting.length }) };
}
