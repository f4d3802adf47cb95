/**
 * DevTools' shallow sizes as a pure function of the snapshot's arrays, so that
 * it runs on the calling thread or, for large snapshots whose arrays live in
 * shared memory, on a worker while the dominators are computed (see
 * ./shallow-job.ts).
 */
import { fillRanks, rankOf } from './bits.js';
import { EDGE_TO_MASK, EDGE_TYPE_SHIFT } from './edge-word.js';
import { ALWAYS_MAPPED } from './mapped.js';
import { nameAt, type NameArrays } from './names.js';
import { lowerBound } from './search.js';

/** The arrays and constants the ownership pass reads. */
export interface OwnershipInput {
  nodeType: Uint8Array;
  /** Each node's name (see ./names.ts). */
  nodeName: NameArrays;
  /** V8's self sizes (see `HeapSnapshot.nodeSelfSize`). */
  selfSizes: NodeSizes;
  firstEdge: Uint32Array;
  /** Edge targets and types (see `HeapSnapshot.edgeWord`). */
  edgeWord: Uint32Array;
  /** Node type numbers (-1 when the snapshot has no such type). */
  hidden: number;
  array: number;
  native: number;
  synthetic: number;
  /** Edge type number of weak edges. */
  weak: number;
  /** String index of `system / ExternalStringData`, or -1. */
  externalStringData: number;
  rootOrdinal: number;
}

/**
 * The sizes of {@link LARGE_SIZE} bytes and more of a set of node sizes kept
 * in 16 bits: their nodes, ascending, and sizes.
 */
export interface LargeSizes {
  ordinals: Uint32Array;
  sizes: Float64Array;
}

/**
 * A byte size per node in 16 bits; the sizes of {@link LARGE_SIZE} bytes and
 * more (few nodes: long strings, large arrays and their owners) read
 * LARGE_SIZE there and are in `large`.
 */
export interface NodeSizes {
  small: Uint16Array;
  large: LargeSizes;
}

/** What a 16-bit size holds for the sizes kept apart. */
export const LARGE_SIZE = 0xffff;

/** The size of node `i`. */
export function sizeAt(sizes: NodeSizes, i: number): number {
  const v = sizes.small[i]!;
  if (v !== LARGE_SIZE) return v;
  const { ordinals, sizes: large } = sizes.large;
  const k = lowerBound(ordinals, i);
  return ordinals[k] === i ? large[k]! : v;
}

/** Sum of the sizes (the shallow sizes and the retained sizes fit in 32 bits when it is below 4 GiB). */
export function totalSize(sizes: NodeSizes): number {
  const small = sizes.small;
  let total = 0;
  for (let i = 0; i < small.length; i++) total += small[i]!;
  const large = sizes.large.sizes;
  for (let k = 0; k < large.length; k++) total += large[k]! - LARGE_SIZE;
  return total;
}

/** Writes every node's size into `out`. */
export function expandSizes(sizes: NodeSizes, out: Uint32Array | Float64Array): void {
  out.set(sizes.small);
  const { ordinals, sizes: large } = sizes.large;
  for (let k = 0; k < ordinals.length; k++) out[ordinals[k]!] = large[k]!;
}

/** The large sizes of a map (node → size), sorted by node. */
function largeSizesOf(map: Map<number, number>): LargeSizes {
  const ordinals = Uint32Array.from(map.keys()).sort();
  const sizes = new Float64Array(ordinals.length);
  for (let k = 0; k < ordinals.length; k++) sizes[k] = map.get(ordinals[k]!)!;
  return { ordinals, sizes };
}

/**
 * Moves the self size of internal arrays and hidden objects owned by exactly
 * one other object (through non-weak edges) into that owner. `small` holds the
 * 16-bit self sizes on entry (a copy of `input.selfSizes.small`) and the
 * shallow sizes on return, whose sizes kept apart are returned. `tick` is
 * called now and then, to show that the pass is alive.
 */
