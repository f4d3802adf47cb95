import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, GraphBuilder } from '../src/render/graph.js';
import { gradient, nodeFill, toDot } from '../src/render/dot.js';
import { seedGraph } from './render-helpers.js';

const HEAD = [
  'digraph ObjectGraph {',
  '  node[shape=box, style=filled, fillcolor=white, fontname="DejaVu Sans"];',
  '  edge[fontname="DejaVu Sans"];',
];

function dot(lines: string[]): string {
  return [...HEAD, ...lines, '}'].join('\n') + '\n';
}

test('seed example: showRefs([y]) for x = []; y = [x, [x], {x}]', () => {
  assert.equal(
    seedGraph().toDot({ legend: false }),
    dot([
      '  o1[fontcolor=red];',
      '  o1[label="Array\\n3 items"];',
      '  o1[fillcolor="0,0,1"];',
      '  o1 -> o2 [label="0"];',
      '  o1 -> o3 [label="1"];',
      '  o1 -> o4 [label="2"];',
      '  o2[label="Array\\n0 items"];',
      '  o2[fillcolor="0,0,0.766667"];',
      '  o3[label="Array\\n1 item"];',
      '  o3[fillcolor="0,0,0.766667"];',
      '  o3 -> o2 [label="0"];',
      '  o4[label="Object\\n1 property"];',
      '  o4[fillcolor="0,0,0.766667"];',
      '  o4 -> o2 [label="x"];',
    ]),
  );
});

test('sizes and retainer counts make objgraph-style label lines', () => {
  const b = new GraphBuilder({ direction: 'refs', maxDepth: 1 });
  b.addNode({ key: '7', id: 7, className: 'Session', retainers: 2, description: 'Session {id, user}', extraInfo: 'extra!', selfSize: 48, retainedSize: 3 * 1024 * 1024 + 200_000, depth: 0, root: true });
  b.addNode({ key: '9', id: 9, className: 'Map', selfSize: 2000, depth: 1 });
  b.addEdge({ from: '7', to: '9', label: 'cache', kind: 'property', weight: 2 });
  assert.equal(
    b.build().toDot({ legend: false }),
    dot([
      '  o7[fontcolor=red];',
      '  o7[label="Session [2]\\nSession {id, user}\\nextra!\\n48 B / 3.2 MiB"];',
      '  o7[fillcolor="0,0,1"];',
      '  o7 -> o9 [label="cache",weight=2];',
      '  o9[label="Map\\n2.0 KiB"];',
      '  o9[fillcolor="0,0,0.3"];',
      '  o9[fontcolor=white];',
    ]),
  );
});

test('backrefs: edges point at the target, depth gradient, white font when dark, "N more backreferences"', () => {
  const b = new GraphBuilder({ direction: 'backrefs', maxDepth: 2 });
  b.addNode({ key: '100', id: 100, className: 'Session', depth: 0, root: true });
  b.addNode({ key: '200', id: 200, className: 'Map', description: '2 items', depth: 1 });
  b.addNode({ key: '300', id: 300, className: 'Array', description: '5 items', depth: 1, highlight: true });
  b.addNode({ key: '400', id: 400, className: 'Object', depth: 2 });
  b.addNode({ key: '500', id: 500, className: 'global', depth: 1, module: true });
  // Retainer -> retained; the owner (the node being expanded) is the target.
  b.addEdge({ from: '200', to: '100', label: 'key "a"', kind: 'entry' });
  b.addEdge({ from: '300', to: '100', label: 3, kind: 'element' });
  b.addEdge({ from: '500', to: '100', label: 'session', kind: 'property' });
  b.addMoreBox('100', 39);
  b.addEdge({ from: '400', to: '200', label: 'sessions', kind: 'property' });
  b.addEdge({ from: '400', to: '300', label: 'wr', kind: 'weak' });
  const g = b.build();
  assert.equal(g.objectCount, 5);
  assert.equal(
    g.toDot({ legend: false }),
    dot([
      '  o100[fontcolor=red];',
      '  o100[label="Session"];',
      '  o100[fillcolor="0,0,1"];',
      '  o200 -> o100 [label="key \\"a\\""];',
      '  o300 -> o100 [label="3"];',
      '  o500 -> o100 [label="session"];',
      '  too_many_o100->o100[color=red,style=dotted,len=0.25,weight=10];',
      '  too_many_o100[label="39 more backreferences",shape=box,height=0.25,color=red,fillcolor="0,1,0.65",fontsize=6];',
      '  too_many_o100[fontcolor=white];',
      '  o200[label="Map\\n2 items"];',
      '  o200[fillcolor="0,0,0.65"];',
      '  o400 -> o200 [label="sessions"];',
      '  o300[label="Array\\n5 items"];',
      '  o300[fillcolor="0.6,0.6,0.825"];',
      '  o400 -> o300 [label="wr",style=dashed];',
      '  o400[label="Object"];',
      '  o400[fillcolor="0,0,0.3"];',
      '  o400[fontcolor=white];',
      '  o500[label="global"];',
      '  o500[fillcolor="0.3,1,0.65"];',
    ]),
  );
});

