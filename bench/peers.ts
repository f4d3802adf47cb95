// Peer tools (@vscode/v8-heap-parser, @memlab/core) are NOT devDependencies: @memlab/core pulls
// puppeteer, which downloads Chrome on install. The bench installs them on first use into the
// cache directory and the child processes load them from there (createRequire).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir } from './generate.js';

export const PEER_PACKAGES = ['@vscode/v8-heap-parser', '@memlab/core'] as const;

export function peersDir(): string {
  return path.join(cacheDir(), 'peers');
}

function installed(dir: string, pkg: string): string | null {
  try {
    const pj = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string };
    return pj.version ?? '?';
  } catch {
    return null;
  }
}

/** Installs missing peers; returns package → version (null when it could not be installed). */
export function ensurePeers(log: (msg: string) => void): Record<string, string | null> {
  const dir = peersDir();
  fs.mkdirSync(dir, { recursive: true });
  const pj = path.join(dir, 'package.json');
  if (!fs.existsSync(pj)) fs.writeFileSync(pj, '{ "name": "objgraph-bench-peers", "private": true }\n');
  const missing = PEER_PACKAGES.filter((p) => installed(dir, p) === null);
  if (missing.length > 0) {
    log(`installing peers into ${dir}: ${missing.join(' ')}`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', ...missing], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1' },
      timeout: 10 * 60_000,
    });
    if (r.status !== 0) log(`  npm install failed (${r.error?.message ?? `status ${r.status}`}); the missing peers are reported as unavailable`);
  }
  const versions: Record<string, string | null> = {};
  for (const p of PEER_PACKAGES) versions[p] = installed(dir, p);
  return versions;
}
