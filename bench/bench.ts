// `npm run bench`: generates (or reuses) snapshots of ~30 MB, ~300 MB and ~1.7 GB, then measures
// each tool in a fresh child process per run and prints Markdown tables and a JSON report.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDir, ensureSnapshot, GENERATOR_VERSION, SIZE_NAMES, SIZES, type SizeName, type SnapshotInfo } from './generate.js';
import { runTool, summarise, type RunOutcome, type ToolSummary } from './measure.js';
import { ensurePeers, peersDir } from './peers.js';
import { TOOL_IDS, TOOL_SPECS, type ToolId } from './tools.js';

const USAGE = `Usage: npm run bench -- [options]
       node --expose-gc dist/bench/bench.js [options]

Generates realistic V8 heap snapshots (~30 MB, ~300 MB, ~1.7 GB; cached in
${cacheDir()}/snapshots, regenerated when missing or when the generator version changes), installs
the peer tools into ${cacheDir()}/peers on first use, then measures every tool
on every snapshot, each run in a fresh child process (wall time of the work, peak RSS of that process).

Tools: ${TOOL_IDS.join(', ')}

Options:
  --sizes LIST        sizes to run, comma-separated: small,medium,large (default: all)
  --tools LIST        tools to run, comma-separated (default: all)
  --runs N            runs per tool for every size (default: small 5, medium 3, large 1)
  --timeout SEC       per-run timeout (default: 60 s + 0.6 s per MB of snapshot)
  --mem-cap GB        kill a run whose RSS exceeds this (default: 80% of RAM)
  --sections LIST     what to measure, comma-separated: engine,graphs,live (default: all)
                      engine: parse/analysis vs peers; graphs: rendering and whyAlive
                      (bench/graphs.ts, on the largest selected snapshot); live: the in-process
                      API against v8.getHeapSnapshot() (bench/live.ts)
  --generate-only     generate/refresh the snapshots and exit
  --json FILE         also write the JSON report to FILE
  -h, --help          print this help

Output: progress on stderr; Markdown tables (paste into README) on stdout; the full JSON report in
${cacheDir()}/results/<date>.json.
Speed ratio = peer time / our time (above 1: we are faster). RSS/file = peak RSS / snapshot size.
`;

interface Options {
  sizes: SizeName[];
  tools: ToolId[];
  runs: number | null;
  timeoutSec: number | null;
  memCapBytes: number;
  generateOnly: boolean;
  json: string | null;
  sections: Section[];
}

type Section = 'engine' | 'graphs' | 'live';
const SECTIONS: readonly Section[] = ['engine', 'graphs', 'live'];

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    sizes: [...SIZE_NAMES],
    tools: [...TOOL_IDS],
    runs: null,
    timeoutSec: null,
    memCapBytes: Math.floor(os.totalmem() * 0.8),
    generateOnly: false,
    json: null,
    sections: [...SECTIONS],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const key = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) fail(`${key} needs a value`);
      return v;
    };
    switch (key) {
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        process.exit(0);
      case '--sizes':
        o.sizes = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean) as SizeName[];
        for (const s of o.sizes) if (!SIZE_NAMES.includes(s)) fail(`unknown size ${s}`);
        break;
      case '--tools':
        o.tools = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean) as ToolId[];
        for (const t of o.tools) if (!TOOL_IDS.includes(t)) fail(`unknown tool ${t}`);
        break;
      case '--runs':
        o.runs = Number(value());
        if (!Number.isInteger(o.runs) || o.runs < 1) fail('--runs must be a positive integer');
        break;
      case '--timeout':
        o.timeoutSec = Number(value());
        if (!(o.timeoutSec > 0)) fail('--timeout must be a positive number of seconds');
        break;
      case '--mem-cap': {
        const gb = Number(value());
        if (!(gb > 0)) fail('--mem-cap must be a positive number of GB');
        o.memCapBytes = Math.floor(gb * 2 ** 30);
        break;
      }
      case '--sections': {
        const list = value().split(',').map((x) => x.trim()).filter(Boolean);
        for (const x of list) if (!SECTIONS.includes(x as Section)) fail(`unknown section "${x}" (known: ${SECTIONS.join(', ')})`);
        o.sections = list as Section[];
        break;
      }
      case '--generate-only':
        o.generateOnly = true;
        break;
      case '--json':
        o.json = value();
        break;
      default:
        fail(`unknown argument ${a}`);
    }
  }
  return o;
}

