/**
 * References as a JavaScript programmer reads them.
 *
 * V8 records what the engine sees: a closure points at an internal Context
 * that holds the captured variables; a `Map` points at a hash table whose
 * slots hold keys and values; an array points at its backing store; every
 * object points at its hidden class. This module turns those raw edges into
 * "logical" references — `closure -leakedBuffer-> value`,
 * `map -get("user-42")-> value`, `array -[0]-> item` — in both directions
 * (outgoing references and retainers), and gives each node a short, safe
 * description (`3 items`, a string's first 40 characters, `fn @ file.js:12`).
 *
 * Everything here works on one node at a time: cost is proportional to the
 * edges of the node (and of its collapsed internals), never to the heap.
 */
import type { HeapSnapshot } from '../snapshot/model.js';

/** How a logical reference reads (mirrors the render layer's edge kinds). */
export type LogicalKind = 'property' | 'element' | 'context' | 'internal' | 'hidden' | 'shortcut' | 'weak' | 'entry';

/** One logical reference between two nodes. */
export interface LogicalEdge {
  /** The node holding the reference. */
  from: number;
  /** The node referred to. */
  to: number;
  /** Property name, `[index]`-less index, variable name, `get(key)`, … (null: unlabelled). */
  label: string | null;
  kind: LogicalKind;
  /** Does not keep `to` alive. */
  weak: boolean;
  /** The raw edge behind it (the last raw edge of a collapsed path). */
  edge: number;
}

export interface LogicalOptions {
  /** Show V8 internals (hidden classes, code, backing stores, contexts) as they are. Default false. */
  internals?: boolean;
  /** Show `__proto__` references. Default false (every object has one). */
  prototypes?: boolean;
}

/** String indexes and type facts looked up once per snapshot. */
export interface SnapshotFacts {
  context: number;
  nativeContext: number;
  objectElements: number;
  objectProperties: number;
  propertyArray: number;
  sourceTextModule: number;
  syntheticModule: number;
  nContext: number;
  nTable: number;
  nElements: number;
  nProperties: number;
  nPrevious: number;
  nProto: number;
  nMap: number;
  collectionClass: Map<number, 'Map' | 'Set' | 'WeakMap' | 'WeakSet'>;
  /** Shortcut children of the synthetic root (the global objects). */
  globals: number[];
}

const factsCache = new WeakMap<HeapSnapshot, SnapshotFacts>();

/** Looks up, in one pass over the string table, the names this module needs. */
export function snapshotFacts(snap: HeapSnapshot): SnapshotFacts {
  let f = factsCache.get(snap);
  if (f) return f;
  const wanted = [
    'system / Context',
    'system / NativeContext',
    '(object elements)',
    '(object properties)',
    'system / PropertyArray',
    'system / SourceTextModule',
    'system / SyntheticModule',
    'context',
    'table',
    'elements',
    'properties',
    'previous',
    '__proto__',
    'map',
    'Map',
    'Set',
    'WeakMap',
    'WeakSet',
  ];
  const found = lookupStrings(snap, wanted);
  const idx = (s: string): number => found.get(s) ?? -1;
  const collectionClass = new Map<number, 'Map' | 'Set' | 'WeakMap' | 'WeakSet'>();
  for (const name of ['Map', 'Set', 'WeakMap', 'WeakSet'] as const) {
    const i = idx(name);
    if (i >= 0) collectionClass.set(i, name);
  }
  const globals: number[] = [];
  const r = snap.rootOrdinal;
  for (let e = snap.firstEdge[r]!; e < snap.firstEdge[r + 1]!; e++) {
    if (snap.edgeTypeOf(e) === snap.edgeTypes.shortcut) globals.push(snap.edgeTarget(e));
  }
  f = {
    context: idx('system / Context'),
    nativeContext: idx('system / NativeContext'),
    objectElements: idx('(object elements)'),
    objectProperties: idx('(object properties)'),
    propertyArray: idx('system / PropertyArray'),
    sourceTextModule: idx('system / SourceTextModule'),
    syntheticModule: idx('system / SyntheticModule'),
    nContext: idx('context'),
    nTable: idx('table'),
    nElements: idx('elements'),
    nProperties: idx('properties'),
    nPrevious: idx('previous'),
    nProto: idx('__proto__'),
    nMap: idx('map'),
    collectionClass,
    globals,
  };
  factsCache.set(snap, f);
  return f;
}

