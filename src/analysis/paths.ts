/**
 * Reference chains: objgraph's `find_ref_chain` / `find_backref_chain` and
 * "why is this alive?".
 *
 * One breadth-first engine serves both directions; the direction is only a
 * choice of adjacency (outgoing edges, or the retainers index). The engine
 * works on typed arrays indexed by node ordinal (one parent-edge slot per
 * node) and stops at the first match, so a chain near the start costs little
 * even in a heap of tens of millions of nodes. Weak edges are never followed.
 *
 * Unless `internals` is asked for, chains do not pass through V8 machinery a
 * programmer cannot name (hidden classes, code, feedback vectors): those link
 * almost everything to almost everything and make chains meaningless.
 */
import { EDGE_TO_MASK, EDGE_TYPE_SHIFT } from '../snapshot/edge-word.js';
import type { HeapSnapshot } from '../snapshot/model.js';
import { sizeAt, type NodeSizes } from '../snapshot/ownership.js';
import { HeapEdge, HeapNode } from '../snapshot/views.js';
import {
  isBackingStore,
  isContext,
  isNoise,
  isRootOrdinal,
  keyText,
  rawEdgeLabel,
  snapshotFacts,
  tableOwnerOf,
  collectionKind,
  decodeTable,
  logicalPath,
  type LogicalKind,
} from './edges.js';

export type ChainDirection = 'refs' | 'backrefs';

/** A test on a node view (objgraph's `predicate`). */
export type NodePredicate = (node: HeapNode) => boolean;

export interface ChainOptions {
  /** Longest chain searched, in edges. Default 20. */
  maxDepth?: number;
  /** Nodes never passed through: ids or node views (objgraph's `extra_ignore`). */
  extraIgnore?: Iterable<number | HeapNode>;
  /** Also pass through hidden classes, code and feedback (V8 machinery). Default false. */
  internals?: boolean;
  /** @internal Ordinals never passed through (the live face's own objects). */
  excludeOrdinal?: (ordinal: number) => boolean;
}

/** One step of a chain, as a programmer reads it (internals collapsed). */
export interface ChainStep {
  from: HeapNode;
  to: HeapNode;
  /** `sessionCache`, `0`, `get("user-42")`, `leakedBuffer`, … */
  label: string | null;
  kind: LogicalKind;
  /** The step as a path fragment: `.sessionCache`, `[0]`, `.get("user-42")`, `(closure variable) v`. */
  path: string;
}

/** A chain that was found. `edges[i]` goes from `nodes[i]` to `nodes[i + 1]`. */
export interface ChainFound {
  found: true;
  direction: ChainDirection;
  /**
   * The chain in reference order: for `refs` the start first and the match
   * last; for `backrefs` the match (a root) first and the start last, as
   * objgraph returns them.
   */
  nodes: HeapNode[];
  edges: HeapEdge[];
  /** The chain with V8 internals collapsed (Contexts, tables, backing stores), for people. */
  steps: ChainStep[];
}

/** No chain: said explicitly (objgraph returned the ambiguous `[obj]`). */
export interface ChainNotFound {
  found: false;
  direction: ChainDirection;
  start: HeapNode;
  /** `'max depth'` when the search was cut by `maxDepth` with nodes left to visit. */
  reason: 'no match' | 'max depth';
  maxDepth: number;
  /** Nodes visited by the search. */
  visited: number;
}

export type Chain = ChainFound | ChainNotFound;

/** An edge function as arrays: for node v, slots `first[v] .. first[v+1]` give the edge (or `slot` itself) and the other node. */
interface Adjacency {
  first: Uint32Array;
  edges: Uint32Array | null;
  /** The node at the other end of each entry, in the low bits (`& toMask`): edge words for refs. */
  nodes: Uint32Array;
}

function adjacency(snap: HeapSnapshot, direction: ChainDirection): Adjacency {
  if (direction === 'refs') return { first: snap.firstEdge, edges: null, nodes: snap.edgeWord };
  const r = snap.retainers();
  return { first: r.first, edges: r.edges, nodes: r.nodes };
}

const START = 0xffffffff;

interface SearchResult {
  /** Ordinal of the match, or -1. */
  match: number;
  /** parentEdge[v] = raw edge index + 1 through which v was reached; START for the start and ignored nodes; 0 unvisited. */
  parentEdge: Uint32Array;
  visited: number;
  cut: boolean;
}

/**
 * The engine: breadth-first from `start` along `direction`, never through weak
 * edges, stopping at the first node for which `isMatch` holds (the start
 * itself is not tested). `canPass` decides whether a reached node may be
 * expanded further.
 */
