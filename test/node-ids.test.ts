import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { parseChunks, SnapshotParser } from '../src/index.js';
import { HeapSnapshot } from '../src/snapshot/model.js';
import { NodeIds } from '../src/snapshot/node-ids.js';
import { knownHeap } from './fixtures.js';
import { syntheticSnapshot, type SyntheticNode } from './synthetic.js';

/** Ids numbered two apart, as V8 numbers a first snapshot, with jumps at the given ordinals (each to `jumpTo(ordinal)`). */
function steppedIds(n: number, jumps: Map<number, number>): Uint32Array {
  const ids = new Uint32Array(n);
  let id = 1;
  for (let i = 0; i < n; i++) {
    id = jumps.get(i) ?? (i === 0 ? 1 : id + 2);
    ids[i] = id;
  }
  return ids;
}

/** Asserts that every id reads back, every id finds its ordinal, and ids not there find none. */
function assertSame(ids: NodeIds, expected: Uint32Array, absent: number[]): void {
  assert.equal(ids.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.equal(ids.at(i), expected[i], `id of node ${i}`);
  assert.deepEqual(ids.toArray(), expected);
  if (!ids.compact) return;
  for (let i = 0; i < expected.length; i++) assert.equal(ids.ordinalOf(expected[i]!), i, `ordinal of id ${expected[i]}`);
  for (const id of absent) assert.equal(ids.ordinalOf(id), -1, `absent id ${id}`);
}

test('ids numbered in order are kept as runs, read back exactly across block edges, and found by id', () => {
  // Jumps at the edges of the 1,024-node blocks, forwards and backwards, an even (embedder)
  // run whose ids overlap an odd run's range, and single nodes between runs.
  const jumps = new Map<number, number>([
    [1023, 500_001],
    [1024, 900_001],
    [1025, 100_001],
    [2047, 4],
    [2048, 10_000_001],
    [3000, 3_000_000_001],
    [3001, 7_001],
  ]);
  const expected = steppedIds(5000, jumps);
  const ids = NodeIds.from(expected);
  assert.ok(ids.compact);
  assert.ok(ids.byteLength < expected.byteLength / 10, `${ids.byteLength} bytes`);
  const absent = [0, 2, 6, 1022 * 2 + 3, 2047, 500_003, 500_000, 10_000_000, 3_000_000_003, 4_294_967_295, -1, -3, 2.5, 1.5, NaN, Infinity];
  assertSame(ids, expected, absent);
});

test('ids at the top of the 32-bit range', () => {
  const top = 4_294_967_295;
  const expected = Uint32Array.from({ length: 64 }, (_, i) => top - 2 * (63 - i));
  const ids = NodeIds.from(expected);
  assert.ok(ids.compact);
  assertSame(ids, expected, [top - 1, top - 128, 1]);
});

test('ids in no order stay one array; duplicate ids are not looked up among runs', () => {
  const shuffled = Uint32Array.from({ length: 4096 }, (_, i) => ((i * 2654435761) % 8191) * 2 + 1);
  const plain = NodeIds.from(shuffled);
  assert.equal(plain.compact, false);
  assert.equal(plain.toArray(), shuffled, 'the array itself is kept');
  assert.equal(plain.ordinalOf(shuffled[5]!), undefined);
  assertSame(plain, shuffled, []);

  // Two runs that share ids: the id order among runs would be ambiguous.
  const dup = steppedIds(300, new Map([[200, 101]]));
  const ids = NodeIds.from(dup);
  assert.ok(ids.compact);
  assert.equal(ids.ordinalOf(101), undefined);
  for (let i = 0; i < dup.length; i++) assert.equal(ids.at(i), dup[i]);
});

test('runs are kept while they average 8 nodes or more', () => {
  const twoRuns = steppedIds(16, new Map([[8, 1001]]));
  assert.equal(NodeIds.from(twoRuns).compact, true);
  const threeRuns = steppedIds(16, new Map([[5, 1001], [10, 2001]]));
  assert.equal(NodeIds.from(threeRuns).compact, false);
  assert.equal(NodeIds.from(steppedIds(7, new Map())).compact, false, 'fewer than 8 nodes');
  assert.equal(NodeIds.from(steppedIds(8, new Map())).compact, true);
  // Many runs, grown past their first allocation, still read back.
  const many = steppedIds(80_000, new Map(Array.from({ length: 5000 }, (_, j) => [16 * j + 3, 1_000_001 + 64 * j] as [number, number])));
  const ids = NodeIds.from(many);
  assert.equal(ids.compact, true);
  assertSame(ids, many, [1_000_000, 1_000_001 + 64 * 5000]);
});

test('no nodes', () => {
  const ids = NodeIds.from(new Uint32Array(0));
  assert.equal(ids.length, 0);
  assert.equal(ids.compact, false);
  assert.equal(ids.byteLength, 0);
  assert.deepEqual(ids.toArray(), new Uint32Array(0));
});

function snapshotWithIds(ids: number[]): string {
  const nodes: SyntheticNode[] = ids.map((id, i) => ({ type: i === 0 ? 'synthetic' : 'object', name: i === 0 ? '' : `C${i % 3}`, id, size: 8 }));
  return syntheticSnapshot(
    nodes,
    ids.slice(1).map((_, i) => [0, 'element', i, i + 1]),
  );
}

test('a snapshot reads and finds its nodes by id, whether its ids are runs, in no order, or duplicated', () => {
  const regular = Array.from({ length: 3000 }, (_, i) => (i < 1500 ? 1 + 2 * i : 90_001 + 2 * i));
  const shuffled = Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 3001) * 2 + 1);
  const duplicated = Array.from({ length: 3000 }, (_, i) => (i < 2000 ? 1 + 2 * i : 1 + 2 * (i - 1000)));
  for (const [label, list, compact] of [
    ['runs', regular, true],
    ['no order', shuffled, false],
    ['duplicates', duplicated, true],
  ] as const) {
    const s = parseChunks([snapshotWithIds(list)]);
    assert.equal(s.ids.compact, compact, label);
    assert.deepEqual([...s.nodeId], list, label);
    for (const o of [0, 1, 1499, 1500, 1501, 2999]) {
      assert.equal(s.node(o).id, list[o], `${label}: node ${o}`);
      assert.equal(s.idOf(o), list[o], `${label}: idOf ${o}`);
      // With duplicates, some node of that id.
      assert.equal(s.idOf(s.ordinalOf(list[o]!)), list[o], `${label}: ordinalOf ${list[o]}`);
      assert.equal(s.nodeById(list[o]!)!.id, list[o]);
    }
    assert.equal(s.ordinalOf(2), -1, label);
    assert.equal(s.nodeById(4_000_000_001), undefined, label);
  }
});

