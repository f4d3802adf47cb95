import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newIdsRows, runChild } from './live-child.js';

test('seed: x = []; y = [x, [x], {x}] shows Array +3 and Object +1 with exactly their ids', () => {
  const r = runChild(`
    import { writeSync } from 'node:fs';
    og.getNewIds();
    og.getNewIds();
    writeSync(1, '@@@\\n');
    const x = []; const y = [x, [x], { x }];
    const ids = og.getNewIds();
    const arrays = og.atAddrs(ids.Array);
    const objects = og.atAddrs(ids.Object);
    const result = {
      arrays: arrays.length, x: arrays.includes(x), y: arrays.includes(y), inner: arrays.includes(y[1]),
      objects: objects.length, obj: objects[0] === y[2],
      idRoundTrip: og.at(og.id(x)) === x && og.at(og.id(y[2])) === y[2],
      fresh: (() => { const f = { fresh: 1 }; return og.at(og.id(f)) === f; })(),
      missing: og.at(1e9 + 1) === undefined,
    };
    writeSync(1, '@@@\\n' + JSON.stringify(result) + '\\n');
  `);
  assert.equal(r.status, 0, r.stderr);
  const [, table, json] = r.stdout.split('@@@\n');
  const rows = newIdsRows(table!);
  assert.deepEqual(rows[0], ['Array', rows[0]![1], rows[0]![1] + 3, 3, 3], table);
  assert.deepEqual(rows[1], ['Object', rows[1]![1], rows[1]![1] + 1, 1, 1], table);
  for (const row of rows.slice(2)) assert.equal(row[3], 0, `only the seed's objects are new:\n${table}`);
  assert.deepEqual(JSON.parse(json!), {
    arrays: 3, x: true, y: true, inner: true, objects: 1, obj: true, idRoundTrip: true, fresh: true, missing: true,
  });
});
