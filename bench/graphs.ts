/**
 * Graph benchmarks: time to render reference graphs of 10, 100 and 1,000
 * nodes to SVG and PNG (target: 100 nodes to PNG under 1 s), and `whyAlive`
 * on the large snapshot of the engine benchmark once loaded (target: under 5 s).
 *
 * Standalone: `node dist/bench/graphs.js [--no-snapshot] [--size small|medium|large]`.
 * From the bench runner: `import { runGraphBench } from './graphs.js'`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { GraphBuilder, type Graph } from '../src/render/graph.js';
import { warmUpRenderer } from '../src/render/worker-client.js';
import { loadSync } from '../src/faces/offline.js';
import { whyAlive } from '../src/analysis/paths.js';
import { cacheDir } from './generate.js';

export interface RenderTiming {
  nodes: number;
  edges: number;
  svgMs: number;
  pngMs: number;
  pngBytes: number;
}

export interface WhyAliveTiming {
  file: string;
  nodeCount: number;
  loadMs: number;
  /** Building the retainers index (first use). */
  retainersMs: number;
  /** Building dominators and retained sizes (first use). */
  dominatorsMs: number;
  /** whyAlive per target once the indexes are built. */
  whyAliveMs: number[];
  /** Chain lengths found. */
  chainSteps: number[];
  /** whyAlive of the first target on a fresh snapshot, index builds included. */
  coldMs: number | null;
}

export interface GraphBenchResult {
  render: RenderTiming[];
  whyAlive: WhyAliveTiming | null;
  targets: { pngMs100: number; whyAliveMs: number };
}

/** A graph of `n` nodes shaped like a backrefs graph: a tree with fan-out 3 and some cross edges. */
export function syntheticGraph(n: number): Graph {
  const b = new GraphBuilder({ direction: 'refs', maxDepth: Math.max(1, Math.ceil(Math.log(n) / Math.log(3))) });
  const depth = (i: number): number => (i === 0 ? 0 : Math.floor(Math.log(2 * i + 1) / Math.log(3)));
  for (let i = 0; i < n; i++) {
    b.addNode({
      key: String(i + 1),
      id: i + 1,
      className: i % 5 === 0 ? 'Map' : i % 3 === 0 ? 'Session' : 'Object',
      description: `${i % 17} items`,
      selfSize: 32 + (i % 7) * 8,
      retainedSize: 1000 + i * 13,
      depth: Math.min(depth(i), b.direction === 'refs' ? 99 : 99),
      root: i === 0,
    });
  }
  for (let i = 1; i < n; i++) {
    const parent = Math.floor((i - 1) / 3);
    b.addEdge({ from: String(parent + 1), to: String(i + 1), label: i % 4 === 0 ? `get("key-${i}")` : `prop${i % 9}`, kind: i % 4 === 0 ? 'entry' : 'property' });
    if (i % 7 === 0 && i > 3) b.addEdge({ from: String(i + 1), to: String(Math.floor(i / 2)), label: String(i % 10), kind: 'element' });
  }
  return b.build();
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}

export function benchRender(sizes: readonly number[] = [10, 100, 1000], runs = 3): RenderTiming[] {
  warmUpRenderer();
  const out: RenderTiming[] = [];
  for (const n of sizes) {
    const g = syntheticGraph(n);
    let svgMs = Infinity;
    let pngMs = Infinity;
    let pngBytes = 0;
    for (let r = 0; r < runs; r++) {
      svgMs = Math.min(svgMs, time(() => g.toSvg())[1]);
      const [png, ms] = time(() => g.toPng());
      pngMs = Math.min(pngMs, ms);
      pngBytes = png.length;
    }
    out.push({ nodes: g.objectCount, edges: g.edges.length, svgMs, pngMs, pngBytes });
  }
  return out;
}

/** Loads `file`, builds the indexes, then times whyAlive on a few user objects spread over the heap. */
export function benchWhyAlive(file: string, targetCount = 5): WhyAliveTiming {
  const [snap, loadMs] = time(() => loadSync(file));
  // Cold: the first whyAlive pays for the retainers index and the dominator tree.
  const targets: number[] = [];
  const step = Math.max(1, Math.floor(snap.nodeCount / (targetCount + 1)));
  for (let o = step; o < snap.nodeCount && targets.length < targetCount; o += step) {
    let k = o;
    while (k < snap.nodeCount && !(snap.nodeType[k] === snap.types.object && snap.isUserVisible(k))) k++;
    if (k < snap.nodeCount) targets.push(k);
  }
  const [, retainersMs] = time(() => snap.retainers());
  const [, dominatorsMs] = time(() => snap.retainedSizes());
  const whyAliveMs: number[] = [];
  const chainSteps: number[] = [];
  for (const o of targets) {
    const [why, ms] = time(() => whyAlive(snap, snap.node(o)));
    whyAliveMs.push(ms);
    chainSteps.push(why.chain.found ? why.chain.steps.length : -1);
  }
  return { file, nodeCount: snap.nodeCount, loadMs, retainersMs, dominatorsMs, whyAliveMs, chainSteps, coldMs: null };
}

export interface GraphBenchOptions {
  /** Snapshot size from the bench cache for whyAlive; null to skip. Default 'large'. */
  size?: 'small' | 'medium' | 'large' | null;
  log?: (line: string) => void;
}

export function runGraphBench(options: GraphBenchOptions = {}): GraphBenchResult {
  const log = options.log ?? ((): void => {});
  const render = benchRender();
  for (const r of render) log(`render ${r.nodes} nodes / ${r.edges} edges: SVG ${r.svgMs.toFixed(0)} ms, PNG ${r.pngMs.toFixed(0)} ms (${r.pngBytes} bytes)`);
  let why: WhyAliveTiming | null = null;
  const size = options.size === undefined ? 'large' : options.size;
  if (size !== null) {
    const file = join(cacheDir(), 'snapshots', `${size}.heapsnapshot`);
    if (existsSync(file)) {
      why = benchWhyAlive(file);
      log(
        `whyAlive on ${size} (${why.nodeCount} nodes): load ${(why.loadMs / 1000).toFixed(1)} s, retainers ${(why.retainersMs / 1000).toFixed(1)} s, ` +
          `dominators ${(why.dominatorsMs / 1000).toFixed(1)} s, whyAlive ${why.whyAliveMs.map((m) => m.toFixed(0)).join(' / ')} ms ` +
          `(chains of ${why.chainSteps.join(' / ')} steps)`,
      );
    } else {
      log(`whyAlive: ${file} not found (run npm run bench once to generate it)`);
    }
  }
  const png100 = render.find((r) => r.nodes === 100)?.pngMs ?? NaN;
  return { render, whyAlive: why, targets: { pngMs100: png100, whyAliveMs: why ? Math.max(...why.whyAliveMs) : NaN } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const sizeArg = args.includes('--size') ? args[args.indexOf('--size') + 1] : undefined;
  const size = args.includes('--no-snapshot') ? null : ((sizeArg as 'small' | 'medium' | 'large' | undefined) ?? 'large');
  const result = runGraphBench({ size, log: (l) => process.stdout.write(l + '\n') });
  process.stdout.write(
    `targets: 100 nodes to PNG ${result.targets.pngMs100.toFixed(0)} ms (< 1000), whyAlive ${Number.isNaN(result.targets.whyAliveMs) ? 'n/a' : result.targets.whyAliveMs.toFixed(0) + ' ms'} (< 5000)\n`,
  );
}
