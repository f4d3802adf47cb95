/** The snapshot layer: bytes to graph. */
export { SnapshotError } from './errors.js';
export { StringPool } from './strings.js';
export {
  SnapshotParser,
  type SnapshotData,
  type SnapshotHeader,
  type SnapshotMeta,
  type ParserOptions,
  type Progress,
  type ProgressCallback,
} from './parser.js';
export {
  HeapSnapshot,
  BASE_SYSTEM_DISTANCE,
  NO_DISTANCE,
  type NodeTypeIndexes,
  type EdgeTypeIndexes,
  type SourceLocation,
} from './model.js';
export { HeapNode, HeapEdge } from './views.js';
export { EDGE_TO_MASK, EDGE_TYPE_SHIFT } from './edge-word.js';
export type { RetainerIndex, DominatedIndex } from './indexes.js';
export {
  parseSnapshotSync,
  readSnapshot,
  readSnapshotFileSync,
  snapshotFromData,
  type SnapshotFactory,
  type ReadOptions,
  type SnapshotInput,
} from './load.js';
