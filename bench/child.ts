// Child process entry: runs ONE tool on ONE snapshot file and prints one result line.
// Usage: node [--max-old-space-size=N] dist/bench/child.js <tool id> <file> <peers dir>
// The result line is `${RESULT_MARKER}{json}` (peers such as memlab print their own progress
// to stdout, so the parent looks for the marker).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RESULT_MARKER, type ChildResult, type ClassCount, type ToolId } from './tools.js';

const [toolArg, file, peersDir] = process.argv.slice(2);

function maxRssBytes(): number {
  // resourceUsage().maxRSS is in KiB on Linux.
  return process.resourceUsage().maxRSS * 1024;
}

function emit(r: ChildResult): void {
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(r)}\n`);
}

function topByCount(counts: Map<string, number>, limit = 40): ClassCount[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
}

function peerRequire(): NodeJS.Require {
  return createRequire(path.join(peersDir!, 'package.json'));
}

interface Timed {
  phases: Record<string, number>;
  rss: number;
  nodeCount?: number;
  classes?: ClassCount[];
  note?: string;
}

async function timed(steps: [string, () => unknown | Promise<unknown>][]): Promise<{ phases: Record<string, number>; last: unknown }> {
  const phases: Record<string, number> = {};
  let last: unknown;
  for (const [name, fn] of steps) {
    const t = performance.now();
    last = await fn();
    phases[name] = performance.now() - t;
  }
  return { phases, last };
}

// ---- tools ----------------------------------------------------------------

async function runCat(): Promise<Timed> {
  const { phases } = await timed([
    [
      'read',
      () => {
        const r = spawnSync('cat', [file!], { stdio: ['ignore', 'ignore', 'pipe'] });
        if (r.status !== 0) throw new Error(`cat failed: ${r.stderr.toString().trim() || `status ${r.status}`}`);
      },
    ],
  ]);
  return { phases, rss: NaN, note: 'RSS of cat itself is negligible; not measured' };
}

async function runJsonParse(): Promise<Timed> {
  let parsed: { snapshot?: { node_count?: number } } | undefined;
  const { phases } = await timed([
    ['parse', () => (parsed = JSON.parse(fs.readFileSync(file!, 'utf8')) as typeof parsed)],
  ]);
  const rss = maxRssBytes();
  return { phases, rss, nodeCount: parsed?.snapshot?.node_count };
}

interface VsClassGroup {
  name(): string;
  children_len: number;
  retained_size: bigint;
}
interface VsGraph {
  get_class_groups(start: number, end: number, noRetained: boolean): VsClassGroup[];
}
interface VsModule {
  decode_bytes(input: Uint8Array): VsGraph;
}

async function runVscode(withRetained: boolean): Promise<Timed> {
  const mod = peerRequire()('@vscode/v8-heap-parser') as VsModule;
  let graph: VsGraph | undefined;
  let groups: VsClassGroup[] | undefined;
  const steps: [string, () => unknown][] = [['parse', () => (graph = mod.decode_bytes(fs.readFileSync(file!)))]];
  // get_class_groups(…, false) computes dominators and retained sizes (the groups are cached by
  // the first call, so the retained variant must be the first call).
  if (withRetained) steps.push(['retained+census', () => (groups = graph!.get_class_groups(0, 1 << 30, false))]);
  const { phases } = await timed(steps);
  const rss = maxRssBytes();
  groups ??= graph!.get_class_groups(0, 1 << 30, true);
  const counts = new Map<string, number>();
  let nodes = 0;
  for (const g of groups) {
    counts.set(g.name(), (counts.get(g.name()) ?? 0) + g.children_len);
    nodes += g.children_len;
  }
  return { phases, rss, nodeCount: nodes, classes: topByCount(counts), note: 'node count = sum of class group sizes' };
}

interface MemlabNode {
  type: string;
  name: string;
}
interface MemlabSnapshot {
  nodes: { length: number; forEach(cb: (n: MemlabNode) => unknown): void };
}
interface MemlabCore {
  config: { muteConsole: boolean; verbose: boolean };
  utils: { getSnapshotFromFile(file: string, opts: { buildNodeIdIndex: boolean }): Promise<MemlabSnapshot> };
  analysis: { preparePathFinder(snapshot: MemlabSnapshot): unknown };
}

/** memlab has no DevTools class names: group objects/natives by constructor name, the rest by `(type)`. */
function memlabClassName(n: MemlabNode): string {
  if (n.type === 'object' || n.type === 'native') return n.name;
  return `(${n.type})`;
}

async function runMemlab(withRetained: boolean): Promise<Timed> {
  const core = peerRequire()('@memlab/core') as MemlabCore;
  core.config.muteConsole = true;
  let snap: MemlabSnapshot | undefined;
  const steps: [string, () => unknown][] = [
    ['parse', async () => (snap = await core.utils.getSnapshotFromFile(file!, { buildNodeIdIndex: true }))],
  ];
  // What memlab's own analyses do after loading (HeapAnalyzer.preparePathFinder): shortest paths
  // from the roots, dominators and retained sizes of all nodes, React Fiber marking.
  if (withRetained) steps.push(['retained', () => core.analysis.preparePathFinder(snap!)]);
  const { phases } = await timed(steps);
  const rss = maxRssBytes();
  const counts = new Map<string, number>();
  snap!.nodes.forEach((n) => {
    const k = memlabClassName(n);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  return { phases, rss, nodeCount: snap!.nodes.length, classes: topByCount(counts) };
}

/** The engine's offline API, as DESIGN.md §4 / issue 2 define it. */
interface OurSnapshot {
  retainedSizes(): unknown;
  mostCommonTypes(opts?: { limit?: number; sortBy?: string }): unknown;
  typestats?(opts?: unknown): unknown;
  nodeCount?: number;
}
interface OurModule {
  load?: (pathOrStream: string, opts?: { onProgress?: (...args: unknown[]) => void }) => Promise<OurSnapshot>;
}

async function runOurs(full: boolean): Promise<Timed> {
  const url = pathToFileURL(path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'src', 'index.js')).href;
  const mod = (await import(url)) as OurModule;
  if (typeof mod.load !== 'function') throw new Error('not available: src/index.ts does not export load() yet');
  const load = mod.load;
  let snap: OurSnapshot | undefined;
  const steps: [string, () => unknown][] = [['parse', async () => (snap = await load(file!))]];
  if (full) {
    steps.push(['retained', () => snap!.retainedSizes()]);
    steps.push(['census', () => snap!.mostCommonTypes({ limit: 10, sortBy: 'retainedSize' })]);
  }
  const { phases } = await timed(steps);
  const rss = maxRssBytes();
  const counts = new Map<string, number>();
  let note: string | undefined;
  try {
    // `all: true`: every node, V8 internals included, as the peers count them (the default census
    // shows only user-visible classes).
    const stats = typeof snap!.typestats === 'function' ? snap!.typestats({ all: true }) : snap!.mostCommonTypes({ limit: 1 << 30 });
    if (Array.isArray(stats)) {
      for (const row of stats as unknown[]) if (Array.isArray(row)) counts.set(String(row[0]), Number(row[1]));
    } else if (stats && typeof stats === 'object') {
      for (const [k, v] of Object.entries(stats as Record<string, unknown>)) counts.set(k, Number(v));
    }
  } catch (e) {
    note = `class counts unavailable: ${(e as Error).message}`;
  }
  const nodeCount = typeof snap!.nodeCount === 'number' ? snap!.nodeCount : undefined;
  return { phases, rss, nodeCount, classes: counts.size ? topByCount(counts) : undefined, note };
}

const TOOLS: Record<ToolId, () => Promise<Timed>> = {
  cat: runCat,
  'json-parse': runJsonParse,
  vscode: () => runVscode(false),
  'vscode-retained': () => runVscode(true),
  memlab: () => runMemlab(false),
  'memlab-retained': () => runMemlab(true),
  'ours-parse': () => runOurs(false),
  'ours-full': () => runOurs(true),
};

async function main(): Promise<void> {
  const tool = toolArg as ToolId;
  const run = TOOLS[tool];
  if (!run || !file) {
    emit({ ok: false, error: `usage: child.js <tool> <file> <peers dir> (unknown tool ${toolArg})` });
    process.exit(2);
  }
  try {
    const r = await run();
    const ms = Object.values(r.phases).reduce((a, b) => a + b, 0);
    emit({ ok: true, ms, phases: r.phases, maxRssBytes: Number.isNaN(r.rss) ? null : r.rss, nodeCount: r.nodeCount ?? null, classes: r.classes ?? null, note: r.note ?? null });
  } catch (e) {
    const err = e as Error;
    let msg = err && typeof err === 'object' && 'message' in err ? `${err.name}: ${err.message}` : String(e);
    if (err?.name === 'RuntimeError' && tool.startsWith('vscode')) msg += ' (WebAssembly trap: a panic or failed allocation inside the wasm32 module, whose memory is capped at 4 GiB)';
    emit({ ok: false, error: msg, maxRssBytes: maxRssBytes() });
  }
  // Exit without waiting for peers' timers/handles, and without freeing huge heaps.
  process.exit(0);
}

await main();
