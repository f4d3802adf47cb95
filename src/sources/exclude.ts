/**
 * Which nodes of a snapshot of the current isolate the program holds, which
 * ones only V8 itself holds, and which ones belong to the tool.
 *
 * A node is **held by the program** when a path of strong references leads to
 * it from a *program root*: the global objects, the JavaScript stack, V8
 * global handles (Node's and addons' persistent references), eternal handles
 * and Node's embedder roots. The paths never pass through
 * - compiled code (`code` nodes: bytecode, feedback vectors, allocation sites,
 *   constant pools), whose constants and literal boilerplates V8 creates on
 *   the first or second run of a function, at times no program controls;
 * - V8's own tables listed in {@link V8_HELD_ROOTS}: the string table (weak in
 *   V8's own GC: a string only it holds dies), the handles of native code and
 *   of optimizing compiler jobs running in the background (which pin the
 *   constants of the function being compiled; under CPU load a job is more
 *   likely to be in flight when the snapshot is taken), V8's strong-root list
 *   and identity maps, compilation and startup caches;
 * - from object shapes (V8's hidden classes, descriptor and transition
 *   arrays) to strings: a property name that only shapes hold is V8's
 *   bookkeeping, and shapes are rebuilt by GC (dead transitions are cleared
 *   and re-created when code runs again);
 * - out of V8's oddballs (`undefined`, `null`, `true`, `optimized_out`…),
 *   whose strings are V8's and which stack frames hold or not depending on
 *   what the optimizing compiler did;
 * - out of the templates of native classes (`system / FunctionTemplateInfo`,
 *   `system / ObjectTemplateInfo`…) and into a native context's template
 *   instantiation caches: V8 instantiates a native class on its first use,
 *   and what only these hold (the class's functions and prototype before any
 *   JavaScript refers to them, its name) is V8's bookkeeping;
 * - weak edges;
 * and string constants of compiled code that only a stack frame holds (a
 * literal in a register while a call runs) are V8's;
 * - the *blocked* nodes: the tool's own.
 *
 * The blocked nodes are
 * - the tool's long-lived roots (its root object, its inspector session, the
 *   snapshot options object), whose ids the inspector source knows;
 * - the transient objects of the call that took the snapshot: the options
 *   `Uint8Array` of `v8.getHeapSnapshot()`, which a native handle scope holds
 *   while V8 builds the graph (`via: 'stream'`); or, through the inspector,
 *   the message object `Session.post` builds (`{id, method, params}`, where
 *   `params` is our options object) and its JSON text, both held on the stack
 *   while V8 builds the graph;
 * - extra ids the caller names (the options object of the API call in flight,
 *   results the tool returned earlier).
 *
 * Every node then gets one mark: {@link VISIBLE} (held by the program),
 * {@link TOOL} (reachable from a blocked node but not held by the program
 * otherwise) or {@link V8_HELD} (everything else: held only by V8's code and
 * tables, or not reachable at all).
 *
 * Cost: three passes over the edges at most, typed arrays only.
 */
import { EDGE_TO_MASK, EDGE_TYPE_SHIFT } from '../snapshot/edge-word.js';
import { nameAt, type NameArrays } from '../snapshot/names.js';

/** The flat arrays this module reads (a subset of the parser's SnapshotData). */
export interface GraphArrays {
  nodeCount: number;
  nodeType: Uint8Array;
  nodeTypeNames: readonly string[];
  /** Each node's name (a string index; see ../snapshot/names.ts). */
  nodeName: NameArrays;
  /** V8's id of a node. */
  idOf(ordinal: number): number;
  firstEdge: Uint32Array;
  edgeTypeNames: readonly string[];
  /** The raw name of edge `e` (see `HeapSnapshot.edgeNameAt`). */
  edgeNameAt(e: number): number;
  /** Edge targets and types (see `HeapSnapshot.edgeWord`). */
  edgeWord: Uint32Array;
  /** Ordinal of the snapshot's root (0 in every V8 snapshot). */
  rootOrdinal?: number;
  strings: {
    get(i: number): string;
    prefix(i: number, maxBytes: number): string;
    equals(i: number, s: string): boolean;
    /** Index of a string of the table, or -1 (the table holds each string once). */
    indexOf(s: string): number;
  };
}

