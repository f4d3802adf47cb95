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
  EDGE_TO_MASK,
  EDGE_TYPE_SHIFT,
  type Progress,
  type ProgressCallback,
  type SnapshotInput,
  type SourceLocation,
} from './snapshot/index.js';
export * as analysis from './analysis/index.js';
export type { CensusOptions, ClassStats, ClassDiff, MostCommonOptions, SortBy, GrowthRow } from './analysis/index.js';

// Reference graphs and chains (showRefs, showBackrefs, showChain, findRefChain, findBackrefChain, whyAlive).
export {
  showRefs,
  showBackrefs,
  showChain,
  findRefChain,
  findBackrefChain,
  whyAlive,
  showWhyAlive,
  type LiveTarget,
  type LiveShowOptions,
  type LiveChainOptions,
  type LiveWhyAliveOptions,
} from './faces/live-graphs.js';
export { presentGraph, type ShowGraphOptions, type ShowChainOptions, type GraphOutputOptions, type ShowWhyAliveOptions } from './faces/graphs.js';
export { disposeRenderer, warmUpRenderer } from './render/worker-client.js';
export { Graph, GraphBuilder, type GraphNode, type GraphEdge, type GraphData, type RenderOptions } from './render/graph.js';
export { buildRefGraph, buildChainGraph, formatWhyAlive, type RefGraphOptions, type ChainGraphOptions } from './render/refgraph.js';
export type { Chain, ChainFound, ChainNotFound, ChainStep, ChainOptions, NodePredicate, WhyAlive, WhyAliveOptions, AliveStep, DominatorStep } from './analysis/paths.js';
export {
  count,
  typestats,
  mostCommonTypes,
  showMostCommonTypes,
  growth,
  showGrowth,
  getNewIds,
  getLeakingObjects,
  byType,
  at,
  atAddrs,
  id,
  isProperModule,
  isRoot,
  warmUp,
  Tracker,
  takeLiveSnapshot,
  type LiveSnapshot,
  type StatsOptions,
  type CommonTypesOptions,
  type GrowthOptions,
  type NewIdsOptions,
  type NewIds,
  type ShowOptions,
  type TextSink,
} from './faces/live.js';
