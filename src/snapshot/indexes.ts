/**
 * The graph algorithms behind the snapshot's lazily built indexes:
 * retainers, ownership-adjusted shallow sizes, distances from the roots,
 * dominators and retained sizes. All are iterative and work on typed arrays
 * indexed by node ordinal; none allocates an object per node or edge.
 *
 * The rules follow Chrome DevTools' heap snapshot worker so that numbers match
 * the Memory panel:
 * - weak edges never retain and are never followed for distances;
 * - `shortcut` edges retain only when they leave the synthetic root (there they
 *   mark the user's global objects);
 * - a WeakMap value is retained through its key, not through the table
 *   (V8 records both edges; the table's is skipped for dominators);
 * - edges from objects the page does not own into objects it does own
 *   (for example from the debugger's handles) do not retain;
 * - nodes that are unreachable, or reachable only through weak edges, are
 *   attached to the root.
 */
import type { HeapSnapshot } from './model.js';
import { nameAt } from './names.js';
import { EDGE_TO_MASK, EDGE_TYPE_SHIFT } from './edge-word.js';
import { PackedUints } from './packed-uints.js';
import { lowerBound } from './search.js';
import { expandSizes, markPageOwned, moveOwnedSizes, type NodeSizes, type OwnershipInput } from './ownership.js';

/** Incoming edges: for node i, `edges[first[i] .. first[i+1])` are edge indexes that point to it. */
export interface RetainerIndex {
  first: Uint32Array;
  /** Edge index of each retaining edge. */
  edges: Uint32Array;
  /** Source node ordinal of each retaining edge (parallel to `edges`). */
  nodes: Uint32Array;
}

export function buildRetainers(s: HeapSnapshot): RetainerIndex {
  const n = s.nodeCount;
  const m = s.edgeCount;
  const edgeWord = s.edgeWord;
  const firstEdge = s.firstEdge;
  const first = new Uint32Array(n + 1);
  const toMask = EDGE_TO_MASK;
  for (let e = 0; e < m; e++) first[(edgeWord[e]! & toMask) + 1]!++;
  for (let i = 0; i < n; i++) first[i + 1]! += first[i]!;
  const fill = first.slice(0, n);
  const edges = new Uint32Array(m);
  const nodes = new Uint32Array(m);
  for (let from = 0; from < n; from++) {
    const end = firstEdge[from + 1]!;
    for (let e = firstEdge[from]!; e < end; e++) {
      const slot = fill[edgeWord[e]! & toMask]!++;
      edges[slot] = e;
      nodes[slot] = from;
    }
  }
  return { first, edges, nodes };
}

/**
 * DevTools' shallow sizes: when the snapshot has user roots, the self size of
 * internal arrays and hidden objects owned by exactly one other object (through
 * non-weak edges) is moved into that owner, so that an `Array` shows the size
 * of its backing store. Retained sizes are unaffected (the owner dominates what
 * it owns). Snapshots taken with `exposeInternals` are left as V8 wrote them.
 */
export function buildShallowSizes(s: HeapSnapshot): NodeSizes {
  if (!s.hasUserRoots()) return s.selfSizes();
  const small = s.nodeSelfSize.slice();
  return { small, large: moveOwnedSizes(ownershipInput(s), small) };
}

/** The arrays and type numbers the ownership pass reads. */
export function ownershipInput(s: HeapSnapshot): OwnershipInput {
  return {
    nodeType: s.nodeType,
    nodeName: s.nodeName,
    selfSizes: s.selfSizes(),
    firstEdge: s.firstEdge,
    edgeWord: s.edgeWord,
    hidden: s.types.hidden,
    array: s.types.array,
    native: s.types.native,
    synthetic: s.types.synthetic,
    weak: s.edgeTypes.weak,
    externalStringData: s.strings.indexOf('system / ExternalStringData'),
    rootOrdinal: s.rootOrdinal,
  };
}

/** The fixed parts of a WeakMap entry's edge name (see {@link entryTableId}). */
const ENTRY_HEAD = Buffer.from(' / part of key (', 'latin1');
const ENTRY_MIDDLE = Buffer.from(') -> value (', 'latin1');
const ENTRY_TAIL = Buffer.from(' pair in WeakMap (table @', 'latin1');
/** The shortest entry name: "0 / part of key ( @0) -> value ( @0) pair in WeakMap (table @0)". */
const ENTRY_MIN_BYTES = 1 + ENTRY_HEAD.length + 3 + ENTRY_MIDDLE.length + 3 + ENTRY_TAIL.length + 2;

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** Whether `raw` holds `bytes` at `at`. */
function bytesAt(raw: Uint8Array, at: number, bytes: Uint8Array): boolean {
  if (at < 0 || at + bytes.length > raw.length) return false;
  for (let j = 0; j < bytes.length; j++) if (raw[at + j] !== bytes[j]) return false;
  return true;
}

/** Where the run of digits that ends at `end` (exclusive) starts: `end` when there is none. */
function digitsBefore(raw: Uint8Array, end: number): number {
  let k = end;
  while (k > 0 && isDigit(raw[k - 1])) k--;
  return k;
}

/** When `raw[.. end)` ends with " @<digits>", where that " @" starts; else -1. */
function idMarkBefore(raw: Uint8Array, end: number): number {
  const d = digitsBefore(raw, end);
  return d < end && d >= 2 && raw[d - 1] === 0x40 && raw[d - 2] === 0x20 ? d - 2 : -1;
}