export interface ToolMarks {
  /** Snapshot ids of the tool's long-lived roots. */
  toolIds: readonly number[];
  /** Snapshot id of the options object passed with the snapshot command, if any. */
  paramsId?: number;
  /** Method name of the command that took the snapshot. */
  method?: string;
  /** More ids to treat as the tool's (e.g. the options object of the API call). */
  extraIds?: readonly number[];
  /**
   * How the snapshot was taken: through the inspector protocol (default), or
   * read from `v8.getHeapSnapshot()`, whose options `Uint8Array` sits in a
   * handle scope while V8 builds the graph.
   */
  via?: 'inspector' | 'stream';
  /** Every object the previous snapshot saw has an id at most this (0: unknown). */
  watermark?: number;
}

/** Mask values. */
export const VISIBLE = 0;
export const TOOL = 1;
/** Held only by V8 itself (compiled code, the string table, compiler handles, caches) or unreachable. */
export const V8_HELD = 3;
/** @deprecated The old name of {@link V8_HELD}. */
export const CODE_ONLY = V8_HELD;

/**
 * Subroots of `(GC roots)` whose references are V8's, not the program's.
 * Matched by name, so a subroot a future V8 adds counts as the program's
 * (objects are shown rather than hidden when in doubt).
 */
export const V8_HELD_ROOTS: readonly string[] = [
  '(Internalized strings)',
  '(External strings)',
  '(Handle scope)',
  '(Strong roots)',
  '(Read-only roots)',
  '(Smi roots)',
  '(Builtins)',
  '(Compilation cache)',
  '(Code flusher)',
  '(Startup object cache)',
  '(Read-only object cache)',
  '(Shareable object cache)',
  '(Weak collections)',
  '(Retain maps)',
  '(Write barrier)',
  '(Client heap)',
  '(Unknown)',
];

/** Hidden nodes whose edges lead nowhere the program holds (see the module comment). */
const CLOSED_HIDDEN = [
  'system / Oddball',
  'system / FunctionTemplateInfo',
  'system / FunctionTemplateRareData',
  'system / ObjectTemplateInfo',
] as const;

/** The result: `mask[ordinal]` is VISIBLE, TOOL or V8_HELD. */
export interface Exclusion {
  mask: Uint8Array;
  /** How many nodes are the tool's. */
  count: number;
  /** The ids of `toolIds`, `paramsId` and `extraIds` that the snapshot has. */
  found: Set<number>;
}

const MESSAGE_PREFIX = '{"id":';
const BLOCKED = 1;
const REACHED = 2;
const STACK_ONLY = 4;

