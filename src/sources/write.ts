/**
 * Writing text to a file descriptor synchronously, leaving no object behind.
 *
 * A stream write (`process.stdout.write`) keeps a write request, its chunk
 * and callbacks alive until a later tick; a heap snapshot taken in the same
 * tick, by the next call of the live API, would count them. `fs.writeSync`
 * leaves nothing: the text is written when it returns.
 */
import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

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

/** Anything with a `write(string)`: a stream, `process.stdout`, a test sink. */
export interface TextSink {
  write(chunk: string): unknown;
}

/**
 * Writes the text of a show* function to `file` (default `process.stdout`).
 * Standard output and error go straight to their file descriptors when no
 * earlier stream write is pending, so no write request stays alive into the
 * next snapshot; other sinks get a plain `write`.
 */
export function emitText(file: TextSink | undefined, text: string): void {
  if (text === '') return;
  const out = file ?? process.stdout;
  if (out === process.stdout && isMainThread && process.stdout.writableLength === 0) writeText(1, text);
  else if (out === process.stderr && isMainThread && process.stderr.writableLength === 0) writeText(2, text);
  else out.write(text);
}