export function moveOwnedSizes(input: OwnershipInput, small: Uint16Array, tick?: () => void): LargeSizes {
  const { nodeType, nodeName, firstEdge, edgeWord, hidden, array, native, weak, externalStringData } = input;
  const toMask = EDGE_TO_MASK;
  const typeShift = EDGE_TYPE_SHIFT;
  const n = nodeType.length;
  const UNVISITED = 0xffffffff;
  const MULTIPLE = 0xfffffffe;
  // Only these nodes can be owned (about one in eight): a bit per node tells them apart, so
  // the edge scan reads a small array, and only they have an owner word, found by their
  // rank among them: the count before each group of 32 nodes, plus the bits below in the
  // group's word. All in one buffer of at least ALWAYS_MAPPED bytes, which the C allocator
  // gives back to the system when it is freed (see ./mapped.ts); the pass runs on a worker
  // thread while the dominators are computed, when the process is at its largest. (Room is
  // reserved for an owner word per node, but only the pages written take memory.)
  const groups = (n + 31) >>> 5;
  const buffer = new ArrayBuffer(Math.max(4 * (2 * groups + n), ALWAYS_MAPPED));
  const ownable = new Int32Array(buffer, 0, groups);
  const before = new Uint32Array(buffer, 4 * groups, groups);
  for (let i = 0; i < n; i++) {
    const t = nodeType[i];
    if (t === hidden || t === array || (t === native && nameAt(nodeName, i) === externalStringData)) ownable[i >>> 5]! |= 1 << (i & 31);
  }
  const owners = new Uint32Array(buffer, 8 * groups, fillRanks(ownable, before));
  owners.fill(UNVISITED);
  /** The owner word of ownable node `i`. */
  const slot = (i: number): number => rankOf(ownable, before, i);
  // Ownership flows from each owner in turn; the stack only ever holds owned nodes on their
  // way (each is pushed at most twice: when first reached, and when it becomes shared).
  let stack = new Uint32Array(1024);
  for (let root = 0; root < n; root++) {
    if ((ownable[root >>> 5]! & (1 << (root & 31))) !== 0) continue;
    if (tick !== undefined && (root & 0xfffff) === 0) tick();
    let top = 0;
    stack[top++] = root;
    while (top > 0) {
      const id = stack[--top]!;
      const owner = id === root ? root : owners[slot(id)]!;
      const end = firstEdge[id + 1]!;
      for (let e = firstEdge[id]!; e < end; e++) {
        const word = edgeWord[e]!;
        const target = word & toMask;
        if ((ownable[target >>> 5]! & (1 << (target & 31))) === 0 || word >>> typeShift === weak) continue;
        const k = slot(target);
        const current = owners[k]!;
        if (current === UNVISITED) owners[k] = owner;
        else if (current !== owner && current !== MULTIPLE) owners[k] = MULTIPLE;
        else continue;
        if (top === stack.length) {
          const grown = new Uint32Array(stack.length * 2);
          grown.set(stack);
          stack = grown;
        }
        stack[top++] = target;
      }
    }
  }
  const root = input.rootOrdinal;
  const synthetic = input.synthetic;
  // Sizes of 65,535 bytes and more, by node: few, since every one holds that many bytes of the heap.
  const large = new Map<number, number>();
  const { ordinals, sizes } = input.selfSizes.large;
  for (let k = 0; k < ordinals.length; k++) large.set(ordinals[k]!, sizes[k]!);
  for (let i = 0, k = 0; i < n; i++) {
    if ((ownable[i >>> 5]! & (1 << (i & 31))) === 0) continue;
    const owner = owners[k++]!;
    if (owner === UNVISITED || owner === MULTIPLE) continue;
    if (owner === root || nodeType[owner] === synthetic) continue;
    let moved = small[i]!;
    if (moved === 0) continue;
    if (moved === LARGE_SIZE) {
      moved = large.get(i)!;
      large.delete(i);
    }
    small[i] = 0;
    const had = small[owner]!;
    const sum = (had === LARGE_SIZE ? large.get(owner)! : had) + moved;
    if (sum < LARGE_SIZE) small[owner] = sum;
    else {
      small[owner] = LARGE_SIZE;
      large.set(owner, sum);
    }
  }
  return largeSizesOf(large);
}

/**
 * Marks in `flags`, one bit per node (bit `v & 7` of byte `v >>> 3`), the
 * nodes the page owns: those reached from `starts` (the global objects and
 * the document's DOM trees, see `pageOwnedStarts`) through non-weak edges. A
 * pure function of the arrays, like {@link moveOwnedSizes}; `tick` is called
 * now and then, to show that the pass is alive.
 */
export function markPageOwned(
  input: Pick<OwnershipInput, 'firstEdge' | 'edgeWord' | 'weak'>,
  starts: ArrayLike<number>,
  flags: Uint8Array,
  tick?: () => void,
): void {
  const { firstEdge, edgeWord, weak } = input;
  const toMask = EDGE_TO_MASK;
  const typeShift = EDGE_TYPE_SHIFT;
  // Each node is pushed once at most (marked when pushed); the stack grows on demand.
  let stack = new Uint32Array(Math.max(1024, starts.length));
  let top = 0;
  for (let k = 0; k < starts.length; k++) {
    const v = starts[k]!;
    if (flags[v >>> 3]! & (1 << (v & 7))) continue;
    flags[v >>> 3]! |= 1 << (v & 7);
    stack[top++] = v;
  }
  let visits = 0;
  while (top > 0) {
    const v = stack[--top]!;
    if (tick !== undefined && (++visits & 0xfffff) === 0) tick();
    const end = firstEdge[v + 1]!;
    for (let e = firstEdge[v]!; e < end; e++) {
      const word = edgeWord[e]!;
      const to = word & toMask;
      const bit = 1 << (to & 7);
      if (flags[to >>> 3]! & bit || word >>> typeShift === weak) continue;
      flags[to >>> 3]! |= bit;
      if (top === stack.length) {
        const grown = new Uint32Array(stack.length * 2);
        grown.set(stack);
        stack = grown;
      }
      stack[top++] = to;
    }
  }
}
