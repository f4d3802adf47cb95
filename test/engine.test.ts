import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { loadSync, parseChunks, analysis, BASE_SYSTEM_DISTANCE, type HeapNode, type Snapshot } from '../src/index.js';
import { entryTableId } from '../src/snapshot/indexes.js';
import { knownHeap } from './fixtures.js';
import { syntheticSnapshot, type SyntheticEdge, type SyntheticNode } from './synthetic.js';

let cached: Snapshot | undefined;
function snap(): Snapshot {
  return (cached ??= loadSync(knownHeap()));
}

function globalObject(s: Snapshot): HeapNode {
  const e = s.root.edges.find((edge) => edge.type === 'shortcut');
  assert.ok(e, 'the root has a shortcut edge to the global object');
  return e.to;
}

function property(node: HeapNode, name: string): HeapNode {
  const e = node.edges.find((edge) => edge.name === name && edge.type !== 'weak');
  assert.ok(e, `${node} has an edge named ${name}`);
  return e.to;
}

test('exact instance counts per class', () => {
  const s = snap();
  assert.equal(s.count('Session'), 200);
  assert.equal(s.count('Seven'), 7);
  assert.equal(s.count('Leaf'), 4);
  assert.equal(s.count('WeakMap') >= 1, true);
  assert.equal(s.typestats()['Session'], 200);
  assert.equal(s.byType('Session').length, 200);
  assert.ok(s.byType('Session').every((n) => n.className === 'Session' && n.type === 'object'));
  const ids = new Set(s.byType('Session').map((n) => n.id));
  assert.equal(ids.size, 200);
  assert.ok([...ids].every((id) => id % 2 === 1), 'V8 heap objects have odd ids');
});

test('class names follow DevTools: Function, (string), (system) …; system internals are not user-visible', () => {
  const s = snap();
  const counter = property(globalObject(s), 'counter');
  assert.equal(counter.type, 'closure');
  assert.equal(counter.className, 'Function');
  assert.equal(counter.name, 'increment');
  const all = s.typestats({ all: true });
  assert.ok(all['(system)']! > 0);
  assert.ok(all['(compiled code)']! > 0);
  assert.ok(all['system / Context']! > 0);
  const visible = s.typestats();
  assert.equal(visible['(system)'], undefined);
  assert.equal(visible['(compiled code)'], undefined);
  assert.equal(visible['system / Context'], undefined);
  assert.ok(visible['(string)']! > 0);
  assert.ok(visible['Function']! > 0);
});

test('qualified class names carry the constructor location', () => {
  const s = snap();
  const session = s.byType('Session')[0]!;
  const loc = session.location;
  assert.ok(loc, 'Session instances have a location');
  // The constructor is on the fourth line of the fixture program (0-based line 3), column 13.
  assert.equal(loc.line, 3);
  assert.equal(loc.column, 13);
  assert.equal(session.qualifiedClassName, `Session@script#${loc.scriptId}:4:14`);
  s.scriptNames.set(loc.scriptId, 'known.cjs');
  const fresh = loadSync(knownHeap());
  fresh.scriptNames.set(loc.scriptId, 'known.cjs');
  assert.equal(fresh.byType('Session')[0]!.qualifiedClassName, 'Session@known.cjs:4:14');
  assert.equal(fresh.count('Session@known.cjs:4:14'), 200);
  assert.equal(fresh.typestats({ shortnames: false })['Session@known.cjs:4:14'], 200);
});

