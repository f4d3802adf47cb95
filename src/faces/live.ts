/**
 * objgraph's API for the running isolate: statistics, growth, new ids, and the
 * live objects back by class and by id. Everything is synchronous.
 *
 * Every function takes a fresh heap snapshot of the current isolate (V8 runs a
 * full GC first), so the cost is that of a snapshot: time and memory
 * proportional to the heap. The tool's own objects (its inspector session,
 * tracker state, the options object of the call in flight and the inspector
 * command that takes the snapshot) are left out of every result.
 *
 * @example
 * import { getNewIds, atAddrs } from 'objgraph';
 * getNewIds({ limit: 0 });
 * const x = []; const y = [x, [x], { x }];
 * const ids = getNewIds(); // prints the table: Array +3, Object +1 on top
 * atAddrs(ids.Array);      // [x, y, [x]] (in id order), the objects themselves
 */
import { types } from 'node:util';
import type { HeapNode } from '../snapshot/views.js';
import type { HeapSnapshot } from '../snapshot/model.js';
import { liveInspector } from '../sources/inspector.js';
import { takeLiveSnapshot, type LiveSnapshot } from '../sources/live.js';
import { CODE_ONLY, TOOL } from '../sources/exclude.js';
import { formatGrowth, formatMostCommonTypes, formatNewIds, type CommonTypeRow, type GrowthRow, type NewIdsRow } from '../render/text.js';

/** Anything with a `write(string)`: a stream, `process.stdout`, a test sink. */
export interface TextSink {
  write(chunk: string): unknown;
}

export interface StatsOptions {
  /** Keep only nodes for which this returns true. Receives node views; never the objects' getters. */
  filter?: ((node: HeapNode) => boolean) | undefined;
  /** `false` qualifies class names with their source location (`Session@file.js:3:1`). Default true. */
  shortnames?: boolean | undefined;
  /** Restrict the statistics to these live objects. */
  objects?: Iterable<object> | undefined;
  /** Include V8 internals (hidden, code, object shapes, internal arrays, synthetic roots). Default false. */
  internals?: boolean | undefined;
  /** Report parse progress of long snapshots to stderr. */
  progress?: boolean | undefined;
}

export interface CommonTypesOptions extends StatsOptions {
  /** How many rows; 0 or null means all. Default 10. */
  limit?: number | null | undefined;
  /** Order and extra column: 'count' (objgraph's), 'selfSize' or 'retainedSize'. */
  sortBy?: 'count' | 'selfSize' | 'retainedSize' | undefined;
}

export interface ShowOptions {
  /** Where the table goes; default `process.stdout` (resolved at call time). */
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
  sortby?: 'old' | 'current' | 'new' | 'deltas' | undefined;
  /** Sticky like objgraph's: the last explicit value is remembered. */
  shortnames?: boolean | undefined;
  file?: TextSink | undefined;
  internals?: boolean | undefined;
  progress?: boolean | undefined;
}

/** `{class name: Set of snapshot ids}`. */
export type NewIds = Record<string, Set<number>>;

interface TrackerState {
  peak: Map<string, number>;
  lastCounts: Map<string, number> | null;
  /** Previous census for getNewIds: `id * 2^20 + class` packed, sorted. */
  prevPacked: Float64Array | null;
  prevNames: string[];
  newIds: NewIds;
  shortnames: boolean;
}

const CLASS_BITS = 2 ** 20;

/**
 * The state of `growth` and `getNewIds`. The module functions use one default
 * tracker; make your own to follow two things independently. The state is kept
 * out of the snapshots' results.
 */
export class Tracker {
  readonly #slot: number;

