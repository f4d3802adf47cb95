import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './fixtures.js';
import { decodePng, pixelStats } from './render-helpers.js';
import { child, dot, EXACT, globalObject, globalValue, graphHeapSnapshot, mapCacheSnapshot, nameIds } from './graphs-fixtures.js';
import { isRoot } from '../src/analysis/paths.js';
import { describeNode } from '../src/analysis/edges.js';
import { parseChunks } from '../src/index.js';
import { syntheticSnapshot, type SyntheticEdge, type SyntheticNode } from './synthetic.js';
import type { HeapNode } from '../src/snapshot/views.js';

function sink(): { text: string; write(s: string): boolean } {
  return {
    text: '',
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

function closureOf(fn: HeapNode): string {
  const loc = fn.location!;
  return `${fn.name}() @ script#${loc.scriptId}:${loc.line + 1}`;
}

function leakedSession(): { handler: HeapNode; leaked: HeapNode } {
  const snap = graphHeapSnapshot();
  const handler = globalValue(snap, 'handler');
  const context = handler.edges.find((e) => e.name === 'context')!.to;
  return { handler, leaked: child(context, 'leakedBuffer') };
}

test('seed: showRefs([y]) draws y -> x, y -> [x] -> x, y -> {x} -> x with labels 0, 1, 2 and x', () => {
  const snap = graphHeapSnapshot();
  const y = globalValue(snap, 'y');
  const names = { y, x: child(y, 0), inner: child(y, 1), obj: child(y, 2) };
  assert.equal(names.x.id, globalValue(snap, 'x').id);
  const out = sink();
  const graph = snap.showRefs([y], { ...EXACT, output: out });
  assert.equal(out.text, graph.toDot({ legend: false }));
  assert.equal(
    nameIds(out.text, names),
    dot([
      '  o<y>[fontcolor=red];',
      '  o<y>[label="Array\\n3 items"];',
      '  o<y>[fillcolor="0,0,1"];',
      '  o<y> -> o<x> [label="0"];',
      '  o<y> -> o<inner> [label="1"];',
      '  o<y> -> o<obj> [label="2"];',
      '  o<x>[label="Array\\n0 items"];',
      '  o<x>[fillcolor="0,0,0.766667"];',
      '  o<inner>[label="Array\\n1 item"];',
      '  o<inner>[fillcolor="0,0,0.766667"];',
      '  o<inner> -> o<x> [label="0"];',
      '  o<obj>[label="Object\\n1 property"];',
      '  o<obj>[fillcolor="0,0,0.766667"];',
      '  o<obj> -> o<x> [label="x",weight=2];',
    ]),
  );
  // The Graph value carries the same facts as data.
  assert.equal(graph.objectCount, 4);
  assert.deepEqual(
    graph.edges.map((e) => [e.from, e.to, e.label, e.kind]),
    [
      [String(y.id), String(names.x.id), '0', 'element'],
      [String(y.id), String(names.inner.id), '1', 'element'],
      [String(y.id), String(names.obj.id), '2', 'element'],
      [String(names.inner.id), String(names.x.id), '0', 'element'],
      [String(names.obj.id), String(names.x.id), 'x', 'property'],
    ],
  );
});

test('seed with sizes and refcounts: self / retained size line, retainer count after the class name', () => {
  const snap = graphHeapSnapshot();
  const y = globalValue(snap, 'y');
  const x = child(y, 0);
  const graph = snap.showRefs([y], { refcounts: true, show: false, maxDepth: 1 });
  const nx = graph.node(String(x.id))!;
  // x is held by globalThis.x, y, [x] and {x}.
  assert.equal(nx.label[0], 'Array [4]');
  assert.match(nx.label[2]!, /^\d+ B \/ \d+ B$/);
  assert.equal(nx.selfSize, x.selfSize);
  assert.equal(nx.retainedSize, x.retainedSize);
  // Depth 1: the children are drawn but not expanded.
  assert.equal(graph.edges.length, 3);
});

test('closure leak: the backrefs graph and chain name the captured variable', () => {
  const snap = graphHeapSnapshot();
  const { handler, leaked } = leakedSession();
  const g = globalObject(snap);
  const out = sink();
  snap.showBackrefs([leaked], { ...EXACT, output: out });
  assert.equal(
    nameIds(out.text, { leaked, handler, global: g }),
    dot([
      '  o<leaked>[fontcolor=red];',
      '  o<leaked>[label="Session"];',
      '  o<leaked>[fillcolor="0,0,1"];',
      '  o<handler> -> o<leaked> [label="leakedBuffer"];',
      `  o<handler>[label="Function\\n${closureOf(handler)}"];`,
      '  o<handler>[fillcolor="0,0,0.766667"];',
      '  o<global> -> o<handler> [label="handler",weight=2];',
      '  o<global>[label="global"];',
      '  o<global>[fillcolor="0.3,1,0.533333"];',
    ]),
  );
  const chain = snap.findBackrefChain(leaked);
  assert.ok(chain.found);
  assert.deepEqual(
    chain.steps.map((s) => [s.from.id, s.path, s.to.id]),
    [
      [g.id, '.handler', handler.id],
      [handler.id, '(closure variable) leakedBuffer', leaked.id],
    ],
  );
  // The raw chain keeps V8's truth: the closure's Context sits between them.
  assert.deepEqual(
    chain.nodes.map((n) => n.className),
    ['global', 'Function', 'system / Context', 'Session'],
  );
  assert.deepEqual(
    chain.edges.map((e) => [e.type, e.name]),
    [
      ['property', 'handler'],
      ['internal', 'context'],
      ['context', 'leakedBuffer'],
    ],
  );
  for (let i = 0; i < chain.edges.length; i++) {
    assert.equal(chain.edges[i]!.from.id, chain.nodes[i]!.id);
    assert.equal(chain.edges[i]!.to.id, chain.nodes[i + 1]!.id);
  }
  assert.ok(isRoot(chain.nodes[0]!));

  // showChain draws just that chain, collapsed, the target red.
  const c = sink();
  snap.showChain(chain, { ...EXACT, output: c });
  assert.equal(
    nameIds(c.text, { leaked, handler, global: g }),
    dot([
      '  o<leaked>[fontcolor=red];',
      '  o<leaked>[label="Session"];',
      '  o<leaked>[fillcolor="0,0,1"];',
      '  o<handler> -> o<leaked> [label="leakedBuffer"];',
      `  o<handler>[label="Function\\n${closureOf(handler)}"];`,
      '  o<handler>[fillcolor="0,0,0.65"];',
      '  o<global> -> o<handler> [label="handler"];',
      '  o<global>[label="global"];',
      '  o<global>[fillcolor="0.3,1,0.3"];',
      '  o<global>[fontcolor=white];',
    ]),
  );
});

test('closure: showRefs shows captured variables as edges from the closure (Context collapsed), or the Context with internals', () => {
  const snap = graphHeapSnapshot();
  const { handler, leaked } = leakedSession();
  const graph = snap.showRefs([handler], { ...EXACT, show: false, maxDepth: 1 });
  const fromClosure = graph.edges.filter((e) => e.from === String(handler.id));
  assert.ok(fromClosure.some((e) => e.to === String(leaked.id) && e.label === 'leakedBuffer' && e.kind === 'context'));
  assert.ok(!graph.nodes.some((n) => n.className === 'system / Context' || n.className === '(object shape)'));
  const raw = snap.showRefs([handler], { ...EXACT, show: false, maxDepth: 2, internals: true, tooMany: 100 });
  assert.ok(raw.nodes.some((n) => n.className === 'system / Context'));
  assert.ok(raw.edges.some((e) => e.label === 'context' && e.kind === 'internal'));
});

test('Map cache leak in an ES module: the chain names the module variable and the key', () => {
  const snap = mapCacheSnapshot();
  const sessions = snap.byType('Session');
  assert.equal(sessions.length, 1);
  const session = sessions[0]!;
  const chain = snap.findBackrefChain(session);
  assert.ok(chain.found);
  const steps = chain.steps.map((s) => [s.from.className, s.path, s.to.className]);
  // The module's Context is held by the module record through the module's generator (Node 20).
  assert.deepEqual(steps.slice(-2), [
    ['Generator', '(closure variable) sessionCache', 'Map'],
    ['Map', '.get("user-42")', 'Session'],
  ]);
  assert.ok(chain.steps.some((s) => s.label === 'sessionCache' && s.kind === 'context'));
  assert.ok(isRoot(chain.nodes[0]!));
  assert.equal(chain.nodes[0]!.name, 'system / SourceTextModule');

  // The backrefs graph: Map -get("user-42")-> Session, the module's functions -sessionCache-> Map.
  const graph = snap.showBackrefs([session], { ...EXACT, show: false });
  const map = chain.steps[chain.steps.length - 1]!.from;
  assert.deepEqual(
    graph.edges.filter((e) => e.to === String(session.id)).map((e) => [e.from, e.label, e.kind]),
    [[String(map.id), 'get("user-42")', 'entry']],
  );
  const intoMap = graph.edges.filter((e) => e.to === String(map.id));
  assert.ok(intoMap.length > 0);
  assert.ok(intoMap.every((e) => e.label === 'sessionCache' && e.kind === 'context'));
  const remember = snap.byType('Function').find((f) => f.name === 'remember')!;
  assert.ok(intoMap.some((e) => e.from === String(remember.id)));

  // whyAlive: the path, and the Map as the object to release.
  const out = sink();
  const why = snap.showWhyAlive(session, { file: out });
  assert.equal(why.culprit?.id, map.id);
  assert.equal(why.retainedSize, session.retainedSize);
  assert.equal(why.path.length, chain.steps.length + 1);
  assert.match(out.text, /^Session @\d+ is alive: \d+ B self, \d+ B retained\.\n\nShortest path from a root \(\d+ steps\):\n/);
  assert.match(out.text, /\(closure variable\) sessionCache -> Map @\d+ 1 item +retains /);
  assert.match(out.text, /\.get\("user-42"\) -> Session @\d+ +retains /);
  assert.match(out.text, new RegExp(`\\* nearest object you can name: Map @${map.id} 1 item\\n$`));
  // Every dominator is on every path: the Map's dominators include the Map.
  assert.ok(why.dominators.some((d) => d.node.id === map.id));

  // whyAlive is drawable with showChain.
  const g = snap.showChain(why, { ...EXACT, show: false });
  assert.ok(g.edges.some((e) => e.label === 'get("user-42")'));
  assert.ok(g.node(String(session.id))!.root);
});

test('tooMany: "N more references" and "N more backreferences" boxes', () => {
  const snap = graphHeapSnapshot();
  const many = globalValue(snap, 'many');
  const items = [0, 1, 2, 3, 4].map((i) => child(many, i));
  const out = sink();
  snap.showRefs([many], { ...EXACT, output: out, tooMany: 5, maxDepth: 1 });
  const names: Record<string, HeapNode> = { many };
  items.forEach((n, i) => (names[`i${i}`] = n));
  const itemLines = (i: number): string[] => [
    `  o<i${i}>[label="Object\\n1 property"];`,
    `  o<i${i}>[fillcolor="0,0,0.3"];`,
    `  o<i${i}>[fontcolor=white];`,
  ];
  assert.equal(
    nameIds(out.text, names),
    dot([
      '  o<many>[fontcolor=red];',
      '  o<many>[label="Array\\n15 items"];',
      '  o<many>[fillcolor="0,0,1"];',
      ...items.map((_, i) => `  o<many> -> o<i${i}> [label="${i}"];`),
      '  o<many>->too_many_o<many>[color=red,style=dotted,len=0.25,weight=10];',
      '  too_many_o<many>[label="10 more references",shape=box,height=0.25,color=red,fillcolor="0,1,0.3",fontsize=6];',
      '  too_many_o<many>[fontcolor=white];',
      ...items.flatMap((_, i) => itemLines(i)),
    ]),
  );

  const fanIn = globalValue(snap, 'fanIn');
  const target = child(child(fanIn, 0), 't');
  const holders = [0, 1, 2].map((i) => child(fanIn, i));
  const back = sink();
  snap.showBackrefs([target], { ...EXACT, output: back, tooMany: 3, maxDepth: 1 });
  const bn: Record<string, HeapNode> = { target };
  holders.forEach((n, i) => (bn[`h${i}`] = n));
  assert.equal(
    nameIds(back.text, bn),
    dot([
      '  o<target>[fontcolor=red];',
      '  o<target>[label="Session"];',
      '  o<target>[fillcolor="0,0,1"];',
      ...holders.map((_, i) => `  o<h${i}> -> o<target> [label="t",weight=2];`),
      '  too_many_o<target>->o<target>[color=red,style=dotted,len=0.25,weight=10];',
      '  too_many_o<target>[label="9 more backreferences",shape=box,height=0.25,color=red,fillcolor="0,1,0.3",fontsize=6];',
      '  too_many_o<target>[fontcolor=white];',
      ...holders.flatMap((_, i) => [`  o<h${i}>[label="Object\\n1 property"];`, `  o<h${i}>[fillcolor="0,0,0.3"];`, `  o<h${i}>[fontcolor=white];`]),
    ]),
  );
});

test('options: filter, extraIgnore, highlight, extraInfo, extraNodeAttrs, shortnames', () => {
  const snap = graphHeapSnapshot();
  const y = globalValue(snap, 'y');
  const x = child(y, 0);
  const obj = child(y, 2);
  const g1 = snap.showRefs([y], { ...EXACT, show: false, filter: (n) => n.className === 'Array' });
  assert.ok(!g1.node(String(obj.id)));
  const g2 = snap.showRefs([y], { ...EXACT, show: false, extraIgnore: [x.id] });
  assert.ok(!g2.node(String(x.id)));
  assert.equal(g2.objectCount, 3);
  const out = sink();
  snap.showRefs([y], {
    ...EXACT,
    output: out,
    maxDepth: 1,
    highlight: (n) => n.id === x.id,
    extraInfo: (n) => `id ${n.id}`,
    extraNodeAttrs: (n) => (n.id === obj.id ? { tooltip: 'the "object"', URL: null } : {}),
  });
  assert.ok(out.text.includes(`  o${x.id}[label="Array\\n0 items\\nid ${x.id}"];\n  o${x.id}[fillcolor="0.6,0.6,0.65"];\n`), out.text);
  assert.ok(out.text.includes(`  o${obj.id}[label="Object\\n1 property\\nid ${obj.id}", tooltip="the \\"object\\""];`), out.text);
  const { handler } = leakedSession();
  const g3 = snap.showBackrefs([handler], { ...EXACT, show: false, shortnames: false, maxDepth: 0 });
  assert.equal(g3.nodes[0]!.className, snap.qualifiedClassName(handler.ordinal));
});

test('heap strings are cut and escaped: the description of a string with quotes, backslashes and newlines', () => {
  const snap = graphHeapSnapshot();
  const s = globalValue(snap, 'longText');
  const out = sink();
  snap.showRefs([s], { ...EXACT, output: out });
  assert.equal(
    out.text,
    dot([
      `  o${s.id}[fontcolor=red];`,
      `  o${s.id}[label="(string)\\n\\"a quote \\\\\\" a backslash \\\\\\\\ and a newline \\\\n \\"…"];`,
      `  o${s.id}[fillcolor="0,0,1"];`,
    ]),
  );
});

test('an array is described by its length, from element edges of its backing store or from slots named "0", "1", …', () => {
  const nodes: SyntheticNode[] = [
    { type: 'synthetic', name: '', id: 1, size: 0 },
    { type: 'object', name: 'Window', id: 3, size: 10 },
    { type: 'object', name: 'Array', id: 5, size: 16 },
    { type: 'array', name: '(object elements)', id: 7, size: 40 },
    { type: 'object', name: 'Object', id: 9, size: 12 },
    { type: 'object', name: 'Array', id: 11, size: 16 },
    { type: 'array', name: '(object elements)', id: 13, size: 40 },
  ];
  const edges: SyntheticEdge[] = [
    [0, 'shortcut', 'w', 1],
    [1, 'property', 'a', 2],
    [2, 'internal', 'elements', 3],
    [3, 'element', 5000, 4], // an index past the strings table
    [1, 'property', 'b', 5],
    [5, 'internal', 'elements', 6],
    [6, 'internal', '0', 4],
    [6, 'internal', '6', 4],
  ];
  const snap = parseChunks([syntheticSnapshot(nodes, edges)]);
  assert.equal(describeNode(snap, 2), '5001 items');
  assert.equal(describeNode(snap, 5), '7 items');
});

test('findRefChain: shortest chain to a match, explicit not-found, maxDepth, never through weak edges', () => {
  const snap = graphHeapSnapshot();
  const y = globalValue(snap, 'y');
  const x = child(y, 0);
  const c = snap.findRefChain(y, (n) => n.id === x.id);
  assert.ok(c.found);
  assert.deepEqual(c.nodes.map((n) => n.id), [y.id, x.id]);
  assert.deepEqual(c.steps.map((s) => s.path), ['[0]']);
  // A string refers to nothing a chain may pass through: the search ends, explicitly.
  const text = globalValue(snap, 'longText');
  const none = snap.findRefChain(text, (n) => n.className === 'NoSuchClass');
  assert.equal(none.found, false);
  assert.ok(!none.found && none.start.id === text.id && none.reason === 'no match');
  const g = globalObject(snap);
  const cut = snap.findRefChain(g, (n) => n.className === 'NoSuchClass', { maxDepth: 2 });
  assert.ok(!cut.found && cut.reason === 'max depth');
  // extraIgnore: with y[0] ignored, the path to x goes through [x] or {x}.
  const c2 = snap.findRefChain(y, (n) => n.id === x.id, { extraIgnore: [] });
  assert.ok(c2.found && c2.nodes.length === 2);
  const c3 = snap.findBackrefChain(x, (n) => n.id === y.id, { extraIgnore: [child(y, 1), child(y, 2).id] });
  assert.ok(c3.found);
  assert.deepEqual(c3.nodes.map((n) => n.id), [y.id, x.id]);
  for (const chain of [c, c2, c3]) if (chain.found) for (const e of chain.edges) assert.notEqual(e.type, 'weak');
});

test('presenting a graph: filename by extension, output stream, the temp PNG, and both is an error', () => {
  const snap = graphHeapSnapshot();
  const y = globalValue(snap, 'y');
  const dir = tempDir();
  const file = join(dir, 'seed.dot');
  const said = sink();
  const graph = snap.showRefs([y], { filename: file, file: said, sizes: false });
  assert.equal(readFileSync(file, 'utf8'), graph.toDot());
  assert.equal(said.text, `Graph written to ${file} (4 nodes)\n`);
  assert.throws(() => snap.showRefs([y], { filename: file, output: sink() }), /Cannot specify both output and filename/);
  const tmp = sink();
  snap.showRefs([y], { file: tmp, sizes: false });
  const m = /^Graph written to (.*objgraph-.*\.png) \(4 nodes\)\n$/.exec(tmp.text);
  assert.ok(m, tmp.text);
  assert.ok(existsSync(m[1]!));
});

test('the PNG of the seed graph is a real picture', () => {
  const snap = graphHeapSnapshot();
  const y = globalValue(snap, 'y');
  const png = snap.showRefs([y], { show: false }).toPng();
  const img = decodePng(png);
  assert.ok(img.width >= 200 && img.width <= 4000, `width ${img.width}`);
  assert.ok(img.height >= 150 && img.height <= 4000, `height ${img.height}`);
  const stats = pixelStats(img);
  assert.ok(stats.distinct > 20, `distinct colours ${stats.distinct}`);
  assert.ok(stats.white / stats.total > 0.3, 'mostly white background');
  assert.ok(stats.dark > 100, 'text and lines are drawn');
  assert.ok(stats.red > 10, 'the red font of the start object');
});

test('showChain: refs direction, several chains, and an error when nothing is drawable', () => {
  const snap = graphHeapSnapshot();
  const y = globalValue(snap, 'y');
  const x = child(y, 0);
  const c1 = snap.findRefChain(y, (n) => n.id === x.id);
  const c2 = snap.findRefChain(y, (n) => n.className === 'Object');
  const g = snap.showChain(c1, c2, { backrefs: false, ...EXACT, show: false });
  assert.equal(g.direction, 'refs');
  assert.deepEqual(g.nodes.map((n) => [n.id, n.depth, n.root]), [
    [y.id, 0, true],
    [x.id, 1, false],
    [child(y, 2).id, 1, false],
  ]);
  const none = snap.findRefChain(x, () => false);
  assert.throws(() => snap.showChain(none, { show: false }), /no chain to draw/);
});
