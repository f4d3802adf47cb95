/**
 * objgraph's API for the running isolate: statistics, growth, new ids, and the
 * live objects back by class and by id. Everything is synchronous: it works in
 * a REPL, in tests, in a worker thread and in a debugger console at a
 * breakpoint.
 *
 * Every function that reports on the heap takes a fresh heap snapshot of the
 * current isolate through an in-process `node:inspector` session (V8 runs a
 * full GC first), so the cost is that of a snapshot: time and memory
 * proportional to the heap (see docs/live-api.md for figures; `progress:
 * true` reports to stderr).
 *
 * What is counted: the objects the program holds — reachable from the global
 * object, the stack, modules and native handles — that a JavaScript
 * programmer can name. Left out: V8 internals, what only V8 itself holds
 * (strings only compiled code uses, literal boilerplates, constants pinned by
 * the optimizing compiler), and the tool's own objects (its inspector
 * session, tracker state, the options object of the call in flight, the
 * inspector command that takes the snapshot, and the results it returned
 * earlier). So two `showGrowth()` calls in a row print nothing the second time.
 *
 * @example
 * import { getNewIds, atAddrs } from 'objgraph';
 * getNewIds({ limit: 0 });
 * const x = []; const y = [x, [x], { x }];
 * const ids = getNewIds(); // prints the table: Array +3, Object +1 on top
 * atAddrs(ids.Array);      // [x, y, [x]]: the objects themselves
 */
import { types } from 'node:util';
import type { HeapNode } from '../snapshot/views.js';
import type { HeapSnapshot } from '../snapshot/model.js';
import { lowerBound } from '../snapshot/search.js';
import { classStats, ordinalsOfClass, selectNodes, type CensusOptions } from '../analysis/census.js';
import { liveInspector } from '../sources/inspector.js';
import { exclusionMask, takeLiveSnapshot, type LiveSnapshot } from '../sources/live.js';
import { VISIBLE } from '../sources/exclude.js';
import { emitText } from '../sources/write.js';
import { formatGrowth, formatMostCommonTypes, formatNewIds, type CommonTypeRow, type NewIdsRow } from '../render/text.js';

export { takeLiveSnapshot, exclusionMask, type LiveSnapshot } from '../sources/live.js';

/** Anything with a `write(string)`: a stream, `process.stdout`, a test sink. */
export interface TextSink {
  write(chunk: string): unknown;
}

export interface StatsOptions {
  /** Keep only nodes for which this returns true. Receives node views; the objects' getters are never called. */
  filter?: ((node: HeapNode) => boolean) | undefined;
  /** `false` qualifies class names with their source location (`Session@script#42:3:1`). Default true. */
  shortnames?: boolean | undefined;
  /** Restrict the statistics to these live objects (objgraph's `objects`). */
  objects?: Iterable<object> | undefined;
  /** Include V8 internals and what only V8 holds (hidden objects, code, shapes, interned strings). Default false. */
  internals?: boolean | undefined;
  /** Report the snapshot's progress to stderr (useful on big heaps). */
  progress?: boolean | undefined;
}

export interface CommonTypesOptions extends StatsOptions {
  /** How many rows; 0 or null means all. Default 10. */
  limit?: number | null | undefined;
  /** Order and extra column: 'count' (objgraph's), 'selfSize' or 'retainedSize' (bytes). */
  sortBy?: 'count' | 'selfSize' | 'retainedSize' | undefined;
}

export interface ShowOptions {
  /** Where the text goes; default `process.stdout` (resolved at call time). */
  file?: TextSink | undefined;
}

export interface GrowthOptions extends Omit<StatsOptions, 'objects'> {
  /** How many rows; 0 or null means all. Default 10. */
  limit?: number | null | undefined;
  /** objgraph's peak semantics ('peak', default) or plain differences from the last call, shrinking types included ('delta'). */
  mode?: 'peak' | 'delta' | undefined;
  /** Peak counts to compare with and update (objgraph's `peak_stats`); default: the tracker's. */
  peakStats?: Map<string, number> | undefined;
}