  /** Forgets this tracker's state (it cannot be used afterwards). */
  dispose(): void {
    liveInspector().unregister(this.#slot);
  }

  constructor() {
    const state: TrackerState = {
      peak: new Map(),
      lastCounts: null,
      prevPacked: null,
      prevNames: [],
      newIds: Object.create(null) as NewIds,
      shortnames: true,
    };
    this.#slot = liveInspector().register(state);
  }

  // Fetched only after a snapshot: no local may hold the state while V8 builds one.
  #state(): TrackerState {
    return liveInspector().registered(this.#slot) as TrackerState;
  }

  /** objgraph's growth(): `[name, count, delta]` sorted by delta, largest first. */
  growth(options?: GrowthOptions): Array<[string, number, number]> {
    const live = snapshotFor(options, options?.peakStats);
    const counts = censusCounts(live, options);
    const state = this.#state();
    const rows: Array<[string, number, number]> = [];
    if (options?.mode === 'delta') {
      const last = state.lastCounts ?? new Map<string, number>();
      for (const [name, count] of counts) {
        const delta = count - (last.get(name) ?? 0);
        if (delta !== 0) rows.push([name, count, delta]);
      }
      for (const [name, count] of last) if (!counts.has(name)) rows.push([name, 0, -count]);
      state.lastCounts = counts;
    } else {
      const peak = options?.peakStats ?? state.peak;
      for (const [name, count] of counts) {
        const old = peak.get(name) ?? 0;
        if (count > old) {
          rows.push([name, count, count - old]);
          peak.set(name, count);
        }
      }
      state.lastCounts = counts;
    }
    rows.sort((a, b) => b[2] - a[2]);
    return cut(rows, options?.limit === undefined ? 10 : options.limit);
  }

  /** objgraph's show_growth(): `%-*s%9d %+9d` lines; nothing when nothing grew. */
  showGrowth(options?: GrowthOptions & ShowOptions): void {
    const file = options?.file ?? process.stdout;
    const text = formatGrowth(this.growth(options));
    if (text !== '') file.write(text);
  }

  /**
   * objgraph's get_new_ids(): the ids of the objects that appeared since the
   * previous call, by class, and the Old_ids / Current_ids / New_ids /
   * Count_Deltas table. Returns a new object on every call (objgraph mutates one).
   */
  getNewIds(options?: NewIdsOptions): NewIds {
    if (options?.skipUpdate === true) return this.#state().newIds;
    const file = options?.file ?? process.stdout;
    const live = snapshotFor(options);
    let state = this.#state();
    if (options?.shortnames !== undefined) state.shortnames = options.shortnames;
    const { packed, names } = packCensus(live, state.shortnames, options?.internals === true);
    state = this.#state();
    const prev = state.prevPacked ?? new Float64Array(0);
    const prevNames = state.prevNames;
    // Counts of old, current and new per class name.
    const rowsByName = new Map<string, [number, number, number]>();
    for (let i = 0; i < prev.length; i++) {
      const name = prevNames[prev[i]! % CLASS_BITS]!;
      const r = rowsByName.get(name);
      if (r) r[0]++;
      else rowsByName.set(name, [1, 0, 0]);
    }
    const newIds = Object.create(null) as NewIds;
    for (let i = 0; i < packed.length; i++) {
      const v = packed[i]!;
      const cls = v % CLASS_BITS;
      const id = (v - cls) / CLASS_BITS;
      const name = names[cls]!;
      let r = rowsByName.get(name);
      if (!r) rowsByName.set(name, (r = [0, 0, 0]));
      r[1]++;
      let set = newIds[name];
      if (!set) newIds[name] = set = new Set();
      if (!containsId(prev, id)) {
        r[2]++;
        set.add(id);
      }
    }
    for (const name of rowsByName.keys()) if (!newIds[name]) newIds[name] = new Set();
    state.prevPacked = packed;
    state.prevNames = names;
    state.newIds = newIds;
    const column = { old: 1, current: 2, new: 3, deltas: 4 }[options?.sortby ?? 'deltas'];
    const rows: NewIdsRow[] = [];
    for (const [name, [o, c, n]] of rowsByName) rows.push([name, o, c, n, c - o]);
    rows.sort((a, b) => (b[column] as number) - (a[column] as number) || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
    const limit = options?.limit === undefined ? 10 : options.limit;
    const shown = limit === null ? rows : rows.slice(0, limit);
    const text = formatNewIds(shown);
    if (text !== '') file.write(text);
    return newIds;
  }
}

let defaultTracker: Tracker | null = null;
function tracker(): Tracker {
  warmUp();
  if (defaultTracker === null) defaultTracker = new Tracker();
  return defaultTracker;
}

const nullSink: TextSink = { write: () => true };
let warm = false;

/**
 * Runs every code path once, on first use, before any result is computed: V8
 * compiles functions lazily, and a first run leaves things behind for good
 * (internalized string constants, allocation sites, object shapes, lazily
 * built Node internals). Done up front, none of it appears as growth or new ids.
 */
export function warmUp(): void {
  if (warm) return;
  warm = true;
  if (defaultTracker === null) defaultTracker = new Tracker();
  const t = new Tracker();
  try {
    t.getNewIds({ file: nullSink, limit: null });
    t.getNewIds({ file: nullSink, limit: null, sortby: 'old' });
    t.showGrowth({ file: nullSink, limit: null });
    t.showGrowth({ file: nullSink, limit: null, mode: 'delta' });
    t.showGrowth({ file: nullSink, limit: null, mode: 'delta' });
    showMostCommonTypes({ file: nullSink, limit: null });
    const probe = {};
    at(id(probe));
    // Node builds the default output stream, and compiles its write path, on
    // first use: an empty write does both without printing anything.
    process.stdout.write('');
  } finally {
    t.dispose();
  }
}

/** A snapshot that leaves out the call's own options (and peak stats) object. Allocates nothing before it. */
function snapshotFor(options: { progress?: boolean | undefined } | undefined, extra?: object): LiveSnapshot {
  return takeLiveSnapshot(options, extra, options?.progress === true);
}

function cut<T>(rows: T[], limit: number | null): T[] {
  return limit ? rows.slice(0, limit) : rows;
}

/** Binary search in ids packed as `id * CLASS_BITS + class`, sorted. */
function containsId(packed: Float64Array, id: number): boolean {
  let lo = 0;
  let hi = packed.length - 1;
  const low = id * CLASS_BITS;
  const high = low + CLASS_BITS;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = packed[mid]!;
    if (v < low) lo = mid + 1;
    else if (v >= high) hi = mid - 1;
    else return true;
  }
  return false;
}

/** The ordinals a census counts: not the tool's, user-visible unless internals, in `objects`, passing `filter`. */
function* counted(live: LiveSnapshot, options: StatsOptions | undefined): Generator<number> {
  const snap = live.snapshot;
  const internals = options?.internals === true;
  const filter = options?.filter;
  let only: Set<number> | null = null;
  if (options?.objects) {
    only = new Set();
    const insp = liveInspector();
    for (const o of options.objects) {
      const id = insp.knownId(o);
      if (id !== 0) only.add(id);
    }
  }
  const owned = live.toolOwned;
  for (let i = 0; i < snap.nodeCount; i++) {
    const m = owned[i]!;
    if (m === TOOL) continue;
    if (!internals && (m === CODE_ONLY || !snap.isUserVisible(i))) continue;
    if (only !== null && !only.has(snap.nodeId[i]!)) continue;
    if (filter && !filter(snap.node(i))) continue;
    yield i;
  }
}

function classArray(snap: HeapSnapshot, shortnames: boolean): Uint32Array {
  return shortnames ? snap.classIndexes() : snap.qualifiedClassIndexes();
}

/** Class name → count, in first-seen order. */
function censusCounts(live: LiveSnapshot, options: StatsOptions | undefined): Map<string, number> {
  const snap = live.snapshot;
  const classes = classArray(snap, options?.shortnames !== false);
  const byIndex = new Map<number, number>();
  for (const i of counted(live, options)) {
    const c = classes[i]!;
    byIndex.set(c, (byIndex.get(c) ?? 0) + 1);
  }
  const out = new Map<string, number>();
  for (const [c, n] of byIndex) {
    const name = snap.strings.get(c);
    out.set(name, (out.get(name) ?? 0) + n);
  }
  return out;
}

function packCensus(live: LiveSnapshot, shortnames: boolean, internals: boolean): { packed: Float64Array; names: string[] } {
  const snap = live.snapshot;
  const classes = classArray(snap, shortnames);
  const classNo = new Map<number, number>();
  const nameNo = new Map<string, number>();
  const names: string[] = [];
  let n = 0;
  const packed = new Float64Array(snap.nodeCount);
  for (const i of counted(live, { internals })) {
    const c = classes[i]!;
    let k = classNo.get(c);
    if (k === undefined) {
      const name = snap.strings.get(c);
      k = nameNo.get(name);
      if (k === undefined) {
        k = names.length;
        names.push(name);
        nameNo.set(name, k);
      }
      classNo.set(c, k);
    }
    packed[n++] = snap.nodeId[i]! * CLASS_BITS + k;
  }
  const out = packed.slice(0, n);
  out.sort();
  return { packed: out, names };
}

// ---- Statistics ------------------------------------------------------------

/** objgraph's count(): how many live objects have class `name` (qualified when it contains '@'). */
export function count(name: string, options?: StatsOptions): number {
  warmUp();
  const live = snapshotFor(options);
  return censusCounts(live, { ...options, shortnames: !name.includes('@') }).get(name) ?? 0;
}

/** objgraph's typestats(): `{class name: count}` over the live heap. */
export function typestats(options?: StatsOptions): Record<string, number> {
  warmUp();
  const live = snapshotFor(options);
  const out = Object.create(null) as Record<string, number>;
  for (const [name, n] of censusCounts(live, options)) out[name] = n;
  return out;
}

/**
 * objgraph's most_common_types(): `[name, count]` pairs, most common first.
 * With `sortBy: 'selfSize' | 'retainedSize'` the rows are `[name, count, bytes]`
 * sorted by that size.
 */
export function mostCommonTypes(options?: CommonTypesOptions): CommonTypeRow[] {
  warmUp();
  const live = snapshotFor(options);
  return commonTypes(live, options);
}

function commonTypes(live: LiveSnapshot, options: CommonTypesOptions | undefined): CommonTypeRow[] {
  const snap = live.snapshot;
  const sortBy = options?.sortBy ?? 'count';
  const classes = classArray(snap, options?.shortnames !== false);
  const sizes = sortBy === 'retainedSize' ? snap.retainedSizes() : sortBy === 'selfSize' ? snap.nodeSelfSize : null;
  const rowsByName = new Map<string, [string, number, number]>();
  const nameOf = new Map<number, string>();
  for (const i of counted(live, options)) {
    const c = classes[i]!;
    let name = nameOf.get(c);
    if (name === undefined) nameOf.set(c, (name = snap.strings.get(c)));
    let r = rowsByName.get(name);
    if (!r) rowsByName.set(name, (r = [name, 0, 0]));
    r[1]++;
    if (sizes) r[2] += sizes[i]!;
  }
  const rows = [...rowsByName.values()];
  if (sizes) rows.sort((a, b) => b[2] - a[2]);
  else rows.sort((a, b) => b[1] - a[1]);
  const limit = options?.limit === undefined ? 10 : options.limit;
  const shown = cut(rows, limit);
  return sizes ? shown : shown.map((r) => [r[0], r[1]] as const);
}

/** objgraph's show_most_common_types(): `name count` lines, names padded to the widest. */
export function showMostCommonTypes(options?: CommonTypesOptions & ShowOptions): void {
  const file = options?.file ?? process.stdout;
  const rows = mostCommonTypes(options);
  const sortBy = options?.sortBy ?? 'count';
  file.write(formatMostCommonTypes(rows, sortBy === 'count' ? [] : [sortBy]));
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

/** The snapshot id of a live object or function: stable for its life, never reused. */
export function id(obj: object): number {
  return liveInspector().id(obj);
}

/** The live value with snapshot id `id`, or undefined. */
export function at(id: number): unknown {
  return liveInspector().at(id);
}

/** The live values with these ids (ids whose objects are gone are skipped), in the given order. */
export function atAddrs(ids: Iterable<number>): unknown[] {
  const insp = liveInspector();
  const out: unknown[] = [];
  for (const i of ids) {
    const v = insp.at(i);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** objgraph's by_type(): the live objects of class `name` (qualified when it contains '@'). */
export function byType(name: string, options?: StatsOptions): unknown[] {
  warmUp();
  const live = snapshotFor(options);
  const snap = live.snapshot;
  const qualified = name.includes('@');
  const classes = classArray(snap, !qualified);
  const ids: number[] = [];
  for (const i of counted(live, { ...options, internals: true })) {
    if (snap.strings.equals(classes[i]!, name)) ids.push(snap.nodeId[i]!);
  }
  return atAddrs(ids);
}

/**
 * objgraph's get_leaking_objects(), in JavaScript terms: live objects that no
 * JavaScript value refers to and that are kept alive only by native handles
 * (V8 global handles, embedder roots such as Node's internal handles), e.g.
 * the callback object a native addon or a `node:` binding holds on to.
 */
export function getLeakingObjects(options?: StatsOptions): unknown[] {
  warmUp();
  const live = snapshotFor(options);
  const snap = live.snapshot;
  const ret = snap.retainers();
  const T = snap.types;
  const ids: number[] = [];
  for (const i of counted(live, options)) {
    if (snap.nodeType[i] !== T.object && snap.nodeType[i] !== T.closure) continue;
    let native = 0;
    let other = 0;
    for (let k = ret.first[i]!; k < ret.first[i + 1]!; k++) {
      const e = ret.edges[k]!;
      if (snap.edgeType[e] === snap.edgeTypes.weak) continue;
      const from = ret.nodes[k]!;
      const ft = snap.nodeType[from];
      const nativeHolder =
        (ft === T.synthetic && !isStackRoot(snap, from) && from !== snap.rootOrdinal) || (ft === T.native && (snap.nodeId[from]! & 1) === 0);
      if (nativeHolder) native++;
      else other++;
    }
    if (native > 0 && other === 0) ids.push(snap.nodeId[i]!);
  }
  return atAddrs(ids);
}

function isStackRoot(snap: HeapSnapshot, ordinal: number): boolean {
  const name = snap.nodeNameOf(ordinal);
  return name === '(Stack roots)' || name === '(Handle scope)';
}

/**
 * objgraph's is_proper_module(): whether `x` is a module namespace object or
 * the global object, the places where retainer chains stop.
 */
export function isProperModule(x: unknown): boolean {
  if (x === globalThis) return true;
  return typeof x === 'object' && x !== null && types.isModuleNamespaceObject(x);
}

/** Whether `x` (a node view or a live value) is a root: a GC root, the global object or a module. */
export function isRoot(x: unknown): boolean {
  if (x !== null && typeof x === 'object' && 'isRoot' in x && typeof (x as { isRoot: unknown }).isRoot === 'boolean' && 'ordinal' in x) {
    return (x as { isRoot: boolean }).isRoot;
  }
  return isProperModule(x);
}
