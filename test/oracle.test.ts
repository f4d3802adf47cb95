import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSync, parseChunks } from '../src/index.js';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { knownHeap, tempDir } from './fixtures.js';
import { assertAgrees, devtools } from './oracle.js';
import { syntheticSnapshot, type SyntheticEdge, type SyntheticNode } from './synthetic.js';

test('DevTools agrees on the known heap: classes, self sizes, distances, dominators, retained sizes', async () => {
  const file = knownHeap();
  const r = assertAgrees(loadSync(file), await devtools(file));
  assert.ok(r.classes > 100);
});

test('DevTools agrees on hand-built graphs with weak-only nodes, cycles, shortcuts and WeakMap entries', async () => {
  const nodes: SyntheticNode[] = [
    ['synthetic', '', 0],
    ['object', 'Window', 10],
    ['object', 'A', 1],
    ['object', 'B', 2],
    ['object', 'D', 4],
    ['object', 'E', 8],
    ['object', 'F', 16],
    ['object', 'G', 32],
    ['array', 'WeakMapTable', 64],
    ['object', 'Key', 128],
    ['object', 'Value', 256],
    ['object', 'P', 512],
    ['object', 'Q', 1024],
    ['synthetic', '(GC roots)', 0],
    ['hidden', 'handle', 2048],
    ['array', '(object elements)', 4096],
  ].map(([type, name, size], i) => ({ type: type as string, name: name as string, id: 1 + 2 * i, size: size as number }));
  const pair = (n: number): string => `${n} / part of key (Key @19) -> value (Value @21) pair in WeakMap (table @17)`;
  const edges: SyntheticEdge[] = [
    [0, 'shortcut', 'w', 1],
    [0, 'element', 1, 13],
    [1, 'property', 'a', 2],
    [1, 'property', 'b', 3],
    [2, 'property', 'd', 4],
    [3, 'property', 'd', 4],
    [2, 'weak', 'e', 5],
    [2, 'property', 'f', 6],
    [6, 'shortcut', 'g', 7],
    [2, 'property', 'g', 7],
    [7, 'property', 'self', 7],
    [1, 'property', 'table', 8],
    [1, 'property', 'key', 9],
    [8, 'internal', pair(1), 10],
    [9, 'internal', pair(2), 10],
    [1, 'weak', 'p', 11],
    [11, 'property', 'q', 12],
    [12, 'property', 'p', 11],
    [13, 'element', 0, 14],
    [14, 'internal', 'x', 3],
    [2, 'internal', 'elements', 15],
  ];
  const text = syntheticSnapshot(nodes, edges);
  const ours = parseChunks([text]);
  assertAgrees(ours, await devtools({ text }));
  // The value of the WeakMap entry is the key's, not the table's.
  assert.equal(ours.dominators()[10], 9);
  // The elements store owned by A moved its size into A (DevTools' shallow size).
  assert.equal(ours.node(2).selfSize, 1 + 4096);
  assert.equal(ours.node(15).selfSize, 0);
});