/**
 * The table id when `raw[.. end)` ends with " pair in WeakMap (table @<digits>)", else -1:
 * the part of an entry name that names its table.
 */
function tableIdAtEnd(raw: Uint8Array, end: number): number {
  if (raw[end - 1] !== 0x29) return -1;
  const start = digitsBefore(raw, end - 1);
  if (start === end - 1 || !bytesAt(raw, start - ENTRY_TAIL.length, ENTRY_TAIL)) return -1;
  let id = 0;
  for (let k = start; k < end - 1; k++) id = id * 10 + raw[k]! - 0x30;
  return id;
}

/**
 * The table id when the bytes are the name V8 gives a WeakMap entry's edges,
 * "<n> / part of key (<key> @<id>) -> value (<value> @<id>) pair in WeakMap (table @<id>)",
 * else -1. It accepts what DevTools' pattern for these names accepts, line
 * terminators aside (the caller checks those; the pattern's `.` does not cross them).
 */
export function entryTableId(raw: Uint8Array): number {
  const n = raw.length;
  if (n < ENTRY_MIN_BYTES) return -1;
  const id = tableIdAtEnd(raw, n);
  if (id < 0) return -1;
  let h = 0;
  while (isDigit(raw[h])) h++;
  if (h === 0 || !bytesAt(raw, h, ENTRY_HEAD)) return -1;
  const key = h + ENTRY_HEAD.length;
  // The value's " @<id>)" right before the tail, then the key's " @<id>) -> value (" at or
  // before it (the value's name may be empty); any such place will do.
  const tail = digitsBefore(raw, n - 1) - ENTRY_TAIL.length;
  if (raw[tail - 1] !== 0x29) return -1;
  const value = idMarkBefore(raw, tail - 1);
  for (let m = value - ENTRY_MIDDLE.length; m > key; m--) {
    if (raw[m] === 0x29 && bytesAt(raw, m, ENTRY_MIDDLE) && idMarkBefore(raw, m) >= key) return id;
  }
  return -1;
}

/**
 * Shared state for recognising WeakMap ephemeron edges by their name, as
 * DevTools does: with a pattern whose `.` does not cross a line break, so that
 * a key or value named with one does not make an entry.
 */
export class WeakMapEdgeNames {
  private readonly status: Uint8Array; // 0 unknown, 1 not an ephemeron edge, 2 ephemeron edge
  private readonly table = new Map<number, number>();
  private tableBits: Uint8Array | undefined;
  private static readonly pattern = /^\d+( \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @\d+\))$/;

  constructor(private readonly s: HeapSnapshot) {
    this.status = new Uint8Array(s.strings.count);
  }

  /** The table id when string `i` names a WeakMap entry, else -1 (read from its stored bytes, without decoding it). */
  private entryTable(i: number): number {
    const strings = this.s.strings;
    if (strings.byteLength(i) < ENTRY_MIN_BYTES) return -1;
    const id = entryTableId(strings.rawView(i) ?? Buffer.from(strings.get(i), 'utf8'));
    return id >= 0 && !strings.hasLineTerminator(i) ? id : -1;
  }

  private check(nameIndex: number): boolean {
    const st = this.status[nameIndex];
    if (st === 1) return false;
    if (st === 2) return true;
    const id = this.entryTable(nameIndex);
    this.status[nameIndex] = id < 0 ? 1 : 2;
    if (id >= 0) this.table.set(nameIndex, id);
    return id >= 0;
  }

  /** Whether the edge name describes a WeakMap entry (a typed-array lookup after the first call). */
  isEntry(nameIndex: number): boolean {
    const st = this.status[nameIndex];
    return st === 2 || (st === 0 && this.check(nameIndex));
  }

  /**
   * Whether the edge name describes a WeakMap entry of the table `table` (a
   * node ordinal; the edge from the table to the value). A table's entry names
   * are seen once each, so the result is not cached; only the nodes of
   * {@link tables} need asking.
   */
  isEntryOfTable(nameIndex: number, table: number): boolean {
    const id = this.entryTable(nameIndex);
    return id >= 0 && id === this.s.idOf(table);
  }

  /**
   * The nodes that some snapshot string names as a WeakMap table ("… pair in
   * WeakMap (table @<id>)"), a bit per node (bit `v & 7` of byte `v >>> 3`):
   * the only nodes with edges {@link isEntryOfTable} can accept (and maybe a
   * few more). Found from the ends of the long strings, without reading any
   * edge name or decoding any string.
   */
  tables(): Uint8Array {
    if (this.tableBits) return this.tableBits;
    const s = this.s;
    const ids = new Set<number>();
    s.strings.forEachLong(ENTRY_MIN_BYTES, (block, end) => {
      const id = tableIdAtEnd(block, end);
      if (id >= 0) ids.add(id);
    });
    const bits = new Uint8Array((s.nodeCount + 7) >>> 3);
    const mark = (o: number): void => {
      bits[o >>> 3]! |= 1 << (o & 7);
    };
    // Ids kept as runs are looked up among the runs; ids kept as one array (or runs with
    // duplicates) are read once, rather than sorted whole for a few lookups.
    const direct = Array.from(ids, (id) => s.ids.ordinalOf(id));
    if (!direct.includes(undefined)) {
      for (const o of direct) if (o! >= 0) mark(o!);
    } else {
      const sorted = Float64Array.from(ids).sort();
      const lo = sorted[0]!;
      const hi = sorted[sorted.length - 1]!;
      for (let o = 0; o < s.nodeCount; o++) {
        const id = s.idOf(o);
        if (id >= lo && id <= hi && sorted[lowerBound(sorted, id)] === id) mark(o);
      }
    }
    this.tableBits = bits;
    return bits;
  }

  /** The WeakMap table id when the edge name describes a WeakMap entry, else -1. */
  tableId(nameIndex: number): number {
    return this.check(nameIndex) ? this.table.get(nameIndex)! : -1;
  }

  /** The part of the name shared by the two edges of one entry, or undefined. */
  pairKey(nameIndex: number): string | undefined {
    if (!this.check(nameIndex)) return undefined;
    return WeakMapEdgeNames.pattern.exec(this.s.strings.prefix(nameIndex, Infinity))?.[1];
  }
}

