/**
 * objgraph for JavaScript: find memory leaks from V8 heap snapshots.
 *
 * - `load(file)` reads a `.heapsnapshot` of any size and returns a
 *   {@link Snapshot} with objgraph's functions as methods.
 * - The snapshot engine (`HeapSnapshot`, node and edge views) and the
 *   analysis functions are exported for direct use.
 */
export { load, loadSync, parseChunks, Snapshot, SnapshotReader, type LoadOptions } from './faces/offline.js';
export {
  HeapSnapshot,
  HeapNode,
  HeapEdge,
  SnapshotError,
  SnapshotParser,
  BASE_SYSTEM_DISTANCE,
  NO_DISTANCE,
  type Progress,
  type ProgressCallback,
  type SnapshotInput,
  type SourceLocation,
} from './snapshot/index.js';
export * as analysis from './analysis/index.js';
export type { CensusOptions, ClassStats, ClassDiff, MostCommonOptions, SortBy, GrowthRow } from './analysis/index.js';
