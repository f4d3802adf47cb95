import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../src/render/graph.js';
import { seedGraph } from './render-helpers.js';

test('a Graph rebuilt from JSON round-trips to the same DOT', () => {
  const g = seedGraph();
  const again = new Graph(JSON.parse(JSON.stringify(g.toJSON())));
  assert.equal(again.toDot(), g.toDot());
});

test('a Graph rebuilt from untrusted JSON cannot inject DOT through edge fields', () => {
  const data = JSON.parse(JSON.stringify(seedGraph().toJSON()));
  const withEdge = (patch: Record<string, unknown>): unknown => ({ ...data, edges: [{ ...data.edges[0], ...patch }, ...data.edges.slice(1)] });
  assert.throws(() => new Graph(withEdge({ weight: '1]; evil [label="x"' }) as never), /weight must be a non-negative integer/);
  assert.throws(() => new Graph(withEdge({ style: '__proto__' }) as never), /unknown edge style "__proto__"/);
  assert.throws(() => new Graph(withEdge({ kind: 'constructor' }) as never), /unknown edge kind "constructor"/);
  assert.throws(() => new Graph(withEdge({ color: 'red]; x' }) as never), /bad colour/);
});
