/**
 * A worker's word about its own life, for a thread that waits on it with
 * `Atomics.wait`: such a thread is blocked, so it never hears the worker's
 * `exit` event, and a worker that died would keep it waiting until a stall
 * timeout. The worker says it has started in one word, and when its thread
 * ends without a result (an uncaught error) it marks its result words failed.
 * A worker that never starts (a `--require` preload that throws in worker
 * threads, say) is given up after {@link START_MS}.
 */

/** How long a worker may take to start running its script. */
export const START_MS = 5_000;

/** Worker side, first thing: started, and result words set to 2 (failed) should the thread end while they are still 0. */
export function announceStart(words: Int32Array, startedWord: number, resultWords: readonly number[]): void {
  Atomics.store(words, startedWord, 1);
  process.on('exit', () => {
    for (const w of resultWords) if (Atomics.compareExchange(words, w, 0, 2) === 0) Atomics.notify(words, w);
  });
}

/** Waiting side: true when the worker created at `since` (a `Date.now()`) has not started in {@link START_MS}. */
export function neverStarted(words: Int32Array, startedWord: number, since: number): boolean {
  return Atomics.load(words, startedWord) === 0 && Date.now() - since > START_MS;
}