/** Indexes of several strings in one scan of the table (byte lengths filter first). */
function lookupStrings(snap: HeapSnapshot, wanted: readonly string[]): Map<string, number> {
  const byLength = new Map<number, string[]>();
  for (const s of wanted) {
    const len = Buffer.byteLength(s);
    const list = byLength.get(len);
    if (list) list.push(s);
    else byLength.set(len, [s]);
  }
  const out = new Map<string, number>();
  const pool = snap.strings;
  const n = pool.count;
  for (let i = 0; i < n && out.size < wanted.length; i++) {
    const list = byLength.get(pool.byteLength(i));
    if (!list) continue;
    for (const s of list) {
      if (!out.has(s) && pool.equals(i, s)) {
        out.set(s, i);
        break;
      }
    }
  }
  return out;
}

// ---- Node facts -------------------------------------------------------------

export function isContext(snap: HeapSnapshot, ordinal: number): boolean {
  const f = snapshotFacts(snap);
  return f.context >= 0 && snap.nodeNameAt(ordinal) === f.context && snap.nodeType[ordinal] === snap.types.object;
}

export function isNativeContext(snap: HeapSnapshot, ordinal: number): boolean {
  const f = snapshotFacts(snap);
  return f.nativeContext >= 0 && snap.nodeNameAt(ordinal) === f.nativeContext;
}

/** An object's elements or properties backing store. */
export function isBackingStore(snap: HeapSnapshot, ordinal: number): boolean {
  const f = snapshotFacts(snap);
  const name = snap.nodeNameAt(ordinal);
  return (
    (name === f.objectElements || name === f.objectProperties || name === f.propertyArray) &&
    (snap.nodeType[ordinal] === snap.types.array || snap.nodeType[ordinal] === snap.types.hidden)
  );
}

/** A module record (`system / SourceTextModule`, `system / SyntheticModule`). */
export function isModuleRecord(snap: HeapSnapshot, ordinal: number): boolean {
  const f = snapshotFacts(snap);
  const name = snap.nodeNameAt(ordinal);
  return (name === f.sourceTextModule && f.sourceTextModule >= 0) || (name === f.syntheticModule && f.syntheticModule >= 0);
}

/** A global object (a shortcut child of the synthetic root). */
export function isGlobalObject(snap: HeapSnapshot, ordinal: number): boolean {
  return snapshotFacts(snap).globals.includes(ordinal);
}

/**
 * objgraph's `is_proper_module` for heaps: where retainer chains and
 * `showBackrefs` stop. The synthetic root and every synthetic node under it
 * (`(GC roots)`, `(Stack roots)`, `(Global handles)`, embedder roots), the
 * global objects, and module records.
 */
export function isRootOrdinal(snap: HeapSnapshot, ordinal: number): boolean {
  if (ordinal === snap.rootOrdinal) return true;
  if (snap.nodeType[ordinal] === snap.types.synthetic) return true;
  return isGlobalObject(snap, ordinal) || isModuleRecord(snap, ordinal);
}

/** V8 machinery a programmer cannot name: hidden classes and code (feedback, bytecode, …). */
export function isNoise(snap: HeapSnapshot, ordinal: number): boolean {
  const t = snap.nodeType[ordinal];
  return t === snap.types.objectShape || t === snap.types.code;
}

/** The kind of collection whose entries live in a `table`, by class name. */
export function collectionKind(snap: HeapSnapshot, ordinal: number): 'Map' | 'Set' | 'WeakMap' | 'WeakSet' | null {
  const t = snap.nodeType[ordinal];
  if (t !== snap.types.object) return null;
  return snapshotFacts(snap).collectionClass.get(snap.classIndexes()[ordinal]!) ?? null;
}