/** Computes the marks of every node of `g`. */
export function toolOwnedNodes(g: GraphArrays, marks: ToolMarks): Exclusion {
  const n = g.nodeCount;
  const { firstEdge, edgeWord, nodeType } = g;
  const toMask = EDGE_TO_MASK;
  const typeShift = EDGE_TYPE_SHIFT;
  const root = g.rootOrdinal ?? 0;
  const mask = new Uint8Array(n);
  const wanted = new Set<number>(marks.toolIds);
  if (marks.extraIds) for (const id of marks.extraIds) wanted.add(id);
  if (marks.paramsId !== undefined) wanted.add(marks.paramsId);
  let paramsOrdinal = -1;
  const found = new Set<number>();
  for (let i = 0; i < n; i++) {
    const id = g.idOf(i);
    if (wanted.has(id)) {
      mask[i] = BLOCKED;
      found.add(id);
      if (id === marks.paramsId) paramsOrdinal = i;
    }
  }

  const tSynthetic = g.nodeTypeNames.indexOf('synthetic');
  const tCode = g.nodeTypeNames.indexOf('code');
  const tShape = g.nodeTypeNames.indexOf('object shape');
  const tHidden = g.nodeTypeNames.indexOf('hidden');
  const tString = g.nodeTypeNames.indexOf('string');
  const tCons = g.nodeTypeNames.indexOf('concatenated string');
  const tSliced = g.nodeTypeNames.indexOf('sliced string');
  const eProperty = g.edgeTypeNames.indexOf('property');
  const eInternal = g.edgeTypeNames.indexOf('internal');
  const eWeak = g.edgeTypeNames.indexOf('weak');
  const method = marks.method ?? 'HeapProfiler.takeHeapSnapshot';
  const methodNeedle = `"method":${JSON.stringify(method)}`;

  // V8's subroots (never entered) and the transient command objects.
  const v8Held = new Set(V8_HELD_ROOTS);
  const closed = new Uint8Array(n); // 1: do not follow this node's edges while reaching from the root
  const [h0, h1, h2, h3] = CLOSED_HIDDEN.map((name) => g.strings.indexOf(name)) as [number, number, number, number];
  const nodeName = g.nodeName;
  const viaStream = marks.via === 'stream';
  const watermark = marks.watermark ?? 0;
  const handleScope = viaStream ? g.strings.indexOf('(Handle scope)') : -1;
  const uint8Array = viaStream ? g.strings.indexOf('Uint8Array') : -1;
  const tObject = g.nodeTypeNames.indexOf('object');
  for (let i = 0; i < n; i++) {
    const t = nodeType[i]!;
    if (t === tCode) closed[i] = 1;
    else if (t === tHidden) {
      const name = nameAt(nodeName, i);
      if (name === h0 || name === h1 || name === h2 || name === h3) closed[i] = 1;
    }
    const end = firstEdge[i + 1]!;
    if (t === tSynthetic) {
      if (v8Held.has(g.strings.prefix(nameAt(g.nodeName, i), 64))) closed[i] = 1;
      if (viaStream) {
        // v8.getHeapSnapshot()'s options: a Uint8Array younger than the
        // previous snapshot in "(Handle scope)" (a program's own objects are
        // in a handle scope only while native code works on them, never
        // while the program calls the tool).
        if (nameAt(nodeName, i) === handleScope) {
          for (let e = firstEdge[i]!; e < end; e++) {
            const to = edgeWord[e]! & toMask;
            if (mask[to] === 0 && nodeType[to] === tObject && nameAt(nodeName, to) === uint8Array && g.idOf(to) > watermark) mask[to] = BLOCKED;
          }
        }
      } else {
        for (let e = firstEdge[i]!; e < end; e++) {
          const to = edgeWord[e]! & toMask;
          const tt = nodeType[to]!;
          if (mask[to] === 0 && (tt === tString || tt === tCons || tt === tSliced)) {
            const chain = messageText(g, to, tString, tCons, tSliced, eInternal, methodNeedle);
            if (chain !== null) for (const c of chain) mask[c] = BLOCKED;
          }
        }
      }
    } else if (paramsOrdinal >= 0) {
      for (let e = firstEdge[i]!; e < end; e++) {
        if ((edgeWord[e]! & toMask) === paramsOrdinal && edgeWord[e]! >>> typeShift === eProperty && g.strings.equals(g.edgeNameAt(e), 'params')) {
          mask[i] = BLOCKED;
        }
      }
    }
  }

  const fastCache = g.strings.indexOf('fast_template_instantiations_cache');
  const slowCache = g.strings.indexOf('slow_template_instantiations_cache');
  const stack = new Uint32Array(n);
  let sp = 0;
  const spread = (value: number, respectClosed: boolean): void => {
    while (sp > 0) {
      const i = stack[--sp]!;
      if (respectClosed && closed[i]) continue;
      const fromShape = respectClosed && nodeType[i] === tShape;
      const end = firstEdge[i + 1]!;
      for (let e = firstEdge[i]!; e < end; e++) {
        const to = edgeWord[e]! & toMask;
        if (mask[to] !== 0) continue;
        const et = edgeWord[e]! >>> typeShift;
        if (et === eWeak) continue;
        if (respectClosed && et === eInternal) {
          const name = g.edgeNameAt(e);
          if (name === fastCache || name === slowCache) continue;
        }
        if (fromShape) {
          const tt = nodeType[to]!;
          if (tt === tString || tt === tCons || tt === tSliced) continue;
        }
        mask[to] = value;
        stack[sp++] = to;
      }
    }
  };
  // 1. What the program holds: reach from the root without entering blocked
  //    nodes nor leaving code nodes and V8's subroots.
  if (n > 0 && mask[root] === 0) {
    mask[root] = REACHED;
    stack[sp++] = root;
  }
  // The JavaScript stack last: what only frames hold is told apart.
  let stackRoots = -1;
  for (let i = 0; i < n; i++) {
    if (nodeType[i] === tSynthetic && g.strings.equals(nameAt(g.nodeName, i), '(Stack roots)')) {
      stackRoots = i;
      if (closed[i] === 0) closed[i] = 2;
      break;
    }
  }
  spread(REACHED, true);
  if (stackRoots >= 0 && closed[stackRoots] === 2 && mask[stackRoots] === REACHED) {
    closed[stackRoots] = 0;
    stack[sp++] = stackRoots;
    spread(STACK_ONLY, true);
  }
  // 2. The tool's nodes: blocked ones and what only they reach.
  for (let i = 0; i < n; i++) if (mask[i] === BLOCKED) stack[sp++] = i;
  spread(TOOL, false);
  // String constants of compiled code are V8's even when a frame holds one
  // for a moment (a literal in a register while a call runs).
  for (let i = 0; i < n; i++) {
    if (nodeType[i] !== tCode) continue;
    const end = firstEdge[i + 1]!;
    for (let e = firstEdge[i]!; e < end; e++) {
      const to = edgeWord[e]! & toMask;
      const tt = nodeType[to]!;
      if (mask[to] === STACK_ONLY && (tt === tString || tt === tCons || tt === tSliced)) mask[to] = 0;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) {
    const m = mask[i]!;
    if (m === TOOL) count++;
    else mask[i] = m === REACHED || m === STACK_ONLY ? VISIBLE : V8_HELD;
  }
  if (n > 0 && mask[root] !== TOOL) mask[root] = VISIBLE;
  return { mask, count, found };
}

/**
 * If string node `s` is (the start of) an inspector command's JSON text,
 * returns the nodes making it up (the node and its `first` parts).
 */
function messageText(
  g: GraphArrays,
  s: number,
  tString: number,
  tCons: number,
  tSliced: number,
  eInternal: number,
  needle: string,
): number[] | null {
  const chain: number[] = [];
  let cur = s;
  for (let depth = 0; depth < 8; depth++) {
    chain.push(cur);
    const t = g.nodeType[cur]!;
    if (t === tString) {
      const text = g.strings.prefix(nameAt(g.nodeName, cur), 256);
      return text.startsWith(MESSAGE_PREFIX) && text.includes(needle) ? chain : null;
    }
    if (t !== tCons && t !== tSliced) return null;
    let next = -1;
    const end = g.firstEdge[cur + 1]!;
    for (let e = g.firstEdge[cur]!; e < end; e++) {
      if (g.edgeWord[e]! >>> EDGE_TYPE_SHIFT === eInternal && (g.strings.equals(g.edgeNameAt(e), 'first') || g.strings.equals(g.edgeNameAt(e), 'parent'))) {
        next = g.edgeWord[e]! & EDGE_TO_MASK;
        break;
      }
    }
    if (next < 0) return null;
    cur = next;
  }
  return null;
}
