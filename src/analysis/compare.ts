/**
 * Comparing snapshots of one process: growth per class and the objects that
 * are new. V8's snapshot ids are stable for the life of an isolate and never
 * reused, so an id present in the later snapshot and absent from the earlier
 * one is an object allocated in between (and still alive).
 */
import type { HeapSnapshot } from '../snapshot/index.js';
import { sizeAt } from '../snapshot/ownership.js';
import { census, selectNodes, type CensusOptions, type ClassStats } from './census.js';

/** One class in a comparison of two snapshots. */
export interface ClassDiff {
  name: string;
  /** Instances in the earlier and the later snapshot. */
  before: number;
  after: number;
  /** `after - before`. */
  delta: number;
  /** Instances in the later snapshot whose ids the earlier one does not have. */
  added: number;
  /** Instances of the earlier snapshot whose ids are gone from the later one. */
  removed: number;
  addedSize: number;
  removedSize: number;
  /** Change of the class's total self size, in bytes. */
  sizeDelta: number;
}

/** Ids of the selected nodes in ascending order, with their ordinals. */
function sortedSelection(snap: HeapSnapshot, options: CensusOptions): { ids: Uint32Array; ordinals: Uint32Array } {
  const mask = selectNodes(snap, options);
  const order = snap.idOrder();
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  const ids = new Uint32Array(n);
  const ordinals = new Uint32Array(n);
  let k = 0;
  for (let j = 0; j < order.ids.length; j++) {
    const o = order.ordinals[j]!;
    if (!mask[o]) continue;
    ids[k] = order.ids[j]!;
    ordinals[k++] = o;
  }
  return { ids, ordinals };
}

/**
 * Ordinals (in `after`) of the selected objects whose ids are not in `before`.
 * Both snapshots must come from the same isolate.
 */
export function newObjectOrdinals(before: HeapSnapshot, after: HeapSnapshot, options: CensusOptions = {}): number[] {
  const mask = selectNodes(after, options);
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] && before.ordinalOf(after.idOf(i)) < 0) out.push(i);
  }
  return out;
}

/**
 * Ids of new objects per class (objgraph's `get_new_ids` between two snapshots).
 *
 * @example
 * newIds(before, after).get('Session'); // Set { 40123, 40125, … }
 */
export function newIds(before: HeapSnapshot, after: HeapSnapshot, options: CensusOptions = {}): Map<string, Set<number>> {
  const classes = options.shortnames === false ? after.qualifiedClassIndexes() : after.classIndexes();
  const byClass = new Map<number, Set<number>>();
  for (const i of newObjectOrdinals(before, after, options)) {
    const c = classes[i]!;
    let set = byClass.get(c);
    if (!set) byClass.set(c, (set = new Set()));
    set.add(after.idOf(i));
  }
  const out = new Map<string, Set<number>>();
  for (const [c, set] of byClass) {
    const name = after.strings.get(c);
    const existing = out.get(name);
    if (existing) for (const id of set) existing.add(id);
    else out.set(name, set);
  }
  return out;
}

/**
 * Compares two snapshots of one process class by class (DevTools' Comparison
 * view): counts before and after, objects added and removed, and size change.
 * Sorted by the absolute count change, largest first. The options select in
 * both snapshots alike: `objects` as node views (matched by id), not
 * ordinals, and no `exclude` mask.
 *
 * @example
 * compareSnapshots(before, after).filter((d) => d.delta > 0);
 */