export interface NewIdsOptions {
  /** Return the previous result without taking a snapshot. */
  skipUpdate?: boolean | undefined;
  /** Rows printed; null means all, 0 prints nothing. Default 10. */
  limit?: number | null | undefined;
  /** Column the rows are sorted by, largest first (ties by name, descending, as objgraph). Default 'deltas'. */
  sortby?: 'old' | 'current' | 'new' | 'deltas' | undefined;
  /** Sticky like objgraph's: the last explicit value is remembered. */
  shortnames?: boolean | undefined;
  file?: TextSink | undefined;
  internals?: boolean | undefined;
  progress?: boolean | undefined;
}

/**
 * `{class name: Set of snapshot ids}` of the objects that are new since the
 * previous call. Only classes with new objects have an entry.
 */
export type NewIds = Record<string, Set<number>>;

interface TrackerState {
  peak: Map<string, number>;
  lastCounts: Map<string, number> | null;
  /** Largest V8 heap object id of the previous getNewIds snapshot (0 before the first). */
  prevMaxId: number;
  /** Class counts of the previous getNewIds. */
  prevCounts: Map<string, number>;
  newIds: NewIds;
  shortnames: boolean;
}

/** What the face remembers of the last snapshot it read: the ids `at()` may hand out. */
interface SeenState {
  /** Ids of the nodes the program holds and a programmer can name; sorted on first use. */
  ids: Uint32Array;
  sorted: boolean;
  /** Largest (odd: V8 heap object) id in the last snapshot read. */
  maxId: number;
}

let seenSlot = -1;

function seen(): SeenState {
  const insp = liveInspector();
  if (seenSlot < 0) seenSlot = insp.register({ ids: new Uint32Array(0), sorted: true, maxId: 0 } satisfies SeenState);
  return insp.registered(seenSlot) as SeenState;
}

/** Records which ids of `live` are the program's user-visible objects. */
function recordSeen(live: LiveSnapshot): void {
  const snap = live.snapshot;
  const mask = live.toolOwned;
  let n = 0;
  let maxId = 0;
  const ids = new Uint32Array(snap.nodeCount);
  const visible = snap.userVisibleFlags();
  for (let i = 0; i < snap.nodeCount; i++) {
    const id = snap.idOf(i);
    if (id > maxId && (id & 1) === 1) maxId = id; // even ids are the embedder's, from another counter
    if (mask[i] === VISIBLE && (visible[i >>> 3]! & (1 << (i & 7))) !== 0) ids[n++] = id;
  }
  const state = seen();
  state.ids = ids.slice(0, n);
  state.sorted = false;
  state.maxId = maxId;
}

/**
 * A snapshot that leaves out the call's own options object (and `extra`, the
 * peak stats). Nothing is allocated before it: whatever is, sits on the stack
 * while V8 builds the snapshot.
 */
function snapshotFor(options: { progress?: boolean | undefined } | undefined, extra?: object): LiveSnapshot {
  const last = seen().maxId;
  const live = takeLiveSnapshot(options, extra, options?.progress === true, false, liveInspector(), last === 0 ? Infinity : last);
  recordSeen(live);
  return live;
}

/** Census options for a live snapshot: the tool's nodes (and V8's, unless `internals`) excluded. */
function censusOptions(live: LiveSnapshot, options: StatsOptions | undefined, shortnames = options?.shortnames !== false): CensusOptions {
  const internals = options?.internals === true;
  const out: CensusOptions = { shortnames, all: internals, exclude: exclusionMask(live, internals) };
  if (options?.filter) out.filter = options.filter;
  if (options?.objects) out.objects = ordinalsOf(live.snapshot, options.objects);
  return out;
}