test('the known heap (a process snapshot) keeps its ids as runs, and reads them as the file has them', () => {
  const text = readFileSync(knownHeap(), 'utf8');
  const s = parseChunks([text]);
  assert.ok(s.ids.compact, 'V8 numbered the nodes of a first snapshot in order');
  const json = JSON.parse(text) as { nodes: number[]; snapshot: { meta: { node_fields: string[] } } };
  const fields = json.snapshot.meta.node_fields;
  const idField = fields.indexOf('id');
  const fromFile = Array.from({ length: s.nodeCount }, (_, i) => json.nodes[i * fields.length + idField]!);
  assert.deepEqual([...s.nodeId], fromFile);
  for (let i = 0; i < s.nodeCount; i += 97) assert.equal(s.ordinalOf(fromFile[i]!), i);
  assert.ok(s.ids.byteLength < 4 * s.nodeCount);
});

test('ids kept as runs leave the parsed array to the dominator search, which still finds the same dominators', () => {
  const text = readFileSync(knownHeap(), 'utf8');
  for (const irregular of [false, true]) {
    let source = text;
    if (irregular) {
      // The same heap with its ids in no order (a later snapshot of a process lists old and new objects mixed).
      const json = JSON.parse(text) as { nodes: number[]; snapshot: { meta: { node_fields: string[] } } };
      const fields = json.snapshot.meta.node_fields.length;
      const idField = json.snapshot.meta.node_fields.indexOf('id');
      const count = json.nodes.length / fields;
      for (let i = 0; i < count; i++) json.nodes[i * fields + idField] = ((i * 7919) % (count + 1)) * 2 + 1;
      source = JSON.stringify(json);
    }
    const parser = new SnapshotParser({ source: 'known' });
    parser.write(source);
    const data = parser.end();
    const parsedIds = data.nodeId.slice();
    const s = new HeapSnapshot(data);
    assert.equal(s.ids.compact, !irregular);
    const dominators = s.dominators();
    // Runs: the parsed ids' buffer (an entry longer than the nodes) was the search's first
    // array, which ends as the (32-bit) retained sizes.
    assert.equal(s.retainedSizes().buffer === data.nodeId.buffer, !irregular, `irregular: ${irregular}`);
    assert.deepEqual([...s.nodeId], [...parsedIds], 'the ids read back as parsed');
    // Against a search given fresh arrays (ids in a buffer of their exact length, which it cannot take).
    const again = new SnapshotParser({ source: 'known' });
    again.write(source);
    const other = again.end();
    const fresh = new HeapSnapshot({ ...other, nodeId: other.nodeId.slice() });
    assert.notEqual(fresh.retainedSizes().buffer, other.nodeId.buffer);
    assert.deepEqual(dominators, fresh.dominators());
    assert.deepEqual(s.retainedSizes(), fresh.retainedSizes());
  }
});