export function compareSnapshots(before: HeapSnapshot, after: HeapSnapshot, options: CensusOptions = {}): ClassDiff[] {
  // The options select nodes in both snapshots: only by what a node is, never by its place.
  if (options.exclude !== undefined) {
    throw new TypeError('compareSnapshots: `exclude` is a mask over one snapshot\'s ordinals and cannot select in two; use `filter`');
  }
  if (options.objects !== undefined) {
    const objects = [...options.objects];
    if (objects.some((o) => typeof o === 'number')) {
      throw new TypeError('compareSnapshots: ordinals in `objects` name different nodes in each snapshot; pass node views, which are matched by id');
    }
    options = { ...options, objects }; // (an iterator would be spent by the first snapshot)
  }
  const a = sortedSelection(before, options);
  const b = sortedSelection(after, options);
  const classesA = options.shortnames === false ? before.qualifiedClassIndexes() : before.classIndexes();
  const classesB = options.shortnames === false ? after.qualifiedClassIndexes() : after.classIndexes();
  const sizeA = before.shallowSizes();
  const sizeB = after.shallowSizes();
  const diffs = new Map<string, ClassDiff>();
  const entry = (name: string): ClassDiff => {
    let d = diffs.get(name);
    if (!d) {
      d = { name, before: 0, after: 0, delta: 0, added: 0, removed: 0, addedSize: 0, removedSize: 0, sizeDelta: 0 };
      diffs.set(name, d);
    }
    return d;
  };
  const nameCacheA = new Map<number, string>();
  const nameCacheB = new Map<number, string>();
  const nameOf = (snap: HeapSnapshot, cache: Map<number, string>, c: number): string => {
    let s = cache.get(c);
    if (s === undefined) cache.set(c, (s = snap.strings.get(c)));
    return s;
  };
  let i = 0;
  let j = 0;
  while (i < a.ids.length || j < b.ids.length) {
    const idA = i < a.ids.length ? a.ids[i]! : Infinity;
    const idB = j < b.ids.length ? b.ids[j]! : Infinity;
    if (idA === idB) {
      const oa = a.ordinals[i++]!;
      const ob = b.ordinals[j++]!;
      const da = entry(nameOf(before, nameCacheA, classesA[oa]!));
      da.before++;
      da.sizeDelta -= sizeAt(sizeA, oa);
      const db = entry(nameOf(after, nameCacheB, classesB[ob]!));
      db.after++;
      db.sizeDelta += sizeAt(sizeB, ob);
    } else if (idA < idB) {
      const oa = a.ordinals[i++]!;
      const d = entry(nameOf(before, nameCacheA, classesA[oa]!));
      d.before++;
      d.removed++;
      d.removedSize += sizeAt(sizeA, oa);
      d.sizeDelta -= sizeAt(sizeA, oa);
    } else {
      const ob = b.ordinals[j++]!;
      const d = entry(nameOf(after, nameCacheB, classesB[ob]!));
      d.after++;
      d.added++;
      d.addedSize += sizeAt(sizeB, ob);
      d.sizeDelta += sizeAt(sizeB, ob);
    }
  }
  const out = [...diffs.values()];
  for (const d of out) d.delta = d.after - d.before;
  return out
    .filter((d) => d.added !== 0 || d.removed !== 0 || d.delta !== 0 || d.sizeDelta !== 0)
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || y.sizeDelta - x.sizeDelta || (x.name < y.name ? -1 : 1));
}

/** One row of objgraph's growth table: class, count now, change. */
export type GrowthRow = [name: string, count: number, delta: number];

/**
 * Growth between two censuses (objgraph's `growth` with explicit states):
 * classes whose count went up, most growth first. With `mode: 'delta'`,
 * classes that shrank are listed too.
 */
export function growthBetween(
  before: ReadonlyMap<string, number> | Record<string, number>,
  after: ReadonlyMap<string, number> | Record<string, number>,
  options: { limit?: number | null; mode?: 'peak' | 'delta' } = {},
): GrowthRow[] {
  const get = (m: ReadonlyMap<string, number> | Record<string, number>, k: string): number =>
    (m instanceof Map ? m.get(k) : Object.hasOwn(m, k) ? (m as Record<string, number>)[k] : undefined) ?? 0;
  const keys = new Set<string>([...(before instanceof Map ? before.keys() : Object.keys(before)), ...(after instanceof Map ? after.keys() : Object.keys(after))]);
  const rows: GrowthRow[] = [];
  for (const k of keys) {
    const delta = get(after, k) - get(before, k);
    if (delta > 0 || (options.mode === 'delta' && delta < 0)) rows.push([k, get(after, k), delta]);
  }
  rows.sort((x, y) => Math.abs(y[2]) - Math.abs(x[2]) || (x[0] < y[0] ? -1 : 1));
  const limit = options.limit === undefined ? 10 : options.limit;
  return limit === null || limit === 0 ? rows : rows.slice(0, limit);
}

/** Class counts of a snapshot as a Map (for {@link growthBetween}). */
export function classCounts(snap: HeapSnapshot, options: CensusOptions = {}): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, s] of census(snap, options) as Map<string, ClassStats>) out.set(name, s.count);
  return out;
}