const DEFAULT_RUNS: Record<SizeName, number> = { small: 5, medium: 3, large: 1 };

const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

// ---- formatting -------------------------------------------------------------

const MB = 1e6;
const GiB = 2 ** 30;
const fmtSec = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const fmtBytes = (b: number): string => (b >= GiB ? `${(b / GiB).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(0)} MiB`);
const fmtInt = (n: number): string => n.toLocaleString('en-US');
const fmtRatio = (r: number): string => `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;

function statusText(s: ToolSummary): string {
  switch (s.status) {
    case 'unavailable':
      return 'not available yet';
    case 'timeout':
      return `fails: ${s.detail ?? 'timeout'}`;
    case 'memcap':
      return `fails: ${s.detail ?? 'memory cap'}`;
    default:
      return `fails: ${(s.detail ?? s.status).replace(/\|/g, '/')}`;
  }
}

const fmtLoad = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const labelOf = (id: ToolId): string => TOOL_SPECS.find((t) => t.id === id)!.label;

// ---- class comparison -----------------------------------------------------------

/**
 * Names that every tool spells the same way: constructor names of objects, plus closures
 * (`(closure)` in DevTools, vscode and memlab, `Function` in objgraph). Other bracketed names
 * ((string), (array), (concatenated string), …) are spelt or filtered differently
 * by each tool (memlab has no DevTools class names at all: the bench groups memlab's non-object
 * nodes by node type; objgraph hides V8 internals such as (array) by default), so they are left out.
 */
function objectClasses(classes: [string, number][]): [string, number][] {
  const merged = new Map<string, number>();
  for (const [raw, count] of classes) {
    const n = CANONICAL[raw] ?? raw;
    if (n.startsWith('(') || n === '') continue;
    merged.set(n, (merged.get(n) ?? 0) + count);
  }
  return [...merged.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** Same class, different spelling: DevTools/vscode/memlab say `(closure)`, objgraph says `Function`. */
const CANONICAL: Record<string, string> = { '(closure)': 'Function' };

interface Comparison {
  reference: ToolId;
  other: ToolId;
  agree: boolean;
  mismatches: string[];
}

function compareClasses(refId: ToolId, ref: [string, number][], otherId: ToolId, other: [string, number][]): Comparison {
  const a = objectClasses(ref).slice(0, 10);
  const bAll = new Map(objectClasses(other));
  const bTop = new Set(objectClasses(other).slice(0, 10).map(([n]) => n));
  const mismatches: string[] = [];
  for (const [name, count] of a) {
    const c = bAll.get(name);
    if (c === undefined) mismatches.push(`${name}: ${count} vs absent`);
    else if (c !== count) mismatches.push(`${name}: ${count} vs ${c}`);
    else if (!bTop.has(name)) mismatches.push(`${name}: in top 10 of ${refId} only`);
  }
  const aNames = new Set(a.map(([n]) => n));
  for (const n of bTop) if (!aNames.has(n)) mismatches.push(`${n}: in top 10 of ${otherId} only (${bAll.get(n)})`);
  return { reference: refId, other: otherId, agree: mismatches.length === 0, mismatches };
}

// ---- main -----------------------------------------------------------------

interface SizeReport {
  snapshot: SnapshotInfo;
  runsPerTool: number;
  timeoutSec: number;
  tools: ToolSummary[];
  comparisons: Comparison[];
  fastestPeer: { tool: ToolId; ms: number } | null;
}

/**
 * The peer's time over ours in each run where both succeeded: run i of every
 * tool is measured in one round, so a run's pair saw the same machine.
 */
function pairedRatios(peer: ToolSummary, ours: ToolSummary): number[] {
  const out: number[] = [];
  peer.outcomes.forEach((p, i) => {
    const o = ours.outcomes[i];
    if (p.status === 'ok' && o?.status === 'ok' && p.ms && o.ms) out.push(p.ms / o.ms);
  });
  return out;
}

function markdownFor(r: SizeReport): string {
  const s = r.snapshot;
  const byId = new Map(r.tools.map((t) => [t.tool, t]));
  const oursParse = byId.get('ours-parse');
  const oursFull = byId.get('ours-full');
  const oursParseMs = oursParse?.status === 'ok' ? oursParse.medianMs : null;
  const oursFullMs = oursFull?.status === 'ok' ? oursFull.medianMs : null;
  const lines: string[] = [];
  lines.push(
    `### ${s.size}: ${(s.bytes / MB).toFixed(1)} MB, ${fmtInt(s.nodeCount)} nodes, ${fmtInt(s.edgeCount)} edges (median of ${r.runsPerTool} run${r.runsPerTool > 1 ? 's' : ''})`,
  );
  lines.push('');
  lines.push('| tool | median time | min–max | peak RSS | RSS / file | MB/s | peer ÷ ours parse | peer ÷ ours full |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const t of r.tools) {
    const name = labelOf(t.tool);
    if (t.status !== 'ok' || t.medianMs === null) {
      const rss = t.maxRssBytes && t.status !== 'unavailable' ? `${fmtBytes(t.maxRssBytes)}` : '';
      lines.push(`| ${name} | ${statusText(t)} | | ${rss} | | | | |`);
      continue;
    }
    const range = t.runs > 1 ? `${fmtSec(t.minMs!)}–${fmtSec(t.maxMs!)}` : '';
    const rss = t.maxRssBytes !== null ? fmtBytes(t.maxRssBytes) : '—';
    const rssRatio = t.maxRssBytes !== null ? `${(t.maxRssBytes / s.bytes).toFixed(2)}` : '—';
    const mbps = (s.bytes / MB / (t.medianMs / 1000)).toFixed(0);
    const ours = TOOL_SPECS.find((x) => x.id === t.tool)!.ours;
    const vsParse = !ours && t.tool !== 'cat' && oursParseMs ? fmtRatio(t.medianMs / oursParseMs) : '';
    const vsFull = !ours && t.tool !== 'cat' && oursFullMs ? fmtRatio(t.medianMs / oursFullMs) : '';
    lines.push(`| ${name} | ${fmtSec(t.medianMs)} | ${range} | ${rss} | ${rssRatio} | ${mbps} | ${vsParse} | ${vsFull} |`);
  }
  lines.push('');
  if (r.fastestPeer && oursFullMs) {
    const ratio = r.fastestPeer.ms / oursFullMs;
    const rss = oursFull!.maxRssBytes;
    const paired = pairedRatios(byId.get(r.fastestPeer.tool)!, oursFull!);
    lines.push(
      `objgraph full vs the fastest peer (${labelOf(r.fastestPeer.tool)}, ${fmtSec(r.fastestPeer.ms)}): **${fmtRatio(ratio)}** (target ≥ 5×` +
        (paired.length > 1 ? `; run by run: ${paired.map(fmtRatio).join(', ')}` : '') +
        `); peak RSS / file: **${rss !== null ? (rss / s.bytes).toFixed(2) : '—'}** (target ≤ 1.0).`,
    );
  } else if (r.fastestPeer) {
    lines.push(`Fastest peer: ${labelOf(r.fastestPeer.tool)}, ${fmtSec(r.fastestPeer.ms)}.`);
  }
  if (oursFull?.phases) {
    lines.push(`objgraph full phases: ${Object.entries(oursFull.phases).map(([k, v]) => `${k} ${fmtSec(v)}`).join(', ')}.`);
  }
  for (const id of ['vscode-retained', 'memlab-retained'] as const) {
    const t = byId.get(id);
    if (t?.phases) lines.push(`${labelOf(id)} phases: ${Object.entries(t.phases).map(([k, v]) => `${k} ${fmtSec(v)}`).join(', ')}.`);
  }
  if (r.comparisons.length) {
    lines.push('');
    lines.push('Top 10 object classes by count (constructor names, closures as `Function`; other bracketed names are spelt or counted differently by each tool: memlab says `(code)`, vscode `(closure)`, and objgraph, like recent DevTools, does not count zero-size nodes such as `(array)` element stores attributed to their owner):');
    for (const c of r.comparisons) {
      lines.push(`- ${labelOf(c.reference)} vs ${labelOf(c.other)}: ${c.agree ? 'agree' : `**differ**: ${c.mismatches.join('; ')}`}`);
    }
  }
  return lines.join('\n');
}

