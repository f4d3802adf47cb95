/**
 * Writing text to a file descriptor synchronously, leaving no object behind.
 *
 * A stream write (`process.stdout.write`) keeps a write request, its chunk
 * and callbacks alive until a later tick; a heap snapshot taken in the same
 * tick, by the next call of the live API, would count them. `fs.writeSync`
 * leaves nothing: the text is written when it returns.
 */
import { writeSync } from 'node:fs';

const encoder = new TextEncoder();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to `fd`. Waits and retries while a non-blocking pipe
 * is full (EAGAIN), so a slow reader gets every byte.
 */
export function writeText(fd: number, text: string): void {
  if (text === '') return;
  const bytes = encoder.encode(text);
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}
