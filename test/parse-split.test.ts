import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { load, loadSync, SnapshotParser, type Snapshot } from '../src/index.js';
import { HeapSnapshot } from '../src/snapshot/model.js';
import { knownHeap, tempDir } from './fixtures.js';

function assertSame(a: Snapshot, b: Snapshot, what: string): void {
  assert.equal(a.nodeCount, b.nodeCount, what);
  assert.equal(a.edgeCount, b.edgeCount, what);
  for (const f of ['nodeType', 'nodeName', 'nodeId', 'firstEdge', 'edgeName', 'edgeWord'] as const) {
    assert.deepEqual(a[f], b[f], `${what}: ${f}`);
  }
}

test('a file whose edges are parsed on a second thread loads exactly as on one thread', async () => {
  const file = knownHeap();
  const one = loadSync(file, { parallel: false });
  assert.ok(one.edgeCount > 10000);
  assertSame(loadSync(file, { parallel: true }), one, 'loadSync');
  assertSame(await load(file, { parallel: true }), one, 'load');
  // The file spans several read chunks, each read into one of two buffers in turn while the
  // previous one is parsed.
  assert.ok(statSync(file).size > 3 * 1024 * 1024);
  assertSame(await load(file, { parallel: false }), one, 'load on one thread');
  assert.deepEqual(loadSync(file, { parallel: true }).mostCommonTypes({ limit: 10 }), one.mostCommonTypes({ limit: 10 }));
});

test('an "edges" key nested before the real array does not fool the second thread', async () => {
  // A section V8 does not write, placed between "nodes" and "edges", holding
  // an object with an "edges" array of its own: the worker finds that one
  // first, the main parser skips it; the edges are then read from the
  // parser's offset.
  const text = readFileSync(knownHeap(), 'utf8');
  const at = text.indexOf('"edges":');
  assert.ok(at > 0);
  const decoy = `"decoy":{"edges":[1,2,3,"x"]},\n`;
  const file = join(tempDir(), 'decoy.heapsnapshot');
  writeFileSync(file, text.slice(0, at) + decoy + text.slice(at));
  const one = loadSync(knownHeap(), { parallel: false });
  assertSame(loadSync(file, { parallel: true }), one, 'loadSync');
  assertSame(await load(file, { parallel: true }), one, 'load');
});