function classListFor(r: SizeReport): string {
  const withClasses = r.tools.filter((t) => t.classes);
  if (!withClasses.length) return '';
  const out = [`Top 10 classes by count as each tool names them (${r.snapshot.size}):`];
  for (const t of withClasses) out.push(`- ${labelOf(t.tool)}: ${t.classes!.slice(0, 10).map(([n, c]) => `${n} ${fmtInt(c)}`).join(', ')}`);
  return out.join('\n');
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = new Date();
  const loadStart = fmtLoad();
  log(`objgraph bench — node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / GiB).toFixed(1)} GiB RAM; cache ${cacheDir()}`);

  const snapshots: SnapshotInfo[] = [];
  for (const size of opts.sizes) {
    const t = performance.now();
    const info = await ensureSnapshot(size, log);
    snapshots.push(info);
    log(
      `[${size}] ${info.file}: ${(info.bytes / MB).toFixed(1)} MB, ${fmtInt(info.nodeCount)} nodes, ${fmtInt(info.edgeCount)} edges` +
        (info.generatedNow ? ` (generated in ${fmtSec(performance.now() - t)})` : ` (cached; generated in ${info.generationMs ? fmtSec(info.generationMs) : '?'})`),
    );
  }
  if (opts.generateOnly) return;

  const engine = opts.sections.includes('engine');
  const needPeers = engine && opts.tools.some((id) => TOOL_SPECS.find((t) => t.id === id)!.needsPeers);
  const peerVersions = needPeers ? ensurePeers(log) : {};

  const reports: SizeReport[] = [];
  for (const snap of engine ? snapshots : []) {
    const runs = opts.runs ?? DEFAULT_RUNS[snap.size];
    const timeoutSec = opts.timeoutSec ?? Math.round(60 + (0.6 * snap.bytes) / MB);
    // Runs are interleaved (run 1 of every tool, then run 2, …) so that load from other processes
    // on a shared machine spreads over all tools instead of penalising one.
    const outcomes = new Map<ToolId, RunOutcome[]>(opts.tools.map((t) => [t, []]));
    const done = new Set<ToolId>();
    for (const tool of opts.tools) {
      if (tool.startsWith('vscode') && !peerVersions['@vscode/v8-heap-parser']) {
        outcomes.get(tool)!.push(unavailable('@vscode/v8-heap-parser is not installed'));
        done.add(tool);
      } else if (tool.startsWith('memlab') && !peerVersions['@memlab/core']) {
        outcomes.get(tool)!.push(unavailable('@memlab/core is not installed'));
        done.add(tool);
      }
    }
    for (let i = 0; i < runs; i++) {
      for (const tool of opts.tools) {
        if (done.has(tool)) continue;
        const spec = TOOL_SPECS.find((t) => t.id === tool)!;
        const o = await runTool(tool, snap.file, { timeoutMs: timeoutSec * 1000, memCapBytes: opts.memCapBytes, peersDir: peersDir() });
        outcomes.get(tool)!.push(o);
        log(
          `[${snap.size}] ${spec.label} run ${i + 1}/${runs}: ` +
            (o.status === 'ok'
              ? `${fmtSec(o.ms!)}, peak RSS ${o.maxRssBytes !== null ? fmtBytes(o.maxRssBytes) : '—'}${o.phases && Object.keys(o.phases).length > 1 ? ` (${Object.entries(o.phases).map(([k, v]) => `${k} ${fmtSec(v)}`).join(', ')})` : ''}`
              : `${o.status}: ${o.detail ?? ''}`),
        );
        if (o.status !== 'ok') done.add(tool); // a failure is deterministic: do not repeat it
      }
    }
    const summaries: ToolSummary[] = opts.tools.map((tool) => summarise(tool, outcomes.get(tool)!));
    const peersOk = summaries.filter((t) => !TOOL_SPECS.find((x) => x.id === t.tool)!.ours && t.tool !== 'cat' && t.status === 'ok' && t.medianMs !== null);
    const fastest = peersOk.sort((a, b) => a.medianMs! - b.medianMs!)[0];
    const withClasses = summaries.filter((t) => t.classes && t.status === 'ok');
    const ref = withClasses.find((t) => t.tool === 'ours-full') ?? withClasses.find((t) => t.tool === 'ours-parse') ?? withClasses[0];
    const comparisons: Comparison[] = [];
    if (ref) {
      const seen = new Set<string>([ref.tool.split('-')[0]!]);
      for (const t of withClasses) {
        const family = t.tool.split('-')[0]!;
        if (seen.has(family)) continue; // one comparison per tool family (vscode, memlab, ours)
        seen.add(family);
        comparisons.push(compareClasses(ref.tool, ref.classes!, t.tool, t.classes!));
      }
    }
    const report: SizeReport = {
      snapshot: snap,
      runsPerTool: runs,
      timeoutSec,
      tools: summaries,
      comparisons,
      fastestPeer: fastest ? { tool: fastest.tool, ms: fastest.medianMs! } : null,
    };
    reports.push(report);
    process.stdout.write(`\n${markdownFor(report)}\n\n${classListFor(report)}\n`);
  }

  const largest = snapshots.at(-1)?.size;
  const extra: Record<string, string> = {};
  if (opts.sections.includes('graphs')) {
    extra.graphs = runSection('graphs', largest ? ['--size', largest] : ['--no-snapshot']);
  }
  if (opts.sections.includes('live')) extra.live = runSection('live', []);

  const generation = snapshots
    .map((s) => `${s.size} ${(s.bytes / MB).toFixed(0)} MB in ${s.generationMs ? fmtSec(s.generationMs) : '?'}${s.generatedNow ? '' : ' (cached)'}`)
    .join(', ');
  process.stdout.write(
    `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / GiB).toFixed(0)} GiB RAM, Node ${process.version}. ` +
      `Peers: ${Object.entries(peerVersions).map(([k, v]) => `${k} ${v ?? 'missing'}`).join(', ') || 'none'}. ` +
      `Snapshot generation: ${generation}. Times exclude process start-up and module loading; the snapshot is in the page cache. ` +
      `Load average at start / end: ${loadStart} / ${fmtLoad()}.\n`,
  );

  const json = {
    date: started.toISOString(),
    generatorVersion: GENERATOR_VERSION,
    sizes: Object.fromEntries(opts.sizes.map((s) => [s, SIZES[s]])),
    machine: { loadAverageStart: loadStart, loadAverageEnd: fmtLoad(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemBytes: os.totalmem(), node: process.version, platform: process.platform },
    peers: peerVersions,
    memCapBytes: opts.memCapBytes,
    reports,
    sections: extra,
  };
  const dir = path.join(cacheDir(), 'results');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const text = `${JSON.stringify(json, null, 2)}\n`;
  fs.writeFileSync(out, text);
  if (opts.json) fs.writeFileSync(opts.json, text);
  log(`\nJSON report: ${out}${opts.json ? ` and ${opts.json}` : ''}`);
}

/** Runs bench/<name>.js in a child process (a fresh heap), echoing and returning its report. */
function runSection(name: string, args: string[]): string {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), `${name}.js`);
  if (!fs.existsSync(script)) {
    log(`\n[${name}] ${script} is missing: section skipped`);
    return 'missing';
  }
  log(`\n[${name}] node ${path.basename(script)} ${args.join(' ')}`);
  process.stdout.write(`\n### ${name}\n\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 3_600_000 });
  const out = r.stdout ?? '';
  process.stdout.write(out);
  if (r.status !== 0) process.stdout.write(`(${name} section failed: ${r.error?.message ?? `exit ${r.status}`})\n`);
  return out;
}

function unavailable(detail: string): RunOutcome {
  return { status: 'unavailable', ms: null, phases: null, maxRssBytes: null, nodeCount: null, classes: null, processMs: 0, detail };
}

await main();