test('refs: "N more references" box hangs off its owner; internal grey, shortcut dotted, colours and extra attrs', () => {
  const b = new GraphBuilder({ direction: 'refs', maxDepth: 3 });
  b.addNode({ key: '1', id: 1, className: 'Array', description: '7 items', depth: 0, root: true, attrs: { tooltip: 'say "hi"', URL: null, color: 'blue', penwidth: 2 } });
  b.addNode({ key: '2', id: 2, className: 'system / Map', depth: 1 });
  b.addNode({ key: '3', id: 3, className: '(closure)', depth: 1 });
  b.addEdge({ from: '1', to: '2', label: 'map', kind: 'internal' });
  b.addEdge({ from: '1', to: '3', label: 'fn', kind: 'shortcut' });
  b.addEdge({ from: '1', to: '3', kind: 'hidden' });
  b.addEdge({ from: '2', to: '3', label: 'custom', color: '#ff0000', style: 'bold' });
  b.addMoreBox('1', 2);
  assert.equal(
    b.build().toDot({ legend: false }),
    dot([
      '  o1[fontcolor=red];',
      '  o1[label="Array\\n7 items", color="blue", penwidth="2", tooltip="say \\"hi\\""];',
      '  o1[fillcolor="0,0,1"];',
      '  o1 -> o2 [label="map",color=grey50,fontcolor=grey50];',
      '  o1 -> o3 [label="fn",style=dotted,color=grey50,fontcolor=grey50];',
      '  o1 -> o3 [color=grey50];',
      '  o1->too_many_o1[color=red,style=dotted,len=0.25,weight=10];',
      '  too_many_o1[label="2 more references",shape=box,height=0.25,color=red,fillcolor="0,1,0.766667",fontsize=6];',
      '  too_many_o1[fontcolor=white];',
      '  o2[label="system / Map"];',
      '  o2[fillcolor="0,0,0.766667"];',
      '  o2 -> o3 [label="custom",style=bold,color="#ff0000",fontcolor="#ff0000"];',
      '  o3[label="(closure)"];',
      '  o3[fillcolor="0,0,0.766667"];',
    ]),
  );
});

test('maxDepth 0 does not divide by zero', () => {
  assert.deepEqual(gradient([0, 0, 1], [0, 0, 0.3], 0, 0), [0, 0, 1]);
  const b = new GraphBuilder({ direction: 'refs', maxDepth: 0 });
  b.addNode({ key: '5', id: 5, className: 'Foo', depth: 0, root: true });
  assert.equal(b.build().toDot({ legend: false }), dot(['  o5[fontcolor=red];', '  o5[label="Foo"];', '  o5[fillcolor="0,0,1"];']));
});

test('highlight fill follows objgraph: h=.6, s=.6, v=.5+v*.5', () => {
  assert.deepEqual(nodeFill({ depth: 0, module: false, highlight: true }, 3), [0.6, 0.6, 1]);
  const [h, s, v] = nodeFill({ depth: 3, module: false, highlight: true }, 3);
  assert.deepEqual([h, s], [0.6, 0.6]);
  assert.ok(Math.abs(v - 0.65) < 1e-12);
});

