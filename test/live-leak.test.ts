import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveUrl, runChild } from './live-child.js';

/** Python's '%-*s%9d %+9d'. */
function growthLine(width: number, name: string, count: number, delta: number): string {
  return name.padEnd(width) + String(count).padStart(9) + ' ' + (delta >= 0 ? `+${delta}` : String(delta)).padStart(9);
}

test('a Session cache that grows by request: showGrowth, byType and getNewIds find exactly the 200 sessions', () => {
  const r = runChild(`
    import { writeSync } from 'node:fs';
    class Session { constructor(user) { this.user = user; this.createdAt = Date.now(); } }
    const sessionCache = new Map();
    function handleRequest(i) { sessionCache.set('req' + i, new Session({ name: 'user' + i })); }
    og.showGrowth({ limit: 0, file: { write() {} } });
    og.getNewIds({ limit: 0 });
    for (let i = 0; i < 200; i++) handleRequest(i);
    writeSync(1, '@@@\\n');
    og.showGrowth({ limit: null });
    writeSync(1, '@@@\\n');
    const found = og.byType('Session');
    const ids = og.getNewIds({ limit: 0 });
    const cached = new Set(sessionCache.values());
    const expectedIds = [...cached].map((s) => og.id(s)).sort((a, b) => a - b);
    writeSync(1, JSON.stringify({
      found: found.length,
      allCached: found.every((s) => cached.has(s)),
      distinct: new Set(found).size,
      newIds: [...(ids.Session ?? [])].sort((a, b) => a - b).join(),
      expectedIds: expectedIds.join(),
      count: og.count('Session'),
    }));
  `);
  assert.equal(r.status, 0, r.stderr);
  const [, table, json] = r.stdout.split('@@@\n');
  const lines = table!.trimEnd().split('\n');
  const width = Math.max(...lines.map((l) => /^(.*?)\s+\d+ +[+-]\d+$/.exec(l)![1]!.length));
  assert.ok(lines.includes(growthLine(width, 'Session', 200, 200)), table);
  for (const l of lines) assert.match(l, /^\S.* +\d+ +\+\d+$/);
  const result = JSON.parse(json!);
  assert.equal(result.found, 200);
  assert.equal(result.allCached, true);
  assert.equal(result.distinct, 200);
  assert.equal(result.newIds, result.expectedIds);
  assert.equal(result.newIds.split(',').length, 200);
  assert.equal(result.count, 200);
});

test('inside a worker thread (its own isolate): the seed, and no observer effect after printing to its stdout', () => {
  const workerCode = `
    const { parentPort, isMainThread } = require('node:worker_threads');
    import(${JSON.stringify(liveUrl)}).then((og) => {
      let text = '';
      og.getNewIds({ limit: 0 }); og.getNewIds({ limit: 0 });
      const x = []; const y = [x, [x], { x }];
      const ids = og.getNewIds({ file: { write(s) { text += s; } }, limit: 2 });
      const arrays = og.atAddrs(ids.Array);
      og.showGrowth();
      let again = '';
      og.showGrowth({ file: { write(s) { again += s; } } });
      parentPort.postMessage({ text, classes: Object.keys(ids).sort(), arrays: arrays.length,
        same: arrays.includes(x) && arrays.includes(y) && arrays.includes(y[1]), again, isMainThread });
    });
  `;
  const r = runChild(`
    import { Worker } from 'node:worker_threads';
    import { writeSync } from 'node:fs';
    const w = new Worker(${JSON.stringify(workerCode)}, { eval: true, stdout: true });
    w.stdout.resume();
    w.on('message', (m) => { writeSync(1, '@@@' + JSON.stringify(m)); });
    w.on('error', (e) => { throw e; });
  `);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout.split('@@@')[1]!);
  assert.equal(m.isMainThread, false);
  assert.deepEqual(m.classes, ['Array', 'Object']);
  assert.equal(m.arrays, 3);
  assert.equal(m.same, true);
  const lines = m.text.split('\n');
  assert.match(lines[3], /^Array +\d+ +\d+ +\+3 +\+3$/);
  assert.match(lines[4], /^Object +\d+ +\d+ +\+1 +\+1$/);
  assert.equal(m.again, '');
});