/** The `table` of a Map/Set/WeakMap/WeakSet, or -1. */
export function tableOf(snap: HeapSnapshot, ordinal: number): number {
  const f = snapshotFacts(snap);
  for (let e = snap.firstEdge[ordinal]!; e < snap.firstEdge[ordinal + 1]!; e++) {
    if (snap.edgeTypeOf(e) === snap.edgeTypes.internal && snap.edgeNameAt(e) === f.nTable) return snap.edgeTarget(e);
  }
  return -1;
}

function isStringType(snap: HeapSnapshot, ordinal: number): boolean {
  const t = snap.nodeType[ordinal];
  const T = snap.types;
  return t === T.string || t === T.consString || t === T.slicedString;
}

// ---- Labels -----------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A value as a key is written: `"user-42"`, `42`, `Session@123`. */
export function keyText(snap: HeapSnapshot, ordinal: number): string {
  if (isStringType(snap, ordinal)) return JSON.stringify(snap.strings.prefix(snap.nodeNameAt(ordinal), 40)).slice(0, 32);
  if (snap.nodeType[ordinal] === snap.types.number) return snap.strings.prefix(snap.nodeNameAt(ordinal), 30);
  return `${snap.className(ordinal)}@${snap.idOf(ordinal)}`;
}

/** The label of raw edge `e` in a graph: the property or variable name, or the index. */
export function rawEdgeLabel(snap: HeapSnapshot, e: number): string {
  const name = snap.edgeNameAt(e);
  if (snap.edgeHasIndex(e)) return String(name);
  return snap.strings.prefix(name, 120);
}

/** Raw edge `e` as JavaScript would write it after its holder: `.x`, `[0]`, `["a b"]`, `(context) n`. */
export function rawEdgePath(snap: HeapSnapshot, e: number): string {
  const t = snap.edgeTypeOf(e);
  const ET = snap.edgeTypes;
  const label = rawEdgeLabel(snap, e);
  if (t === ET.element) return `[${label}]`;
  if (t === ET.property) return IDENTIFIER.test(label) ? `.${label}` : `[${JSON.stringify(label)}]`;
  if (t === ET.context) return `(closure variable) ${label}`;
  return `(${snap.edgeTypeName(e)}) ${label}`;
}

/** A logical edge's label as a path step: `.x`, `[0]`, `.get("k")`, `(closure variable) v`. */
export function logicalPath(edge: Pick<LogicalEdge, 'label' | 'kind'>): string {
  const label = edge.label ?? '';
  switch (edge.kind) {
    case 'element':
      return `[${label}]`;
    case 'property':
      return IDENTIFIER.test(label) ? `.${label}` : `[${JSON.stringify(label)}]`;
    case 'context':
      return `(closure variable) ${label}`;
    case 'entry':
      return label.startsWith('get(') || label === 'has' || label === 'key' ? `.${label}` : `(${label})`;
    default:
      return `(${edge.kind}) ${label}`;
  }
}

function rawKind(snap: HeapSnapshot, e: number): LogicalKind {
  const name = snap.edgeTypeName(e);
  switch (name) {
    case 'property':
    case 'element':
    case 'context':
    case 'internal':
    case 'hidden':
    case 'shortcut':
    case 'weak':
      return name;
    default:
      return 'internal';
  }
}

function rawLogical(snap: HeapSnapshot, from: number, to: number, e: number): LogicalEdge {
  const kind = rawKind(snap, e);
  return { from, to, label: rawEdgeLabel(snap, e), kind, weak: kind === 'weak', edge: e };
}

// ---- Collection tables -------------------------------------------------------

/** One decoded entry of a collection's table. */
export interface TableEntry {
  /** Key ordinal, or -1 when the key is a small integer (not in the snapshot). */
  key: number;
  keyEdge: number;
  /** Value ordinal (Map, WeakMap), or -1. */
  value: number;
  valueEdge: number;
}

const WEAKMAP_ENTRY = / \/ part of key \(.*? @(\d+)\) -> value \(.*? @(\d+)\) pair in WeakMap \(table @(\d+)\)$/s;