test('the legend explains what the graph uses, and only that', () => {
  const plain = seedGraph().toDot();
  assert.ok(plain.endsWith(
    [
      '  subgraph cluster_legend {',
      '    label="Legend"; fontname="DejaVu Sans"; fontsize=10; color=grey70; style=dashed;',
      '    node[fontsize=9, height=0.3]; edge[fontsize=9];',
      '    legend_root[label="red text: the objects asked about", fontcolor=red];',
      '    legend_depth[label="white to grey: references 0 to 3 steps away", fillcolor="0,0,0.3", fontcolor=white];',
      '    legend_e0a[label="", shape=point, width=0.05]; legend_e0b[label="", shape=point, width=0.05];',
      '    { rank=same; legend_e0a -> legend_e0b [label="reference",minlen=3]; }',
      '    legend_root -> legend_depth -> legend_e0a [style=invis];',
      '  }',
      '}',
      '',
    ].join('\n'),
  ), plain);
  const b = new GraphBuilder({ direction: 'backrefs', maxDepth: 2 });
  b.addNode({ key: '1', id: 1, className: 'A', depth: 0, root: true, selfSize: 10 });
  b.addNode({ key: '2', id: 2, className: 'B', depth: 1, highlight: true });
  b.addNode({ key: '3', id: 3, className: 'global', depth: 1, module: true });
  b.addEdge({ from: '2', to: '1', label: 'a', kind: 'weak' });
  b.addEdge({ from: '3', to: '1', label: 'b', kind: 'internal' });
  b.addEdge({ from: '3', to: '2', label: 'c', kind: 'shortcut', owner: '2' });
  b.addMoreBox('1', 3);
  const full = b.build().toDot();
  for (const line of [
    '    legend_depth[label="white to grey: referrers 0 to 2 steps away", fillcolor="0,0,0.3", fontcolor=white];',
    '    legend_sizes[label="class\\ndescription\\nself size / retained size"];',
    '    legend_highlight[label="blue: highlighted", fillcolor="0.6,0.6,1"];',
    '    legend_module[label="green: global or module, not expanded", fillcolor="0.3,1,1"];',
    '    legend_more[label="red: more backreferences than tooMany", color=red, fillcolor="0,1,1", fontcolor=white];',
    '    { rank=same; legend_e1a -> legend_e1b [label="internal (V8)",color=grey50,fontcolor=grey50,minlen=3]; }',
    '    { rank=same; legend_e2a -> legend_e2b [label="weak: does not retain",style=dashed,minlen=3]; }',
    '    { rank=same; legend_e3a -> legend_e3b [label="shortcut",style=dotted,color=grey50,fontcolor=grey50,minlen=3]; }',
    '    legend_root -> legend_depth -> legend_sizes -> legend_highlight -> legend_module -> legend_more -> legend_e0a -> legend_e1a -> legend_e2a -> legend_e3a [style=invis];',
  ]) {
    assert.ok(full.includes('\n' + line + '\n'), `missing legend line: ${line}`);
  }
});

test('fontName option names another family', () => {
  const text = seedGraph().toDot({ legend: false, fontName: 'Noto "Sans"' });
  assert.ok(text.includes('  node[shape=box, style=filled, fillcolor=white, fontname="Noto \\"Sans\\""];\n'));
  assert.ok(text.includes('  edge[fontname="Noto \\"Sans\\""];\n'));
});

test('the builder rejects what would break the DOT', () => {
  const b = new GraphBuilder({ direction: 'refs', maxDepth: 3 });
  assert.throws(() => b.addNode({ key: 'a b', className: 'X', depth: 0 }), /node key/);
  assert.throws(() => b.addNode({ key: '1"];x[', className: 'X', depth: 0 }), /node key/);
  assert.throws(() => b.addNode({ key: '', className: 'X', depth: 0 }), /node key/);
  assert.throws(() => b.addNode({ key: '1', className: 'X', depth: -1 }), /depth/);
  assert.throws(() => b.addNode({ key: '1', className: 'X', depth: 0, attrs: { 'label="x"': 'y' } }), /attribute name/);
  b.addNode({ key: '1', className: 'X', depth: 0 });
  assert.throws(() => b.addNode({ key: '1', className: 'X', depth: 0 }), /twice/);
  assert.throws(() => b.addEdge({ from: '1', to: '2' }), /unknown node/);
  b.addNode({ key: '2', className: 'Y', depth: 1 });
  assert.throws(() => b.addEdge({ from: '1', to: '2', color: 'red];x[' }), /colour/);
  assert.throws(() => b.addEdge({ from: '1', to: '2', owner: '3' }), /owner/);
  assert.throws(() => b.addEdge({ from: '1', to: '2', kind: 'bogus' as never }), /edge kind/);
  assert.throws(() => b.addMoreBox('1', 0), /positive/);
  b.addMoreBox('1', 1);
  assert.throws(() => b.addMoreBox('1', 1), /already has a more box/);
  assert.throws(() => new GraphBuilder({ direction: 'up' as never, maxDepth: 1 }), /direction/);
});

test('Graph checks hand-made data', () => {
  const g = seedGraph();
  assert.throws(() => new Graph({ ...g.toJSON(), nodes: [...g.nodes, g.nodes[0]!] }), /duplicate node key/);
  assert.throws(() => new Graph({ ...g.toJSON(), nodes: g.nodes.slice(1) }), /unknown node/);
  assert.throws(() => new Graph({ ...g.toJSON(), nodes: [{ ...g.nodes[0]!, dotId: 'o1 [x' }, ...g.nodes.slice(1)] }), /bad DOT id/);
  // A copy made from plain data writes the same DOT.
  const copy = new Graph(JSON.parse(JSON.stringify(g)));
  assert.equal(copy.toDot(), g.toDot());
  assert.ok(Object.isFrozen(g.nodes) && Object.isFrozen(g.nodes[0]) && Object.isFrozen(g.edges[0]));
  // toDot is a pure function of the data.
  assert.equal(toDot(g.toJSON(), { legend: false }), g.toDot({ legend: false }));
});
