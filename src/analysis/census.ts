/**
 * Census of a snapshot: how many objects of each class, their self sizes and
 * retained sizes — objgraph's `count`, `typestats`, `most_common_types` and
 * `by_type`, with sizes.
 */
import type { HeapNode, HeapSnapshot } from '../snapshot/index.js';
import { LARGE_SIZE, sizeAt, type NodeSizes } from '../snapshot/ownership.js';

/** What the census is sorted by. */
export type SortBy = 'count' | 'selfSize' | 'retainedSize';

/** Options shared by the census functions. */
export interface CensusOptions {
  /**
   * Group by the bare class name (`Session`, default) or, when false, by the
   * qualified name that adds where the constructor is defined
   * (`Session@src/session.js:12:1`), telling apart two classes with one name.
   */
  shortnames?: boolean;
  /** Count only the nodes for which this returns true. */
  filter?: ((node: HeapNode) => boolean) | undefined;
  /** Count only these nodes (ordinals or node views), like objgraph's `objects` argument. */
  objects?: Iterable<number | HeapNode> | undefined;
  /**
   * Include V8 internals (hidden objects, code, internal arrays, shapes) and
   * embedder objects. By default only objects a JavaScript programmer can name
   * are counted.
   */
  all?: boolean;
  /**
   * Nodes to leave out whatever the other options say: `exclude[ordinal]`
   * non-zero drops the node (the live face passes the tool's own objects
   * here). Its length must be the snapshot's node count.
   */
  exclude?: Uint8Array | undefined;
}

/** Statistics of one class. */
export interface ClassStats {
  name: string;
  count: number;
  /** Sum of the instances' self sizes, in bytes. */
  selfSize: number;
  /**
   * Bytes retained by the instances together, without counting an instance
   * retained by another instance of the same class twice. Present when asked
   * for (it needs the dominator tree).
   */
  retainedSize?: number;
  /** Smallest distance from the roots among the instances (when asked for with `distances: true`). */
  distance?: number;
}

export interface CensusResultOptions extends CensusOptions {
  /** Also compute the smallest distance from the roots per class (a breadth-first search of the heap). */
  distances?: boolean;
  /** Also compute per-class retained sizes (builds the dominator tree). */
  retainedSizes?: boolean;
}

/** The nodes selected by `options`, as a mask: `mask[ordinal]` is 1 for each, 0 for the others. */
export function selectNodes(snap: HeapSnapshot, options: CensusOptions = {}): Uint8Array {
  const bits = markNodes(snap, options);
  const mask = new Uint8Array(snap.nodeCount);
  for (let i = 0; i < mask.length; i++) mask[i] = (bits[i >>> 3]! >>> (i & 7)) & 1;
  return mask;
}

/** The nodes selected by `options`, a bit each (bit `i & 7` of byte `i >>> 3`). */
function markNodes(snap: HeapSnapshot, options: CensusOptions): Uint8Array {
  const n = snap.nodeCount;
  const bits = new Uint8Array((n + 7) >>> 3);
  // DevTools' self sizes move the size of internal arrays to their owner;
  // nodes the user can see are never owned, so their DevTools size is zero
  // only if their own size is (and that index is built only then).
  let shallow: NodeSizes | null = null;
  const self = snap.nodeSelfSize;
  const all = options.all === true;
  const visible = all ? null : snap.userVisibleFlags();
  const exclude = options.exclude;
  if (exclude !== undefined && exclude.length !== n) {
    throw new RangeError(`exclude has ${exclude.length} entries; the snapshot has ${n} nodes`);
  }
  const consider = (i: number): void => {
    if (exclude !== undefined && exclude[i] !== 0) return;
    if (!all && (visible![i >>> 3]! & (1 << (i & 7))) === 0) return;
    // Like DevTools, nodes of size zero (synthetic roots, storage owned by another object) are not counted.
    if (all || self[i] === 0) {
      shallow ??= snap.shallowSizes();
      if (shallow.small[i] === 0) return;
    }
    bits[i >>> 3]! |= 1 << (i & 7);
  };
  if (options.objects) {
    for (const o of options.objects) {
      const i = typeof o === 'number' ? o : o.snapshot === snap ? o.ordinal : snap.ordinalOf(o.id);
      if (i >= 0 && i < n) consider(i);
    }
  } else {
    for (let i = 0; i < n; i++) consider(i);
  }
  const filter = options.filter;
  if (filter) {
    for (let i = 0; i < n; i++) if ((bits[i >>> 3]! & (1 << (i & 7))) !== 0 && !filter(snap.node(i))) bits[i >>> 3]! &= ~(1 << (i & 7));
  }
  return bits;
}

