import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveUrl, runChild } from './live-child.js';

const graphsUrl = liveUrl.replace(/live\.js$/, 'live-graphs.js');

test('live: showRefs([y]) on the seed, showBackrefs and chains of a closure leak, whyAlive, in a child process', () => {
  const r = runChild(`
    import { writeSync } from 'node:fs';
    const lg = await import(${JSON.stringify(graphsUrl)});
    const sink = () => ({ text: '', write(s) { this.text += s; return true; } });
    const x = []; const y = [x, [x], { x }];
    const out = sink();
    const g = lg.showRefs([y], { output: out, sizes: false, render: { legend: false } });
    const idY = og.id(y), idX = og.id(x), idInner = og.id(y[1]), idObj = og.id(y[2]);
    function makeLeak() {
      const leakedBuffer = { payload: 'secret' };
      return function onTick() { return leakedBuffer; };
    }
    globalThis.handler = makeLeak();
    // No module variable holds the leaked object: only the closure does.
    const leaked = () => globalThis.handler();
    const chain = lg.findBackrefChain(leaked());
    const back = lg.showBackrefs([leaked()], { show: false, sizes: false, maxDepth: 2 });
    const why = lg.whyAlive(leaked());
    const whyText = sink();
    lg.showWhyAlive(og.id(leaked()), { file: whyText });
    const leakedId = og.id(leaked());
    const refChain = lg.findRefChain(globalThis, (n) => n.id === leakedId);
    const drawn = lg.showChain(chain, { show: false, sizes: false });
    const said = sink();
    lg.showRefs([x], { file: said, sizes: false });
    writeSync(1, JSON.stringify({
      dot: out.text, nodes: g.objectCount, ids: { y: idY, x: idX, inner: idInner, obj: idObj },
      chain: chain.found ? chain.steps.map((s) => s.path) : chain,
      chainFirst: chain.found ? chain.nodes[0].className : null,
      backEdges: back.edges.map((e) => e.label),
      culprit: why.culprit && why.culprit.className, whyText: whyText.text,
      refChain: refChain.found ? refChain.steps.map((s) => s.path) : refChain,
      drawn: drawn.edges.map((e) => e.label), said: said.text,
      live: og.at(chain.nodes[chain.nodes.length - 1].id) === leaked(),
    }) + '\\n');
  `);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const o = (k: string): string => `o${res.ids[k]}`;
  const lines = res.dot.split('\n');
  for (const want of [
    `  ${o('y')}[fontcolor=red];`,
    `  ${o('y')}[label="Array\\n3 items"];`,
    `  ${o('y')} -> ${o('x')} [label="0"];`,
    `  ${o('y')} -> ${o('inner')} [label="1"];`,
    `  ${o('y')} -> ${o('obj')} [label="2"];`,
    `  ${o('inner')} -> ${o('x')} [label="0"];`,
    `  ${o('obj')} -> ${o('x')} [label="x",weight=2];`,
  ]) {
    assert.ok(lines.includes(want), `${want}\n${res.dot}`);
  }
  assert.equal(res.nodes, 4, res.dot);
  assert.deepEqual(res.chain, ['.handler', '(closure variable) leakedBuffer']);
  assert.match(res.chainFirst, /^global/); // 'global / ' in inspector snapshots
  assert.ok(res.backEdges.includes('leakedBuffer'), res.backEdges);
  assert.ok(res.backEdges.includes('handler'), res.backEdges);
  assert.equal(res.culprit, 'Function');
  assert.match(res.whyText, /\(closure variable\) leakedBuffer -> Object @\d+ 1 property/);
  // globalThis is the global proxy: it reaches the global object through V8's native context first.
  assert.deepEqual(res.refChain.slice(-2), ['.handler', '(closure variable) leakedBuffer']);
  assert.deepEqual(res.drawn, ['leakedBuffer', 'handler']);
  assert.match(res.said, /^Graph written to .*objgraph-.*\.png \(1 nodes\)\n$/);
  assert.equal(res.live, true);
});