/**
 * Decodes the entries of a collection table. V8 lays out an ordered hash
 * table as a header, the buckets, then entries of (key, value, chain) for a
 * Map or (key, chain) for a Set; only slots holding heap objects have edges,
 * named by their index. The bucket count follows from the table's size; when
 * it cannot be told, adjacent slots pair up (key and value are the only
 * neighbours that can both hold heap objects).
 */
export function decodeTable(snap: HeapSnapshot, kind: 'Map' | 'Set' | 'WeakMap' | 'WeakSet', table: number): TableEntry[] {
  const first = snap.firstEdge[table]!;
  const end = snap.firstEdge[table + 1]!;
  const out: TableEntry[] = [];
  if (kind === 'Set') {
    for (let e = first; e < end; e++) {
      if (snap.edgeTypeOf(e) === snap.edgeTypes.internal && isIndexName(snap, e)) out.push({ key: snap.edgeTarget(e), keyEdge: e, value: -1, valueEdge: -1 });
    }
    return out;
  }
  if (kind === 'WeakSet') {
    for (let e = first; e < end; e++) {
      if (snap.edgeTypeOf(e) === snap.edgeTypes.weak) out.push({ key: snap.edgeTarget(e), keyEdge: e, value: -1, valueEdge: -1 });
    }
    return out;
  }
  if (kind === 'WeakMap') {
    // Each entry: weak edges to key and value, and an internal edge named after the pair.
    for (let e = first; e < end; e++) {
      if (snap.edgeTypeOf(e) !== snap.edgeTypes.internal) continue;
      const m = WEAKMAP_ENTRY.exec(snap.strings.get(snap.edgeNameAt(e)));
      if (!m) continue;
      const keyOrdinal = snap.ordinalOf(Number(m[1]));
      let keyEdge = -1;
      for (let k = first; k < end; k++) {
        if (snap.edgeTypeOf(k) === snap.edgeTypes.weak && snap.edgeTarget(k) === keyOrdinal) {
          keyEdge = k;
          break;
        }
      }
      out.push({ key: keyOrdinal, keyEdge, value: snap.edgeTarget(e), valueEdge: e });
    }
    return out;
  }
  // Map.
  const slots: Array<[number, number]> = [];
  for (let e = first; e < end; e++) {
    if (snap.edgeTypeOf(e) === snap.edgeTypes.internal && isIndexName(snap, e)) {
      slots.push([Number(snap.strings.get(snap.edgeNameAt(e))), e]);
    }
  }
  slots.sort((a, b) => a[0] - b[0]);
  const entriesStart = mapEntriesStart(snap, table);
  const bySlot = new Map<number, number>();
  for (const [slot, e] of slots) bySlot.set(slot, e);
  const used = new Set<number>();
  for (const [slot, e] of slots) {
    if (used.has(slot)) continue;
    let isKey: boolean;
    if (entriesStart >= 0) isKey = (slot - entriesStart) % 3 === 0;
    else isKey = bySlot.has(slot + 1);
    if (isKey) {
      const ve = bySlot.get(slot + 1);
      used.add(slot);
      if (ve !== undefined) used.add(slot + 1);
      out.push({ key: snap.edgeTarget(e), keyEdge: e, value: ve === undefined ? -1 : snap.edgeTarget(ve), valueEdge: ve ?? -1 });
    } else {
      used.add(slot);
      out.push({ key: -1, keyEdge: -1, value: snap.edgeTarget(e), valueEdge: e });
    }
  }
  return out;
}

function isIndexName(snap: HeapSnapshot, e: number): boolean {
  const s = snap.strings.prefix(snap.edgeNameAt(e), 12);
  return /^\d{1,10}$/.test(s);
}

/**
 * Index of the first entry slot of an OrderedHashMap: 3 header slots, then
 * `buckets` bucket slots, then `2 * buckets` entries of 3 slots. The length
 * follows from the self size (8- or 4-byte slots, 2-slot object header).
 */
