/**
 * Damaged snapshots: seeded random damage to a real snapshot's bytes and to a
 * small snapshot's header. Whatever the damage, loading and every analysis
 * either work or fail with a SnapshotError that names the source; no other
 * error escapes and nothing hangs. A failure prints its seed and damage, so
 * it can be replayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadSync, parseChunks, SnapshotError, type Snapshot } from '../src/index.js';
import { knownHeap, tempDir } from './fixtures.js';
import { syntheticSnapshot } from './synthetic.js';

/** A deterministic pseudo-random sequence (xorshift32). */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return Math.floor((s / 4294967296) * n);
  };
}

/** Uses every index and view a user can reach. */
function exercise(snap: Snapshot): void {
  snap.buildAllIndexes();
  snap.mostCommonTypes({ limit: 5, sortBy: 'retainedSize' });
  snap.typestats();
  snap.dominated();
  for (let o = 0; o < Math.min(100, snap.nodeCount); o++) {
    const node = snap.node(o);
    void node.qualifiedClassName;
    void node.retainedSize;
    void node.dominator;
    void node.location;
    void node.isUserVisible;
    for (const e of node.edges) void String(e.name);
    for (const r of node.retainers) void r.from.name;
  }
}

type Outcome = 'loaded' | 'refused';

/** Loads and analyses; a SnapshotError must name `source`, any other error fails the test with `what`. */
async function attempt(what: string, source: string, run: () => Snapshot | Promise<Snapshot>): Promise<Outcome> {
  try {
    exercise(await run());
    return 'loaded';
  } catch (e) {
    if (!(e instanceof SnapshotError)) assert.fail(`${what}: expected a SnapshotError, got ${e instanceof Error ? e.stack : String(e)}`);
    assert.ok(e.message.startsWith(`${source}: `), `${what}: the message names the source: ${e.message}`);
    return 'refused';
  }
}

function damage(base: Buffer, next: (n: number) => number, anchors: number[]): [string, Buffer] {
  // Half the damage falls just after a section's key, where the parser changes state.
  const at = next(2) === 0 ? Math.min(base.length - 1, anchors[next(anchors.length)]! + next(200)) : next(base.length);
  const len = 1 + next(40);
  switch (next(5)) {
    case 0:
      return [`cut at ${at}`, base.subarray(0, at)];
    case 1: {
      const b = Buffer.from(base);
      b[at] = Buffer.from('0123456789,[]{}":- \n\\ue.')[next(25)]!;
      return [`byte ${at} set to ${JSON.stringify(String.fromCharCode(b[at]!))}`, b];
    }
    case 2:
      return [`${len} bytes deleted at ${at}`, Buffer.concat([base.subarray(0, at), base.subarray(at + len)])];
    case 3: {
      const from = next(base.length - len);
      return [`${len} bytes from ${from} inserted at ${at}`, Buffer.concat([base.subarray(0, at), base.subarray(from, from + len), base.subarray(at)])];
    }
    default: {
      // A number replaced by one at a limit of the parser's arrays.
      let p = at;
      while (p < base.length && !(base[p]! >= 48 && base[p]! <= 57)) p++;
      let q = p;
      while (q < base.length && base[q]! >= 48 && base[q]! <= 57) q++;
      const big = String([4294967295, 4294967296, 99999999999, 2147483648, 536870912, 65535, 65536, 0][next(8)]);
      return [`number at ${p} set to ${big}`, Buffer.concat([base.subarray(0, p), Buffer.from(big), base.subarray(q)])];
    }
  }
}

