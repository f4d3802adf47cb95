/**
 * The shallow-size worker: marks the page-owned nodes, then runs the
 * ownership pass over arrays in shared memory and writes the sizes in place
 * (see ./shallow-job.ts).
 */
import { workerData } from 'node:worker_threads';
import { markPageOwned, moveOwnedSizes } from './ownership.js';
import { SHALLOW_LIFE, type ShallowWorkerData } from './shallow-job.js';
import { announceStart } from './worker-life.js';

const { input, small, large, owned, state } = workerData as ShallowWorkerData;
const words = new Int32Array(state);
announceStart(words, SHALLOW_LIFE, [0, 2]);
if (owned !== undefined) {
  try {
    markPageOwned(input, owned.starts, owned.flags, () => Atomics.add(words, 1, 1));
    Atomics.store(words, 2, 1);
  } catch {
    Atomics.store(words, 2, 2);
  }
  Atomics.notify(words, 2);
}
try {
  const kept = moveOwnedSizes(input, small, () => Atomics.add(words, 1, 1));
  if (kept.ordinals.length > large.ordinals.length) throw new RangeError('more large sizes than the heap can hold');
  large.ordinals.set(kept.ordinals);
  large.sizes.set(kept.sizes);
  Atomics.store(words, 3, kept.ordinals.length);
  Atomics.store(words, 0, 1);
} catch {
  Atomics.store(words, 0, 2);
}
Atomics.notify(words, 0);