function mapEntriesStart(snap: HeapSnapshot, table: number): number {
  const self = snap.selfSizeOf(table);
  for (const slot of [8, 4]) {
    const length = self / slot - 2;
    if (!Number.isInteger(length)) continue;
    const buckets = (length - 3) / 7;
    if (Number.isInteger(buckets) && buckets >= 1 && (buckets & (buckets - 1)) === 0) return 3 + buckets;
  }
  return -1;
}

// ---- Logical references -------------------------------------------------------

/**
 * The references of node `v` as a programmer reads them (see the module
 * comment). Unless `internals`, hidden classes, code, backing stores and
 * string internals are left out, a closure's Context is replaced by the
 * variables it captures, and a collection's table by its entries.
 */
export function logicalReferences(snap: HeapSnapshot, v: number, options: LogicalOptions = {}): LogicalEdge[] {
  const internals = options.internals === true;
  const prototypes = options.prototypes === true || internals;
  const f = snapshotFacts(snap);
  const ET = snap.edgeTypes;
  const out: LogicalEdge[] = [];
  const first = snap.firstEdge[v]!;
  const end = snap.firstEdge[v + 1]!;
  if (internals) {
    for (let e = first; e < end; e++) out.push(rawLogical(snap, v, snap.edgeTarget(e), e));
    return out;
  }
  if (isStringType(snap, v)) return out;
  const kind = collectionKind(snap, v);
  // Targets referred to directly, to drop backing store slots that repeat them.
  const direct = new Set<number>();
  for (let e = first; e < end; e++) {
    const t = snap.edgeTypeOf(e);
    if (t === ET.element || t === ET.property) direct.add(snap.edgeTarget(e));
  }
  for (let e = first; e < end; e++) {
    const t = snap.edgeTypeOf(e);
    const to = snap.edgeTarget(e);
    const name = snap.edgeNameAt(e);
    if (isNoise(snap, to)) continue;
    if (t === ET.property && name === f.nProto && !prototypes) continue;
    if (t === ET.internal && snap.strings.prefix(name, 200).includes('pair in WeakMap')) {
      out.push({ from: v, to, label: 'as WeakMap key', kind: 'entry', weak: false, edge: e });
      continue;
    }
    if (t === ET.internal || t === ET.hidden) {
      if (kind !== null && name === f.nTable && t === ET.internal) {
        out.push(...entryEdges(snap, v, kind, to));
        continue;
      }
      if (isBackingStore(snap, to)) {
        for (let k = snap.firstEdge[to]!; k < snap.firstEdge[to + 1]!; k++) {
          const w = snap.edgeTarget(k);
          if (direct.has(w) || isNoise(snap, w) || snap.nodeType[w] === snap.types.hidden || snap.edgeTypeOf(k) === ET.weak) continue;
          const label = rawEdgeLabel(snap, k);
          out.push({ from: v, to: w, label, kind: /^\d+$/.test(label) ? 'element' : 'property', weak: false, edge: k });
        }
        continue;
      }
      if (t === ET.internal && name === f.nContext && (isContext(snap, to) || isNativeContext(snap, to))) {
        if (isContext(snap, to)) out.push(...capturedVariables(snap, v, to));
        continue;
      }
    }
    if (snap.nodeType[to] === snap.types.hidden && !isModuleRecord(snap, to)) continue;
    if (isContext(snap, v) && t === ET.internal && name === f.nPrevious) {
      if (isNativeContext(snap, to)) continue;
    }
    out.push(rawLogical(snap, v, to, e));
  }
  return out;
}

/** The variables a closure captures, from its Context and the enclosing ones (up to the native context). */
function capturedVariables(snap: HeapSnapshot, closure: number, context: number): LogicalEdge[] {
  const f = snapshotFacts(snap);
  const out: LogicalEdge[] = [];
  const seenNames = new Set<number>();
  let c = context;
  for (let depth = 0; depth < 16 && c >= 0 && isContext(snap, c); depth++) {
    let next = -1;
    for (let e = snap.firstEdge[c]!; e < snap.firstEdge[c + 1]!; e++) {
      const t = snap.edgeTypeOf(e);
      if (t === snap.edgeTypes.context) {
        const name = snap.edgeNameAt(e);
        if (seenNames.has(name)) continue; // an inner variable shadows an outer one
        seenNames.add(name);
        const to = snap.edgeTarget(e);
        if (isNoise(snap, to)) continue;
        out.push({ from: closure, to, label: rawEdgeLabel(snap, e), kind: 'context', weak: false, edge: e });
      } else if (t === snap.edgeTypes.internal && snap.edgeNameAt(e) === f.nPrevious) {
        next = snap.edgeTarget(e);
      }
    }
    c = next;
  }
  return out;
}