test('damaged bytes: a real snapshot with random damage loads or fails as a SnapshotError, from a file, on two threads and from chunks', async () => {
  const base = readFileSync(knownHeap());
  const text = base.toString('latin1');
  const anchors = ['"meta"', 'node_count', '"nodes"', '"edges"', '"strings"', '"locations"'].map((k) => text.indexOf(k)).filter((i) => i >= 0);
  const file = join(tempDir(), 'damaged.heapsnapshot');
  const tally = { loaded: 0, refused: 0 };
  for (let seed = 1; seed <= 40; seed++) {
    const next = random(seed * 7919);
    const [what, bytes] = damage(base, next, anchors);
    writeFileSync(file, bytes);
    const label = `seed ${seed}: ${what}`;
    tally[await attempt(`${label} (file)`, file, () => loadSync(file, { parallel: false }))]++;
    tally[await attempt(`${label} (two threads)`, file, () => load(file, { parallel: true }))]++;
    const chunks: Buffer[] = [];
    for (let p = 0; p < bytes.length; ) {
      const n = 1 + next(64 * 1024);
      chunks.push(bytes.subarray(p, p + n));
      p += n;
    }
    tally[await attempt(`${label} (chunks)`, '<chunks>', () => parseChunks(chunks))]++;
  }
  // The damage is neither always harmless nor always fatal.
  assert.ok(tally.loaded > 0 && tally.refused > 0, JSON.stringify(tally));
});

test('damaged header: missing, mistyped and reordered meta fields load or fail as a SnapshotError', async () => {
  const good = syntheticSnapshot(
    [
      { type: 'synthetic', name: '', id: 1, size: 0 },
      { type: 'synthetic', name: '(GC roots)', id: 3, size: 0 },
      { type: 'object', name: 'Window', id: 5, size: 10 },
      { type: 'object', name: 'A', id: 7, size: 20 },
      { type: 'closure', name: 'f', id: 9, size: 30 },
      { type: 'array', name: '', id: 11, size: 40 },
      { type: 'string', name: 'hello', id: 13, size: 16 },
      { type: 'object', name: 'WeakMap', id: 15, size: 8 },
      { type: 'hidden', name: 'system / Context', id: 17, size: 8 },
    ],
    [
      [0, 'element', 1, 1],
      [0, 'shortcut', 'w', 2],
      [1, 'element', 1, 2],
      [2, 'property', 'a', 3],
      [3, 'property', 'f', 4],
      [4, 'context', 'ctx', 8],
      [8, 'context', 'x', 5],
      [5, 'element', 0, 6],
      [5, 'element', 1, 3],
      [2, 'property', 'wm', 7],
      [7, 'internal', 'table', 5],
      [3, 'weak', 'w', 2],
    ],
  );
  const base = JSON.parse(good) as { snapshot: Record<string, unknown> };
  // Every value under "snapshot", down to the entries of the meta lists.
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (path.length > 0) paths.push(path);
    if (value !== null && typeof value === 'object' && path.length < 4) for (const k of Object.keys(value)) walk((value as Record<string, unknown>)[k], [...path, k]);
  };
  walk(base.snapshot, []);
  const odd: unknown[] = [null, -1, 0, 1, 1.5, 'x', '', [], {}, [[]], 2 ** 31, 2 ** 32, 1e300, true, ['type']];
  const file = join(tempDir(), 'damaged-header.heapsnapshot');
  const tally = { loaded: 0, refused: 0 };
  const next = random(2024);
  for (let i = 0; i < 300; i++) {
    const copy = structuredClone(base);
    const path = paths[next(paths.length)]!;
    let parent = copy.snapshot as Record<string, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
    const key = path.at(-1)!;
    const old = parent[key];
    let what: string;
    if (next(3) === 0) {
      delete parent[key];
      what = `snapshot.${path.join('.')} deleted`;
    } else if (Array.isArray(old) && next(2) === 0) {
      const list = [...(old as unknown[])];
      const a = next(list.length);
      const b = next(list.length);
      [list[a], list[b]] = [list[b], list[a]];
      list.push(odd[next(odd.length)]);
      parent[key] = list;
      what = `snapshot.${path.join('.')} reordered and extended`;
    } else {
      parent[key] = odd[next(odd.length)];
      what = `snapshot.${path.join('.')} set to ${JSON.stringify(parent[key])}`;
    }
    writeFileSync(file, JSON.stringify(copy));
    tally[await attempt(`case ${i}: ${what}`, file, () => loadSync(file))]++;
  }
  assert.ok(tally.loaded > 0 && tally.refused > 0, JSON.stringify(tally));
});