test('edges carry property names, element indexes and closure variable names', () => {
  const s = snap();
  const g = globalObject(s);
  const y = property(g, 'y');
  const x = property(g, 'x');
  assert.equal(y.className, 'Array');
  // y = [x, [x], {x}]: V8 records the elements as element edges 0, 1, 2 of the array itself.
  const byIndex = new Map(y.edges.filter((e) => e.type === 'element').map((e) => [e.name, e.to]));
  assert.deepEqual([...byIndex.keys()], [0, 1, 2]);
  assert.ok(byIndex.get(0)!.equals(x));
  assert.equal(byIndex.get(1)!.className, 'Array');
  assert.equal(byIndex.get(2)!.className, 'Object');
  assert.ok(property(byIndex.get(2)!, 'x').equals(x));
  // Closure context variables are `context` edges named after the variable.
  const counter = property(g, 'counter');
  const context = property(counter, 'context');
  const label = context.edges.find((e) => e.type === 'context' && e.name === 'counterLabel');
  assert.ok(label, 'the closure context names the captured variable');
  assert.equal(label.to.name, 'counter');
  // Session instances: .user is an Object with .name.
  const session = s.byType('Session')[0]!;
  const user = property(session, 'user');
  assert.equal(user.className, 'Object');
  assert.match(property(user, 'name').name, /^user-\d+$/);
  // Retainers are the reverse edges.
  assert.ok(user.retainers.some((e) => e.from.equals(session) && e.name === 'user' && e.type === 'property'));
});

test('distances from the roots', () => {
  const s = snap();
  const g = globalObject(s);
  assert.equal(g.distance, 1);
  assert.equal(property(g, 'x').distance, 2);
  assert.equal(property(g, 'y').distance, 2);
  const session = s.byType('Session')[0]!;
  // global -> sessionCache (2) -> table (3) -> Session (4)
  assert.equal(session.distance, 4);
  assert.equal(property(session, 'user').distance, 5);
  assert.equal(s.root.distance, BASE_SYSTEM_DISTANCE);
});

test('dominators of known objects', () => {
  const s = snap();
  const g = globalObject(s);
  const session = s.byType('Session')[0]!;
  const user = property(session, 'user');
  assert.ok(user.dominator.equals(session), 'a Session dominates its user object');
  const cache = property(g, 'sessionCache');
  const table = property(cache, 'table');
  assert.ok(table.dominator.equals(cache));
  assert.ok(session.dominator.equals(table), 'the Map table dominates the sessions it holds');
  assert.ok(cache.retainedSize > 200 * session.retainedSize, 'the cache retains all sessions');
  // The cycle a <-> b hangs off cycleHolder.a, so a dominates b.
  const a = property(property(g, 'cycleHolder'), 'a');
  const b = property(a, 'v');
  assert.equal(b.className, 'Leaf');
  assert.ok(b.dominator.equals(a));
  assert.ok(a.retainedSize >= a.selfSize + b.selfSize);
  // A WeakMap value is dominated by its key, not by the table.
  const weakKey = property(g, 'weakKey');
  const valueEdge = weakKey.edges.find((e) => String(e.name).includes('pair in WeakMap'));
  assert.ok(valueEdge, 'the key has an ephemeron edge to the value');
  assert.ok(valueEdge.to.dominator.equals(weakKey));
  assert.equal(property(valueEdge.to, 'v').name, 'weak value');
});

test('a retainer chain through a WeakMap key names the entry, not V8\'s edge name', () => {
  const nodes: SyntheticNode[] = [
    ['synthetic', ''],
    ['object', 'Window'],
    ['object', 'WeakMap'],
    ['array', '(object elements)'],
    ['object', 'Key'],
    ['object', 'Value'],
  ].map(([type, name], i) => ({ type: type!, name: name!, id: 1 + 2 * i, size: 10 }));
  const pair = (n: number): string => `${n} / part of key (Key @9) -> value (Value @11) pair in WeakMap (table @7)`;
  const edges: SyntheticEdge[] = [
    [0, 'shortcut', 'w', 1],
    [1, 'property', 'weak', 2],
    [1, 'property', 'key', 4],
    [2, 'internal', 'table', 3],
    [3, 'weak', '1', 4],
    [3, 'internal', pair(1), 5],
    [4, 'internal', pair(2), 5],
  ];
  /** The chain to the value, as [from, path, to] steps. */
  const chainToValue = (list: SyntheticEdge[]): string[][] => {
    const s = parseChunks([syntheticSnapshot(nodes, list)]);
    const chain = s.findBackrefChain(s.node(5));
    assert.ok(chain.found);
    return chain.steps.map((st) => [st.from.name, st.path, st.to.name]);
  };
  assert.deepEqual(chainToValue(edges), [
    ['Window', '.key', 'Key'],
    ['Key', '(as WeakMap key)', 'Value'],
  ]);
  // Through the table instead (the key's edge gone), the step is the WeakMap's entry.
  assert.deepEqual(chainToValue(edges.slice(0, -1)), [
    ['Window', '.weak', 'WeakMap'],
    ['WeakMap', '.get(Key@9)', 'Value'],
  ]);
});