test('DevTools agrees on which names make WeakMap entries: whatever node the name calls the table, and only names of the whole pattern', async () => {
  // Ids ascending by two (kept as runs) and descending (kept as one array): the tables are
  // found either way.
  for (const descending of [false, true]) {
    const raw: Array<[string, string, number]> = [
      ['synthetic', '', 0],
      ['object', 'Window', 10],
      ['object', 'Holder', 1], // a JavaScript object named as the table of its entries
      ['object', 'Key', 2],
      ['object', 'Value', 4], // the Holder's entry: the key's alone
      ['array', 'table', 8],
      ['object', 'NoArrow', 16], // "-> value (" missing: not an entry
      ['object', 'NoValueId', 32], // the value's "@id" missing: not an entry
      ['object', 'EmptyNames', 64], // key and value named "": an entry
      ['object', 'TwoArrows', 128], // ") -> value (" inside the key's name too: an entry
    ];
    const nodes: SyntheticNode[] = raw.map(([type, name, size], i) => ({ type, name, size, id: 1 + 2 * (descending ? raw.length - 1 - i : i) }));
    const id = (k: number): number => nodes[k]!.id;
    const tail = (table: number): string => ` pair in WeakMap (table @${id(table)})`;
    const names: Array<[number, string]> = [
      [4, `1 / part of key (Key @${id(3)}) -> value (Value @${id(4)})${tail(2)}`],
      [6, `2 / part of key (Key @${id(3)}) value (NoArrow @${id(6)})${tail(5)}`],
      [7, `3 / part of key (Key @${id(3)}) -> value (NoValueId)${tail(5)}`],
      [8, `4 / part of key ( @${id(3)}) -> value ( @${id(8)})${tail(5)}`],
      [9, `5 / part of key (K @1) -> value (x @${id(3)}) -> value (TwoArrows @${id(9)})${tail(5)}`],
    ];
    const edges: SyntheticEdge[] = [
      [0, 'shortcut', 'w', 1],
      [1, 'property', 'holder', 2],
      [1, 'property', 'key', 3],
      [1, 'property', 'table', 5],
    ];
    for (const [value, name] of names) {
      edges.push([value === 4 ? 2 : 5, 'internal', name, value]);
      edges.push([3, 'internal', name, value]);
    }
    const text = syntheticSnapshot(nodes, edges);
    const ours = parseChunks([text]);
    assert.equal(ours.ids.compact, !descending);
    assertAgrees(ours, await devtools({ text }));
    // Where the table's edge is an entry, the key alone holds the value; elsewhere both do,
    // and the Window dominates it.
    assert.deepEqual(
      [4, 6, 7, 8, 9].map((v) => ours.dominators()[v]),
      [3, 1, 1, 3, 3],
    );
  }
});

test('DevTools agrees on WeakMap entries named with a line break, descriptor slots named "0", "1", …, and objects whose constructor is called Function or RegExp', async () => {
  const nodes: SyntheticNode[] = [
    ['synthetic', '', 0],
    ['object', 'Window', 10],
    ['object', 'Key', 1],
    ['array', 'table', 2],
    ['string', 'line one\nline two', 100], // a WeakMap value named with a line break
    ['object', 'Key2', 4],
    ['object', 'Value2', 200], // a value named without one
    ['array', '(map descriptors)', 8],
    ['object', 'Slot3', 16], // descriptor slot 3: followed for distances
    ['object', 'Slot4', 32], // descriptor slot 4: skipped for distances
    ['object', 'Function', 64], // an object whose constructor is called Function...
    ['closure', 'f', 128], // ...retaining a function
    ['object', 'RegExp', 256],
    ['regexp', '/a/', 512],
    ['object', 'Slot4Holder', 1],
    ['string', 'line\u2028sep', 300], // a value named with U+2028
  ].map(([type, name, size], i) => ({ type: type as string, name: name as string, id: 1 + 2 * i, size: size as number }));
  const entry = (n: number, key: number, value: number, valueName: string): string =>
    `${n} / part of key (${nodes[key]!.name} @${nodes[key]!.id}) -> value (${valueName} @${nodes[value]!.id}) pair in WeakMap (table @${nodes[3]!.id})`;
  const edges: SyntheticEdge[] = [
    [0, 'shortcut', 'w', 1],
    [1, 'property', 'key', 2],
    [1, 'property', 'table', 3],
    [1, 'property', 'key2', 5],
    [3, 'internal', entry(1, 2, 4, 'line one\nline two'), 4],
    [2, 'internal', entry(2, 2, 4, 'line one\nline two'), 4],
    [3, 'internal', entry(3, 5, 6, 'Value2'), 6],
    [5, 'internal', entry(4, 5, 6, 'Value2'), 6],
    [3, 'internal', entry(5, 2, 15, 'line\u2028sep'), 15],
    [2, 'internal', entry(6, 2, 15, 'line\u2028sep'), 15],
    [1, 'internal', 'descriptors', 7],
    [7, 'internal', '3', 8],
    [7, 'internal', '4', 9],
    [7, 'internal', 'map', 14],
    [1, 'weak', 'slot4', 9],
    [14, 'property', 'x', 9],
    [1, 'property', 'fn', 10],
    [10, 'property', 'f', 11],
    [1, 'property', 're', 12],
    [12, 'property', 'r', 13],
  ];
  const text = syntheticSnapshot(nodes, edges);
  const ours = parseChunks([text]);
  assertAgrees(ours, await devtools({ text }));
  // The table's edge to a value named with a line break is not a WeakMap entry: the value
  // has two retainers, and the Window dominates it; the other value is the key's alone.
  assert.equal(ours.dominators()[4], 1);
  assert.equal(ours.dominators()[15], 1);
  assert.equal(ours.dominators()[6], 5);
  // Descriptor slot 4 is reached through the unnamed slot holder, one step further.
  assert.equal(ours.distances()[8], 3);
  assert.equal(ours.distances()[9], 4);
  // One class per name: the object called Function and the function form one class, and
  // the function, retained by the object, is not counted twice.
  const classes = ours.census({ retainedSizes: true, all: true });
  assert.equal(classes.get('Function')?.count, 2);
  assert.equal(classes.get('Function')?.retainedSize, 64 + 128);
  assert.equal(classes.get('RegExp')?.count, 2);
  assert.equal(classes.get('RegExp')?.retainedSize, 256 + 512);
});

