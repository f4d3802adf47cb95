// Snapshot generation: runs bench/heap-builder.js in a child Node process, caches the files.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when heap-builder.ts or the unit counts change: cached snapshots are then regenerated. */
export const GENERATOR_VERSION = 1;

export type SizeName = 'small' | 'medium' | 'large';
export const SIZE_NAMES: readonly SizeName[] = ['small', 'medium', 'large'];

interface SizeSpec {
  /** Heap units built by heap-builder (one unit ≈ 60 nodes, ≈ 4.9 KB of snapshot). */
  units: number;
  /** --max-old-space-size of the generating child, in MB. */
  heapMB: number;
  /** Generation timeout. */
  timeoutMs: number;
  label: string;
}

export const SIZES: Record<SizeName, SizeSpec> = {
  small: { units: 5_600, heapMB: 2048, timeoutMs: 5 * 60_000, label: '~30 MB' },
  medium: { units: 61_000, heapMB: 4096, timeoutMs: 15 * 60_000, label: '~300 MB' },
  large: { units: 350_000, heapMB: 12288, timeoutMs: 60 * 60_000, label: '~1.7 GB' },
};

export interface SnapshotInfo {
  size: SizeName;
  file: string;
  bytes: number;
  nodeCount: number;
  edgeCount: number;
  generatorVersion: number;
  units: number;
  /** Wall time of the generation (heap build + writeHeapSnapshot) when it was generated; null if unknown. */
  generationMs: number | null;
  /** True when this run generated the file (false: taken from the cache). */
  generatedNow: boolean;
  generatorMaxRssBytes: number | null;
}

export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME && process.env.XDG_CACHE_HOME !== '' ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'objgraph-bench');
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Reads node_count and edge_count from the snapshot header (first few KB). */
export function readCounts(file: string): { nodeCount: number; edgeCount: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('utf8');
    const nodes = /"node_count"\s*:\s*(\d+)/.exec(head);
    const edges = /"edge_count"\s*:\s*(\d+)/.exec(head);
    return { nodeCount: nodes ? Number(nodes[1]) : -1, edgeCount: edges ? Number(edges[1]) : -1 };
  } finally {
    fs.closeSync(fd);
  }
}

interface Sidecar {
  generatorVersion: number;
  units: number;
  bytes: number;
  generationMs: number;
  maxRssBytes: number;
}

/** Returns the cached snapshot for `size`, generating it if missing or stale. */
export async function ensureSnapshot(size: SizeName, log: (msg: string) => void): Promise<SnapshotInfo> {
  const spec = SIZES[size];
  const dir = path.join(cacheDir(), 'snapshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${size}.heapsnapshot`);
  const sidecarFile = path.join(dir, `${size}.json`);
  let sidecar: Sidecar | null = null;
  try {
    sidecar = JSON.parse(fs.readFileSync(sidecarFile, 'utf8')) as Sidecar;
  } catch {
    sidecar = null;
  }
  const fresh =
    sidecar !== null &&
    sidecar.generatorVersion === GENERATOR_VERSION &&
    sidecar.units === spec.units &&
    fs.existsSync(file) &&
    fs.statSync(file).size === sidecar.bytes;
  let generatedNow = false;
  if (!fresh) {
    log(`generating ${size} snapshot (${spec.label}, ${spec.units} units) → ${file}`);
    sidecar = await generate(spec, file);
    fs.writeFileSync(sidecarFile, `${JSON.stringify(sidecar, null, 2)}\n`);
    generatedNow = true;
    log(`  generated ${(sidecar.bytes / 1e6).toFixed(1)} MB in ${(sidecar.generationMs / 1000).toFixed(1)} s (generator peak RSS ${(sidecar.maxRssBytes / 2 ** 30).toFixed(2)} GiB)`);
  }
  const s = sidecar!;
  return {
    size,
    file,
    bytes: fs.statSync(file).size,
    ...readCounts(file),
    generatorVersion: s.generatorVersion,
    units: s.units,
    generationMs: s.generationMs,
    generatedNow,
    generatorMaxRssBytes: s.maxRssBytes,
  };
}

function generate(spec: SizeSpec, file: string): Promise<Sidecar> {
  const script = path.join(here, 'heap-builder.js');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${spec.heapMB}`, script, String(spec.units), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      if (code !== 0) {
        reject(new Error(`snapshot generation failed (${signal ? `signal ${signal}` : `exit code ${code}`}) after ${(ms / 1000).toFixed(0)} s`));
        return;
      }
      try {
        const r = JSON.parse(out.trim().split('\n').pop() ?? '') as { bytes: number; maxRssKiB: number };
        resolve({ generatorVersion: GENERATOR_VERSION, units: spec.units, bytes: r.bytes, generationMs: ms, maxRssBytes: r.maxRssKiB * 1024 });
      } catch (e) {
        reject(new Error(`snapshot generator printed no result: ${String(e)}`));
      }
    });
  });
}