test('per-class retained sizes do not double count nested instances', () => {
  const s = snap();
  const stats = s.census({ retainedSizes: true });
  const session = stats.get('Session')!;
  const sum = s.byType('Session').reduce((t, n) => t + n.retainedSize, 0);
  assert.equal(session.retainedSize, sum, 'sessions do not dominate each other');
  // Leaf a dominates Leaf b, and the WeakMap key (a Leaf) dominates its value (a Leaf):
  // the class total counts b and the value once each, inside their dominators.
  const leaves = s.byType('Leaf');
  const naive = leaves.reduce((t, n) => t + n.retainedSize, 0);
  const nested = leaves.filter((n) => n.dominator.className === 'Leaf');
  assert.equal(nested.length, 2);
  assert.equal(stats.get('Leaf')!.retainedSize, naive - nested[0]!.retainedSize - nested[1]!.retainedSize);
  const top = s.mostCommonTypes({ limit: 3, sortBy: 'retainedSize' });
  assert.equal(top.length, 3);
});

test('most common types, sorted and limited', () => {
  const s = snap();
  const top = s.mostCommonTypes();
  assert.equal(top.length, 10);
  for (let i = 1; i < top.length; i++) assert.ok(top[i - 1]![1] >= top[i]![1]);
  const all = s.mostCommonTypes({ limit: 0 });
  assert.equal(all.length, Object.keys(s.typestats()).length);
  assert.deepEqual(all.slice(0, 10), top);
  const bySize = s.classStats({ sortBy: 'selfSize', limit: 5 });
  for (let i = 1; i < bySize.length; i++) assert.ok(bySize[i - 1]!.selfSize >= bySize[i]!.selfSize);
});

test('census options: objects and filter', () => {
  const s = snap();
  const sessions = s.byType('Session');
  assert.deepEqual({ ...s.typestats({ objects: sessions.slice(0, 5) }) }, { Session: 5 });
  assert.equal(s.count('Session', { filter: (n) => n.id === sessions[0]!.id }), 1);
});

test('classes named like Object.prototype members (__proto__, toString) are counted and compared like any other', () => {
  const make = (extra: number): Snapshot => {
    const nodes: SyntheticNode[] = [
      { type: 'synthetic', name: '', id: 1, size: 0 },
      { type: 'object', name: 'Window', id: 3, size: 10 },
      { type: 'object', name: '__proto__', id: 5, size: 20 },
      ...Array.from({ length: extra }, (_, i) => ({ type: 'object', name: 'toString', id: 7 + 2 * i, size: 30 })),
    ];
    const edges: SyntheticEdge[] = nodes.slice(1).map((_, i) => (i === 0 ? [0, 'shortcut', 'w', 1] : [1, 'property', `p${i}`, i + 1]));
    return parseChunks([syntheticSnapshot(nodes, edges)]);
  };
  const before = make(0).typestats();
  const after = make(3).typestats();
  assert.equal(after['__proto__'], 1);
  assert.equal(Object.getPrototypeOf(after), null);
  assert.equal(before['toString'], undefined);
  assert.deepEqual(analysis.growthBetween(before, after), [['toString', 3, 3]]);
});

test('at and atAddrs find nodes by id', () => {
  const s = snap();
  const session = s.byType('Session')[3]!;
  assert.ok(s.at(session.id)!.equals(session));
  assert.equal(s.at(2 ** 31 + 1), undefined);
  assert.deepEqual(
    s.atAddrs([session.id, 2 ** 31 + 1, s.root.id]).map((n) => n.ordinal),
    [session.ordinal, s.rootOrdinal],
  );
});