/** Marks nodes reachable from the user roots (global objects) through non-weak edges, a bit per node. */
export function buildPageOwned(s: HeapSnapshot): Uint8Array {
  const flags = new Uint8Array((s.nodeCount + 7) >>> 3);
  markPageOwned({ firstEdge: s.firstEdge, edgeWord: s.edgeWord, weak: s.edgeTypes.weak }, pageOwnedStarts(s), flags);
  return flags;
}

/** Whether the root's edge `e` starts page ownership: a shortcut edge (to a global object) or an edge to the document's DOM trees. */
function startsPageOwnership(s: HeapSnapshot, e: number): boolean {
  const t = s.edgeTypeOf(e);
  return t === s.edgeTypes.shortcut || (t === s.edgeTypes.element && s.isDocumentDomTreesRoot(s.edgeTarget(e)));
}

/** Where page ownership starts: the root's shortcut edges (the global objects) and its edges to the document's DOM trees. */
export function pageOwnedStarts(s: HeapSnapshot): Uint32Array {
  const { edges, ownedEnd } = rootEdgeOrder(s);
  return Uint32Array.from(edges.subarray(0, ownedEnd), (e) => s.edgeTarget(e));
}

/** The root's edges, those that start page ownership first (`edges[0 .. ownedEnd)`), each group in snapshot order. */
export function rootEdgeOrder(s: HeapSnapshot): { edges: Uint32Array; ownedEnd: number } {
  const first = s.firstEdge[s.rootOrdinal]!;
  const end = s.firstEdge[s.rootOrdinal + 1]!;
  const edges = new Uint32Array(end - first);
  let k = 0;
  for (let e = first; e < end; e++) if (startsPageOwnership(s, e)) edges[k++] = e;
  const ownedEnd = k;
  for (let e = first; e < end; e++) if (!startsPageOwnership(s, e)) edges[k++] = e;
  return { edges, ownedEnd };
}

/** Value of a distance that was never reached. */
export const NO_DISTANCE = -5;
/** Distances of nodes reached only from system roots start here (DevTools' convention). */
export const BASE_SYSTEM_DISTANCE = 100_000_000;

/**
 * Breadth-first distances from the roots: first from the user roots (global
 * objects, at distance 1), then from the synthetic root for what they do not
 * reach (at BASE_SYSTEM_DISTANCE + depth). Weak edges are never followed.
 */
export function buildDistances(s: HeapSnapshot): Int32Array {
  const n = s.nodeCount;
  const dist = new Int32Array(n).fill(NO_DISTANCE);
  const queue = new Uint32Array(n);
  const { edgeWord, firstEdge, nodeType, nodeName } = s;
  const names = s.edgeNames;
  const toMask = EDGE_TO_MASK;
  const typeShift = EDGE_TYPE_SHIFT;
  const weak = s.edgeTypes.weak;
  const internal = s.edgeTypes.internal;
  const element = s.edgeTypes.element;
  const hiddenEdge = s.edgeTypes.hidden;
  const tHidden = s.types.hidden;
  const tArray = s.types.array;
  const strings = s.strings;
  const nativeContext = strings.indexOf('system / NativeContext');
  const sloppyFunctionMap = strings.indexOf('sloppy_function_map');
  const mapDescriptors = strings.indexOf('(map descriptors)');
  const weakMaps = s.weakMapEdgeNames();
  const pending = new Set<string>();
  const root = s.rootOrdinal;

  let length = 0;
  for (let e = firstEdge[root]!; e < firstEdge[root + 1]!; e++) {
    const to = edgeWord[e]! & toMask;
    if (s.isUserRoot(to) && dist[to] === NO_DISTANCE) {
      dist[to] = 1;
      queue[length++] = to;
    }
  }
  const bfs = (head: number): void => {
    while (head < length) {
      const v = queue[head++]!;
      const d = dist[v]! + 1;
      const end = firstEdge[v + 1]!;
      const t = nodeType[v];
      for (let e = firstEdge[v]!; e < end; e++) {
        const word = edgeWord[e]!;
        const et = word >>> typeShift;
        if (et === weak) continue;
        const to = word & toMask;
        if (dist[to] !== NO_DISTANCE) continue;
        const numbered = et === element || et === hiddenEdge;
        if (t === tHidden) {
          if (!numbered && nameAt(nodeName, v) === nativeContext && nameAt(names, e) === sloppyFunctionMap) continue;
        } else if (t === tArray && nameAt(nodeName, v) === mapDescriptors) {
          // Descriptor arrays may be shared between maps; skip their descriptor links. Their
          // slots are numbered edges or internal edges named "0", "1", …: read as DevTools
          // reads every edge name here, with parseInt (a name without digits is kept).
          const index = numbered ? nameAt(names, e) : parseInt(strings.get(nameAt(names, e)), 10);
          if (!(index < 2 || index % 3 !== 1)) continue;
        }
        if (et === internal && weakMaps.isEntry(nameAt(names, e))) {
          // A WeakMap value has two edges (from the table and from the key): take the later one.
          const key = weakMaps.pairKey(nameAt(names, e));
          if (key !== undefined && !pending.delete(key)) {
            pending.add(key);
            continue;
          }
        }
        dist[to] = d;
        queue[length++] = to;
      }
    }
  };
  bfs(0);
  const userRootsFound = length;
  dist[root] = userRootsFound > 0 ? BASE_SYSTEM_DISTANCE : 0;
  const head = length;
  queue[length++] = root;
  bfs(head);
  return dist;
}