function search(
  snap: HeapSnapshot,
  start: number,
  direction: ChainDirection,
  isMatch: (ordinal: number) => boolean,
  canPass: (ordinal: number) => boolean,
  maxDepth: number,
  ignore: readonly number[],
): SearchResult {
  const adj = adjacency(snap, direction);
  const { first, edges, nodes } = adj;
  const edgeWord = snap.edgeWord;
  const weak = snap.edgeTypes.weak;
  const toMask = EDGE_TO_MASK;
  const typeShift = EDGE_TYPE_SHIFT;
  const parentEdge = new Uint32Array(snap.nodeCount);
  for (const o of ignore) parentEdge[o] = START;
  parentEdge[start] = START;
  // The queue grows on demand: early exits should not pay for a heap-sized array.
  let queue = new Uint32Array(1024);
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  let visited = 1;
  let depth = 0;
  let levelEnd = tail;
  let cut = false;
  while (head < tail) {
    if (head === levelEnd) {
      depth++;
      levelEnd = tail;
    }
    if (depth >= maxDepth) {
      cut = true;
      break;
    }
    const v = queue[head++]!;
    const end = first[v + 1]!;
    for (let k = first[v]!; k < end; k++) {
      const e = edges === null ? k : edges[k]!;
      if (edgeWord[e]! >>> typeShift === weak) continue;
      const w = nodes[k]! & toMask;
      if (parentEdge[w] !== 0) continue;
      parentEdge[w] = e + 1;
      visited++;
      if (isMatch(w)) return { match: w, parentEdge, visited, cut: false };
      if (!canPass(w)) continue;
      if (tail === queue.length) {
        const bigger = new Uint32Array(Math.min(snap.nodeCount + 1, queue.length * 4));
        bigger.set(queue);
        queue = bigger;
      }
      queue[tail++] = w;
    }
  }
  return { match: -1, parentEdge, visited, cut };
}

function ignoredOrdinals(snap: HeapSnapshot, extraIgnore: Iterable<number | HeapNode> | undefined): number[] {
  const out: number[] = [];
  if (!extraIgnore) return out;
  for (const x of extraIgnore) {
    const o = typeof x === 'number' ? snap.ordinalOf(x) : x.snapshot === snap ? x.ordinal : snap.ordinalOf(x.id);
    if (o >= 0) out.push(o);
  }
  return out;
}

function checkStart(snap: HeapSnapshot, start: HeapNode): number {
  if (!(start instanceof HeapNode)) throw new TypeError('objgraph: a chain starts at a node view (HeapNode)');
  if (start.snapshot !== snap) throw new Error('objgraph: the start node belongs to another snapshot');
  return start.ordinal;
}

function chainSearch(
  snap: HeapSnapshot,
  start: HeapNode,
  direction: ChainDirection,
  isMatch: (ordinal: number) => boolean,
  options: ChainOptions,
): Chain {
  const s = checkStart(snap, start);
  const maxDepth = options.maxDepth ?? 20;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new RangeError(`maxDepth must be a non-negative integer, got ${maxDepth}`);
  const internals = options.internals === true;
  const exclude = options.excludeOrdinal;
  const canPass = (o: number): boolean => (internals || !isNoise(snap, o)) && !(exclude !== undefined && exclude(o));
  const match = exclude === undefined ? isMatch : (o: number): boolean => !exclude(o) && isMatch(o);
  const r = search(snap, s, direction, match, canPass, maxDepth, ignoredOrdinals(snap, options.extraIgnore));
  if (r.match < 0) {
    return { found: false, direction, start, reason: r.cut ? 'max depth' : 'no match', maxDepth, visited: r.visited };
  }
  // Walk the parent edges back to the start.
  const ordinals: number[] = [r.match];
  const edgeIdx: number[] = [];
  let v = r.match;
  while (v !== s) {
    const e = r.parentEdge[v]! - 1;
    edgeIdx.push(e);
    v = direction === 'refs' ? snap.edgeFrom(e) : snap.edgeTarget(e);
    ordinals.push(v);
  }
  // refs: walked match → start, reverse to start → match. backrefs: walked match(root) → start, already in reference order.
  if (direction === 'refs') {
    ordinals.reverse();
    edgeIdx.reverse();
  }
  return chainFrom(snap, direction, ordinals, edgeIdx);
}

function chainFrom(snap: HeapSnapshot, direction: ChainDirection, ordinals: number[], edgeIdx: number[]): ChainFound {
  const nodes = ordinals.map((o) => new HeapNode(snap, o));
  const edges = edgeIdx.map((e, i) => new HeapEdge(snap, e, ordinals[i]!));
  return { found: true, direction, nodes, edges, steps: collapseChain(snap, ordinals, edgeIdx) };
}

/**
 * objgraph's `find_ref_chain`: the shortest chain of references from `start`
 * to a node matching `predicate`, as `[start, …, match]`.
 *
 * @example
 * const chain = findRefChain(snap, snap.byType('Cache')[0], (n) => n.className === 'Session');
 * if (chain.found) console.log(chain.steps.map((s) => s.path).join(''));
 */