function classArray(snap: HeapSnapshot, options: CensusOptions): Uint32Array {
  return options.shortnames === false ? snap.qualifiedClassIndexes() : snap.classIndexes();
}

/**
 * Statistics per class, keyed by class name.
 *
 * @example
 * const stats = census(snap, { retainedSizes: true });
 * stats.get('Session'); // { name: 'Session', count: 200, selfSize: 9600, retainedSize: 52000 }
 */
export function census(snap: HeapSnapshot, options: CensusResultOptions = {}): Map<string, ClassStats> {
  // The dominator tree first: the arrays below then take the place of its spent temporaries.
  if (options.retainedSizes) snap.retainedSizes();
  const classes = classArray(snap, options);
  const shallow = snap.shallowSizes();
  const shallowSmall = shallow.small;
  const distances = options.distances ? snap.distances() : undefined;
  // Aggregate by dense class number (one per class string index) into typed arrays;
  // decode each class name once. `selected` marks the selected nodes, a bit each; `slots`
  // keeps each class string index's number plus one (0 for classes with no selected node).
  const n = snap.nodeCount;
  const selected = markNodes(snap, options);
  const slots = new Int32Array(snap.scratch(4 * snap.strings.size), 0, snap.strings.size);
  const keys: number[] = [];
  let countOf = new Float64Array(256);
  let selfOf = new Float64Array(256);
  let distanceOf = new Int32Array(256);
  for (let i = 0; i < n; i++) {
    if ((selected[i >>> 3]! & (1 << (i & 7))) === 0) continue;
    const c = classes[i]!;
    let k = slots[c]! - 1;
    if (k < 0) {
      k = keys.length;
      slots[c] = k + 1;
      keys.push(c);
      if (k === countOf.length) {
        const grow = <T extends Float64Array | Int32Array>(a: T): T => {
          const b = new (a.constructor as new (n: number) => T)(a.length * 2);
          b.set(a);
          return b;
        };
        countOf = grow(countOf);
        selfOf = grow(selfOf);
        distanceOf = grow(distanceOf);
      }
      distanceOf[k] = 0x7fffffff;
    }
    countOf[k]!++;
    const size = shallowSmall[i]!;
    selfOf[k]! += size !== LARGE_SIZE ? size : sizeAt(shallow, i);
    if (distances) {
      const d = distances[i]!;
      if (d < distanceOf[k]!) distanceOf[k] = d;
    }
  }
  const retained = options.retainedSizes ? classRetainedSizes(snap, { selected, classes, slots }, keys.length) : undefined;
  snap.lendScratch([slots.buffer as ArrayBuffer]);
  const out = new Map<string, ClassStats>();
  keys.forEach((c, k) => {
    const name = snap.strings.get(c);
    const stats: ClassStats = { name, count: countOf[k]!, selfSize: selfOf[k]! };
    if (distances) stats.distance = distanceOf[k]!;
    if (retained) stats.retainedSize = retained[k]!;
    const existing = out.get(name);
    if (existing) {
      // Two string indexes with one text (a name interned twice): merge.
      existing.count += stats.count;
      existing.selfSize += stats.selfSize;
      if (stats.distance !== undefined) existing.distance = Math.min(existing.distance ?? stats.distance, stats.distance);
      if (stats.retainedSize !== undefined) existing.retainedSize = (existing.retainedSize ?? 0) + stats.retainedSize;
    } else {
      out.set(name, stats);
    }
  });
  return out;
}

/** The census's selection: which nodes count, and the number of each node's class. */
export interface ClassNumbers {
  /** A bit for each node (bit `i & 7` of byte `i >>> 3`), set when it is selected. */
  selected: Uint8Array;
  /** Class string index of every node (see `HeapSnapshot.classIndexes`). */
  classes: Uint32Array;
  /** Per class string index: the class's number plus one, from 1 to the class count. */
  slots: Int32Array;
}

/**
 * Retained size per class: the sum of the retained sizes of the selected
 * instances that are not dominated by another selected instance of the same
 * class (a walk of the dominator tree). Classes are numbered from 0 to
 * `classCount - 1` by `numbers`.
 */
