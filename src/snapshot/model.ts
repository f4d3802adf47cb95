/**
 * The heap snapshot model: nodes and edges as one typed array per field, the
 * string pool, and indexes built lazily on first use (retainers, id lookup,
 * class names, distances, dominators, retained sizes).
 */
import { nameAt, namesToArray, type NameArrays } from './names.js';
import { EDGE_TO_MASK, EDGE_TYPE_SHIFT } from './edge-word.js';
import { NO_NODE, sortLocations, type Locations } from './locations.js';
import type { ProgressCallback, SnapshotData, SnapshotHeader } from './parser.js';
import { sizeAt, totalSize, type LargeSizes, type NodeSizes } from './ownership.js';
import { ShallowJob } from './shallow-job.js';
import type { StringPool } from './strings.js';
import {
  BASE_SYSTEM_DISTANCE,
  NO_DISTANCE,
  WeakMapEdgeNames,
  buildDistances,
  buildDetachedNodes,
  buildDominated,
  buildDominators,
  buildIdIndex,
  buildPageOwned,
  pageOwnedStarts,
  buildRetainers,
  buildShallowSizes,
  ownershipInput,
  type DominatedIndex,
  type RetainerIndex,
} from './indexes.js';
import { NodeIds } from './node-ids.js';
import { lowerBound } from './search.js';
import { HeapEdge, HeapNode } from './views.js';

/** Indexes of V8's node types in this snapshot's `meta` (-1 when the snapshot has no such type). */
export interface NodeTypeIndexes {
  hidden: number;
  array: number;
  string: number;
  object: number;
  code: number;
  closure: number;
  regexp: number;
  number: number;
  native: number;
  synthetic: number;
  consString: number;
  slicedString: number;
  symbol: number;
  bigint: number;
  objectShape: number;
}

/** Indexes of V8's edge types in this snapshot's `meta` (-1 when absent). */
export interface EdgeTypeIndexes {
  context: number;
  element: number;
  property: number;
  internal: number;
  hidden: number;
  shortcut: number;
  weak: number;
}

/** Where a node's constructor (or function) is defined. Line and column are 0-based, as V8 records them. */
export interface SourceLocation {
  scriptId: number;
  line: number;
  column: number;
}

export { BASE_SYSTEM_DISTANCE, NO_DISTANCE };

/**
 * One V8 heap snapshot.
 *
 * Bulk data lives in typed arrays indexed by node ordinal (`nodeType`,
 * `nodeName`, `nodeSelfSize`, `firstEdge`) and by edge index (`edgeWord`,
 * which holds each edge's target and type; the names, in two bytes an edge
 * and a third for the few wide ones, are read with {@link edgeNameAt}). Node ids take
 * little memory when V8 numbered the nodes in order, as it does in a
 * process's first snapshot: {@link idOf} reads one, {@link nodeId} makes the
 * array.
 * {@link node} and {@link nodeById} give readable views of single nodes.
 */