test('DevTools agrees on owned sizes that cross 65,535 bytes, both ways (16-bit sizes with the large ones kept apart)', async () => {
  const nodes: SyntheticNode[] = [
    ['synthetic', '', 0],
    ['object', 'Window', 10],
    ['object', 'A', 100], // owns 40,000 + 30,000: becomes large
    ['array', 'a1', 40_000],
    ['array', 'a2', 30_000],
    ['object', 'B', 200], // owns a large array: large, the array 0
    ['array', 'b1', 100_000],
    ['object', 'C', 70_000], // large, and owns a large array
    ['array', 'c1', 80_000],
    ['array', 'd', 90_000], // held by A and B: owned by neither, stays large
    ['object', 'E', 65_535], // exactly the limit, owns nothing
    ['array', 'e1', 65_534], // owned by Window: the sum passes the limit
  ].map(([type, name, size], i) => ({ type: type as string, name: name as string, id: 1 + 2 * i, size: size as number }));
  const edges: SyntheticEdge[] = [
    [0, 'shortcut', 'w', 1],
    [1, 'property', 'a', 2],
    [1, 'property', 'b', 5],
    [1, 'property', 'c', 7],
    [1, 'property', 'e', 10],
    [1, 'internal', 'elements', 11],
    [2, 'internal', 'elements', 3],
    [2, 'internal', 'properties', 4],
    [2, 'internal', 'shared', 9],
    [5, 'internal', 'elements', 6],
    [5, 'internal', 'shared', 9],
    [7, 'internal', 'elements', 8],
  ];
  const text = syntheticSnapshot(nodes, edges);
  const ours = parseChunks([text]);
  assertAgrees(ours, await devtools({ text }));
  const expected = [0, 10 + 65_534, 70_100, 0, 0, 100_200, 0, 150_000, 0, 90_000, 65_535, 0];
  assert.deepEqual(nodes.map((_, o) => ours.shallowSizeOf(o)), expected);
  assert.deepEqual([...ours.shallowSizes().large.ordinals], [1, 2, 5, 7, 9, 10]);
  assert.equal(ours.totalSize(), expected.reduce((a, b) => a + b, 0));
});