/** Ordinals of live objects in `snap` (objects the snapshot does not have are skipped). */
function ordinalsOf(snap: HeapSnapshot, objects: Iterable<object>): number[] {
  const insp = liveInspector();
  const out: number[] = [];
  for (const o of objects) {
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null) continue;
    const id = insp.knownId(o);
    const i = id === 0 ? -1 : snap.ordinalOf(id);
    if (i >= 0) out.push(i);
  }
  return out;
}

/** Writes the text of a show* function. */
function emit(file: TextSink | undefined, text: string): void {
  emitText(file, text);
}

function cut<T>(rows: T[], limit: number | null | undefined): T[] {
  const l = limit === undefined ? 10 : limit;
  return l === null || l === 0 || l === Infinity ? rows : rows.slice(0, l);
}

/**
 * Class name → count of a live snapshot: the census's selection
 * (`selectNodes`) counted by class, without the distances `census()` also
 * computes (a pass over every edge that growth does not need).
 */
function classCountsOf(live: LiveSnapshot, options: StatsOptions | undefined): Map<string, number> {
  const snap = live.snapshot;
  const opts = censusOptions(live, options);
  const selected = selectNodes(snap, opts);
  const classes = opts.shortnames === false ? snap.qualifiedClassIndexes() : snap.classIndexes();
  // Class indexes are string indexes: count in an array indexed by them.
  let byClass = new Uint32Array(4096);
  for (let i = 0; i < selected.length; i++) {
    if (!selected[i]) continue;
    const c = classes[i]!;
    if (c >= byClass.length) {
      const grown = new Uint32Array(Math.max(c + 1, byClass.length * 2));
      grown.set(byClass);
      byClass = grown;
    }
    byClass[c]!++;
  }
  const out = new Map<string, number>();
  for (let c = 0; c < byClass.length; c++) {
    const k = byClass[c]!;
    if (k === 0) continue;
    const name = snap.strings.get(c);
    out.set(name, (out.get(name) ?? 0) + k);
  }
  return out;
}

/**
 * The state of `growth` and `getNewIds`. The module functions use one default
 * tracker; make your own to follow two things independently. Its state is
 * kept out of every result.
 *
 * @example
 * const t = new Tracker();
 * t.showGrowth({ limit: 0 });   // baseline
 * handleRequest();
 * t.showGrowth();               // what handleRequest() left behind
 */
export class Tracker {
  readonly #slot: number;

  constructor() {
    const state: TrackerState = {
      peak: new Map(),
      lastCounts: null,
      prevMaxId: 0,
      prevCounts: new Map(),
      newIds: Object.create(null) as NewIds,
      shortnames: true,
    };
    this.#slot = liveInspector().register(state);
  }