test('node and edge views print readably', () => {
  const s = snap();
  const session = s.byType('Session')[0]!;
  assert.match(inspect(session), /^HeapNode <Session @\d+ type=object selfSize=\d+ edges=\d+>$/);
  const edge = session.edges.find((e) => e.name === 'user')!;
  assert.match(inspect(edge), /^HeapEdge <Session @\d+ \.user -> Object @\d+>$/);
  assert.equal(edge.toString(), '.user');
});

test('comparison of two snapshots of one process', () => {
  const program = (more: boolean): string => `
    const v8 = require('node:v8');
    class Widget {}
    globalThis.keep = [];
    for (let i = 0; i < 10; i++) globalThis.keep.push(new Widget());
    v8.writeHeapSnapshot(process.env.SNAPSHOT + '.1');
    ${more ? 'for (let i = 0; i < 25; i++) globalThis.keep.push(new Widget()); globalThis.keep.splice(0, 3);' : ''}
    v8.writeHeapSnapshot(process.env.SNAPSHOT + '.2');
  `;
  // Both snapshots come from the same process, so ids are comparable.
  const base = snapshotPair(program(true));
  const [before, after] = base;
  const diff = after.compare(before).find((d) => d.name === 'Widget')!;
  assert.deepEqual([diff.before, diff.after, diff.delta, diff.added, diff.removed], [10, 32, 22, 25, 3]);
  const ids = after.newIds(before).get('Widget')!;
  assert.equal(ids.size, 25);
  assert.ok([...ids].every((id) => !before.hasId(id) && after.at(id)!.className === 'Widget'));
  // Options select in both snapshots: node views (matched by id, even from a generator)...
  const widgets = before.byType('Widget').slice(0, 4);
  const fromArray = after.compare(before, { objects: widgets }).find((d) => d.name === 'Widget')!;
  const fromGenerator = after.compare(before, { objects: (function* () { yield* widgets; })() }).find((d) => d.name === 'Widget')!;
  assert.equal(fromArray.before, 4);
  assert.ok(fromArray.after >= 1 && fromArray.after <= 4);
  assert.deepEqual(fromGenerator, fromArray);
  // ...but not ordinals or a mask over one snapshot's nodes.
  assert.throws(() => after.compare(before, { objects: [widgets[0]!.ordinal] }), /ordinals in `objects` name different nodes in each snapshot/);
  assert.throws(() => after.compare(before, { exclude: new Uint8Array(after.nodeCount) }), /`exclude` is a mask over one snapshot's ordinals/);
});

function snapshotPair(program: string): [Snapshot, Snapshot] {
  const path = snapshotOfPair(program);
  return [loadSync(path + '.1'), loadSync(path + '.2')];
}

import { snapshotOf } from './fixtures.js';
import { existsSync } from 'node:fs';
function snapshotOfPair(program: string): string {
  // snapshotOf expects the program to write SNAPSHOT; this one writes SNAPSHOT.1 and .2 instead.
  const path = snapshotOf('pair', program + '\nrequire("node:fs").writeFileSync(process.env.SNAPSHOT, "done");');
  assert.ok(existsSync(path + '.1') && existsSync(path + '.2'));
  return path;
}

// ---- Hand-built graphs: the dominator rules to the letter -------------------

function graph(nodes: Array<[string, string, number]>, edges: SyntheticEdge[]): Snapshot {
  const list: SyntheticNode[] = nodes.map(([type, name, size], i) => ({ type, name, id: 1 + 2 * i, size }));
  return parseChunks([syntheticSnapshot(list, edges)]);
}

test('dominators: diamond, weak edges, shortcuts below the root, self edges', () => {
  // 0 root -> 1 Window (user root) -> 2 A, 3 B; A -> 4 D; B -> 4 D; A -weak-> 5 E; A -> 6 F; F -shortcut-> 7 G; A -> 7 G; G -> G
  const s = graph(
    [
      ['synthetic', '', 0],
      ['object', 'Window', 10],
      ['object', 'A', 1],
      ['object', 'B', 2],
      ['object', 'D', 4],
      ['object', 'E', 8],
      ['object', 'F', 16],
      ['object', 'G', 32],
    ],
    [
      [0, 'shortcut', 'w', 1],
      [1, 'property', 'a', 2],
      [1, 'property', 'b', 3],
      [2, 'property', 'd', 4],
      [3, 'property', 'd', 4],
      [2, 'weak', 'e', 5],
      [2, 'property', 'f', 6],
      [6, 'shortcut', 'g', 7],
      [2, 'property', 'g', 7],
      [7, 'property', 'self', 7],
    ],
  );
  const dom = [...s.dominators()];
  // D has two paths (via A and via B): dominated by Window. E is held only weakly: attached to the root.
  // G is reached by A directly and by F through a shortcut (not retaining): A dominates it.
  assert.deepEqual(dom, [0, 0, 1, 1, 1, 0, 2, 2]);
  assert.deepEqual([...s.retainedSizes()], [73, 65, 49, 2, 4, 8, 16, 32]);
  assert.deepEqual([...s.distances()], [BASE_SYSTEM_DISTANCE, 1, 2, 2, 3, -5, 3, 3]);
});

/** P and Q retain each other, and only a weak edge reaches them; so do R and S, which nothing reaches. T is held only weakly, and U only through T. */
function weaklyHeld(): Snapshot {
  return graph(
    [
      ['synthetic', '', 0],
      ['object', 'Window', 1],
      ['object', 'P', 2],
      ['object', 'Q', 4],
      ['object', 'R', 8],
      ['object', 'S', 16],
      ['object', 'T', 32],
      ['object', 'U', 64],
    ],
    [
      [0, 'shortcut', 'w', 1],
      [1, 'weak', 'p', 2],
      [1, 'weak', 't', 6],
      [2, 'property', 'q', 3],
      [3, 'property', 'p', 2],
      [4, 'property', 's', 5],
      [5, 'property', 'r', 4],
      [6, 'property', 'u', 7],
    ],
  );
}

test('dominators: objects held only weakly, and cycles nothing reaches, hang off the root as in DevTools', () => {
  const s = weaklyHeld();
  const dom = [...s.dominators()];
  // T has only a weak retainer: it is traversed from the root, and U, reached only through T, is T's.
  assert.equal(dom[6], 0);
  assert.equal(dom[7], 6);
  // P and Q retain each other (P is not held only weakly): each hangs off the root, like the cycle R <-> S.
  assert.deepEqual([dom[2], dom[3], dom[4], dom[5]], [0, 0, 0, 0]);
  assert.equal(s.retainedSizes()[0], 127);
  assert.equal(s.retainedSizes()[6], 96);
});

test('dominators: page-owned objects are not retained through edges from outside the page', () => {
  // root -> Window -> X; root -> (GC roots) -> handle H -> X. X is owned by the page,
  // H is not: the H -> X edge does not retain, so Window dominates X.
  const s = graph(
    [
      ['synthetic', '', 0],
      ['object', 'Window', 1],
      ['synthetic', '(GC roots)', 0],
      ['hidden', 'H', 2],
      ['object', 'X', 4],
    ],
    [
      [0, 'shortcut', 'w', 1],
      [0, 'element', 1, 2],
      [1, 'property', 'x', 4],
      [2, 'element', 0, 3],
      [3, 'internal', 'x', 4],
    ],
  );
  assert.equal(s.dominators()[4], 1);
});

test('self sizes beyond 16 bits are kept apart, exactly, up to and beyond 32 bits', () => {
  // Small nodes, then 100 around the 16-bit limit (65,534 fits, 65,535 and up do not), then
  // one of 5 GB, parsed in small chunks.
  const list: SyntheticNode[] = [{ type: 'synthetic', name: '', id: 1, size: 0 }, { type: 'object', name: 'Window', id: 3, size: 10 }];
  const edges: SyntheticEdge[] = [[0, 'shortcut', 'w', 1]];
  const add = (size: number): void => {
    list.push({ type: 'object', name: 'Sized', id: 1 + 2 * list.length, size });
    edges.push([1, 'property', `p${list.length - 1}`, list.length - 1]);
  };
  for (let i = 2; i < 400; i++) add(i);
  for (let k = 0; k < 100; k++) add(65_534 + k);
  const huge = 5_000_000_000;
  add(huge);
  const text = syntheticSnapshot(list, edges);
  const chunks: string[] = [];
  for (let k = 0; k < text.length; k += 97) chunks.push(text.slice(k, k + 97));
  const s = parseChunks(chunks);
  assert.deepEqual(list.map((_, o) => s.selfSizeOf(o)), list.map((n) => n.size));
  assert.equal(s.nodeSelfSize[400], 65_534);
  assert.equal(s.nodeSelfSize[401], 0xffff);
  assert.equal(s.largeSelfSizes.ordinals.length, 100, 'every size from 65,535 up is kept apart');
  assert.equal(s.node(list.length - 1).rawSelfSize, huge);
  const total = list.reduce((t, n) => t + n.size, 0);
  assert.deepEqual(list.map((_, o) => s.shallowSizeOf(o)), list.map((n) => n.size), 'nothing here is owned: shallow sizes are self sizes');
  assert.ok(s.retainedSizes() instanceof Float64Array, 'retained sizes are doubles when the total passes 32 bits');
  assert.equal(s.retainedSizes()[1], total);
  assert.equal(s.totalSize(), total);
});

test('retained sizes are 32-bit while the heap total fits in 32 bits, and exact at the limit', () => {
  // A chain root → Window → a → b → c whose sizes add up to `total`: the Window retains them all.
  const chain = (total: number): Snapshot => {
    const third = Math.floor((total - 10) / 3);
    const sizes = [10, third, third, total - 10 - 2 * third];
    const list: SyntheticNode[] = [{ type: 'synthetic', name: '', id: 1, size: 0 }];
    sizes.forEach((size, i) => list.push({ type: 'object', name: i === 0 ? 'Window' : `N${i}`, id: 3 + 2 * i, size }));
    const edges: SyntheticEdge[] = [[0, 'shortcut', 'w', 1]];
    for (let i = 1; i < 4; i++) edges.push([i, 'property', 'next', i + 1]);
    return parseChunks([syntheticSnapshot(list, edges)]);
  };
  const narrow = chain(0xffffffff);
  assert.ok(narrow.retainedSizes() instanceof Uint32Array);
  assert.equal(narrow.retainedSizes()[1], 0xffffffff);
  assert.equal(narrow.retainedSizes()[2], 0xffffffff - 10);
  const wide = chain(0x100000000);
  assert.ok(wide.retainedSizes() instanceof Float64Array);
  assert.equal(wide.retainedSizes()[1], 0x100000000);
  assert.equal(wide.retainedSizes()[0], 0x100000000);
});

test('the dominator tree\'s child lists hold, for each node, the nodes it dominates immediately, in ordinal order', () => {
  const snap = loadSync(knownHeap());
  const dominators = snap.dominators();
  const expected: number[][] = Array.from({ length: snap.nodeCount }, () => []);
  for (let v = 0; v < snap.nodeCount; v++) if (v !== snap.rootOrdinal) expected[dominators[v]!]!.push(v);
  const tree = snap.dominated();
  assert.deepEqual(Array.from({ length: snap.nodeCount }, (_, v) => tree.children(v)), expected);
  assert.equal(tree.start(snap.nodeCount), snap.nodeCount - 1, 'the last list ends after every node but the root');
});

test('the dominator tree\'s preorder puts the root first and every node\'s dominated nodes right after it', () => {
  for (const snap of [loadSync(knownHeap()), weaklyHeld()]) {
    const n = snap.nodeCount;
    const dominators = snap.dominators();
    const order = snap.dominatorOrder();
    assert.equal(order.length, n);
    assert.equal(order[0], snap.rootOrdinal);
    const position = new Int32Array(n).fill(-1);
    order.forEach((v, k) => {
      assert.equal(position[v], -1, `node ${v} is listed once`);
      position[v] = k;
    });
    // Every node's subtree (itself and the nodes it dominates, directly or not) fills the
    // positions from its own on, as many as the subtree has nodes.
    const subtree = new Int32Array(n).fill(1);
    const depth = (v: number): number => {
      let d = 0;
      for (let u = v; u !== snap.rootOrdinal; u = dominators[u]!) d++;
      return d;
    };
    const byDepth = Array.from({ length: n }, (_, v) => v).sort((a, b) => depth(b) - depth(a));
    for (const v of byDepth) if (v !== snap.rootOrdinal) subtree[dominators[v]!]! += subtree[v]!;
    for (let v = 0; v < n; v++) {
      for (let k = position[v]! + 1; k < position[v]! + subtree[v]!; k++) {
        let u = order[k]!;
        while (u !== v && u !== snap.rootOrdinal) u = dominators[u]!;
        assert.equal(u, v, `position ${k} lies in the subtree of node ${v}, so it dominates the node there`);
      }
    }
    assert.equal(subtree[snap.rootOrdinal], n);
  }
});

test('the dominator tree, class names and census built from lent buffers equal those built from new ones', () => {
  const options = [{ retainedSizes: true }, { all: true, retainedSizes: true }, { shortnames: false, retainedSizes: true }] as const;
  // In one run: the buffers the dominator build is done with (holding its numbers) become
  // the child lists, the class names and the census's per-node array, which each census
  // hands on to the next.
  const lent = loadSync(knownHeap());
  lent.retainedSizes();
  const lentDominated = lent.dominated();
  const lentStats = options.map((o) => [...lent.census(o)]);
  const lentClasses = [...lent.classIndexes()];
  // With nothing lent (the spent buffers dropped before each build), every array is new.
  const fresh = loadSync(knownHeap());
  const dropLent = (): void => void ((fresh as unknown as { spare: unknown[] }).spare = []);
  fresh.retainedSizes();
  dropLent();
  const freshDominated = fresh.dominated();
  const freshStats = options.map((o) => {
    dropLent();
    return [...fresh.census(o)];
  });
  const lists = (d: typeof lentDominated): number[][] => Array.from({ length: lent.nodeCount }, (_, v) => d.children(v));
  assert.deepEqual(lists(lentDominated), lists(freshDominated));
  assert.deepEqual(lentClasses, [...fresh.classIndexes()]);
  assert.deepEqual(lentStats, freshStats);
  assert.ok(lentStats[0]!.length > 10);
});

test('WeakMap entry names are recognised from their bytes exactly where DevTools\' pattern matches them', () => {
  const pattern = /^\d+( \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\))$/;
  const valid = [
    '12 / part of key (Object @33) -> value (Array @45) pair in WeakMap (table @67)',
    '0 / part of key ( @1) -> value ( @2) pair in WeakMap (table @3)',
    '7 / part of key (a @1) -> value (b) -> value (c @2) pair in WeakMap (table @9)',
    '7 / part of key (a @1) -> value (b @4) -> value (c) pair in WeakMap (table @9)',
  ];
  // Each valid name, and every name made from one by deleting, doubling or changing one byte.
  const names = new Set<string>();
  for (const v of valid) {
    names.add(v);
    for (let i = 0; i < v.length; i++) {
      names.add(v.slice(0, i) + v.slice(i + 1));
      names.add(v.slice(0, i + 1) + v.slice(i));
      names.add(v.slice(0, i) + 'x' + v.slice(i + 1));
      names.add(v.slice(0, i) + '5' + v.slice(i + 1));
    }
  }
  let entries = 0;
  for (const name of names) {
    const m = pattern.exec(name);
    assert.equal(entryTableId(Buffer.from(name, 'latin1')), m ? Number(m[2]) : -1, name);
    if (m) entries++;
  }
  assert.ok(entries > 100 && entries < names.size / 2, `${entries} of ${names.size} names are entries`);
});
