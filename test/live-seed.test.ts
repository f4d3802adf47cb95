import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newIdsRows, runChild } from './live-child.js';

/** Python's '%-*s%13d%13d%+13d%+13d'. */
function newIdsLine(width: number, name: string, old: number, current: number, added: number, delta: number): string {
  const signed = (n: number): string => (n >= 0 ? `+${n}` : String(n));
  return name.padEnd(width) + String(old).padStart(13) + String(current).padStart(13) + signed(added).padStart(13) + signed(delta).padStart(13);
}

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
    const sorted = (s) => [...(s ?? [])].sort((a, b) => a - b);
    const result = {
      classes: Object.keys(ids).sort(),
      arrayIds: sorted(ids.Array), expectedArrayIds: sorted([og.id(x), og.id(y), og.id(y[1])]),
      objectIds: sorted(ids.Object), expectedObjectIds: [og.id(y[2])],
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
  const lines = table!.split('\n');
  const rows = newIdsRows(table!);
  // Layout: rule, header, rule, 10 rows (the default limit), rule.
  assert.equal(lines.length, 15, table);
  assert.equal(lines[14], '');
  const width = Math.max(...rows.map((row) => row[0].length));
  const rule = '='.repeat(width + 52);
  assert.equal(lines[0], rule, table);
  assert.equal(lines[1], 'Type'.padEnd(width) + ['Old_ids', 'Current_ids', 'New_ids', 'Count_Deltas'].map((h) => h.padStart(13)).join(''), table);
  assert.equal(lines[2], rule);
  assert.equal(lines[13], rule);
  assert.equal(rows.length, 10, table);
  const [arrayRow, objectRow] = rows;
  assert.equal(lines[3], newIdsLine(width, 'Array', arrayRow![1], arrayRow![1] + 3, 3, 3), table);
  assert.equal(lines[4], newIdsLine(width, 'Object', objectRow![1], objectRow![1] + 1, 1, 1), table);
  for (const row of rows.slice(2)) assert.equal(row[3], 0, `only the seed's objects are new:\n${table}`);
  const result = JSON.parse(json!);
  assert.deepEqual(result.arrayIds, result.expectedArrayIds);
  assert.deepEqual(result.objectIds, result.expectedObjectIds);
  assert.deepEqual(result, {
    ...result,
    classes: ['Array', 'Object'],
    arrays: 3, x: true, y: true, inner: true, objects: 1, obj: true, idRoundTrip: true, fresh: true, missing: true,
  });
});
