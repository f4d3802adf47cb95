/**
 * The edges worker: parses the `edges` array of one snapshot file and posts
 * the arrays (see ./edges-file.ts).
 */
import { workerData } from 'node:worker_threads';
import { SnapshotError } from './errors.js';
import { EDGES_LIFE, readEdgesFromFile, type EdgesAnswer, type EdgesWorkerData } from './edges-file.js';
import { announceStart } from './worker-life.js';

const { path, header, searchFrom, port, done } = workerData as EdgesWorkerData;
const words = new Int32Array(done);
announceStart(words, EDGES_LIFE, [0]);
let answer: EdgesAnswer;
let transfer: ArrayBuffer[] = [];
let start = -1;
try {
  const found = readEdgesFromFile(
    path,
    header,
    { searchFrom },
    () => Atomics.add(words, 1, 1),
    (at) => (start = at),
  );
  const { edgeNames, edgeWord } = found.edges;
  // Shared buffers are shared, not transferred.
  const arrays = [edgeNames.low, edgeNames.wide, edgeNames.ranks, edgeNames.high, edgeNames.apartIndexes, edgeNames.apartNames, edgeWord];
  transfer = arrays.map((a) => a.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  answer = { ok: true, found };
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  answer = { ok: false, start, source: err instanceof SnapshotError ? err.source : path, message: err.message, snapshotError: err instanceof SnapshotError, offset: err instanceof SnapshotError ? err.offset : undefined };
}
port.postMessage(answer, transfer);
Atomics.store(words, 0, 1);
Atomics.notify(words, 0);
