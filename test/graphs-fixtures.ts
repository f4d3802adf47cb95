/**
 * Fixture heaps for the graph tests: small programs written to snapshots by
 * child Node processes (see ./fixtures.ts), and helpers to find their objects.
 */
import { snapshotOf } from './fixtures.js';
import { loadSync, type Snapshot } from '../src/faces/offline.js';
import type { HeapNode } from '../src/snapshot/views.js';

/** The seed, a closure leak, a Map held by a global, a fan-out and a fan-in, in a CommonJS script. */
export const GRAPH_HEAP = `
const v8 = require('node:v8');
class Session { constructor(id) { this.id = id; this.tag = 'session-' + id; } }
globalThis.x = [];
globalThis.y = [globalThis.x, [globalThis.x], { x: globalThis.x }];
function makeLeak() {
  const leakedBuffer = new Session(99);
  return function onTick() { return leakedBuffer.id; };
}
globalThis.handler = makeLeak();
globalThis.many = Array.from({ length: 15 }, (_, i) => ({ i: 'item-' + i }));
function buildFanIn() {
  const target = new Session(7);
  return Array.from({ length: 12 }, () => ({ t: target }));
}
globalThis.fanIn = buildFanIn();
globalThis.longText = 'a quote " a backslash \\\\ and a newline \\n then a lot more text that goes on';
v8.writeHeapSnapshot(process.env.SNAPSHOT);
`;

/** An ES module whose module-level Map caches sessions (snapshot taken after it finished evaluating). */
export const MAP_CACHE_MODULE = `
import v8 from 'node:v8';
class Session { constructor(id) { this.id = id; } }
const sessionCache = new Map();
export function remember(key, session) { sessionCache.set(key, session); }
remember('user-42', new Session(42));
setTimeout(v8.writeHeapSnapshot, 1, process.env.SNAPSHOT);
`;

const MODULE_RUNNER = (source: string): string => `
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const file = path.join(path.dirname(process.env.SNAPSHOT), 'map-cache-' + process.pid + '.mjs');
fs.writeFileSync(file, ${JSON.stringify(source)});
import(pathToFileURL(file).href);
`;

let graphHeap: Snapshot | undefined;
let mapCache: Snapshot | undefined;

export function graphHeapSnapshot(): Snapshot {
  graphHeap ??= loadSync(snapshotOf('graphs', GRAPH_HEAP));
  return graphHeap;
}

export function mapCacheSnapshot(): Snapshot {
  mapCache ??= loadSync(snapshotOf('graphs-map-cache', MODULE_RUNNER(MAP_CACHE_MODULE)));
  return mapCache;
}

/** The global object of a snapshot (the root's shortcut child). */
export function globalObject(snap: Snapshot): HeapNode {
  const g = snap.root.edges.find((e) => e.type === 'shortcut');
  if (!g) throw new Error('no global object');
  return g.to;
}

/** The value of `globalThis[name]`. */
export function globalValue(snap: Snapshot, name: string): HeapNode {
  const e = globalObject(snap).edges.find((edge) => edge.type === 'property' && edge.name === name);
  if (!e) throw new Error(`no global ${name}`);
  return e.to;
}

/** The target of `node`'s edge named `name` (property, element index or context variable). */
export function child(node: HeapNode, name: string | number): HeapNode {
  const e = node.edges.find((edge) => edge.name === name && edge.type !== 'internal');
  if (!e) throw new Error(`${node} has no edge ${name}`);
  return e.to;
}

/** Replaces every node id in DOT text by a readable name: `o123` → `o<name>`. */
export function nameIds(dot: string, names: Record<string, HeapNode>): string {
  let out = dot;
  for (const [name, node] of Object.entries(names)) out = out.replace(new RegExp(`(?<![A-Za-z0-9])o${node.id}(?![0-9])`, 'g'), `o<${name}>`);
  return out;
}

export const HEAD = [
  'digraph ObjectGraph {',
  '  node[shape=box, style=filled, fillcolor=white, fontname="DejaVu Sans"];',
  '  edge[fontname="DejaVu Sans"];',
];

export function dot(lines: string[]): string {
  return [...HEAD, ...lines, '}'].join('\n') + '\n';
}

/** DOT options for exact comparisons: no sizes (they vary with Node versions), no legend. */
export const EXACT = { sizes: false, render: { legend: false } } as const;
