// Runs one tool in a fresh child process with a timeout and a memory cap, and summarises runs.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_MARKER, type ChildResult, type ToolId } from './tools.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface RunOptions {
  timeoutMs: number;
  /** The child is killed when its RSS exceeds this. */
  memCapBytes: number;
  peersDir: string;
}

export interface RunOutcome {
  status: 'ok' | 'failed' | 'timeout' | 'memcap' | 'crashed' | 'unavailable';
  ms: number | null;
  phases: Record<string, number> | null;
  /** Peak RSS reported by the child; when it did not report, the highest RSS the parent sampled. */
  maxRssBytes: number | null;
  nodeCount: number | null;
  classes: [string, number][] | null;
  /** Process wall time including start-up and module loading. */
  processMs: number;
  detail: string | null;
}

function readRss(pid: number): number {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(s);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').filter((l) => l.trim() !== '').slice(-n).join(' | ').slice(0, 400);
}

export function runTool(tool: ToolId, file: string, opts: RunOptions): Promise<RunOutcome> {
  const script = path.join(here, 'child.js');
  const heapMB = Math.max(512, Math.floor(opts.memCapBytes / 2 ** 20));
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMB}`, script, tool, file, opts.peersDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      stdout += d;
      if (stdout.length > 1 << 22) stdout = stdout.slice(-(1 << 21));
    });
    child.stderr.on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
    });
    let killedFor: 'timeout' | 'memcap' | null = null;
    let sampledMax = 0;
    const poll = setInterval(() => {
      if (child.pid === undefined) return;
      const rss = readRss(child.pid);
      if (rss > sampledMax) sampledMax = rss;
      if (rss > opts.memCapBytes && killedFor === null) {
        killedFor = 'memcap';
        child.kill('SIGKILL');
      }
    }, 200);
    const timer = setTimeout(() => {
      if (killedFor === null) killedFor = 'timeout';
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ status: 'crashed', ms: null, phases: null, maxRssBytes: null, nodeCount: null, classes: null, processMs: performance.now() - t0, detail: e.message });
    });
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      const processMs = performance.now() - t0;
      const base = { processMs, nodeCount: null, classes: null, phases: null, ms: null };
      if (killedFor === 'timeout') {
        resolve({ ...base, status: 'timeout', maxRssBytes: sampledMax || null, detail: `timed out after ${(opts.timeoutMs / 1000).toFixed(0)} s` });
        return;
      }
      if (killedFor === 'memcap') {
        resolve({ ...base, status: 'memcap', maxRssBytes: sampledMax || null, detail: `killed: RSS over the ${(opts.memCapBytes / 2 ** 30).toFixed(1)} GiB cap` });
        return;
      }
      const idx = stdout.lastIndexOf(RESULT_MARKER);
      if (idx < 0) {
        const oom = /heap out of memory|Reached heap limit|Allocation failed|out of memory/i.test(stderr);
        const why = oom ? 'out of memory' : signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve({ ...base, status: 'crashed', maxRssBytes: sampledMax || null, detail: `${why}: ${lastLines(stderr, 3) || '(no output)'}` });
        return;
      }
      let r: ChildResult;
      try {
        r = JSON.parse(stdout.slice(idx + RESULT_MARKER.length).split('\n')[0]!) as ChildResult;
      } catch (e) {
        resolve({ ...base, status: 'crashed', maxRssBytes: sampledMax || null, detail: `unreadable result: ${(e as Error).message}` });
        return;
      }
      if (!r.ok) {
        const unavailable = /^Error: not available:/.test(r.error ?? '');
        resolve({ ...base, status: unavailable ? 'unavailable' : 'failed', maxRssBytes: r.maxRssBytes ?? (sampledMax || null), detail: r.error ?? 'failed' });
        return;
      }
      resolve({
        status: 'ok',
        ms: r.ms ?? null,
        phases: r.phases ?? null,
        maxRssBytes: r.maxRssBytes ?? null,
        nodeCount: r.nodeCount ?? null,
        classes: r.classes ?? null,
        processMs,
        detail: r.note ?? null,
      });
    });
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface ToolSummary {
  tool: ToolId;
  status: RunOutcome['status'];
  runs: number;
  medianMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  /** Median of each phase over the successful runs. */
  phases: Record<string, number> | null;
  /** Highest peak RSS over the runs. */
  maxRssBytes: number | null;
  nodeCount: number | null;
  classes: [string, number][] | null;
  detail: string | null;
  outcomes: RunOutcome[];
}

export function summarise(tool: ToolId, outcomes: RunOutcome[]): ToolSummary {
  const ok = outcomes.filter((o) => o.status === 'ok');
  const times = ok.map((o) => o.ms!).filter((x) => Number.isFinite(x));
  const rss = outcomes.map((o) => o.maxRssBytes).filter((x): x is number => typeof x === 'number');
  const firstBad = outcomes.find((o) => o.status !== 'ok');
  let phases: Record<string, number> | null = null;
  if (ok.length && ok[0]!.phases) {
    phases = {};
    for (const k of Object.keys(ok[0]!.phases)) phases[k] = median(ok.map((o) => o.phases?.[k] ?? NaN));
  }
  return {
    tool,
    status: ok.length ? 'ok' : (firstBad?.status ?? 'failed'),
    runs: ok.length,
    medianMs: times.length ? median(times) : null,
    minMs: times.length ? Math.min(...times) : null,
    maxMs: times.length ? Math.max(...times) : null,
    phases,
    maxRssBytes: rss.length ? Math.max(...rss) : null,
    nodeCount: ok.find((o) => o.nodeCount !== null)?.nodeCount ?? null,
    classes: ok.find((o) => o.classes !== null)?.classes ?? null,
    detail: (ok.length ? ok[0]!.detail : firstBad?.detail) ?? null,
    outcomes,
  };
}
