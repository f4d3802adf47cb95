#!/usr/bin/env node
/**
 * The `objgraph` command: the offline analyses of heap snapshot files.
 *
 *   objgraph top app.heapsnapshot --sort retained
 *   objgraph diff before.heapsnapshot after.heapsnapshot
 *   objgraph why app.heapsnapshot --class Session
 *   objgraph graph app.heapsnapshot --id 12345 --backrefs -o why.png
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatBytes } from '../render/escape.js';
import { formatForPath } from '../render/graph.js';
import { load, type Snapshot } from './offline.js';
import { SnapshotError, type HeapNode, type Progress } from '../snapshot/index.js';
import type { SortBy } from '../analysis/index.js';

const HELP = `Usage: objgraph <command> [options]

Find memory leaks in V8 heap snapshots (.heapsnapshot or .heapsnapshot.gz
from Node, Chrome, Electron or Deno).

Commands:
  top <file>                 the most common classes, with sizes
      --limit N              rows (default 20; 0 for all)
      --sort count|self|retained
                             order (default count; retained builds the dominator tree)
      --all                  include V8 internals ((system), (compiled code), …)
      --long                 qualified class names (Name@script:line:column)
  diff <before> <after>      classes that grew between two snapshots of one process
      --limit N              rows (default 20; 0 for all)
  why <file>                 why an object is alive: the shortest path from a root,
                             the dominator chain and the retained size at each step
      --id N                 the object's snapshot id, or
      --class NAME           the instance of NAME that retains the most
  graph <file>               draw references (--refs, default) or retainers (--backrefs)
      --id N | --class NAME  the object to start from
      --depth N              how far to go (default 3)
      -o, --output FILE      .png, .svg, .dot or .html (default graph.png)

Common options:
  --json                     print the result as JSON
  --quiet                    no progress on stderr
  -h, --help                 this text

Exit status: 0 on success, 1 when a snapshot cannot be read or an object is
not found, 2 on a usage error.
`;

class UsageError extends Error {}

interface Args {
  command: string;
  files: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['--limit', '--sort', '--id', '--class', '--depth', '--output', '-o']);

function parseArgs(argv: string[]): Args {
  const files: string[] = [];
  const flags = new Map<string, string | true>();
  let command = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') {
      flags.set('--help', true);
    } else if (a.startsWith('-')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (VALUE_FLAGS.has(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`${name} needs a value`);
        flags.set(name === '-o' ? '--output' : name, value);
      } else if (['--all', '--long', '--json', '--quiet', '--refs', '--backrefs'].includes(name)) {
        flags.set(name, true);
      } else {
        throw new UsageError(`unknown option ${a}`);
      }
    } else if (!command) {
      command = a;
    } else {
      files.push(a);
    }
  }
  return { command, files, flags };
}

function intFlag(args: Args, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} takes a whole number, not ${String(v)}`);
  return n;
}

/** A one-line progress display on stderr, redrawn at most every 100 ms. */
function progressReporter(file: string, quiet: boolean): ((p: Progress) => void) | undefined {
  if (quiet) return undefined;
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let lastPhase = '';
  return (p) => {
    const now = Date.now();
    const finished = p.total !== undefined && p.done >= p.total;
    if (!finished && p.phase === lastPhase && now - last < (tty ? 100 : 2000)) return;
    last = now;
    lastPhase = p.phase;
    const pct = p.total ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
    const amount = p.phase === 'parse' ? ` ${formatBytes(p.done)}${p.total ? ` of ${formatBytes(p.total)}` : ''}` : '';
    const line = `${file}: ${p.phase}${pct}${amount}`;
    if (tty) process.stderr.write(`\r\x1b[K${line}${finished && p.phase !== 'parse' ? '\n' : ''}`);
    else if (finished || p.phase === 'parse') process.stderr.write(`${line}\n`);
  };
}