/**
 * From this many nodes on, the dominator search records the vertex of each
 * number and a copy of the parents: 8 bytes per node more at the build's peak,
 * which spares a second search of the heap (a tenth to a sixth of the build).
 * The process's own memory (the runtime and its code, some 50 MiB) is a large
 * share of a smaller snapshot's size, and there the lean way keeps the peak
 * below the size of the file; from here on the 8 bytes fit under it too
 * (a 1.75 GB snapshot of 21 M nodes: a full analysis peaks at 0.87x the
 * file with them, and takes 0.4-1.0 s less in 15 s).
 */
export const RECORDED_ORDER_MIN_NODES = 10_000_000;

/** A copy of `a` in an array of twice its length (for the searches' growing stacks). */
function doubled(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const grown = new Uint32Array(a.length * 2);
  grown.set(a);
  return grown;
}

export interface DominatorResult {
  /** Immediate dominator ordinal of every node (the root dominates itself). */
  dominators: Uint32Array;
  /** Retained size of every node: 32-bit when the heap's total size fits in 32 bits. */
  retained: Uint32Array | Float64Array;
  /**
   * Node ordinals in a depth-first preorder of the dominator tree: the root first, every
   * node after its dominator, and the nodes a node dominates right after it.
   */
  preorder: Uint32Array;
  /** The buffers of the spent temporaries, for later builds to reuse. */
  spent: ArrayBuffer[];
}

/**
 * Dominators by the Semi-NCA algorithm (Lengauer–Tarjan's semidominators,
 * then each immediate dominator as the nearest common ancestor of the parent
 * and the semidominator, found with jump pointers), iterative throughout, and
 * retained sizes as sums of shallow sizes over the dominator tree.
 *
 * The depth-first search classifies each essential edge once: only the edges
 * that are not tree edges are kept as predecessor lists for the evaluation
 * phase. On heap graphs that is about two thirds of the edges, which saves
 * both time and memory over building the full predecessor lists.
 */
