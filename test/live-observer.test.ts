import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newIdsRows, runChild } from './live-child.js';

test('no observer effect: a second showGrowth() prints nothing, a second getNewIds() finds no new ids', () => {
  const r = runChild(`
    import { writeSync } from 'node:fs';
    og.showGrowth();
    writeSync(1, '@@@\\n');
    og.showGrowth();
    og.showGrowth({ limit: null });
    writeSync(1, '@@@\\n');
    og.getNewIds({ limit: 0 });
    const again = og.getNewIds({ limit: null });
    writeSync(1, '@@@\\n' + JSON.stringify(Object.keys(again)) + '\\n');
  `);
  assert.equal(r.status, 0, r.stderr);
  const [first, second, table, keys] = r.stdout.split('@@@\n');
  assert.match(first!, /^\S.* +\d+ +\+\d+$/m, 'the first showGrowth() shows everything');
  assert.equal(second, '', 'the second and third showGrowth() print nothing');
  const rows = newIdsRows(table!);
  assert.ok(rows.length > 50, table);
  for (const row of rows) {
    assert.equal(row[3], 0, `no new ids:\n${table}`);
    assert.equal(row[4], 0, `no count changes:\n${table}`);
  }
  assert.equal(keys, '[]\n');
});

test('results the tool returned are not counted, even while the program holds them', () => {
  const r = runChild(`
    import { writeSync } from 'node:fs';
    og.showGrowth({ file: { write() {} } });
    const held = [og.growth({ limit: null }), og.typestats(), og.mostCommonTypes({ limit: null }), og.getNewIds({ limit: 0 })];
    const ids = og.getNewIds({ limit: 0 });
    const set = ids; // held too
    writeSync(1, '@@@\\n');
    og.showGrowth();
    writeSync(1, '@@@\\n' + JSON.stringify(Object.keys(og.getNewIds({ limit: 0 }))) + '\\n');
  `);
  assert.equal(r.status, 0, r.stderr);
  const [, growth, keys] = r.stdout.split('@@@\n');
  assert.equal(growth, '');
  assert.equal(keys, '[]\n');
});

test('at() refuses V8 internals, the tool’s own objects and primitives', () => {
  const r = runChild(`
    import { writeSync } from 'node:fs';
    const live = og.takeLiveSnapshot();
    const s = live.snapshot;
    const pick = (pred) => { for (let i = 0; i < s.nodeCount; i++) if (pred(i)) return s.nodeId[i]; return 0; };
    const hidden = pick((i) => s.nodeTypeName(i) === 'hidden');
    const code = pick((i) => s.nodeTypeName(i) === 'code');
    const shape = pick((i) => s.nodeTypeName(i) === 'object shape');
    const context = pick((i) => s.nodeNameOf(i) === 'system / Context');
    const v8held = pick((i) => live.toolOwned[i] === 3 && s.nodeTypeName(i) === 'object');
    const tool = pick((i) => live.toolOwned[i] === 1 && s.nodeTypeName(i) === 'object');
    const str = pick((i) => s.nodeTypeName(i) === 'string' && live.toolOwned[i] === 0);
    const ids = { hidden, code, shape, context, v8held, tool, str };
    const out = {};
    for (const [k, v] of Object.entries(ids)) out[k] = v === 0 ? 'none' : og.at(v) === undefined;
    const obj = { mine: true };
    out.own = og.at(og.id(obj)) === obj;
    writeSync(1, JSON.stringify(out));
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { hidden: true, code: true, shape: true, context: true, v8held: true, tool: true, str: true, own: true });
});

test('getLeakingObjects(): an in-flight fs.readFile request, held only by Node’s native handle', () => {
  const r = runChild(`
    import { writeSync } from 'node:fs';
    import fs from 'node:fs';
    const before = new Set(og.getLeakingObjects());
    fs.readFile(new URL(import.meta.url), () => {});
    const fresh = og.getLeakingObjects().filter((o) => !before.has(o));
    writeSync(1, JSON.stringify(fresh.map((o) => o.constructor.name)));
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['FSReqCallback']);
});

test('progress: true reports the snapshot to stderr; nothing is printed otherwise', () => {
  const r = runChild(`
    import { writeSync } from 'node:fs';
    og.count('Object');
    writeSync(2, '@@@\\n');
    const n = og.count('Object', { progress: true });
    writeSync(1, String(n > 0));
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'true');
  const [quiet, loud] = r.stderr.split('@@@\n');
  assert.equal(quiet, '');
  assert.match(loud!, /^objgraph: taking a heap snapshot \(time and memory grow with the heap\)\n/);
  assert.match(loud!, /objgraph: V8 built the heap snapshot in \d+ ms; reading it\n/);
  assert.match(loud!, /objgraph: heap snapshot read: \d+ nodes, \d+ MB\n$/);
});