async function open(file: string, args: Args): Promise<Snapshot> {
  const onProgress = progressReporter(file, args.flags.has('--quiet'));
  const snap = await load(file, onProgress ? { onProgress } : {});
  if (onProgress && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  return snap;
}

function requireFiles(args: Args, n: number, what: string): void {
  if (args.files.length !== n) throw new UsageError(`${args.command} takes ${what}`);
}

function table(rows: string[][], align: Array<'l' | 'r'>): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (align[c] === 'l' ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n') + '\n';
}

function out(text: string): void {
  process.stdout.write(text);
}

async function top(args: Args): Promise<void> {
  requireFiles(args, 1, 'one snapshot file');
  const sortFlag = args.flags.get('--sort') ?? 'count';
  const sortBy = ({ count: 'count', self: 'selfSize', retained: 'retainedSize' } as Record<string, SortBy>)[String(sortFlag)];
  if (!sortBy) throw new UsageError(`--sort takes count, self or retained, not ${String(sortFlag)}`);
  const limit = intFlag(args, '--limit', 20);
  const snap = await open(args.files[0]!, args);
  const stats = snap.classStats({
    limit,
    sortBy,
    retainedSizes: sortBy === 'retainedSize',
    all: args.flags.has('--all'),
    shortnames: !args.flags.has('--long'),
  });
  if (args.flags.has('--json')) return out(JSON.stringify(stats, null, 2) + '\n');
  const withRetained = sortBy === 'retainedSize';
  const rows = [['Class', 'Count', 'Self size', ...(withRetained ? ['Retained size'] : [])]];
  for (const s of stats) rows.push([s.name, String(s.count), formatBytes(s.selfSize), ...(withRetained ? [formatBytes(s.retainedSize ?? 0)] : [])]);
  out(table(rows, ['l', 'r', 'r', 'r']));
}

async function diff(args: Args): Promise<void> {
  requireFiles(args, 2, 'two snapshot files: before and after');
  const limit = intFlag(args, '--limit', 20);
  const before = await open(args.files[0]!, args);
  const after = await open(args.files[1]!, args);
  const all = after.compare(before);
  const rows = limit === 0 ? all : all.slice(0, limit);
  if (args.flags.has('--json')) return out(JSON.stringify(rows, null, 2) + '\n');
  const sign = (n: number): string => (n > 0 ? `+${n}` : String(n));
  const signBytes = (n: number): string => (n > 0 ? '+' : n < 0 ? '-' : '') + formatBytes(Math.abs(n));
  const lines = [['Class', 'Before', 'After', 'Delta', 'New', 'Deleted', 'Size delta']];
  for (const d of rows) lines.push([d.name, String(d.before), String(d.after), sign(d.delta), `+${d.added}`, `-${d.removed}`, signBytes(d.sizeDelta)]);
  out(table(lines, ['l', 'r', 'r', 'r', 'r', 'r', 'r']));
}

function target(snap: Snapshot, args: Args): HeapNode {
  const id = args.flags.get('--id');
  const cls = args.flags.get('--class');
  if ((id === undefined) === (cls === undefined)) throw new UsageError('name the object with --id N or --class NAME');
  if (id !== undefined) {
    const n = Number(id);
    const node = Number.isInteger(n) ? snap.at(n) : undefined;
    if (!node) throw new NotFound(`${snap.source}: no object with id ${String(id)}`);
    return node;
  }
  const instances = snap.byType(String(cls), { all: true });
  if (instances.length === 0) throw new NotFound(`${snap.source}: no object of class ${String(cls)}`);
  return instances.reduce((a, b) => (b.retainedSize > a.retainedSize ? b : a));
}

class NotFound extends Error {}

async function why(args: Args): Promise<void> {
  requireFiles(args, 1, 'one snapshot file');
  const snap = await open(args.files[0]!, args);
  const node = target(snap, args);
  if (args.flags.has('--json')) {
    const w = snap.whyAlive(node);
    return out(JSON.stringify(w, (k, v) => (v && typeof v === 'object' && 'ordinal' in v && 'snapshot' in v ? (v as HeapNode).toJSON() : k === 'snapshot' ? undefined : v), 2) + '\n');
  }
  snap.showWhyAlive(node, { file: process.stdout });
}

async function graph(args: Args): Promise<void> {
  requireFiles(args, 1, 'one snapshot file');
  const filename = String(args.flags.get('--output') ?? 'graph.png');
  if (formatForPath(filename) === null) throw new UsageError(`--output must end in .png, .svg, .dot, .html or .json, not ${filename}`);
  const maxDepth = intFlag(args, '--depth', 3);
  const snap = await open(args.files[0]!, args);
  const node = target(snap, args);
  const options = { filename, maxDepth, file: process.stdout };
  if (args.flags.has('--backrefs')) snap.showBackrefs(node, options);
  else snap.showRefs(node, options);
}

/** Runs the CLI with these arguments; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
    if (args.flags.has('--help') || !args.command) {
      out(HELP);
      return args.command || args.flags.has('--help') ? 0 : 2;
    }
    const commands: Record<string, (a: Args) => Promise<void>> = { top, diff, why, graph };
    const run = commands[args.command];
    if (!run) throw new UsageError(`unknown command ${args.command}`);
    await run(args);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`objgraph: ${e.message}\nRun 'objgraph --help' for usage.\n`);
      return 2;
    }
    // Unreadable snapshots, missing objects, and anything else that went wrong: a message, not a stack trace.
    process.stderr.write(`objgraph: ${e instanceof Error ? e.message : String(e)}\n`);
    if (!(e instanceof SnapshotError || e instanceof NotFound) && process.env.OBJGRAPH_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}

const entry = process.argv[1];
if (entry !== undefined && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
