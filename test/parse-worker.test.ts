import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SnapshotError, SnapshotParser } from '../src/index.js';
import { HeapSnapshot } from '../src/snapshot/model.js';
import { ParseWorker } from '../src/sources/parse-client.js';
import { SLOT_BYTES, SLOTS } from '../src/sources/parse-protocol.js';
import { knownHeap } from './fixtures.js';

/** Every field of two parses, compared. */
function assertSameData(a: HeapSnapshot, b: HeapSnapshot): void {
  assert.equal(a.nodeCount, b.nodeCount);
  assert.equal(a.edgeCount, b.edgeCount);
  for (const f of ['nodeType', 'nodeName', 'nodeId', 'nodeSelfSize', 'firstEdge', 'edgeName', 'edgeWord'] as const) {
    assert.deepEqual(a[f], b[f], f);
  }
  assert.deepEqual(a.largeSelfSizes, b.largeSelfSizes);
  assert.equal(a.strings.count, b.strings.count);
  for (let i = 0; i < a.strings.count; i++) assert.equal(a.strings.get(i), b.strings.get(i), `string ${i}`);
}

test('the parse worker parses chunks written into its ring exactly as the calling thread does', (t) => {
  const bytes = readFileSync(knownHeap());
  const p = new SnapshotParser({ source: 'reference' });
  p.write(bytes);
  const reference = new HeapSnapshot(p.end());
  const worker = ParseWorker.start();
  assert.ok(worker, 'the worker script is built next to its client');
  t.after(() => worker.dispose());
  // Chunks larger than a slot (split across slots), and small chunks, one
  // per slot, many more than the ring's slots: the writer waits for a full
  // ring and the slot counters wrap around it.
  assert.ok(bytes.length / 4096 > 4 * SLOTS, 'the fixture fills the ring several times');
  for (const size of [SLOT_BYTES * 3 + 17, 4096, 65536]) {
    for (let round = 0; round < 2; round++) {
      const parser = worker.begin(false);
      assert.ok(parser, 'the worker accepts a parse');
      for (let at = 0; at < bytes.length; at += size) parser.write(bytes.subarray(at, at + size));
      assertSameData(new HeapSnapshot(parser.end()), reference);
    }
  }
  assert.ok(worker.usable);
});

test('the parse worker reports a bad snapshot as the SnapshotError the parser raises, and stays usable', (t) => {
  const worker = ParseWorker.start();
  assert.ok(worker);
  t.after(() => worker.dispose());
  const parser = worker.begin(false);
  assert.ok(parser);
  parser.write('{"snapshot":{"meta":{}, "node_count": 1');
  assert.throws(
    () => parser.end(),
    (e: unknown) => e instanceof SnapshotError && /truncated: unexpected end of data at byte 39/.test(e.message),
  );
  const again = worker.begin(false);
  assert.ok(again, 'a failed parse does not stop the worker');
  again.write(readFileSync(knownHeap()));
  assert.ok(again.end().nodeCount > 1000);
});

test('a stopped parse worker refuses new parses (the caller then parses on its own thread)', () => {
  const worker = ParseWorker.start();
  assert.ok(worker);
  worker.dispose();
  assert.equal(worker.usable, false);
  assert.equal(worker.begin(false), null);
});

test('an error early in a snapshot: the remaining chunks pass without waiting and end() reports it', (t) => {
  const worker = ParseWorker.start();
  assert.ok(worker);
  t.after(() => worker.dispose());
  const parser = worker.begin(false);
  assert.ok(parser);
  parser.write('{"snapshot": [');
  // Far more than the ring holds: a worker that stopped reading must not make these wait.
  const filler = new Uint8Array(64 * 1024).fill(48);
  const started = Date.now();
  for (let k = 0; k < 4 * SLOTS; k++) parser.write(filler);
  assert.ok(Date.now() - started < 60_000, 'the writes did not wait for a stalled ring');
  assert.throws(
    () => parser.end(),
    (e: unknown) => e instanceof SnapshotError && e.source === '<heap snapshot of this isolate>' && /"snapshot" is not an object/.test(e.message),
  );
  assert.ok(worker.usable);
});

test('a parse given up halfway (abort) leaves the worker ready for the next one', (t) => {
  const bytes = readFileSync(knownHeap());
  const worker = ParseWorker.start();
  assert.ok(worker);
  t.after(() => worker.dispose());
  const half = worker.begin(false);
  assert.ok(half);
  half.write(bytes.subarray(0, bytes.length >> 1));
  half.abort?.();
  const whole = worker.begin(false);
  assert.ok(whole, 'the worker accepts the next parse');
  whole.write(bytes);
  const p = new SnapshotParser({ source: 'reference' });
  p.write(bytes);
  assertSameData(new HeapSnapshot(whole.end()), new HeapSnapshot(p.end()));
});
