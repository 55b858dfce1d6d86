/**
 * A one-line `done/total` counter on stderr, shown only on a terminal and only once a run
 * has taken more than a second (short runs stay quiet).
 */
export interface Progress {
  update(done: number, total: number): void;
  clear(): void;
}

const SHOW_AFTER_MS = 1000;
const REDRAW_EVERY_MS = 100;

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean, now: () => number = Date.now): Progress {
  const started = now();
  let lastDraw = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!enabled) return;
      const time = now();
      if (time - started < SHOW_AFTER_MS || time - lastDraw < REDRAW_EVERY_MS) return;
      lastDraw = time;
      shown = true;
      stream.write(`\r\u001b[Kretrylint: ${done}/${total} files`);
    },
    clear() {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
  };
}