function entryLabel(snap: HeapSnapshot, entry: TableEntry): string {
  return entry.key >= 0 ? `get(${keyText(snap, entry.key)})` : 'get(?)';
}

/** A collection's entries as references from the collection itself. */
function entryEdges(snap: HeapSnapshot, owner: number, kind: 'Map' | 'Set' | 'WeakMap' | 'WeakSet', table: number): LogicalEdge[] {
  const out: LogicalEdge[] = [];
  const weakKeys = kind === 'WeakMap' || kind === 'WeakSet';
  for (const entry of decodeTable(snap, kind, table)) {
    if (kind === 'Set' || kind === 'WeakSet') {
      out.push({ from: owner, to: entry.key, label: 'has', kind: weakKeys ? 'weak' : 'entry', weak: weakKeys, edge: entry.keyEdge });
      continue;
    }
    // Primitive keys are shown in the value's label; object keys get their own edge.
    if (entry.key >= 0 && !isPrimitiveLike(snap, entry.key) && entry.keyEdge >= 0) {
      out.push({ from: owner, to: entry.key, label: 'key', kind: weakKeys ? 'weak' : 'entry', weak: weakKeys, edge: entry.keyEdge });
    }
    if (entry.value >= 0) {
      out.push({ from: owner, to: entry.value, label: entryLabel(snap, entry), kind: 'entry', weak: false, edge: entry.valueEdge });
    }
  }
  return out;
}

function isPrimitiveLike(snap: HeapSnapshot, ordinal: number): boolean {
  const t = snap.nodeType[ordinal];
  return isStringType(snap, ordinal) || t === snap.types.number || t === snap.types.bigint || t === snap.types.symbol;
}

/**
 * The retainers of node `v` as a programmer reads them: the mirror image of
 * {@link logicalReferences}. A variable's Context is replaced by the closures
 * that use it (the Context stays too when something else holds it, such as
 * a module record), a table slot by its collection, a backing store slot by
 * its object.
 */