test('an error in the edges found by the second thread is reported as the one-thread parse reports it', async () => {
  const text = readFileSync(knownHeap(), 'utf8');
  const start = text.indexOf('[', text.indexOf('"edges":')) + 1;
  // Break the 50th number of the edges array.
  let k = start;
  for (let commas = 0; commas < 49; k++) if (text[k] === ',') commas++;
  const file = join(tempDir(), 'bad-edge.heapsnapshot');
  writeFileSync(file, text.slice(0, k) + 'x' + text.slice(k + 1));
  const messages: string[] = [];
  for (const parallel of [false, true]) {
    try {
      loadSync(file, { parallel });
      assert.fail('the broken edge was not noticed');
    } catch (e) {
      messages.push((e as Error).message);
    }
  }
  try {
    await load(file, { parallel: true });
    assert.fail('the broken edge was not noticed (load)');
  } catch (e) {
    messages.push((e as Error).message);
  }
  assert.match(messages[0]!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: unexpected .* in the "edges" array \\(at byte ${k}\\)$`));
  assert.equal(messages[1], messages[0]);
  assert.equal(messages[2], messages[0]);
});

test('an edge naming a string past the end is found when the second thread parsed the edges', async () => {
  const parsed = JSON.parse(readFileSync(knownHeap(), 'utf8'));
  const types: string[] = parsed.snapshot.meta.edge_types[0];
  const fields = parsed.snapshot.meta.edge_fields.length;
  const count = parsed.strings.length;
  // The last named edge: its name is checked once the strings are read, after the edges.
  let e = parsed.snapshot.edge_count - 1;
  while (['element', 'hidden'].includes(types[parsed.edges[fields * e]]!)) e--;
  parsed.edges[fields * e + 1] = count + 5;
  const file = join(tempDir(), 'bad-edge-name.heapsnapshot');
  writeFileSync(file, JSON.stringify(parsed));
  const expected = new RegExp(`edge ${e} names string ${count + 5}, but there are ${count} strings`);
  assert.throws(() => loadSync(file, { parallel: false }), expected);
  assert.throws(() => loadSync(file, { parallel: true }), expected);
  await assert.rejects(load(file, { parallel: true }), expected);
});

test('a parser told to skip the edges can still parse them itself (keepEdges, when no second thread starts)', () => {
  const bytes = readFileSync(knownHeap());
  const p = new SnapshotParser({ source: 'keep', skipEdges: true, onHeader: () => p.keepEdges() });
  p.write(bytes);
  const q = new SnapshotParser({ source: 'plain' });
  q.write(bytes);
  const a = new HeapSnapshot(p.end());
  const b = new HeapSnapshot(q.end());
  assert.equal(p.edgesOffset, -1, 'the edges were not skipped');
  assert.deepEqual(a.edgeWord, b.edgeWord);
  assert.deepEqual(a.edgeName, b.edgeName);
});

test('workers that die or never start are given up, not waited for: the file loads on one thread, sync and async', () => {
  // A preload that throws in every worker thread: the edges worker never runs its script.
  const dir = tempDir();
  const preload = join(dir, 'no-workers.cjs');
  writeFileSync(preload, "if (!require('node:worker_threads').isMainThread) throw new Error('no workers here');\n");
  const script = join(dir, 'no-workers.mjs');
  const index = new URL('../src/index.js', import.meta.url).href;
  writeFileSync(
    script,
    `const { load, loadSync } = await import(${JSON.stringify(index)});
     const file = process.argv[2];
     const sync = loadSync(file, { parallel: true });
     const async = await load(file, { parallel: true });
     console.log(JSON.stringify([sync.edgeCount, async.edgeCount, sync.count('Session')]));`,
  );
  const file = knownHeap();
  const expected = loadSync(file, { parallel: false });
  // Before, the synchronous load waited out a 60 s stall timeout and the async one then never
  // settled (its unreferenced worker let the event loop end): the bound is far above the
  // 5 s allowed for a start.
  const run = spawnSync(process.execPath, [script, file], { env: { ...process.env, NODE_OPTIONS: `--require ${preload}` }, encoding: 'utf8', timeout: 45_000 });
  assert.equal(run.status, 0, `exit ${run.status} ${run.signal ?? ''}: ${run.stderr}`);
  assert.deepEqual(JSON.parse(run.stdout), [expected.edgeCount, expected.edgeCount, 200]);
});

test('a named pipe is read once, from the start: plain or gzip, sync or async, never split between threads', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const fifo = join(dir, 'snapshot.fifo');
  execFileSync('mkfifo', [fifo]);
  const file = knownHeap();
  const gz = join(dir, 'known-for-pipe.heapsnapshot.gz');
  writeFileSync(gz, gzipSync(readFileSync(file)));
  const expected = loadSync(file, { parallel: false });
  // A writer in another process, so that a synchronous read here does not block it.
  const writers: ChildProcess[] = [];
  const feed = (from: string): void => {
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', from, fifo], { stdio: 'ignore' });
    writer.unref(); // (a writer nobody reads from must not keep the tests alive)
    writers.push(writer);
  };
  try {
    for (const from of [file, gz]) {
      feed(from);
      assertSame(loadSync(fifo, { parallel: true }), expected, `loadSync of a pipe fed ${from}`);
      feed(from);
      assertSame(await load(fifo, { parallel: true }), expected, `load of a pipe fed ${from}`);
    }
  } finally {
    for (const writer of writers) writer.kill();
  }
});