export function buildDominators(s: HeapSnapshot, shallowSizes: () => NodeSizes, recordOrder = s.nodeCount >= RECORDED_ORDER_MIN_NODES): DominatorResult {
  const n = s.nodeCount;
  if (n === 0) return { dominators: new Uint32Array(0), retained: new Float64Array(0), preorder: new Uint32Array(0), spent: [] };
  const { edgeWord, firstEdge } = s;
  const names = s.edgeNames;
  const toMask = EDGE_TO_MASK;
  const typeShift = EDGE_TYPE_SHIFT;
  const weak = s.edgeTypes.weak;
  const shortcut = s.edgeTypes.shortcut;
  const internal = s.edgeTypes.internal;
  const rootOrdinal = s.rootOrdinal;
  const weakMaps = s.weakMapEdgeNames();

  // Essential edges are found as the search meets them: not weak, not a shortcut (below the
  // root), not a node's edge to itself, not a WeakMap table's edge to an entry's value, and
  // not an edge from what the page does not own into what it owns. Only the nodes that some
  // entry name calls a table can have an edge of the third kind, so the others' edge names
  // are never read.
  const tables = weakMaps.tables();
  // The page-owned flags come from a worker that computes them meanwhile (see
  // buildDominatorIndexes). The search needs them only once it leaves the global objects:
  // whatever it reaches from them, the page owns, and an owned node's edges are not subject
  // to the rule. So the root's edges to the global objects are searched first, and the flags
  // are waited for after them; until then `owned` is undefined.
  let owned: Uint8Array | undefined;
  /** Flags of node `o` for its edges' rules: 1 when it may be a WeakMap table, 2 when the page does not own it (once the flags are known). */
  const rulesOf = (o: number): number =>
    ((tables[o >>> 3]! >>> (o & 7)) & 1) | (owned !== undefined && (owned[o >>> 3]! & (1 << (o & 7))) === 0 ? 2 : 0);
  /** The target of edge `e` of node `o` (not the root) when the edge is essential, else -1. */
  const essentialTarget = (o: number, e: number, rules: number): number => {
    const word = edgeWord[e]!;
    const t = word >>> typeShift;
    const to = word & toMask;
    if (t === weak || t === shortcut || to === o) return -1;
    if (rules !== 0) {
      if ((rules & 1) !== 0 && t === internal && weakMaps.isEntryOfTable(nameAt(names, e), o)) return -1;
      if ((rules & 2) !== 0 && (owned![to >>> 3]! & (1 << (to & 7))) !== 0) return -1;
    }
    return to;
  };

  // Vertices are ordinal + 1, and 0 means "none". `pre` gives each vertex its depth-first
  // number (0 until reached); the other arrays are indexed by that number, 1..n. The search
  // keeps three of them: `pre`, each number's parent, and the predecessor counts. Every
  // essential edge that is not a tree edge goes into the predecessor lists, forward edges
  // too (they are few), so the search needs no array of semidominator candidates: a
  // candidate starts as the parent. Once the lists are filled, `pre` is spent and takes the
  // evaluation labels. A vertex is in the evaluation forest once its semidominator is known,
  // that is when its number is above the one being computed, so the forest's links are the
  // parent words themselves, which path compression shortens. A second search down the tree
  // edges then meets the vertices in the same order: it gives back the parents, and the
  // vertex of each number. So memory peaks at three arrays of 4 bytes per node beside the
  // lists (five on large heaps, where the first search records what the second would find:
  // see RECORDED_ORDER_MIN_NODES).
  const size = n + 1;
  // (`pre` may take the buffer of the ids as parsed, when they are kept as runs: see the model.)
  const pre = new Uint32Array(s.scratch(4 * size, 4 * size), 0, size); // then the labels, then jump pointers, then preorder positions, then 32-bit retained sizes
  const parent = new Uint32Array(size); // the parent's number; the forest's links; then the immediate dominator's number; then the preorder
  const predFirst = new Uint32Array(size + 1); // predecessor counts, list starts, then semidominators, then depths, then subtree sizes, then the dominators by ordinal
  // The search classifies each essential edge once, in two bit sets: `classified` keeps
  // the edges of the predecessor lists, `tree` the tree edges (for the second search, which
  // follows them alone). With the second search's bit per vertex, they share one buffer,
  // which the class names and the census can use once the build is done.
  const edgeBytes = (s.edgeCount + 7) >>> 3;
  const bits = new ArrayBuffer(2 * edgeBytes + ((size + 7) >>> 3));
  const classified = new Uint8Array(bits, 0, edgeBytes);
  const tree = new Uint8Array(bits, edgeBytes, edgeBytes);
  // The search's path: vertex, its number, its next edge and its rules, four words per level.
  let path = new Uint32Array(4 * 1024);
  let count = 0;
  // On large heaps the search also records the vertex of each number, and the parents are
  // saved before the evaluation overwrites them: the second search is then not needed.
  const order = recordOrder ? new Uint32Array(size) : undefined;

  // Depth-first search from `start`, whose parent is numbered `parentNumber`. The edges to
  // vertices met before are counted per target and marked in `classified`.
  const dfs = (start: number, parentNumber: number): void => {
    let v = start;
    let pv = (pre[v] = ++count);
    parent[pv] = parentNumber;
    if (order !== undefined) order[pv] = v;
    let e = firstEdge[v - 1]!;
    let end = firstEdge[v]!;
    let rules = rulesOf(v - 1);
    let depth = 0;
    search: for (;;) {
      for (; e < end; e++) {
        const to = essentialTarget(v - 1, e, rules);
        if (to < 0) continue;
        const w = to + 1;
        const pw = pre[w]!;
        if (pw === 0) {
          // Tree edge: v waits on the path.
          tree[e >>> 3]! |= 1 << (e & 7);
          if (4 * depth + 4 > path.length) path = doubled(path);
          path[4 * depth] = v;
          path[4 * depth + 1] = pv;
          path[4 * depth + 2] = e + 1;
          path[4 * depth + 3] = rules;
          depth++;
          const nw = (pre[w] = ++count);
          parent[nw] = pv;
          if (order !== undefined) order[nw] = w;
          v = w;
          pv = nw;
          e = firstEdge[w - 1]!;
          end = firstEdge[w]!;
          rules = rulesOf(w - 1);
          continue search;
        }
        // Forward, back or cross edge: evaluated when w's semidominator is computed.
        classified[e >>> 3]! |= 1 << (e & 7);
        predFirst[pw]!++;
      }
      if (depth === 0) return;
      depth--;
      v = path[4 * depth]!;
      pv = path[4 * depth + 1]!;
      e = path[4 * depth + 2]!;
      rules = path[4 * depth + 3]!;
      end = firstEdge[v]!;
    }
  };

  // The root's edges: the global objects (and the document's DOM trees) first, then the
  // others. Every non-weak edge of the root is essential (nothing in the snapshot names the
  // root as a WeakMap table).
  const r = rootOrdinal + 1;
  pre[r] = ++count;
  if (order !== undefined) order[1] = r;
  const rootEdges = rootEdgeOrder(s);
  const fromRoot = (k: number): void => {
    const e = rootEdges.edges[k]!;
    const word = edgeWord[e]!;
    const to = word & toMask;
    if (word >>> typeShift === weak || to === rootOrdinal) return;
    const pw = pre[to + 1]!;
    if (pw === 0) {
      tree[e >>> 3]! |= 1 << (e & 7);
      dfs(to + 1, 1);
    } else {
      classified[e >>> 3]! |= 1 << (e & 7);
      predFirst[pw]!++;
    }
  };
  for (let k = 0; k < rootEdges.ownedEnd; k++) fromRoot(k);
  owned = s.pageOwned();
  for (let k = rootEdges.ownedEnd; k < rootEdges.edges.length; k++) fromRoot(k);

  let retainedBit: Uint8Array | undefined;
  if (count < n) {
    // Nodes held only through weak edges (no essential retainer): traverse from each as if
    // from the root, which makes the root their semidominator. The search followed every
    // essential edge of the nodes it reached, so the essential retainers of the others are
    // among the others.
    retainedBit = new Uint8Array((n + 7) >>> 3);
    for (let v = 1; v <= n; v++) {
      if (pre[v] !== 0) continue;
      const o = v - 1;
      const rules = rulesOf(o);
      const end = firstEdge[v]!;
      for (let e = firstEdge[o]!; e < end; e++) {
        const to = essentialTarget(o, e, rules);
        if (to >= 0) retainedBit[to >>> 3]! |= 1 << (to & 7);
      }
    }
    for (let v = 1; v <= n; v++) {
      if (pre[v] !== 0) continue;
      const o = v - 1;
      if ((retainedBit[o >>> 3]! & (1 << (o & 7))) === 0) dfs(v, 1);
    }
  }
  const searched = count;
  // The shallow sizes are needed only for the sums at the end, but a worker computing them
  // holds a heap of its own: joined now, it is gone before the predecessor lists, the
  // build's largest array, take their memory.
  const sizes = shallowSizes();
  if (count < n) {
    // Whatever is left (cliques that retain each other) hangs off the root one by one. Their
    // edges were never searched, so they take no part in anyone's semidominator.
    for (let v = 1; v <= n; v++) {
      if (pre[v] !== 0) continue;
      pre[v] = ++count;
      parent[count] = 1;
      if (order !== undefined) order[count] = v;
    }
  }
  const treeParent = order !== undefined ? parent.slice() : undefined;

  // Fill the predecessor lists (source numbers): inclusive prefix sums, then a decrementing
  // fill leaves predFirst[i] at the start of the list of number i, and predFirst[i + 1] at
  // its end.
  for (let i = 1; i <= n; i++) predFirst[i]! += predFirst[i - 1]!;
  const listed = predFirst[n]!;
  predFirst[n + 1] = listed;
  // The lists' source numbers (at most n) in three bytes each below 2^24 nodes.
  const predBuffer = new ArrayBuffer(PackedUints.bytes(listed, n));
  const { get: predAt, set: setPred } = new PackedUints(predBuffer, 0, listed, n);
  for (let o = 0; o < n; o++) {
    const po = pre[o + 1]!;
    if (po > searched) continue; // never searched: its edges were not classified
    const end = firstEdge[o + 1]!;
    for (let e = firstEdge[o]!; e < end; e++) {
      if ((classified[e >>> 3]! & (1 << (e & 7))) === 0) continue;
      setPred(--predFirst[pre[(edgeWord[e]! & toMask) + 1]!]!, po);
    }
  }

  // Semidominators, in reverse depth-first order. A forward edge's source is numbered below
  // its target and is itself a candidate. A back or cross edge's source is numbered above:
  // it is in the forest, and its candidate is the least label on its path there, which path
  // compression (with a small growable stack) leaves on it. Labels are semidominator
  // numbers, so they compare directly.
  const label = pre;
  let stack = new Uint32Array(1024);
  for (let i = searched; i >= 2; i--) {
    let sw = parent[i]!;
    const kEnd = predFirst[i + 1]!;
    // (No semidominator is below the root's number, 1: once there, the rest of the list
    // cannot lower it, and skipping their evaluation only skips some path compression.)
    for (let k = predFirst[i]!; k < kEnd && sw > 1; k++) {
      const v = predAt(k);
      if (v < i) {
        if (v < sw) sw = v;
        continue;
      }
      let a = parent[v]!;
      if (a > i) {
        let sp = 0;
        let u = v;
        do {
          if (sp + 1 >= stack.length) stack = doubled(stack);
          stack[++sp] = u;
          u = a;
          a = parent[u]!;
        } while (a > i);
        while (sp > 0) {
          const x = stack[sp--]!;
          const ax = parent[x]!;
          if (label[ax]! < label[x]!) label[x] = label[ax]!;
          parent[x] = parent[ax]!;
        }
      }
      const lv = label[v]!;
      if (lv < sw) sw = lv;
    }
    label[i] = sw;
    predFirst[i + 1] = sw; // the end of this list is no longer needed: keep the semidominator
  }

  // A second search down the tree edges, in the same order, meets the vertices in the same
  // order: it writes the vertex of each number (into the lists' buffer when it is large
  // enough) and its parent's number again (path compression overwrote the parents). A bit
  // per vertex marks the ones met, for the starts after the root's search.
  // (Unless the first search recorded the vertices and the parents were saved.)
  const secondSearch = (): Uint32Array => {
    const vertex = predBuffer.byteLength >= 4 * size ? new Uint32Array(predBuffer, 0, size) : new Uint32Array(size);
    vertex[0] = 0;
    const met = new Uint8Array(bits, 2 * edgeBytes, (size + 7) >>> 3);
    let k = 0;
    const renumber = (start: number, parentNumber: number): void => {
      met[start >>> 3]! |= 1 << (start & 7);
      vertex[++k] = start;
      parent[k] = parentNumber;
      let v = start;
      let pv = k;
      let e = firstEdge[v - 1]!;
      let end = firstEdge[v]!;
      let depth = 0;
      search: for (;;) {
        for (; e < end; e++) {
          if ((tree[e >>> 3]! & (1 << (e & 7))) === 0) continue;
          // A tree edge: its target is met here for the first time, as in the first search.
          const w = (edgeWord[e]! & toMask) + 1;
          // (A guard: were the edges marked wrongly, the search could go round a cycle forever.)
          if (k === n) throw new Error('dominators: the second search met more vertices than the first');
          met[w >>> 3]! |= 1 << (w & 7);
          vertex[++k] = w;
          parent[k] = pv;
          if (3 * depth + 3 > path.length) path = doubled(path);
          path[3 * depth] = v;
          path[3 * depth + 1] = pv;
          path[3 * depth + 2] = e + 1;
          depth++;
          v = w;
          pv = k;
          e = firstEdge[w - 1]!;
          end = firstEdge[w]!;
          continue search;
        }
        if (depth === 0) return;
        depth--;
        v = path[3 * depth]!;
        pv = path[3 * depth + 1]!;
        e = path[3 * depth + 2]!;
        end = firstEdge[v]!;
      }
    };
    met[r >>> 3]! |= 1 << (r & 7);
    vertex[++k] = r;
    for (const e of rootEdges.edges) if ((tree[e >>> 3]! & (1 << (e & 7))) !== 0) renumber((edgeWord[e]! & toMask) + 1, 1);
    if (retainedBit !== undefined) {
      for (let v = 1; v <= n; v++) {
        if (met[v >>> 3]! & (1 << (v & 7))) continue;
        const o = v - 1;
        if ((retainedBit[o >>> 3]! & (1 << (o & 7))) === 0) renumber(v, 1);
      }
      for (let v = 1; v <= n; v++) {
        if ((met[v >>> 3]! & (1 << (v & 7))) !== 0) continue;
        vertex[++k] = v;
        parent[k] = 1;
      }
    }
    if (k !== n) throw new Error(`dominators: the second search met ${k} vertices of ${n}`);
    return vertex;
  };
  const vertex = order ?? secondSearch();
  /** Each number's parent's number (then its immediate dominator's). */
  const up = treeParent ?? parent;

  // Immediate dominators, in depth-first order: the nearest ancestor of the parent, in the
  // dominator tree built so far, whose number is at most the semidominator. Numbers only
  // fall going up, so the search follows skew-binary jump pointers (Myers): O(log depth)
  // per vertex even down long chains, where a step-by-step walk would be quadratic. The
  // labels give way to the jump pointers, each semidominator (at predFirst[i + 1]) to the
  // depth once read, and the parents to the dominators.
  const jump = label;
  up[1] = 1;
  jump[1] = 1;
  predFirst[2] = 0;
  for (let i = 2; i <= searched; i++) {
    const sw = predFirst[i + 1]!;
    let d = up[i]!;
    while (d > sw) {
      const j = jump[d]!;
      d = j > sw ? j : up[d]!;
    }
    up[i] = d;
    const dd = predFirst[d + 1]!;
    predFirst[i + 1] = dd + 1;
    const jd = jump[d]!;
    const djd = predFirst[jd + 1]!;
    const jjd = jump[jd]!;
    jump[i] = dd - djd === djd - predFirst[jjd + 1]! ? jjd : d;
  }

  // A preorder of the dominator tree, for walks of it that need no child lists (the census's
  // class retained sizes). Numbers are a preorder of the search tree, where every vertex
  // comes after its dominator, so sizes of the subtrees add up in reverse order (in the
  // spent depths) and positions are handed out in order: each vertex takes the next free
  // position under its dominator, which then moves past the vertex's subtree. The spent
  // jump pointers take the positions; a vertex's size gives way to its next free position.
  const subtree = predFirst;
  subtree.fill(1, 1, size);
  for (let i = n; i > 1; i--) subtree[up[i]!]! += subtree[i]!;
  const position = jump;
  position[1] = 0;
  subtree[1] = 1;
  for (let i = 2; i <= n; i++) {
    const d = up[i]!;
    const p = subtree[d]!;
    position[i] = p;
    subtree[d] = p + subtree[i]!;
    subtree[i] = p + 1;
  }

  // Back to ordinals: the dominators take the place of the positions to hand out, and the
  // preorder that of the dominators by number.
  const dominators = predFirst.subarray(0, n);
  for (let i = 1; i <= n; i++) dominators[vertex[i]! - 1] = vertex[up[i]!]! - 1;
  const preorder = up.subarray(0, n);
  for (let i = 1; i <= n; i++) preorder[position[i]!] = vertex[i]! - 1;
  // Retained sizes are sums of shallow sizes, at most their total: when that fits in 32 bits,
  // so does every sum, and the spent positions take them instead of a new array of
  // doubles. Children are added to their dominator before it is, in reverse depth-first order.
  // (Sizes are moved, never copied: the shallow sizes add up to the self sizes' total.)
  const retained = s.totalSize() <= 0xffffffff ? position.subarray(0, n) : new Float64Array(n);
  expandSizes(sizes, retained);
  for (let i = n; i > 1; i--) {
    const v = vertex[i]! - 1;
    retained[dominators[v]!]! += retained[v]!;
  }
  const spent: ArrayBuffer[] = [predBuffer, bits];
  if (vertex.buffer !== predBuffer) spent.push(vertex.buffer as ArrayBuffer);
  if (treeParent !== undefined) spent.push(parent.buffer);
  if (retained instanceof Float64Array) spent.push(jump.buffer);
  return { dominators, retained, preorder, spent };
}