export function logicalRetainers(snap: HeapSnapshot, v: number, options: LogicalOptions = {}): LogicalEdge[] {
  const internals = options.internals === true;
  const prototypes = options.prototypes === true || internals;
  const r = snap.retainers();
  const f = snapshotFacts(snap);
  const ET = snap.edgeTypes;
  const out: LogicalEdge[] = [];
  const lo = r.first[v]!;
  const hi = r.first[v + 1]!;
  if (internals) {
    for (let k = lo; k < hi; k++) out.push(rawLogical(snap, r.nodes[k]!, v, r.edges[k]!));
    return out;
  }
  const seen = new Set<string>();
  const push = (edge: LogicalEdge): void => {
    const key = `${edge.from}:${edge.label}:${edge.kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(edge);
  };
  // Who refers to v directly by element or property (backing store slots repeat them).
  const direct = new Set<number>();
  for (let k = lo; k < hi; k++) {
    const t = snap.edgeTypeOf(r.edges[k]!);
    if (t === ET.element || t === ET.property) direct.add(r.nodes[k]!);
  }
  for (let k = lo; k < hi; k++) {
    const e = r.edges[k]!;
    const u = r.nodes[k]!;
    const t = snap.edgeTypeOf(e);
    const name = snap.edgeNameAt(e);
    if (isNoise(snap, u)) continue;
    if (t === ET.property && name === f.nProto && !prototypes) continue;
    if (isStringType(snap, u)) continue;
    if (isBackingStore(snap, u)) {
      for (const owner of holdersOf(snap, u, [f.nElements, f.nProperties])) {
        if (direct.has(owner)) continue;
        const label = rawEdgeLabel(snap, e);
        push({ from: owner, to: v, label, kind: /^\d+$/.test(label) ? 'element' : 'property', weak: false, edge: e });
      }
      continue;
    }
    const tableOwner = t === ET.internal || t === ET.weak ? tableOwnerOf(snap, u) : -1;
    if (tableOwner >= 0) {
      const kind = collectionKind(snap, tableOwner)!;
      for (const le of entryEdges(snap, tableOwner, kind, u)) if (le.to === v) push(le);
      continue;
    }
    if (t === ET.internal && snap.strings.prefix(name, 200).includes('pair in WeakMap')) {
      push({ from: u, to: v, label: 'as WeakMap key', kind: 'entry', weak: false, edge: e });
      continue;
    }
    if (t === ET.context && isContext(snap, u)) {
      const holders = contextHolders(snap, u);
      for (const h of holders) push({ from: h, to: v, label: rawEdgeLabel(snap, e), kind: 'context', weak: false, edge: e });
      // Keep the Context itself when something other than closures and inner scopes holds it.
      let others = false;
      for (let j = r.first[u]!; j < r.first[u + 1]! && !others; j++) {
        const ue = r.edges[j]!;
        if (snap.edgeTypeOf(ue) === ET.weak) continue;
        const from = r.nodes[j]!;
        if (isNoise(snap, from)) continue;
        const n = snap.edgeNameAt(ue);
        if (snap.edgeTypeOf(ue) === ET.internal && (n === f.nContext || n === f.nPrevious)) continue;
        others = true;
      }
      if (others || holders.length === 0) push(rawLogical(snap, u, v, e));
      continue;
    }
    if ((t === ET.internal || t === ET.hidden) && snap.nodeType[u] === snap.types.hidden && !isModuleRecord(snap, u)) continue;
    if (t === ET.weak && (snap.nodeType[u] === snap.types.synthetic || snap.nodeType[u] === snap.types.hidden)) continue;
    push(rawLogical(snap, u, v, e));
  }
  return out;
}

/**
 * The functions (and generators) that can reach the variables of Context `c`:
 * those whose own Context is `c`, or an inner scope of it (through
 * `previous`). Bounded: at most 8 scopes deep and 1,000 holders.
 */
function contextHolders(snap: HeapSnapshot, c: number): number[] {
  const f = snapshotFacts(snap);
  const r = snap.retainers();
  const out: number[] = [];
  let level = [c];
  const seen = new Set<number>([c]);
  for (let depth = 0; depth < 8 && level.length > 0 && out.length < 1000; depth++) {
    const next: number[] = [];
    for (const ctx of level) {
      for (let k = r.first[ctx]!; k < r.first[ctx + 1]!; k++) {
        const e = r.edges[k]!;
        if (snap.edgeTypeOf(e) !== snap.edgeTypes.internal) continue;
        const from = r.nodes[k]!;
        if (seen.has(from) || isNoise(snap, from)) continue;
        const name = snap.edgeNameAt(e);
        if (name === f.nContext && !isContext(snap, from)) {
          seen.add(from);
          out.push(from);
        } else if (name === f.nPrevious && isContext(snap, from)) {
          seen.add(from);
          next.push(from);
        }
      }
    }
    level = next;
  }
  return out;
}

/** Retainers of `node` through internal edges with one of these names. */
function holdersOf(snap: HeapSnapshot, node: number, names: number[]): number[] {
  const r = snap.retainers();
  const out: number[] = [];
  for (let k = r.first[node]!; k < r.first[node + 1]!; k++) {
    const e = r.edges[k]!;
    if (snap.edgeTypeOf(e) === snap.edgeTypes.internal && names.includes(snap.edgeNameAt(e))) out.push(r.nodes[k]!);
  }
  return out;
}

/** The Map/Set/WeakMap/WeakSet whose `table` is `node`, or -1. */
export function tableOwnerOf(snap: HeapSnapshot, node: number): number {
  if (snap.nodeType[node] !== snap.types.array) return -1;
  const f = snapshotFacts(snap);
  for (const owner of holdersOf(snap, node, [f.nTable])) if (collectionKind(snap, owner) !== null) return owner;
  return -1;
}

// ---- Descriptions -------------------------------------------------------------

/**
 * A short, safe description of a node (objgraph's `_safe_repr`): a string's
 * first 40 characters, `N items` for arrays, Maps and Sets, `N properties`
 * for plain objects, a function's name and where it is defined, a number's
 * value. Never runs user code. Null when there is nothing useful to say.
 */
export function describeNode(snap: HeapSnapshot, v: number): string | null {
  const T = snap.types;
  const t = snap.nodeType[v];
  if (isStringType(snap, v)) {
    const text = snap.strings.prefix(snap.nodeNameAt(v), 200);
    const cut = [...text].slice(0, 40).join('');
    return JSON.stringify(cut) + (cut.length < text.length || snap.strings.byteLength(snap.nodeNameAt(v)) > 200 ? '\u2026' : '');
  }
  if (t === T.number) return snap.strings.prefix(snap.nodeNameAt(v), 40);
  if (t === T.closure) {
    const name = snap.strings.prefix(snap.nodeNameAt(v), 80) || '(anonymous)';
    const loc = snap.location(v);
    if (!loc) return `${name}()`;
    const script = snap.scriptNames.get(loc.scriptId) ?? `script#${loc.scriptId}`;
    return `${name}() @ ${script}:${loc.line + 1}`;
  }
  if (t === T.regexp) return snap.strings.prefix(snap.nodeNameAt(v), 40);
  if (t === T.synthetic) return snap.strings.prefix(snap.nodeNameAt(v), 60) || null;
  if (isModuleRecord(snap, v)) return 'module record';
  if (t !== T.object) return null;
  const kind = collectionKind(snap, v);
  if (kind !== null) {
    const table = tableOf(snap, v);
    const n = table >= 0 ? decodeTable(snap, kind, table).length : 0;
    return items(n);
  }
  const cls = snap.className(v);
  if (cls === 'Array') {
    const n = arrayLength(snap, v);
    return n < 0 ? null : items(n);
  }
  if (isContext(snap, v)) return null;
  let props = 0;
  const f = snapshotFacts(snap);
  for (let e = snap.firstEdge[v]!; e < snap.firstEdge[v + 1]!; e++) {
    if (snap.edgeTypeOf(e) === snap.edgeTypes.property && snap.edgeNameAt(e) !== f.nProto) props++;
  }
  if (cls === 'Object' && props > 0) return props === 1 ? '1 property' : `${props} properties`;
  return null;
}

