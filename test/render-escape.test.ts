import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutText, dotQuote, escapeDot, escapeHtml, formatBytes, formatG, jsonForScript } from '../src/render/escape.js';
import { GraphBuilder } from '../src/render/graph.js';

test('escapeDot: objgraph quoting for \\, ", newline and NUL', () => {
  assert.equal(escapeDot('a\\b'), 'a\\\\b');
  assert.equal(escapeDot('say "hi"'), 'say \\"hi\\"');
  assert.equal(escapeDot('two\nlines'), 'two\\nlines');
  assert.equal(escapeDot('nul\0here'), 'nul\\\\0here');
  assert.equal(escapeDot('plain text, no change: <b> 漢字 😀'), 'plain text, no change: <b> 漢字 😀');
});

test('escapeDot: & (Graphviz decodes entities), other controls, lone surrogates', () => {
  assert.equal(escapeDot('&lt;b&gt; & more'), '&amp;lt;b&amp;gt; &amp; more');
  assert.equal(escapeDot('\t\r\x01\x1f\x7f\x85'), '\\\\t\\\\r\\\\x01\\\\x1f\\\\x7f\\\\x85');
  assert.equal(escapeDot('a\ud800b\udc00c\ufffe'), 'a\ufffdb\ufffdc\ufffd');
  assert.equal(escapeDot('pair \ud83d\ude00 kept'), 'pair \ud83d\ude00 kept');
  // A Graphviz escape like \N or \l in heap text stays literal.
  assert.equal(escapeDot('\\N\\G\\l'), '\\\\N\\\\G\\\\l');
  assert.equal(dotQuote('x"'), '"x\\""');
});

test('cutText: bounded by code points, never splits a pair, fast on 1 MB', () => {
  assert.equal(cutText('short', 10), 'short');
  assert.equal(cutText('0123456789', 10), '0123456789');
  assert.equal(cutText('0123456789A', 10), '012345678…');
  const emoji = '😀'.repeat(200);
  const cut = cutText(emoji, 100);
  assert.equal([...cut].length, 100);
  assert.equal(cut, '😀'.repeat(99) + '…');
  assert.equal(cutText('\udc00abc', 10), '\ufffdabc');
  const big = 'x'.repeat(1 << 20);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 1000; i++) cutText(big, 100);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.ok(ms < 500, `1000 cuts of a 1 MB string took ${ms} ms`);
  assert.throws(() => cutText('x', 0), RangeError);
});

test('hostile heap strings in labels neither break nor inject into the DOT', () => {
  const evil = 'a"b\\c\nd\0<script>alert(1)</script>&lt;\t\x01';
  const b = new GraphBuilder({ direction: 'refs', maxDepth: 1 });
  b.addNode({ key: '1', id: 1, className: 'Evil"];\nx[label="pwned', description: evil, depth: 0, root: true });
  b.addNode({ key: '2', id: 2, className: '(string)', description: 'A'.repeat(1 << 20), depth: 1 });
  b.addEdge({ from: '1', to: '2', label: '"];\n  injected -> edge;\n', kind: 'property' });
  const text = b.build().toDot({ legend: false });
  assert.equal(
    text,
    [
      'digraph ObjectGraph {',
      '  node[shape=box, style=filled, fillcolor=white, fontname="DejaVu Sans"];',
      '  edge[fontname="DejaVu Sans"];',
      '  o1[fontcolor=red];',
      '  o1[label="Evil\\"];\\nx[label=\\"pwned\\na\\"b\\\\c\\nd\\\\0<script>alert(1)</script>&amp;lt;\\\\t\\\\x01"];',
      '  o1[fillcolor="0,0,1"];',
      '  o1 -> o2 [label="\\"];\\n  injected -> edge;\\n"];',
      `  o2[label="(string)\\n${'A'.repeat(99)}…"];`,
      '  o2[fillcolor="0,0,0.3"];',
      '  o2[fontcolor=white];',
      '}',
      '',
    ].join('\n'),
  );
  // Every statement is on its own line: no raw newline or quote escaped out of a string.
  for (const line of text.split('\n').slice(1, -2)) {
    assert.match(line, /^ {2}\S.*;$/);
    const unescapedQuotes = line.replace(/\\./g, '').match(/"/g) ?? [];
    assert.equal(unescapedQuotes.length % 2, 0, line);
  }
});

test('too many label lines are cut, and so are long class names and edge labels', () => {
  const b = new GraphBuilder({ direction: 'refs', maxDepth: 1 });
  const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
  b.addNode({ key: '1', className: 'C'.repeat(500), label: lines, depth: 0 });
  b.addNode({ key: '2', className: 'D', depth: 1 });
  b.addEdge({ from: '1', to: '2', label: 'e'.repeat(1000) });
  const g = b.build();
  assert.equal(g.nodes[0]!.label.length, 8);
  assert.equal(g.nodes[0]!.label[7], '…');
  assert.equal(g.nodes[0]!.className, 'C'.repeat(99) + '…');
  assert.equal(g.edges[0]!.label, 'e'.repeat(59) + '…');
});

test('escapeHtml and jsonForScript', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  const json = jsonForScript({ s: '</script><script>alert(1)</script><!-- ]]> & \u2028\u2029' });
  assert.ok(!/[<>&\u2028\u2029]/.test(json), json);
  assert.deepEqual(JSON.parse(json), { s: '</script><script>alert(1)</script><!-- ]]> & \u2028\u2029' });
});

test('formatG matches C %g for colours; formatBytes', () => {
  assert.equal(formatG(1), '1');
  assert.equal(formatG(0), '0');
  assert.equal(formatG(1 - 0.7 / 3), '0.766667');
  assert.equal(formatG(0.3), '0.3');
  assert.equal(formatG(0.5 + 0.65 * 0.5), '0.825');
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(20 * 1024), '20 KiB');
  assert.equal(formatBytes(5 * 1024 ** 3), '5.0 GiB');
});