export function findRefChain(snap: HeapSnapshot, start: HeapNode, predicate: NodePredicate, options: ChainOptions = {}): Chain {
  if (typeof predicate !== 'function') throw new TypeError('findRefChain: predicate must be a function of a node view');
  return chainSearch(snap, start, 'refs', (o) => predicate(new HeapNode(snap, o)), options);
}

/**
 * objgraph's `find_backref_chain`: the shortest chain of retainers from a node
 * matching `predicate` (by default a root: see {@link isRoot}) down to
 * `start`, as `[root, …, start]`.
 *
 * @example
 * const chain = findBackrefChain(snap, leaked);
 * // chain.steps: (GC roots) → … → Map .get("user-42") → Session
 */
export function findBackrefChain(snap: HeapSnapshot, start: HeapNode, predicate?: NodePredicate, options: ChainOptions = {}): Chain {
  const isMatch =
    predicate === undefined || predicate === isRoot
      ? (o: number): boolean => isRootOrdinal(snap, o)
      : (o: number): boolean => predicate(new HeapNode(snap, o));
  return chainSearch(snap, start, 'backrefs', isMatch, options);
}

/**
 * Where retainer chains stop, objgraph's `is_proper_module` for heaps: the
 * synthetic root and the synthetic GC root groups under it, the global
 * objects, and module records.
 */
export function isRoot(node: HeapNode): boolean {
  return isRootOrdinal(node.snapshot, node.ordinal);
}

/** Whether `node` is a place `showBackrefs` stops at and paints green: a global object or a module record. */
export { isModuleRecord, isGlobalObject } from './edges.js';

// ---- Collapsing a chain for people ------------------------------------------

/**
 * Turns a raw chain into steps a programmer reads: `closure -[context]->
 * Context -leakedBuffer-> v` becomes `closure -leakedBuffer-> v`, `map
 * -table-> (array) -6-> v` becomes `map -get("key")-> v`, and `obj
 * -elements-> store -3-> v` becomes `obj -[3]-> v`.
 */
export function collapseChain(snap: HeapSnapshot, ordinals: readonly number[], edgeIdx: readonly number[]): ChainStep[] {
  const f = snapshotFacts(snap);
  const ET = snap.edgeTypes;
  const steps: ChainStep[] = [];
  let i = 0;
  while (i < edgeIdx.length) {
    const from = ordinals[i]!;
    const e = edgeIdx[i]!;
    const mid = ordinals[i + 1]!;
    const next = i + 1 < edgeIdx.length ? edgeIdx[i + 1]! : -1;
    const t = snap.edgeTypeOf(e);
    if (next >= 0 && t === ET.internal) {
      const to = ordinals[i + 2]!;
      const name = snap.edgeNameAt(e);
      if (name === f.nContext && isContext(snap, mid) && snap.edgeTypeOf(next) === ET.context) {
        steps.push(step(snap, from, to, rawEdgeLabel(snap, next), 'context'));
        i += 2;
        continue;
      }
      if (name === f.nTable && tableOwnerOf(snap, mid) === from) {
        const kind = collectionKind(snap, from)!;
        const entry = decodeTable(snap, kind, mid).find((en) => en.valueEdge === next || en.keyEdge === next);
        if (entry) {
          const isValue = entry.valueEdge === next;
          const label =
            kind === 'Set' || kind === 'WeakSet' ? 'has' : isValue ? (entry.key >= 0 ? `get(${keyText(snap, entry.key)})` : 'get(?)') : 'key';
          steps.push(step(snap, from, to, label, 'entry'));
          i += 2;
          continue;
        }
      }
      if ((name === f.nElements || name === f.nProperties) && isBackingStore(snap, mid)) {
        const label = rawEdgeLabel(snap, next);
        steps.push(step(snap, from, to, label, /^\d+$/.test(label) ? 'element' : 'property'));
        i += 2;
        continue;
      }
    }
    if (t === ET.internal && tableOwnerOf(snap, from) < 0 && snap.weakMapEdgeNames().isEntry(snap.edgeNameAt(e))) {
      // V8's edge from a WeakMap key to its value (named after the whole entry): the value
      // lives as long as the key does, as the reference graphs label it.
      steps.push(step(snap, from, mid, 'as WeakMap key', 'entry'));
      i += 1;
      continue;
    }
    const kindName = snap.edgeTypeName(e);
    const kind: LogicalKind = (['property', 'element', 'context', 'internal', 'hidden', 'shortcut', 'weak'] as const).find((k) => k === kindName) ?? 'internal';
    steps.push(step(snap, from, mid, rawEdgeLabel(snap, e), kind));
    i += 1;
  }
  return steps;
}

