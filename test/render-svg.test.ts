import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { GraphBuilder } from '../src/render/graph.js';
import { dotToSvg, svgElement } from '../src/render/svg.js';
import { assertWellFormedXml, seedGraph } from './render-helpers.js';

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

test('seed graph to SVG: well-formed, one box per object, labels and edge labels present', () => {
  const svg = seedGraph({ sizes: true }).toSvg();
  const { root } = assertWellFormedXml(svg);
  assert.equal(root, 'svg');
  const nodeTitles = [...svg.matchAll(/<g id="node\d+" class="node">\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]);
  for (const id of ['o1', 'o2', 'o3', 'o4']) assert.ok(nodeTitles.includes(id), `no node ${id} in ${nodeTitles.join(',')}`);
  const t = texts(svg);
  for (const s of ['Array', '3 items', '0 items', '1 item', 'Object', '1 property', '32 B / 152 B', '0', '1', '2', 'x']) {
    assert.ok(t.includes(s), `missing text ${JSON.stringify(s)} in ${JSON.stringify(t)}`);
  }
  assert.ok(t.includes('red text: the objects asked about'), 'legend is drawn');
  // The root's label is red; every text uses the bundled font family.
  assert.match(svg, /<text[^>]*fill="red"[^>]*>Array<\/text>/);
  for (const m of svg.matchAll(/font-family="([^"]*)"/g)) assert.equal(m[1], 'DejaVu Sans');
  // 4 object edges + 1, and no legend when asked.
  const noLegend = seedGraph().toSvg({ legend: false });
  assert.equal([...noLegend.matchAll(/class="edge"/g)].length, 5);
  assert.ok(!noLegend.includes('Legend'));
});

test('weak edges are dashed and internal edges grey in the SVG', () => {
  const b = new GraphBuilder({ direction: 'refs', maxDepth: 1 });
  b.addNode({ key: '1', className: 'A', depth: 0, root: true });
  b.addNode({ key: '2', className: 'B', depth: 1 });
  b.addEdge({ from: '1', to: '2', label: 'weakling', kind: 'weak' });
  b.addEdge({ from: '1', to: '2', label: 'innards', kind: 'internal' });
  const svg = b.build().toSvg({ legend: false });
  const edges = svg.split('<g id="edge').slice(1);
  const weak = edges.find((e) => e.includes('>weakling<'))!;
  const internal = edges.find((e) => e.includes('>innards<'))!;
  assert.match(weak, /<path[^>]*stroke-dasharray/);
  assert.match(internal, /<path[^>]*stroke="#7f7f7f"/);
  assert.doesNotMatch(internal, /stroke-dasharray/);
});

test('hostile heap strings come out of Graphviz escaped: no markup, no control characters', () => {
  const b = new GraphBuilder({ direction: 'refs', maxDepth: 1 });
  b.addNode({ key: '1', id: 1, className: '</text></g><script>alert(1)</script>', description: 'q"b\\s\nnl\0nul&lt;ent&amp;\x07bell --> <!--', depth: 0, root: true });
  b.addNode({ key: '2', id: 2, className: '(string)', description: 'B'.repeat(1 << 20), depth: 1 });
  b.addEdge({ from: '1', to: '2', label: '<img src=x onerror=alert(1)>', kind: 'property' });
  const svg = b.build().toSvg();
  assertWellFormedXml(svg);
  assert.ok(!/<script/i.test(svg) && !/<img/i.test(svg), 'markup leaked into the SVG');
  const t = texts(svg);
  // Text as the user should read it, XML-escaped.
  assert.ok(t.includes('&lt;/text&gt;&lt;/g&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), JSON.stringify(t));
  assert.ok(t.includes('q&quot;b\\s'), JSON.stringify(t));
  assert.ok(t.includes('nl\\0nul&amp;lt;ent&amp;amp;\\x07bell &#45;&#45;&gt; &lt;!&#45;&#45;'), JSON.stringify(t));
  assert.ok(t.includes('B'.repeat(99) + '…'));
  assert.ok(t.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(svg.length < 50_000, `SVG is ${svg.length} bytes: the 1 MB string was not cut`);
});

test('a DOT syntax error is reported with Graphviz message, and the renderer keeps working', () => {
  assert.throws(() => dotToSvg('digraph { a -> }'), /Graphviz could not lay out the graph: .*syntax error/);
  assert.match(dotToSvg('digraph { a -> b }'), /<svg/);
});

test("renderer: 'dot' uses Graphviz on PATH, or says clearly that it is missing", () => {
  const which = spawnSync('sh', ['-c', 'command -v dot'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) {
    const svg = seedGraph().toSvg({ renderer: 'dot' });
    assertWellFormedXml(svg);
    assert.ok(texts(svg).includes('3 items'));
  } else {
    assert.throws(() => seedGraph().toSvg({ renderer: 'dot' }), /renderer 'dot' was asked for, but Graphviz's `dot` is not on PATH/);
    assert.throws(() => seedGraph().toPng({ renderer: 'dot' }), /not on PATH/);
  }
  assert.throws(() => seedGraph().toSvg({ renderer: 'nope' as never }), /Unknown renderer/);
});

test('svgElement strips the prolog for inlining', () => {
  const el = svgElement(seedGraph().toSvg());
  assert.ok(el.startsWith('<svg') && el.endsWith('</svg>'));
  assert.ok(!el.includes('<?xml') && !el.includes('<!DOCTYPE'));
  assert.throws(() => svgElement('<html></html>'), /no <svg> element/);
});
