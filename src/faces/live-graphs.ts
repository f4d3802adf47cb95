/**
 * objgraph's graph functions for the running isolate, synchronous:
 * `showRefs`, `showBackrefs`, `showChain`, `findRefChain`,
 * `findBackrefChain`, `whyAlive` and `showWhyAlive`.
 *
 * Each call takes an in-process heap snapshot (see `../sources/live.ts`),
 * finds the given objects in it by their snapshot id, and works on that
 * snapshot. Inputs may be live objects or functions, snapshot ids, or node
 * views. Callbacks (`filter`, `highlight`, `extraInfo`, predicates) receive
 * node views; `at(node.id)` gives back the live object. The tool's own
 * objects (its inspector session, the options object of the call) never
 * appear in a graph or a chain.
 *
 * @example
 * import { showBackrefs, whyAlive } from 'objgraph';
 * const x = []; const y = [x, [x], { x }];
 * showRefs([y], { filename: 'refs.png' });
 * showBackrefs([x]);                       // writes a PNG to the temp folder and says where
 */
import { HeapNode } from '../snapshot/views.js';
import type { HeapSnapshot } from '../snapshot/model.js';
import { liveInspector } from '../sources/inspector.js';
import { takeLiveSnapshot, type LiveSnapshot } from '../sources/live.js';
import { TOOL } from '../sources/exclude.js';
import type { Chain, ChainLike, ChainOptions, NodePredicate, WhyAlive, WhyAliveOptions } from '../analysis/paths.js';
import type { Graph } from '../render/graph.js';
import * as graphs from './graphs.js';
import { warmUp } from './live.js';

/** What the live graph functions accept as an object: a live object or function, a snapshot id, or a node view. */
export type LiveTarget = object | number | HeapNode;

export type LiveShowOptions = Omit<graphs.ShowGraphOptions, 'extraIgnore'> & {
  /** Objects never drawn: live objects, ids or node views (objgraph's `extra_ignore`). */
  extraIgnore?: Iterable<LiveTarget> | undefined;
  /** Report snapshot parse progress on stderr. */
  progress?: boolean | undefined;
};

export type LiveChainOptions = Omit<ChainOptions, 'extraIgnore' | 'excludeOrdinal'> & {
  extraIgnore?: Iterable<LiveTarget> | undefined;
  progress?: boolean | undefined;
};

export type LiveWhyAliveOptions = Omit<WhyAliveOptions, 'extraIgnore' | 'excludeOrdinal'> & {
  extraIgnore?: Iterable<LiveTarget> | undefined;
  progress?: boolean | undefined;
};

function snapshotFor(options: { progress?: boolean | undefined } | undefined): LiveSnapshot {
  warmUp();
  return takeLiveSnapshot(options, undefined, options?.progress === true);
}

/** The snapshot id of a target. */
function idOf(target: LiveTarget): number {
  if (target instanceof HeapNode) return target.id;
  if (typeof target === 'number') {
    if (!Number.isInteger(target) || target <= 0) throw new TypeError(`objgraph: not a snapshot id: ${target}`);
    return target;
  }
  if ((typeof target === 'object' && target !== null) || typeof target === 'function') {
    const id = liveInspector().knownId(target);
    if (id === 0) throw new Error('objgraph: the object is not in the heap snapshot');
    return id;
  }
  throw new TypeError(`objgraph: graphs need objects, functions, ids or node views, not ${typeof target}`);
}

function nodeFor(snap: HeapSnapshot, target: LiveTarget): HeapNode {
  const id = idOf(target);
  const node = snap.nodeById(id);
  if (!node) throw new Error(`objgraph: no object with id ${id} in the heap snapshot (was it collected?)`);
  return node;
}

/** One target or a list of them (objgraph: wrap a list you want drawn itself: `[list]`). */
function targetList(objs: LiveTarget | readonly LiveTarget[]): readonly LiveTarget[] {
  return Array.isArray(objs) ? (objs as readonly LiveTarget[]) : [objs as LiveTarget];
}

function ignoredIds(live: LiveSnapshot, objs: unknown, extra: Iterable<LiveTarget> | undefined): number[] {
  const ids: number[] = [];
  // The list passed in is the call's, not the program's: leave it out as objgraph does.
  if (Array.isArray(objs)) {
    const id = liveInspector().knownId(objs);
    if (id !== 0) ids.push(id);
  }
  for (const x of extra ?? []) {
    const id = x instanceof HeapNode || typeof x === 'number' ? idOf(x) : liveInspector().knownId(x);
    if (id !== 0) ids.push(id);
  }
  return ids.filter((id) => live.snapshot.hasId(id));
}

/**
 * Ordinals never drawn nor passed through: the tool's own objects, and the
 * stack (`(Stack roots)`, `(Handle scope)`), where every object handed to
 * these functions sits while the snapshot is taken, as an argument.
 */