export class HeapSnapshot {
  readonly source: string;
  readonly header: SnapshotHeader;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly nodeFieldCount: number;
  readonly nodeTypeNames: readonly string[];
  readonly edgeTypeNames: readonly string[];
  readonly nodeType: Uint8Array;
  /** Each node's name (a string index), in two bytes and a third for the few wide ones (see ./names.ts): read one with {@link nodeNameAt}. */
  readonly nodeName: NameArrays;
  /** @internal Node ids, as runs when V8 numbered the nodes in order (see ./node-ids.ts); {@link idOf} reads one. */
  readonly ids: NodeIds;
  /** {@link nodeId}, once made. */
  private idArray: Uint32Array | undefined;
  /**
   * V8's self size of each node (before DevTools' ownership adjustment, see
   * {@link shallowSizes}) below 65,535 bytes; larger sizes (few nodes: long
   * strings, large arrays) read 65,535 here and are in {@link largeSelfSizes}.
   * {@link selfSizeOf} reads either.
   */
  readonly nodeSelfSize: Uint16Array;
  /** The self sizes of 65,535 bytes and more: their nodes, ascending, and sizes. */
  readonly largeSelfSizes: LargeSizes;
  /** Both of the above as one value, for the size helpers. */
  private readonly selfSizeTable: NodeSizes;
  /** {@link totalSize}, once computed. */
  private total: number | undefined;
  readonly firstEdge: Uint32Array;
  /** Allocation trace node of each node; undefined when the snapshot records none. */
  readonly traceNodeId: Uint32Array | undefined;
  /**
   * V8's attached / detached marks of embedder objects: the marked nodes in
   * ordinal order, each as `ordinal * 4 + mark` (1 attached, 2 detached);
   * undefined when the snapshot has no such field or marks no node. See
   * {@link detachednessOf}.
   */
  readonly detachedMarks: Uint32Array | undefined;
  /**
   * @internal Every edge's name, in two bytes and a third for the few wide ones (see ./names.ts):
   * {@link edgeNameAt} reads one.
   */
  readonly edgeNames: NameArrays;
  /** {@link edgeName}, once made. */
  private edgeNameArray: Uint32Array | undefined;
  /**
   * Each edge's target and type in one word: `edgeWord[e] & EDGE_TO_MASK` is
   * the target node's ordinal, `edgeWord[e] >>> EDGE_TYPE_SHIFT` the type's
   * index in {@link edgeTypeNames} (see {@link edgeTarget} and {@link edgeTypeOf}).
   * One word instead of two arrays saves a byte per edge, and the graph walks,
   * which need both, read one array.
   */
  readonly edgeWord: Uint32Array;
  readonly strings: StringPool;
  readonly rootOrdinal: number;
  /** Bytes outside the V8 heap reported by the embedder (0 when the snapshot does not say). */
  readonly extraNativeBytes: number;
  /** Bytes of snapshot text read. */
  readonly byteLength: number;
  readonly types: NodeTypeIndexes;
  readonly edgeTypes: EdgeTypeIndexes;
  /** Where long index builds report progress (set by `load`, or by the user). */
  onProgress: ProgressCallback | undefined;
  /** Script names by script id, used for qualified class names when known. */
  readonly scriptNames = new Map<number, string>();

  private readonly locations: Locations;
  private locationIndex: { ordinals: Uint32Array; rows: Uint32Array } | undefined;
  private retainerIndex: RetainerIndex | undefined;
  private shallow: NodeSizes | undefined;
  private distanceArray: Int32Array | undefined;
  private dominatorArray: Uint32Array | undefined;
  private retainedArray: Uint32Array | Float64Array | undefined;
  private dominatedIndex: DominatedIndex | undefined;
  private dominatorPreorder: Uint32Array | undefined;
  private idIndex: { ids: Uint32Array; ordinals: Uint32Array } | undefined;
  private classArray: Uint32Array | undefined;
  private detachedArray: Uint32Array | undefined | null = null;
  private qualifiedClassArray: Uint32Array | undefined;
  private pageOwnedFlags: Uint8Array | undefined;
  private ownedJob: ShallowJob | undefined;
  private weakMapNames: WeakMapEdgeNames | undefined;
  /** Buffers an index build is done with, lent to the builds that follow (see {@link scratch}). */
  private spare: WeakRef<ArrayBuffer>[] = [];