export function classRetainedSizes(snap: HeapSnapshot, numbers: ClassNumbers, classCount: number): Float64Array {
  const { selected, classes, slots } = numbers;
  const retained = snap.retainedSizes();
  const dominators = snap.dominators();
  const order = snap.dominatorOrder();
  const totals = new Float64Array(classCount);
  const active = new Uint8Array(classCount);
  // The walk goes through the tree in preorder, keeping the path from the root as a stack:
  // each node's dominator is on it, and whatever lies above the dominator is done. A level
  // holds the node and the class it made active (-1 if none): its instances below are
  // counted in its own retained size.
  let path = new Int32Array(2 * 256);
  let top = 0;
  for (let k = 0; k < order.length; k++) {
    const v = order[k]!;
    if (top > 0) {
      const d = dominators[v]!;
      while (path[top - 2] !== d) {
        const made = path[top - 1]!;
        if (made >= 0) active[made] = 0;
        top -= 2;
        if (top === 0) throw new Error(`census: node ${v} comes before its dominator ${d} in the dominator tree's order`);
      }
    }
    let made = -1;
    if ((selected[v >>> 3]! & (1 << (v & 7))) !== 0) {
      const c = slots[classes[v]!]! - 1;
      if (active[c] === 0) {
        totals[c]! += retained[v]!;
        active[(made = c)] = 1;
      }
    }
    if (top + 2 > path.length) {
      const grown = new Int32Array(path.length * 2);
      grown.set(path);
      path = grown;
    }
    path[top++] = v;
    path[top++] = made;
  }
  return totals;
}

function sortStats(list: ClassStats[], sortBy: SortBy): ClassStats[] {
  const key = (s: ClassStats): number => (sortBy === 'count' ? s.count : sortBy === 'selfSize' ? s.selfSize : (s.retainedSize ?? 0));
  return list.sort((a, b) => key(b) - key(a) || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface MostCommonOptions extends CensusOptions {
  /** How many classes to return; 0, null or Infinity for all. Default 10. */
  limit?: number | null;
  /** Default 'count'. */
  sortBy?: SortBy;
}

/** The census as a list, largest first, with sizes (retained sizes when sorting by them or asked for). */
export function classStats(snap: HeapSnapshot, options: MostCommonOptions & { retainedSizes?: boolean } = {}): ClassStats[] {
  const sortBy = options.sortBy ?? 'count';
  const stats = census(snap, { ...options, retainedSizes: options.retainedSizes ?? sortBy === 'retainedSize' });
  const sorted = sortStats([...stats.values()], sortBy);
  const limit = options.limit === undefined ? 10 : options.limit;
  return limit === null || limit === 0 || limit === Infinity ? sorted : sorted.slice(0, limit);
}

/**
 * objgraph's `most_common_types`: `[className, count]` pairs, most common first.
 *
 * @example
 * mostCommonTypes(snap, { limit: 3 }); // [['Object', 5112], ['Array', 1841], ['Function', 1650]]
 */
export function mostCommonTypes(snap: HeapSnapshot, options: MostCommonOptions = {}): Array<[string, number]> {
  return classStats(snap, options).map((s) => [s.name, s.count]);
}

/**
 * objgraph's `typestats`: class name → number of instances.
 *
 * @example
 * typestats(snap)['Session']; // 200
 */
export function typestats(snap: HeapSnapshot, options: CensusOptions = {}): Record<string, number> {
  // No prototype: a class may be called `__proto__` or `toString`.
  const out = Object.create(null) as Record<string, number>;
  for (const [name, s] of census(snap, options)) out[name] = s.count;
  return out;
}

/** Whether `name` is a qualified class name (`Name@script:line:column`). */
function isQualified(name: string): boolean {
  return /@.+:\d+:\d+$/.test(name);
}

/** Ordinals of the selected nodes of class `name` (short or qualified). */
export function ordinalsOfClass(snap: HeapSnapshot, name: string, options: CensusOptions = {}): number[] {
  const qualified = options.shortnames === false || isQualified(name);
  const classes = qualified ? snap.qualifiedClassIndexes() : snap.classIndexes();
  const mask = selectNodes(snap, { ...options, filter: undefined });
  const matches = new Map<number, boolean>();
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const c = classes[i]!;
    let ok = matches.get(c);
    if (ok === undefined) {
      ok = snap.strings.get(c) === name;
      matches.set(c, ok);
    }
    if (ok && (!options.filter || options.filter(snap.node(i)))) out.push(i);
  }
  return out;
}

/**
 * objgraph's `count`: how many objects of class `name` there are.
 *
 * @example
 * count(snap, 'Session'); // 200
 */
export function count(snap: HeapSnapshot, name: string, options: CensusOptions = {}): number {
  return ordinalsOfClass(snap, name, options).length;
}

/**
 * objgraph's `by_type`: the nodes of class `name`.
 *
 * @example
 * byType(snap, 'Session')[0].retainedSize;
 */
export function byType(snap: HeapSnapshot, name: string, options: CensusOptions = {}): HeapNode[] {
  return ordinalsOfClass(snap, name, options).map((i) => snap.node(i));
}
