import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { knownHeap, snapshotOf, tempDir } from './fixtures.js';

const cli = fileURLToPath(new URL('../src/faces/cli.js', import.meta.url));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000, cwd: tempDir() });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('objgraph top: classes with counts and sizes', () => {
  const r = run('top', knownHeap(), '--limit', '0', '--quiet');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Class +Count +Self size\n/);
  assert.match(r.stdout, /\nSession +200 +[\d.]+ (B|KiB)\n/);
  assert.match(r.stdout, /\nSeven +7 /);
  assert.equal(r.stderr, '');
});

test('objgraph top --sort retained --json', () => {
  const r = run('top', knownHeap(), '--sort', 'retained', '--limit', '0', '--json', '--quiet');
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<{ name: string; count: number; retainedSize: number }>;
  const session = rows.find((s) => s.name === 'Session')!;
  assert.equal(session.count, 200);
  assert.ok(session.retainedSize > 0);
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.retainedSize >= rows[i]!.retainedSize);
});

test('objgraph top reports progress on stderr unless --quiet', () => {
  const r = run('top', knownHeap(), '--limit', '1');
  assert.equal(r.status, 0);
  assert.match(r.stderr, /known\.heapsnapshot: parse 100%/);
});

test('objgraph diff: what grew between two snapshots of one process', () => {
  const path = snapshotOf(
    'cli-pair',
    `const v8 = require('node:v8');
     class Order {}
     globalThis.orders = [];
     v8.writeHeapSnapshot(process.env.SNAPSHOT + '.1');
     for (let i = 0; i < 40; i++) globalThis.orders.push(new Order());
     v8.writeHeapSnapshot(process.env.SNAPSHOT + '.2');
     require('node:fs').writeFileSync(process.env.SNAPSHOT, 'done');`,
  );
  const r = run('diff', path + '.1', path + '.2', '--quiet');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Class +Before +After +Delta +New +Deleted +Size delta\n/);
  assert.match(r.stdout, /\nOrder +0 +40 +\+40 +\+40 +-0 +\+[\d.]+ (B|KiB)\n/);
});

test('objgraph why: the path from a root and the dominators', () => {
  const r = run('why', knownHeap(), '--class', 'Session', '--quiet');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Session @\d+ is alive: /);
  // The fixture still runs when it writes the snapshot: its local sessionCache is on the stack.
  assert.match(r.stdout, / -> Map @\d+ 200 items/);
  assert.match(r.stdout, /\.get\("s\d+"\) -> Session @\d+/);
  assert.match(r.stdout, /nearest object you can name: Map @\d+/);
});

test('objgraph graph: writes the picture', () => {
  const out = join(tempDir(), 'cli-graph.svg');
  const r = run('graph', knownHeap(), '--class', 'Session', '--backrefs', '-o', out, '--quiet');
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(out));
  assert.match(readFileSync(out, 'utf8'), /<svg[\s\S]*Session[\s\S]*<\/svg>/);
  assert.match(r.stdout, /Graph written to .*cli-graph\.svg/);
});

test('objgraph: usage errors exit 2, unreadable input exits 1, with clear messages', () => {
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: objgraph <command>/);
  const unknown = run('frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /objgraph: unknown command frobnicate/);
  const sort = run('top', knownHeap(), '--sort', 'size');
  assert.equal(sort.status, 2);
  assert.match(sort.stderr, /--sort takes count, self or retained, not size/);
  const missing = run('top', join(tempDir(), 'nope.heapsnapshot'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.heapsnapshot: cannot read: no such file/);
  const format = run('graph', knownHeap(), '--class', 'Session', '-o', 'out.txt');
  assert.equal(format.status, 2);
  assert.match(format.stderr, /--output must end in \.png, \.svg, \.dot, \.html or \.json, not out\.txt/);
  const noObject = run('why', knownHeap(), '--id', '2', '--quiet');
  assert.equal(noObject.status, 1);
  assert.match(noObject.stderr, /no object with id 2/);
});