/**
 * Children lists of the dominator tree: node `v` dominates the nodes
 * `child(k)` for `k` from `start(v)` to `start(v + 1) - 1`, in ordinal order.
 * Entries take three bytes each below 2^24 nodes (see ./packed-uints.ts).
 */
export class DominatedIndex {
  /** Where the children of node `v` start; they end where those of `v + 1` start. */
  readonly start: (v: number) => number;
  /** Entry `k` of the lists: a node ordinal. */
  readonly child: (k: number) => number;

  constructor(first: PackedUints, nodes: PackedUints) {
    this.start = first.get;
    this.child = nodes.get;
  }

  /** The nodes that `v` dominates immediately, in ordinal order. */
  children(v: number): number[] {
    const out: number[] = [];
    for (let k = this.start(v), end = this.start(v + 1); k < end; k++) out.push(this.child(k));
    return out;
  }
}

export function buildDominated(s: HeapSnapshot, dominators: Uint32Array): DominatedIndex {
  const n = s.nodeCount;
  const root = s.rootOrdinal;
  // Both arrays are kept, in one buffer: one the dominator build is done with (its
  // predecessor lists, about two entries per node) when it is at most a quarter larger.
  const total = Math.max(0, n - 1);
  const nodesOffset = (PackedUints.bytes(n + 1, total) + 3) & ~3;
  const bytes = nodesOffset + PackedUints.bytes(total, total);
  const buffer = s.scratch(bytes, bytes + (bytes >>> 2), 0);
  const first = new PackedUints(buffer, 0, n + 1, total);
  const nodes = new PackedUints(buffer, nodesOffset, total, total);
  // The list starts are worked out in 32 bits first (in another spent buffer when there is
  // one): counts, inclusive prefix sums (each entry the end of its list), then a
  // decrementing fill in reverse, which leaves each entry at the start of its list, in
  // ordinal order.
  const starts = new Uint32Array(s.scratch(4 * (n + 1), 4 * (n + 2)), 0, n + 1);
  for (let v = 0; v < n; v++) if (v !== root) starts[dominators[v]!]!++;
  for (let i = 1; i < n; i++) starts[i]! += starts[i - 1]!;
  starts[n] = total;
  for (let v = n - 1; v >= 0; v--) if (v !== root) nodes.set(--starts[dominators[v]!]!, v);
  for (let i = 0; i <= n; i++) first.set(i, starts[i]!);
  s.lendScratch([starts.buffer as ArrayBuffer]);
  return new DominatedIndex(first, nodes);
}

