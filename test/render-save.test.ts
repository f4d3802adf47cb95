import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatForPath } from '../src/render/graph.js';
import { assertWellFormedXml, decodePng, seedGraph } from './render-helpers.js';

test('save picks the format from the extension, synchronously', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'objgraph-render-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const g = seedGraph();

  const dotPath = g.save(join(dir, 'g.dot'));
  assert.equal(dotPath, join(dir, 'g.dot'));
  assert.equal(readFileSync(dotPath, 'utf8'), g.toDot());

  assert.equal(readFileSync(g.save(join(dir, 'g.gv'), { legend: false }), 'utf8'), g.toDot({ legend: false }));

  const svg = readFileSync(g.save(join(dir, 'g.svg')), 'utf8');
  assert.equal(assertWellFormedXml(svg).root, 'svg');

  const png = decodePng(readFileSync(g.save(join(dir, 'G.PNG'))));
  assert.ok(png.width > 100 && png.height > 100);

  const html = readFileSync(g.save(join(dir, 'g.html')), 'utf8');
  assert.ok(html.startsWith('<!DOCTYPE html>') && html.includes('<svg') && html.includes('id="graph-data"'));

  const json = JSON.parse(readFileSync(g.save(join(dir, 'g.json')), 'utf8'));
  assert.equal(json.direction, 'refs');
  assert.equal(json.nodes.length, 4);
  assert.deepEqual(json.edges[4], { from: '4', to: '2', label: 'x', kind: 'property', style: 'solid', color: null, weight: null, owner: '4' });

  assert.throws(() => g.save(join(dir, 'g.jpeg')), /unknown extension ".jpeg" \(use \.dot, \.svg, \.png, \.html or \.json\)/);
  assert.throws(() => g.save(join(dir, 'noextension')), /unknown extension/);
});

test('formatForPath', () => {
  assert.equal(formatForPath('a/b.c/graph.HTM'), 'html');
  assert.equal(formatForPath('x.dot'), 'dot');
  assert.equal(formatForPath('x.pdf'), null);
});