  /** A snapshot of parsed data, whose arrays it takes over: the parsed ids may serve as scratch for an index build. */
  constructor(data: SnapshotData) {
    this.source = data.source;
    this.header = data.header;
    this.nodeCount = data.nodeCount;
    this.edgeCount = data.edgeCount;
    this.nodeFieldCount = data.nodeFieldCount;
    this.nodeTypeNames = data.nodeTypeNames;
    this.edgeTypeNames = data.edgeTypeNames;
    this.nodeType = data.nodeType;
    this.nodeName = data.nodeName;
    this.ids = data.ids ?? NodeIds.from(data.nodeId);
    // Ids kept as runs leave the parsed array spare: the parser makes its buffer an entry
    // longer than the nodes, which is what the dominator search's first array takes.
    if (this.ids.compact && data.nodeId.buffer instanceof ArrayBuffer) this.lendScratch([data.nodeId.buffer]);
    this.nodeSelfSize = data.nodeSelfSize;
    this.largeSelfSizes = data.largeSelfSizes;
    this.selfSizeTable = { small: data.nodeSelfSize, large: data.largeSelfSizes };
    this.firstEdge = data.firstEdge;
    this.traceNodeId = data.traceNodeId;
    this.detachedMarks = data.detachedMarks;
    this.edgeNames = data.edgeNames;
    this.edgeWord = data.edgeWord;
    this.strings = data.strings;
    this.byteLength = data.byteLength;
    this.rootOrdinal = (data.header.root_index ?? 0) / data.nodeFieldCount;
    this.extraNativeBytes = Number(data.header.extra_native_bytes ?? 0) || 0;
    const nt = (name: string): number => data.nodeTypeNames.indexOf(name);
    this.types = {
      hidden: nt('hidden'),
      array: nt('array'),
      string: nt('string'),
      object: nt('object'),
      code: nt('code'),
      closure: nt('closure'),
      regexp: nt('regexp'),
      number: nt('number'),
      native: nt('native'),
      synthetic: nt('synthetic'),
      consString: nt('concatenated string'),
      slicedString: nt('sliced string'),
      symbol: nt('symbol'),
      bigint: nt('bigint'),
      objectShape: nt('object shape'),
    };
    const et = (name: string): number => data.edgeTypeNames.indexOf(name);
    this.edgeTypes = {
      context: et('context'),
      element: et('element'),
      property: et('property'),
      internal: et('internal'),
      hidden: et('hidden'),
      shortcut: et('shortcut'),
      weak: et('weak'),
    };
    this.locations = data.locations;
  }

  private progress(phase: string, done: number, total: number): void {
    this.onProgress?.({ phase, done, total });
  }

  /** Builds an index, reporting the start and the end of the phase. */
  private build<T>(phase: string, total: number, make: () => T): T {
    this.progress(phase, 0, total);
    const result = make();
    this.progress(phase, total, total);
    return result;
  }

  // ---- Views -------------------------------------------------------------

  /** The root node (V8's synthetic root). */
  get root(): HeapNode {
    return new HeapNode(this, this.rootOrdinal);
  }

