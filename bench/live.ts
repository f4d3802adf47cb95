/**
 * Cost of the live API against its floor, V8's own heap snapshot.
 *
 * For each heap size a fresh Node process builds a heap of about that many
 * MB (sessions with users, strings, arrays, maps), then measures in that same
 * process:
 * - floor: `v8.getHeapSnapshot()` read to the end (V8 must build and
 *   serialise the snapshot whatever the tool does);
 * - `showGrowth()` (steady state: not the first call), its ratio to the floor
 *   (target ≤ 1.25×);
 * - `count('Session')` and `byType('Session')` (full-snapshot path), and
 *   `v8.queryObjects(Session, { format: 'count' })` for reference (a
 *   prototype-chain count, one heap walk, not a class-name count).
 * Floor and showGrowth alternate, `repeat` times each; the figures are
 * medians, and the ratio is the median of the ratios of each pair (the
 * machines are shared: a pair sees the same load).
 *
 * Standalone: `node dist/bench/live.js [sizesMB…]` (default 50 500).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

export interface LiveBenchOptions {
  /** Heap sizes to build, in MB. Default [50, 500]. */
  sizesMB?: number[];
  /** Alternating floor/showGrowth pairs per heap size. Default 5 (3 above 100 MB). */
  repeat?: number;
  /** Called with a line of progress text. */
  log?: (line: string) => void;
}

export interface LiveBenchRow {
  /** Heap the child built (`process.memoryUsage().heapUsed`), MB. */
  heapMB: number;
  nodes: number;
  snapshotMB: number;
  floorMs: number;
  showGrowthMs: number;
  /** Median over the pairs of showGrowth / floor. */
  ratio: number;
  /** Smallest and largest pair ratio. */
  ratioRange: [number, number];
  pairs: number;
  countMs: number;
  byTypeMs: number;
  queryObjectsMs: number;
  sessions: number;
  /** Peak RSS of the child, MB. */
  rssMB: number;
}

export interface LiveBenchResult {
  node: string;
  cpus: number;
  rows: LiveBenchRow[];
  /** Target: showGrowth at most this many times the floor. */
  target: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const self = path.join(here, 'live.js');

/** Runs the benchmark; one child process per heap size. */
export async function benchLive(opts: LiveBenchOptions = {}): Promise<LiveBenchResult> {
  const sizes = opts.sizesMB ?? [50, 500];
  const rows: LiveBenchRow[] = [];
  for (const mb of sizes) {
    const repeat = opts.repeat ?? (mb > 100 ? 3 : 5);
    opts.log?.(`live: building a ${mb} MB heap…`);
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', self, '--child', String(mb), String(repeat)], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      timeout: 60 * 60 * 1000,
    });
    if (r.status !== 0) throw new Error(`live bench child (${mb} MB) failed:\n${r.stderr}`);
    const line = r.stdout.trim().split('\n').pop()!;
    const row = JSON.parse(line) as LiveBenchRow;
    rows.push(row);
    opts.log?.(
      `live: ${row.heapMB} MB heap: floor ${row.floorMs} ms, showGrowth ${row.showGrowthMs} ms (${row.ratio}×, pairs ${row.ratioRange[0]}–${row.ratioRange[1]}×), count ${row.countMs} ms, byType ${row.byTypeMs} ms, queryObjects ${row.queryObjectsMs} ms`,
    );
  }
  return { node: process.version, cpus: (await import('node:os')).cpus().length, rows, target: 1.25 };
}

class Session {
  user: { name: string; email: string; visits: number[] };
  cart: Map<string, { sku: string; qty: number }>;
  constructor(i: number) {
    this.user = { name: `user-${i}`, email: `user${i}@example.com`, visits: [i, i + 1, i + 2] };
    this.cart = new Map([[`sku-${i % 5000}`, { sku: `sku-${i % 5000}`, qty: i % 7 }]]);
  }
}

async function child(mb: number, repeat: number): Promise<void> {
  const v8 = await import('node:v8');
  const og = await import(pathToFileURL(path.join(here, '..', 'src', 'faces', 'live.js')).href);
  const kept: Session[] = [];
  while (process.memoryUsage().heapUsed < mb * 1024 * 1024) {
    for (let k = 0; k < 1000; k++) kept.push(new Session(kept.length));
  }
  (globalThis as Record<string, unknown>)['kept'] = kept;
  const sink = { write(): void {} };
  og.showGrowth({ file: sink }); // the first call sets the peaks
  const time = (fn: () => void): number => {
    const t = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const floorOnce = async (): Promise<{ ms: number; bytes: number }> => {
    const t = process.hrtime.bigint();
    let bytes = 0;
    for await (const chunk of v8.getHeapSnapshot()) bytes += (chunk as Buffer).length;
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, bytes };
  };
  const floors: number[] = [];
  const growths: number[] = [];
  const ratios: number[] = [];
  let bytes = 0;
  for (let r = 0; r < repeat; r++) {
    const f = await floorOnce();
    bytes = f.bytes;
    const g = time(() => og.showGrowth({ file: sink }));
    floors.push(f.ms);
    growths.push(g);
    ratios.push(g / f.ms);
  }
  const floorMs = median(floors);
  const showGrowthMs = median(growths);
  const round2 = (x: number): number => Math.round(x * 100) / 100;
  let counted = 0;
  const countMs = time(() => (counted = og.count('Session')));
  let found = 0;
  const byTypeMs = time(() => (found = og.byType('Session').length));
  const queryObjects = (v8 as unknown as { queryObjects?: (c: unknown, o: object) => number }).queryObjects;
  const queryObjectsMs = queryObjects ? time(() => queryObjects(Session, { format: 'count' })) : NaN;
  if (counted !== kept.length || found !== kept.length) throw new Error(`count ${counted}, byType ${found}, expected ${kept.length}`);
  const live = og.takeLiveSnapshot();
  const row: LiveBenchRow = {
    heapMB: Math.round(process.memoryUsage().heapUsed / 1048576),
    nodes: live.snapshot.nodeCount,
    snapshotMB: Math.round(bytes / 1048576),
    floorMs: Math.round(floorMs),
    showGrowthMs: Math.round(showGrowthMs),
    ratio: round2(median(ratios)),
    ratioRange: [round2(Math.min(...ratios)), round2(Math.max(...ratios))],
    pairs: repeat,
    countMs: Math.round(countMs),
    byTypeMs: Math.round(byTypeMs),
    queryObjectsMs: Math.round(queryObjectsMs * 10) / 10,
    sessions: kept.length,
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(row) + '\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

if (process.argv[1] === self) {
  if (process.argv[2] === '--child') {
    process.removeAllListeners('warning');
    await child(Number(process.argv[3]), Number(process.argv[4]));
  } else {
    const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
    const result = await benchLive({ ...(sizes.length ? { sizesMB: sizes } : {}), log: (l) => process.stderr.write(l + '\n') });
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  }
}
