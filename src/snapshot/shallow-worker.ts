/**
 * The shallow-size worker: runs the ownership pass over arrays in shared
 * memory and writes the sizes in place (see ./shallow-job.ts).
 */
import { workerData } from 'node:worker_threads';
import { moveOwnedSizes } from './ownership.js';
import type { ShallowWorkerData } from './shallow-job.js';

const { input, sizes, state } = workerData as ShallowWorkerData;
const words = new Int32Array(state);
try {
  moveOwnedSizes(input, sizes, () => Atomics.add(words, 1, 1));
  Atomics.store(words, 0, 1);
} catch {
  Atomics.store(words, 0, 2);
}
Atomics.notify(words, 0);