function step(snap: HeapSnapshot, from: number, to: number, label: string | null, kind: LogicalKind): ChainStep {
  return { from: new HeapNode(snap, from), to: new HeapNode(snap, to), label, kind, path: logicalPath({ label, kind }) };
}

// ---- Why is this alive? -------------------------------------------------------

/** One object on the way from a root, with what it costs. */
export interface AliveStep {
  node: HeapNode;
  /** How the previous node refers to this one (null for the first). */
  via: ChainStep | null;
  selfSize: number;
  retainedSize: number | null;
}

/** One dominator of the object: releasing it frees the object. */
export interface DominatorStep {
  node: HeapNode;
  retainedSize: number;
  /**
   * Whether it is the object to blame: one a programmer can name, and not a
   * root (a synthetic root, a global object or a module record, which hold
   * everything they reach).
   */
  userVisible: boolean;
}

export interface WhyAlive {
  node: HeapNode;
  selfSize: number;
  retainedSize: number | null;
  /** The shortest retainer chain from a root, or a not-found result. */
  chain: Chain;
  /** The chain's objects from the root down to `node`, with sizes. */
  path: AliveStep[];
  /**
   * The dominator chain from `node`'s immediate dominator up to (not
   * including) the synthetic root: every path from a root to `node` passes
   * through each of them, so releasing any one frees `node`. Empty when not
   * computed (`dominators: false`).
   */
  dominators: DominatorStep[];
  /** The closest dominator a programmer can name: release it and `node` goes. */
  culprit: HeapNode | null;
}

export interface WhyAliveOptions extends ChainOptions {
  /** Compute dominators and retained sizes (builds the dominator tree once per snapshot). Default true. */
  dominators?: boolean;
  /** Most dominators listed. Default 50. */
  maxDominators?: number;
}

/**
 * Why is `node` alive? The shortest retainer path from a root (breadth-first
 * over the retainers index, stopping at the first root), the dominator chain
 * (which objects, if released, free it) and the retained size at each step.
 *
 * @example
 * const why = whyAlive(snap, snap.byType('Session')[0]);
 * why.chain.found && why.chain.steps.map((s) => s.path).join('');
 * why.culprit; // e.g. the Map that holds it
 */
export function whyAlive(snap: HeapSnapshot, node: HeapNode, options: WhyAliveOptions = {}): WhyAlive {
  checkStart(snap, node);
  let chain = findBackrefChain(snap, node, undefined, { maxDepth: 1000, ...options });
  if (!chain.found && options.internals !== true) {
    // Held only through V8 machinery: say so rather than nothing.
    chain = findBackrefChain(snap, node, undefined, { maxDepth: 1000, ...options, internals: true });
  }
  const withSizes = options.dominators !== false;
  const retained = withSizes ? snap.retainedSizes() : null;
  const shallow = snap.shallowSizes();
  const path: AliveStep[] = [];
  if (chain.found) {
    const steps = chain.steps;
    path.push(aliveStep(steps.length ? steps[0]!.from : node, null, shallow, retained));
    for (const s of steps) path.push(aliveStep(s.to, s, shallow, retained));
  }
  const dominators: DominatorStep[] = [];
  let culprit: HeapNode | null = null;
  if (withSizes) {
    const dom = snap.dominators();
    const max = options.maxDominators ?? 50;
    let v = node.ordinal;
    for (let guard = 0; guard < 100_000; guard++) {
      const d = dom[v]!;
      if (d === v || d === snap.rootOrdinal) break;
      const userVisible = snap.isUserVisible(d) && !isRootOrdinal(snap, d);
      if (culprit === null && userVisible) culprit = new HeapNode(snap, d);
      if (dominators.length < max) dominators.push({ node: new HeapNode(snap, d), retainedSize: retained![d]!, userVisible });
      else if (culprit !== null) break;
      v = d;
    }
  }
  return {
    node,
    selfSize: sizeAt(shallow, node.ordinal),
    retainedSize: retained ? retained[node.ordinal]! : null,
    chain,
    path,
    dominators,
    culprit,
  };
}

function aliveStep(node: HeapNode, via: ChainStep | null, shallow: NodeSizes, retained: Uint32Array | Float64Array | null): AliveStep {
  return { node, via, selfSize: sizeAt(shallow, node.ordinal), retainedSize: retained ? retained[node.ordinal]! : null };
}

/** Chains as given to `showChain`: found chains, raw node lists, or not-found results (skipped). */
export type ChainLike = Chain | readonly HeapNode[] | WhyAlive;

/** The node lists of chains (not-found ones dropped), in reference order. */
export function chainNodes(chain: ChainLike): HeapNode[] {
  if (Array.isArray(chain)) return [...(chain as readonly HeapNode[])];
  const c = chain as Chain | WhyAlive;
  if ('chain' in c) return c.chain.found ? c.chain.nodes : [];
  return c.found ? c.nodes : [];
}