  /** A view of the node with this ordinal (its position in the snapshot). */
  node(ordinal: number): HeapNode {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.nodeCount) {
      throw new RangeError(`node ordinal ${ordinal} is out of range (0..${this.nodeCount - 1})`);
    }
    return new HeapNode(this, ordinal);
  }

  /** A view of the node with this snapshot id, or undefined when there is none. */
  nodeById(id: number): HeapNode | undefined {
    const ordinal = this.ordinalOf(id);
    return ordinal < 0 ? undefined : new HeapNode(this, ordinal);
  }

  /** A view of edge `index`. */
  edge(index: number): HeapEdge {
    if (!Number.isInteger(index) || index < 0 || index >= this.edgeCount) {
      throw new RangeError(`edge index ${index} is out of range (0..${this.edgeCount - 1})`);
    }
    return new HeapEdge(this, index, this.edgeFrom(index));
  }

  /** Iterates over all nodes as views. Prefer the typed arrays for bulk work. */
  *nodes(): IterableIterator<HeapNode> {
    for (let i = 0; i < this.nodeCount; i++) yield new HeapNode(this, i);
  }

  // ---- Per-node facts ----------------------------------------------------

  /** V8's self size of node `ordinal`, in bytes (see {@link nodeSelfSize}). */
  selfSizeOf(ordinal: number): number {
    return sizeAt(this.selfSizeTable, ordinal);
  }

  /** @internal The self sizes as one value ({@link nodeSelfSize} and {@link largeSelfSizes}). */
  selfSizes(): NodeSizes {
    return this.selfSizeTable;
  }

  /** DevTools' self size of node `ordinal`, in bytes (see {@link shallowSizes}). */
  shallowSizeOf(ordinal: number): number {
    return sizeAt(this.shallowSizes(), ordinal);
  }

  /** V8's detachedness mark of node `ordinal`: 0 unknown, 1 attached, 2 detached (binary search in {@link detachedMarks}). */
  detachednessOf(ordinal: number): number {
    const marks = this.detachedMarks;
    if (marks === undefined) return 0;
    // Entries are ordinal * 4 + mark: the node's entry, if any, is the first from ordinal * 4.
    const k = lowerBound(marks, ordinal * 4);
    return k < marks.length && marks[k]! >>> 2 === ordinal ? marks[k]! & 3 : 0;
  }

  /** V8's type name of node `ordinal` ("object", "closure", "string", …). */
  nodeTypeName(ordinal: number): string {
    return this.nodeTypeNames[this.nodeType[ordinal]!]!;
  }

  /** The string index of node `ordinal`'s name. */
  nodeNameAt(ordinal: number): number {
    return nameAt(this.nodeName, ordinal);
  }

  /** The raw name of node `ordinal` (constructor name, function name, string value, …). */
  nodeNameOf(ordinal: number): string {
    return this.strings.get(this.nodeNameAt(ordinal));
  }

  /** The ordinal of the node edge `index` points to. */
  edgeTarget(index: number): number {
    return this.edgeWord[index]! & EDGE_TO_MASK;
  }

  /** The type of edge `index`: its index in {@link edgeTypeNames} (compare with {@link edgeTypes}). */
  edgeTypeOf(index: number): number {
    return this.edgeWord[index]! >>> EDGE_TYPE_SHIFT;
  }

  /** V8's type name of edge `index` ("property", "element", "context", …). */
  edgeTypeName(index: number): string {
    return this.edgeTypeNames[this.edgeTypeOf(index)]!;
  }

  /** Whether edge `index` is named by a number (elements and hidden edges) rather than a string. */
  edgeHasIndex(index: number): boolean {
    const t = this.edgeTypeOf(index);
    return t === this.edgeTypes.element || t === this.edgeTypes.hidden;
  }

  /**
   * The raw name of edge `index`: the index of its name in {@link strings}
   * for named edges, the number itself for `element` and `hidden` edges (see
   * {@link edgeNameOf}).
   */
  edgeNameAt(index: number): number {
    return nameAt(this.edgeNames, index);
  }

  /**
   * Every edge's raw name (see {@link edgeNameAt}), by edge index, in one
   * array of 4 bytes an edge, made on first use: the snapshot keeps the names
   * in two bytes an edge and a third for the few wide ones.
   */
  get edgeName(): Uint32Array {
    this.edgeNameArray ??= namesToArray(this.edgeNames);
    return this.edgeNameArray;
  }

  /** The name of edge `index`: a property or variable name, or the element index. */
  edgeNameOf(index: number): string | number {
    const v = this.edgeNameAt(index);
    return this.edgeHasIndex(index) ? v : this.strings.get(v);
  }

  /** The ordinal of the node that edge `index` leaves from (binary search). */
  edgeFrom(index: number): number {
    // The last node whose first edge is at or before it: nodes without edges that start at
    // the same index come before the one that has it.
    return lowerBound(this.firstEdge, index + 1, this.nodeCount) - 1;
  }

  /** V8's id of node `ordinal` (see {@link HeapNode.id}). */
  idOf(ordinal: number): number {
    return this.ids.at(ordinal);
  }

  /**
   * Every node's id, by ordinal, in one array: made on first use when the ids
   * are kept as runs (4 bytes a node); {@link idOf} reads one id without it.
   */
  get nodeId(): Uint32Array {
    this.idArray ??= this.ids.toArray();
    return this.idArray;
  }

  /** Ordinal of the node with snapshot id `id`, or -1. */
  ordinalOf(id: number): number {
    // Ids kept as runs are found among the runs, without a sorted copy of every id.
    const found = this.ids.ordinalOf(id);
    if (found !== undefined) return found;
    const { ids, ordinals } = this.idOrder();
    const k = lowerBound(ids, id);
    return ids[k] === id ? ordinals[k]! : -1;
  }

  /** All node ids in ascending order, with the ordinal of each. */
  idOrder(): { readonly ids: Uint32Array; readonly ordinals: Uint32Array } {
    if (!this.idIndex) this.idIndex = buildIdIndex(this);
    return this.idIndex;
  }

  /** Whether the snapshot has a node with this id. */
  hasId(id: number): boolean {
    return this.ordinalOf(id) >= 0;
  }

  /** Where the constructor of node `ordinal` (or the function, for closures) is defined, if recorded. */
  location(ordinal: number): SourceLocation | undefined {
    const { rows: located, places } = this.locations;
    if (located.length === 0) return undefined;
    if (!this.locationIndex) {
      this.locationIndex = sortLocations(located, this.nodeCount);
    }
    const { ordinals, rows } = this.locationIndex;
    const k = lowerBound(ordinals, ordinal);
    if (ordinals[k] !== ordinal) return undefined;
    const p = 3 * located[2 * rows[k]! + 1]!;
    return { scriptId: places[p]!, line: places[p + 1]!, column: places[p + 2]! };
  }

  /** DevTools' user roots: the root's non-synthetic children (global objects) and the DOM trees root. */
  isUserRoot(ordinal: number): boolean {
    return this.nodeType[ordinal] !== this.types.synthetic || this.isDocumentDomTreesRoot(ordinal);
  }

  isDocumentDomTreesRoot(ordinal: number): boolean {
    return this.nodeType[ordinal] === this.types.synthetic && this.strings.equals(this.nodeNameAt(ordinal), '(Document DOM trees)');
  }

  /** False for snapshots taken with `exposeInternals`, which have no user roots. */
  hasUserRoots(): boolean {
    const r = this.rootOrdinal;
    for (let e = this.firstEdge[r]!; e < this.firstEdge[r + 1]!; e++) {
      if (this.isUserRoot(this.edgeTarget(e))) return true;
    }
    return false;
  }

  /**
   * Whether a JavaScript programmer can name node `ordinal`: objects, functions,
   * strings, numbers, symbols, bigints, regexps and V8's own native objects.
   * V8 internals (hidden objects, code, internal arrays, object shapes,
   * synthetic roots, objects V8 labels `system / …` such as closure contexts)
   * and embedder objects (even ids, not stable across snapshots) are not.
   */
  isUserVisible(ordinal: number): boolean {
    const r = this.visibilityRule()[this.nodeType[ordinal]!];
    return r === 1 || (r === 2 && this.isVisibleByName(ordinal));
  }

  private systemNames: Uint8Array | undefined; // per string: 0 unknown, 1 no, 2 yes
  private visibleArray: Uint8Array | null = null;
  private visibleRule: Uint8Array | undefined;

  /** Per node type: 0 never visible, 1 always, 2 as {@link isVisibleByName} says. */
  private visibilityRule(): Uint8Array {
    if (!this.visibleRule) {
      const T = this.types;
      const rule = new Uint8Array(this.nodeTypeNames.length);
      for (const t of [T.closure, T.string, T.consString, T.slicedString, T.number, T.symbol, T.bigint, T.regexp]) if (t >= 0) rule[t] = 1;
      if (T.object >= 0) rule[T.object] = 2;
      if (T.native >= 0) rule[T.native] = 2;
      this.visibleRule = rule;
    }
    return this.visibleRule;
  }

  /** For an object or native object: visible unless V8 labels it `system / …`, or it is an embedder object (even id). */
  private isVisibleByName(ordinal: number): boolean {
    return (this.nodeType[ordinal] !== this.types.native || (this.idOf(ordinal) & 1) === 1) && !this.isSystemName(this.nodeNameAt(ordinal));
  }

  /**
   * {@link isUserVisible} of every node, computed once: a bit per node, set
   * when visible (bit `i & 7` of byte `i >>> 3`).
   */
  userVisibleFlags(): Uint8Array {
    if (this.visibleArray) return this.visibleArray;
    const n = this.nodeCount;
    const out = new Uint8Array((n + 7) >>> 3);
    const rule = this.visibilityRule();
    const nodeType = this.nodeType;
    for (let i = 0; i < n; i++) {
      const r = rule[nodeType[i]!];
      if (r === 1 || (r === 2 && this.isVisibleByName(i))) out[i >>> 3]! |= 1 << (i & 7);
    }
    this.visibleArray = out;
    return out;
  }

  /** Whether a name is one of V8's internal labels (`system / Context`, `system / Map`, …). */
  private isSystemName(nameIndex: number): boolean {
    if (nameIndex >= this.strings.count) return this.strings.get(nameIndex).startsWith('system / ');
    const known = (this.systemNames ??= new Uint8Array(this.strings.count));
    let v = known[nameIndex]!;
    if (v === 0) known[nameIndex] = v = this.strings.prefix(nameIndex, 9) === 'system / ' ? 2 : 1;
    return v === 2;
  }

  // ---- Class names -------------------------------------------------------

  /**
   * Class name string index of every node, as in DevTools' Summary view: the
   * constructor name for objects, `Function` for closures, `RegExp`,
   * `(system)` for hidden objects, `(compiled code)`, and `(type)` for the rest.
   */
  classIndexes(): Uint32Array {
    if (this.classArray) return this.classArray;
    const n = this.nodeCount;
    // Every entry is written: a lent buffer needs no zeroing. (It may be up to twice the
    // size: after the dominators, the one spent buffer of about the size holds their tree's
    // preorder, and the next larger one, their predecessor lists, is about one and a half
    // times the size. Taking it keeps those bytes for good, but a new array would add its
    // own to the peak while the spent buffers are still held.)
    const out = new Uint32Array(this.scratch(4 * n, 8 * (n + 2), 0), 0, n);
    const T = this.types;
    const strings = this.strings;
    const byType = this.nodeTypeNames.map((name) => strings.intern(`(${name})`));
    if (T.hidden >= 0) byType[T.hidden] = strings.intern('(system)');
    if (T.code >= 0) byType[T.code] = strings.intern('(compiled code)');
    if (T.closure >= 0) byType[T.closure] = strings.intern('Function');
    if (T.regexp >= 0) byType[T.regexp] = strings.intern('RegExp');
    // Per node type: its class, or -1 for objects and native objects, named by their constructor.
    const typeClass = new Int32Array(byType.length);
    for (let t = 0; t < byType.length; t++) typeClass[t] = t === T.object || t === T.native ? -1 : byType[t]!;
    // One class, one index: an object whose constructor is called, say, `Function` or
    // `RegExp` joins the class of that name (DevTools groups by the name's text).
    const byText = new Map<string, number>();
    let longest = 0;
    for (const c of byType) {
      const text = strings.get(c);
      if (!byText.has(text)) byText.set(text, c);
      longest = Math.max(longest, strings.byteLength(c));
    }
    // Class of each snapshot name string, plus one (0: not yet worked out); of added names.
    // (In a buffer an index build is done with, when there is one: see scratch.)
    const classOfName = new Uint32Array(this.scratch(4 * strings.count), 0, strings.count);
    const classOfAdded = new Map<number, number>();
    const classOf = (nameIndex: number): number => {
      let cls = nameIndex < classOfName.length ? classOfName[nameIndex]! - 1 : (classOfAdded.get(nameIndex) ?? -1);
      if (cls >= 0) return cls;
      // DOM elements such as '<div id="a">' are grouped as '<div>'.
      cls = nameIndex;
      const bytes = strings.byteLength(nameIndex);
      const first = bytes > 0 ? strings.prefix(nameIndex, 16) : '';
      if (bytes <= longest) cls = byText.get(strings.get(nameIndex)) ?? cls;
      if (first.startsWith('<') || first.startsWith('Detached <')) {
        const name = strings.get(nameIndex);
        const space = name.indexOf(' ', name.startsWith('<') ? 0 : 10);
        if (space !== -1) cls = strings.intern(name.substring(0, space) + '>');
        else cls = strings.intern(name);
      }
      if (nameIndex < classOfName.length) classOfName[nameIndex] = cls + 1;
      else classOfAdded.set(nameIndex, cls);
      return cls;
    };
    const nodeType = this.nodeType;
    const nodeName = this.nodeName;
    for (let i = 0; i < n; i++) {
      const c = typeClass[nodeType[i]!]!;
      if (c >= 0) {
        out[i] = c;
        continue;
      }
      const nameIndex = nameAt(nodeName, i);
      const known = nameIndex < classOfName.length ? classOfName[nameIndex]! : 0;
      out[i] = known !== 0 ? known - 1 : classOf(nameIndex);
    }
    // Embedder objects cut off from their document: "Detached <div>".
    const detached = this.detachedNodes();
    if (detached) {
      const detachedNames = new Map<number, number>();
      for (const i of detached) {
        if (typeClass[nodeType[i]!]! >= 0) continue;
        const nameIndex = nameAt(nodeName, i);
        let d = detachedNames.get(nameIndex);
        if (d === undefined) {
          d = strings.intern('Detached ' + strings.get(nameIndex));
          detachedNames.set(nameIndex, d);
        }
        out[i] = classOf(d);
      }
    }
    this.lendScratch([classOfName.buffer as ArrayBuffer]);
    this.classArray = out;
    return out;
  }

  /**
   * Ordinals of the embedder (DOM) objects cut off from their document, as
   * DevTools propagates V8's attached/detached marks, ascending; undefined
   * when the snapshot marks no object detached.
   */
  detachedNodes(): Uint32Array | undefined {
    if (this.detachedArray === null) this.detachedArray = buildDetachedNodes(this);
    return this.detachedArray;
  }

  /** The class name of node `ordinal`. */
  className(ordinal: number): string {
    return this.strings.get(this.classIndexes()[ordinal]!);
  }

  /**
   * Class string index of every node in the qualified form: objects whose
   * constructor location is recorded become `Name@script:line:column`, so that
   * two classes with one name are told apart (objgraph's `shortnames: false`).
   */
  qualifiedClassIndexes(): Uint32Array {
    if (this.qualifiedClassArray) return this.qualifiedClassArray;
    const classes = this.classIndexes();
    const out = Uint32Array.from(classes);
    const { rows, places } = this.locations;
    const T = this.types;
    // A class and a place make one qualified name: keyed by one number when it fits.
    const placeCount = places.length / 3;
    const numeric = this.strings.size * placeCount < 2 ** 53;
    const keys = new Map<number | string, number>();
    for (let r = 0; r < rows.length; r += 2) {
      const ordinal = rows[r]!;
      if (ordinal === NO_NODE || this.nodeType[ordinal] !== T.object) continue;
      const c = classes[ordinal]!;
      const p = rows[r + 1]!;
      const key = numeric ? c * placeCount + p : `${c}@${p}`;
      let idx = keys.get(key);
      if (idx === undefined) {
        idx = this.strings.intern(this.formatQualified(this.strings.get(c), places[3 * p]!, places[3 * p + 1]!, places[3 * p + 2]!));
        keys.set(key, idx);
      }
      out[ordinal] = idx;
    }
    this.qualifiedClassArray = out;
    return out;
  }

  private formatQualified(name: string, scriptId: number, line: number, column: number): string {
    const script = this.scriptNames.get(scriptId) ?? `script#${scriptId}`;
    return `${name}@${script}:${line + 1}:${column + 1}`;
  }

  /** The qualified class name of node `ordinal` (see {@link qualifiedClassIndexes}). */
  qualifiedClassName(ordinal: number): string {
    return this.strings.get(this.qualifiedClassIndexes()[ordinal]!);
  }

  // ---- Graph indexes -----------------------------------------------------

  /** The retainers index (incoming edges of every node), built on first use. */
  retainers(): RetainerIndex {
    this.retainerIndex ??= this.build('retainers', this.edgeCount, () => buildRetainers(this));
    return this.retainerIndex;
  }

  /**
   * Self sizes as DevTools shows them (see `buildShallowSizes`), 16 bits per
   * node with the sizes of 65,535 bytes and more kept apart, like
   * {@link nodeSelfSize}; {@link shallowSizeOf} reads one.
   */
  shallowSizes(): NodeSizes {
    this.shallow ??= this.build('shallow sizes', this.nodeCount, () => buildShallowSizes(this));
    return this.shallow;
  }

  /** @internal Nodes the page (the global objects) owns, a bit per node (bit `v & 7` of byte `v >>> 3`); used by the dominator rules. */
  pageOwned(): Uint8Array {
    if (!this.pageOwnedFlags) {
      // From the shallow-size worker when it was asked for them (see buildDominatorIndexes).
      const job = this.ownedJob;
      this.ownedJob = undefined;
      this.pageOwnedFlags = job?.joinOwnedSync() ?? buildPageOwned(this);
    }
    return this.pageOwnedFlags;
  }

  /** @internal Recognises the names V8 gives WeakMap entry edges. */
  weakMapEdgeNames(): WeakMapEdgeNames {
    if (!this.weakMapNames) this.weakMapNames = new WeakMapEdgeNames(this);
    return this.weakMapNames;
  }

  /**
   * Distance of every node from the roots (breadth-first, never through weak
   * edges). Nodes reached only from system roots have distances from
   * {@link BASE_SYSTEM_DISTANCE}; unreachable ones have {@link NO_DISTANCE}.
   */
  distances(): Int32Array {
    this.distanceArray ??= this.build('distances', this.nodeCount, () => buildDistances(this));
    return this.distanceArray;
  }

  private buildDominatorIndexes(): void {
    // Large snapshots get their shallow sizes from a worker while the dominators are
    // computed here; they are needed only for the final sums.
    const job =
      this.shallow || !this.hasUserRoots()
        ? null
        : ShallowJob.start(ownershipInput(this), this.totalSize(), this.pageOwnedFlags ? undefined : pageOwnedStarts(this));
    if (job?.owned) this.ownedJob = job;
    if (!job) this.shallowSizes();
    const shallowSizes = (): NodeSizes => {
      if (job && !this.shallow) this.shallow = this.build('shallow sizes', this.nodeCount, () => job.joinSync()) ?? undefined;
      return this.shallowSizes();
    };
    const { dominators, retained, preorder, spent } = this.build('dominators', this.nodeCount, () => buildDominators(this, shallowSizes));
    this.dominatorArray = dominators;
    this.retainedArray = retained;
    this.dominatorPreorder = preorder;
    this.lendScratch(spent);
  }

  /**
   * @internal Lends buffers an index build is done with to the builds that
   * follow (after the dominators: their child lists, the class names and the
   * census). During a long synchronous computation the garbage collector
   * frees large buffers late, so new arrays would add to the peak memory
   * instead of taking the place of the spent ones. The buffers are held
   * weakly: the collector may still free them, and does once the current
   * synchronous run is over.
   */
  lendScratch(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) this.spare.push(new WeakRef(b));
  }

  /**
   * @internal The smallest lent buffer of `bytes` to `most` bytes, its first
   * `zeroBytes` bytes zeroed; a new (zeroed) buffer when none fits. A result
   * kept for good should bound `most`, or it keeps a larger buffer alive.
   */
  scratch(bytes: number, most = Infinity, zeroBytes = bytes): ArrayBuffer {
    const live = this.spare.map((r) => r.deref()).filter((b): b is ArrayBuffer => b !== undefined);
    let best: ArrayBuffer | undefined;
    for (const b of live) {
      if (b.byteLength >= bytes && b.byteLength <= most && (best === undefined || b.byteLength < best.byteLength)) best = b;
    }
    this.spare = live.filter((b) => b !== best).map((b) => new WeakRef(b));
    if (best === undefined) return new ArrayBuffer(bytes);
    if (zeroBytes > 0) new Uint8Array(best, 0, zeroBytes).fill(0);
    return best;
  }

  /** Immediate dominator ordinal of every node; the root is its own dominator. */
  dominators(): Uint32Array {
    if (!this.dominatorArray) this.buildDominatorIndexes();
    return this.dominatorArray!;
  }

  /**
   * Retained size of every node: the bytes freed if it were released. A
   * 32-bit array when the heap's total size fits in 32 bits.
   */
  retainedSizes(): Uint32Array | Float64Array {
    if (!this.retainedArray) this.buildDominatorIndexes();
    return this.retainedArray!;
  }

  /**
   * Node ordinals in a depth-first preorder of the dominator tree: the root
   * first, every node after its immediate dominator, and the nodes a node
   * dominates (directly or not) right after it. A walk of the tree in this
   * order needs no child lists: the path from the root to the current node is
   * a stack, unwound down to each node's dominator.
   */
  dominatorOrder(): Uint32Array {
    if (!this.dominatorPreorder) this.buildDominatorIndexes();
    return this.dominatorPreorder!;
  }

  /** The dominator tree's children lists. */
  dominated(): DominatedIndex {
    if (!this.dominatedIndex) this.dominatedIndex = buildDominated(this, this.dominators());
    return this.dominatedIndex;
  }

  /** Builds every index now (with progress reports) instead of on first use. */
  buildAllIndexes(): this {
    this.retainers();
    this.classIndexes();
    this.distances();
    this.retainedSizes();
    this.ordinalOf(0);
    return this;
  }

  /** Sum of (DevTools) self sizes of all nodes: the size of the heap the snapshot describes. */
  totalSize(): number {
    this.total ??= totalSize(this.selfSizeTable);
    return this.total;
  }
}
