/**
 * The offline face: `load(file)` returns a {@link Snapshot}, a heap snapshot
 * with objgraph's functions as methods, plus what only files allow:
 * comparison of snapshots, dominators and retained sizes.
 */
import {
  HeapSnapshot,
  readSnapshot,
  readSnapshotFileSync,
  parseSnapshotSync,
  snapshotFromData,
  type HeapNode,
  type ProgressCallback,
  type SnapshotData,
  type SnapshotInput,
} from '../snapshot/index.js';
import {
  byType,
  census,
  classStats,
  compareSnapshots,
  count,
  mostCommonTypes,
  newIds,
  typestats,
  type CensusOptions,
  type CensusResultOptions,
  type ClassDiff,
  type ClassStats,
  type MostCommonOptions,
} from '../analysis/index.js';
import { SnapshotParser } from '../snapshot/parser.js';
import * as graphs from './graphs.js';
import type { Chain, ChainLike, ChainOptions, NodePredicate, WhyAlive, WhyAliveOptions } from '../analysis/paths.js';
import type { Graph } from '../render/graph.js';

export interface LoadOptions {
  /** Progress of parsing (bytes) and of each index build. */
  onProgress?: ProgressCallback;
  /** Name for error messages when reading a stream. */
  source?: string;
  /**
   * Parse the `edges` array of a plain snapshot file on a second thread
   * while this one parses the rest. Default: for files of 48 MB and more.
   */
  parallel?: boolean;
}

/**
 * A loaded heap snapshot with objgraph's functions as methods.
 *
 * @example
 * const snap = await load('app.heapsnapshot');
 * snap.mostCommonTypes({ limit: 5 });
 * snap.byType('Session')[0].retainedSize;
 */
export class Snapshot extends HeapSnapshot {
  /** Number of objects of class `name` (short or qualified). */
  count(name: string, options?: CensusOptions): number {
    return count(this, name, options);
  }

  /** Class name → number of objects. */
  typestats(options?: CensusOptions): Record<string, number> {
    return typestats(this, options);
  }

  /** `[className, count]` pairs, most common first (`limit` defaults to 10; `sortBy` may be a size). */
  mostCommonTypes(options?: MostCommonOptions): Array<[string, number]> {
    return mostCommonTypes(this, options);
  }

  /** Per-class statistics with sizes, sorted by `sortBy` (default `count`). */
  classStats(options?: MostCommonOptions & { retainedSizes?: boolean }): ClassStats[] {
    return classStats(this, options);
  }

  /** Per-class statistics keyed by class name. */
  census(options?: CensusResultOptions): Map<string, ClassStats> {
    return census(this, options);
  }

  /** The objects of class `name`. */
  byType(name: string, options?: CensusOptions): HeapNode[] {
    return byType(this, name, options);
  }

  /** The object with snapshot id `id`, or undefined. */
  at(id: number): HeapNode | undefined {
    return this.nodeById(id);
  }

  /** The objects with these ids (ids not in the snapshot are skipped). */
  atAddrs(ids: Iterable<number>): HeapNode[] {
    const out: HeapNode[] = [];
    for (const id of ids) {
      const n = this.nodeById(id);
      if (n) out.push(n);
    }
    return out;
  }

  /** Class-by-class comparison with an earlier snapshot of the same process. */
  compare(earlier: HeapSnapshot, options?: CensusOptions): ClassDiff[] {
    return compareSnapshots(earlier, this, options);
  }

  /** Ids of the objects that are new since an earlier snapshot of the same process, per class. */
  newIds(earlier: HeapSnapshot, options?: CensusOptions): Map<string, Set<number>> {
    return newIds(earlier, this, options);
  }

  /** objgraph's find_ref_chain: the shortest chain `[start, …, match]`, or `{found: false}`. */
  findRefChain(start: HeapNode, predicate: NodePredicate, options?: ChainOptions): Chain {
    return graphs.findRefChain(this, start, predicate, options);
  }

  /** objgraph's find_backref_chain: the shortest chain `[root, …, start]` (predicate defaults to a root). */
  findBackrefChain(start: HeapNode, predicate?: NodePredicate, options?: ChainOptions): Chain {
    return graphs.findBackrefChain(this, start, predicate, options);
  }

  /** objgraph's show_refs: a {@link Graph}; written to `filename`, or `output` (DOT), or a PNG in the temp folder. */
  showRefs(objs: HeapNode | Iterable<HeapNode>, options?: graphs.ShowGraphOptions): Graph {
    return graphs.showRefs(this, objs, options);
  }

  /** objgraph's show_backrefs: stops at roots, global objects and module records. */
  showBackrefs(objs: HeapNode | Iterable<HeapNode>, options?: graphs.ShowGraphOptions): Graph {
    return graphs.showBackrefs(this, objs, options);
  }

  /** objgraph's show_chain: `showChain(chain1, chain2, …, options?)` draws only the chains. */
  showChain(...args: Array<ChainLike | graphs.ShowChainOptions>): Graph {
    const { chains, options } = graphs.splitChainArgs(args);
    return graphs.showChain(this, chains, options);
  }

  /** Why is `node` alive: shortest path from a root, dominators, retained sizes. */
  whyAlive(node: HeapNode, options?: WhyAliveOptions): WhyAlive {
    return graphs.whyAlive(this, node, options);
  }

  /** Prints {@link whyAlive} (to `file`, default stdout) and returns it. */
  showWhyAlive(node: HeapNode, options?: graphs.ShowWhyAliveOptions): WhyAlive {
    return graphs.showWhyAlive(this, node, options);
  }
}

const create = (data: SnapshotData): Snapshot => new Snapshot(data);

/**
 * Loads a heap snapshot from a file path or `file:` URL (`.heapsnapshot` or
 * gzip-compressed `.heapsnapshot.gz`), a readable stream, an iterable of
 * chunks, or the whole snapshot as bytes (gzip-compressed or not).
 *
 * @example
 * import { load } from 'objgraph';
 * const snap = await load('app.heapsnapshot', { onProgress: (p) => console.error(p.phase, p.done, p.total) });
 * console.log(snap.mostCommonTypes({ limit: 3, sortBy: 'retainedSize' }));
 */
export async function load(input: SnapshotInput, options: LoadOptions = {}): Promise<Snapshot> {
  return readSnapshot(input, options, create);
}

/** Synchronous {@link load} of a file path. */
export function loadSync(path: string, options: LoadOptions = {}): Snapshot {
  return readSnapshotFileSync(path, options, create);
}

/**
 * Parses a snapshot from chunks synchronously (for example the inspector's
 * `addHeapSnapshotChunk` events), or from one byte array holding all of it.
 */
export function parseChunks(chunks: Iterable<string | Uint8Array> | Uint8Array, options: LoadOptions = {}): Snapshot {
  return parseSnapshotSync(chunks, options, create);
}

/** A push parser that produces a {@link Snapshot}: `write(chunk)` as data arrives, then `end()`. */
export class SnapshotReader {
  private readonly parser: SnapshotParser;
  private readonly onProgress: ProgressCallback | undefined;
  constructor(options: LoadOptions = {}) {
    this.parser = new SnapshotParser({ source: options.source ?? '<chunks>', onProgress: options.onProgress });
    this.onProgress = options.onProgress;
  }
  write(chunk: string | Uint8Array): void {
    this.parser.write(chunk);
  }
  end(): Snapshot {
    return snapshotFromData(this.parser.end(), this.onProgress, create);
  }
}