/**
 * Sorted node ids with the matching ordinals, for id → ordinal lookups by
 * binary search (a radix sort: ids are 32-bit).
 */
export function buildIdIndex(s: HeapSnapshot): { ids: Uint32Array; ordinals: Uint32Array } {
  const n = s.nodeCount;
  const ids = s.ids.toArray();
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (ids[i]! <= ids[i - 1]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) {
    const ordinals = new Uint32Array(n);
    for (let i = 0; i < n; i++) ordinals[i] = i;
    return { ids, ordinals };
  }
  // (Ids kept as runs were made into a new array above, which the sort may take over.)
  let keys: Uint32Array = s.ids.compact ? ids : Uint32Array.from(ids);
  let vals = new Uint32Array(n);
  for (let i = 0; i < n; i++) vals[i] = i;
  let keys2: Uint32Array = new Uint32Array(n);
  let vals2 = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((keys[i]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 0; b < 65536; b++) counts[b + 1]! += counts[b]!;
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const slot = counts[(k >>> shift) & 0xffff]!++;
      keys2[slot] = k;
      vals2[slot] = vals[i]!;
    }
    [keys, keys2] = [keys2, keys];
    [vals, vals2] = [vals2, vals];
  }
  return { ids: keys, ordinals: vals };
}

/**
 * The embedder (DOM) objects that are detached, as DevTools propagates V8's
 * marks: the embedder marks entry points (1 attached, 2 detached); the state
 * then flows to native nodes reached through non-hidden, non-weak edges,
 * attached first, and a detached state never overrides an attached one.
 * Their ordinals, ascending; undefined when none is.
 */