function items(n: number): string {
  return n === 1 ? "1 item" : `${n} items`;
}

/**
 * Length of an array as far as the snapshot tells: the highest element index
 * + 1; -1 when unknown (only small integers, which have no edges, in a
 * non-empty backing store).
 */
function arrayLength(snap: HeapSnapshot, v: number): number {
  let max = -1;
  const f = snapshotFacts(snap);
  let store = -1;
  for (let e = snap.firstEdge[v]!; e < snap.firstEdge[v + 1]!; e++) {
    const t = snap.edgeTypeOf(e);
    if (t === snap.edgeTypes.element) max = Math.max(max, snap.edgeNameAt(e));
    else if (t === snap.edgeTypes.internal && snap.edgeNameAt(e) === f.nElements) store = snap.edgeTarget(e);
  }
  if (max < 0 && store >= 0 && isBackingStore(snap, store)) {
    for (let e = snap.firstEdge[store]!; e < snap.firstEdge[store + 1]!; e++) {
      if (snap.edgeHasIndex(e)) max = Math.max(max, snap.edgeNameAt(e));
      else {
        // Slots of a backing store are internal edges named "0", "1", …
        const n = Number(snap.strings.prefix(snap.edgeNameAt(e), 12));
        if (Number.isInteger(n)) max = Math.max(max, n);
      }
    }
  }
  if (max < 0 && store >= 0 && snap.selfSizeOf(store) > 16) return -1;
  return max + 1;
}
