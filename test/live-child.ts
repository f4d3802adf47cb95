/** Runs a module snippet in a fresh Node process (its own isolate) with the live face in scope. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const here = path.dirname(fileURLToPath(import.meta.url));
/** file: URL of the compiled live face. */
export const liveUrl = pathToFileURL(path.join(here, '..', 'src', 'faces', 'live.js')).href;
export const sourcesUrl = pathToFileURL(path.join(here, '..', 'src', 'sources')).href;

export interface ChildResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `code` is an ES module body; `og` is the live face's namespace. */
export function runChild(code: string, args: string[] = [], timeoutMs = 120_000): ChildResult {
  const source = `import * as og from ${JSON.stringify(liveUrl)};\n${code}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'objgraph-live-'));
  const file = path.join(dir, 'child.mjs');
  writeFileSync(file, source);
  try {
    const r = spawnSync(process.execPath, [...args, file], {
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses the rows of a get_new_ids table. */
export function newIdsRows(table: string): Array<[string, number, number, number, number]> {
  const rows: Array<[string, number, number, number, number]> = [];
  for (const line of table.split('\n')) {
    const m = /^(.*?)\s+(-?\d+)\s+(-?\d+)\s+([+-]\d+)\s+([+-]\d+)$/.exec(line);
    if (m) rows.push([m[1]!, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])]);
  }
  return rows;
}