export function buildDetachedNodes(s: HeapSnapshot): Uint32Array | undefined {
  const marks = s.detachedMarks;
  // Only nodes V8 marks detached start a detached region: without any, no node is detached.
  if (!marks?.some((m) => (m & 3) === 2)) return undefined;
  // Each node takes the state of the first visit (attached ones all come first), a bit each.
  const visited = new Uint8Array((s.nodeCount + 7) >>> 3);
  const { nodeType, edgeWord, firstEdge } = s;
  const toMask = EDGE_TO_MASK;
  const typeShift = EDGE_TYPE_SHIFT;
  const native = s.types.native;
  const hidden = s.edgeTypes.hidden;
  const weak = s.edgeTypes.weak;
  const attached: number[] = [];
  const detached: number[] = [];
  const out: number[] = [];
  const visit = (v: number, st: number): void => {
    if (visited[v >>> 3]! & (1 << (v & 7))) return;
    visited[v >>> 3]! |= 1 << (v & 7);
    if (nodeType[v] !== native) return;
    if (st === 1) attached.push(v);
    else {
      detached.push(v);
      out.push(v);
    }
  };
  for (const mark of [1, 2]) {
    for (let k = 0; k < marks.length; k++) if ((marks[k]! & 3) === mark) visit(marks[k]! >>> 2, mark);
  }
  const spread = (v: number, st: number): void => {
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
      const word = edgeWord[e]!;
      const t = word >>> typeShift;
      if (t === hidden || t === weak) continue;
      visit(word & toMask, st);
    }
  };
  while (attached.length) spread(attached.pop()!, 1);
  while (detached.length) spread(detached.pop()!, 2);
  return out.length === 0 ? undefined : Uint32Array.from(out).sort();
}