test('DevTools agrees on random graphs: dominators and retained sizes with cross, back and weak edges, unreachable cycles', async () => {
  // A seeded generator: each graph has a user root, dense random edges among its nodes
  // (forward, back and cross edges for the depth-first search), weak and shortcut edges,
  // self edges, nodes held only weakly, and groups that only reach each other.
  let seed = 12345;
  const rand = (k: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  for (let g = 0; g < 40; g++) {
    const count = 8 + rand(60);
    const nodes: SyntheticNode[] = [{ type: 'synthetic', name: '', id: 1, size: 0 }];
    for (let i = 1; i < count; i++) nodes.push({ type: 'object', name: i === 1 ? 'Window' : `C${rand(5)}`, id: 1 + 2 * i, size: 1 + rand(100) });
    const edges: SyntheticEdge[] = [[0, 'shortcut', 'w', 1]];
    const reachable = 1 + rand(count - 1); // nodes 1..reachable-1 hang off Window, the rest only off each other
    for (let i = 2; i < count; i++) {
      if (i < reachable) edges.push([rand(i - 1) + 1, 'property', `p${i}`, i]);
      // Each unreachable group is a ring with chords: every member has a retainer, none is reached.
      else edges.push([i + 1 < count ? i + 1 : reachable, 'property', `r${i}`, i]);
      const extra = rand(4);
      for (let k = 0; k < extra; k++) {
        const kind = rand(10);
        const type = kind < 6 ? 'property' : kind < 8 ? 'weak' : kind < 9 ? 'shortcut' : 'internal';
        // Only weak edges lead into the unreachable groups from outside them.
        const from = i >= reachable && type !== 'weak' ? reachable + rand(count - reachable) : 1 + rand(count - 1);
        edges.push([from, type, `e${g}_${i}_${k}`, i]);
      }
    }
    const text = syntheticSnapshot(nodes, edges);
    assertAgrees(parseChunks([text]), await devtools({ text }));
  }
});

test('DevTools agrees on a large realistic heap (an application-like heap of 1.5 million nodes)', { timeout: 600_000 }, async () => {
  // The benchmark's heap builder: sessions, users, orders, Maps, Sets, closures, WeakMaps, strings.
  const builder = fileURLToPath(new URL('../bench/heap-builder.js', import.meta.url));
  const file = join(tempDir(), 'app.heapsnapshot');
  execFileSync(process.execPath, [builder, '25000', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const ours = loadSync(file);
  assert.ok(ours.nodeCount > 1_000_000, `a large heap (${ours.nodeCount} nodes)`);
  const r = assertAgrees(ours, await devtools(file));
  assert.ok(r.classes > 100);
  // At this size the page-owned flags and the shallow sizes were computed on a worker (into
  // shared memory) while the dominators were computed here; the comparison above checked them.
  assert.ok(ours.edgeCount > 2_000_000 && ours.shallowSizes().small.buffer instanceof SharedArrayBuffer);
  assert.ok(ours.pageOwned().buffer instanceof SharedArrayBuffer);
});

test('DevTools agrees on a long chain whose payloads are also held from elsewhere', async () => {
  // Window -> head -> n1 -> n2 -> ... (each node dominates the next) and every node -> its data,
  // which a Map also holds. The search runs down the chain first, so each data object's
  // semidominator lies far above its parent. (On this shape a step-by-step walk up the dominator
  // chain, as in plain Semi-NCA, takes quadratic time: 0.65 s at 20,000 nodes, minutes at 200,000.)
  const length = 100_000;
  const nodes: SyntheticNode[] = [
    { type: 'synthetic', name: '', id: 1, size: 0 },
    { type: 'object', name: 'Window', id: 3, size: 1 },
    { type: 'object', name: 'Map', id: 5, size: 1 },
  ];
  const edges: SyntheticEdge[] = [
    [0, 'shortcut', 'w', 1],
    [1, 'property', 'head', 3],
    [1, 'property', 'map', 2],
  ];
  for (let i = 0; i < length; i++) {
    const node = 3 + 2 * i;
    nodes.push({ type: 'object', name: 'ListNode', id: 1 + 2 * node, size: 2 }, { type: 'object', name: 'Data', id: 3 + 2 * node, size: 3 });
    if (i + 1 < length) edges.push([node, 'property', 'next', node + 2]);
    edges.push([node, 'property', 'data', node + 1], [2, 'internal', String(i), node + 1]);
  }
  const text = syntheticSnapshot(nodes, edges);
  const s = parseChunks([text]);
  const dom = s.dominators();
  for (let i = 1; i < length; i++) assert.equal(dom[3 + 2 * i], 1 + 2 * i, 'each list node is dominated by the one before');
  for (let i = 0; i < length; i++) assert.equal(dom[4 + 2 * i], 1, 'each data object is held twice: Window dominates it');
  assert.equal(s.retainedSizes()[3], 2 * length, 'the head retains the whole chain, not the data');
  assertAgrees(s, await devtools({ text }));
});