function toolFilter(live: LiveSnapshot): (ordinal: number) => boolean {
  const owned = live.toolOwned;
  const snap = live.snapshot;
  const stack: number[] = [];
  const r = snap.rootOrdinal;
  for (let e = snap.firstEdge[r]!; e < snap.firstEdge[r + 1]!; e++) {
    const groups = snap.edgeTarget(e);
    if (snap.nodeType[groups] !== snap.types.synthetic) continue;
    for (let k = snap.firstEdge[groups]!; k < snap.firstEdge[groups + 1]!; k++) {
      const g = snap.edgeTarget(k);
      if (snap.nodeType[g] !== snap.types.synthetic) continue;
      const name = snap.strings.prefix(snap.nodeNameAt(g), 40);
      if (name === '(Stack roots)' || name === '(Handle scope)') stack.push(g);
    }
  }
  return (o) => owned[o] === TOOL || stack.includes(o);
}

function show(direction: 'refs' | 'backrefs', objs: LiveTarget | readonly LiveTarget[], options: LiveShowOptions | undefined): Graph {
  const live = snapshotFor(options);
  const snap = live.snapshot;
  const nodes = targetList(objs).map((t) => nodeFor(snap, t));
  const { extraIgnore, progress: _p, ...rest } = options ?? {};
  const opts: graphs.ShowGraphOptions = { ...rest, extraIgnore: ignoredIds(live, objs, extraIgnore), excludeOrdinal: toolFilter(live) };
  return direction === 'refs' ? graphs.showRefs(snap, nodes, opts) : graphs.showBackrefs(snap, nodes, opts);
}

/**
 * objgraph's show_refs for live objects: what `objs` refer to, `maxDepth`
 * (3) levels deep. Returns the {@link Graph}; with `filename` it is written,
 * with `output` the DOT goes to that stream, with neither a PNG is written to
 * the temp folder and its path printed on `file` (default stdout).
 */
export function showRefs(objs: LiveTarget | readonly LiveTarget[], options?: LiveShowOptions): Graph {
  return show('refs', objs, options);
}

/** objgraph's show_backrefs for live objects: what keeps `objs` alive; stops at roots, globals and modules. */
export function showBackrefs(objs: LiveTarget | readonly LiveTarget[], options?: LiveShowOptions): Graph {
  return show('backrefs', objs, options);
}

function chainOptions(live: LiveSnapshot, options: LiveChainOptions | LiveWhyAliveOptions | undefined): ChainOptions & WhyAliveOptions {
  const { extraIgnore, progress: _p, ...rest } = options ?? {};
  return { ...rest, extraIgnore: ignoredIds(live, undefined, extraIgnore), excludeOrdinal: toolFilter(live) };
}

/** objgraph's find_ref_chain for a live object: `{found, nodes: [obj's node, …, match], edges, steps}`. */
export function findRefChain(obj: LiveTarget, predicate: NodePredicate, options?: LiveChainOptions): Chain {
  const live = snapshotFor(options);
  return graphs.findRefChain(live.snapshot, nodeFor(live.snapshot, obj), predicate, chainOptions(live, options));
}

/** objgraph's find_backref_chain for a live object: `{found, nodes: [root, …, obj's node], edges, steps}`. */
export function findBackrefChain(obj: LiveTarget, predicate?: NodePredicate, options?: LiveChainOptions): Chain {
  const live = snapshotFor(options);
  return graphs.findBackrefChain(live.snapshot, nodeFor(live.snapshot, obj), predicate, chainOptions(live, options));
}

/**
 * objgraph's show_chain: draws only the given chains (results of
 * `findRefChain`/`findBackrefChain`/`whyAlive`, or lists of node views of one
 * snapshot). `showChain(chain1, chain2, {filename: 'chain.png'})`.
 */
export function showChain(...args: Array<ChainLike | graphs.ShowChainOptions>): Graph {
  const { chains, options } = graphs.splitChainArgs(args);
  let snap: HeapSnapshot | null = null;
  for (const c of chains) {
    const first = chainFirstNode(c);
    if (first) {
      snap = first.snapshot;
      break;
    }
  }
  if (snap === null) throw new Error('showChain: no chain to draw (every chain is empty or not found)');
  return graphs.showChain(snap, chains, options);
}

function chainFirstNode(c: ChainLike): HeapNode | undefined {
  if (Array.isArray(c)) return (c as readonly HeapNode[])[0];
  const x = c as Chain | WhyAlive;
  if ('chain' in x) return x.node;
  return x.found ? x.nodes[0] : x.start;
}

/** Why is this live object alive: the shortest path from a root, its dominators and the retained sizes. */
export function whyAlive(obj: LiveTarget, options?: LiveWhyAliveOptions): WhyAlive {
  const live = snapshotFor(options);
  return graphs.whyAlive(live.snapshot, nodeFor(live.snapshot, obj), chainOptions(live, options));
}

/** Prints {@link whyAlive} on `file` (default stdout) and returns it. */
export function showWhyAlive(obj: LiveTarget, options?: LiveWhyAliveOptions & { file?: graphs.TextSink | undefined }): WhyAlive {
  const live = snapshotFor(options);
  const { file, ...rest } = options ?? {};
  return graphs.showWhyAlive(live.snapshot, nodeFor(live.snapshot, obj), { ...chainOptions(live, rest), file });
}
