/**
 * A worker's word about its own life, for a thread that waits on it with
 * `Atomics.wait`: such a thread is blocked, so it never hears the worker's
 * `exit` event, and a worker that died would keep it waiting until a stall
 * timeout. The worker sets one word when it starts running its script and
 * another as its thread ends, for whatever reason, waking the waiting thread.
 * A worker that never starts (a `--require` preload that throws in worker
 * threads, say) is given up after {@link START_MS}.
 */

/** How long a worker may take to start running its script. */
export const START_MS = 5_000;

/** The two words a worker keeps about itself. */
export interface LifeWords {
  /** Set to 1 when the worker's script runs. */
  started: number;
  /** Set to 1 as the worker's thread ends. */
  gone: number;
}

/** Worker side, first thing: marks the start, and arranges for the end to be marked and `wake` words to be notified. */
export function announceStart(words: Int32Array, life: LifeWords, wake: readonly number[]): void {
  Atomics.store(words, life.started, 1);
  process.on('exit', () => {
    Atomics.store(words, life.gone, 1);
    for (const w of wake) Atomics.notify(words, w);
  });
}

/** Waiting side: true when the worker has ended, or has not started within {@link START_MS} of `since` (a `Date.now()`). */
export function workerLost(words: Int32Array, life: LifeWords, since: number): boolean {
  if (Atomics.load(words, life.gone) === 1) return true;
  return Atomics.load(words, life.started) === 0 && Date.now() - since > START_MS;
}
