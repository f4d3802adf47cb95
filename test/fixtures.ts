/**
 * Test fixtures: small Node programs that build a known heap and write a
 * snapshot of it. Each program runs once per test process; its snapshot is
 * kept in a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string | undefined;
const made = new Map<string, string>();

/** A temporary folder for this test process, removed at exit. */
export function tempDir(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'objgraph-test-'));
    const d = dir;
    process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  }
  return dir;
}

/**
 * Runs `program` (CommonJS source) in a child Node process; the program finds
 * the snapshot path in `process.env.SNAPSHOT` and must write it there.
 */
export function snapshotOf(name: string, program: string, nodeArgs: string[] = []): string {
  const existing = made.get(name);
  if (existing) return existing;
  const d = tempDir();
  const script = join(d, `${name}.cjs`);
  const out = join(d, `${name}.heapsnapshot`);
  writeFileSync(script, program);
  execFileSync(process.execPath, [...nodeArgs, script], { env: { ...process.env, SNAPSHOT: out }, stdio: ['ignore', 'inherit', 'inherit'] });
  made.set(name, out);
  return out;
}

/** The heap the engine tests know by heart. */
export const KNOWN_HEAP = `
const v8 = require('node:v8');
class Session {
  constructor(id) {
    this.id = id;
    this.user = { name: 'user-' + id };
  }
}
class Seven {}
class Leaf {
  constructor(v) { this.v = v; }
}
const sessionCache = new Map();
for (let i = 0; i < 200; i++) sessionCache.set('s' + i, new Session(i));
globalThis.sessionCache = sessionCache;

function makeCounter(start) {
  let secretCount = start;
  const counterLabel = 'counter';
  return function increment() { return ++secretCount + counterLabel.length; };
}
globalThis.counter = makeCounter(5);

const weak = new WeakMap();
const weakKey = new Leaf('weak key');
const weakValue = new Leaf('weak value');
weak.set(weakKey, weakValue);
globalThis.weak = weak;
globalThis.weakKey = weakKey;

const a = new Leaf('a');
const b = new Leaf('b');
a.v = b;
b.v = a;
globalThis.cycleHolder = { a };

globalThis.x = [];
globalThis.y = [globalThis.x, [globalThis.x], { x: globalThis.x }];
globalThis.sevens = Array.from({ length: 7 }, () => new Seven());
v8.writeHeapSnapshot(process.env.SNAPSHOT);
`;

export function knownHeap(): string {
  return snapshotOf('known', KNOWN_HEAP);
}