  /** Forgets this tracker's state (it cannot be used afterwards). */
  dispose(): void {
    liveInspector().unregister(this.#slot);
  }

  // Fetched only after a snapshot: no local may hold new state while V8 builds one.
  #state(): TrackerState {
    const s = liveInspector().registered(this.#slot) as TrackerState | undefined;
    if (s === undefined) throw new Error('objgraph: this Tracker was disposed');
    return s;
  }

  /**
   * objgraph's growth(): `[name, count, delta]` for the classes whose count
   * went above its peak, largest delta first. With `mode: 'delta'`, the change
   * since the last call, shrinking classes included.
   */
  growth(options?: GrowthOptions): Array<[string, number, number]> {
    try {
      warmUp();
      const live = snapshotFor(options, options?.peakStats);
      const counts = classCountsOf(live, options);
      const state = this.#state();
      const rows: Array<[string, number, number]> = [];
      if (options?.mode === 'delta') {
        const last = state.lastCounts ?? new Map<string, number>();
        for (const [name, count] of counts) {
          const delta = count - (last.get(name) ?? 0);
          if (delta !== 0) rows.push([name, count, delta]);
        }
        for (const [name, count] of last) if (!counts.has(name)) rows.push([name, 0, -count]);
      } else {
        const peak = options?.peakStats ?? state.peak;
        for (const [name, count] of counts) {
          const old = peak.get(name) ?? 0;
          if (count > old) {
            rows.push([name, count, count - old]);
            peak.set(name, count);
          }
        }
      }
      state.lastCounts = counts;
      rows.sort((a, b) => Math.abs(b[2]) - Math.abs(a[2]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const out = cut(rows, options?.limit);
      remember(out);
      return out;
    } finally {
      resetRegExpState();
    }
  }

  /** objgraph's show_growth(): `%-*s%9d %+9d` lines; nothing when nothing grew. */
  showGrowth(options?: GrowthOptions & ShowOptions): void {
    const rows = this.growth(options);
    emit(options?.file, formatGrowth(rows));
  }

  /**
   * objgraph's get_new_ids(): the ids of the objects that appeared since the
   * previous call, by class, and the Old_ids / Current_ids / New_ids /
   * Count_Deltas table (`limit` rows). Returns a new object on every call
   * (objgraph mutates one); the objects it returns are never counted.
   */
  getNewIds(options?: NewIdsOptions): NewIds {
    try {
      if (options?.skipUpdate === true) return this.#state().newIds;
      warmUp();
      const live = snapshotFor(options);
      const state = this.#state();
      if (options?.shortnames !== undefined) state.shortnames = options.shortnames;
      const snap = live.snapshot;
      const selected = selectNodes(snap, censusOptions(live, options, state.shortnames));
      const classes = state.shortnames ? snap.classIndexes() : snap.qualifiedClassIndexes();
      // V8 numbers the objects a snapshot sees for the first time above every
      // id it gave before: an object is new since the previous call exactly
      // when its id is above that snapshot's largest id. (Objects that were
      // there but not counted, e.g. held only by V8 then, are not new.)
      const prevMax = state.prevMaxId;
      const maxId = seen().maxId;
      const countByClass = new Map<number, number>();
      const newByClass = new Map<number, number[]>();
      for (let o = 0; o < snap.nodeCount; o++) {
        if (!selected[o]) continue;
        const c = classes[o]!;
        countByClass.set(c, (countByClass.get(c) ?? 0) + 1);
        const id = snap.idOf(o);
        if (id <= prevMax) continue;
        let list = newByClass.get(c);
        if (!list) newByClass.set(c, (list = []));
        list.push(id);
      }
      const counts = new Map<string, number>();
      for (const [c, k] of countByClass) {
        const name = snap.strings.get(c);
        counts.set(name, (counts.get(name) ?? 0) + k);
      }
      const newIds = Object.create(null) as NewIds;
      for (const [c, list] of newByClass) {
        const name = snap.strings.get(c);
        let set = newIds[name];
        if (!set) newIds[name] = set = new Set();
        for (const id of list) set.add(id);
      }
      const rows: NewIdsRow[] = [];
      for (const [name, c] of counts) {
        const o = state.prevCounts.get(name) ?? 0;
        rows.push([name, o, c, newIds[name]?.size ?? 0, c - o]);
      }
      for (const [name, o] of state.prevCounts) if (!counts.has(name) && o > 0) rows.push([name, o, 0, 0, -o]);
      const column = { old: 1, current: 2, new: 3, deltas: 4 }[options?.sortby ?? 'deltas'];
      rows.sort((a, b) => (b[column] as number) - (a[column] as number) || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
      state.prevMaxId = maxId;
      state.prevCounts = counts;
      state.newIds = newIds;
      const limit = options?.limit === undefined ? 10 : options.limit;
      const text = formatNewIds(limit === null ? rows : rows.slice(0, limit));
      remember(newIds);
      for (const name in newIds) remember(newIds[name]!);
      emit(options?.file, text);
      return newIds;
    } finally {
      resetRegExpState();
    }
  }
}

const lastMatchReset = /^/;

/**
 * Points RegExp's legacy last-match state (`RegExp.lastMatch`, `RegExp.$1`…,
 * kept per realm) at the empty string. The analysis runs regular expressions
 * on strings it decodes from the snapshot; the last subject would otherwise
 * stay alive and be counted as a new string by the next call.
 */
function resetRegExpState(): void {
  lastMatchReset.test('');
}

/** Marks a result as the tool's own for later snapshots (see LiveInspector.rememberResult). */
function remember(value: object): void {
  liveInspector().rememberResult(value);
}

let defaultTracker: Tracker | null = null;
function tracker(): Tracker {
  warmUp();
  if (defaultTracker === null) defaultTracker = new Tracker();
  return defaultTracker;
}

let warm = false;

/**
 * Prepares the live API before the first snapshot (the first call of any
 * function does it): connects the inspector session, creates the default
 * tracker and makes Node create its lazily built `process.stdout`, so that
 * none of them shows up as new in the second call.
 */
export function warmUp(): void {
  if (warm) return;
  warm = true;
  liveInspector();
  seen();
  if (defaultTracker === null) defaultTracker = new Tracker();
  void process.stdout;
  void process.stderr;
}

// ---- Statistics ------------------------------------------------------------

/** objgraph's count(): how many live objects have class `name` (a qualified name when it has `@file:line:column`). */
export function count(name: string, options?: StatsOptions): number {
  try {
    warmUp();
    const live = snapshotFor(options);
    return ordinalsOfClass(live.snapshot, name, censusOptions(live, options)).length;
  } finally {
    resetRegExpState();
  }
}

/** objgraph's typestats(): `{class name: count}` over the live heap. */
export function typestats(options?: StatsOptions): Record<string, number> {
  try {
    warmUp();
    const live = snapshotFor(options);
    const out = Object.create(null) as Record<string, number>;
    for (const [name, n] of classCountsOf(live, options)) out[name] = n;
    remember(out);
    return out;
  } finally {
    resetRegExpState();
  }
}

/**
 * objgraph's most_common_types(): `[name, count]` pairs, most common first.
 * With `sortBy: 'selfSize' | 'retainedSize'` the rows are `[name, count, bytes]`
 * sorted by that size.
 */
export function mostCommonTypes(options?: CommonTypesOptions): CommonTypeRow[] {
  try {
    warmUp();
    const live = snapshotFor(options);
    const sortBy = options?.sortBy ?? 'count';
    const stats = classStats(live.snapshot, { ...censusOptions(live, options), sortBy, limit: options?.limit === undefined ? 10 : options.limit });
    const rows: CommonTypeRow[] = stats.map((s) =>
      sortBy === 'count' ? [s.name, s.count] : [s.name, s.count, sortBy === 'selfSize' ? s.selfSize : (s.retainedSize ?? 0)],
    );
    remember(rows);
    return rows;
  } finally {
    resetRegExpState();
  }
}

/** objgraph's show_most_common_types(): `name count` lines, names padded to the widest. */
export function showMostCommonTypes(options?: CommonTypesOptions & ShowOptions): void {
  const rows = mostCommonTypes(options);
  const sortBy = options?.sortBy ?? 'count';
  emit(options?.file, formatMostCommonTypes(rows, sortBy === 'count' ? [] : [sortBy]));
}

/** objgraph's growth() with the default tracker. */
export function growth(options?: GrowthOptions): Array<[string, number, number]> {
  return tracker().growth(options);
}

/** objgraph's show_growth() with the default tracker. */
export function showGrowth(options?: GrowthOptions & ShowOptions): void {
  tracker().showGrowth(options);
}

/** objgraph's get_new_ids() with the default tracker. */
export function getNewIds(options?: NewIdsOptions): NewIds {
  return tracker().getNewIds(options);
}

// ---- Objects and ids -------------------------------------------------------

/**
 * The snapshot id of a live object or function: stable for its life, never
 * reused, the same id its node has in every snapshot of this isolate.
 * Cheap when a snapshot has already seen the object; otherwise it takes one.
 */
export function id(obj: object): number {
  warmUp();
  return liveInspector().id(obj);
}

/** Whether the last snapshot read lists `id` among the program's user-visible objects. */
function isSeen(id: number): boolean {
  const s = seen();
  if (!s.sorted) {
    s.ids.sort();
    s.sorted = true;
  }
  const ids = s.ids;
  return ids[lowerBound(ids, id)] === id;
}

/**
 * The live object with snapshot id `id`, or undefined. Only objects the
 * program holds and a programmer can name are handed out: ids of V8
 * internals (hidden objects, code, shapes, literal boilerplates — touching
 * those can corrupt or crash V8), of the tool's own objects, of primitives
 * (strings, numbers) and of collected objects give undefined.
 */
export function at(id: number): unknown {
  warmUp();
  if (!Number.isInteger(id) || id <= 0) return undefined;
  if (!isSeen(id)) {
    // An id newer than the last snapshot read (id() may take one without reading it): look again.
    if (id <= seen().maxId) return undefined;
    snapshotFor(undefined);
    if (!isSeen(id)) return undefined;
  }
  return liveInspector().at(id);
}

/** objgraph's at_addrs(): the live objects with these ids, in the given order (gone ones skipped). */
export function atAddrs(ids: Iterable<number> | undefined): unknown[] {
  const out: unknown[] = [];
  if (ids === undefined) return out;
  for (const i of ids) {
    const v = at(i);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** objgraph's by_type(): the live objects of class `name` (a qualified name when it has `@file:line:column`). */
export function byType(name: string, options?: StatsOptions): unknown[] {
  try {
    warmUp();
    const live = snapshotFor(options);
    const snap = live.snapshot;
    const ordinals = ordinalsOfClass(snap, name, censusOptions(live, options));
    if (ordinals.length <= FEW) return atAddrs(ordinals.map((i) => snap.idOf(i)));
    return objectsOf(snap, ordinals);
  } finally {
    resetRegExpState();
  }
}

/** Below this many objects, byType() fetches them one by one (a heap walk each); above, by prototype. */
const FEW = 16;

/**
 * The live objects of many ordinals: grouped by their prototype, each group
 * fetched with one `queryObjects` heap walk and matched by id. Objects
 * without a `__proto__` edge are fetched one by one.
 */
function objectsOf(snap: HeapSnapshot, ordinals: readonly number[]): unknown[] {
  const insp = liveInspector();
  const wanted = new Set<number>();
  const byProto = new Map<number, number>();
  const single: number[] = [];
  const E = snap.edgeTypes;
  const protoName = snap.strings.indexOf('__proto__');
  const protoOf = (i: number): number => {
    if (protoName < 0) return -1;
    for (let e = snap.firstEdge[i]!; e < snap.firstEdge[i + 1]!; e++) {
      if (snap.edgeNameAt(e) === protoName && snap.edgeTypeOf(e) === E.property) return snap.edgeTarget(e);
    }
    return -1;
  };
  for (const i of ordinals) {
    wanted.add(snap.idOf(i));
    const p = protoOf(i);
    if (p < 0) single.push(snap.idOf(i));
    else byProto.set(p, (byProto.get(p) ?? 0) + 1);
  }
  // How many nodes of the whole snapshot have each of these prototypes: when
  // all of them are wanted, the live objects need no id check.
  const total = new Map<number, number>();
  for (const p of byProto.keys()) total.set(p, 0);
  for (let i = 0; i < snap.nodeCount; i++) {
    const p = protoOf(i);
    const t = total.get(p);
    if (t !== undefined) total.set(p, t + 1);
  }
  const out: unknown[] = [];
  for (const [p, n] of byProto) {
    const proto = insp.at(snap.idOf(p));
    if ((typeof proto !== 'object' && typeof proto !== 'function') || proto === null) continue;
    const direct = insp.instancesOf(proto).filter((o) => Object.getPrototypeOf(o) === proto);
    if (direct.length === n && total.get(p) === n) {
      for (const o of direct) out.push(o);
      continue;
    }
    for (const o of direct) if (wanted.has(insp.knownId(o as object))) out.push(o);
  }
  for (const id of single) {
    const v = at(id);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/**
 * objgraph's get_leaking_objects(), in JavaScript terms: the objects the
 * program holds only through native handles — V8 global handles and
 * embedder roots such as Node's internal handles — and through no JavaScript
 * reference at all (no property, element, variable or stack slot). Typical
 * members: an in-flight request object a `node:` binding keeps (an
 * `FSReqCallback` while `fs.readFile` runs), wrappers a native addon holds
 * with `Persistent` handles, and objects an addon forgot to release.
 *
 * @example
 * fs.readFile(__filename, () => {});
 * getLeakingObjects().map((o) => o.constructor.name); // [..., 'FSReqCallback']
 */
export function getLeakingObjects(options?: StatsOptions): unknown[] {
  try {
    warmUp();
    const live = snapshotFor(options);
    const snap = live.snapshot;
    const mask = live.toolOwned;
    const selected = selectNodes(snap, censusOptions(live, options));
    const ret = snap.retainers();
    const T = snap.types;
    const weak = snap.edgeTypes.weak;
    const stackRoots = new Set<number>();
    for (let i = 0; i < snap.nodeCount; i++) {
      if (snap.nodeType[i] !== T.synthetic) continue;
      const name = snap.nodeNameOf(i);
      if (name === '(Stack roots)' || i === snap.rootOrdinal || name === '(GC roots)') stackRoots.add(i);
    }
    const ids: number[] = [];
    for (let i = 0; i < snap.nodeCount; i++) {
      if (!selected[i]) continue;
      const t = snap.nodeType[i];
      if (t !== T.object && t !== T.closure && t !== T.regexp) continue;
      let native = 0;
      let other = 0;
      for (let k = ret.first[i]!; k < ret.first[i + 1]!; k++) {
        if (snap.edgeTypeOf(ret.edges[k]!) === weak) continue;
        const from = ret.nodes[k]!;
        if (mask[from] !== VISIBLE) continue; // V8's own references (code, tables) and the tool's do not count
        const ft = snap.nodeType[from];
        if (ft === T.synthetic) {
          if (stackRoots.has(from)) other++;
          else native++;
        } else if (ft === T.native && (snap.idOf(from) & 1) === 0) {
          native++;
        } else {
          other++;
        }
      }
      if (native > 0 && other === 0) ids.push(snap.idOf(i));
    }
    return atAddrs(ids);
  } finally {
    resetRegExpState();
  }
}

/**
 * objgraph's is_proper_module(): whether `x` is a module namespace object or
 * the global object, the places where retainer chains stop.
 */
export function isProperModule(x: unknown): boolean {
  if (x === globalThis) return true;
  return typeof x === 'object' && x !== null && types.isModuleNamespaceObject(x);
}

/**
 * Whether `x` is a root: a node view of a GC root (the snapshot's root, its
 * synthetic subroots and the global objects), or a live value that is the
 * global object or a module namespace.
 */
export function isRoot(x: unknown): boolean {
  if (x !== null && typeof x === 'object' && 'snapshot' in x && 'ordinal' in x) {
    const node = x as HeapNode;
    const snap = node.snapshot;
    const i = node.ordinal;
    if (i === snap.rootOrdinal || snap.nodeType[i] === snap.types.synthetic) return true;
    // The global objects: the root's shortcut edges lead to them.
    const r = snap.rootOrdinal;
    for (let e = snap.firstEdge[r]!; e < snap.firstEdge[r + 1]!; e++) {
      if (snap.edgeTarget(e) === i && snap.edgeTypeOf(e) === snap.edgeTypes.shortcut) return true;
    }
    return false;
  }
  return isProperModule(x);
}
